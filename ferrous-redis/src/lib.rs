//! Redis 7.0 compatible scripting on the Ferrous VM: KEYS/ARGV, `redis.*`, RESP conversion.
//!
//! - `reply.rs`: [`Reply`], the RESP3-shaped value commands and scripts answer with.
//! - `libs/`: `cjson`, `cmsgpack`, `bit`, `struct`, as Redis bundles them.
//! - `host.rs`: [`CommandHost`], what `redis.call` reaches, implemented by an embedder.
//! - `memhost/`: `MemoryHost`, a ready in-memory keyspace with Redis's semantics (feature `memory-host`).

mod host;
mod libs;
#[cfg(feature = "memory-host")]
mod memhost;
mod reply;

pub use crate::host::{CallContext, CommandHost};
pub use crate::libs::bit::open as open_bit;
pub use crate::libs::cjson::open as open_cjson;
pub use crate::libs::cmsgpack::open as open_cmsgpack;
pub use crate::libs::structlib::open as open_struct;
#[cfg(feature = "memory-host")]
pub use crate::memhost::{Clock, ManualClock, MemoryHost, SystemClock};
pub use crate::reply::Reply;
