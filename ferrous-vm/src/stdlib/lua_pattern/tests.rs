//! Unit tests for `lua_pattern.rs`: case tables checked against lua5.1.
//!
//! Expected outputs were produced by running `lua5.1` (5.1.5) on each case; values are joined
//! with `|`, gmatch iterations with `;`, errors start with `ERR `.

use super::*;

const FUEL: u64 = 1 << 40;

fn join(parts: &[Vec<u8>], sep: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        out.extend_from_slice(part);
    }
    out
}

fn capture_bytes(
    subject: &[u8],
    matcher: &PatternMatcher,
    m: &Match,
    i: usize,
) -> Result<Vec<u8>, PatternError> {
    Ok(match matcher.capture(m, i)? {
        Capture::Bytes(range) => subject[range].to_vec(),
        Capture::Position(pos) => pos.to_string().into_bytes(),
    })
}

/// The values string.find (`find`) or string.match return for a match.
fn values(
    subject: &[u8],
    matcher: &PatternMatcher,
    m: &Match,
    find: bool,
) -> Result<Vec<u8>, PatternError> {
    let mut parts = Vec::new();
    if find {
        parts.push((m.start + 1).to_string().into_bytes());
        parts.push(m.end.to_string().into_bytes());
        for i in 0..m.level() {
            parts.push(capture_bytes(subject, matcher, m, i)?);
        }
    } else {
        for i in 0..m.n_values() {
            parts.push(capture_bytes(subject, matcher, m, i)?);
        }
    }
    Ok(join(&parts, b'|'))
}

fn render(res: Result<Vec<u8>, PatternError>) -> Vec<u8> {
    res.unwrap_or_else(|err| format!("ERR {err}").into_bytes())
}

fn find(subject: &[u8], pattern: &[u8], init: i64, plain: bool) -> Vec<u8> {
    let mut fuel = FUEL;
    let mut matcher = PatternMatcher::new();
    let res = matcher
        .find(
            subject,
            pattern,
            start_index(init, subject.len()),
            plain,
            &mut fuel,
        )
        .and_then(|m| m.map_or(Ok(b"nil".to_vec()), |m| values(subject, &matcher, &m, true)));
    render(res)
}

fn str_match(subject: &[u8], pattern: &[u8]) -> Vec<u8> {
    let mut fuel = FUEL;
    let mut matcher = PatternMatcher::new();
    let res = matcher
        .match_pattern(subject, pattern, 0, &mut fuel)
        .and_then(|m| {
            m.map_or(Ok(b"nil".to_vec()), |m| {
                values(subject, &matcher, &m, false)
            })
        });
    render(res)
}

fn gmatch(subject: &[u8], pattern: &[u8]) -> Vec<u8> {
    let mut fuel = FUEL;
    let mut matcher = PatternMatcher::new();
    let mut pos = 0;
    let mut iterations = Vec::new();
    for _ in 0..30 {
        match matcher.gmatch_next(subject, pattern, &mut pos, &mut fuel) {
            Ok(Some(m)) => match values(subject, &matcher, &m, false) {
                Ok(v) => iterations.push(v),
                Err(err) => return render(Err(err)),
            },
            Ok(None) => break,
            Err(err) => return render(Err(err)),
        }
    }
    join(&iterations, b';')
}

