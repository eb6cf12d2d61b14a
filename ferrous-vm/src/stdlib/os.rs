//! The `os` library for the command-line profile (loslib.c): `time`, `clock`, `date`,
//! `difftime`, `getenv`, `exit`, `remove`, `rename`, `tmpname`.
//!
//! Local time is UTC: without `libc` (and `unsafe`) there is no portable way to read the time
//! zone database, so `os.date` without `!` formats UTC and `os.time{...}` reads fields as UTC.
//! On machines whose zone is UTC (CI, containers) this is exactly lua5.1's behaviour.

use std::time::{SystemTime, UNIX_EPOCH};

use ferrous_heap::Value;

use crate::error::{Error, Result};
use crate::native::{Ctx, Ret};
use crate::stdlib::io::c_error_text;
use crate::vm::Vm;

pub(crate) fn open(vm: &mut Vm) -> Result<()> {
    super::new_lib(
        vm,
        "os",
        &[
            ("clock", clock),
            ("date", date),
            ("difftime", difftime),
            ("execute", execute),
            ("exit", exit),
            ("getenv", getenv),
            ("remove", remove),
            ("rename", rename),
            ("time", time),
            ("setlocale", setlocale),
            ("tmpname", tmpname),
        ],
    )?;
    Ok(())
}

/// Processor time used by the process, in seconds (`clock() / CLOCKS_PER_SEC`), read from
/// `/proc/self/stat`; falls back to 0 where that file does not exist.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the file, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn clock(ctx: &mut Ctx<'_>) -> Result<Ret> {
    ctx.ret(&[Value::Number(cpu_seconds())])
}

fn now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// Broken-down time (UTC).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Tm {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    wday: i64,
    yday: i64,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn gmtime(t: i64) -> Tm {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Tm {
        year,
        month,
        day,
        hour: secs / 3600,
        min: secs % 3600 / 60,
        sec: secs % 60,
        wday: (days + 4).rem_euclid(7),
        yday: days - days_from_civil(year, 1, 1),
    }
}

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// C `strftime` in the C locale for the conversions of C89.
fn strftime(fmt: &[u8], tm: &Tm, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' || i + 1 >= fmt.len() {
            out.push(fmt[i]);
            i += 1;
            continue;
        }
        let conv = fmt[i + 1];
        i += 2;
        let hour12 = if tm.hour % 12 == 0 { 12 } else { tm.hour % 12 };
        let day = DAYS[tm.wday as usize % 7];
        let month = MONTHS[(tm.month - 1) as usize % 12];
        let text = match conv {
            b'a' => day[..3].to_owned(),
            b'A' => day.to_owned(),
            b'b' | b'h' => month[..3].to_owned(),
            b'B' => month.to_owned(),
            b'c' => format!(
                "{} {} {:2} {:02}:{:02}:{:02} {}",
                &day[..3],
                &month[..3],
                tm.day,
                tm.hour,
                tm.min,
                tm.sec,
                tm.year
            ),
            b'd' => format!("{:02}", tm.day),
            b'H' => format!("{:02}", tm.hour),
            b'I' => format!("{hour12:02}"),
            b'j' => format!("{:03}", tm.yday + 1),
            b'm' => format!("{:02}", tm.month),
            b'M' => format!("{:02}", tm.min),
            b'p' => (if tm.hour < 12 { "AM" } else { "PM" }).to_owned(),
            b'S' => format!("{:02}", tm.sec),
            b'U' => format!("{:02}", (tm.yday + 7 - tm.wday) / 7),
            b'w' => format!("{}", tm.wday),
            b'W' => format!("{:02}", (tm.yday + 7 - (tm.wday + 6) % 7) / 7),
            b'x' => format!("{:02}/{:02}/{:02}", tm.month, tm.day, tm.year % 100),
            b'X' => format!("{:02}:{:02}:{:02}", tm.hour, tm.min, tm.sec),
            b'y' => format!("{:02}", tm.year % 100),
            b'Y' => format!("{}", tm.year),
            b'Z' => "GMT".to_owned(),
            b'%' => "%".to_owned(),
            other => {
                out.push(b'%');
                out.push(other);
                continue;
            }
        };
        out.extend_from_slice(text.as_bytes());
    }
}

