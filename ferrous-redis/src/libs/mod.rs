//! The Lua libraries Redis 7.0 bundles into every script's environment, one file each:
//! `cjson`, `cmsgpack`, `bit` and `struct`. Each is opened into a VM through ferrous-vm's public
//! API and is usable outside the Redis sandbox too ([`crate::open_cjson`] and friends).

pub(crate) mod bit;
pub(crate) mod cjson;
pub(crate) mod cmsgpack;
pub(crate) mod layouts;
pub(crate) mod strcache;
pub(crate) mod structlib;

/// Empties a buffer a library keeps between calls, and drops its allocation when an input grew
/// it past `keep` elements, so that one large document does not stay allocated for good.
pub(crate) fn recycle<T>(buf: &mut Vec<T>, keep: usize) {
    buf.clear();
    if buf.capacity() > keep {
        *buf = Vec::new();
    }
}
