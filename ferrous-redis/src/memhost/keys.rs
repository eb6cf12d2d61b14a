//! Keyspace commands: `DEL`/`UNLINK`, `EXISTS`, `TYPE`, the `EXPIRE` family with
//! `NX`/`XX`/`GT`/`LT`, `TTL`, `PTTL`, `EXPIRETIME`, `PEXPIRETIME`, `PERSIST`, `KEYS`, `SCAN`,
//! `RANDOMKEY`, `RENAME`, `RENAMENX`, `COPY` and `MOVE`, following `db.c` and `expire.c`.
//! `TOUCH` is `EXISTS` here: there is no access time to update.

use super::Exec;
use super::args::{CmdResult, NO_SUCH_KEY, SYNTAX, err, int_arg, is_kw};
use super::scan::{page, parse_cursor, parse_options, scan_reply};
use crate::glob::glob_match;
use crate::reply::Reply;

/// `getIntFromObjectOrReply`'s complaint about a number outside `int`.
const RANGE_I32: &str = "ERR value is out of range, value must between -2147483648 and 2147483647";

/// `DEL key...` (and `UNLINK`).
pub(crate) fn del(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let now = x.expiry_now();
    let db = x.db();
    let mut deleted = 0;
    for key in &args[1..] {
        if db.contains(key, now) {
            db.remove(key);
            deleted += 1;
        }
    }
    Ok(Reply::Integer(deleted))
}

/// `EXISTS key...`: repeated keys count each time.
pub(crate) fn exists(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let now = x.expiry_now();
    let db = x.db();
    Ok(Reply::Integer(
        args[1..].iter().filter(|key| db.contains(key, now)).count() as i64,
    ))
}

/// `TYPE key`.
pub(crate) fn type_(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let name = x.get(&args[1]).map_or("none", |value| value.type_name());
    Ok(Reply::Status(name.as_bytes().to_vec()))
}

