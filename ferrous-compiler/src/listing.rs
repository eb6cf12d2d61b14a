//! The bytecode listing, byte for byte in the format of `luac5.1 -l -l` (5.1.5's `print.c`).
//!
//! Per function, parent before children: the header, one line per instruction (operands
//! decoded from the `OpCode` table's formats and modes, comments for constants, upvalue
//! names, jump targets), then constants, locals and upvalues.
//!
//! Invariants:
//! - Apart from the function addresses (`0x...`, which are stable fake addresses here), the
//!   output equals `luac5.1 -l -l`'s for the same source and chunk name.
//! - The output is bytes: string constants may hold any byte, as in luac's output.

use std::io::Write;

use crate::module::{CompiledModule, Constant, Proto};
use crate::number::fmt_g14;
use crate::opcodes::{OpArgMode, OpCode, OpFormat, index_k, is_k};

/// The full listing of a module (`luac -l -l`).
pub fn listing(module: &CompiledModule) -> Vec<u8> {
    let mut out = Vec::new();
    let mut next_id = 0;
    print_function(module, &module.main, &mut out, &mut next_id);
    out
}

/// A fake, stable address for the `id`-th function of the listing.
fn address(id: usize) -> String {
    format!("0x{:012x}", 0x5500_0000_0000usize + id * 0x300)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn print_function(module: &CompiledModule, f: &Proto, out: &mut Vec<u8>, next_id: &mut usize) {
    let id = *next_id;
    *next_id += 1;
    let addr = address(id);
    // Children are numbered in the order luac prints them (depth first, after the parent).
    let mut child_ids = Vec::with_capacity(f.protos.len());
    let mut counter = *next_id;
    for child in &f.protos {
        child_ids.push(counter);
        counter += count_functions(child);
    }
    print_header(module, f, &addr, out);
    print_code(module, f, &child_ids, out);
    print_constants(module, f, &addr, out);
    let _ = writeln!(out, "locals ({}) for {addr}:", f.local_vars.len());
    for (i, v) in f.local_vars.iter().enumerate() {
        let _ = write!(out, "\t{i}\t");
        out.extend_from_slice(c_str(module.string(v.name)));
        let _ = writeln!(out, "\t{}\t{}", v.start_pc + 1, v.end_pc + 1);
    }
    let _ = writeln!(out, "upvalues ({}) for {addr}:", f.upvalue_names.len());
    for (i, name) in f.upvalue_names.iter().enumerate() {
        let _ = write!(out, "\t{i}\t");
        out.extend_from_slice(c_str(module.string(*name)));
        out.push(b'\n');
    }
    for child in &f.protos {
        print_function(module, child, out, next_id);
    }
}

fn count_functions(f: &Proto) -> usize {
    1 + f.protos.iter().map(count_functions).sum::<usize>()
}

/// The bytes of a C string: up to the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())]
}

fn print_header(module: &CompiledModule, f: &Proto, addr: &str, out: &mut Vec<u8>) {
    let source = c_str(module.string(f.source));
    let name: &[u8] = match source.first() {
        Some(b'@' | b'=') => &source[1..],
        Some(27) => b"(bstring)",
        _ => b"(string)",
    };
    let kind = if f.line_defined == 0 {
        "main"
    } else {
        "function"
    };
    let _ = write!(out, "\n{kind} <");
    out.extend_from_slice(name);
    let n = f.code.len();
    let _ = writeln!(
        out,
        ":{},{}> ({n} instruction{}, {} bytes at {addr})",
        f.line_defined,
        f.last_line_defined,
        plural(n),
        n * 4
    );
    let np = usize::from(f.num_params);
    let slots = usize::from(f.max_stack_size);
    let nups = usize::from(f.num_upvalues);
    let _ = writeln!(
        out,
        "{np}{} param{}, {slots} slot{}, {nups} upvalue{}, {} local{}, {} constant{}, {} function{}",
        if f.is_vararg != 0 { "+" } else { "" },
        plural(np),
        plural(slots),
        plural(nups),
        f.local_vars.len(),
        plural(f.local_vars.len()),
        f.constants.len(),
        plural(f.constants.len()),
        f.protos.len(),
        plural(f.protos.len()),
    );
}

fn print_constant(module: &CompiledModule, f: &Proto, idx: u32, out: &mut Vec<u8>) {
    match f.constants.get(idx as usize) {
        Some(Constant::Nil) => out.extend_from_slice(b"nil"),
        Some(Constant::Boolean(b)) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Some(Constant::Number(n)) => out.extend_from_slice(fmt_g14(*n).as_bytes()),
        Some(Constant::String(s)) => print_string(module.string(*s), out),
        None => out.extend_from_slice(b"?"),
    }
}

