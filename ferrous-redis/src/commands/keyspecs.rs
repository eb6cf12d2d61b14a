//! Redis 7.0's key specifications: for each key a command names, how it is accessed
//! ([`KeyFlags`]: `RO`/`RW`/`OW`/`RM`, `access`, `update`, `insert`, `delete`), as
//! `getKeysFromCommandWithSpecs` finds them. ACL key permissions (`%R~`, `%W~`) are decided from
//! these flags.
//!
//! - [`KeySpec`]: one specification of the table (`table.rs`, generated from `COMMAND`): flags,
//!   where the search begins ([`BeginSearch`]), how keys are found from there ([`FindKeys`]).
//! - [`keys_with_flags`]: the keys of an argv with their flags. Like Redis it uses the
//!   specifications unless one has `variable_flags` or is incomplete or unknown for this argv;
//!   then the command's own procedure decides (`SET` with `GET`, `BITFIELD` with only `GET`s,
//!   `SORT`, `MIGRATE`), and the rest get no flags (any key pattern allows them).
//!
//! Invariant: the positions returned are inside `argv`.

use super::{CommandFlags, CommandSpec, keys_of};

/// How a command accesses one key (Redis's `CMD_KEY_*`, same bits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KeyFlags(u16);

impl KeyFlags {
    /// `RO`: read only.
    pub const RO: KeyFlags = KeyFlags(1 << 0);
    /// `RW`: read and write.
    pub const RW: KeyFlags = KeyFlags(1 << 1);
    /// `OW`: overwrite.
    pub const OW: KeyFlags = KeyFlags(1 << 2);
    /// `RM`: may delete.
    pub const RM: KeyFlags = KeyFlags(1 << 3);
    /// `access`: returns, copies or uses the user data.
    pub const ACCESS: KeyFlags = KeyFlags(1 << 4);
    /// `update`: updates data in the value.
    pub const UPDATE: KeyFlags = KeyFlags(1 << 5);
    /// `insert`: adds data to the value.
    pub const INSERT: KeyFlags = KeyFlags(1 << 6);
    /// `delete`: removes data from the value.
    pub const DELETE: KeyFlags = KeyFlags(1 << 7);
    /// `not_key`: not a key (a shard channel in its place).
    pub const NOT_KEY: KeyFlags = KeyFlags(1 << 8);
    /// `incomplete`: the specification may miss keys.
    pub const INCOMPLETE: KeyFlags = KeyFlags(1 << 9);
    /// `variable_flags`: the flags depend on the arguments.
    pub const VARIABLE_FLAGS: KeyFlags = KeyFlags(1 << 10);

    /// No flags.
    pub const fn empty() -> KeyFlags {
        KeyFlags(0)
    }

    /// Both sets of flags.
    #[must_use]
    pub const fn union(self, other: KeyFlags) -> KeyFlags {
        KeyFlags(self.0 | other.0)
    }

    /// Whether every flag of `other` is set.
    pub const fn contains(self, other: KeyFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any flag of `other` is set.
    pub const fn intersects(self, other: KeyFlags) -> bool {
        self.0 & other.0 != 0
    }

    /// The flags' names as `COMMAND INFO` and `COMMAND GETKEYSANDFLAGS` show them
    /// (`addReplyFlagsForKeyArgs`), in Redis's order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        const NAMES: [(KeyFlags, &str); 11] = [
            (KeyFlags::RO, "RO"),
            (KeyFlags::RW, "RW"),
            (KeyFlags::OW, "OW"),
            (KeyFlags::RM, "RM"),
            (KeyFlags::ACCESS, "access"),
            (KeyFlags::UPDATE, "update"),
            (KeyFlags::INSERT, "insert"),
            (KeyFlags::DELETE, "delete"),
            (KeyFlags::NOT_KEY, "not_key"),
            (KeyFlags::INCOMPLETE, "incomplete"),
            (KeyFlags::VARIABLE_FLAGS, "variable_flags"),
        ];
        NAMES
            .into_iter()
            .filter(move |(flag, _)| self.contains(*flag))
            .map(|(_, name)| name)
    }

    /// Whether ACL needs read permission for the key (`access`).
    pub const fn needs_read(self) -> bool {
        self.intersects(KeyFlags::ACCESS)
    }

    /// Whether ACL needs write permission for the key (`insert`, `delete` or `update`).
    pub const fn needs_write(self) -> bool {
        self.intersects(KeyFlags(
            KeyFlags::INSERT.0 | KeyFlags::DELETE.0 | KeyFlags::UPDATE.0,
        ))
    }
}

