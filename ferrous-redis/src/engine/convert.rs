//! Conversions between Lua values and [`Reply`] values, by Redis 7.0's rules
//! (`luaReplyToRedisReply` and `redisProtocolToLuaType` in script_lua.c).
//!
//! Lua -> reply walks the value with an explicit stack, so a deeply nested table cannot
//! overflow the Rust stack; like Redis, an element whose conversion would need more than Lua's
//! 8,000 C-stack slots becomes the error element `ERR reached lua stack limit`.
//! Reply -> Lua recurses at most [`MAX_REPLY_DEPTH`] levels.

use ferrous_vm::{Error, Heap, Result, StringHandle, TableHandle, Value, Vm};

use crate::reply::Reply;

/// `LUAI_MAXCSTACK`: the stack slots a C function may use.
const LUA_MAX_C_STACK: usize = 8000;
/// Slots in use when the script's return value is converted (error handler and result).
const BASE_SLOTS: usize = 2;
/// The deepest command reply turned into Lua tables.
pub(crate) const MAX_REPLY_DEPTH: usize = 1000;

/// The strings conversion looks up, interned once and pinned.
#[derive(Clone, Copy)]
pub(crate) struct Names {
    pub err: StringHandle,
    pub ok: StringHandle,
    pub double: StringHandle,
    pub big_number: StringHandle,
    pub verbatim_string: StringHandle,
    pub map: StringHandle,
    pub set: StringHandle,
    pub format: StringHandle,
    pub string: StringHandle,
    pub ignore_error_stats_update: StringHandle,
    pub keys: StringHandle,
    pub argv: StringHandle,
}

impl Names {
    pub(crate) fn new(vm: &mut Vm) -> Result<Names> {
        let mut intern = |s: &[u8]| -> Result<StringHandle> {
            let h = vm.intern(s)?;
            vm.pin(Value::String(h));
            Ok(h)
        };
        Ok(Names {
            err: intern(b"err")?,
            ok: intern(b"ok")?,
            double: intern(b"double")?,
            big_number: intern(b"big_number")?,
            verbatim_string: intern(b"verbatim_string")?,
            map: intern(b"map")?,
            set: intern(b"set")?,
            format: intern(b"format")?,
            string: intern(b"string")?,
            ignore_error_stats_update: intern(b"ignore_error_stats_update")?,
            keys: intern(b"KEYS")?,
            argv: intern(b"ARGV")?,
        })
    }
}

/// A Lua number as a RESP integer: C's `(long long)` cast on x86-64, where every value out of
/// range (and NaN) becomes `i64::MIN`, as redis-server answers there.
pub(crate) fn number_to_integer(n: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if n.is_nan() || !(-LIMIT..LIMIT).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// CR and LF become spaces (`sdsmapchars(s, "\r\n", "  ", 2)`), so a status or error line
/// stays one line.
fn one_line(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect()
}

/// A table being converted, with the replies of the elements converted so far.
enum Pending {
    Array {
        table: TableHandle,
        next: i64,
        slots: usize,
        items: Vec<Reply>,
    },
    /// Keys and values alternate in `items`.
    Map {
        table: TableHandle,
        key: Value,
        value: Option<Value>,
        slots: usize,
        items: Vec<Reply>,
    },
    Set {
        table: TableHandle,
        key: Value,
        slots: usize,
        items: Vec<Reply>,
    },
}

impl Pending {
    fn items(&mut self) -> &mut Vec<Reply> {
        match self {
            Pending::Array { items, .. }
            | Pending::Map { items, .. }
            | Pending::Set { items, .. } => items,
        }
    }

    /// The next element to convert, with the stack slots in use while it is converted.
    fn next_child(&mut self, heap: &Heap) -> Option<(Value, usize)> {
        match self {
            Pending::Array {
                table, next, slots, ..
            } => {
                let value = heap.raw_get_int(*table, *next).unwrap_or(Value::Nil);
                if matches!(value, Value::Nil) {
                    return None;
                }
                *next += 1;
                Some((value, *slots + 1))
            }
            Pending::Map {
                table,
                key,
                value,
                slots,
                ..
            } => {
                if let Some(v) = value.take() {
                    return Some((v, *slots + 3));
                }
                let (k, v) = heap.next(*table, *key).ok().flatten()?;
                *key = k;
                *value = Some(v);
                Some((k, *slots + 4))
            }
            Pending::Set {
                table, key, slots, ..
            } => {
                let (k, _) = heap.next(*table, *key).ok().flatten()?;
                *key = k;
                Some((k, *slots + 3))
            }
        }
    }

    fn finish(self) -> Reply {
        match self {
            Pending::Array { items, .. } => Reply::Array(items),
            Pending::Set { items, .. } => Reply::Set(items),
            Pending::Map { items, .. } => {
                let mut pairs = Vec::with_capacity(items.len() / 2);
                let mut it = items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    pairs.push((k, v));
                }
                Reply::Map(pairs)
            }
        }
    }
}

