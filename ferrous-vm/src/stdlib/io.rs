//! The `io` library for the command-line profile (liolib.c): `io.write`, `io.read`,
//! `io.lines`, `io.open`, `io.popen`, `io.close`, `io.type`, `io.output`, `io.input`, the standard files,
//! and file handles with `read`, `write`, `lines`, `seek`, `flush`, `setvbuf` and `close`.
//!
//! Invariants: never opened in the Redis sandbox (the profile decides, not a later deletion);
//! output to the standard output goes through the VM's `stdout`, so `print` and `io.write`
//! interleave as in C; failures return `nil, "name: message", errno` like 5.1.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};

use ferrous_heap::{NativeFn, UserData, UserDataHandle, Value};

use crate::api::RegistryKey;
use crate::error::{Error, Result};
use crate::native::{Ctx, Ret};
use crate::number;
use crate::vm::Vm;

mod file;
mod open_files;
mod popen;

pub(crate) use open_files::flush_all;

pub(crate) use file::Stream;
use file::{LuaFile, VBuf};

pub(crate) fn open(vm: &mut Vm) -> Result<()> {
    // The methods of file handles.
    let methods = vm.new_table(0, 8)?;
    super::set_funcs(
        vm,
        methods,
        &[
            ("close", f_close),
            ("flush", f_flush),
            ("lines", f_lines),
            ("read", f_read),
            ("seek", f_seek),
            ("setvbuf", f_setvbuf),
            ("write", f_write),
        ],
    )?;
    let meta = vm.new_table(0, 2)?;
    vm.heap
        .tx()
        .raw_set_str(meta, ferrous_heap::names::INDEX, Value::Table(methods))?;
    let tostring = vm.native("tostring", f_tostring);
    vm.heap
        .tx()
        .raw_set_str(meta, ferrous_heap::names::TOSTRING, tostring)?;
    // Finalizers do not run, but a script can call `__gc` itself (errors.lua does).
    let gc = vm.native("__gc", f_gc);
    vm.heap
        .tx()
        .raw_set_str(meta, ferrous_heap::names::GC, gc)?;
    let lines_aux = vm.natives.register("lines_iterator", lines_aux);
    let state = IoState {
        file_meta: vm.registry_insert(Value::Table(meta)),
        default_input: vm.registry_insert(Value::Nil),
        default_output: vm.registry_insert(Value::Nil),
        lines_aux,
    };
    if let Some(old) = vm.set_app_data(state) {
        // `io` opened again: the old state's values are released.
        for key in [old.file_meta, old.default_input, old.default_output] {
            vm.registry_remove(key);
        }
    }
    let io = super::new_lib(
        vm,
        "io",
        &[
            ("close", io_close),
            ("flush", io_flush),
            ("input", io_input),
            ("lines", io_lines),
            ("open", io_open),
            ("output", io_output),
            ("popen", io_popen),
            ("read", io_read),
            ("tmpfile", io_tmpfile),
            ("type", io_type),
            ("write", io_write),
        ],
    )?;
    for (name, stream) in [
        ("stdin", Stream::Stdin),
        ("stdout", Stream::Stdout),
        ("stderr", Stream::Stderr),
    ] {
        let f = new_file(vm, stream)?;
        let key = vm.intern(name.as_bytes())?;
        vm.heap.tx().raw_set_str(io, key, Value::UserData(f))?;
        match name {
            "stdin" => set_default_value(vm, false, Value::UserData(f)),
            "stdout" => set_default_value(vm, true, Value::UserData(f)),
            _ => {}
        }
    }
    Ok(())
}

/// The io library's per-VM state (app data): the metatable of file handles and the default
/// files of `io.input()` and `io.output()`, kept by registry keys, and the native behind
/// `io.lines` iterators.
struct IoState {
    file_meta: RegistryKey,
    default_input: RegistryKey,
    default_output: RegistryKey,
    lines_aux: NativeFn,
}