/// Where the search for a specification's keys begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BeginSearch {
    /// At this argument.
    Index(i32),
    /// After this keyword, searched from `startfrom` (negative: from the end, backwards).
    Keyword(&'static str, i32),
    /// Not expressible (the command's procedure knows).
    Unknown,
}

/// How a specification's keys are found from where the search began.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FindKeys {
    /// `lastkey` (relative; negative from the end), `keystep`, `limit`.
    Range(i32, i32, i32),
    /// The key count at `keynumidx`, the first key at `firstkey` (both relative), `keystep`.
    KeyNum(i32, i32, i32),
    /// Not expressible.
    Unknown,
}

/// One key specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub(crate) flags: KeyFlags,
    pub(crate) begin: BeginSearch,
    pub(crate) find: FindKeys,
}

/// A row of `table.rs`.
pub(crate) const fn ks(flags: KeyFlags, begin: BeginSearch, find: FindKeys) -> KeySpec {
    KeySpec { flags, begin, find }
}

/// The keys of `argv` with how `spec` accesses each (`getKeysFromCommandWithSpecs`).
pub fn keys_with_flags(spec: &CommandSpec, argv: &[Vec<u8>]) -> Vec<(usize, KeyFlags)> {
    let has_key = spec
        .key_specs
        .iter()
        .any(|k| !k.flags.contains(KeyFlags::NOT_KEY));
    let variable = spec
        .key_specs
        .iter()
        .any(|k| k.flags.contains(KeyFlags::VARIABLE_FLAGS));
    if has_key && !variable {
        if let Some(keys) = keys_from_specs(spec, argv) {
            return keys;
        }
    }
    // Without a key specification or a procedure of its own there are no keys
    // (`doesCommandHaveKeys`): `SPUBLISH`'s channel is no key.
    if !has_key && !spec.flags.contains(CommandFlags::MOVABLE_KEYS) {
        return Vec::new();
    }
    let mut keys = procedure_keys(spec, argv);
    // `SET`'s and `BITFIELD`'s procedures name argv[1] whatever the argument count.
    keys.retain(|(pos, _)| *pos < argv.len());
    keys
}

/// `getKeysUsingKeySpecs`; `None` where Redis falls back to the command's procedure.
fn keys_from_specs(spec: &CommandSpec, argv: &[Vec<u8>]) -> Option<Vec<(usize, KeyFlags)>> {
    let argc = i64::try_from(argv.len()).ok()?;
    let mut keys = Vec::new();
    for key_spec in spec.key_specs {
        if key_spec.flags.contains(KeyFlags::NOT_KEY) {
            continue;
        }
        let first = match key_spec.begin {
            BeginSearch::Index(pos) => i64::from(pos),
            BeginSearch::Keyword(keyword, startfrom) => {
                match find_keyword(argv, keyword, i64::from(startfrom)) {
                    Some(after) => after,
                    None => continue,
                }
            }
            BeginSearch::Unknown => return None,
        };
        let (first, last, step) = match key_spec.find {
            FindKeys::Range(lastkey, keystep, limit) => {
                let (lastkey, limit) = (i64::from(lastkey), i64::from(limit));
                let last = if lastkey >= 0 {
                    first + lastkey
                } else if limit == 0 {
                    argc + lastkey
                } else {
                    first + ((argc - first) / limit + lastkey)
                };
                (first, last, i64::from(keystep))
            }
            FindKeys::KeyNum(keynumidx, firstkey, keystep) => {
                let idx = usize::try_from(first + i64::from(keynumidx)).ok()?;
                let numkeys = std::str::from_utf8(argv.get(idx)?)
                    .ok()?
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)?;
                let first = first + i64::from(firstkey);
                (first, first + numkeys - 1, i64::from(keystep))
            }
            FindKeys::Unknown => return None,
        };
        // Out of bounds (a syntax error, or `numkeys` 0): the procedure decides, as in Redis.
        if last >= argc || last < first || first >= argc {
            return None;
        }
        let mut pos = first;
        while pos <= last && step > 0 {
            keys.push((usize::try_from(pos).ok()?, key_spec.flags));
            pos += step;
        }
        if key_spec.flags.contains(KeyFlags::INCOMPLETE) {
            return None;
        }
    }
    Some(keys)
}

