//! Glob matching exactly as Redis's `stringmatchlen` (`KEYS`, `SCAN ... MATCH`, `FUNCTION LIST
//! LIBRARYNAME`): `*`, `?`, `[abc]`, `[^a-z]`, `\x`.
//!
//! This is a line-by-line port, including how Redis reads one byte past the end of a pattern
//! (a NUL there): [`at`] answers 0 beyond the end, so odd patterns such as `[a` or a trailing
//! `\` behave as in Redis.

/// The byte at `idx`, or 0 past either end (Redis's strings are NUL-terminated).
fn at(bytes: &[u8], idx: usize) -> u8 {
    bytes.get(idx).copied().unwrap_or(0)
}

/// Whether `string` matches the glob `pattern` (case-sensitive).
pub(crate) fn glob_match(pattern: &[u8], string: &[u8]) -> bool {
    let mut skip_longer = false;
    match_impl(pattern, 0, string, 0, &mut skip_longer)
}

fn match_impl(pat: &[u8], mut p: usize, s: &[u8], mut si: usize, skip_longer: &mut bool) -> bool {
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
                    if match_impl(&pat[..p + plen], p + 1, &s[..si + slen], si, skip_longer) {
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

#[cfg(test)]
mod tests {
    use super::glob_match;

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