fn print_string(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &c in s {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            7 => out.extend_from_slice(b"\\a"),
            8 => out.extend_from_slice(b"\\b"),
            12 => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            11 => out.extend_from_slice(b"\\v"),
            32..=126 => out.push(c),
            _ => {
                let _ = write!(out, "\\{c:03}");
            }
        }
    }
    out.push(b'"');
}

/// An RK operand as luac prints it: constants as `-1-index`.
fn rk(x: u32) -> i64 {
    if is_k(x) {
        -1 - i64::from(index_k(x))
    } else {
        i64::from(x)
    }
}

fn print_code(module: &CompiledModule, f: &Proto, child_ids: &[usize], out: &mut Vec<u8>) {
    let mut pc = 0;
    while pc < f.code.len() {
        let i = f.code[pc];
        let line = f.line_info.get(pc).copied().unwrap_or(0);
        let _ = write!(out, "\t{}\t", pc + 1);
        if line > 0 {
            let _ = write!(out, "[{line}]\t");
        } else {
            out.extend_from_slice(b"[-]\t");
        }
        let op = match i.opcode() {
            Ok(op) => op,
            Err(e) => {
                let _ = writeln!(out, "{e}");
                pc += 1;
                continue;
            }
        };
        let (a, b, c, bx, sbx) = (i.a(), i.b(), i.c(), i.bx(), i.sbx());
        let _ = write!(out, "{:<9}\t", op.name());
        match op.format() {
            OpFormat::ABC => {
                let _ = write!(out, "{a}");
                if op.b_mode() != OpArgMode::N {
                    let _ = write!(out, " {}", rk(b));
                }
                if op.c_mode() != OpArgMode::N {
                    let _ = write!(out, " {}", rk(c));
                }
            }
            OpFormat::ABx => {
                if op.b_mode() == OpArgMode::K {
                    let _ = write!(out, "{a} {}", -1 - i64::from(bx));
                } else {
                    let _ = write!(out, "{a} {bx}");
                }
            }
            OpFormat::AsBx => {
                if op == OpCode::Jmp {
                    let _ = write!(out, "{sbx}");
                } else {
                    let _ = write!(out, "{a} {sbx}");
                }
            }
        }
        match op {
            OpCode::LoadK => {
                out.extend_from_slice(b"\t; ");
                print_constant(module, f, bx, out);
            }
            OpCode::GetUpval | OpCode::SetUpval => {
                out.extend_from_slice(b"\t; ");
                match f.upvalue_names.get(b as usize) {
                    Some(name) => out.extend_from_slice(c_str(module.string(*name))),
                    None => out.push(b'-'),
                }
            }
            OpCode::GetGlobal | OpCode::SetGlobal => {
                out.extend_from_slice(b"\t; ");
                if let Some(Constant::String(s)) = f.constants.get(bx as usize) {
                    out.extend_from_slice(c_str(module.string(*s)));
                }
            }
            OpCode::GetTable | OpCode::OpSelf if is_k(c) => {
                out.extend_from_slice(b"\t; ");
                print_constant(module, f, index_k(c), out);
            }
            OpCode::SetTable
            | OpCode::Add
            | OpCode::Sub
            | OpCode::Mul
            | OpCode::Div
            | OpCode::Pow
            | OpCode::Eq
            | OpCode::Lt
            | OpCode::Le
                if is_k(b) || is_k(c) =>
            {
                out.extend_from_slice(b"\t; ");
                if is_k(b) {
                    print_constant(module, f, index_k(b), out);
                } else {
                    out.push(b'-');
                }
                out.push(b' ');
                if is_k(c) {
                    print_constant(module, f, index_k(c), out);
                } else {
                    out.push(b'-');
                }
            }
            OpCode::Jmp | OpCode::ForLoop | OpCode::ForPrep => {
                let _ = write!(out, "\t; to {}", i64::from(sbx) + pc as i64 + 2);
            }
            OpCode::Closure => {
                let id = child_ids
                    .get(bx as usize)
                    .copied()
                    .unwrap_or(usize::MAX >> 8);
                let _ = write!(out, "\t; {}", address(id));
            }
            OpCode::SetList => {
                if c == 0 {
                    pc += 1;
                    let word = f.code.get(pc).map_or(0, |w| w.0 as i32);
                    let _ = write!(out, "\t; {word}");
                } else {
                    let _ = write!(out, "\t; {c}");
                }
            }
            _ => {}
        }
        out.push(b'\n');
        pc += 1;
    }
}

fn print_constants(module: &CompiledModule, f: &Proto, addr: &str, out: &mut Vec<u8>) {
    let _ = writeln!(out, "constants ({}) for {addr}:", f.constants.len());
    for i in 0..f.constants.len() {
        let _ = write!(out, "\t{}\t", i + 1);
        print_constant(module, f, i as u32, out);
        out.push(b'\n');
    }
}
