//! The `#!lua flags=...` line of a script (Redis 7.0's `evalExtractShebangFlags`).
//!
//! A script without a shebang runs in "compatibility mode": it may write, and the flags are
//! those of the commands it calls. A shebang declares the script's flags up front; line numbers
//! still count the shebang line (its text is dropped, its line feed kept).

/// The flags a script declares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScriptFlags(u8);

impl ScriptFlags {
    /// `no-writes`: the script only reads.
    pub const NO_WRITES: ScriptFlags = ScriptFlags(1);
    /// `allow-oom`: the script may run past `maxmemory`.
    pub const ALLOW_OOM: ScriptFlags = ScriptFlags(1 << 1);
    /// `allow-stale`: the script may run on a stale replica.
    pub const ALLOW_STALE: ScriptFlags = ScriptFlags(1 << 2);
    /// `no-cluster`: the script refuses to run in cluster mode.
    pub const NO_CLUSTER: ScriptFlags = ScriptFlags(1 << 3);
    /// `allow-cross-slot-keys`: the script may access keys of several slots.
    pub const ALLOW_CROSS_SLOT: ScriptFlags = ScriptFlags(1 << 4);
    /// No shebang: Redis 6 compatible behaviour.
    pub const EVAL_COMPAT: ScriptFlags = ScriptFlags(1 << 5);

    const NAMES: [(&'static [u8], ScriptFlags); 5] = [
        (b"no-writes", ScriptFlags::NO_WRITES),
        (b"allow-oom", ScriptFlags::ALLOW_OOM),
        (b"allow-stale", ScriptFlags::ALLOW_STALE),
        (b"no-cluster", ScriptFlags::NO_CLUSTER),
        (b"allow-cross-slot-keys", ScriptFlags::ALLOW_CROSS_SLOT),
    ];

    /// Whether every flag of `other` is set.
    pub fn contains(self, other: ScriptFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Looks a flag up by its shebang name.
    pub fn from_name(name: &[u8]) -> Option<ScriptFlags> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, flag)| flag)
    }
}

impl std::ops::BitOr for ScriptFlags {
    type Output = ScriptFlags;
    fn bitor(self, rhs: ScriptFlags) -> ScriptFlags {
        ScriptFlags(self.0 | rhs.0)
    }
}

impl std::ops::BitOrAssign for ScriptFlags {
    fn bitor_assign(&mut self, rhs: ScriptFlags) {
        self.0 |= rhs.0;
    }
}

/// Reads the shebang of `body`: the declared flags and how many bytes the shebang line takes
/// (up to, not including, its line feed). The error is Redis's text without the `ERR ` code.
pub fn parse(body: &[u8]) -> Result<(ScriptFlags, usize), String> {
    if !body.starts_with(b"#!") {
        return Ok((ScriptFlags::EVAL_COMPAT, 0));
    }
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return Err("Invalid script shebang".to_owned());
    };
    let mut parts = body[..end]
        .split(|b| b.is_ascii_whitespace() || *b == b'\x0b')
        .filter(|part| !part.is_empty());
    let engine = parts.next().unwrap_or_default();
    if engine != b"#!lua" {
        return Err(format!(
            "Unexpected engine in script shebang: {}",
            String::from_utf8_lossy(engine)
        ));
    }
    let mut flags = ScriptFlags::default();
    for part in parts {
        let Some(list) = part.strip_prefix(b"flags=") else {
            return Err(format!(
                "Unknown lua shebang option: {}",
                String::from_utf8_lossy(part)
            ));
        };
        if list.is_empty() {
            continue;
        }
        for name in list.split(|&b| b == b',') {
            match ScriptFlags::from_name(name) {
                Some(flag) => flags |= flag,
                None => {
                    return Err(format!(
                        "Unexpected flag in script shebang: {}",
                        String::from_utf8_lossy(name)
                    ));
                }
            }
        }
    }
    Ok((flags, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_shebang_is_compat_mode() {
        assert_eq!(parse(b"return 1"), Ok((ScriptFlags::EVAL_COMPAT, 0)));
    }

    #[test]
    fn flags_are_read() {
        let (flags, len) = parse(b"#!lua flags=no-writes,allow-oom\nreturn 1").unwrap();
        assert!(flags.contains(ScriptFlags::NO_WRITES | ScriptFlags::ALLOW_OOM));
        assert!(!flags.contains(ScriptFlags::EVAL_COMPAT));
        assert_eq!(len, 31);
        assert_eq!(parse(b"#!lua\nreturn 1"), Ok((ScriptFlags::default(), 5)));
    }

    #[test]
    fn errors_are_redis_texts() {
        assert_eq!(parse(b"#!lua").unwrap_err(), "Invalid script shebang");
        assert_eq!(
            parse(b"#!not-lua\n").unwrap_err(),
            "Unexpected engine in script shebang: #!not-lua"
        );
        assert_eq!(
            parse(b"#!lua badger=data\n").unwrap_err(),
            "Unknown lua shebang option: badger=data"
        );
        assert_eq!(
            parse(b"#!lua flags=no-writes,what?\n").unwrap_err(),
            "Unexpected flag in script shebang: what?"
        );
    }
}
