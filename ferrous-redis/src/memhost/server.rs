//! Server commands a script may call: `DBSIZE`, `FLUSHDB`, `FLUSHALL`, `SWAPDB`, `TIME`, `PING`,
//! `ECHO`, and `PUBLISH`/`SPUBLISH`, which reach no one: the host has no subscribers.

use super::Exec;
use super::args::{CmdResult, SYNTAX, err, is_kw, parse_i64};
use crate::reply::Reply;

/// `DBSIZE`.
pub(crate) fn dbsize(x: &mut Exec<'_>, _args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Integer(x.db().len() as i64))
}

/// `[ASYNC|SYNC]`, the only option of the flush commands.
fn check_flush_options(args: &[Vec<u8>]) -> Result<(), Reply> {
    match args {
        [_] => Ok(()),
        [_, mode] if is_kw(mode, "async") || is_kw(mode, "sync") => Ok(()),
        _ => Err(err(SYNTAX)),
    }
}

/// `FLUSHDB [ASYNC|SYNC]`.
pub(crate) fn flushdb(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    check_flush_options(args)?;
    x.db().clear();
    Ok(Reply::ok())
}

/// `FLUSHALL [ASYNC|SYNC]`.
pub(crate) fn flushall(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    check_flush_options(args)?;
    let mut idx = 0;
    while let Some(db) = x.db_at(idx) {
        db.clear();
        idx += 1;
    }
    Ok(Reply::ok())
}

/// `TIME`: seconds and microseconds, from the host's clock.
pub(crate) fn time(x: &mut Exec<'_>, _args: &[Vec<u8>]) -> CmdResult {
    let now = x.now();
    Ok(Reply::Array(vec![
        Reply::Bulk(now.div_euclid(1000).to_string().into_bytes()),
        Reply::Bulk((now.rem_euclid(1000) * 1000).to_string().into_bytes()),
    ]))
}

/// `PING [message]`.
pub(crate) fn ping(_x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    match args {
        [_] => Ok(Reply::Status(b"PONG".to_vec())),
        [_, message] => Ok(Reply::Bulk(message.clone())),
        _ => Err(err("ERR wrong number of arguments for 'ping' command")),
    }
}

/// `ECHO message`.
pub(crate) fn echo(_x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Bulk(args[1].clone()))
}

/// `SWAPDB index1 index2`.
pub(crate) fn swapdb(x: &mut Exec<'_>, args: &[Vec<u8>]) -> CmdResult {
    let first = int_db(&args[1], "ERR invalid first DB index")?;
    let second = int_db(&args[2], "ERR invalid second DB index")?;
    if !x.swap_dbs(first, second) {
        return Err(err("ERR DB index is out of range"));
    }
    Ok(Reply::ok())
}

/// An `int` argument, or `error` (as `getIntFromObjectOrReply` with a message).
fn int_db(arg: &[u8], error: &str) -> Result<i64, Reply> {
    parse_i64(arg)
        .filter(|id| i32::try_from(*id).is_ok())
        .ok_or_else(|| err(error))
}

/// `PUBLISH channel message` (and `SPUBLISH`): the number of receivers, always 0 here.
pub(crate) fn publish(_x: &mut Exec<'_>, _args: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Integer(0))
}
