//! The engine of `string.format`, byte-for-byte as Lua 5.1.5's `str_format` (lstrlib.c) on
//! 64-bit glibc Linux.
//!
//! [`format()`] walks the format string, parses each conversion exactly like 5.1's `scanformat`
//! (at most five flags from `-+ #0`, two width digits, two precision digits) and renders it like
//! glibc `printf`. Arguments are fetched lazily through the [`FormatArgs`] trait, so the VM decides
//! how a value becomes a number or a string and raises 5.1's argument errors itself (`bad argument
//! #2 to 'format' (number expected, got no value)`); the engine's own errors are [`FormatError`].
//!
//! Behaviour worth knowing, all of it 5.1's:
//! * `%d %i` convert with C's `(long)n`, so fractions truncate and NaN, infinities and values
//!   outside the `long` range print `-9223372036854775808`; `%o %u %x %X` use `(unsigned long)n`
//!   (`-1` prints `18446744073709551615`, see [`c_double_to_ulong`]); `%c` uses `(int)n` and the
//!   low byte.
//! * 5.1 copies each formatted item with `strlen`, so an item stops at its first NUL byte: `%c` of 0
//!   adds nothing (only its left padding), `%s` of a string shorter than 100 bytes stops at its
//!   first NUL. A `%s` without precision of a string of 100 bytes or more is copied whole (width
//!   ignored, NULs kept), and `%q` always sees the whole string.
//! * `%q` ignores flags, width and precision; a `%` at the very end of the format string reads
//!   the terminating NUL and fails with `invalid option '%' to 'format'` (the NUL prints as
//!   nothing).
//!
//! Invariant: the output is only appended to `out`; nothing is allocated per format item except
//! what [`FormatArgs::string`] chooses to return owned.

use std::borrow::Cow;
use std::fmt;

use crate::number::{
    FloatConv, MAX_PRECISION, Spec, c_double_to_int, c_double_to_long, c_double_to_ulong,
    fmt_float, pad, u64_digits,
};

/// An error `string.format` raises on its own (not an argument error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FormatError {
    /// A conversion character 5.1 does not know: `invalid option '%y' to 'format'`.
    InvalidOption(u8),
    /// Six or more flag characters: `invalid format (repeated flags)`.
    RepeatedFlags,
    /// A width or precision of three or more digits:
    /// `invalid format (width or precision too long)`.
    TooLong,
}

impl FormatError {
    /// The exact bytes of 5.1's message (the option byte is raw; a NUL prints as nothing).
    pub(crate) fn message(&self) -> Vec<u8> {
        match *self {
            Self::InvalidOption(option) => {
                let mut msg = b"invalid option '%".to_vec();
                if option != 0 {
                    msg.push(option);
                }
                msg.extend_from_slice(b"' to 'format'");
                msg
            }
            Self::RepeatedFlags => b"invalid format (repeated flags)".to_vec(),
            Self::TooLong => b"invalid format (width or precision too long)".to_vec(),
        }
    }
}

impl fmt::Display for FormatError {
    /// The message as text; a non-ASCII option byte shows as U+FFFD (use [`FormatError::message`]
    /// for the exact bytes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.message()))
    }
}

impl std::error::Error for FormatError {}

/// The arguments of one `string.format` call, supplied lazily by the VM.
///
/// `arg` is the Lua argument index: the format string is argument 1, so the first value is
/// argument 2, exactly the number 5.1 puts in its `bad argument #n` messages.
pub(crate) trait FormatArgs {
    /// The VM's error type; it can carry the engine's own [`FormatError`]s.
    type Error: From<FormatError>;

    /// Fails with `bad argument #arg to 'format' (no value)` when fewer arguments were passed.
    /// Called once per conversion, before the conversion is parsed.
    fn check_present(&mut self, arg: usize) -> Result<(), Self::Error>;

    /// `luaL_checknumber(arg)`: the number, or the string coerced to one, or 5.1's error.
    fn number(&mut self, arg: usize) -> Result<f64, Self::Error>;

    /// `luaL_checklstring(arg)`: the string, or the number rendered with `%.14g`, or 5.1's error.
    fn string(&mut self, arg: usize) -> Result<Cow<'_, [u8]>, Self::Error>;
}

/// Valid flag characters of a conversion (`FLAGS` in lstrlib.c).
const FLAGS: &[u8] = b"-+ #0";

