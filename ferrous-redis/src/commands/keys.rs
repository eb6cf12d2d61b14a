//! Key positions of an argv: Redis 7.0's `getKeysFromCommand` (`db.c`).
//!
//! A command with a getkeys procedure uses it (EVAL's numkeys, ZUNIONSTORE's destination,
//! XREAD's `STREAMS`, SORT's `STORE`, MIGRATE's `KEYS`, GEORADIUS's `STORE`); every other command
//! uses its legacy first/last/step range. [`KeyPositions`] yields the indices in Redis's order
//! (numkeys keys first, then the destination). Like Redis, malformed input (a bad numkeys, an odd
//! `STREAMS` tail) yields no keys, leaving the error to the command; nothing here panics or
//! allocates.

use super::{CommandSpec, KeyFinder};

/// The argv indices holding keys: an ascending stepped range, then possibly one more index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPositions {
    /// The next index of the range.
    next: usize,
    /// One past the last index of the range.
    end: usize,
    /// The step of the range (at least 1).
    step: usize,
    /// An index yielded after the range (a destination key).
    extra: Option<usize>,
}

impl KeyPositions {
    /// No keys.
    fn none() -> KeyPositions {
        KeyPositions::range(0, 0, 1)
    }

    /// `start, start + step, ...` below `end`.
    fn range(start: usize, end: usize, step: usize) -> KeyPositions {
        KeyPositions {
            next: start,
            end,
            step: step.max(1),
            extra: None,
        }
    }
}

impl Iterator for KeyPositions {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.next < self.end {
            let pos = self.next;
            self.next = self.next.saturating_add(self.step);
            Some(pos)
        } else {
            self.extra.take()
        }
    }
}

/// The argv indices of the keys `argv` names (`argv[0]` is the command name), in Redis's order.
///
/// `spec` should be what [`super::resolve`] found for this argv; an argv shorter than the
/// command's arity yields what Redis's procedures would (usually no keys) without panicking.
pub fn keys_of<A: AsRef<[u8]>>(spec: &CommandSpec, argv: &[A]) -> KeyPositions {
    let argc = argv.len();
    match spec.keys {
        KeyFinder::Range => legacy_range(spec, argc),
        KeyFinder::NumKeys {
            store,
            count,
            first,
        } => num_keys(
            argv,
            usize::from(store),
            usize::from(count),
            usize::from(first),
        ),
        KeyFinder::Sort => sort_keys(argv),
        KeyFinder::Migrate => migrate_keys(argv),
        KeyFinder::GeoRadius => georadius_keys(argv),
        KeyFinder::XRead => xread_keys(argv),
    }
}

/// `getKeysUsingLegacyRangeSpec`.
fn legacy_range(spec: &CommandSpec, argc: usize) -> KeyPositions {
    let (Ok(first), Ok(step)) = (
        usize::try_from(spec.first_key),
        usize::try_from(spec.key_step),
    ) else {
        return KeyPositions::none();
    };
    if first == 0 || step == 0 {
        return KeyPositions::none();
    }
    let last = i64::from(spec.last_key);
    let last = if last < 0 {
        i64::try_from(argc).unwrap_or(i64::MAX) + last
    } else {
        last
    };
    let Ok(last) = usize::try_from(last) else {
        return KeyPositions::none();
    };
    KeyPositions::range(first, last.saturating_add(1).min(argc), step)
}

/// `genericGetKeys(store, count, first, 1)`: `num` keys from `first` when
/// `1 <= num <= argc - first`, then the destination.
fn num_keys<A: AsRef<[u8]>>(argv: &[A], store: usize, count: usize, first: usize) -> KeyPositions {
    let Some(count_arg) = argv.get(count) else {
        return KeyPositions::none();
    };
    let num = i64::from(atoi(count_arg.as_ref()));
    let room = i64::try_from(argv.len()).unwrap_or(i64::MAX) - i64::try_from(first).unwrap_or(0);
    let Ok(num) = usize::try_from(num) else {
        return KeyPositions::none();
    };
    if num < 1 || i64::try_from(num).unwrap_or(i64::MAX) > room {
        return KeyPositions::none();
    }
    let mut keys = KeyPositions::range(first, first + num, 1);
    keys.extra = (store != 0).then_some(store);
    keys
}

