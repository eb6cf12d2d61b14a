//! `SORT` and `SORT_RO` (Redis 7.0's `sortCommand`) over the in-memory keyspace, built from
//! the keyspace's own commands (`TYPE`, `LRANGE`, `SMEMBERS`, `ZRANGE`, `GET`, `HGET`,
//! `DEL`, `RPUSH`), since `MemoryHost` has no `SORT`.
//!
//! Kept from Redis: numeric sort by default (`ERR One or more scores can't be converted into
//! double`), ties broken by comparing the elements' bytes, `BY` a constant pattern skips
//! sorting except for sets from scripts or with `STORE` (then sorted `ALPHA`, so replies are
//! deterministic), `GET #`, `GET pattern->field`, `LIMIT`, `STORE` as a list.

use std::cmp::Ordering;

use ferrous_redis::{CallContext, CommandHost, MemoryHost, Reply};

/// The parsed options.
struct SortOptions {
    desc: bool,
    alpha: bool,
    by: Option<Vec<u8>>,
    gets: Vec<Vec<u8>>,
    limit: Option<(i64, i64)>,
    store: Option<Vec<u8>>,
}

fn parse_int(arg: &[u8]) -> Option<i64> {
    std::str::from_utf8(arg).ok()?.parse().ok()
}

/// The options; `BY` with a pattern and `GET` need a user who may read every key
/// (`full_key_access`), as they read keys the command does not name.
fn parse_options(
    argv: &[Vec<u8>],
    read_only: bool,
    full_key_access: bool,
) -> Result<SortOptions, Reply> {
    let syntax = || Reply::error("ERR syntax error");
    let mut opts = SortOptions {
        desc: false,
        alpha: false,
        by: None,
        gets: Vec::new(),
        limit: None,
        store: None,
    };
    let mut i = 2;
    while i < argv.len() {
        let word = argv[i].to_ascii_lowercase();
        let left = argv.len() - i - 1;
        match word.as_slice() {
            b"asc" => opts.desc = false,
            b"desc" => opts.desc = true,
            b"alpha" => opts.alpha = true,
            b"limit" if left >= 2 => {
                let (Some(off), Some(count)) = (parse_int(&argv[i + 1]), parse_int(&argv[i + 2]))
                else {
                    return Err(Reply::error("ERR value is not an integer or out of range"));
                };
                opts.limit = Some((off, count));
                i += 2;
            }
            b"store" if left >= 1 && !read_only => {
                opts.store = Some(argv[i + 1].clone());
                i += 1;
            }
            b"by" if left >= 1 => {
                if argv[i + 1].contains(&b'*') && !full_key_access {
                    return Err(Reply::error(
                        "ERR BY option of SORT denied due to insufficient ACL permissions.",
                    ));
                }
                opts.by = Some(argv[i + 1].clone());
                i += 1;
            }
            b"get" if left >= 1 => {
                if !full_key_access {
                    return Err(Reply::error(
                        "ERR GET option of SORT denied due to insufficient ACL permissions.",
                    ));
                }
                opts.gets.push(argv[i + 1].clone());
                i += 1;
            }
            _ => return Err(syntax()),
        }
        i += 1;
    }
    Ok(opts)
}

/// `lookupKeyByPattern`: the value a `BY`/`GET` pattern names for `element`.
fn lookup(
    host: &mut MemoryHost,
    ctx: &CallContext,
    pattern: &[u8],
    element: &[u8],
) -> Option<Vec<u8>> {
    if pattern == b"#" {
        return Some(element.to_vec());
    }
    let star = pattern.iter().position(|&b| b == b'*')?;
    let arrow = pattern
        .windows(2)
        .rposition(|w| w == b"->")
        .filter(|&a| a > star && a + 2 < pattern.len());
    let key_pattern = arrow.map_or(pattern, |a| &pattern[..a]);
    let mut key = key_pattern[..star].to_vec();
    key.extend_from_slice(element);
    key.extend_from_slice(&key_pattern[star + 1..]);
    let reply = match arrow {
        Some(a) => {
            let field = pattern[a + 2..].to_vec();
            host.call(ctx, &[b"hget".to_vec(), key, field])
        }
        None => host.call(ctx, &[b"get".to_vec(), key]),
    };
    match reply {
        Reply::Bulk(bytes) => Some(bytes),
        _ => None,
    }
}

