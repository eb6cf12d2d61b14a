//! String commands: `GET`, `SET` and its options, `SETNX`, `SETEX`, `PSETEX`, `GETSET`,
//! `GETDEL`, `GETEX`, `MGET`, `MSET`, `MSETNX`, `APPEND`, `STRLEN`, the `INCR` family,
//! `INCRBYFLOAT`, `GETRANGE` and `SETRANGE`, following `t_string.c`.

use super::Exec;
use super::args::{
    CmdResult, MAX_STRING, NOT_FLOAT, NOT_INTEGER, OVERFLOW, SYNTAX, TOO_BIG, err, int_arg,
    parse_i64,
};
use super::keyspace::Value;
use super::longdouble;
use crate::reply::Reply;

/// The expiry option of `SET` / `GETEX`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ExpireKind {
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// Parsed options of `SET` (`for_set`) or `GETEX`.
#[derive(Default)]
struct StringOptions<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keep_ttl: bool,
    persist: bool,
    expire: Option<(ExpireKind, &'a [u8])>,
}

/// `parseExtendedStringArgumentsOrReply`.
fn parse_options(
    args: &[Vec<u8>],
    first: usize,
    for_set: bool,
) -> Result<StringOptions<'_>, Reply> {
    let mut opts = StringOptions::default();
    let mut idx = first;
    while let Some(opt) = args.get(idx) {
        let next = args.get(idx + 1).map(Vec::as_slice);
        let mut lower = [0u8; 8];
        let opt: &[u8] = match lower.get_mut(..opt.len()) {
            Some(buf) => {
                buf.copy_from_slice(opt);
                buf.make_ascii_lowercase();
                buf
            }
            None => return Err(err(SYNTAX)),
        };
        let has_expire = opts.expire.is_some();
        let expire_kind = opts.expire.map(|(kind, _)| kind);
        let other_expire = |kind: ExpireKind| expire_kind.is_some_and(|k| k != kind);
        match (opt, next) {
            (b"nx", _) if for_set && !opts.xx => opts.nx = true,
            (b"xx", _) if for_set && !opts.nx => opts.xx = true,
            (b"get", _) if for_set => opts.get = true,
            (b"keepttl", _) if for_set && !opts.persist && !has_expire => opts.keep_ttl = true,
            (b"persist", _) if !for_set && !has_expire && !opts.keep_ttl => opts.persist = true,
            (b"ex" | b"px" | b"exat" | b"pxat", Some(value)) if !opts.keep_ttl && !opts.persist => {
                let kind = match opt {
                    b"ex" => ExpireKind::Ex,
                    b"px" => ExpireKind::Px,
                    b"exat" => ExpireKind::ExAt,
                    _ => ExpireKind::PxAt,
                };
                if other_expire(kind) {
                    return Err(err(SYNTAX));
                }
                opts.expire = Some((kind, value));
                idx += 1;
            }
            _ => return Err(err(SYNTAX)),
        }
        idx += 1;
    }
    Ok(opts)
}

/// `getExpireMillisecondsOrReply`: the absolute expiry time in ms.
fn expire_ms(x: &Exec<'_>, kind: ExpireKind, value: &[u8], command: &str) -> Result<i64, Reply> {
    let invalid = || err(&format!("ERR invalid expire time in '{command}' command"));
    let mut ms = int_arg(value)?;
    let seconds = matches!(kind, ExpireKind::Ex | ExpireKind::ExAt);
    if ms <= 0 || (seconds && ms > i64::MAX / 1000) {
        return Err(invalid());
    }
    if seconds {
        ms *= 1000;
    }
    if matches!(kind, ExpireKind::Ex | ExpireKind::Px) {
        ms = ms.checked_add(x.now()).ok_or_else(invalid)?;
    }
    if ms <= 0 {
        return Err(invalid());
    }
    Ok(ms)
}

/// `GET key`.
pub(crate) fn get(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    Ok(x.string(&args[1])?
        .map_or(Reply::Nil, |s| Reply::Bulk(s.clone())))
}