/// The default input or output file (nil when `io` is not open).
fn default_value(vm: &Vm, output: bool) -> Value {
    match vm.app_data::<IoState>() {
        Some(state) if output => vm.registry_value(&state.default_output),
        Some(state) => vm.registry_value(&state.default_input),
        None => Value::Nil,
    }
}

fn set_default_value(vm: &mut Vm, output: bool, v: Value) {
    let Some(state) = vm.app_data.get::<IoState>() else {
        return;
    };
    let key = if output {
        &state.default_output
    } else {
        &state.default_input
    };
    if let Some(slot) = vm.refs.get_mut(key.slot()) {
        *slot = v;
    }
}

fn new_file(vm: &mut Vm, stream: Stream) -> Result<UserDataHandle> {
    let meta = match vm
        .app_data::<IoState>()
        .map(|state| vm.registry_value(&state.file_meta))
    {
        Some(Value::Table(t)) => Some(t),
        _ => None,
    };
    let file = LuaFile::new(stream);
    let buffered = file.is_open();
    let h = vm.heap.tx().new_userdata(UserData {
        metatable: meta,
        env: None,
        data: Box::new(file),
    })?;
    if buffered {
        open_files::register(vm, h);
    }
    Ok(h)
}

/// `nil, "prefix: message", errno` for a failed operation.
fn fail(ctx: &mut Ctx<'_>, prefix: Option<&[u8]>, err: &std::io::Error) -> Result<Ret> {
    let mut msg = Vec::new();
    if let Some(p) = prefix {
        msg.extend_from_slice(p);
        msg.extend_from_slice(b": ");
    }
    msg.extend_from_slice(c_error_text(err).as_bytes());
    ctx.push(Value::Nil);
    ctx.push_bytes(&msg)?;
    ctx.push(Value::Number(f64::from(err.raw_os_error().unwrap_or(0))));
    Ok(Ret::values(3))
}

/// The C `strerror` text of an I/O error (Rust appends ` (os error N)`).
pub(crate) fn c_error_text(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.rfind(" (os error") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The file handle in argument `n` (`tofile`): errors for non-files and closed files.
fn check_file(ctx: &Ctx<'_>, n: usize) -> Result<UserDataHandle> {
    let Value::UserData(h) = ctx.arg(n) else {
        return Err(ctx.type_error(n, "FILE*"));
    };
    let Some(file) = ctx.vm.heap.userdata(h)?.downcast_ref::<LuaFile>() else {
        return Err(ctx.type_error(n, "FILE*"));
    };
    if matches!(file.stream, Stream::Closed) {
        return Err(Error::runtime("attempt to use a closed file"));
    }
    Ok(h)
}

fn with_file<T>(vm: &mut Vm, h: UserDataHandle, f: impl FnOnce(&mut LuaFile) -> T) -> Result<T> {
    let mut tx = vm.heap.tx();
    match tx.userdata_mut(h)?.downcast_mut::<LuaFile>() {
        Some(file) => Ok(f(file)),
        None => Err(Error::runtime("attempt to use a closed file")),
    }
}

fn stream_kind(vm: &Vm, h: UserDataHandle) -> Option<&'static str> {
    let file = vm.heap.userdata(h).ok()?.downcast_ref::<LuaFile>()?;
    Some(match file.stream {
        Stream::Stdin => "stdin",
        Stream::Stdout => "stdout",
        Stream::Stderr => "stderr",
        Stream::Closed => "closed",
        _ => "other",
    })
}

/// Writes arguments `first..` to file `h` (`g_write`).
fn write_args(ctx: &mut Ctx<'_>, h: UserDataHandle, first: usize) -> Result<Ret> {
    let mut out = Vec::new();
    for i in first..=ctx.nargs() {
        match ctx.arg(i) {
            Value::Number(n) => number::fmt_number(n, &mut out),
            _ => {
                let s = ctx.check_string(i)?;
                out.extend_from_slice(ctx.vm.heap.str_bytes(s)?);
            }
        }
    }
    let res = match stream_kind(ctx.vm, h) {
        Some("stdout") => {
            ctx.vm.write_stdout(&out);
            Ok(())
        }
        Some("stderr") => {
            ctx.vm.flush_stdout();
            std::io::stderr().write_all(&out)
        }
        _ => with_file(ctx.vm, h, |file| {
            file.sync_read_ahead()?;
            file.write_buffered(&out)
        })?,
    };
    match res {
        // 5.1's `g_write` returns `true` (5.2 returns the file).
        Ok(()) => ctx.ret(&[Value::Boolean(true)]),
        Err(e) => fail(ctx, None, &e),
    }
}