fn gsub(subject: &[u8], pattern: &[u8], repl: &[u8], max: Option<i64>) -> Vec<u8> {
    let mut fuel = FUEL;
    let mut matcher = PatternMatcher::new();
    let mut state = GsubState::new();
    let mut out = Vec::new();
    let max = max.unwrap_or(subject.len() as i64 + 1);
    let mut n = 0;
    while n < max {
        match matcher.gsub_next(subject, pattern, &mut state, &mut out, &mut fuel) {
            Ok(Some(m)) => {
                n += 1;
                if let Err(err) = expand_replacement(repl, subject, &m, &matcher, &mut out) {
                    return render(Err(err));
                }
            }
            Ok(None) => break,
            Err(err) => return render(Err(err)),
        }
    }
    state.finish(subject, &mut out);
    out.push(b'|');
    out.extend_from_slice(n.to_string().as_bytes());
    out
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn patterns_match_lua51() {
    for &(subject, pattern, init, found, found_init, matched, gmatched, replaced) in PATTERN_CASES {
        let ctx = format!("subject {:?} pattern {:?}", show(subject), show(pattern));
        assert_eq!(
            show(&find(subject, pattern, 1, false)),
            show(found),
            "find: {ctx}"
        );
        assert_eq!(
            show(&find(subject, pattern, init, false)),
            show(found_init),
            "find init {init}: {ctx}"
        );
        assert_eq!(
            show(&str_match(subject, pattern)),
            show(matched),
            "match: {ctx}"
        );
        assert_eq!(
            show(&gmatch(subject, pattern)),
            show(gmatched),
            "gmatch: {ctx}"
        );
        assert_eq!(
            gsub(subject, pattern, b"<%0>", None),
            replaced,
            "gsub: {ctx}"
        );
    }
}

#[test]
fn find_init_and_plain_match_lua51() {
    for &(subject, pattern, init, plain, expected) in FIND_CASES {
        assert_eq!(
            show(&find(subject, pattern, init, plain)),
            show(expected),
            "find({:?}, {:?}, {init}, {plain})",
            show(subject),
            show(pattern)
        );
    }
}

#[test]
fn gsub_matches_lua51() {
    for &(subject, pattern, repl, max, expected) in GSUB_CASES {
        assert_eq!(
            gsub(subject, pattern, repl, max),
            expected,
            "gsub({:?}, {:?}, {:?}, {max:?})",
            show(subject),
            show(pattern),
            show(repl)
        );
    }
}

#[test]
fn error_texts_are_lua51s() {
    assert_eq!(
        PatternError::EndsWithPercent.to_string(),
        "malformed pattern (ends with '%')"
    );
    assert_eq!(
        PatternError::MissingBracket.to_string(),
        "malformed pattern (missing ']')"
    );
    assert_eq!(
        PatternError::MissingFrontierBracket.to_string(),
        "missing '[' after '%f' in pattern"
    );
    assert_eq!(PatternError::Unbalanced.to_string(), "unbalanced pattern");
    assert_eq!(
        PatternError::InvalidCaptureIndex.to_string(),
        "invalid capture index"
    );
    assert_eq!(
        PatternError::InvalidPatternCapture.to_string(),
        "invalid pattern capture"
    );
    assert_eq!(
        PatternError::UnfinishedCapture.to_string(),
        "unfinished capture"
    );
    assert_eq!(
        PatternError::TooManyCaptures.to_string(),
        "too many captures"
    );
    assert_eq!(PatternError::TooComplex.to_string(), "pattern too complex");
}

#[test]
fn capture_limit_is_32() {
    assert_eq!(
        str_match(b"abc", &b"()".repeat(32)),
        b"1|"
            .repeat(31)
            .into_iter()
            .chain(*b"1")
            .collect::<Vec<_>>()
    );
    assert_eq!(
        show(&str_match(b"abc", &b"()".repeat(33))),
        "ERR too many captures"
    );
    assert_eq!(
        show(&str_match(b"aaa", &b"(".repeat(40))),
        "ERR too many captures"
    );
}

#[test]
fn has_specials_stops_at_nul() {
    assert!(has_specials(b"a."));
    assert!(!has_specials(b"abc"));
    assert!(!has_specials(b"a\0."));
    assert!(!has_specials(b"a)]"));
}

#[test]
fn start_index_is_posrelat_clamped() {
    assert_eq!(start_index(1, 3), 0);
    assert_eq!(start_index(0, 3), 0);
    assert_eq!(start_index(-1, 3), 2);
    assert_eq!(start_index(-100, 3), 0);
    assert_eq!(start_index(10, 3), 3);
    assert_eq!(start_index(i64::MIN, 3), 0);
    assert_eq!(start_index(i64::MAX, 3), 3);
}

#[test]
fn deep_patterns_do_not_overflow_the_stack() {
    let subject = vec![b'a'; 100_000];
    let pattern = b"a?".repeat(100_000);
    let mut fuel = FUEL;
    let m = PatternMatcher::new()
        .match_pattern(&subject, &pattern, 0, &mut fuel)
        .expect("no error");
    assert_eq!(m.map(|m| (m.start, m.end)), Some((0, 100_000)));
    // Backtracking through all of them: one fewer 'a' than optional items, then a 'b'.
    let subject = vec![b'a'; 20_000];
    let mut pattern = b"a?".repeat(20_000);
    pattern.extend_from_slice(b"a$");
    let m = PatternMatcher::new()
        .match_pattern(&subject, &pattern, 0, &mut fuel)
        .expect("no error");
    assert_eq!(m.map(|m| (m.start, m.end)), Some((0, 20_000)));
}

#[test]
fn too_deep_patterns_fail_with_too_complex() {
    let subject = vec![b'a'; MAX_BACKTRACK + 10];
    let pattern = b"a?".repeat(MAX_BACKTRACK + 10);
    let mut fuel = FUEL;
    let res = PatternMatcher::new().match_pattern(&subject, &pattern, 0, &mut fuel);
    assert_eq!(res.map(|m| m.is_some()), Err(PatternError::TooComplex));
}

#[test]
fn pathological_searches_run_out_of_fuel() {
    let subject = vec![b'a'; 1_000_000];
    for pattern in [&b".-.-.-.-b"[..], b"(.-)(.-)(.-)b", b"a*a*a*a*b", b"(a*)*b"] {
        let mut fuel = 5_000_000;
        let res = PatternMatcher::new().find(&subject, pattern, 0, false, &mut fuel);
        assert_eq!(
            res.map(|m| m.is_some()),
            Err(PatternError::FuelExhausted),
            "{}",
            show(pattern)
        );
        assert_eq!(fuel, 0);
    }
    let mut needle = vec![b'a'; 1000];
    needle.push(b'b');
    let mut fuel = 1_000_000;
    let res = PatternMatcher::new().find(&subject, &needle, 0, true, &mut fuel);
    assert_eq!(res.map(|m| m.is_some()), Err(PatternError::FuelExhausted));
}

#[test]
fn large_subjects_match_linearly() {
    let mut subject = vec![b'a'; 1_000_000];
    subject.push(b'b');
    let mut fuel = FUEL;
    let m = PatternMatcher::new()
        .find(&subject, b".-b", 0, false, &mut fuel)
        .expect("no error");
    assert_eq!(m.map(|m| (m.start, m.end)), Some((0, 1_000_001)));
    let spent = FUEL - fuel;
    assert!(spent < 4_000_000, "spent {spent}");
    let m = PatternMatcher::new()
        .find(&subject, b"(%a*)$", 0, false, &mut fuel)
        .expect("no error");
    assert_eq!(m.map(|m| (m.start, m.end)), Some((0, 1_000_001)));
    let m = PatternMatcher::new()
        .find(&subject, b"ab", 0, true, &mut fuel)
        .expect("no error");
    assert_eq!(m.map(|m| m.start), Some(999_999));
    let m = PatternMatcher::new()
        .find(&subject, b"b", 0, false, &mut fuel)
        .expect("no error");
    assert_eq!(m.map(|m| m.start), Some(1_000_000));
}

#[test]
fn gsub_state_survives_between_steps() {
    let subject = b"one two three";
    let mut matcher = PatternMatcher::new();
    let mut state = GsubState::new();
    let mut out = Vec::new();
    let mut fuel = FUEL;
    let mut words = Vec::new();
    while let Some(m) = matcher
        .gsub_next(subject, b"%a+", &mut state, &mut out, &mut fuel)
        .expect("no error")
    {
        words.push(subject[m.start..m.end].to_vec());
        out.extend_from_slice(b"X");
    }
    state.finish(subject, &mut out);
    assert_eq!(out, b"X X X");
    assert_eq!(words, [b"one".to_vec(), b"two".to_vec(), b"three".to_vec()]);
}

/// (subject, pattern, init, find, find from init, match, gmatch, gsub with "<%0>")
type PatternCase = (
    &'static [u8],
    &'static [u8],
    i64,
    &'static [u8],
    &'static [u8],
    &'static [u8],
    &'static [u8],
    &'static [u8],
);

#[rustfmt::skip]
const PATTERN_CASES: &[PatternCase] = &[
    (b"", b"", 0, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"a", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"^a", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"a$", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"^$", -1, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b".", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b".-", 1, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b".*", 2, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"a*", -2, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"a+", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"a-", 0, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"a?", 1, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"%a+", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%d+", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%s*", -1, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"%w+", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%p", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%x+", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%u", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%l+", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%c", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%z", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%S+", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%A", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[abc]", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[^abc]+", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[a-c]+", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[%a_][%w_]*", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[]]", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[^]]", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[a-]", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[-a]", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[%]]", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(a)", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(a)(b)", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"()a()", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(%a+)%s*=%s*(%a+)", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%((%a+)%)", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%b()", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%b[]", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%bxy", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%f[%a]%a+", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%f[%A]", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%f[%z]", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%f[^%z]", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(.)%1", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(a*(.)%w(%s*))", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(h)(e)(l)(l)(o)", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"a.-b", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"^(%s*)(.-)(%s*)$", -1, b"1|0|||", b"1|0|||", b"||", b"", b"<>|1"),
    (b"", b"[%s,]+", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(%d+)", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%d*", 2, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"(x?)", -2, b"1|0|", b"1|0|", b"", b"", b"<>|1"),
    (b"", b"^(.)", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b".-$", 0, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"[%d%s]", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%.", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%%", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%-", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[%-]", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"a%", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[a", 2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"", b"(a", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"a)", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%1", 0, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"", b"(%1)", 1, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"", b"%b", 2, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"", b"%ba", -2, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"", b"%f", -1, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"", b"%fa", 0, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"", b"[^", 1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"", b"[a-%%]", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[%a-z]", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"x*$", -1, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"(()())", 0, b"1|0||1|1", b"1|0||1|1", b"|1|1", b"|1|1", b"<>|1"),
    (b"", b"^.-%f[%w]", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"%$", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"$$", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"^^", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"b*$", 0, b"1|0", b"1|0", b"", b"", b"<>|1"),
    (b"", b"[^\x00]", 1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"", b"a\x00b", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b".\x00", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(.-)%s", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"[a-c-e]", 0, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"n", 1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"an", 2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"(an)+", -2, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"", b"a(n?)a", -1, b"nil", b"nil", b"nil", b"", b"|0"),
    (b"a", b"", 1, b"1|0", b"1|0", b"", b";", b"<>a<>|2"),
    (b"a", b"a", 2, b"1|1", b"nil", b"a", b"a", b"<a>|1"),
    (b"a", b"^a", -2, b"1|1", b"1|1", b"a", b"", b"<a>|1"),
    (b"a", b"a$", -1, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"^$", 0, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b".", 1, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b".-", 2, b"1|0", b"2|1", b"", b";", b"<>a<>|2"),
    (b"a", b".*", -2, b"1|1", b"1|1", b"a", b"a;", b"<a><>|2"),
    (b"a", b"a*", -1, b"1|1", b"1|1", b"a", b"a;", b"<a><>|2"),
    (b"a", b"a+", 0, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"a-", 1, b"1|0", b"1|0", b"", b";", b"<>a<>|2"),
    (b"a", b"a?", 2, b"1|1", b"2|1", b"a", b"a;", b"<a><>|2"),
    (b"a", b"%a+", -2, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"%d+", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%s*", 0, b"1|0", b"1|0", b"", b";", b"<>a<>|2"),
    (b"a", b"%w+", 1, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"%p", 2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%x+", -2, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"%u", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%l+", 0, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"%c", 1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%z", 2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%S+", -2, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"%A", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"[abc]", 0, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"[^abc]+", 1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"[a-c]+", 2, b"1|1", b"nil", b"a", b"a", b"<a>|1"),
    (b"a", b"[%a_][%w_]*", -2, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"[]]", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"[^]]", 0, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"[a-]", 1, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"[-a]", 2, b"1|1", b"nil", b"a", b"a", b"<a>|1"),
    (b"a", b"[%]]", -2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"(a)", -1, b"1|1|a", b"1|1|a", b"a", b"a", b"<a>|1"),
    (b"a", b"(a)(b)", 0, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"()a()", 1, b"1|1|1|2", b"1|1|1|2", b"1|2", b"1|2", b"<a>|1"),
    (b"a", b"(%a+)%s*=%s*(%a+)", 2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%((%a+)%)", -2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%b()", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%b[]", 0, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%bxy", 1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%f[%a]%a+", 2, b"1|1", b"nil", b"a", b"a", b"<a>|1"),
    (b"a", b"%f[%A]", -2, b"2|1", b"2|1", b"", b"", b"a<>|1"),
    (b"a", b"%f[%z]", -1, b"2|1", b"2|1", b"", b"", b"a<>|1"),
    (b"a", b"%f[^%z]", 0, b"1|0", b"1|0", b"", b"", b"<>a|1"),
    (b"a", b"(.)%1", 1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"(a*(.)%w(%s*))", 2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"(h)(e)(l)(l)(o)", -2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"a.-b", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"^(%s*)(.-)(%s*)$", 0, b"1|1||a|", b"1|1||a|", b"|a|", b"", b"<a>|1"),
    (b"a", b"[%s,]+", 1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"(%d+)", 2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%d*", -2, b"1|0", b"1|0", b"", b";", b"<>a<>|2"),
    (b"a", b"(x?)", -1, b"1|0|", b"1|0|", b"", b";", b"<>a<>|2"),
    (b"a", b"^(.)", 0, b"1|1|a", b"1|1|a", b"a", b"", b"<a>|1"),
    (b"a", b".-$", 1, b"1|1", b"1|1", b"a", b"a;", b"<a><>|2"),
    (b"a", b"[%d%s]", 2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%.", -2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%%", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"%-", 0, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"[%-]", 1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"a%", 2, b"ERR malformed pattern (ends with '%')", b"nil", b"ERR malformed pattern (ends with '%')", b"ERR malformed pattern (ends with '%')", b"ERR malformed pattern (ends with '%')"),
    (b"a", b"[a", -2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"a", b"(a", -1, b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"<a>|1"),
    (b"a", b"a)", 0, b"nil", b"nil", b"ERR invalid pattern capture", b"ERR invalid pattern capture", b"ERR invalid pattern capture"),
    (b"a", b"%1", 1, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"a", b"(%1)", 2, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"a", b"%b", -2, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"a", b"%ba", -1, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"a", b"%f", 0, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"a", b"%fa", 1, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"a", b"[^", 2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"a", b"[a-%%]", -2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"[%a-z]", -1, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"x*$", 0, b"2|1", b"2|1", b"", b"", b"a<>|1"),
    (b"a", b"(()())", 1, b"1|0||1|1", b"1|0||1|1", b"|1|1", b"|1|1;|2|2", b"<>a<>|2"),
    (b"a", b"^.-%f[%w]", 2, b"1|0", b"nil", b"", b"", b"<>a|1"),
    (b"a", b"%$", -2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"$$", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"^^", 0, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"b*$", 1, b"2|1", b"2|1", b"", b"", b"a<>|1"),
    (b"a", b"[^\x00]", 2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"a", b"a\x00b", -2, b"nil", b"nil", b"a", b"a", b"<a>|1"),
    (b"a", b".\x00", -1, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"(.-)%s", 0, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"[a-c-e]", 1, b"1|1", b"1|1", b"a", b"a", b"<a>|1"),
    (b"a", b"n", 2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"an", -2, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"(an)+", -1, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"a", b"a(n?)a", 0, b"nil", b"nil", b"nil", b"", b"a|0"),
    (b"abc", b"", 2, b"1|0", b"2|1", b"", b";;;", b"<>a<>b<>c<>|4"),
    (b"abc", b"a", -2, b"1|1", b"nil", b"a", b"a", b"<a>bc|1"),
    (b"abc", b"^a", -1, b"1|1", b"nil", b"a", b"", b"<a>bc|1"),
    (b"abc", b"a$", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"^$", 1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b".", 2, b"1|1", b"2|2", b"a", b"a;b;c", b"<a><b><c>|3"),
    (b"abc", b".-", -2, b"1|0", b"2|1", b"", b";;;", b"<>a<>b<>c<>|4"),
    (b"abc", b".*", -1, b"1|3", b"3|3", b"abc", b"abc;", b"<abc><>|2"),
    (b"abc", b"a*", 0, b"1|1", b"1|1", b"a", b"a;;;", b"<a><>b<>c<>|4"),
    (b"abc", b"a+", 1, b"1|1", b"1|1", b"a", b"a", b"<a>bc|1"),
    (b"abc", b"a-", 2, b"1|0", b"2|1", b"", b";;;", b"<>a<>b<>c<>|4"),
    (b"abc", b"a?", -2, b"1|1", b"2|1", b"a", b"a;;;", b"<a><>b<>c<>|4"),
    (b"abc", b"%a+", -1, b"1|3", b"3|3", b"abc", b"abc", b"<abc>|1"),
    (b"abc", b"%d+", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%s*", 1, b"1|0", b"1|0", b"", b";;;", b"<>a<>b<>c<>|4"),
    (b"abc", b"%w+", 2, b"1|3", b"2|3", b"abc", b"abc", b"<abc>|1"),
    (b"abc", b"%p", -2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%x+", -1, b"1|3", b"3|3", b"abc", b"abc", b"<abc>|1"),
    (b"abc", b"%u", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%l+", 1, b"1|3", b"1|3", b"abc", b"abc", b"<abc>|1"),
    (b"abc", b"%c", 2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%z", -2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%S+", -1, b"1|3", b"3|3", b"abc", b"abc", b"<abc>|1"),
    (b"abc", b"%A", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"[abc]", 1, b"1|1", b"1|1", b"a", b"a;b;c", b"<a><b><c>|3"),
    (b"abc", b"[^abc]+", 2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"[a-c]+", -2, b"1|3", b"2|3", b"abc", b"abc", b"<abc>|1"),
    (b"abc", b"[%a_][%w_]*", -1, b"1|3", b"3|3", b"abc", b"abc", b"<abc>|1"),
    (b"abc", b"[]]", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"[^]]", 1, b"1|1", b"1|1", b"a", b"a;b;c", b"<a><b><c>|3"),
    (b"abc", b"[a-]", 2, b"1|1", b"nil", b"a", b"a", b"<a>bc|1"),
    (b"abc", b"[-a]", -2, b"1|1", b"nil", b"a", b"a", b"<a>bc|1"),
    (b"abc", b"[%]]", -1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"(a)", 0, b"1|1|a", b"1|1|a", b"a", b"a", b"<a>bc|1"),
    (b"abc", b"(a)(b)", 1, b"1|2|a|b", b"1|2|a|b", b"a|b", b"a|b", b"<ab>c|1"),
    (b"abc", b"()a()", 2, b"1|1|1|2", b"nil", b"1|2", b"1|2", b"<a>bc|1"),
    (b"abc", b"(%a+)%s*=%s*(%a+)", -2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%((%a+)%)", -1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%b()", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%b[]", 1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%bxy", 2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%f[%a]%a+", -2, b"1|3", b"nil", b"abc", b"abc", b"<abc>|1"),
    (b"abc", b"%f[%A]", -1, b"4|3", b"4|3", b"", b"", b"abc<>|1"),
    (b"abc", b"%f[%z]", 0, b"4|3", b"4|3", b"", b"", b"abc<>|1"),
    (b"abc", b"%f[^%z]", 1, b"1|0", b"1|0", b"", b"", b"<>abc|1"),
    (b"abc", b"(.)%1", 2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"(a*(.)%w(%s*))", -2, b"1|3|abc|b|", b"2|3|bc|b|", b"abc|b|", b"abc|b|", b"<abc>|1"),
    (b"abc", b"(h)(e)(l)(l)(o)", -1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"a.-b", 0, b"1|2", b"1|2", b"ab", b"ab", b"<ab>c|1"),
    (b"abc", b"^(%s*)(.-)(%s*)$", 1, b"1|3||abc|", b"1|3||abc|", b"|abc|", b"", b"<abc>|1"),
    (b"abc", b"[%s,]+", 2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"(%d+)", -2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%d*", -1, b"1|0", b"3|2", b"", b";;;", b"<>a<>b<>c<>|4"),
    (b"abc", b"(x?)", 0, b"1|0|", b"1|0|", b"", b";;;", b"<>a<>b<>c<>|4"),
    (b"abc", b"^(.)", 1, b"1|1|a", b"1|1|a", b"a", b"", b"<a>bc|1"),
    (b"abc", b".-$", 2, b"1|3", b"2|3", b"abc", b"abc;", b"<abc><>|2"),
    (b"abc", b"[%d%s]", -2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%.", -1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%%", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"%-", 1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"[%-]", 2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"a%", -2, b"ERR malformed pattern (ends with '%')", b"nil", b"ERR malformed pattern (ends with '%')", b"ERR malformed pattern (ends with '%')", b"ERR malformed pattern (ends with '%')"),
    (b"abc", b"[a", -1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"abc", b"(a", 0, b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"<a>bc|1"),
    (b"abc", b"a)", 1, b"nil", b"nil", b"ERR invalid pattern capture", b"ERR invalid pattern capture", b"ERR invalid pattern capture"),
    (b"abc", b"%1", 2, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"abc", b"(%1)", -2, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"abc", b"%b", -1, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"abc", b"%ba", 0, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"abc", b"%f", 1, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"abc", b"%fa", 2, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"abc", b"[^", -2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"abc", b"[a-%%]", -1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"[%a-z]", 0, b"1|1", b"1|1", b"a", b"a;b;c", b"<a><b><c>|3"),
    (b"abc", b"x*$", 1, b"4|3", b"4|3", b"", b"", b"abc<>|1"),
    (b"abc", b"(()())", 2, b"1|0||1|1", b"2|1||2|2", b"|1|1", b"|1|1;|2|2;|3|3;|4|4", b"<>a<>b<>c<>|4"),
    (b"abc", b"^.-%f[%w]", -2, b"1|0", b"nil", b"", b"", b"<>abc|1"),
    (b"abc", b"%$", -1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"$$", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"^^", 1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"b*$", 2, b"4|3", b"4|3", b"", b"", b"abc<>|1"),
    (b"abc", b"[^\x00]", -2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"abc", b"a\x00b", -1, b"nil", b"nil", b"a", b"a", b"<a>bc|1"),
    (b"abc", b".\x00", 0, b"1|1", b"1|1", b"a", b"a;b;c", b"<a><b><c>|3"),
    (b"abc", b"(.-)%s", 1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"[a-c-e]", 2, b"1|1", b"2|2", b"a", b"a;b;c", b"<a><b><c>|3"),
    (b"abc", b"n", -2, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"an", -1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"(an)+", 0, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"abc", b"a(n?)a", 1, b"nil", b"nil", b"nil", b"", b"abc|0"),
    (b"hello world", b"", -2, b"1|0", b"10|9", b"", b";;;;;;;;;;;", b"<>h<>e<>l<>l<>o<> <>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b"a", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"^a", 0, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"a$", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"^$", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b".", -2, b"1|1", b"10|10", b"h", b"h;e;l;l;o; ;w;o;r;l;d", b"<h><e><l><l><o>< ><w><o><r><l><d>|11"),
    (b"hello world", b".-", -1, b"1|0", b"11|10", b"", b";;;;;;;;;;;", b"<>h<>e<>l<>l<>o<> <>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b".*", 0, b"1|11", b"1|11", b"hello world", b"hello world;", b"<hello world><>|2"),
    (b"hello world", b"a*", 1, b"1|0", b"1|0", b"", b";;;;;;;;;;;", b"<>h<>e<>l<>l<>o<> <>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b"a+", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"a-", -2, b"1|0", b"10|9", b"", b";;;;;;;;;;;", b"<>h<>e<>l<>l<>o<> <>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b"a?", -1, b"1|0", b"11|10", b"", b";;;;;;;;;;;", b"<>h<>e<>l<>l<>o<> <>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b"%a+", 0, b"1|5", b"1|5", b"hello", b"hello;world", b"<hello> <world>|2"),
    (b"hello world", b"%d+", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%s*", 2, b"1|0", b"2|1", b"", b";;;;; ;;;;;;", b"<>h<>e<>l<>l<>o< ><>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b"%w+", -2, b"1|5", b"10|11", b"hello", b"hello;world", b"<hello> <world>|2"),
    (b"hello world", b"%p", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%x+", 0, b"2|2", b"2|2", b"e", b"e;d", b"h<e>llo worl<d>|2"),
    (b"hello world", b"%u", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%l+", 2, b"1|5", b"2|5", b"hello", b"hello;world", b"<hello> <world>|2"),
    (b"hello world", b"%c", -2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%z", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%S+", 0, b"1|5", b"1|5", b"hello", b"hello;world", b"<hello> <world>|2"),
    (b"hello world", b"%A", 1, b"6|6", b"6|6", b" ", b" ", b"hello< >world|1"),
    (b"hello world", b"[abc]", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"[^abc]+", -2, b"1|11", b"10|11", b"hello world", b"hello world", b"<hello world>|1"),
    (b"hello world", b"[a-c]+", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"[%a_][%w_]*", 0, b"1|5", b"1|5", b"hello", b"hello;world", b"<hello> <world>|2"),
    (b"hello world", b"[]]", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"[^]]", 2, b"1|1", b"2|2", b"h", b"h;e;l;l;o; ;w;o;r;l;d", b"<h><e><l><l><o>< ><w><o><r><l><d>|11"),
    (b"hello world", b"[a-]", -2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"[-a]", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"[%]]", 0, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"(a)", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"(a)(b)", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"()a()", -2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"(%a+)%s*=%s*(%a+)", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%((%a+)%)", 0, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%b()", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%b[]", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%bxy", -2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%f[%a]%a+", -1, b"1|5", b"nil", b"hello", b"hello;world", b"<hello> <world>|2"),
    (b"hello world", b"%f[%A]", 0, b"6|5", b"6|5", b"", b";", b"hello<> world<>|2"),
    (b"hello world", b"%f[%z]", 1, b"12|11", b"12|11", b"", b"", b"hello world<>|1"),
    (b"hello world", b"%f[^%z]", 2, b"1|0", b"nil", b"", b"", b"<>hello world|1"),
    (b"hello world", b"(.)%1", -2, b"3|4|l", b"nil", b"l", b"l", b"he<ll>o world|1"),
    (b"hello world", b"(a*(.)%w(%s*))", -1, b"1|2|he|h|", b"nil", b"he|h|", b"he|h|;ll|l|; w| |;or|o|;ld|l|", b"<he><ll>o< w><or><ld>|5"),
    (b"hello world", b"(h)(e)(l)(l)(o)", 0, b"1|5|h|e|l|l|o", b"1|5|h|e|l|l|o", b"h|e|l|l|o", b"h|e|l|l|o", b"<hello> world|1"),
    (b"hello world", b"a.-b", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"^(%s*)(.-)(%s*)$", 2, b"1|11||hello world|", b"2|11||ello world|", b"|hello world|", b"", b"<hello world>|1"),
    (b"hello world", b"[%s,]+", -2, b"6|6", b"nil", b" ", b" ", b"hello< >world|1"),
    (b"hello world", b"(%d+)", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%d*", 0, b"1|0", b"1|0", b"", b";;;;;;;;;;;", b"<>h<>e<>l<>l<>o<> <>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b"(x?)", 1, b"1|0|", b"1|0|", b"", b";;;;;;;;;;;", b"<>h<>e<>l<>l<>o<> <>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b"^(.)", 2, b"1|1|h", b"2|2|e", b"h", b"", b"<h>ello world|1"),
    (b"hello world", b".-$", -2, b"1|11", b"10|11", b"hello world", b"hello world;", b"<hello world><>|2"),
    (b"hello world", b"[%d%s]", -1, b"6|6", b"nil", b" ", b" ", b"hello< >world|1"),
    (b"hello world", b"%.", 0, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%%", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%-", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"[%-]", -2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"a%", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"[a", 0, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"hello world", b"(a", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"a)", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"%1", -2, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"hello world", b"(%1)", -1, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"hello world", b"%b", 0, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"hello world", b"%ba", 1, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"hello world", b"%f", 2, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"hello world", b"%fa", -2, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"hello world", b"[^", -1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"hello world", b"[a-%%]", 0, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"[%a-z]", 1, b"1|1", b"1|1", b"h", b"h;e;l;l;o;w;o;r;l;d", b"<h><e><l><l><o> <w><o><r><l><d>|10"),
    (b"hello world", b"x*$", 2, b"12|11", b"12|11", b"", b"", b"hello world<>|1"),
    (b"hello world", b"(()())", -2, b"1|0||1|1", b"10|9||10|10", b"|1|1", b"|1|1;|2|2;|3|3;|4|4;|5|5;|6|6;|7|7;|8|8;|9|9;|10|10;|11|11;|12|12", b"<>h<>e<>l<>l<>o<> <>w<>o<>r<>l<>d<>|12"),
    (b"hello world", b"^.-%f[%w]", -1, b"1|0", b"nil", b"", b"", b"<>hello world|1"),
    (b"hello world", b"%$", 0, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"$$", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"^^", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"b*$", -2, b"12|11", b"12|11", b"", b"", b"hello world<>|1"),
    (b"hello world", b"[^\x00]", -1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"hello world", b"a\x00b", 0, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b".\x00", 1, b"1|1", b"1|1", b"h", b"h;e;l;l;o; ;w;o;r;l;d", b"<h><e><l><l><o>< ><w><o><r><l><d>|11"),
    (b"hello world", b"(.-)%s", 2, b"1|6|hello", b"2|6|ello", b"hello", b"hello", b"<hello >world|1"),
    (b"hello world", b"[a-c-e]", -2, b"2|2", b"nil", b"e", b"e", b"h<e>llo world|1"),
    (b"hello world", b"n", -1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"an", 0, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"(an)+", 1, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"hello world", b"a(n?)a", 2, b"nil", b"nil", b"nil", b"", b"hello world|0"),
    (b"aaa", b"", -1, b"1|0", b"3|2", b"", b";;;", b"<>a<>a<>a<>|4"),
    (b"aaa", b"a$", 2, b"3|3", b"3|3", b"a", b"a", b"aa<a>|1"),
    (b"aaa", b".-", 0, b"1|0", b"1|0", b"", b";;;", b"<>a<>a<>a<>|4"),
    (b"aaa", b"a+", -2, b"1|3", b"2|3", b"aaa", b"aaa", b"<aaa>|1"),
    (b"aaa", b"%a+", 1, b"1|3", b"1|3", b"aaa", b"aaa", b"<aaa>|1"),
    (b"aaa", b"%w+", -1, b"1|3", b"3|3", b"aaa", b"aaa", b"<aaa>|1"),
    (b"aaa", b"%u", 2, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"%z", 0, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"[abc]", -2, b"1|1", b"2|2", b"a", b"a;a;a", b"<a><a><a>|3"),
    (b"aaa", b"[%a_][%w_]*", 1, b"1|3", b"1|3", b"aaa", b"aaa", b"<aaa>|1"),
    (b"aaa", b"[a-]", -1, b"1|1", b"3|3", b"a", b"a;a;a", b"<a><a><a>|3"),
    (b"aaa", b"(a)", 2, b"1|1|a", b"2|2|a", b"a", b"a;a;a", b"<a><a><a>|3"),
    (b"aaa", b"(%a+)%s*=%s*(%a+)", 0, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"%b[]", -2, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"%f[%A]", 1, b"4|3", b"4|3", b"", b"", b"aaa<>|1"),
    (b"aaa", b"(.)%1", -1, b"1|2|a", b"nil", b"a", b"a", b"<aa>a|1"),
    (b"aaa", b"a.-b", 2, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"(%d+)", 0, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"^(.)", -2, b"1|1|a", b"2|2|a", b"a", b"", b"<a>aa|1"),
    (b"aaa", b"%.", 1, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"[%-]", -1, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"(a", 2, b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"<a><a><a>|3"),
    (b"aaa", b"(%1)", 0, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"aaa", b"%f", -2, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"aaa", b"[a-%%]", 1, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"(()())", -1, b"1|0||1|1", b"3|2||3|3", b"|1|1", b"|1|1;|2|2;|3|3;|4|4", b"<>a<>a<>a<>|4"),
    (b"aaa", b"$$", 2, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"[^\x00]", 0, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"aaa", b"a\x00b", 1, b"nil", b"nil", b"a", b"a;a;a", b"<a><a><a>|3"),
    (b"aaa", b".\x00", 2, b"1|1", b"2|2", b"a", b"a;a;a", b"<a><a><a>|3"),
    (b"aaa", b"(.-)%s", -2, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"aaa", b"an", 1, b"nil", b"nil", b"nil", b"", b"aaa|0"),
    (b"  key = value  ", b"^a", 2, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"  key = value  ", b".", 0, b"1|1", b"1|1", b" ", b" ; ;k;e;y; ;=; ;v;a;l;u;e; ; ", b"< >< ><k><e><y>< ><=>< ><v><a><l><u><e>< >< >|15"),
    (b"  key = value  ", b"a*", -2, b"1|0", b"14|13", b"", b";;;;;;;;;a;;;;;;", b"<> <> <>k<>e<>y<> <>=<> <>v<a><>l<>u<>e<> <> <>|16"),
    (b"  key = value  ", b"a?", 1, b"1|0", b"1|0", b"", b";;;;;;;;;a;;;;;;", b"<> <> <>k<>e<>y<> <>=<> <>v<a><>l<>u<>e<> <> <>|16"),
    (b"  key = value  ", b"%s*", -1, b"1|2", b"15|15", b"  ", b"  ;;;; ;; ;;;;;;  ;", b"<  ><>k<>e<>y< ><>=< ><>v<>a<>l<>u<>e<  ><>|14"),
    (b"  key = value  ", b"%x+", 2, b"4|4", b"4|4", b"e", b"e;a;e", b"  k<e>y = v<a>lu<e>  |3"),
    (b"  key = value  ", b"%c", 0, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"  key = value  ", b"%A", -2, b"1|1", b"14|14", b" ", b" ; ; ;=; ; ; ", b"< >< >key< ><=>< >value< >< >|7"),
    (b"  key = value  ", b"[a-c]+", 1, b"10|10", b"10|10", b"a", b"a", b"  key = v<a>lue  |1"),
    (b"  key = value  ", b"[^]]", -1, b"1|1", b"15|15", b" ", b" ; ;k;e;y; ;=; ;v;a;l;u;e; ; ", b"< >< ><k><e><y>< ><=>< ><v><a><l><u><e>< >< >|15"),
    (b"  key = value  ", b"[%]]", 2, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"  key = value  ", b"()a()", 0, b"10|10|10|11", b"10|10|10|11", b"10|11", b"10|11", b"  key = v<a>lue  |1"),
    (b"  key = value  ", b"%b()", -2, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"  key = value  ", b"%f[%a]%a+", 1, b"3|5", b"3|5", b"key", b"key;value", b"  <key> = <value>  |2"),
    (b"  key = value  ", b"%f[^%z]", -1, b"1|0", b"nil", b"", b"", b"<>  key = value  |1"),
    (b"  key = value  ", b"(h)(e)(l)(l)(o)", 2, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"  key = value  ", b"[%s,]+", 0, b"1|2", b"1|2", b"  ", b"  ; ; ;  ", b"<  >key< >=< >value<  >|4"),
    (b"  key = value  ", b"(x?)", -2, b"1|0|", b"14|13|", b"", b";;;;;;;;;;;;;;;", b"<> <> <>k<>e<>y<> <>=<> <>v<>a<>l<>u<>e<> <> <>|16"),
    (b"  key = value  ", b"[%d%s]", 1, b"1|1", b"1|1", b" ", b" ; ; ; ; ; ", b"< >< >key< >=< >value< >< >|6"),
    (b"  key = value  ", b"%-", -1, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"  key = value  ", b"[a", 2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"  key = value  ", b"%1", 0, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"  key = value  ", b"%ba", -2, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"  key = value  ", b"[^", 1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"  key = value  ", b"x*$", -1, b"16|15", b"16|15", b"", b"", b"  key = value  <>|1"),
    (b"  key = value  ", b"%$", 2, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"  key = value  ", b"b*$", 0, b"16|15", b"16|15", b"", b"", b"  key = value  <>|1"),
    (b"  key = value  ", b"[^\x00]", 1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"  key = value  ", b"a\x00b", 2, b"nil", b"nil", b"a", b"a", b"  key = v<a>lue  |1"),
    (b"  key = value  ", b".\x00", -2, b"1|1", b"14|14", b" ", b" ; ;k;e;y; ;=; ;v;a;l;u;e; ; ", b"< >< ><k><e><y>< ><=>< ><v><a><l><u><e>< >< >|15"),
    (b"  key = value  ", b"n", 1, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"  key = value  ", b"a(n?)a", -1, b"nil", b"nil", b"nil", b"", b"  key = value  |0"),
    (b"THE (quick) fox", b"a", 2, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"^$", 0, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b".*", -2, b"1|15", b"14|15", b"THE (quick) fox", b"THE (quick) fox;", b"<THE (quick) fox><>|2"),
    (b"THE (quick) fox", b"a-", 1, b"1|0", b"1|0", b"", b";;;;;;;;;;;;;;;", b"<>T<>H<>E<> <>(<>q<>u<>i<>c<>k<>)<> <>f<>o<>x<>|16"),
    (b"THE (quick) fox", b"%d+", -1, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"%p", 2, b"5|5", b"5|5", b"(", b"(;)", b"THE <(>quick<)> fox|2"),
    (b"THE (quick) fox", b"%l+", 0, b"6|10", b"6|10", b"quick", b"quick;fox", b"THE (<quick>) <fox>|2"),
    (b"THE (quick) fox", b"%S+", -2, b"1|3", b"14|15", b"THE", b"THE;(quick);fox", b"<THE> <(quick)> <fox>|3"),
    (b"THE (quick) fox", b"[^abc]+", 1, b"1|8", b"1|8", b"THE (qui", b"THE (qui;k) fox", b"<THE (qui>c<k) fox>|2"),
    (b"THE (quick) fox", b"[]]", -1, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"[-a]", 2, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"(a)(b)", 0, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"%((%a+)%)", -2, b"5|11|quick", b"nil", b"quick", b"quick", b"THE <(quick)> fox|1"),
    (b"THE (quick) fox", b"%bxy", 1, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"%f[%z]", -1, b"16|15", b"16|15", b"", b"", b"THE (quick) fox<>|1"),
    (b"THE (quick) fox", b"(a*(.)%w(%s*))", 2, b"1|2|TH|T|", b"2|4|HE |H| ", b"TH|T|", b"TH|T|;(q|(|;ui|u|;ck|c|; f| |;ox|o|", b"<TH>E <(q><ui><ck>)< f><ox>|6"),
    (b"THE (quick) fox", b"^(%s*)(.-)(%s*)$", 0, b"1|15||THE (quick) fox|", b"1|15||THE (quick) fox|", b"|THE (quick) fox|", b"", b"<THE (quick) fox>|1"),
    (b"THE (quick) fox", b"%d*", -2, b"1|0", b"14|13", b"", b";;;;;;;;;;;;;;;", b"<>T<>H<>E<> <>(<>q<>u<>i<>c<>k<>)<> <>f<>o<>x<>|16"),
    (b"THE (quick) fox", b".-$", 1, b"1|15", b"1|15", b"THE (quick) fox", b"THE (quick) fox;", b"<THE (quick) fox><>|2"),
    (b"THE (quick) fox", b"%%", -1, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"a%", 2, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"a)", 0, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"%b", -2, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"THE (quick) fox", b"%fa", 1, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"THE (quick) fox", b"[%a-z]", -1, b"1|1", b"15|15", b"T", b"T;H;E;q;u;i;c;k;f;o;x", b"<T><H><E> (<q><u><i><c><k>) <f><o><x>|11"),
    (b"THE (quick) fox", b"^.-%f[%w]", 2, b"1|0", b"2|5", b"", b"", b"<>THE (quick) fox|1"),
    (b"THE (quick) fox", b"^^", 0, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b"[^\x00]", 2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"THE (quick) fox", b"a\x00b", -2, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"THE (quick) fox", b".\x00", -1, b"1|1", b"15|15", b"T", b"T;H;E; ;(;q;u;i;c;k;); ;f;o;x", b"<T><H><E>< ><(><q><u><i><c><k><)>< ><f><o><x>|15"),
    (b"THE (quick) fox", b"[a-c-e]", 1, b"9|9", b"9|9", b"c", b"c", b"THE (qui<c>k) fox|1"),
    (b"THE (quick) fox", b"(an)+", -1, b"nil", b"nil", b"nil", b"", b"THE (quick) fox|0"),
    (b"[[x]] [y]", b"", 2, b"1|0", b"2|1", b"", b";;;;;;;;;", b"<>[<>[<>x<>]<>]<> <>[<>y<>]<>|10"),
    (b"[[x]] [y]", b"a$", 0, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b".-", -2, b"1|0", b"8|7", b"", b";;;;;;;;;", b"<>[<>[<>x<>]<>]<> <>[<>y<>]<>|10"),
    (b"[[x]] [y]", b"a+", 1, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"%a+", -1, b"3|3", b"nil", b"x", b"x;y", b"[[<x>]] [<y>]|2"),
    (b"[[x]] [y]", b"%w+", 2, b"3|3", b"3|3", b"x", b"x;y", b"[[<x>]] [<y>]|2"),
    (b"[[x]] [y]", b"%u", 0, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"%z", -2, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"[abc]", 1, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"[%a_][%w_]*", -1, b"3|3", b"nil", b"x", b"x;y", b"[[<x>]] [<y>]|2"),
    (b"[[x]] [y]", b"[a-]", 2, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"(a)", 0, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"(%a+)%s*=%s*(%a+)", -2, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"%b[]", 1, b"1|5", b"1|5", b"[[x]]", b"[[x]];[y]", b"<[[x]]> <[y]>|2"),
    (b"[[x]] [y]", b"%f[%A]", -1, b"4|3", b"9|8", b"", b";", b"[[x<>]] [y<>]|2"),
    (b"[[x]] [y]", b"(.)%1", 2, b"1|2|[", b"4|5|]", b"[", b"[;]", b"<[[>x<]]> [y]|2"),
    (b"[[x]] [y]", b"a.-b", 0, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"(%d+)", -2, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"^(.)", 1, b"1|1|[", b"1|1|[", b"[", b"", b"<[>[x]] [y]|1"),
    (b"[[x]] [y]", b"%.", -1, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"[%-]", 2, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"(a", 0, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"(%1)", -2, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"[[x]] [y]", b"%f", 1, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"[[x]] [y]", b"[a-%%]", -1, b"4|4", b"9|9", b"]", b"];];]", b"[[x<]><]> [y<]>|3"),
    (b"[[x]] [y]", b"(()())", 2, b"1|0||1|1", b"2|1||2|2", b"|1|1", b"|1|1;|2|2;|3|3;|4|4;|5|5;|6|6;|7|7;|8|8;|9|9;|10|10", b"<>[<>[<>x<>]<>]<> <>[<>y<>]<>|10"),
    (b"[[x]] [y]", b"$$", 0, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b"[^\x00]", -2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"[[x]] [y]", b"a\x00b", -1, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"[[x]] [y]", b".\x00", 0, b"1|1", b"1|1", b"[", b"[;[;x;];]; ;[;y;]", b"<[><[><x><]><]>< ><[><y><]>|9"),
    (b"[[x]] [y]", b"(.-)%s", 1, b"1|6|[[x]]", b"1|6|[[x]]", b"[[x]]", b"[[x]]", b"<[[x]] >[y]|1"),
    (b"[[x]] [y]", b"an", -1, b"nil", b"nil", b"nil", b"", b"[[x]] [y]|0"),
    (b"a.b-c+d*e?f", b"^a", 0, b"1|1", b"1|1", b"a", b"", b"<a>.b-c+d*e?f|1"),
    (b"a.b-c+d*e?f", b".", -2, b"1|1", b"10|10", b"a", b"a;.;b;-;c;+;d;*;e;?;f", b"<a><.><b><-><c><+><d><*><e><?><f>|11"),
    (b"a.b-c+d*e?f", b"a*", 1, b"1|1", b"1|1", b"a", b"a;;;;;;;;;;;", b"<a><>.<>b<>-<>c<>+<>d<>*<>e<>?<>f<>|12"),
    (b"a.b-c+d*e?f", b"a?", -1, b"1|1", b"11|10", b"a", b"a;;;;;;;;;;;", b"<a><>.<>b<>-<>c<>+<>d<>*<>e<>?<>f<>|12"),
    (b"a.b-c+d*e?f", b"%s*", 2, b"1|0", b"2|1", b"", b";;;;;;;;;;;", b"<>a<>.<>b<>-<>c<>+<>d<>*<>e<>?<>f<>|12"),
    (b"a.b-c+d*e?f", b"%x+", 0, b"1|1", b"1|1", b"a", b"a;b;c;d;e;f", b"<a>.<b>-<c>+<d>*<e>?<f>|6"),
    (b"a.b-c+d*e?f", b"%c", -2, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"a.b-c+d*e?f", b"%A", 1, b"2|2", b"2|2", b".", b".;-;+;*;?", b"a<.>b<->c<+>d<*>e<?>f|5"),
    (b"a.b-c+d*e?f", b"[a-c]+", -1, b"1|1", b"nil", b"a", b"a;b;c", b"<a>.<b>-<c>+d*e?f|3"),
    (b"a.b-c+d*e?f", b"[^]]", 2, b"1|1", b"2|2", b"a", b"a;.;b;-;c;+;d;*;e;?;f", b"<a><.><b><-><c><+><d><*><e><?><f>|11"),
    (b"a.b-c+d*e?f", b"[%]]", 0, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"a.b-c+d*e?f", b"()a()", -2, b"1|1|1|2", b"nil", b"1|2", b"1|2", b"<a>.b-c+d*e?f|1"),
    (b"a.b-c+d*e?f", b"%b()", 1, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"a.b-c+d*e?f", b"%f[%a]%a+", -1, b"1|1", b"11|11", b"a", b"a;b;c;d;e;f", b"<a>.<b>-<c>+<d>*<e>?<f>|6"),
    (b"a.b-c+d*e?f", b"%f[^%z]", 2, b"1|0", b"nil", b"", b"", b"<>a.b-c+d*e?f|1"),
    (b"a.b-c+d*e?f", b"(h)(e)(l)(l)(o)", 0, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"a.b-c+d*e?f", b"[%s,]+", -2, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"a.b-c+d*e?f", b"(x?)", 1, b"1|0|", b"1|0|", b"", b";;;;;;;;;;;", b"<>a<>.<>b<>-<>c<>+<>d<>*<>e<>?<>f<>|12"),
    (b"a.b-c+d*e?f", b"[%d%s]", -1, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"a.b-c+d*e?f", b"%-", 2, b"4|4", b"4|4", b"-", b"-", b"a.b<->c+d*e?f|1"),
    (b"a.b-c+d*e?f", b"[a", 0, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"a.b-c+d*e?f", b"%1", -2, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"a.b-c+d*e?f", b"%ba", 1, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"a.b-c+d*e?f", b"[^", -1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"a.b-c+d*e?f", b"x*$", 2, b"12|11", b"12|11", b"", b"", b"a.b-c+d*e?f<>|1"),
    (b"a.b-c+d*e?f", b"%$", 0, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"a.b-c+d*e?f", b"b*$", -2, b"12|11", b"12|11", b"", b"", b"a.b-c+d*e?f<>|1"),
    (b"a.b-c+d*e?f", b"[^\x00]", -1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"a.b-c+d*e?f", b"a\x00b", 0, b"nil", b"nil", b"a", b"a", b"<a>.b-c+d*e?f|1"),
    (b"a.b-c+d*e?f", b".\x00", 1, b"1|1", b"1|1", b"a", b"a;.;b;-;c;+;d;*;e;?;f", b"<a><.><b><-><c><+><d><*><e><?><f>|11"),
    (b"a.b-c+d*e?f", b"n", -1, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"a.b-c+d*e?f", b"a(n?)a", 2, b"nil", b"nil", b"nil", b"", b"a.b-c+d*e?f|0"),
    (b"one two  three", b"a", 0, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"^$", -2, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b".*", 1, b"1|14", b"1|14", b"one two  three", b"one two  three;", b"<one two  three><>|2"),
    (b"one two  three", b"a-", -1, b"1|0", b"14|13", b"", b";;;;;;;;;;;;;;", b"<>o<>n<>e<> <>t<>w<>o<> <> <>t<>h<>r<>e<>e<>|15"),
    (b"one two  three", b"%d+", 2, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"%p", 0, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"%l+", -2, b"1|3", b"13|14", b"one", b"one;two;three", b"<one> <two>  <three>|3"),
    (b"one two  three", b"%S+", 1, b"1|3", b"1|3", b"one", b"one;two;three", b"<one> <two>  <three>|3"),
    (b"one two  three", b"[^abc]+", -1, b"1|14", b"14|14", b"one two  three", b"one two  three", b"<one two  three>|1"),
    (b"one two  three", b"[]]", 2, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"[-a]", 0, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"(a)(b)", -2, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"%((%a+)%)", 1, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"%bxy", -1, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"%f[%z]", 2, b"15|14", b"15|14", b"", b"", b"one two  three<>|1"),
    (b"one two  three", b"(a*(.)%w(%s*))", 0, b"1|2|on|o|", b"1|2|on|o|", b"on|o|", b"on|o|; t| |;wo  |w|  ;th|t|;re|r|", b"<on>e< t><wo  ><th><re>e|5"),
    (b"one two  three", b"^(%s*)(.-)(%s*)$", -2, b"1|14||one two  three|", b"13|14||ee|", b"|one two  three|", b"", b"<one two  three>|1"),
    (b"one two  three", b"%d*", 1, b"1|0", b"1|0", b"", b";;;;;;;;;;;;;;", b"<>o<>n<>e<> <>t<>w<>o<> <> <>t<>h<>r<>e<>e<>|15"),
    (b"one two  three", b".-$", -1, b"1|14", b"14|14", b"one two  three", b"one two  three;", b"<one two  three><>|2"),
    (b"one two  three", b"%%", 2, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"a%", 0, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"a)", -2, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"%b", 1, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"one two  three", b"%fa", -1, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"one two  three", b"[%a-z]", 2, b"1|1", b"2|2", b"o", b"o;n;e;t;w;o;t;h;r;e;e", b"<o><n><e> <t><w><o>  <t><h><r><e><e>|11"),
    (b"one two  three", b"^.-%f[%w]", 0, b"1|0", b"1|0", b"", b"", b"<>one two  three|1"),
    (b"one two  three", b"^^", -2, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b"[^\x00]", 0, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"one two  three", b"a\x00b", 1, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"one two  three", b".\x00", 2, b"1|1", b"2|2", b"o", b"o;n;e; ;t;w;o; ; ;t;h;r;e;e", b"<o><n><e>< ><t><w><o>< >< ><t><h><r><e><e>|14"),
    (b"one two  three", b"[a-c-e]", -1, b"3|3", b"14|14", b"e", b"e;e;e", b"on<e> two  thr<e><e>|3"),
    (b"one two  three", b"(an)+", 2, b"nil", b"nil", b"nil", b"", b"one two  three|0"),
    (b"\x00a\x00", b"", 0, b"1|0", b"1|0", b"", b";;;", b"<>\x00<>a<>\x00<>|4"),
    (b"\x00a\x00", b"a$", -2, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b".-", 1, b"1|0", b"1|0", b"", b";;;", b"<>\x00<>a<>\x00<>|4"),
    (b"\x00a\x00", b"a+", -1, b"2|2", b"nil", b"a", b"a", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b"%a+", 2, b"2|2", b"2|2", b"a", b"a", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b"%w+", 0, b"2|2", b"2|2", b"a", b"a", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b"%u", -2, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"%z", 1, b"1|1", b"1|1", b"\x00", b"\x00;\x00", b"<\x00>a<\x00>|2"),
    (b"\x00a\x00", b"[abc]", -1, b"2|2", b"nil", b"a", b"a", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b"[%a_][%w_]*", 2, b"2|2", b"2|2", b"a", b"a", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b"[a-]", 0, b"2|2", b"2|2", b"a", b"a", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b"(a)", -2, b"2|2|a", b"2|2|a", b"a", b"a", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b"(%a+)%s*=%s*(%a+)", 1, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"%b[]", -1, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"%f[%A]", 2, b"3|2", b"3|2", b"", b"", b"\x00a<>\x00|1"),
    (b"\x00a\x00", b"(.)%1", 0, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"a.-b", -2, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"(%d+)", 1, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"^(.)", -1, b"1|1|\x00", b"3|3|\x00", b"\x00", b"", b"<\x00>a\x00|1"),
    (b"\x00a\x00", b"%.", 2, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"[%-]", 0, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"(a", -2, b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b"(%1)", 1, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"\x00a\x00", b"%f", -1, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"\x00a\x00", b"[a-%%]", 2, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"(()())", 0, b"1|0||1|1", b"1|0||1|1", b"|1|1", b"|1|1;|2|2;|3|3;|4|4", b"<>\x00<>a<>\x00<>|4"),
    (b"\x00a\x00", b"$$", -2, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"[^\x00]", 1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"\x00a\x00", b"a\x00b", 2, b"nil", b"nil", b"a", b"a", b"\x00<a>\x00|1"),
    (b"\x00a\x00", b".\x00", -2, b"1|1", b"2|2", b"\x00", b"\x00;a;\x00", b"<\x00><a><\x00>|3"),
    (b"\x00a\x00", b"(.-)%s", -1, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"\x00a\x00", b"an", 2, b"nil", b"nil", b"nil", b"", b"\x00a\x00|0"),
    (b"abc\x00def", b"^a", -2, b"1|1", b"nil", b"a", b"", b"<a>bc\x00def|1"),
    (b"abc\x00def", b".", 1, b"1|1", b"1|1", b"a", b"a;b;c;\x00;d;e;f", b"<a><b><c><\x00><d><e><f>|7"),
    (b"abc\x00def", b"a*", -1, b"1|1", b"7|6", b"a", b"a;;;;;;;", b"<a><>b<>c<>\x00<>d<>e<>f<>|8"),
    (b"abc\x00def", b"a?", 2, b"1|1", b"2|1", b"a", b"a;;;;;;;", b"<a><>b<>c<>\x00<>d<>e<>f<>|8"),
    (b"abc\x00def", b"%s*", 0, b"1|0", b"1|0", b"", b";;;;;;;", b"<>a<>b<>c<>\x00<>d<>e<>f<>|8"),
    (b"abc\x00def", b"%x+", -2, b"1|3", b"6|7", b"abc", b"abc;def", b"<abc>\x00<def>|2"),
    (b"abc\x00def", b"%c", 1, b"4|4", b"4|4", b"\x00", b"\x00", b"abc<\x00>def|1"),
    (b"abc\x00def", b"%A", -1, b"4|4", b"nil", b"\x00", b"\x00", b"abc<\x00>def|1"),
    (b"abc\x00def", b"[a-c]+", 2, b"1|3", b"2|3", b"abc", b"abc", b"<abc>\x00def|1"),
    (b"abc\x00def", b"[^]]", 0, b"1|1", b"1|1", b"a", b"a;b;c;\x00;d;e;f", b"<a><b><c><\x00><d><e><f>|7"),
    (b"abc\x00def", b"[%]]", -2, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"abc\x00def", b"()a()", 1, b"1|1|1|2", b"1|1|1|2", b"1|2", b"1|2", b"<a>bc\x00def|1"),
    (b"abc\x00def", b"%b()", -1, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"abc\x00def", b"%f[%a]%a+", 2, b"1|3", b"5|7", b"abc", b"abc;def", b"<abc>\x00<def>|2"),
    (b"abc\x00def", b"%f[^%z]", 0, b"1|0", b"1|0", b"", b";", b"<>abc\x00<>def|2"),
    (b"abc\x00def", b"(h)(e)(l)(l)(o)", -2, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"abc\x00def", b"[%s,]+", 1, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"abc\x00def", b"(x?)", -1, b"1|0|", b"7|6|", b"", b";;;;;;;", b"<>a<>b<>c<>\x00<>d<>e<>f<>|8"),
    (b"abc\x00def", b"[%d%s]", 2, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"abc\x00def", b"%-", 0, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"abc\x00def", b"[a", -2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"abc\x00def", b"%1", 1, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"abc\x00def", b"%ba", -1, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"abc\x00def", b"[^", 2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"abc\x00def", b"x*$", 0, b"8|7", b"8|7", b"", b"", b"abc\x00def<>|1"),
    (b"abc\x00def", b"%$", -2, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"abc\x00def", b"b*$", 1, b"8|7", b"8|7", b"", b"", b"abc\x00def<>|1"),
    (b"abc\x00def", b"[^\x00]", 2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"abc\x00def", b"a\x00b", -2, b"nil", b"nil", b"a", b"a", b"<a>bc\x00def|1"),
    (b"abc\x00def", b".\x00", -1, b"1|1", b"7|7", b"a", b"a;b;c;\x00;d;e;f", b"<a><b><c><\x00><d><e><f>|7"),
    (b"abc\x00def", b"n", 2, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"abc\x00def", b"a(n?)a", 0, b"nil", b"nil", b"nil", b"", b"abc\x00def|0"),
    (b"x=1, y=22, z=333", b"a", -2, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"^$", 1, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b".*", -1, b"1|16", b"16|16", b"x=1, y=22, z=333", b"x=1, y=22, z=333;", b"<x=1, y=22, z=333><>|2"),
    (b"x=1, y=22, z=333", b"a-", 2, b"1|0", b"2|1", b"", b";;;;;;;;;;;;;;;;", b"<>x<>=<>1<>,<> <>y<>=<>2<>2<>,<> <>z<>=<>3<>3<>3<>|17"),
    (b"x=1, y=22, z=333", b"%d+", 0, b"3|3", b"3|3", b"1", b"1;22;333", b"x=<1>, y=<22>, z=<333>|3"),
    (b"x=1, y=22, z=333", b"%p", -2, b"2|2", b"nil", b"=", b"=;,;=;,;=", b"x<=>1<,> y<=>22<,> z<=>333|5"),
    (b"x=1, y=22, z=333", b"%l+", 1, b"1|1", b"1|1", b"x", b"x;y;z", b"<x>=1, <y>=22, <z>=333|3"),
    (b"x=1, y=22, z=333", b"%S+", -1, b"1|4", b"16|16", b"x=1,", b"x=1,;y=22,;z=333", b"<x=1,> <y=22,> <z=333>|3"),
    (b"x=1, y=22, z=333", b"[^abc]+", 2, b"1|16", b"2|16", b"x=1, y=22, z=333", b"x=1, y=22, z=333", b"<x=1, y=22, z=333>|1"),
    (b"x=1, y=22, z=333", b"[]]", 0, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"[-a]", -2, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"(a)(b)", 1, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"%((%a+)%)", -1, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"%bxy", 2, b"1|6", b"nil", b"x=1, y", b"x=1, y", b"<x=1, y>=22, z=333|1"),
    (b"x=1, y=22, z=333", b"%f[%z]", 0, b"17|16", b"17|16", b"", b"", b"x=1, y=22, z=333<>|1"),
    (b"x=1, y=22, z=333", b"(a*(.)%w(%s*))", -2, b"2|3|=1|=|", b"15|16|33|3|", b"=1|=|", b"=1|=|; y| |;=2|=|; z| |;=3|=|;33|3|", b"x<=1>,< y><=2>2,< z><=3><33>|6"),
    (b"x=1, y=22, z=333", b"^(%s*)(.-)(%s*)$", 1, b"1|16||x=1, y=22, z=333|", b"1|16||x=1, y=22, z=333|", b"|x=1, y=22, z=333|", b"", b"<x=1, y=22, z=333>|1"),
    (b"x=1, y=22, z=333", b"%d*", -1, b"1|0", b"16|16", b"", b";;1;;;;;22;;;;;333;", b"<>x<>=<1><>,<> <>y<>=<22><>,<> <>z<>=<333><>|14"),
    (b"x=1, y=22, z=333", b".-$", 2, b"1|16", b"2|16", b"x=1, y=22, z=333", b"x=1, y=22, z=333;", b"<x=1, y=22, z=333><>|2"),
    (b"x=1, y=22, z=333", b"%%", 0, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"a%", -2, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"a)", 1, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"%b", -1, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"x=1, y=22, z=333", b"%fa", 2, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"x=1, y=22, z=333", b"[%a-z]", 0, b"1|1", b"1|1", b"x", b"x;y;z", b"<x>=1, <y>=22, <z>=333|3"),
    (b"x=1, y=22, z=333", b"^.-%f[%w]", -2, b"1|0", b"nil", b"", b"", b"<>x=1, y=22, z=333|1"),
    (b"x=1, y=22, z=333", b"^^", 1, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"[^\x00]", -2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"x=1, y=22, z=333", b"a\x00b", -1, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b".\x00", 0, b"1|1", b"1|1", b"x", b"x;=;1;,; ;y;=;2;2;,; ;z;=;3;3;3", b"<x><=><1><,>< ><y><=><2><2><,>< ><z><=><3><3><3>|16"),
    (b"x=1, y=22, z=333", b"[a-c-e]", 2, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"x=1, y=22, z=333", b"(an)+", 0, b"nil", b"nil", b"nil", b"", b"x=1, y=22, z=333|0"),
    (b"f(a(b)c)d", b"", -2, b"1|0", b"8|7", b"", b";;;;;;;;;", b"<>f<>(<>a<>(<>b<>)<>c<>)<>d<>|10"),
    (b"f(a(b)c)d", b"a$", 1, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b".-", -1, b"1|0", b"9|8", b"", b";;;;;;;;;", b"<>f<>(<>a<>(<>b<>)<>c<>)<>d<>|10"),
    (b"f(a(b)c)d", b"a+", 2, b"3|3", b"3|3", b"a", b"a", b"f(<a>(b)c)d|1"),
    (b"f(a(b)c)d", b"%a+", 0, b"1|1", b"1|1", b"f", b"f;a;b;c;d", b"<f>(<a>(<b>)<c>)<d>|5"),
    (b"f(a(b)c)d", b"%w+", -2, b"1|1", b"9|9", b"f", b"f;a;b;c;d", b"<f>(<a>(<b>)<c>)<d>|5"),
    (b"f(a(b)c)d", b"%u", 1, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"%z", -1, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"[abc]", 2, b"3|3", b"3|3", b"a", b"a;b;c", b"f(<a>(<b>)<c>)d|3"),
    (b"f(a(b)c)d", b"[%a_][%w_]*", 0, b"1|1", b"1|1", b"f", b"f;a;b;c;d", b"<f>(<a>(<b>)<c>)<d>|5"),
    (b"f(a(b)c)d", b"[a-]", -2, b"3|3", b"nil", b"a", b"a", b"f(<a>(b)c)d|1"),
    (b"f(a(b)c)d", b"(a)", 1, b"3|3|a", b"3|3|a", b"a", b"a", b"f(<a>(b)c)d|1"),
    (b"f(a(b)c)d", b"(%a+)%s*=%s*(%a+)", -1, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"%b[]", 2, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"%f[%A]", 0, b"2|1", b"2|1", b"", b";;;;", b"f<>(a<>(b<>)c<>)d<>|5"),
    (b"f(a(b)c)d", b"(.)%1", -2, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"a.-b", 1, b"3|5", b"3|5", b"a(b", b"a(b", b"f(<a(b>)c)d|1"),
    (b"f(a(b)c)d", b"(%d+)", -1, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"^(.)", 2, b"1|1|f", b"2|2|(", b"f", b"", b"<f>(a(b)c)d|1"),
    (b"f(a(b)c)d", b"%.", 0, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"[%-]", -2, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"(a", 1, b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"f(<a>(b)c)d|1"),
    (b"f(a(b)c)d", b"(%1)", -1, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"f(a(b)c)d", b"%f", 2, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"f(a(b)c)d", b"[a-%%]", 0, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"(()())", -2, b"1|0||1|1", b"8|7||8|8", b"|1|1", b"|1|1;|2|2;|3|3;|4|4;|5|5;|6|6;|7|7;|8|8;|9|9;|10|10", b"<>f<>(<>a<>(<>b<>)<>c<>)<>d<>|10"),
    (b"f(a(b)c)d", b"$$", 1, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"[^\x00]", -1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"f(a(b)c)d", b"a\x00b", 0, b"nil", b"nil", b"a", b"a", b"f(<a>(b)c)d|1"),
    (b"f(a(b)c)d", b".\x00", 1, b"1|1", b"1|1", b"f", b"f;(;a;(;b;);c;);d", b"<f><(><a><(><b><)><c><)><d>|9"),
    (b"f(a(b)c)d", b"(.-)%s", 2, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"f(a(b)c)d", b"an", 0, b"nil", b"nil", b"nil", b"", b"f(a(b)c)d|0"),
    (b"\xc8\xc9abc\xff", b"^a", 1, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b".", -1, b"1|1", b"6|6", b"\xc8", b"\xc8;\xc9;a;b;c;\xff", b"<\xc8><\xc9><a><b><c><\xff>|6"),
    (b"\xc8\xc9abc\xff", b"a*", 2, b"1|0", b"2|1", b"", b";;a;;;;", b"<>\xc8<>\xc9<a><>b<>c<>\xff<>|7"),
    (b"\xc8\xc9abc\xff", b"a?", 0, b"1|0", b"1|0", b"", b";;a;;;;", b"<>\xc8<>\xc9<a><>b<>c<>\xff<>|7"),
    (b"\xc8\xc9abc\xff", b"%s*", -2, b"1|0", b"5|4", b"", b";;;;;;", b"<>\xc8<>\xc9<>a<>b<>c<>\xff<>|7"),
    (b"\xc8\xc9abc\xff", b"%x+", 1, b"3|5", b"3|5", b"abc", b"abc", b"\xc8\xc9<abc>\xff|1"),
    (b"\xc8\xc9abc\xff", b"%c", -1, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"%A", 2, b"1|1", b"2|2", b"\xc8", b"\xc8;\xc9;\xff", b"<\xc8><\xc9>abc<\xff>|3"),
    (b"\xc8\xc9abc\xff", b"[a-c]+", 0, b"3|5", b"3|5", b"abc", b"abc", b"\xc8\xc9<abc>\xff|1"),
    (b"\xc8\xc9abc\xff", b"[^]]", -2, b"1|1", b"5|5", b"\xc8", b"\xc8;\xc9;a;b;c;\xff", b"<\xc8><\xc9><a><b><c><\xff>|6"),
    (b"\xc8\xc9abc\xff", b"[%]]", 1, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"()a()", -1, b"3|3|3|4", b"nil", b"3|4", b"3|4", b"\xc8\xc9<a>bc\xff|1"),
    (b"\xc8\xc9abc\xff", b"%b()", 2, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"%f[%a]%a+", 0, b"3|5", b"3|5", b"abc", b"abc", b"\xc8\xc9<abc>\xff|1"),
    (b"\xc8\xc9abc\xff", b"%f[^%z]", -2, b"1|0", b"nil", b"", b"", b"<>\xc8\xc9abc\xff|1"),
    (b"\xc8\xc9abc\xff", b"(h)(e)(l)(l)(o)", 1, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"[%s,]+", -1, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"(x?)", 2, b"1|0|", b"2|1|", b"", b";;;;;;", b"<>\xc8<>\xc9<>a<>b<>c<>\xff<>|7"),
    (b"\xc8\xc9abc\xff", b"[%d%s]", 0, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"%-", -2, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"[a", 1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"\xc8\xc9abc\xff", b"%1", -1, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"\xc8\xc9abc\xff", b"%ba", 2, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"\xc8\xc9abc\xff", b"[^", 0, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"\xc8\xc9abc\xff", b"x*$", -2, b"7|6", b"7|6", b"", b"", b"\xc8\xc9abc\xff<>|1"),
    (b"\xc8\xc9abc\xff", b"%$", 1, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"b*$", -1, b"7|6", b"7|6", b"", b"", b"\xc8\xc9abc\xff<>|1"),
    (b"\xc8\xc9abc\xff", b"[^\x00]", 0, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"\xc8\xc9abc\xff", b"a\x00b", 1, b"nil", b"nil", b"a", b"a", b"\xc8\xc9<a>bc\xff|1"),
    (b"\xc8\xc9abc\xff", b".\x00", 2, b"1|1", b"2|2", b"\xc8", b"\xc8;\xc9;a;b;c;\xff", b"<\xc8><\xc9><a><b><c><\xff>|6"),
    (b"\xc8\xc9abc\xff", b"n", 0, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"\xc8\xc9abc\xff", b"a(n?)a", -2, b"nil", b"nil", b"nil", b"", b"\xc8\xc9abc\xff|0"),
    (b"AbC123_xyZ \x09\x0a!", b"a", 1, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"^$", -1, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b".*", 2, b"1|14", b"2|14", b"AbC123_xyZ \x09\x0a!", b"AbC123_xyZ \x09\x0a!;", b"<AbC123_xyZ \x09\x0a!><>|2"),
    (b"AbC123_xyZ \x09\x0a!", b"a-", 0, b"1|0", b"1|0", b"", b";;;;;;;;;;;;;;", b"<>A<>b<>C<>1<>2<>3<>_<>x<>y<>Z<> <>\x09<>\x0a<>!<>|15"),
    (b"AbC123_xyZ \x09\x0a!", b"%d+", -2, b"4|6", b"nil", b"123", b"123", b"AbC<123>_xyZ \x09\x0a!|1"),
    (b"AbC123_xyZ \x09\x0a!", b"%p", 1, b"7|7", b"7|7", b"_", b"_;!", b"AbC123<_>xyZ \x09\x0a<!>|2"),
    (b"AbC123_xyZ \x09\x0a!", b"%l+", -1, b"2|2", b"nil", b"b", b"b;xy", b"A<b>C123_<xy>Z \x09\x0a!|2"),
    (b"AbC123_xyZ \x09\x0a!", b"%S+", 2, b"1|10", b"2|10", b"AbC123_xyZ", b"AbC123_xyZ;!", b"<AbC123_xyZ> \x09\x0a<!>|2"),
    (b"AbC123_xyZ \x09\x0a!", b"[^abc]+", 0, b"1|1", b"1|1", b"A", b"A;C123_xyZ \x09\x0a!", b"<A>b<C123_xyZ \x09\x0a!>|2"),
    (b"AbC123_xyZ \x09\x0a!", b"[]]", -2, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"[-a]", 1, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"(a)(b)", -1, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"%((%a+)%)", 2, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"%bxy", 0, b"8|9", b"8|9", b"xy", b"xy", b"AbC123_<xy>Z \x09\x0a!|1"),
    (b"AbC123_xyZ \x09\x0a!", b"%f[%z]", -2, b"15|14", b"15|14", b"", b"", b"AbC123_xyZ \x09\x0a!<>|1"),
    (b"AbC123_xyZ \x09\x0a!", b"(a*(.)%w(%s*))", 1, b"1|2|Ab|A|", b"1|2|Ab|A|", b"Ab|A|", b"Ab|A|;C1|C|;23|2|;_x|_|;yZ \x09\x0a|y| \x09\x0a", b"<Ab><C1><23><_x><yZ \x09\x0a>!|5"),
    (b"AbC123_xyZ \x09\x0a!", b"^(%s*)(.-)(%s*)$", -1, b"1|14||AbC123_xyZ \x09\x0a!|", b"14|14||!|", b"|AbC123_xyZ \x09\x0a!|", b"", b"<AbC123_xyZ \x09\x0a!>|1"),
    (b"AbC123_xyZ \x09\x0a!", b"%d*", 2, b"1|0", b"2|1", b"", b";;;123;;;;;;;;;", b"<>A<>b<>C<123><>_<>x<>y<>Z<> <>\x09<>\x0a<>!<>|13"),
    (b"AbC123_xyZ \x09\x0a!", b".-$", 0, b"1|14", b"1|14", b"AbC123_xyZ \x09\x0a!", b"AbC123_xyZ \x09\x0a!;", b"<AbC123_xyZ \x09\x0a!><>|2"),
    (b"AbC123_xyZ \x09\x0a!", b"%%", -2, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"a%", 1, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"a)", -1, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"%b", 2, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"AbC123_xyZ \x09\x0a!", b"%fa", 0, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"AbC123_xyZ \x09\x0a!", b"[%a-z]", -2, b"1|1", b"nil", b"A", b"A;b;C;x;y;Z", b"<A><b><C>123_<x><y><Z> \x09\x0a!|6"),
    (b"AbC123_xyZ \x09\x0a!", b"^.-%f[%w]", 1, b"1|0", b"1|0", b"", b"", b"<>AbC123_xyZ \x09\x0a!|1"),
    (b"AbC123_xyZ \x09\x0a!", b"^^", -1, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b"[^\x00]", 1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"AbC123_xyZ \x09\x0a!", b"a\x00b", 2, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"AbC123_xyZ \x09\x0a!", b".\x00", -2, b"1|1", b"13|13", b"A", b"A;b;C;1;2;3;_;x;y;Z; ;\x09;\x0a;!", b"<A><b><C><1><2><3><_><x><y><Z>< ><\x09><\x0a><!>|14"),
    (b"AbC123_xyZ \x09\x0a!", b"[a-c-e]", 0, b"2|2", b"2|2", b"b", b"b", b"A<b>C123_xyZ \x09\x0a!|1"),
    (b"AbC123_xyZ \x09\x0a!", b"(an)+", -2, b"nil", b"nil", b"nil", b"", b"AbC123_xyZ \x09\x0a!|0"),
    (b"banana", b"", 1, b"1|0", b"1|0", b"", b";;;;;;", b"<>b<>a<>n<>a<>n<>a<>|7"),
    (b"banana", b"a$", -1, b"6|6", b"6|6", b"a", b"a", b"banan<a>|1"),
    (b"banana", b".-", 2, b"1|0", b"2|1", b"", b";;;;;;", b"<>b<>a<>n<>a<>n<>a<>|7"),
    (b"banana", b"a+", 0, b"2|2", b"2|2", b"a", b"a;a;a", b"b<a>n<a>n<a>|3"),
    (b"banana", b"%a+", -2, b"1|6", b"5|6", b"banana", b"banana", b"<banana>|1"),
    (b"banana", b"%w+", 1, b"1|6", b"1|6", b"banana", b"banana", b"<banana>|1"),
    (b"banana", b"%u", -1, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"%z", 2, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"[abc]", 0, b"1|1", b"1|1", b"b", b"b;a;a;a", b"<b><a>n<a>n<a>|4"),
    (b"banana", b"[%a_][%w_]*", -2, b"1|6", b"5|6", b"banana", b"banana", b"<banana>|1"),
    (b"banana", b"[a-]", 1, b"2|2", b"2|2", b"a", b"a;a;a", b"b<a>n<a>n<a>|3"),
    (b"banana", b"(a)", -1, b"2|2|a", b"6|6|a", b"a", b"a;a;a", b"b<a>n<a>n<a>|3"),
    (b"banana", b"(%a+)%s*=%s*(%a+)", 2, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"%b[]", 0, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"%f[%A]", -2, b"7|6", b"7|6", b"", b"", b"banana<>|1"),
    (b"banana", b"(.)%1", 1, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"a.-b", -1, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"(%d+)", 2, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"^(.)", 0, b"1|1|b", b"1|1|b", b"b", b"", b"<b>anana|1"),
    (b"banana", b"%.", -2, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"[%-]", 1, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"(a", -1, b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"ERR unfinished capture", b"b<a>n<a>n<a>|3"),
    (b"banana", b"(%1)", 2, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"banana", b"%f", 0, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"banana", b"[a-%%]", -2, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"(()())", 1, b"1|0||1|1", b"1|0||1|1", b"|1|1", b"|1|1;|2|2;|3|3;|4|4;|5|5;|6|6;|7|7", b"<>b<>a<>n<>a<>n<>a<>|7"),
    (b"banana", b"$$", -1, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"[^\x00]", 2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"banana", b"a\x00b", -2, b"nil", b"nil", b"a", b"a;a;a", b"b<a>n<a>n<a>|3"),
    (b"banana", b".\x00", -1, b"1|1", b"6|6", b"b", b"b;a;n;a;n;a", b"<b><a><n><a><n><a>|6"),
    (b"banana", b"(.-)%s", 0, b"nil", b"nil", b"nil", b"", b"banana|0"),
    (b"banana", b"an", -2, b"2|3", b"nil", b"an", b"an;an", b"b<an><an>a|2"),
    (b"--[[comment]]--", b"^a", -1, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b".", 2, b"1|1", b"2|2", b"-", b"-;-;[;[;c;o;m;m;e;n;t;];];-;-", b"<-><-><[><[><c><o><m><m><e><n><t><]><]><-><->|15"),
    (b"--[[comment]]--", b"a*", 0, b"1|0", b"1|0", b"", b";;;;;;;;;;;;;;;", b"<>-<>-<>[<>[<>c<>o<>m<>m<>e<>n<>t<>]<>]<>-<>-<>|16"),
    (b"--[[comment]]--", b"a?", -2, b"1|0", b"14|13", b"", b";;;;;;;;;;;;;;;", b"<>-<>-<>[<>[<>c<>o<>m<>m<>e<>n<>t<>]<>]<>-<>-<>|16"),
    (b"--[[comment]]--", b"%s*", 1, b"1|0", b"1|0", b"", b";;;;;;;;;;;;;;;", b"<>-<>-<>[<>[<>c<>o<>m<>m<>e<>n<>t<>]<>]<>-<>-<>|16"),
    (b"--[[comment]]--", b"%x+", -1, b"5|5", b"nil", b"c", b"c;e", b"--[[<c>omm<e>nt]]--|2"),
    (b"--[[comment]]--", b"%c", 2, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b"%A", 0, b"1|1", b"1|1", b"-", b"-;-;[;[;];];-;-", b"<-><-><[><[>comment<]><]><-><->|8"),
    (b"--[[comment]]--", b"[a-c]+", -2, b"5|5", b"nil", b"c", b"c", b"--[[<c>omment]]--|1"),
    (b"--[[comment]]--", b"[^]]", 1, b"1|1", b"1|1", b"-", b"-;-;[;[;c;o;m;m;e;n;t;-;-", b"<-><-><[><[><c><o><m><m><e><n><t>]]<-><->|13"),
    (b"--[[comment]]--", b"[%]]", -1, b"12|12", b"nil", b"]", b"];]", b"--[[comment<]><]>--|2"),
    (b"--[[comment]]--", b"()a()", 2, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b"%b()", 0, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b"%f[%a]%a+", -2, b"5|11", b"nil", b"comment", b"comment", b"--[[<comment>]]--|1"),
    (b"--[[comment]]--", b"%f[^%z]", 1, b"1|0", b"1|0", b"", b"", b"<>--[[comment]]--|1"),
    (b"--[[comment]]--", b"(h)(e)(l)(l)(o)", -1, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b"[%s,]+", 2, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b"(x?)", 0, b"1|0|", b"1|0|", b"", b";;;;;;;;;;;;;;;", b"<>-<>-<>[<>[<>c<>o<>m<>m<>e<>n<>t<>]<>]<>-<>-<>|16"),
    (b"--[[comment]]--", b"[%d%s]", -2, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b"%-", 1, b"1|1", b"1|1", b"-", b"-;-;-;-", b"<-><->[[comment]]<-><->|4"),
    (b"--[[comment]]--", b"[a", -1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"--[[comment]]--", b"%1", 2, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"--[[comment]]--", b"%ba", 0, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"--[[comment]]--", b"[^", -2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"--[[comment]]--", b"x*$", 1, b"16|15", b"16|15", b"", b"", b"--[[comment]]--<>|1"),
    (b"--[[comment]]--", b"%$", -1, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b"b*$", 2, b"16|15", b"16|15", b"", b"", b"--[[comment]]--<>|1"),
    (b"--[[comment]]--", b"[^\x00]", -2, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"--[[comment]]--", b"a\x00b", -1, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"--[[comment]]--", b".\x00", 0, b"1|1", b"1|1", b"-", b"-;-;[;[;c;o;m;m;e;n;t;];];-;-", b"<-><-><[><[><c><o><m><m><e><n><t><]><]><-><->|15"),
    (b"--[[comment]]--", b"n", -2, b"10|10", b"nil", b"n", b"n", b"--[[comme<n>t]]--|1"),
    (b"--[[comment]]--", b"a(n?)a", 1, b"nil", b"nil", b"nil", b"", b"--[[comment]]--|0"),
    (b"a,b,,c,", b"a", -1, b"1|1", b"nil", b"a", b"a", b"<a>,b,,c,|1"),
    (b"a,b,,c,", b"^$", 2, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"a,b,,c,", b".*", 0, b"1|7", b"1|7", b"a,b,,c,", b"a,b,,c,;", b"<a,b,,c,><>|2"),
    (b"a,b,,c,", b"a-", -2, b"1|0", b"6|5", b"", b";;;;;;;", b"<>a<>,<>b<>,<>,<>c<>,<>|8"),
    (b"a,b,,c,", b"%d+", 1, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"a,b,,c,", b"%p", -1, b"2|2", b"7|7", b",", b",;,;,;,", b"a<,>b<,><,>c<,>|4"),
    (b"a,b,,c,", b"%l+", 2, b"1|1", b"3|3", b"a", b"a;b;c", b"<a>,<b>,,<c>,|3"),
    (b"a,b,,c,", b"%S+", 0, b"1|7", b"1|7", b"a,b,,c,", b"a,b,,c,", b"<a,b,,c,>|1"),
    (b"a,b,,c,", b"[^abc]+", -2, b"2|2", b"7|7", b",", b",;,,;,", b"a<,>b<,,>c<,>|3"),
    (b"a,b,,c,", b"[]]", 1, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"a,b,,c,", b"[-a]", -1, b"1|1", b"nil", b"a", b"a", b"<a>,b,,c,|1"),
    (b"a,b,,c,", b"(a)(b)", 2, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"a,b,,c,", b"%((%a+)%)", 0, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"a,b,,c,", b"%bxy", -2, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"a,b,,c,", b"%f[%z]", 1, b"8|7", b"8|7", b"", b"", b"a,b,,c,<>|1"),
    (b"a,b,,c,", b"(a*(.)%w(%s*))", -1, b"1|3|a,b|,|", b"nil", b"a,b|,|", b"a,b|,|;,c|,|", b"<a,b>,<,c>,|2"),
    (b"a,b,,c,", b"^(%s*)(.-)(%s*)$", 2, b"1|7||a,b,,c,|", b"2|7||,b,,c,|", b"|a,b,,c,|", b"", b"<a,b,,c,>|1"),
    (b"a,b,,c,", b"%d*", 0, b"1|0", b"1|0", b"", b";;;;;;;", b"<>a<>,<>b<>,<>,<>c<>,<>|8"),
    (b"a,b,,c,", b".-$", -2, b"1|7", b"6|7", b"a,b,,c,", b"a,b,,c,;", b"<a,b,,c,><>|2"),
    (b"a,b,,c,", b"%%", 1, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"a,b,,c,", b"a%", -1, b"ERR malformed pattern (ends with '%')", b"nil", b"ERR malformed pattern (ends with '%')", b"ERR malformed pattern (ends with '%')", b"ERR malformed pattern (ends with '%')"),
    (b"a,b,,c,", b"a)", 2, b"nil", b"nil", b"ERR invalid pattern capture", b"ERR invalid pattern capture", b"ERR invalid pattern capture"),
    (b"a,b,,c,", b"%b", 0, b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern", b"ERR unbalanced pattern"),
    (b"a,b,,c,", b"%fa", -2, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"a,b,,c,", b"[%a-z]", 1, b"1|1", b"1|1", b"a", b"a;b;c", b"<a>,<b>,,<c>,|3"),
    (b"a,b,,c,", b"^.-%f[%w]", -1, b"1|0", b"nil", b"", b"", b"<>a,b,,c,|1"),
    (b"a,b,,c,", b"^^", 2, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"a,b,,c,", b"[^\x00]", -1, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"a,b,,c,", b"a\x00b", 0, b"nil", b"nil", b"a", b"a", b"<a>,b,,c,|1"),
    (b"a,b,,c,", b".\x00", 1, b"1|1", b"1|1", b"a", b"a;,;b;,;,;c;,", b"<a><,><b><,><,><c><,>|7"),
    (b"a,b,,c,", b"[a-c-e]", -2, b"1|1", b"6|6", b"a", b"a;b;c", b"<a>,<b>,,<c>,|3"),
    (b"a,b,,c,", b"(an)+", 1, b"nil", b"nil", b"nil", b"", b"a,b,,c,|0"),
    (b"%d%s", b"", -1, b"1|0", b"4|3", b"", b";;;;", b"<>%<>d<>%<>s<>|5"),
    (b"%d%s", b"a$", 2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b".-", 0, b"1|0", b"1|0", b"", b";;;;", b"<>%<>d<>%<>s<>|5"),
    (b"%d%s", b"a+", -2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"%a+", 1, b"2|2", b"2|2", b"d", b"d;s", b"%<d>%<s>|2"),
    (b"%d%s", b"%w+", -1, b"2|2", b"4|4", b"d", b"d;s", b"%<d>%<s>|2"),
    (b"%d%s", b"%u", 2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"%z", 0, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"[abc]", -2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"[%a_][%w_]*", 1, b"2|2", b"2|2", b"d", b"d;s", b"%<d>%<s>|2"),
    (b"%d%s", b"[a-]", -1, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"(a)", 2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"(%a+)%s*=%s*(%a+)", 0, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"%b[]", -2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"%f[%A]", 1, b"3|2", b"3|2", b"", b";", b"%d<>%s<>|2"),
    (b"%d%s", b"(.)%1", -1, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"a.-b", 2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"(%d+)", 0, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"^(.)", -2, b"1|1|%", b"3|3|%", b"%", b"", b"<%>d%s|1"),
    (b"%d%s", b"%.", 1, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"[%-]", -1, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"(a", 2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"(%1)", 0, b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index", b"ERR invalid capture index"),
    (b"%d%s", b"%f", -2, b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern", b"ERR missing '[' after '%f' in pattern"),
    (b"%d%s", b"[a-%%]", 1, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"(()())", -1, b"1|0||1|1", b"4|3||4|4", b"|1|1", b"|1|1;|2|2;|3|3;|4|4;|5|5", b"<>%<>d<>%<>s<>|5"),
    (b"%d%s", b"$$", 2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"[^\x00]", 0, b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')", b"ERR malformed pattern (missing ']')"),
    (b"%d%s", b"a\x00b", 1, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b".\x00", 2, b"1|1", b"2|2", b"%", b"%;d;%;s", b"<%><d><%><s>|4"),
    (b"%d%s", b"(.-)%s", -2, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
    (b"%d%s", b"an", 1, b"nil", b"nil", b"nil", b"", b"%d%s|0"),
];

/// (subject, pattern, init, plain, result)
type FindCase = (&'static [u8], &'static [u8], i64, bool, &'static [u8]);

#[rustfmt::skip]
const FIND_CASES: &[FindCase] = &[
    (b"abc", b"", 10, false, b"4|3"),
    (b"abc", b"", 4, false, b"4|3"),
    (b"abc", b"", -10, false, b"1|0"),
    (b"abc", b"c", -1, false, b"3|3"),
    (b"a.b", b".", 1, true, b"2|2"),
    (b"a.b", b".", 1, false, b"1|1"),
    (b"x", b"a\x00.", 1, false, b"nil"),
    (b"a\x00b", b"\x00b", 1, false, b"2|3"),
    (b"ab", b"a\x00x", 1, false, b"nil"),
    (b"a+b", b"+", 1, false, b"2|2"),
    (b"a+b", b"a+", 1, true, b"1|2"),
    (b"abcabc", b"bc", -3, false, b"5|6"),
    (b"abcabc", b"bc", 3, true, b"5|6"),
    (b"abc", b"abcd", 1, true, b"nil"),
    (b"aaa", b"aa", 2, true, b"2|3"),
    (b"abc", b"b", 0, false, b"2|2"),
    (b"abc", b"b", -100, false, b"2|2"),
    (b"abc", b"^b", 2, false, b"2|2"),
    (b"abc", b"^b", -2, false, b"2|2"),
    (b"abc", b"$", 2, false, b"4|3"),
    (b"", b"", 1, false, b"1|0"),
    (b"", b"", 2, false, b"1|0"),
    (b"", b"^", 1, false, b"1|0"),
    (b"ab", b"", 3, true, b"3|2"),
    (b"ab", b"", 4, true, b"3|2"),
    (b"x)y", b")", 1, false, b"2|2"),
    (b"x)y", b"x)", 1, false, b"1|2"),
    (b"x]y", b"]", 1, false, b"2|2"),
    // Start-position scans (literal, class, frontier), init past the end, long (uncompiled)
    // patterns, and errors after a scanned first item.
    (b"key12= key1x key15=", b"key1%d=", 2, false, b"14|19"),
    (b"key12= key1x key15=", b"key1%d=", 8, false, b"14|19"),
    (b"abc", b"%a+", 10, false, b"nil"),
    (b"abc", b"%a+", 4, false, b"nil"),
    (b"abc", b"()", 4, false, b"4|3|4"),
    (b"abc", b"()", 5, false, b"4|3|4"),
    (b"abc", b"^%a", 2, false, b"2|2"),
    (b"abc", b"^%a", 4, false, b"nil"),
    (b"a%b", b"%", 1, true, b"2|2"),
    (b"x[y]", b"[y]", 1, true, b"2|4"),
    (b"x[y]", b"[y]", 1, false, b"3|3"),
    (b"a+b", b"+", 1, true, b"2|2"),
    (b"hello world", b"%f[%w]%w+", 2, false, b"7|11"),
    (b"hello world", b"%f[%W]", 1, false, b"6|5"),
    (b"hello", b"%f[%z]", 1, false, b"6|5"),
    (b"hello", b"%f[%z]", 6, false, b"6|5"),
    (b"", b"%f[%z]", 1, false, b"nil"),
    (b"", b"%f[^%z]", 1, false, b"nil"),
    (b"aaa", b"((%a)%a*)", 2, false, b"2|3|aa|a"),
    (b"12ab", b"(((%a+)))", 1, false, b"3|4|ab|ab|ab"),
    (b"x1y2", b"()%d", 2, false, b"2|2|2"),
    (b"aab", b"a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?(%d+)", 1, false, b"nil"),
    (b"aa12b", b"a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?(%d+)", 1, false, b"1|4|12"),
    (b"xx", b"(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)", 1, false, b"nil"),
    (b"x", b"(xa?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?%", 1, false, b"ERR malformed pattern (ends with '%')"),
    (b"ab", b"a[b", 1, false, b"ERR malformed pattern (missing ']')"),
    (b"ab", b"[b", 1, false, b"ERR malformed pattern (missing ']')"),
    (b"ab", b"%f[%a]%", 1, false, b"ERR malformed pattern (ends with '%')"),
];

/// (subject, pattern, replacement, max, result)
type GsubCase = (
    &'static [u8],
    &'static [u8],
    &'static [u8],
    Option<i64>,
    &'static [u8],
);

#[rustfmt::skip]
const GSUB_CASES: &[GsubCase] = &[
    (b"abc", b"b", b"%", None, b"a\x00c|1"),
    (b"abc", b"b", b"%2", None, b"ERR invalid capture index"),
    (b"abc", b"b", b"%1", None, b"abc|1"),
    (b"abc", b"(b)", b"%2", None, b"ERR invalid capture index"),
    (b"abc", b"b", b"%x%%", None, b"ax%c|1"),
    (b"abc", b"", b"-", None, b"-a-b-c-|4"),
    (b"abc", b"^", b"-", None, b"-abc|1"),
    (b"abc", b"b*", b"-", None, b"-a--c-|4"),
    (b"hello world", b"o", b"0", Some(1), b"hell0 world|1"),
    (b"abc", b"()", b"%1", None, b"1a2b3c4|4"),
    (b"hello world", b"(o)", b"[%1%1]", Some(0), b"hello world|0"),
    (b"hello world", b"o", b"0", Some(-1), b"hello world|0"),
    (b"hello", b"l+", b"L", None, b"heLo|1"),
    (b"hello", b"^h", b"H", None, b"Hello|1"),
    (b"hello", b"^x", b"H", None, b"hello|0"),
    (b"abc", b"%w", b"%0%0", None, b"aabbcc|3"),
    (b"abc def", b"(%w+)", b"<%1>", None, b"<abc> <def>|2"),
    (b"abc", b"", b"", None, b"abc|4"),
    (b"a,b,,c", b",", b";", Some(2), b"a;b;,c|2"),
    (b"  trim  ", b"^%s*(.-)%s*$", b"%1", None, b"trim|1"),
    (b"abc", b"(a)(b)(c)", b"%3%2%1%0", None, b"cbaabc|1"),
    (b"abc", b".", b"%\x00", None, b"\x00\x00\x00|3"),
    (b"a\x00b", b"%z", b"Z", None, b"aZb|1"),
    (b"abc", b"x*", b"-", None, b"-a-b-c-|4"),
    (b"abc", b"$", b"!", None, b"abc!|1"),
    (b"abc", b"^$", b"!", None, b"abc|0"),
    (b"", b"", b"!", None, b"!|1"),
    (b"", b"x", b"!", None, b"|0"),
    (b"abc", b"(", b"x", None, b"xaxbxcx|4"),
    (b"abc", b"b", b"%9", None, b"ERR invalid capture index"),
    (b"abc", b"(b)()", b"%2%1", None, b"a3bc|1"),
    (b"aaa", b"a", b"b", Some(2), b"bba|2"),
    (b"abc", b".-", b"x", None, b"xaxbxcx|4"),
    (b"abc", b"a(", b"x", None, b"xbc|1"),
    (b"a\x00b\x00c", b"\x00", b"-", None, b"-a-\x00-b-\x00-c-|6"),
    // Start-position scans, empty subjects, frontier at both ends, long (uncompiled) patterns.
    (b"hello world", b"%f[%w]%w+", b"<%0>", None, b"<hello> <world>|2"),
    (b"THE (quick) fox", b"%f[%a]%a+%f[%A]", b"X", None, b"X (X) X|3"),
    (b"abc", b"%f[%z]", b"!", None, b"abc!|1"),
    (b"abc", b"%f[%a]", b"!", None, b"!abc|1"),
    (b"abc def", b"%f[%s]", b"|", None, b"abc| def|1"),
    (b"a1b22c333", b"((%d)%d*)", b"[%1:%2]", None, b"a[1:1]b[22:2]c[333:3]|3"),
    (b"a1b22c333", b"()%d+()", b"%1-%2", None, b"a2-3b4-6c7-10|3"),
    (b"  x  y ", b"%s+", b"", None, b"xy|3"),
    (b"x=1, y=22, =3, z=", b"(%w+)=(%d+)", b"%2=%1", None, b"1=x, 22=y, =3, z=|2"),
    (b"$name $x$ $", b"%$(%w+)", b"<%1>", None, b"<name> <x>$ $|2"),
    (b"abc abc", b"[%a]+", b"-", Some(1), b"- abc|1"),
    (b"^^a", b"^%^", b"x", None, b"x^a|1"),
    (b"aXbXc", b"X", b"%%", None, b"a%b%c|2"),
    (b"word1 key2=14", b"(%a+)(%d+)", b"%2%1", None, b"1word 2key=14|2"),
    (b"12 345 6", b"%d+", b"#", None, b"# # #|3"),
    (b"", b"%d+", b"#", None, b"|0"),
    (b"", b"%f[%z]", b"#", None, b"|0"),
    (b"9", b"%d", b"#", None, b"#|1"),
    (b"ab12cd", b"%d*", b"-", None, b"-a-b--c-d-|6"),
    (b"ab12cd", b"[%d]+", b"-", None, b"ab-cd|1"),
    (b"ab12cd", b"[^%d]+", b"-", None, b"-12-|2"),
    (b"aa12b3", b"a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?(%d+)", b"<%1>", None, b"<12>b<3>|2"),
    (b"aXa", b"(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)(a)", b"x", None, b"aXa|0"),
    (b"abc", b"b%", b"x", None, b"ERR malformed pattern (ends with '%')"),
    (b"abc", b"x%", b"x", None, b"abc|0"),
];

#[test]
fn captures_belong_to_the_last_match_and_cache_evictions_are_invisible() {
    let subject = b"k1=v1 k2=v2";
    let mut matcher = PatternMatcher::new();
    let mut fuel = FUEL;
    let first = matcher
        .match_pattern(subject, b"(%w+)=(%w+)", 0, &mut fuel)
        .expect("no error")
        .expect("a match");
    assert_eq!(matcher.capture(&first, 1), Ok(Capture::Bytes(3..5)));
    let second = matcher
        .match_pattern(subject, b"(k2)", 0, &mut fuel)
        .expect("no error")
        .expect("a match");
    assert_eq!(matcher.capture(&second, 0), Ok(Capture::Bytes(6..8)));
    assert_eq!(
        matcher.capture(&first, 0),
        Err(PatternError::InvalidCaptureIndex)
    );
    // More patterns than the cache holds, twice over: same answers as a fresh matcher.
    let patterns: Vec<Vec<u8>> = (0..3 * CACHE_SIZE)
        .map(|i| format!("(k{})=([%w]+)", i % 4).into_bytes())
        .collect();
    for pattern in patterns.iter().chain(&patterns) {
        let mut fresh = PatternMatcher::new();
        let expected = fresh
            .match_pattern(subject, pattern, 0, &mut fuel)
            .expect("no error")
            .map(|m| values(subject, &fresh, &m, true));
        let got = matcher
            .match_pattern(subject, pattern, 0, &mut fuel)
            .expect("no error")
            .map(|m| values(subject, &matcher, &m, true));
        assert_eq!(got, expected, "{}", show(pattern));
    }
}