/// What converting one value gave: a finished reply, or a table to walk.
enum Step {
    Done(Reply),
    Walk(Pending),
}

/// Converts a script's return value. `resp` is the protocol the script chose with
/// `redis.setresp` (booleans differ).
pub(crate) fn lua_to_reply(heap: &Heap, names: &Names, value: Value, resp: u8) -> Reply {
    let mut stack: Vec<Pending> = Vec::new();
    let mut current = (value, BASE_SLOTS);
    loop {
        let mut done = match convert_one(heap, names, current.0, current.1, resp) {
            Step::Done(reply) => Some(reply),
            Step::Walk(pending) => {
                stack.push(pending);
                None
            }
        };
        // Hand the finished reply to its parent and find the next element to convert.
        loop {
            if let Some(reply) = done.take() {
                match stack.last_mut() {
                    Some(parent) => parent.items().push(reply),
                    None => return reply,
                }
            }
            let Some(top) = stack.last_mut() else {
                return Reply::Nil;
            };
            match top.next_child(heap) {
                Some(child) => {
                    current = child;
                    break;
                }
                None => done = stack.pop().map(Pending::finish),
            }
        }
    }
}

fn convert_one(heap: &Heap, names: &Names, value: Value, slots: usize, resp: u8) -> Step {
    if slots + 4 > LUA_MAX_C_STACK {
        return Step::Done(Reply::Error(b"ERR reached lua stack limit".to_vec()));
    }
    let reply = match value {
        Value::String(s) => Reply::Bulk(heap.str_bytes(s).unwrap_or_default().to_vec()),
        Value::Boolean(b) => match (resp, b) {
            (2, true) => Reply::Integer(1),
            (2, false) => Reply::Nil,
            (_, b) => Reply::Boolean(b),
        },
        Value::Number(n) => Reply::Integer(number_to_integer(n)),
        Value::Table(t) => return table_to_reply(heap, names, t, slots),
        _ => Reply::Nil,
    };
    Step::Done(reply)
}

fn table_to_reply(heap: &Heap, names: &Names, t: TableHandle, slots: usize) -> Step {
    let field = |name: StringHandle| heap.raw_get_str(t, name).unwrap_or(Value::Nil);
    let bytes = |s: StringHandle| heap.str_bytes(s).unwrap_or_default();
    if let Value::String(err) = field(names.err) {
        return Step::Done(Reply::Error(one_line(bytes(err))));
    }
    if let Value::String(ok) = field(names.ok) {
        return Step::Done(Reply::Status(one_line(bytes(ok))));
    }
    if let Value::Number(d) = field(names.double) {
        return Step::Done(Reply::Double(d));
    }
    if let Value::String(big) = field(names.big_number) {
        return Step::Done(Reply::BigNumber(one_line(bytes(big))));
    }
    if let Value::Table(verbatim) = field(names.verbatim_string) {
        let format = heap
            .raw_get_str(verbatim, names.format)
            .unwrap_or(Value::Nil);
        let text = heap
            .raw_get_str(verbatim, names.string)
            .unwrap_or(Value::Nil);
        if let (Value::String(format), Value::String(text)) = (format, text) {
            let mut fmt = [b' '; 3];
            for (dst, src) in fmt.iter_mut().zip(bytes(format)) {
                *dst = *src;
            }
            return Step::Done(Reply::Verbatim {
                format: fmt,
                text: bytes(text).to_vec(),
            });
        }
    }
    if let Value::Table(map) = field(names.map) {
        return Step::Walk(Pending::Map {
            table: map,
            key: Value::Nil,
            value: None,
            slots: slots + 1,
            items: Vec::new(),
        });
    }
    if let Value::Table(set) = field(names.set) {
        return Step::Walk(Pending::Set {
            table: set,
            key: Value::Nil,
            slots: slots + 1,
            items: Vec::new(),
        });
    }
    Step::Walk(Pending::Array {
        table: t,
        next: 1,
        slots,
        items: Vec::new(),
    })
}

