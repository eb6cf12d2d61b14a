//! What `redis.call`'s checks need to know about a command, from Redis 7.0's command table
//! (`crate::commands`): `lookupCommand` as scripts use it.

use crate::commands::{self, CommandFlags, CommandSpec};

/// The command an argv names (`lookupCommand`): for a container command with an argument, its
/// subcommand, or `None` when that does not exist.
pub(crate) fn lookup(argv: &[Vec<u8>]) -> Option<&'static CommandSpec> {
    let base = commands::lookup(argv.first()?)?;
    match argv.get(1) {
        Some(sub) if base.is_container() => base.subcommand(sub),
        _ => Some(base),
    }
}

/// `CMD_NOSCRIPT`.
pub(crate) fn noscript(spec: &CommandSpec) -> bool {
    spec.flags.contains(CommandFlags::NOSCRIPT)
}

/// `CMD_WRITE`.
pub(crate) fn write(spec: &CommandSpec) -> bool {
    spec.flags.contains(CommandFlags::WRITE)
}

/// `CMD_WRITE | CMD_MAY_REPLICATE`: refused in read-only scripts.
pub(crate) fn may_write(spec: &CommandSpec) -> bool {
    write(spec) || spec.flags.contains(CommandFlags::MAY_REPLICATE)
}

/// `CMD_DENYOOM`.
pub(crate) fn denyoom(spec: &CommandSpec) -> bool {
    spec.flags.contains(CommandFlags::DENYOOM)
}