fn date(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let fmt = match ctx.opt_string(1)? {
        Some(s) => ctx.vm.heap.str_bytes(s)?.to_vec(),
        None => b"%c".to_vec(),
    };
    let t = if ctx.is_none_or_nil(2) {
        now()
    } else {
        // `(time_t)` of a number past its range (or NaN) is `LONG_MIN` on x86-64, a year
        // that `gmtime` cannot represent: nil below.
        c_long(ctx.check_number(2)?)
    };
    let fmt = fmt.strip_prefix(b"!").unwrap_or(&fmt);
    let tm = gmtime(t);
    if i32::try_from(tm.year - 1900).is_err() {
        // C's `gmtime` fails when the year does not fit its `int`: `os.date` returns nil.
        return ctx.ret(&[Value::Nil]);
    }
    if fmt.starts_with(b"*t") {
        let table = ctx.vm.new_table(0, 9)?;
        for (name, value) in [
            ("sec", Value::Number(tm.sec as f64)),
            ("min", Value::Number(tm.min as f64)),
            ("hour", Value::Number(tm.hour as f64)),
            ("day", Value::Number(tm.day as f64)),
            ("month", Value::Number(tm.month as f64)),
            ("year", Value::Number(tm.year as f64)),
            ("wday", Value::Number((tm.wday + 1) as f64)),
            ("yday", Value::Number((tm.yday + 1) as f64)),
            ("isdst", Value::Boolean(false)),
        ] {
            let key = ctx.vm.intern(name.as_bytes())?;
            ctx.vm.heap.tx().raw_set_str(table, key, value)?;
        }
        return ctx.ret(&[Value::Table(table)]);
    }
    let mut out = Vec::new();
    strftime(fmt, &tm, &mut out);
    ctx.push_bytes(&out)?;
    Ok(Ret::values(1))
}

/// A C cast of a number to a 64-bit integer as x86-64 does it: out of range or NaN gives
/// `i64::MIN` (Rust's `as` saturates instead).
fn c_long(n: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if n.is_nan() || !(-LIMIT..LIMIT).contains(&n) {
        i64::MIN
    } else {
        n as i64
    }
}

/// A field of the table given to `os.time` (`getfield` of loslib.c): `(int)lua_tointeger`,
/// so the low 32 bits of the integer.
fn field(
    ctx: &mut Ctx<'_>,
    t: ferrous_heap::TableHandle,
    name: &str,
    default: Option<i64>,
) -> Result<i64> {
    let key = ctx.vm.intern(name.as_bytes())?;
    let int = |n: f64| i64::from(c_long(n) as i32);
    match ctx.vm.heap.raw_get_str(t, key)? {
        Value::Number(n) => Ok(int(n)),
        Value::String(s) => match ctx.vm.to_number(Value::String(s)) {
            Some(n) => Ok(int(n)),
            None => default
                .ok_or_else(|| Error::runtime(format!("field '{name}' missing in date table"))),
        },
        _ => default.ok_or_else(|| Error::runtime(format!("field '{name}' missing in date table"))),
    }
}

fn time(ctx: &mut Ctx<'_>) -> Result<Ret> {
    if ctx.is_none_or_nil(1) {
        return ctx.ret(&[Value::Number(now() as f64)]);
    }
    let t = ctx.check_table(1)?;
    let sec = field(ctx, t, "sec", Some(0))?;
    let min = field(ctx, t, "min", Some(0))?;
    let hour = field(ctx, t, "hour", Some(12))?;
    let day = field(ctx, t, "day", None)?;
    let month = field(ctx, t, "month", None)?;
    let year = field(ctx, t, "year", None)?;
    // loslib.c stores `year - 1900` and `month - 1` in C ints (which wrap); mktime normalizes
    // out-of-range fields: months first, then the rest as seconds. Every field fits 32 bits,
    // so none of this overflows 64.
    let year = i64::from((year as i32).wrapping_sub(1900)) + 1900;
    let m0 = i64::from((month as i32).wrapping_sub(1));
    let (year, month) = (year + m0.div_euclid(12), m0.rem_euclid(12) + 1);
    let days = days_from_civil(year, month, 1) + day - 1;
    let secs = days * 86_400 + hour * 3600 + min * 60 + sec;
    if secs == -1 {
        // mktime's error value: 5.1 cannot tell it from 23:59:59 on 1969-12-31 either.
        return ctx.ret(&[Value::Nil]);
    }
    ctx.ret(&[Value::Number(secs as f64)])
}

fn difftime(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let t2 = ctx.check_number(1)?;
    let t1 = ctx.opt_number(2, 0.0)?;
    ctx.ret(&[Value::Number(t2 - t1)])
}

/// `os.execute([command])`: C's `system`. The command runs through `/bin/sh -c` and the result
/// is the raw wait status, as lua5.1 returns it (`256` for `exit 1`); without a command, `1`
/// (a shell is available). Our buffered standard output is flushed first, so the command's
/// output follows what the script printed.
fn execute(ctx: &mut Ctx<'_>) -> Result<Ret> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::process::ExitStatusExt;
    let Some(command) = ctx.opt_string(1)? else {
        return ctx.ret(&[Value::Number(1.0)]);
    };
    let command = ctx.vm.str_bytes(command)?.to_vec();
    ctx.vm.flush_stdout();
    let status = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(std::ffi::OsStr::from_bytes(&command))
        .status();
    let status = match status {
        Ok(status) => f64::from(status.into_raw()),
        Err(_) => -1.0,
    };
    ctx.ret(&[Value::Number(status)])
}