/// The common part of the `SET` family; `ok`/`abort` replace `+OK`/nil (as `SETNX`'s 1/0).
fn set_generic(
    x: &mut Exec<'_>,
    key: &[u8],
    value: &[u8],
    opts: &StringOptions<'_>,
    command: &str,
    replies: Option<(Reply, Reply)>,
) -> CmdResult {
    let when = match opts.expire {
        Some((kind, text)) => Some(expire_ms(x, kind, text, command)?),
        None => None,
    };
    let old = if opts.get {
        Some(x.string(key)?.cloned())
    } else {
        None
    };
    let found = x.get(key).is_some();
    if (opts.nx && found) || (opts.xx && !found) {
        return Ok(match (old, replies) {
            (Some(old), _) => old.map_or(Reply::Nil, Reply::Bulk),
            (None, Some((_, abort))) => abort,
            (None, None) => Reply::Nil,
        });
    }
    let db = x.db();
    if opts.keep_ttl {
        db.set_keep_ttl(key, Value::Str(value.to_vec()));
    } else {
        db.set(key, Value::Str(value.to_vec()));
    }
    if let Some(when) = when {
        db.set_expire(key, when);
    }
    Ok(match (old, replies) {
        (Some(old), _) => old.map_or(Reply::Nil, Reply::Bulk),
        (None, Some((ok, _))) => ok,
        (None, None) => Reply::ok(),
    })
}