/// The position after `keyword`, searched from `startfrom` (forwards when positive, backwards
/// from the end when negative).
fn find_keyword(argv: &[Vec<u8>], keyword: &str, startfrom: i64) -> Option<i64> {
    let argc = i64::try_from(argv.len()).ok()?;
    let (start, end) = if startfrom > 0 {
        (startfrom, argc - 1)
    } else {
        (argc + startfrom, 1)
    };
    let mut i = start;
    loop {
        if i >= argc || i < 1 {
            return None;
        }
        let arg = argv.get(usize::try_from(i).ok()?)?;
        if arg.eq_ignore_ascii_case(keyword.as_bytes()) {
            return Some(i + 1);
        }
        if i == end {
            return None;
        }
        i += if start <= end { 1 } else { -1 };
    }
}

/// The command's own key procedure, with the flags Redis's sets (`setGetKeys`,
/// `bitfieldGetKeys`, `sortGetKeys`, `migrateGetKeys`); other procedures set none.
fn procedure_keys(spec: &CommandSpec, argv: &[Vec<u8>]) -> Vec<(usize, KeyFlags)> {
    let rw_access_update = KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::UPDATE);
    match spec.name {
        "set" => {
            let get = argv.iter().skip(3).any(|a| a.eq_ignore_ascii_case(b"get"));
            let flags = if get {
                rw_access_update
            } else {
                KeyFlags::OW.union(KeyFlags::UPDATE)
            };
            vec![(1, flags)]
        }
        "bitfield" => {
            let flags = if bitfield_read_only(argv) {
                KeyFlags::RO.union(KeyFlags::ACCESS)
            } else {
                rw_access_update
            };
            vec![(1, flags)]
        }
        "sort" | "sort_ro" => keys_of(spec, argv)
            .map(|pos| {
                let flags = if pos == 1 {
                    KeyFlags::RO.union(KeyFlags::ACCESS)
                } else {
                    KeyFlags::OW.union(KeyFlags::UPDATE)
                };
                (pos, flags)
            })
            .collect(),
        "migrate" => keys_of(spec, argv)
            .map(|pos| {
                let flags = KeyFlags::RW.union(KeyFlags::ACCESS).union(KeyFlags::DELETE);
                (pos, flags)
            })
            .collect(),
        _ => keys_of(spec, argv)
            .map(|pos| (pos, KeyFlags::empty()))
            .collect(),
    }
}

/// `BITFIELD key` with only `GET` and `OVERFLOW` operations.
fn bitfield_read_only(argv: &[Vec<u8>]) -> bool {
    let mut i = 2;
    while i < argv.len() {
        let remaining = argv.len() - i - 1;
        let arg = &argv[i];
        if arg.eq_ignore_ascii_case(b"get") && remaining >= 2 {
            i += 3;
        } else if (arg.eq_ignore_ascii_case(b"set") || arg.eq_ignore_ascii_case(b"incrby"))
            && remaining >= 3
        {
            return false;
        } else if arg.eq_ignore_ascii_case(b"overflow") && remaining >= 1 {
            i += 2;
        } else {
            return false;
        }
    }
    true
}