/// Reads with the formats in arguments `first..` from file `h` (`g_read`).
fn read_args(ctx: &mut Ctx<'_>, h: UserDataHandle, first: usize) -> Result<Ret> {
    ctx.vm.flush_stdout();
    let nformats = ctx.nargs().saturating_sub(first - 1);
    let formats: Vec<Value> = if nformats == 0 {
        vec![Value::Nil]
    } else {
        (first..=ctx.nargs()).map(|i| ctx.arg(i)).collect()
    };
    let mut n = 0;
    for (k, format) in formats.iter().enumerate() {
        let res: std::io::Result<Option<Value>> = match *format {
            Value::Nil => with_file(ctx.vm, h, LuaFile::read_line)?.map(|line| {
                line.map(|l| ctx.vm.intern(&l).map(Value::String))
                    .transpose()
                    .unwrap_or(None)
            }),
            Value::Number(count) => {
                let count = count.max(0.0) as usize;
                if count == 0 {
                    let empty = Value::String(ctx.vm.intern(b"")?);
                    with_file(ctx.vm, h, |f| f.peek())?.map(|b| b.map(|_| empty))
                } else {
                    with_file(ctx.vm, h, |f| f.read_n(count))?.map(|bytes| {
                        bytes
                            .map(|b| ctx.vm.intern(&b).map(Value::String))
                            .transpose()
                            .unwrap_or(None)
                    })
                }
            }
            Value::String(s) => {
                let fmt = ctx.vm.heap.str_bytes(s)?.to_vec();
                match fmt.get(..2) {
                    Some(b"*n") => {
                        with_file(ctx.vm, h, LuaFile::read_number)?.map(|x| x.map(Value::Number))
                    }
                    Some(b"*l") => with_file(ctx.vm, h, LuaFile::read_line)?.map(|line| {
                        line.map(|l| ctx.vm.intern(&l).map(Value::String))
                            .transpose()
                            .unwrap_or(None)
                    }),
                    Some(b"*a") => with_file(ctx.vm, h, LuaFile::read_all)?
                        .map(|all| ctx.vm.intern(&all).map(Value::String).ok()),
                    _ => return Err(Error::arg((first + k) as u32, "invalid format")),
                }
            }
            _ => return Err(Error::arg((first + k) as u32, "invalid option")),
        };
        match res {
            Ok(Some(v)) => {
                ctx.push(v);
                n += 1;
            }
            Ok(None) => {
                ctx.push(Value::Nil);
                return Ok(Ret::values(n + 1));
            }
            Err(e) => return fail(ctx, None, &e),
        }
    }
    Ok(Ret::values(n))
}

fn default_file(ctx: &Ctx<'_>, output: bool) -> Result<UserDataHandle> {
    let v = default_value(ctx.vm, output);
    match v {
        Value::UserData(h) => {
            if stream_kind(ctx.vm, h) == Some("closed") {
                return Err(Error::runtime(if output {
                    "standard output file is closed"
                } else {
                    "standard input file is closed"
                }));
            }
            Ok(h)
        }
        _ => Err(Error::runtime("no default file")),
    }
}

fn io_write(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = default_file(ctx, true)?;
    write_args(ctx, h, 1)
}

fn io_read(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = default_file(ctx, false)?;
    read_args(ctx, h, 1)
}

fn f_write(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = check_file(ctx, 1)?;
    write_args(ctx, h, 2)
}

fn f_read(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = check_file(ctx, 1)?;
    read_args(ctx, h, 2)
}

