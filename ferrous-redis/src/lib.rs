//! Redis 7.0 compatible scripting on the Ferrous VM: KEYS/ARGV, `redis.*`, RESP conversion.
//!
//! - `reply.rs`: [`Reply`], the RESP3-shaped value commands and scripts answer with.
//! - `host.rs`: [`CommandHost`], what `redis.call` reaches, implemented by an embedder.

mod host;
mod reply;

pub use crate::host::{CallContext, CommandHost};
pub use crate::reply::Reply;
