//! `ZSet`: the sorted-set value. Members are ordered by score, then by member bytes, exactly as
//! Redis orders them; a `HashMap` gives each member's score in O(1).
//!
//! **Invariant:** `by_score` holds `(score, member)` exactly for the pairs in `scores`; no score
//! is NaN.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

/// A score with a total order (scores are never NaN; `-0` equals `0`, as in Redis).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Score(pub(crate) f64);

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.partial_cmp(&other.0).unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Score {}

/// One end of a score range (`ZRANGEBYSCORE`'s `(1` is exclusive).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ScoreBound {
    pub(crate) value: f64,
    pub(crate) exclusive: bool,
}

/// The next larger double (`+inf` stays `+inf`).
fn next_up(value: f64) -> f64 {
    if value.is_nan() || value == f64::INFINITY {
        return value;
    }
    if value == 0.0 {
        return f64::from_bits(1);
    }
    let bits = value.to_bits();
    if value > 0.0 {
        f64::from_bits(bits + 1)
    } else {
        f64::from_bits(bits - 1)
    }
}

/// A sorted set.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ZSet {
    by_score: BTreeSet<(Score, Vec<u8>)>,
    scores: HashMap<Vec<u8>, f64, ahash::RandomState>,
}

impl ZSet {
    /// An empty sorted set.
    pub(crate) fn new() -> ZSet {
        ZSet::default()
    }

    /// The number of members.
    pub(crate) fn len(&self) -> usize {
        self.scores.len()
    }

    /// Whether there are no members.
    pub(crate) fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// The score of `member`.
    pub(crate) fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }

    /// Adds `member` or changes its score; tells whether it was new. A score of `-0` is stored
    /// as `0`, as Redis's small sorted sets store integral scores as integers.
    pub(crate) fn insert(&mut self, member: &[u8], score: f64) -> bool {
        let score = if score == 0.0 { 0.0 } else { score };
        let is_new = match self.scores.insert(member.to_vec(), score) {
            Some(old) => {
                self.by_score.remove(&(Score(old), member.to_vec()));
                false
            }
            None => true,
        };
        self.by_score.insert((Score(score), member.to_vec()));
        is_new
    }

    /// Removes `member`; tells whether it was there.
    pub(crate) fn remove(&mut self, member: &[u8]) -> bool {
        match self.scores.remove(member) {
            Some(old) => {
                self.by_score.remove(&(Score(old), member.to_vec()));
                true
            }
            None => false,
        }
    }

    /// The 0-based rank of `member` in ascending order.
    pub(crate) fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = self.score(member)?;
        Some(
            self.by_score
                .range(..(Score(score), member.to_vec()))
                .count(),
        )
    }

    /// Members and scores in ascending order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (&[u8], f64)> {
        self.by_score
            .iter()
            .map(|(score, member)| (member.as_slice(), score.0))
    }

    /// Members whose score lies within `min..max`, ascending.
    pub(crate) fn range_by_score(
        &self,
        min: ScoreBound,
        max: ScoreBound,
    ) -> impl DoubleEndedIterator<Item = (&[u8], f64)> {
        let lower = if min.exclusive {
            if min.value == f64::INFINITY {
                Bound::Excluded((Score(f64::INFINITY), Vec::new()))
            } else {
                Bound::Included((Score(next_up(min.value)), Vec::new()))
            }
        } else if min.value == f64::NEG_INFINITY {
            Bound::Unbounded
        } else {
            Bound::Included((Score(min.value), Vec::new()))
        };
        let upper = if max.exclusive {
            Bound::Excluded((Score(max.value), Vec::new()))
        } else if max.value == f64::INFINITY {
            Bound::Unbounded
        } else {
            Bound::Excluded((Score(next_up(max.value)), Vec::new()))
        };
        let empty = min.value > max.value
            || (min.value == max.value && (min.exclusive || max.exclusive))
            || (min.exclusive && min.value == f64::INFINITY);
        let range = if empty {
            self.by_score.range::<(Score, Vec<u8>), _>((
                Bound::Unbounded,
                Bound::Excluded((Score(f64::NEG_INFINITY), Vec::new())),
            ))
        } else {
            self.by_score.range((lower, upper))
        };
        range.map(|(score, member)| (member.as_slice(), score.0))
    }
}

#[cfg(test)]
mod tests {
    use super::{ScoreBound, ZSet};

    #[test]
    fn orders_by_score_then_member_and_ranges_respect_exclusive_ends() {
        let mut zset = ZSet::new();
        for (member, score) in [("b", 1.0), ("a", 1.0), ("c", 2.0), ("d", f64::INFINITY)] {
            zset.insert(member.as_bytes(), score);
        }
        let order: Vec<_> = zset.iter().map(|(m, _)| m.to_vec()).collect();
        assert_eq!(
            order,
            [b"a".to_vec(), b"b".to_vec(), b"c".to_vec(), b"d".to_vec()]
        );
        assert_eq!(zset.rank(b"c"), Some(2));
        let bound = |value, exclusive| ScoreBound { value, exclusive };
        assert_eq!(
            zset.range_by_score(bound(1.0, true), bound(f64::INFINITY, false))
                .count(),
            2
        );
        assert_eq!(
            zset.range_by_score(bound(1.0, false), bound(2.0, true))
                .count(),
            2
        );
        assert_eq!(
            zset.range_by_score(bound(3.0, false), bound(1.0, false))
                .count(),
            0
        );
        assert_eq!(
            zset.range_by_score(bound(f64::INFINITY, true), bound(f64::INFINITY, false))
                .count(),
            0
        );
    }
}