/// `expireGenericCommand`: `base` is added to the time given (`now` or 0), `seconds` tells the
/// unit.
fn expire_generic(
    x: &mut Exec<'_>,
    args: &[Vec<u8>],
    base: i64,
    seconds: bool,
    name: &str,
) -> CmdResult {
    let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
    for opt in &args[3..] {
        match opt.to_ascii_lowercase().as_slice() {
            b"nx" => nx = true,
            b"xx" => xx = true,
            b"gt" => gt = true,
            b"lt" => lt = true,
            _ => {
                let end = opt.iter().position(|&b| b == 0).unwrap_or(opt.len());
                let text = String::from_utf8_lossy(&opt[..end]).replace(['\r', '\n'], " ");
                return Err(err(&format!("ERR Unsupported option {text}")));
            }
        }
    }
    if nx && (xx || gt || lt) {
        return Err(err(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if gt && lt {
        return Err(err(
            "ERR GT and LT options at the same time are not compatible",
        ));
    }
    let invalid = || err(&format!("ERR invalid expire time in '{name}' command"));
    let mut when = int_arg(&args[2])?;
    if seconds {
        when = when.checked_mul(1000).ok_or_else(invalid)?;
    }
    let when = when.checked_add(base).ok_or_else(invalid)?;
    let key = &args[1];
    let (now, expiry_now) = (x.now(), x.expiry_now());
    let db = x.db();
    if !db.contains(key, expiry_now) {
        return Ok(Reply::Integer(0));
    }
    let current = db.expire_at(key);
    let refused = (nx && current.is_some())
        || (xx && current.is_none())
        || (gt && current.is_none_or(|current| when <= current))
        || (lt && current.is_some_and(|current| when >= current));
    if refused {
        return Ok(Reply::Integer(0));
    }
    if when <= now {
        db.remove(key);
    } else {
        db.set_expire(key, when);
    }
    Ok(Reply::Integer(1))
}

/// `EXPIRE key seconds [NX|XX|GT|LT]`.
pub(crate) fn expire(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let now = x.now();
    expire_generic(x, args, now, true, "expire")
}

/// `PEXPIRE key milliseconds [NX|XX|GT|LT]`.
pub(crate) fn pexpire(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let now = x.now();
    expire_generic(x, args, now, false, "pexpire")
}

/// `EXPIREAT key unix-seconds [NX|XX|GT|LT]`.
pub(crate) fn expireat(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    expire_generic(x, args, 0, true, "expireat")
}

/// `PEXPIREAT key unix-ms [NX|XX|GT|LT]`.
pub(crate) fn pexpireat(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    expire_generic(x, args, 0, false, "pexpireat")
}

/// `ttlGenericCommand`.
fn ttl_generic(x: &mut Exec<'_>, key: &[u8], in_ms: bool, absolute: bool) -> CmdResult {
    let (now, expiry_now) = (x.now(), x.expiry_now());
    let db = x.db();
    if !db.contains(key, expiry_now) {
        return Ok(Reply::Integer(-2));
    }
    let Some(when) = db.expire_at(key) else {
        return Ok(Reply::Integer(-1));
    };
    let ttl = if absolute {
        when
    } else {
        when.saturating_sub(now)
    }
    .max(0);
    Ok(Reply::Integer(if in_ms {
        ttl
    } else {
        ttl.saturating_add(500) / 1000
    }))
}

/// `TTL key`.
pub(crate) fn ttl(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    ttl_generic(x, &args[1], false, false)
}

/// `PTTL key`.
pub(crate) fn pttl(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    ttl_generic(x, &args[1], true, false)
}

/// `EXPIRETIME key`.
pub(crate) fn expiretime(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    ttl_generic(x, &args[1], false, true)
}

/// `PEXPIRETIME key`.
pub(crate) fn pexpiretime(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    ttl_generic(x, &args[1], true, true)
}

/// `PERSIST key`.
pub(crate) fn persist(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let now = x.expiry_now();
    let db = x.db();
    Ok(Reply::Integer(i64::from(
        db.contains(&args[1], now) && db.persist(&args[1]),
    )))
}

/// `KEYS pattern`.
pub(crate) fn keys(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let now = x.expiry_now();
    let pattern = &args[1];
    let all = pattern.as_slice() == b"*";
    let found = x
        .db()
        .keys()
        .filter(|key| all || glob_match(pattern, key))
        .cloned()
        .collect::<Vec<_>>();
    let db = x.db();
    let found = found
        .into_iter()
        .filter(|key| !db.is_expired(key, now))
        .map(Reply::Bulk)
        .collect();
    Ok(Reply::Array(found))
}

/// `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]`.
pub(crate) fn scan(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let cursor = parse_cursor(&args[1])?;
    let opts = parse_options(args, 2, true, cursor)?;
    let now = x.expiry_now();
    let db = x.db();
    let (taken, cursor) = page(
        db.keys().map(|key| (key.as_slice(), ())),
        opts.cursor,
        opts.count,
    );
    let taken: Vec<Vec<u8>> = taken.into_iter().map(|(key, ())| key.to_vec()).collect();
    let mut found = Vec::new();
    for key in taken {
        if opts
            .pattern
            .as_ref()
            .is_some_and(|pattern| !glob_match(pattern, &key))
        {
            continue;
        }
        if let Some(type_name) = &opts.type_name {
            let actual = if db.is_expired(&key, now) {
                "none"
            } else {
                db.get(&key, now).map_or("none", |value| value.type_name())
            };
            if !type_name.eq_ignore_ascii_case(actual.as_bytes()) {
                continue;
            }
        }
        if db.expire_if_needed(&key, now) {
            continue;
        }
        found.push(Reply::Bulk(key));
    }
    Ok(scan_reply(cursor, found))
}

/// `RANDOMKEY`.
pub(crate) fn randomkey(x: &mut Exec<'_>, _args: &[Vec<u8>]) -> CmdResult {
    let now = x.expiry_now();
    let mut seed = x.rand();
    let db = x.db();
    let key = db.random_key(now, || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    });
    Ok(key.map_or(Reply::Nil, Reply::Bulk))
}

fn rename_generic(x: &mut Exec<'_>, args: &[Vec<u8>], nx: bool) -> CmdResult {
    let (src, dst) = (&args[1], &args[2]);
    let now = x.expiry_now();
    let db = x.db();
    if !db.contains(src, now) {
        return Err(err(NO_SUCH_KEY));
    }
    let done = if nx { Reply::Integer(1) } else { Reply::ok() };
    if src == dst {
        return Ok(if nx { Reply::Integer(0) } else { done });
    }
    if nx && db.contains(dst, now) {
        return Ok(Reply::Integer(0));
    }
    let expire = db.expire_at(src);
    if let Some(value) = db.remove(src) {
        db.set(dst, value);
        if let Some(when) = expire {
            db.set_expire(dst, when);
        }
    }
    Ok(done)
}

/// `RENAME key newkey`.
pub(crate) fn rename(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    rename_generic(x, args, false)
}

/// `RENAMENX key newkey`.
pub(crate) fn renamenx(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    rename_generic(x, args, true)
}

/// `COPY source destination [DB destination-db] [REPLACE]`.
pub(crate) fn copy(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let mut replace = false;
    let mut dst_db = x.db;
    let mut idx = 3;
    while let Some(opt) = args.get(idx) {
        if is_kw(opt, "replace") {
            replace = true;
        } else if is_kw(opt, "db") && idx + 1 < args.len() {
            dst_db = db_index(x, &args[idx + 1])?;
            idx += 1;
        } else {
            return Err(err(SYNTAX));
        }
        idx += 1;
    }
    let (src, dst) = (&args[1], &args[2]);
    if dst_db == x.db && src == dst {
        return Err(err("ERR source and destination objects are the same"));
    }
    let now = x.expiry_now();
    let Some(value) = x.get(src).cloned() else {
        return Ok(Reply::Integer(0));
    };
    let expire = x.db().expire_at(src);
    let Some(target) = x.db_at(dst_db) else {
        return Ok(Reply::Integer(0));
    };
    if target.contains(dst, now) && !replace {
        return Ok(Reply::Integer(0));
    }
    target.set(dst, value);
    if let Some(when) = expire {
        target.set_expire(dst, when);
    }
    Ok(Reply::Integer(1))
}

/// An `int` argument naming a database (`getIntFromObjectOrReply`, then `selectDb`'s range).
pub(crate) fn db_index(x: &mut Exec<'_>, arg: &[u8]) -> Result<usize, Reply> {
    let id = int_arg(arg)?;
    let id = i32::try_from(id).map_err(|_| err(RANGE_I32))?;
    usize::try_from(id)
        .ok()
        .filter(|&id| x.db_at(id).is_some())
        .ok_or_else(|| err("ERR DB index is out of range"))
}

/// `MOVE key db`.
pub(crate) fn move_(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let target = db_index(x, &args[2])?;
    if target == x.db {
        return Err(err("ERR source and destination objects are the same"));
    }
    let now = x.expiry_now();
    let key = &args[1];
    if x.get(key).is_none() {
        return Ok(Reply::Integer(0));
    }
    if x.db_at(target).is_some_and(|db| db.contains(key, now)) {
        return Ok(Reply::Integer(0));
    }
    let expire = x.db().expire_at(key);
    let Some(value) = x.db().remove(key) else {
        return Ok(Reply::Integer(0));
    };
    if let Some(db) = x.db_at(target) {
        db.set(key, value);
        if let Some(when) = expire {
            db.set_expire(key, when);
        }
    }
    Ok(Reply::Integer(1))
}
