//! `LMPOP` and `ZMPOP` (`numkeys key... LEFT|RIGHT|MIN|MAX [COUNT n]`) over the in-memory
//! keyspace, which has `LPOP`/`RPOP`/`ZPOPMIN`/`ZPOPMAX` with a count but not these; the
//! blocking forms (`BLMPOP`, `BZMPOP`) retry them (`blocking.rs`). Argument errors are
//! Redis 7.0's texts.

use ferrous_redis::{CallContext, CommandHost, MemoryHost, Reply};

/// `numkeys` at `argv[at]`: the keys, whether it pops from the left/min end, and the count.
fn parse(
    argv: &[Vec<u8>],
    at: usize,
    ends: [&[u8]; 2],
) -> Result<(Vec<Vec<u8>>, bool, i64), Reply> {
    let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
    let numkeys = std::str::from_utf8(&argv[at])
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| Reply::error("ERR numkeys should be greater than 0"))?;
    let available =
        i64::try_from(argv.len()).unwrap_or(i64::MAX) - i64::try_from(at).unwrap_or(0) - 2;
    if numkeys > available {
        return Err(Reply::error(format!(
            "ERR wrong number of arguments for '{name}' command"
        )));
    }
    let first = at + 1;
    let end_at = first + usize::try_from(numkeys).unwrap_or(0);
    let keys = argv[first..end_at].to_vec();
    let end = argv[end_at].to_ascii_lowercase();
    let left = if end == ends[0] {
        true
    } else if end == ends[1] {
        false
    } else {
        return Err(Reply::error("ERR syntax error"));
    };
    let mut count = 1;
    match &argv[end_at + 1..] {
        [] => {}
        [word, n] if word.eq_ignore_ascii_case(b"count") => {
            count = std::str::from_utf8(n)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| Reply::error("ERR count should be greater than 0"))?;
        }
        _ => return Err(Reply::error("ERR syntax error")),
    }
    Ok((keys, left, count))
}

/// `LMPOP`/`ZMPOP` (`zset`), with `numkeys` at `argv[at]` (2 for the blocking forms).
pub(crate) fn mpop(
    host: &mut MemoryHost,
    ctx: &CallContext,
    argv: &[Vec<u8>],
    at: usize,
    zset: bool,
) -> Reply {
    let ends: [&[u8]; 2] = if zset {
        [b"min", b"max"]
    } else {
        [b"left", b"right"]
    };
    let (keys, left, count) = match parse(argv, at, ends) {
        Ok(parsed) => parsed,
        Err(reply) => return reply,
    };
    let pop: &[u8] = match (zset, left) {
        (false, true) => b"lpop",
        (false, false) => b"rpop",
        (true, true) => b"zpopmin",
        (true, false) => b"zpopmax",
    };
    // RESP2 inside, so sorted-set pops come back flat: member, score, member, score.
    let inner = CallContext { resp: 2, ..*ctx };
    for key in keys {
        let reply = host.call(
            &inner,
            &[pop.to_vec(), key.clone(), count.to_string().into_bytes()],
        );
        let items = match reply {
            Reply::Error(text) => return Reply::Error(text),
            Reply::Array(items) if !items.is_empty() => items,
            _ => continue,
        };
        let popped = if zset {
            items
                .chunks(2)
                .map(|pair| {
                    let score = match pair.get(1) {
                        Some(Reply::Bulk(s)) if ctx.resp == 3 => std::str::from_utf8(s)
                            .ok()
                            .and_then(|s| s.parse::<f64>().ok())
                            .map_or(Reply::Nil, Reply::Double),
                        Some(other) => other.clone(),
                        None => Reply::Nil,
                    };
                    Reply::Array(vec![pair[0].clone(), score])
                })
                .collect()
        } else {
            items
        };
        return Reply::Array(vec![Reply::Bulk(key), Reply::Array(popped)]);
    }
    Reply::NilArray
}
