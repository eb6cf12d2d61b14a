//! The `FUNCTION DUMP` payload: Ferrous's own format, not Redis's RDB encoding.
//!
//! ```text
//! "FRFN"  version:u16le  count:u32le  { len:u32le  code[len] } * count  crc64:u64le
//! ```
//!
//! Each library is stored as its code (metadata line included), as Redis stores it; restoring
//! loads the code again. The checksum is Redis's CRC-64 (Jones polynomial, reflected) over
//! everything before it, started at and xored with all ones: with Redis's zero start, a payload
//! with a zero byte appended would still check (the CRC of data followed by its own CRC is 0). Decoding checks the length, checksum, magic and version before it
//! reads anything, and every length against what is left: a truncated, corrupted or foreign
//! payload is a [`DumpError`], never a panic.

/// The format version this code writes and reads.
pub(crate) const VERSION: u16 = 1;
const MAGIC: &[u8; 4] = b"FRFN";
/// Magic, version and count.
const HEADER: usize = 4 + 2 + 4;
const TRAILER: usize = 8;

/// Why a payload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DumpError {
    /// Too short, a wrong checksum, magic or version (Redis's `verifyDumpPayload`).
    #[error("DUMP payload version or checksum are wrong")]
    VersionOrChecksum,
    /// The checksum holds but the content does not parse.
    #[error("Failed loading library payload")]
    Malformed,
}

/// Encodes library codes.
pub(crate) fn encode<'a>(codes: impl Iterator<Item = &'a [u8]>) -> Vec<u8> {
    let codes: Vec<&[u8]> = codes.collect();
    let mut out =
        Vec::with_capacity(HEADER + TRAILER + codes.iter().map(|c| c.len() + 4).sum::<usize>());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&len_u32(codes.len()).to_le_bytes());
    for code in codes {
        out.extend_from_slice(&len_u32(code.len()).to_le_bytes());
        out.extend_from_slice(code);
    }
    let crc = checksum(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The payload's checksum of `body`.
pub(crate) fn checksum(body: &[u8]) -> u64 {
    !crc64(!0, body)
}

/// A length as stored (library codes are far below 4 GiB; a larger one saturates, and its
/// payload then fails to decode rather than decoding wrongly).
fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// Decodes a payload into library codes.
pub(crate) fn decode(payload: &[u8]) -> Result<Vec<&[u8]>, DumpError> {
    if payload.len() < HEADER + TRAILER {
        return Err(DumpError::VersionOrChecksum);
    }
    let (body, trailer) = payload.split_at(payload.len() - TRAILER);
    let stored = u64::from_le_bytes(
        trailer
            .try_into()
            .map_err(|_| DumpError::VersionOrChecksum)?,
    );
    if checksum(body) != stored || &body[..4] != MAGIC {
        return Err(DumpError::VersionOrChecksum);
    }
    let mut reader = Reader { rest: &body[4..] };
    if reader.u16()? != VERSION {
        return Err(DumpError::VersionOrChecksum);
    }
    let count = reader.u32()?;
    let mut codes = Vec::new();
    for _ in 0..count {
        let len = reader.u32()? as usize;
        codes.push(reader.take(len)?);
    }
    if !reader.rest.is_empty() {
        return Err(DumpError::Malformed);
    }
    Ok(codes)
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DumpError> {
        if n > self.rest.len() {
            return Err(DumpError::Malformed);
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn u16(&mut self) -> Result<u16, DumpError> {
        let bytes = self.take(2)?;
        Ok(u16::from_le_bytes([bytes[0], bytes[1]]))
    }

    fn u32(&mut self) -> Result<u32, DumpError> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }
}

/// The reflected Jones polynomial of Redis's `crc64`.
const POLY: u64 = 0x95ac_9329_ac4b_c9b5;

const fn crc_table() -> [u64; 256] {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u64;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
}

static CRC_TABLE: [u64; 256] = crc_table();

/// Redis's `crc64(crc, bytes)`.
pub(crate) fn crc64(mut crc: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        crc = CRC_TABLE[((crc ^ u64::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    crc
}
