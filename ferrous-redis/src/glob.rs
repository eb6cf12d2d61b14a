//! Glob matching exactly as Redis's `stringmatchlen` (`KEYS`, `SCAN ... MATCH`, `FUNCTION LIST
//! LIBRARYNAME`): `*`, `?`, `[abc]`, `[^a-z]`, `\x`.
//!
//! This is a port (its recursion at `*` replaced by a loop, checked against the recursive port
//! in the tests), including how Redis reads one byte past the end of a pattern
//! (a NUL there): [`at`] answers 0 beyond the end, so odd patterns such as `[a` or a trailing
//! `\` behave as in Redis.

/// The byte at `idx`, or 0 past either end (Redis's strings are NUL-terminated).
fn at(bytes: &[u8], idx: usize) -> u8 {
    bytes.get(idx).copied().unwrap_or(0)
}

/// Whether `string` matches the glob `pattern` (case-sensitive).
///
/// Redis recurses at each `*`; its `skipLongerMatches` makes only the latest `*` ever try a
/// longer match (a `*` whose rest fails everywhere fails the whole match), so this loop keeps
/// just that `*`'s resume point instead: no recursion, whatever the pattern.
pub(crate) fn glob_match(pattern: &[u8], string: &[u8]) -> bool {
    let (mut p, mut si) = (0, 0);
    // The pattern index after the latest `*`, and the string index its rest was tried at.
    let mut resume: Option<(usize, usize)> = None;
    loop {
        match run(pattern, p, string, si) {
            Run::Matched => return true,
            Run::Star { after, at } => {
                resume = Some((after, at));
                (p, si) = (after, at);
            }
            Run::Failed => match resume {
                // A `*` tries its rest at each position that leaves some string.
                Some((after, at)) if at + 1 < string.len() => {
                    resume = Some((after, at + 1));
                    (p, si) = (after, at + 1);
                }
                _ => return false,
            },
        }
    }
}

/// How a run of the pattern from a position ended.
enum Run {
    Matched,
    Failed,
    /// A `*` (not the last character of the pattern) was reached with string left: its rest
    /// starts at `after` and is tried from `at` on.
    Star {
        after: usize,
        at: usize,
    },
}