fn open_file(name: &[u8], mode: &[u8]) -> std::io::Result<File> {
    let path = std::path::Path::new(std::ffi::OsStr::from_encoded_bytes_checked(name)?);
    let mut opts = std::fs::OpenOptions::new();
    let plus = mode.contains(&b'+');
    match mode.first() {
        Some(b'r') => opts.read(true).write(plus),
        Some(b'w') => opts.write(true).create(true).truncate(true).read(plus),
        Some(b'a') => opts.append(true).create(true).read(plus),
        _ => return Err(std::io::Error::from_raw_os_error(22)),
    };
    opts.open(path)
}

/// Whether `open_file` opens for writing with `mode`.
fn mode_writes(mode: &[u8]) -> bool {
    matches!(mode.first(), Some(b'w' | b'a')) || mode.contains(&b'+')
}

/// `OsStr::from_encoded_bytes_unchecked` is unsafe; on Unix every byte string is a path.
trait FromBytesChecked {
    fn from_encoded_bytes_checked(bytes: &[u8]) -> std::io::Result<&std::ffi::OsStr>;
}

impl FromBytesChecked for std::ffi::OsStr {
    fn from_encoded_bytes_checked(bytes: &[u8]) -> std::io::Result<&std::ffi::OsStr> {
        use std::os::unix::ffi::OsStrExt;
        if bytes.contains(&0) {
            return Err(std::io::Error::from_raw_os_error(2));
        }
        Ok(std::ffi::OsStr::from_bytes(bytes))
    }
}

/// `io.tmpfile`: a new file open for update (`w+`), removed from its directory at once, as C's
/// `tmpfile` does; `nil, message, errno` when none can be made.
fn io_tmpfile(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut last_err = std::io::Error::from_raw_os_error(17);
    for attempt in 0..100u32 {
        let name = format!(
            "/tmp/lua_tmpfile_{:08x}_{}",
            seed ^ attempt.wrapping_mul(0x9E37_79B9),
            std::process::id()
        );
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&name)
        {
            Ok(f) => {
                // The open handle keeps the file; nothing else can reach it.
                let _ = std::fs::remove_file(&name);
                let h = new_file(ctx.vm, Stream::File(f))?;
                return ctx.ret(&[Value::UserData(h)]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_err = e,
            Err(e) => return fail(ctx, None, &e),
        }
    }
    fail(ctx, None, &last_err)
}

fn io_open(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_bytes(1)?;
    let mode = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => b"r".to_vec(),
    };
    match open_file(&name, &mode) {
        Ok(f) => {
            let h = new_file(ctx.vm, Stream::File(f))?;
            with_file(ctx.vm, h, |f| f.writable = mode_writes(&mode))?;
            ctx.ret(&[Value::UserData(h)])
        }
        Err(e) => fail(ctx, Some(&name), &e),
    }
}

/// `io.popen(prog [, mode])`: the command's output (`r`, the default) or input (`w`) as a
/// file. As 5.1's `lua_popen` (`fflush(NULL)`), every file's pending writes go out first.
fn io_popen(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let prog = ctx.check_bytes(1)?;
    let mode = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => b"r".to_vec(),
    };
    ctx.vm.flush_stdout();
    flush_all(ctx.vm);
    match popen::Pipe::spawn(&prog, &mode) {
        Ok(pipe) => {
            let h = new_file(ctx.vm, Stream::Pipe(pipe))?;
            ctx.ret(&[Value::UserData(h)])
        }
        Err(e) => fail(ctx, Some(&prog), &e),
    }
}

fn close_handle(ctx: &mut Ctx<'_>, h: UserDataHandle) -> Result<Ret> {
    match stream_kind(ctx.vm, h) {
        Some("stdin" | "stdout" | "stderr") => {
            // 5.1 refuses to close the standard files.
            ctx.push(Value::Nil);
            ctx.push_bytes(b"cannot close standard file")?;
            Ok(Ret::values(2))
        }
        _ => {
            with_file(ctx.vm, h, LuaFile::close)?;
            ctx.ret(&[Value::Boolean(true)])
        }
    }
}

