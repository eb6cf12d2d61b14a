//! Redis 7.0 compatible scripting on the Ferrous VM: KEYS/ARGV, `redis.*`, RESP conversion.
//!
//! - `reply.rs`: [`Reply`], the RESP3-shaped value commands and scripts answer with.
//! - `libs/`: `cjson`, `cmsgpack`, `bit`, `struct`, as Redis bundles them.
//! - `host.rs`: [`CommandHost`], what `redis.call` reaches, implemented by an embedder.

mod commands;
mod host;
mod libs;
mod reply;

pub use crate::commands::{
    AclCategories, CommandError, CommandFlags, CommandSpec, KeyPositions, all_commands, crc16,
    key_hash_slot, keys_of, lookup as lookup_command, lookup_sub as lookup_subcommand,
    resolve as resolve_command,
};
pub use crate::host::{CallContext, CommandHost};
pub use crate::libs::bit::open as open_bit;
pub use crate::libs::cjson::open as open_cjson;
pub use crate::libs::cmsgpack::open as open_cmsgpack;
pub use crate::libs::structlib::open as open_struct;
pub use crate::reply::Reply;
pub use crate::reply::cli::{CliError, render_no_raw, render_no_raw_bytes, render_raw};
pub use crate::reply::resp::{
    Argv, MAX_REPLY_DEPTH, ProtocolError, RequestLimits, encode as encode_reply, parse_reply,
    parse_request,
};
