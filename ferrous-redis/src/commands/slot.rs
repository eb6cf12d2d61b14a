//! Redis Cluster hash slots: `keyHashSlot` and its CRC16 (`crc16.c`, the XMODEM variant:
//! polynomial 0x1021, initial value 0, no reflection), as Redis 7.0 computes them.
//!
//! A key's slot is `crc16(key) & 16383`, except that when the key holds a `{` followed later by a
//! `}` with at least one byte between them, only the bytes between the first `{` and the first `}`
//! after it are hashed (`{user1000}.following` and `{user1000}.followers` share a slot).

/// The number of hash slots of a Redis Cluster.
pub const CLUSTER_SLOTS: u16 = 16384;

/// The CRC16 lookup table for polynomial 0x1021, built at compile time.
const CRC16_TABLE: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

/// CRC16-XMODEM of `bytes`, Redis's `crc16` (`crc16(b"123456789") == 0x31c3`).
pub fn crc16(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0u16, |crc, &byte| {
        let index = usize::from(((crc >> 8) as u8) ^ byte);
        (crc << 8) ^ CRC16_TABLE[index]
    })
}

/// The cluster hash slot of `key` (0..16384), honouring `{hash tags}` exactly as `keyHashSlot`.
pub fn key_hash_slot(key: &[u8]) -> u16 {
    let hashed = key
        .iter()
        .position(|&b| b == b'{')
        .and_then(|open| {
            let after = key.get(open + 1..)?;
            let close = after.iter().position(|&b| b == b'}')?;
            // `{}` (nothing between) hashes the whole key.
            (close > 0).then(|| after.get(..close)).flatten()
        })
        .unwrap_or(key);
    crc16(hashed) & (CLUSTER_SLOTS - 1)
}
