//! The size Redis's listpack encoding gives a stream node (`listpack.c`, `streamAppendItem`),
//! so that nodes fill up by `stream-node-max-bytes` where Redis's do, and approximate trimming
//! removes the same entries. Only sizes are modelled; no bytes are written.
//!
//! A node is the listpack header and end (7 bytes), the master entry (`count`, `deleted`,
//! `num-fields`, the fields, a 0), then per entry: flags, ms and seq deltas from the master ID,
//! the fields (only the values when they are the master's), and `lp-count`.

use super::stream_id::StreamId;

/// The listpack header (total bytes, element count) and its end byte.
pub(crate) const LISTPACK_OVERHEAD: usize = 7;

/// The bytes of an integer's encoding (`lpEncodeGetType`).
fn int_encoding(value: i64) -> usize {
    match value {
        0..=127 => 1,
        -4096..=4095 => 2,
        -32_768..=32_767 => 3,
        -8_388_608..=8_388_607 => 4,
        -2_147_483_648..=2_147_483_647 => 5,
        _ => 9,
    }
}

/// The bytes of the back-length that follows an element of `len` encoded bytes.
fn backlen(len: usize) -> usize {
    match len {
        0..=127 => 1,
        128..=16_382 => 2,
        16_383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    }
}

/// An integer element.
fn int_element(value: i64) -> usize {
    let encoded = int_encoding(value);
    encoded + backlen(encoded)
}

/// A string element: stored as an integer when it reads as one (`lpStringToInt64`).
fn string_element(bytes: &[u8]) -> usize {
    if let Some(value) = crate::reply::resp::string2ll(bytes) {
        return int_element(value);
    }
    let encoded = match bytes.len() {
        0..=63 => 1 + bytes.len(),
        64..=4095 => 2 + bytes.len(),
        _ => 5 + bytes.len(),
    };
    encoded + backlen(encoded)
}

/// The master entry of a node with `live` and `deleted` entries and `fields`.
pub(crate) fn master_size(live: u64, deleted: u64, fields: &[Vec<u8>]) -> usize {
    let count = |n: u64| int_element(i64::try_from(n).unwrap_or(i64::MAX));
    count(live)
        + count(deleted)
        + count(fields.len() as u64)
        + fields.iter().map(|f| string_element(f)).sum::<usize>()
        + int_element(0)
}

/// The fields (every other element) of a flat `field, value, ...` list.
pub(crate) fn field_names(fields: &[Vec<u8>]) -> Vec<Vec<u8>> {
    fields.iter().step_by(2).cloned().collect()
}

/// One entry with `id` and `fields` (`field, value, ...`) in a node whose master is `master`
/// with `master_fields`.
pub(crate) fn entry_size(
    id: StreamId,
    master: StreamId,
    fields: &[Vec<u8>],
    master_fields: &[Vec<u8>],
) -> usize {
    let n_fields = fields.len() / 2;
    let same = n_fields == master_fields.len()
        && fields
            .iter()
            .step_by(2)
            .zip(master_fields)
            .all(|(a, b)| a == b);
    // The deltas are unsigned differences stored as int64.
    let ms_delta = id.ms.wrapping_sub(master.ms) as i64;
    let seq_delta = id.seq.wrapping_sub(master.seq) as i64;
    let mut size = int_element(0) + int_element(ms_delta) + int_element(seq_delta);
    let mut lp_count = n_fields as u64 + 3;
    if same {
        size += fields
            .iter()
            .skip(1)
            .step_by(2)
            .map(|v| string_element(v))
            .sum::<usize>();
    } else {
        size += int_element(n_fields as i64);
        size += fields.iter().map(|f| string_element(f)).sum::<usize>();
        lp_count += n_fields as u64 + 1;
    }
    size + int_element(i64::try_from(lp_count).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::{LISTPACK_OVERHEAD, entry_size, master_size};
    use crate::memhost::stream_id::StreamId;

    #[test]
    fn sizes_follow_the_listpack_encoding() {
        let fields = vec![b"field".to_vec(), vec![b'x'; 200]];
        let names = vec![b"field".to_vec()];
        let id = StreamId { ms: 1, seq: 0 };
        // Header, master entry (count 1, deleted 0, one field, "field", 0), one entry.
        assert_eq!(LISTPACK_OVERHEAD + master_size(1, 0, &names), 22);
        assert_eq!(entry_size(id, id, &fields, &names), 212);
        let other = vec![b"f".to_vec(), b"12".to_vec()];
        assert_eq!(
            entry_size(id, id, &other, &names),
            2 + 2 + 2 + 2 + 3 + 2 + 2
        );
    }
}
