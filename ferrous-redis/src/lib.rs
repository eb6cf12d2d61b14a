//! Redis 7.0 compatible scripting on the Ferrous VM: KEYS/ARGV, `redis.*`, RESP conversion.
//!
//! Work in progress: lands with the Redis issue.