/// Builds the error table of `luaPushErrorBuff`: `text` is `-CODE message` or a bare message
/// (which gets the code `ERR`); the table's `err` is `CODE message`.
pub(crate) fn error_table(
    vm: &mut Vm,
    names: &Names,
    text: &[u8],
    ignore_stats: bool,
) -> Result<Value> {
    let (code, msg): (&[u8], &[u8]) = match text.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&b| b == b' ') {
            Some(space) => (&rest[..space], &rest[space + 1..]),
            None => (b"ERR", rest),
        },
        None => (b"ERR", text),
    };
    let start = msg
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(msg.len());
    let end = msg
        .iter()
        .rposition(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(start, |i| i + 1);
    let mut full = code.to_vec();
    full.push(b' ');
    full.extend_from_slice(&msg[start..end.max(start)]);
    let table = vm.new_table(0, 2)?;
    let err = vm.intern(&full)?;
    let mut tx = vm.heap().tx();
    tx.raw_set_str(table, names.err, Value::String(err))?;
    if ignore_stats {
        tx.raw_set_str(table, names.ignore_error_stats_update, Value::Boolean(true))?;
    }
    Ok(Value::Table(table))
}

/// Converts a command's reply into the Lua value `redis.call` returns, for a script speaking
/// `resp` (a null is `false` in RESP2, `nil` in RESP3). Error replies are handled by the caller
/// (they raise or are returned as error tables).
pub(crate) fn reply_to_lua(vm: &mut Vm, names: &Names, reply: &Reply, resp: u8) -> Result<Value> {
    reply_to_lua_at(vm, names, reply, resp, 0)
}

fn reply_to_lua_at(
    vm: &mut Vm,
    names: &Names,
    reply: &Reply,
    resp: u8,
    depth: usize,
) -> Result<Value> {
    if depth > MAX_REPLY_DEPTH {
        return Err(Error::runtime("reply nesting too deep"));
    }
    let single = |vm: &mut Vm, key: StringHandle, value: Value| -> Result<Value> {
        let t = vm.new_table(0, 1)?;
        vm.heap().tx().raw_set_str(t, key, value)?;
        Ok(Value::Table(t))
    };
    Ok(match reply {
        Reply::Integer(i) => Value::Number(*i as f64),
        Reply::Bulk(bytes) => Value::String(vm.intern(bytes)?),
        Reply::Nil | Reply::NilArray if resp == 2 => Value::Boolean(false),
        Reply::Nil | Reply::NilArray => Value::Nil,
        Reply::Status(s) => {
            let s = Value::String(vm.intern(s)?);
            single(vm, names.ok, s)?
        }
        Reply::Error(e) => {
            let mut text = vec![b'-'];
            text.extend_from_slice(e);
            error_table(vm, names, &text, true)?
        }
        Reply::Array(items) => {
            let t = vm.new_table(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                let v = reply_to_lua_at(vm, names, item, resp, depth + 1)?;
                vm.heap().tx().raw_set_int(t, i as i64 + 1, v)?;
            }
            Value::Table(t)
        }
        Reply::Map(pairs) => {
            let inner = vm.new_table(0, pairs.len())?;
            for (k, v) in pairs {
                let k = reply_to_lua_at(vm, names, k, resp, depth + 1)?;
                let v = reply_to_lua_at(vm, names, v, resp, depth + 1)?;
                vm.heap().tx().raw_set(inner, k, v)?;
            }
            single(vm, names.map, Value::Table(inner))?
        }
        Reply::Set(items) => {
            let inner = vm.new_table(0, items.len())?;
            for item in items {
                let k = reply_to_lua_at(vm, names, item, resp, depth + 1)?;
                vm.heap().tx().raw_set(inner, k, Value::Boolean(true))?;
            }
            single(vm, names.set, Value::Table(inner))?
        }
        Reply::Double(d) => single(vm, names.double, Value::Number(*d))?,
        Reply::Boolean(b) => Value::Boolean(*b),
        Reply::BigNumber(n) => {
            let s = Value::String(vm.intern(n)?);
            single(vm, names.big_number, s)?
        }
        Reply::Verbatim { format, text } => {
            let inner = vm.new_table(0, 2)?;
            let text = Value::String(vm.intern(text)?);
            let format = Value::String(vm.intern(format)?);
            vm.heap().tx().raw_set_str(inner, names.string, text)?;
            vm.heap().tx().raw_set_str(inner, names.format, format)?;
            single(vm, names.verbatim_string, Value::Table(inner))?
        }
    })
}
