//! Redis 7.0 compatible scripting on the Ferrous VM: KEYS/ARGV, `redis.*`, RESP conversion.
//!
//! - `reply.rs`: [`Reply`], the RESP3-shaped value commands and scripts answer with.
//! - `libs/`: `cjson`, `cmsgpack`, `bit`, `struct`, as Redis bundles them.
//! - `engine/`: [`ScriptEngine`], EVAL/EVALSHA/SCRIPT on one sandboxed VM.
//! - `functions/`: Redis 7.0 Functions (`FUNCTION ...`, `FCALL`) in a second VM of the engine.
//! - `host.rs`: [`CommandHost`], what `redis.call` reaches, implemented by an embedder.
//! - `memhost/`: `MemoryHost`, a ready in-memory keyspace with Redis's semantics (feature `memory-host`).

mod commands;
mod engine;
mod functions;
mod glob;
mod host;
mod libs;
#[cfg(feature = "memory-host")]
mod memhost;
mod reply;

pub use crate::commands::{
    AclCategories, CommandError, CommandFlags, CommandSpec, KeyFlags, KeyPositions, KeySpec,
    all_commands, crc16, key_hash_slot, keys_of, keys_with_flags, lookup as lookup_command,
    lookup_sub as lookup_subcommand, resolve as resolve_command,
};
pub use crate::engine::{EngineConfig, EngineError, KillSwitch, Poll, ScriptEngine, ScriptFlags};
pub use crate::host::{AclDenied, CallContext, CommandHost};
pub use crate::libs::bit::open as open_bit;
pub use crate::libs::cjson::open as open_cjson;
pub use crate::libs::cmsgpack::open as open_cmsgpack;
pub use crate::libs::structlib::open as open_struct;
#[cfg(feature = "memory-host")]
pub use crate::memhost::{Clock, ManualClock, MemoryHost, SystemClock};
pub use crate::reply::Reply;

/// The Redis version scripts see (`redis.REDIS_VERSION`) and servers report.
pub const REDIS_VERSION: &str = "7.0.15";
/// `redis.REDIS_VERSION_NUM`: `0x00MMmmpp`.
pub const REDIS_VERSION_NUM: u32 = 0x0007_000f;

/// The lowercase hex SHA1 of `bytes` (script names, `redis.sha1hex`).
pub fn sha1_hex(bytes: &[u8]) -> String {
    sha1_smol::Sha1::from(bytes).digest().to_string()
}
pub use crate::reply::cli::{CliError, render_no_raw, render_no_raw_bytes, render_raw};
pub use crate::reply::resp::{
    Argv, MAX_REPLY_DEPTH, ProtocolError, RequestLimits, encode as encode_reply, parse_reply,
    parse_request, parse_request_into,
};