/// `string.format(fmt, ...)`: appends the formatted result to `out`.
pub(crate) fn format<A: FormatArgs + ?Sized>(
    fmt: &[u8],
    args: &mut A,
    out: &mut Vec<u8>,
) -> Result<(), A::Error> {
    let mut i = 0;
    let mut arg = 1;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            let run_end = fmt[i..]
                .iter()
                .position(|&b| b == b'%')
                .map_or(fmt.len(), |k| i + k);
            out.extend_from_slice(&fmt[i..run_end]);
            i = run_end;
            continue;
        }
        i += 1;
        if fmt.get(i) == Some(&b'%') {
            out.push(b'%');
            i += 1;
            continue;
        }
        arg += 1;
        args.check_present(arg)?;
        let (spec, conv, next) = scan_format(fmt, i)?;
        i = next;
        match conv {
            b'c' => {
                let byte = c_double_to_int(args.number(arg)?) as u8;
                let start = out.len();
                pad(out, b"", &[byte], spec.width, spec.left, false);
                truncate_at_nul(out, start);
            }
            b'd' | b'i' => {
                let value = c_double_to_long(args.number(arg)?);
                fmt_integer(value < 0, value.unsigned_abs(), 10, false, true, &spec, out);
            }
            b'o' | b'u' | b'x' | b'X' => {
                let value = c_double_to_ulong(args.number(arg)?);
                let radix = match conv {
                    b'o' => 8,
                    b'u' => 10,
                    _ => 16,
                };
                fmt_integer(false, value, radix, conv == b'X', false, &spec, out);
            }
            b'e' | b'E' | b'f' | b'g' | b'G' => {
                let float_conv = match conv {
                    b'e' => FloatConv::Exp,
                    b'E' => FloatConv::ExpUpper,
                    b'f' => FloatConv::Fixed,
                    b'g' => FloatConv::General,
                    _ => FloatConv::GeneralUpper,
                };
                fmt_float(args.number(arg)?, float_conv, &spec, out);
            }
            b'q' => quote(&args.string(arg)?, out),
            b's' => {
                let s = args.string(arg)?;
                if spec.precision.is_none() && s.len() >= 100 {
                    // 5.1 keeps a long string whole (luaL_addvalue), NULs included.
                    out.extend_from_slice(&s);
                } else {
                    let mut s: &[u8] = &s;
                    if let Some(nul) = s.iter().position(|&b| b == 0) {
                        s = &s[..nul];
                    }
                    if let Some(precision) = spec.precision {
                        s = &s[..s.len().min(precision)];
                    }
                    pad(out, b"", s, spec.width, spec.left, false);
                }
            }
            other => return Err(FormatError::InvalidOption(other).into()),
        }
    }
    Ok(())
}

/// `scanformat`: parses flags, width and precision starting at `start` (just after the `%`) and
/// returns them with the conversion byte and the index after it. Bytes past the end read as NUL,
/// like the terminator of a C string.
fn scan_format(fmt: &[u8], start: usize) -> Result<(Spec, u8, usize), FormatError> {
    let at = |k: usize| fmt.get(k).copied().unwrap_or(0);
    let mut spec = Spec::default();
    let mut p = start;
    loop {
        match at(p) {
            b'-' => spec.left = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alt = true,
            b'0' => spec.zero = true,
            _ => break,
        }
        p += 1;
    }
    if p - start > FLAGS.len() {
        return Err(FormatError::RepeatedFlags);
    }
    for _ in 0..2 {
        if at(p).is_ascii_digit() {
            spec.width = spec.width * 10 + usize::from(at(p) - b'0');
            p += 1;
        }
    }
    if at(p) == b'.' {
        p += 1;
        let mut precision = 0;
        for _ in 0..2 {
            if at(p).is_ascii_digit() {
                precision = precision * 10 + usize::from(at(p) - b'0');
                p += 1;
            }
        }
        spec.precision = Some(precision);
    }
    if at(p).is_ascii_digit() {
        return Err(FormatError::TooLong);
    }
    Ok((spec, at(p), p + 1))
}

/// Cuts `out` at its first NUL byte at or after `start` (5.1 copies items with `strlen`).
fn truncate_at_nul(out: &mut Vec<u8>, start: usize) {
    if let Some(nul) = out[start..].iter().position(|&b| b == 0) {
        out.truncate(start + nul);
    }
}

/// glibc `printf` for the integer conversions: `%d` (signed) and `%o %u %x %X`.
fn fmt_integer(
    negative: bool,
    magnitude: u64,
    radix: u64,
    upper: bool,
    signed: bool,
    spec: &Spec,
    out: &mut Vec<u8>,
) {
    let mut digit_buf = [0u8; 22];
    let first = u64_digits(magnitude, radix, upper, &mut digit_buf);
    let digits: &[u8] = if spec.precision == Some(0) && magnitude == 0 {
        &[]
    } else {
        &digit_buf[first..]
    };
    let precision = spec.precision.unwrap_or(0).min(MAX_PRECISION);
    let mut zeros = precision.saturating_sub(digits.len());
    if spec.alt && radix == 8 && zeros == 0 && digits.first() != Some(&b'0') {
        zeros = 1;
    }
    let prefix: &[u8] = if signed {
        if negative {
            b"-"
        } else if spec.plus {
            b"+"
        } else if spec.space {
            b" "
        } else {
            b""
        }
    } else if spec.alt && radix == 16 && magnitude != 0 {
        if upper { b"0X" } else { b"0x" }
    } else {
        b""
    };
    // At most 99 precision zeros plus 22 digits.
    let mut body = [0u8; 128];
    body[..zeros].fill(b'0');
    body[zeros..zeros + digits.len()].copy_from_slice(digits);
    let body = &body[..zeros + digits.len()];
    pad(
        out,
        prefix,
        body,
        spec.width,
        spec.left,
        spec.zero && spec.precision.is_none(),
    );
}

/// `addquoted` (`%q`): `"`, `\` and newline get a backslash, `\r` becomes `\r`, NUL becomes
/// `\000`; every other byte is copied raw.
pub(crate) fn quote(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    let mut run_start = 0;
    for (i, &byte) in s.iter().enumerate() {
        let escaped: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\\n",
            b'\r' => b"\\r",
            0 => b"\\000",
            _ => continue,
        };
        out.extend_from_slice(&s[run_start..i]);
        out.extend_from_slice(escaped);
        run_start = i + 1;
    }
    out.extend_from_slice(&s[run_start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests;