/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL]`.
pub(crate) fn set(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let opts = parse_options(args, 3, true)?;
    set_generic(x, &args[1], &args[2], &opts, "set", None)
}

/// `SETNX key value`.
pub(crate) fn setnx(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let opts = StringOptions {
        nx: true,
        ..StringOptions::default()
    };
    set_generic(
        x,
        &args[1],
        &args[2],
        &opts,
        "setnx",
        Some((Reply::Integer(1), Reply::Integer(0))),
    )
}

/// `SETEX key seconds value`.
pub(crate) fn setex(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let opts = StringOptions {
        expire: Some((ExpireKind::Ex, &args[2])),
        ..StringOptions::default()
    };
    set_generic(x, &args[1], &args[3], &opts, "setex", None)
}

/// `PSETEX key milliseconds value`.
pub(crate) fn psetex(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let opts = StringOptions {
        expire: Some((ExpireKind::Px, &args[2])),
        ..StringOptions::default()
    };
    set_generic(x, &args[1], &args[3], &opts, "psetex", None)
}

/// `GETSET key value`.
pub(crate) fn getset(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let old = x.string(&args[1])?.cloned();
    x.db().set(&args[1], Value::Str(args[2].clone()));
    Ok(old.map_or(Reply::Nil, Reply::Bulk))
}

/// `GETDEL key`.
pub(crate) fn getdel(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let old = x.string(&args[1])?.cloned();
    if old.is_some() {
        x.db().remove(&args[1]);
    }
    Ok(old.map_or(Reply::Nil, Reply::Bulk))
}

/// `GETEX key [EX s|PX ms|EXAT t|PXAT t|PERSIST]`.
pub(crate) fn getex(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let opts = parse_options(args, 2, false)?;
    let Some(value) = x.string(&args[1])?.cloned() else {
        return Ok(Reply::Nil);
    };
    let key = &args[1];
    if let Some((kind, text)) = opts.expire {
        let when = expire_ms(x, kind, text, "getex")?;
        let now = x.now();
        if matches!(kind, ExpireKind::ExAt | ExpireKind::PxAt) && when <= now {
            x.db().remove(key);
        } else {
            x.db().set_expire(key, when);
        }
    } else if opts.persist {
        x.db().persist(key);
    }
    Ok(Reply::Bulk(value))
}

/// `MGET key...`: nil for missing keys and keys of other types.
pub(crate) fn mget(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let values = args[1..]
        .iter()
        .map(|key| match x.get(key) {
            Some(Value::Str(s)) => Reply::Bulk(s.clone()),
            _ => Reply::Nil,
        })
        .collect();
    Ok(Reply::Array(values))
}

fn mset_generic(x: &mut Exec<'_>, args: &[Vec<u8>], nx: bool) -> CmdResult {
    if args.len() % 2 == 0 {
        let name = if nx { "msetnx" } else { "mset" };
        return Err(err(&format!(
            "ERR wrong number of arguments for '{name}' command"
        )));
    }
    if nx && args[1..].chunks(2).any(|pair| x.get(&pair[0]).is_some()) {
        return Ok(Reply::Integer(0));
    }
    for pair in args[1..].chunks(2) {
        if let [key, value] = pair {
            x.db().set(key, Value::Str(value.clone()));
        }
    }
    Ok(if nx { Reply::Integer(1) } else { Reply::ok() })
}

/// `MSET key value [key value ...]`.
pub(crate) fn mset(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    mset_generic(x, args, false)
}

/// `MSETNX key value [key value ...]`.
pub(crate) fn msetnx(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    mset_generic(x, args, true)
}

/// `APPEND key value`.
pub(crate) fn append(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let len = x.string(&args[1])?.map_or(0, Vec::len);
    if len
        .checked_add(args[2].len())
        .is_none_or(|total| total > MAX_STRING)
    {
        return Err(err(TOO_BIG));
    }
    let total = match x.string_mut(&args[1])? {
        Some(value) => {
            value.extend_from_slice(&args[2]);
            value.len()
        }
        None => {
            x.db().set(&args[1], Value::Str(args[2].clone()));
            args[2].len()
        }
    };
    Ok(Reply::Integer(total as i64))
}

/// `STRLEN key`.
pub(crate) fn strlen(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Integer(
        x.string(&args[1])?.map_or(0, Vec::len) as i64
    ))
}

/// `incrDecrCommand`.
fn incr_by(x: &mut Exec<'_>, key: &[u8], incr: i64) -> CmdResult {
    let current = match x.string(key)? {
        Some(text) => parse_i64(text).ok_or_else(|| err(NOT_INTEGER))?,
        None => 0,
    };
    let value = current.checked_add(incr).ok_or_else(|| err(OVERFLOW))?;
    // The digits go into the existing string's buffer when there is one (counters are the
    // commonest script workload).
    match x.string_mut(key)? {
        Some(text) => {
            text.clear();
            text.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
        }
        None => x
            .db()
            .set_keep_ttl(key, Value::Str(value.to_string().into_bytes())),
    }
    Ok(Reply::Integer(value))
}

/// `INCR key`.
pub(crate) fn incr(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    incr_by(x, &args[1], 1)
}

/// `DECR key`.
pub(crate) fn decr(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    incr_by(x, &args[1], -1)
}

/// `INCRBY key increment`.
pub(crate) fn incrby(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let incr = int_arg(&args[2])?;
    incr_by(x, &args[1], incr)
}

/// `DECRBY key decrement`.
pub(crate) fn decrby(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let decr = int_arg(&args[2])?;
    let incr = decr
        .checked_neg()
        .ok_or_else(|| err("ERR decrement would overflow"))?;
    incr_by(x, &args[1], incr)
}

/// `INCRBYFLOAT key increment`, in long double arithmetic as Redis on x86-64.
pub(crate) fn incrbyfloat(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let not_float = || err(NOT_FLOAT);
    let current = match x.string(&args[1])? {
        Some(text) => longdouble::parse(text).ok_or_else(not_float)?,
        None => longdouble::LongDouble::Zero { neg: false },
    };
    let incr = longdouble::parse(&args[2]).ok_or_else(not_float)?;
    let sum = longdouble::add(current, incr);
    if !matches!(
        sum,
        longdouble::LongDouble::Zero { .. } | longdouble::LongDouble::Finite { .. }
    ) {
        return Err(err("ERR increment would produce NaN or Infinity"));
    }
    let text = longdouble::to_human(sum);
    x.db().set_keep_ttl(&args[1], Value::Str(text.clone()));
    Ok(Reply::Bulk(text))
}

/// `GETRANGE key start end`.
pub(crate) fn getrange(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let mut start = int_arg(&args[2])?;
    let mut end = int_arg(&args[3])?;
    let Some(text) = x.string(&args[1])? else {
        return Ok(Reply::Bulk(Vec::new()));
    };
    let len = text.len() as i64;
    if start < 0 && end < 0 && start > end {
        return Ok(Reply::Bulk(Vec::new()));
    }
    if start < 0 {
        start = len.saturating_add(start);
    }
    if end < 0 {
        end = len.saturating_add(end);
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return Ok(Reply::Bulk(Vec::new()));
    }
    Ok(Reply::Bulk(text[start as usize..=end as usize].to_vec()))
}

/// `SETRANGE key offset value`.
pub(crate) fn setrange(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let offset = int_arg(&args[2])?;
    if offset < 0 {
        return Err(err("ERR offset is out of range"));
    }
    let patch = &args[3];
    let current_len = x.string(&args[1])?.map(Vec::len);
    if patch.is_empty() {
        return Ok(Reply::Integer(current_len.unwrap_or(0) as i64));
    }
    let offset = usize::try_from(offset).map_err(|_| err(TOO_BIG))?;
    let end = offset
        .checked_add(patch.len())
        .filter(|&end| end <= MAX_STRING)
        .ok_or_else(|| err(TOO_BIG))?;
    let value = x.string_or_create(&args[1])?;
    if value.len() < end {
        value.resize(end, 0);
    }
    value[offset..end].copy_from_slice(patch);
    Ok(Reply::Integer(value.len() as i64))
}