/// `io_gc`: closes a file that is still open, but not a standard file; returns nothing.
fn f_gc(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let Value::UserData(h) = ctx.arg(1) else {
        return Err(ctx.type_error(1, "FILE*"));
    };
    match stream_kind(ctx.vm, h) {
        None => Err(ctx.type_error(1, "FILE*")),
        Some("other") => {
            with_file(ctx.vm, h, LuaFile::close)?;
            Ok(Ret::values(0))
        }
        Some(_) => Ok(Ret::values(0)),
    }
}

fn io_close(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = if ctx.is_none_or_nil(1) {
        default_file(ctx, true)?
    } else {
        check_file(ctx, 1)?
    };
    close_handle(ctx, h)
}

fn f_close(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = check_file(ctx, 1)?;
    close_handle(ctx, h)
}

fn f_flush(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = check_file(ctx, 1)?;
    flush_handle(ctx, h)
}

/// `io.flush`: flushes the default output file.
fn io_flush(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = default_file(ctx, true)?;
    flush_handle(ctx, h)
}

/// Flushes file `h` and returns `true` (5.1's `pushresult`; 5.2 returns the file). Writes to
/// other files are not buffered here, so only stdout has anything to flush.
fn flush_handle(ctx: &mut Ctx<'_>, h: UserDataHandle) -> Result<Ret> {
    if stream_kind(ctx.vm, h) == Some("stdout") {
        ctx.vm.flush_stdout();
    }
    match with_file(ctx.vm, h, LuaFile::flush_pending)? {
        Ok(()) => ctx.ret(&[Value::Boolean(true)]),
        Err(e) => fail(ctx, None, &e),
    }
}

/// `file:setvbuf(mode [, size])`: `no`, `full` or `line` buffering of the file's writes, as
/// glibc does them (the size is ignored). The standard files accept it and keep theirs.
fn f_setvbuf(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = check_file(ctx, 1)?;
    let mode = ctx.check_bytes(2)?;
    // glibc ignores the size when it allocates the buffer itself (5.1 passes no buffer).
    ctx.opt_integer(3, 8192)?;
    let vbuf = match mode.as_slice() {
        b"no" => VBuf::No,
        b"full" => VBuf::Full,
        b"line" => VBuf::Line,
        _ => {
            let mut msg = b"invalid option '".to_vec();
            msg.extend_from_slice(&mode);
            msg.push(b'\'');
            return Err(Error::arg(2, msg));
        }
    };
    let res = with_file(ctx.vm, h, |f| {
        let res = f.flush_pending();
        f.set_vbuf(vbuf);
        res
    })?;
    match res {
        Ok(()) => ctx.ret(&[Value::Boolean(true)]),
        Err(e) => fail(ctx, None, &e),
    }
}

fn f_seek(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = check_file(ctx, 1)?;
    let whence = match ctx.opt_string(2)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => b"cur".to_vec(),
    };
    let offset = ctx.opt_integer(3, 0)?;
    let target = match whence.as_slice() {
        b"set" => SeekFrom::Start(offset.max(0) as u64),
        b"cur" => SeekFrom::Current(offset),
        b"end" => SeekFrom::End(offset),
        _ => {
            let mut msg = b"invalid option '".to_vec();
            msg.extend_from_slice(&whence);
            msg.push(b'\'');
            return Err(Error::arg(2, msg));
        }
    };
    let res = with_file(ctx.vm, h, |f| {
        f.flush_pending()?;
        f.sync_read_ahead()?;
        match &mut f.stream {
            Stream::File(file) => file.seek(target),
            _ => Err(std::io::Error::from_raw_os_error(29)),
        }
    })?;
    match res {
        Ok(pos) => ctx.ret(&[Value::Number(pos as f64)]),
        Err(e) => fail(ctx, None, &e),
    }
}

fn io_type(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.check_any(1)?;
    let kind = match ctx.arg(1) {
        Value::UserData(h) => stream_kind(ctx.vm, h),
        _ => None,
    };
    match kind {
        Some("closed") => ctx.push_bytes(b"closed file")?,
        Some(_) => ctx.push_bytes(b"file")?,
        None => ctx.push(Value::Nil),
    }
    Ok(Ret::values(1))
}