/// One pass of `stringmatchlen_impl`'s loop from `p` and `si`, up to the end or the next `*`.
fn run(pat: &[u8], mut p: usize, s: &[u8], mut si: usize) -> Run {
    let mut plen = pat.len().saturating_sub(p);
    let mut slen = s.len().saturating_sub(si);
    while plen > 0 && slen > 0 {
        match at(pat, p) {
            b'*' => {
                while plen > 0 && at(pat, p + 1) == b'*' {
                    p += 1;
                    plen -= 1;
                }
                if plen == 1 {
                    return Run::Matched;
                }
                return Run::Star {
                    after: p + 1,
                    at: si,
                };
            }
            b'?' => {
                si += 1;
                slen -= 1;
            }
            b'[' => {
                p += 1;
                plen -= 1;
                let not = at(pat, p) == b'^';
                if not {
                    p += 1;
                    plen = plen.saturating_sub(1);
                }
                let mut matched = false;
                let c = at(s, si);
                loop {
                    if at(pat, p) == b'\\' && plen >= 2 {
                        p += 1;
                        plen -= 1;
                        if at(pat, p) == c {
                            matched = true;
                        }
                    } else if at(pat, p) == b']' {
                        break;
                    } else if plen == 0 {
                        p -= 1;
                        plen += 1;
                        break;
                    } else if plen >= 3 && at(pat, p + 1) == b'-' {
                        let (mut start, mut end) = (at(pat, p), at(pat, p + 2));
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        p += 2;
                        plen -= 2;
                        if c >= start && c <= end {
                            matched = true;
                        }
                    } else if at(pat, p) == c {
                        matched = true;
                    }
                    p += 1;
                    plen -= 1;
                }
                if not {
                    matched = !matched;
                }
                if !matched {
                    return Run::Failed;
                }
                si += 1;
                slen -= 1;
            }
            first => {
                let mut lit = first;
                if first == b'\\' && plen >= 2 {
                    p += 1;
                    plen -= 1;
                    lit = at(pat, p);
                }
                if lit != at(s, si) {
                    return Run::Failed;
                }
                si += 1;
                slen -= 1;
            }
        }
        p += 1;
        plen -= 1;
        if slen == 0 {
            while at(pat, p) == b'*' && plen > 0 {
                p += 1;
                plen -= 1;
            }
            break;
        }
    }
    if plen == 0 && slen == 0 {
        Run::Matched
    } else {
        Run::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::{at, glob_match};

    /// The recursive port of `stringmatchlen_impl` this module replaced, for comparison.
    fn reference_match(pattern: &[u8], string: &[u8]) -> bool {
        let mut skip_longer = false;
        reference_impl(pattern, 0, string, 0, &mut skip_longer)
    }

    fn reference_impl(
        pat: &[u8],
        mut p: usize,
        s: &[u8],
        mut si: usize,
        skip_longer: &mut bool,
    ) -> bool {
        let mut plen = pat.len().saturating_sub(p);
        let mut slen = s.len().saturating_sub(si);
        while plen > 0 && slen > 0 {
            match at(pat, p) {
                b'*' => {
                    while plen > 0 && at(pat, p + 1) == b'*' {
                        p += 1;
                        plen -= 1;
                    }
                    if plen == 1 {
                        return true;
                    }
                    while slen > 0 {
                        if reference_impl(&pat[..p + plen], p + 1, &s[..si + slen], si, skip_longer)
                        {
                            return true;
                        }
                        if *skip_longer {
                            return false;
                        }
                        si += 1;
                        slen -= 1;
                    }
                    *skip_longer = true;
                    return false;
                }
                b'?' => {
                    si += 1;
                    slen -= 1;
                }
                b'[' => {
                    p += 1;
                    plen -= 1;
                    let not = at(pat, p) == b'^';
                    if not {
                        p += 1;
                        plen = plen.saturating_sub(1);
                    }
                    let mut matched = false;
                    let c = at(s, si);
                    loop {
                        if at(pat, p) == b'\\' && plen >= 2 {
                            p += 1;
                            plen -= 1;
                            if at(pat, p) == c {
                                matched = true;
                            }
                        } else if at(pat, p) == b']' {
                            break;
                        } else if plen == 0 {
                            p -= 1;
                            plen += 1;
                            break;
                        } else if plen >= 3 && at(pat, p + 1) == b'-' {
                            let (mut start, mut end) = (at(pat, p), at(pat, p + 2));
                            if start > end {
                                std::mem::swap(&mut start, &mut end);
                            }
                            p += 2;
                            plen -= 2;
                            if c >= start && c <= end {
                                matched = true;
                            }
                        } else if at(pat, p) == c {
                            matched = true;
                        }
                        p += 1;
                        plen -= 1;
                    }
                    if not {
                        matched = !matched;
                    }
                    if !matched {
                        return false;
                    }
                    si += 1;
                    slen -= 1;
                }
                first => {
                    let mut lit = first;
                    if first == b'\\' && plen >= 2 {
                        p += 1;
                        plen -= 1;
                        lit = at(pat, p);
                    }
                    if lit != at(s, si) {
                        return false;
                    }
                    si += 1;
                    slen -= 1;
                }
            }
            p += 1;
            plen -= 1;
            if slen == 0 {
                while at(pat, p) == b'*' && plen > 0 {
                    p += 1;
                    plen -= 1;
                }
                break;
            }
        }
        plen == 0 && slen == 0
    }

    #[test]
    fn the_loop_matches_the_recursive_port() {
        let alphabet = b"ab*?[]^-\\";
        let mut state = 0x1234_5678_9abc_def1_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let plen = (next() % 9) as usize;
            let pattern: Vec<u8> = (0..plen)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let slen = (next() % 8) as usize;
            let string: Vec<u8> = (0..slen).map(|_| b"ab-]"[(next() % 4) as usize]).collect();
            assert_eq!(
                glob_match(&pattern, &string),
                reference_match(&pattern, &string),
                "{:?} {:?}",
                String::from_utf8_lossy(&pattern),
                String::from_utf8_lossy(&string)
            );
        }
    }

    #[test]
    fn long_patterns_do_not_recurse() {
        let string = vec![b'a'; 200_000];
        let pattern = b"*a".repeat(100_000);
        assert!(glob_match(&pattern, &string));
        let mut failing = pattern.clone();
        failing.push(b'b');
        assert!(!glob_match(&failing, &string));
    }

    #[test]
    fn matches_like_redis() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "anything", true),
            ("*", "", false),
            ("h?llo", "hello", true),
            ("h?llo", "hllo", false),
            ("h*llo", "heeeello", true),
            ("h[ae]llo", "hallo", true),
            ("h[^e]llo", "hello", false),
            ("h[a-b]llo", "hbllo", true),
            ("h[b-a]llo", "hallo", true),
            ("h\\*llo", "h*llo", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("[a", "a", true),
            ("abc", "ab", false),
            ("ab*", "ab", true),
            ("", "", true),
        ];
        for &(pattern, string, expected) in cases {
            assert_eq!(
                glob_match(pattern.as_bytes(), string.as_bytes()),
                expected,
                "{pattern} {string}"
            );
        }
    }
}
