//! The first line of a library, `#!lua name=mylib` (functions.c's `functionExtractLibMetaData`),
//! and the name rules of libraries and functions (`functionsVerifyName`).
//!
//! The line is split like Redis's `sdssplitargs` (quotes and escapes included), so
//! `#!lua name="my lib"` names `my lib` (which the name rules then refuse). The code handed to
//! the engine starts at the line feed of that line, so line numbers count the shebang.
//! Errors are Redis's texts without the `ERR ` code.

/// What the first line says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Metadata {
    /// The library's name.
    pub name: Vec<u8>,
    /// The engine (`LUA`, in any case).
    pub engine: Vec<u8>,
    /// Where the code after the first line starts (at its line feed).
    pub code_start: usize,
}

/// Reads the metadata line of `payload`.
pub(crate) fn parse(payload: &[u8]) -> Result<Metadata, Vec<u8>> {
    if !payload.starts_with(b"#!") {
        return Err(b"Missing library metadata".to_vec());
    }
    // `strchr` on a C string: a NUL ends the search.
    let Some(end) = payload.iter().position(|&b| b == b'\n' || b == 0) else {
        return Err(b"Invalid library metadata".to_vec());
    };
    if payload[end] == 0 {
        return Err(b"Invalid library metadata".to_vec());
    }
    let parts = match split_args(&payload[..end]) {
        Some(parts) if !parts.is_empty() => parts,
        _ => return Err(b"Invalid library metadata".to_vec()),
    };
    let engine = parts[0].get(2..).unwrap_or_default().to_vec();
    let mut name: Option<Vec<u8>> = None;
    for part in &parts[1..] {
        if part.len() >= 5 && part[..5].eq_ignore_ascii_case(b"name=") {
            if name.is_some() {
                return Err(
                    b"Invalid metadata value, name argument was given multiple times".to_vec(),
                );
            }
            name = Some(part[5..].to_vec());
            continue;
        }
        let mut err = b"Invalid metadata value given: ".to_vec();
        err.extend_from_slice(c_str(part));
        return Err(err);
    }
    let Some(name) = name else {
        return Err(b"Library name was not given".to_vec());
    };
    Ok(Metadata {
        name,
        engine,
        code_start: end,
    })
}

/// `functionsVerifyName`: at least one character, each a letter, digit or underscore.
pub(crate) fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The text Redis prints for a bad library or function name.
pub(crate) const BAD_NAME: &str = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/// A byte string as `%s` prints it: up to its first NUL.
pub(crate) fn c_str(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

/// C's `isspace`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Redis's `sdssplitargs`: words separated by spaces, `"..."` with `\n`, `\xHH`... escapes,
/// `'...'` with `\'`; `None` for unbalanced quotes or a closing quote not followed by a space.
/// `line` holds no NUL (the caller stops at the first).
fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    let mut parts = Vec::new();
    let mut p = 0;
    loop {
        while at(p) != 0 && is_space(at(p)) {
            p += 1;
        }
        if at(p) == 0 {
            return Some(parts);
        }
        let (mut in_dq, mut in_sq, mut done) = (false, false, false);
        let mut current = Vec::new();
        while !done {
            let c = at(p);
            if in_dq {
                if c == b'\\'
                    && at(p + 1) == b'x'
                    && at(p + 2).is_ascii_hexdigit()
                    && at(p + 3).is_ascii_hexdigit()
                {
                    current.push(hex(at(p + 2)) * 16 + hex(at(p + 3)));
                    p += 3;
                } else if c == b'\\' && at(p + 1) != 0 {
                    p += 1;
                    current.push(match at(p) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                } else if c == b'"' {
                    if at(p + 1) != 0 && !is_space(at(p + 1)) {
                        return None;
                    }
                    done = true;
                } else if c == 0 {
                    return None;
                } else {
                    current.push(c);
                }
            } else if in_sq {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if at(p + 1) != 0 && !is_space(at(p + 1)) {
                        return None;
                    }
                    done = true;
                } else if c == 0 {
                    return None;
                } else {
                    current.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => done = true,
                    b'"' => in_dq = true,
                    b'\'' => in_sq = true,
                    other => current.push(other),
                }
            }
            if at(p) != 0 {
                p += 1;
            }
        }
        parts.push(current);
    }
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(payload: &[u8]) -> String {
        String::from_utf8(parse(payload).unwrap_err()).unwrap()
    }

    #[test]
    fn names_and_engines_are_read() {
        let md = parse(b"#!lua name=mylib\nreturn 1").unwrap();
        assert_eq!(md.name, b"mylib");
        assert_eq!(md.engine, b"lua");
        assert_eq!(md.code_start, 16);
        let md = parse(b"#!LUA   NAME=\"a b\"  \n").unwrap();
        assert_eq!(md.name, b"a b");
        assert_eq!(md.engine, b"LUA");
    }

    #[test]
    fn errors_are_redis_texts() {
        assert_eq!(err(b"return 1"), "Missing library metadata");
        assert_eq!(err(b"#!lua name=x"), "Invalid library metadata");
        assert_eq!(err(b"#!lua name=x\0\n"), "Invalid library metadata");
        assert_eq!(err(b"#!lua name=\"x\n"), "Invalid library metadata");
        assert_eq!(err(b"#!lua\n"), "Library name was not given");
        assert_eq!(
            err(b"#!lua name=a name=b\n"),
            "Invalid metadata value, name argument was given multiple times"
        );
        assert_eq!(
            err(b"#!lua foo=bar\n"),
            "Invalid metadata value given: foo=bar"
        );
    }

    #[test]
    fn name_rules() {
        assert!(valid_name(b"abc_09"));
        assert!(!valid_name(b""));
        assert!(!valid_name(b"a-b"));
        assert!(!valid_name(b"a b"));
    }

    #[test]
    fn split_args_handles_quotes() {
        assert_eq!(
            split_args(b"a \"b\\x41\\n\" 'c\\'d'").unwrap(),
            vec![b"a".to_vec(), b"bA\n".to_vec(), b"c'd".to_vec()]
        );
        assert!(split_args(b"\"a\"b").is_none());
        assert!(split_args(b"'a").is_none());
        assert_eq!(split_args(b"   ").unwrap(), Vec::<Vec<u8>>::new());
    }
}