/// `sortGetKeys`: the sorted key, then the last `STORE` destination.
fn sort_keys<A: AsRef<[u8]>>(argv: &[A]) -> KeyPositions {
    let argc = argv.len();
    let mut store = None;
    let mut i = 2;
    while let Some(arg) = argv.get(i) {
        let arg = arg.as_ref();
        // The order of `sortGetKeys`' skip list loop: limit, (store), get, by.
        if c_eq(arg, b"limit") {
            i += 2;
        } else if c_eq(arg, b"store") && i + 1 < argc {
            store = Some(i + 1);
        } else if c_eq(arg, b"get") || c_eq(arg, b"by") {
            i += 1;
        }
        i += 1;
    }
    let mut keys = KeyPositions::range(1, argc.min(2), 1);
    keys.extra = store;
    keys
}

/// `migrateGetKeys`: `argv[3]`, or everything after `KEYS` when `argv[3]` is empty.
fn migrate_keys<A: AsRef<[u8]>>(argv: &[A]) -> KeyPositions {
    let argc = argv.len();
    let (mut first, mut num) = (3, 1);
    if argc > 6 {
        let mut i = 6;
        while let Some(arg) = argv.get(i) {
            let arg = arg.as_ref();
            if c_eq(arg, b"keys") {
                if argv.get(3).is_some_and(|key| !key.as_ref().is_empty()) {
                    num = 0;
                } else {
                    first = i + 1;
                    num = argc - first;
                }
                break;
            }
            if c_eq(arg, b"auth") {
                i += 1;
            } else if c_eq(arg, b"auth2") {
                i += 2;
            }
            i += 1;
        }
    }
    KeyPositions::range(first, first + num, 1)
}

/// `georadiusGetKeys`: the key, then the last `STORE`/`STOREDIST` destination.
fn georadius_keys<A: AsRef<[u8]>>(argv: &[A]) -> KeyPositions {
    let argc = argv.len();
    let mut stored = None;
    let mut i = 5;
    while let Some(arg) = argv.get(i) {
        let arg = arg.as_ref();
        if (c_eq(arg, b"store") || c_eq(arg, b"storedist")) && i + 1 < argc {
            stored = Some(i + 1);
            i += 1;
        }
        i += 1;
    }
    let mut keys = KeyPositions::range(1, argc.min(2), 1);
    keys.extra = stored;
    keys
}

/// `xreadGetKeys`: the first half of the arguments after `STREAMS`.
fn xread_keys<A: AsRef<[u8]>>(argv: &[A]) -> KeyPositions {
    let argc = argv.len();
    let mut streams = None;
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        let arg = arg.as_ref();
        if c_eq(arg, b"block") || c_eq(arg, b"count") {
            i += 1;
        } else if c_eq(arg, b"group") {
            i += 2;
        } else if c_eq(arg, b"streams") {
            streams = Some(i);
            break;
        } else if !c_eq(arg, b"noack") {
            break;
        }
        i += 1;
    }
    let Some(streams) = streams else {
        return KeyPositions::none();
    };
    let num = argc - streams - 1;
    if num == 0 || num % 2 != 0 {
        return KeyPositions::none();
    }
    KeyPositions::range(streams + 1, streams + 1 + num / 2, 1)
}

/// C's `!strcasecmp(arg, word)`: the argument is read up to its first NUL.
fn c_eq(arg: &[u8], word: &[u8]) -> bool {
    let end = arg.iter().position(|&b| b == 0).unwrap_or(arg.len());
    arg.get(..end)
        .is_some_and(|arg| arg.eq_ignore_ascii_case(word))
}

/// C's `atoi` as glibc has it, `(int)strtol(s, NULL, 10)`: leading white space, a sign, digits up
/// to the first other byte (or NUL), clamped to the `long` range, then truncated to `int`.
pub(crate) fn atoi(bytes: &[u8]) -> i32 {
    let mut rest = bytes
        .iter()
        .skip_while(|&&b| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .peekable();
    let negative = match rest.peek() {
        Some(b'-') => {
            rest.next();
            true
        }
        Some(b'+') => {
            rest.next();
            false
        }
        _ => false,
    };
    let mut value: i64 = 0;
    for &b in rest.take_while(|b| b.is_ascii_digit()) {
        let digit = i64::from(b - b'0');
        value = if negative {
            value.saturating_mul(10).saturating_sub(digit)
        } else {
            value.saturating_mul(10).saturating_add(digit)
        };
    }
    // The truncation of `(int)` on a `long`, as gcc does it on x86-64.
    value as i32
}