fn getenv(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_bytes(1)?;
    let value = String::from_utf8(name).ok().and_then(std::env::var_os);
    match value {
        Some(v) => {
            use std::os::unix::ffi::OsStrExt;
            ctx.push_bytes(v.as_bytes())?;
            Ok(Ret::values(1))
        }
        None => ctx.ret(&[Value::Nil]),
    }
}

fn exit(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let code = ctx.opt_integer(1, 0)?;
    ctx.vm.flush_stdout();
    // C's `exit` flushes every stream.
    super::io::flush_all(ctx.vm);
    std::process::exit(code as i32)
}

/// `true`, or `nil, "name: message", errno`.
fn os_result(ctx: &mut Ctx<'_>, name: &[u8], res: std::io::Result<()>) -> Result<Ret> {
    match res {
        Ok(()) => ctx.ret(&[Value::Boolean(true)]),
        Err(e) => {
            let mut msg = name.to_vec();
            msg.extend_from_slice(b": ");
            msg.extend_from_slice(c_error_text(&e).as_bytes());
            ctx.push(Value::Nil);
            ctx.push_bytes(&msg)?;
            ctx.push(Value::Number(f64::from(e.raw_os_error().unwrap_or(0))));
            Ok(Ret::values(3))
        }
    }
}

fn path_of(bytes: &[u8]) -> &std::path::Path {
    use std::os::unix::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(bytes))
}

fn remove(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let name = ctx.check_bytes(1)?;
    let path = path_of(&name);
    let res = if path.is_dir() {
        std::fs::remove_dir(path)
    } else {
        std::fs::remove_file(path)
    };
    os_result(ctx, &name, res)
}

fn rename(ctx: &mut Ctx<'_>) -> Result<Ret> {
    let from = ctx.check_bytes(1)?;
    let to = ctx.check_bytes(2)?;
    let res = std::fs::rename(path_of(&from), path_of(&to));
    os_result(ctx, &from, res)
}

/// `os.setlocale`: Ferrous has only the C locale (every library function behaves as in it),
/// so querying answers `C`, asking for `C`, `POSIX` or the environment's (`""`) gives `C`,
/// and any other locale cannot be set (nil). The category is checked as 5.1 does.
fn setlocale(ctx: &mut Ctx<'_>) -> Result<Ret> {
    const CATEGORIES: [&[u8]; 6] = [
        b"all",
        b"collate",
        b"ctype",
        b"monetary",
        b"numeric",
        b"time",
    ];
    let locale = match ctx.opt_string(1)? {
        Some(s) => Some(ctx.vm.heap.str_bytes(s)?.to_vec()),
        None => None,
    };
    if let Some(s) = ctx.opt_string(2)? {
        let category = ctx.vm.heap.str_bytes(s)?;
        if !CATEGORIES.contains(&category) {
            let mut msg = b"invalid option '".to_vec();
            msg.extend_from_slice(category);
            msg.push(b'\'');
            return Err(Error::arg(2, msg));
        }
    }
    match locale.as_deref() {
        None | Some(b"" | b"C" | b"POSIX") => {
            ctx.push_bytes(b"C")?;
            Ok(Ret::values(1))
        }
        Some(_) => ctx.ret(&[Value::Nil]),
    }
}

fn tmpname(ctx: &mut Ctx<'_>) -> Result<Ret> {
    // Like mkstemp: a new, empty, uniquely named file.
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for attempt in 0..100u32 {
        let name = format!(
            "/tmp/lua_{:06x}",
            (seed ^ attempt.wrapping_mul(0x9E37_79B9) ^ std::process::id()) & 0xff_ffff
        );
        if std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&name)
            .is_ok()
        {
            ctx.push_bytes(name.as_bytes())?;
            return Ok(Ret::values(1));
        }
    }
    Err(Error::runtime("unable to generate a unique filename"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmtime_and_days_from_civil_agree() {
        for t in [
            0i64,
            86_399,
            951_782_400,
            1_700_000_000,
            -1,
            -86_401,
            4_102_444_800,
        ] {
            let tm = gmtime(t);
            let back = days_from_civil(tm.year, tm.month, tm.day) * 86_400
                + tm.hour * 3600
                + tm.min * 60
                + tm.sec;
            assert_eq!(back, t);
        }
        let tm = gmtime(951_782_400); // 2000-02-29 00:00:00, a Tuesday
        assert_eq!(
            (tm.year, tm.month, tm.day, tm.wday, tm.yday),
            (2000, 2, 29, 2, 59)
        );
    }

    #[test]
    fn strftime_c_locale() {
        let tm = gmtime(1_700_000_000); // 2023-11-14 22:13:20 UTC
        let mut out = Vec::new();
        strftime(b"%Y-%m-%d %H:%M:%S %a %b %j %p %c", &tm, &mut out);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "2023-11-14 22:13:20 Tue Nov 318 PM Tue Nov 14 22:13:20 2023"
        );
    }
}