fn f_tostring(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let Value::UserData(h) = ctx.arg(1) else {
        return Err(ctx.type_error(1, "FILE*"));
    };
    let text = if stream_kind(ctx.vm, h) == Some("closed") {
        "file (closed)".to_owned()
    } else {
        format!("file (0x{:08x})", 0x5555_0000_u64 + h.id() * 0x20)
    };
    ctx.push_bytes(text.as_bytes())?;
    Ok(Ret::values(1))
}

/// `io.input([file])` / `io.output([file])`: sets (by name or handle) or returns the default.
fn set_default(ctx: &mut Ctx<'_>, output: bool) -> Result<Ret> {
    match ctx.arg(1) {
        Value::Nil => {}
        Value::UserData(_) => {
            let h = check_file(ctx, 1)?;
            set_default_value(ctx.vm, output, Value::UserData(h));
        }
        _ => {
            let name = ctx.check_bytes(1)?;
            let mode: &[u8] = if output { b"w" } else { b"r" };
            match open_file(&name, mode) {
                Ok(f) => {
                    let h = new_file(ctx.vm, Stream::File(f))?;
                    with_file(ctx.vm, h, |f| f.writable = output)?;
                    set_default_value(ctx.vm, output, Value::UserData(h));
                }
                Err(e) => {
                    let mut msg = name.clone();
                    msg.extend_from_slice(b": ");
                    msg.extend_from_slice(c_error_text(&e).as_bytes());
                    // 5.1's `fileerror`: a bad argument.
                    return Err(Error::arg(1, msg));
                }
            }
        }
    }
    let v = default_value(ctx.vm, output);
    ctx.ret(&[v])
}

fn io_input(ctx: &mut Ctx<'_>) -> Result<Ret> {
    set_default(ctx, false)
}

fn io_output(ctx: &mut Ctx<'_>) -> Result<Ret> {
    set_default(ctx, true)
}

/// An iterator over the lines of `h`; `close` says whether it closes the file at the end.
fn lines_iterator(ctx: &mut Ctx<'_>, h: UserDataHandle, close: bool) -> Result<Ret> {
    let Some(id) = ctx.app_data::<IoState>().map(|state| state.lines_aux) else {
        return Err(Error::runtime("internal error: io library state"));
    };
    let upvalues = Box::new([Value::UserData(h), Value::Boolean(close)]);
    let f = super::native_closure(ctx.vm, id, upvalues)?;
    ctx.ret(&[f])
}

fn lines_aux(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let (Value::UserData(h), close) = (ctx.upvalue(0)?, ctx.upvalue(1)?) else {
        return Err(Error::runtime("internal error: lines state"));
    };
    if stream_kind(ctx.vm, h) == Some("closed") {
        return Err(Error::runtime("file is already closed"));
    }
    match with_file(ctx.vm, h, LuaFile::read_line)? {
        Ok(Some(line)) => {
            ctx.push_bytes(&line)?;
            Ok(Ret::values(1))
        }
        Ok(None) => {
            if close == Value::Boolean(true) {
                with_file(ctx.vm, h, LuaFile::close)?;
            }
            Ok(Ret::values(0))
        }
        Err(e) => Err(Error::runtime(c_error_text(&e))),
    }
}

fn io_lines(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.is_none_or_nil(1) {
        let h = default_file(ctx, false)?;
        return lines_iterator(ctx, h, false);
    }
    let name = ctx.check_bytes(1)?;
    match open_file(&name, b"r") {
        Ok(f) => {
            let h = new_file(ctx.vm, Stream::File(f))?;
            with_file(ctx.vm, h, |f| f.writable = false)?;
            lines_iterator(ctx, h, true)
        }
        Err(e) => {
            let mut msg = name.clone();
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(c_error_text(&e).as_bytes());
            Err(Error::arg(1, msg))
        }
    }
}

fn f_lines(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let h = check_file(ctx, 1)?;
    lines_iterator(ctx, h, false)
}