/// Redis's `strtod`-like reading of a score.
fn parse_score(bytes: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(bytes).ok()?;
    if text.is_empty() || text.starts_with(char::is_whitespace) {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    (!value.is_nan()).then_some(value)
}

/// `SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE dst]`.
pub(crate) fn sort(
    host: &mut MemoryHost,
    ctx: &CallContext,
    argv: &[Vec<u8>],
    read_only: bool,
    full_key_access: bool,
) -> Reply {
    let mut opts = match parse_options(argv, read_only, full_key_access) {
        Ok(opts) => opts,
        Err(reply) => return reply,
    };
    let key = argv[1].clone();
    let kind = host.call(ctx, &[b"type".to_vec(), key.clone()]);
    let kind = match &kind {
        Reply::Status(kind) => kind.clone(),
        _ => b"none".to_vec(),
    };
    let elements: Vec<Vec<u8>> = {
        let listing = match kind.as_slice() {
            b"list" => host.call(
                ctx,
                &[
                    b"lrange".to_vec(),
                    key.clone(),
                    b"0".to_vec(),
                    b"-1".to_vec(),
                ],
            ),
            b"set" => host.call(ctx, &[b"smembers".to_vec(), key.clone()]),
            b"zset" => host.call(
                ctx,
                &[
                    b"zrange".to_vec(),
                    key.clone(),
                    b"0".to_vec(),
                    b"-1".to_vec(),
                ],
            ),
            b"none" => Reply::Array(Vec::new()),
            _ => {
                return Reply::error(
                    "WRONGTYPE Operation against a key holding the wrong kind of value",
                );
            }
        };
        match listing {
            Reply::Array(items) | Reply::Set(items) => items
                .into_iter()
                .filter_map(|item| match item {
                    Reply::Bulk(bytes) => Some(bytes),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut dont_sort = opts.by.as_ref().is_some_and(|p| !p.contains(&b'*'));
    if dont_sort && kind == b"set" && (opts.store.is_some() || ctx.from_script) {
        // Sets have no order: scripts and STORE get a deterministic one.
        dont_sort = false;
        opts.alpha = true;
        opts.by = None;
    }
    let mut items: Vec<(Vec<u8>, Option<Vec<u8>>, f64)> = Vec::with_capacity(elements.len());
    for element in elements {
        let by_value = match &opts.by {
            Some(pattern) if !dont_sort => lookup(host, ctx, pattern, &element),
            _ => None,
        };
        let mut score = 0.0;
        if !dont_sort && !opts.alpha {
            let source = if opts.by.is_some() {
                by_value.as_deref()
            } else {
                Some(element.as_slice())
            };
            if let Some(bytes) = source {
                match parse_score(bytes) {
                    Some(value) => score = value,
                    None => {
                        return Reply::error(
                            "ERR One or more scores can't be converted into double",
                        );
                    }
                }
            }
        }
        items.push((element, by_value, score));
    }
    if !dont_sort {
        let by = opts.by.is_some();
        let alpha = opts.alpha;
        items.sort_by(|a, b| {
            let cmp = if alpha {
                if by {
                    match (&a.1, &b.1) {
                        (None, None) => Ordering::Equal,
                        (None, Some(_)) => Ordering::Less,
                        (Some(_), None) => Ordering::Greater,
                        (Some(x), Some(y)) => x.cmp(y),
                    }
                } else {
                    a.0.cmp(&b.0)
                }
            } else {
                a.2.partial_cmp(&b.2)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| a.0.cmp(&b.0))
            };
            if opts.desc { cmp.reverse() } else { cmp }
        });
    } else if opts.desc {
        items.reverse();
    }
    let len = items.len() as i64;
    let (start, count) = opts.limit.unwrap_or((0, -1));
    let start = start.clamp(0, len);
    let end = if count < 0 {
        len
    } else {
        start.saturating_add(count).min(len)
    };
    let selected = &items[usize::try_from(start).unwrap_or(0)..usize::try_from(end).unwrap_or(0)];
    let mut out: Vec<Option<Vec<u8>>> = Vec::new();
    for (element, _, _) in selected {
        if opts.gets.is_empty() {
            out.push(Some(element.clone()));
        }
        for pattern in &opts.gets {
            out.push(lookup(host, ctx, pattern, element));
        }
    }
    match opts.store {
        Some(dst) => {
            host.call(ctx, &[b"del".to_vec(), dst.clone()]);
            let n = out.len();
            if n > 0 {
                let mut push = vec![b"rpush".to_vec(), dst];
                push.extend(out.into_iter().map(Option::unwrap_or_default));
                host.call(ctx, &push);
            }
            Reply::Integer(n as i64)
        }
        None => Reply::Array(
            out.into_iter()
                .map(|v| v.map_or(Reply::Nil, Reply::Bulk))
                .collect(),
        ),
    }
}
