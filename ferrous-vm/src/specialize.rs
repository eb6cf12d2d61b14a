//! The loader's rewriting of a prototype's instructions into the code the interpreter loop runs
//! (`Prototype::exec`): an instruction whose operands are of a kind known at load time gets a
//! specialized opcode of the VM's own (one of the 6-bit field's values above the last opcode,
//! `decode.rs`), whose arm in the loop skips the tests that kind settles, as Lua 5.4's compiler
//! does with `GETFIELD` and its relatives. Operands and positions are unchanged, so the
//! specialized code has the same length, the same jump targets, and positions, line numbers
//! and hooks that are those of the original; everything but the loop (dumps, debug
//! information, error messages' variable names) reads the original code.
//!
//! Invariant: a specialized arm does what the original instruction does in every case,
//! including the ones its fast path does not take (its slow path is the original's).

use ferrous_compiler::{Instruction, OpCode, index_k, is_k};
use ferrous_heap::Value;

use crate::decode::{
    OP_ADDK, OP_ADDRR, OP_ADDRR_FORLOOP, OP_DIVK, OP_EQK, OP_GETFIELD, OP_GETFIELD_ARITH,
    OP_GETUPVAL_ARITH, OP_GETUPVAL2_ARITH, OP_LEK, OP_LTK, OP_MODK, OP_MODK_INT, OP_MOVE_CALL,
    OP_MULK, OP_RETURN1, OP_SETFIELD, OP_SETUPVAL_GET, OP_SUBK,
};

/// The loop's form of `code`, whose constants are `k` and whose child prototypes have
/// `child_upvalues[bx]` upvalues each.
pub(crate) fn exec_code(code: &[u32], k: &[Value], child_upvalues: &[u8]) -> Vec<u32> {
    let mut exec = Vec::with_capacity(code.len());
    let mut words = code.iter();
    while let Some(&word) = words.next() {
        let ins = Instruction(word);
        exec.push(specialize(ins, words.as_slice(), k).0);
        // Words that are not instructions follow some: `SETLIST`'s block number (C = 0), and
        // a `CLOSURE`'s upvalue descriptions (`MOVE`s and `GETUPVAL`s that `make_closure`
        // reads, one per upvalue of the child). They stay as they are.
        let operands = match ins.opcode() {
            Ok(OpCode::SetList) if ins.c() == 0 => 1,
            Ok(OpCode::Closure) => child_upvalues
                .get(ins.bx() as usize)
                .map_or(0, |&n| n.into()),
            _ => 0,
        };
        exec.extend(words.by_ref().take(operands));
    }
    exec
}

/// The specialized form of one instruction, or the instruction itself. `rest` are the words
/// after it: a fused form needs the first few to be its next instructions (each is an
/// instruction when the one before it can be fused: only `SETLIST` and `CLOSURE` are followed
/// by words that are not).
fn specialize(ins: Instruction, rest: &[u32], k: &[Value]) -> Instruction {
    let next = rest.first().map(|&w| Instruction(w));
    let next_is = |op: OpCode| next.is_some_and(|n| n.opcode() == Ok(op));
    let string_k =
        |rk: u32| is_k(rk) && matches!(k.get(index_k(rk) as usize), Some(Value::String(_)));
    let number_k =
        |rk: u32| is_k(rk) && matches!(k.get(index_k(rk) as usize), Some(Value::Number(_)));
    let register_and_number_k = !is_k(ins.b()) && number_k(ins.c());
    let op = match ins.opcode() {
        Ok(OpCode::GetTable) if string_k(ins.c()) => {
            if field_update(ins, rest) {
                OP_GETFIELD_ARITH
            } else {
                OP_GETFIELD
            }
        }
        Ok(OpCode::SetTable) if string_k(ins.b()) => OP_SETFIELD,
        Ok(OpCode::Add) if register_and_number_k => OP_ADDK,
        Ok(OpCode::Sub) if register_and_number_k => OP_SUBK,
        Ok(OpCode::Mul) if register_and_number_k => OP_MULK,
        Ok(OpCode::Div) if register_and_number_k => OP_DIVK,
        Ok(OpCode::Mod) if register_and_number_k => match k.get(index_k(ins.c()) as usize) {
            Some(&Value::Number(b)) if crate::number::is_mod_int(b) => OP_MODK_INT,
            _ => OP_MODK,
        },
        Ok(OpCode::Add) if !is_k(ins.b()) && !is_k(ins.c()) => {
            if next_is(OpCode::ForLoop) {
                OP_ADDRR_FORLOOP
            } else {
                OP_ADDRR
            }
        }
        Ok(OpCode::Eq) if !is_k(ins.b()) && is_k(ins.c()) && index_k(ins.c()) < k.len() as u32 => {
            OP_EQK
        }
        Ok(OpCode::Lt) if register_and_number_k => OP_LTK,
        Ok(OpCode::Le) if register_and_number_k => OP_LEK,
        Ok(OpCode::Return) if ins.b() == 2 => OP_RETURN1,
        Ok(OpCode::Move) if next_is(OpCode::Call) => OP_MOVE_CALL,
        Ok(OpCode::GetUpval) => {
            return match upvalue_update(ins, rest) {
                // C, unused by `GETUPVAL`, says how many words the update runs after this one
                // and whether it subtracts.
                Some((op, c)) => {
                    Instruction::abc(OpCode::GetUpval, ins.a(), ins.b(), c).with_op_field(op)
                }
                None => ins,
            };
        }
        Ok(OpCode::SetUpval)
            if next.is_some_and(|n| {
                n.opcode() == Ok(OpCode::GetUpval) && n.a() == ins.a() && n.b() == ins.b()
            }) =>
        {
            OP_SETUPVAL_GET
        }
        _ => return ins,
    };
    ins.with_op_field(op)
}

/// The fused form of `GETUPVAL` A B `ins` followed, in `rest`, by the rest of an update of
/// that upvalue: an `ADD` or `SUB` A A C (C not A) and a `SETUPVAL` A B (`n = n + 1`:
/// `OP_GETUPVAL_ARITH`), or a `GETUPVAL` A+1 D, an `ADD` or `SUB` A A A+1 and a `SETUPVAL` A
/// B (`n = n + step`: `OP_GETUPVAL2_ARITH`); with the C operand the fused word carries: how
/// many words after it the update runs (one more when its `SETUPVAL` is followed by the
/// `GETUPVAL` A B that `OP_SETUPVAL_GET` skips), plus [`UPDATE_SUB`] for a `SUB`.
fn upvalue_update(ins: Instruction, rest: &[u32]) -> Option<(u32, u32)> {
    let a = ins.a();
    let update = |arith: u32, set: u32, c: Option<u32>| {
        let (arith, set) = (Instruction(arith), Instruction(set));
        let fits = matches!(arith.opcode(), Ok(OpCode::Add | OpCode::Sub))
            && arith.a() == a
            && arith.b() == a
            && c.map_or(arith.c() != a, |c| arith.c() == c)
            && set.opcode() == Ok(OpCode::SetUpval)
            && set.a() == a
            && set.b() == ins.b();
        let sub = if arith.opcode() == Ok(OpCode::Sub) {
            UPDATE_SUB
        } else {
            0
        };
        fits.then_some(sub)
    };
    // The `GETUPVAL` after the `SETUPVAL` that `OP_SETUPVAL_GET` skips, at `rest[at]`.
    let read_back = |at: usize| {
        rest.get(at).is_some_and(|&w| {
            let w = Instruction(w);
            w.opcode() == Ok(OpCode::GetUpval) && w.a() == a && w.b() == ins.b()
        })
    };
    match *rest {
        [get2, arith, set, ..]
            if Instruction(get2).opcode() == Ok(OpCode::GetUpval)
                && Instruction(get2).a() == a + 1
                && a + 1 < 256 =>
        {
            let sub = update(arith, set, Some(a + 1))?;
            Some((OP_GETUPVAL2_ARITH, sub | (3 + u32::from(read_back(3)))))
        }
        [arith, set, ..] => {
            let sub = update(arith, set, None)?;
            Some((OP_GETUPVAL_ARITH, sub | (2 + u32::from(read_back(2)))))
        }
        _ => None,
    }
}

/// Whether `GETTABLE` A B K `ins` (K a constant string) is followed, in `rest`, by the rest of
/// an update of that field: an `ADD` or `SUB` A A C (C not A) and a `SETTABLE` B K A
/// (`self.n = self.n + 1`, `stats.sum = stats.sum - x`), A not B (the table stays in B).
fn field_update(ins: Instruction, rest: &[u32]) -> bool {
    let [arith, set, ..] = *rest else {
        return false;
    };
    let (arith, set, a) = (Instruction(arith), Instruction(set), ins.a());
    a != ins.b()
        && matches!(arith.opcode(), Ok(OpCode::Add | OpCode::Sub))
        && arith.a() == a
        && arith.b() == a
        && arith.c() != a
        && set.opcode() == Ok(OpCode::SetTable)
        && set.a() == ins.b()
        && set.b() == ins.c()
        && set.c() == a
}

/// The bit of a fused upvalue update's C operand that marks a subtraction; the bits below it
/// count the words it runs after the `GETUPVAL` (`upvalue_update`).
pub(crate) const UPDATE_SUB: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use ferrous_compiler::BITRK;

    const S: u32 = BITRK; // constant 0: a string
    const N: u32 = BITRK | 1; // constant 1: a number
    const B: u32 = BITRK | 2; // constant 2: a boolean
    const F: u32 = BITRK | 3; // constant 3: a number with a fraction
    const PAST: u32 = BITRK | 9; // past the constants (the verifier rejects it)

    fn k() -> [Value; 4] {
        [
            Value::String(ferrous_heap::names::KEYS),
            Value::Number(1.0),
            Value::Boolean(true),
            Value::Number(2.5),
        ]
    }

    fn abc(op: OpCode, a: u32, b: u32, c: u32) -> u32 {
        Instruction::abc(op, a, b, c).0
    }

    #[test]
    fn operands_of_a_known_kind_are_specialized() {
        use OpCode::*;
        let cases = [
            (abc(GetTable, 0, 1, S), OP_GETFIELD),
            (abc(GetTable, 0, 1, N), GetTable as u32),
            (abc(GetTable, 0, 1, 2), GetTable as u32),
            (abc(GetTable, 0, 1, PAST), GetTable as u32),
            (abc(SetTable, 0, S, 2), OP_SETFIELD),
            (abc(SetTable, 0, 2, S), SetTable as u32),
            (abc(SetTable, 0, N, S), SetTable as u32),
            (abc(OpSelf, 0, 1, S), OpSelf as u32),
            (abc(Add, 0, 1, N), OP_ADDK),
            (abc(Sub, 0, 1, N), OP_SUBK),
            (abc(Mul, 0, 1, N), OP_MULK),
            (abc(Div, 0, 1, N), OP_DIVK),
            (abc(Add, 0, 1, 2), OP_ADDRR),
            (abc(Sub, 0, 1, 2), Sub as u32),
            (abc(Add, 0, N, 2), Add as u32),
            (abc(Add, 0, N, N), Add as u32),
            (abc(Add, 0, 1, S), Add as u32),
            (abc(Mod, 0, 1, N), OP_MODK_INT),
            (abc(Mod, 0, 1, F), OP_MODK),
            (abc(Mod, 0, 1, S), Mod as u32),
            (abc(Pow, 0, 1, N), Pow as u32),
            (abc(Eq, 1, 1, S), OP_EQK),
            (abc(Eq, 0, 1, N), OP_EQK),
            (abc(Eq, 0, 1, B), OP_EQK),
            (abc(Eq, 0, 1, PAST), Eq as u32),
            (abc(Eq, 0, S, 1), Eq as u32),
            (abc(Eq, 0, 1, 2), Eq as u32),
            (abc(Lt, 0, 1, N), OP_LTK),
            (abc(Lt, 0, 1, S), Lt as u32),
            (abc(Lt, 0, N, 1), Lt as u32),
            (abc(Le, 1, 1, N), OP_LEK),
            (abc(Le, 1, 1, 2), Le as u32),
            (abc(Return, 0, 2, 0), OP_RETURN1),
            (abc(Return, 0, 1, 0), Return as u32),
            (abc(Return, 0, 0, 0), Return as u32),
            (abc(Return, 0, 3, 0), Return as u32),
        ];
        let code: Vec<u32> = cases.iter().map(|&(w, _)| w).collect();
        let exec = exec_code(&code, &k(), &[]);
        for ((&word, &(_, want)), &got) in code.iter().zip(&cases).zip(&exec) {
            let got = Instruction(got);
            assert_eq!(got.op_field(), want, "{:?}", Instruction(word).opcode());
            // The operands are untouched, and the original opcode is known.
            assert_eq!(got.with_op_field(Instruction(word).op_field()).0, word);
            assert_eq!(
                crate::decode::original_op(got.op_field()),
                Instruction(word).op_field()
            );
        }
    }

    #[test]
    fn pairs_are_fused_when_the_next_word_is_their_second_instruction() {
        use OpCode::*;
        let for_loop = Instruction::asbx(ForLoop, 0, -2).0;
        let call = abc(Call, 2, 2, 1);
        let cases: [(&[u32], u32); 11] = [
            (&[abc(Add, 3, 3, 4), for_loop], OP_ADDRR_FORLOOP),
            (&[abc(Add, 3, 3, N), for_loop], OP_ADDK),
            (&[abc(Add, 3, 3, 4), call], OP_ADDRR),
            (&[abc(Add, 3, 3, 4)], OP_ADDRR),
            (
                &[abc(SetUpval, 2, 1, 0), abc(GetUpval, 2, 1, 0)],
                OP_SETUPVAL_GET,
            ),
            // Another register or another upvalue read: a read that changes something.
            (
                &[abc(SetUpval, 2, 1, 0), abc(GetUpval, 3, 1, 0)],
                SetUpval as u32,
            ),
            (
                &[abc(SetUpval, 2, 1, 0), abc(GetUpval, 2, 0, 0)],
                SetUpval as u32,
            ),
            (&[abc(SetUpval, 2, 1, 0)], SetUpval as u32),
            (&[abc(Move, 3, 1, 0), call], OP_MOVE_CALL),
            (&[abc(Move, 3, 1, 0), abc(TailCall, 2, 2, 0)], Move as u32),
            (&[abc(Move, 3, 1, 0)], Move as u32),
        ];
        for (code, want) in cases {
            let exec = exec_code(code, &k(), &[]);
            assert_eq!(Instruction(exec[0]).op_field(), want, "{code:?}");
            // The second instruction stays as it is: jumps to it run it alone.
            assert_eq!(&exec[1..], &code[1..]);
            assert_eq!(
                crate::decode::original_op(want),
                Instruction(code[0]).op_field()
            );
        }
    }

    #[test]
    fn upvalue_arithmetic_triples_are_fused() {
        use OpCode::*;
        let get = abc(GetUpval, 2, 1, 0);
        let set = abc(SetUpval, 2, 1, 0);
        let cases: [(&[u32], u32); 17] = [
            (&[get, abc(Add, 2, 2, N), set], OP_GETUPVAL_ARITH),
            (&[get, abc(Add, 2, 2, 3), set], OP_GETUPVAL_ARITH),
            (&[get, abc(Sub, 2, 2, 3), set], OP_GETUPVAL_ARITH),
            (&[get, abc(Sub, 2, 2, S), set], OP_GETUPVAL_ARITH),
            // Not A's own sum (`n = n + n`), another operation, another register or upvalue.
            (&[get, abc(Add, 2, 2, 2), set], GetUpval as u32),
            (&[get, abc(Mul, 2, 2, N), set], GetUpval as u32),
            (&[get, abc(Add, 3, 2, N), set], GetUpval as u32),
            (&[get, abc(Add, 2, 3, N), set], GetUpval as u32),
            (
                &[get, abc(Add, 2, 2, N), abc(SetUpval, 2, 0, 0)],
                GetUpval as u32,
            ),
            (
                &[get, abc(Add, 2, 2, N), abc(SetUpval, 3, 1, 0)],
                GetUpval as u32,
            ),
            (&[get, abc(Add, 2, 2, N)], GetUpval as u32),
            // Both operands upvalues: the second read into A+1.
            (
                &[get, abc(GetUpval, 3, 0, 0), abc(Add, 2, 2, 3), set],
                OP_GETUPVAL2_ARITH,
            ),
            (
                &[get, abc(GetUpval, 3, 1, 0), abc(Sub, 2, 2, 3), set],
                OP_GETUPVAL2_ARITH,
            ),
            (
                &[get, abc(GetUpval, 4, 0, 0), abc(Add, 2, 2, 4), set],
                GetUpval as u32,
            ),
            (
                &[get, abc(GetUpval, 3, 0, 0), abc(Add, 2, 2, N), set],
                GetUpval as u32,
            ),
            (
                &[get, abc(GetUpval, 3, 0, 0), abc(Add, 2, 3, 2), set],
                GetUpval as u32,
            ),
            (
                &[get, abc(GetUpval, 3, 0, 0), abc(Add, 2, 2, 3)],
                GetUpval as u32,
            ),
        ];
        for (code, want) in cases {
            let exec = exec_code(code, &k(), &[]);
            assert_eq!(Instruction(exec[0]).op_field(), want, "{code:?}");
            assert_eq!(
                crate::decode::original_op(want),
                Instruction(code[0]).op_field()
            );
            // The words after it stay instructions of their own (specialized or not): jumps
            // to them run them alone.
            for (&got, &word) in exec[1..].iter().zip(&code[1..]) {
                assert_eq!(
                    crate::decode::original_op(Instruction(got).op_field()),
                    Instruction(word).op_field()
                );
            }
        }
    }

    #[test]
    fn field_arithmetic_triples_are_fused() {
        use OpCode::*;
        let get = abc(GetTable, 2, 1, S);
        let set = abc(SetTable, 1, S, 2);
        let cases: [(&[u32], u32); 13] = [
            (&[get, abc(Add, 2, 2, N), set], OP_GETFIELD_ARITH),
            (&[get, abc(Add, 2, 2, 3), set], OP_GETFIELD_ARITH),
            (&[get, abc(Sub, 2, 2, 3), set], OP_GETFIELD_ARITH),
            (&[get, abc(Sub, 2, 2, S), set, get], OP_GETFIELD_ARITH),
            // Not A's own sum, another operation, another register, table, key or value.
            (&[get, abc(Add, 2, 2, 2), set], OP_GETFIELD),
            (&[get, abc(Mul, 2, 2, N), set], OP_GETFIELD),
            (&[get, abc(Add, 3, 2, N), set], OP_GETFIELD),
            (&[get, abc(Add, 2, 3, N), set], OP_GETFIELD),
            (
                &[get, abc(Add, 2, 2, N), abc(SetTable, 0, S, 2)],
                OP_GETFIELD,
            ),
            (
                &[get, abc(Add, 2, 2, N), abc(SetTable, 1, N, 2)],
                OP_GETFIELD,
            ),
            (
                &[get, abc(Add, 2, 2, N), abc(SetTable, 1, S, 3)],
                OP_GETFIELD,
            ),
            // The table in A (`t = t.n + 1` would lose it), and no write.
            (
                &[
                    abc(GetTable, 1, 1, S),
                    abc(Add, 1, 1, N),
                    abc(SetTable, 1, S, 1),
                ],
                OP_GETFIELD,
            ),
            (&[get, abc(Add, 2, 2, N)], OP_GETFIELD),
        ];
        for (code, want) in cases {
            let exec = exec_code(code, &k(), &[]);
            assert_eq!(Instruction(exec[0]).op_field(), want, "{code:?}");
            assert_eq!(crate::decode::original_op(want), GetTable as u32);
            // The words after it stay instructions of their own (specialized or not): jumps
            // to them run them alone. A read back after the update is a plain field read.
            for (&got, &word) in exec[1..].iter().zip(&code[1..]) {
                assert_eq!(
                    crate::decode::original_op(Instruction(got).op_field()),
                    Instruction(word).op_field()
                );
            }
        }
        let twice = [get, abc(Add, 2, 2, N), set, get, abc(Add, 2, 2, N), set];
        let exec = exec_code(&twice, &k(), &[]);
        assert_eq!(Instruction(exec[3]).op_field(), OP_GETFIELD_ARITH);
    }

    #[test]
    fn upvalue_updates_carry_their_length_and_kind_in_c() {
        use OpCode::*;
        let get = abc(GetUpval, 2, 1, 0);
        let set = abc(SetUpval, 2, 1, 0);
        let get2 = abc(GetUpval, 3, 0, 0);
        let cases: [(&[u32], u32); 6] = [
            (&[get, abc(Add, 2, 2, N), set], 2),
            (&[get, abc(Sub, 2, 2, N), set], 2 | UPDATE_SUB),
            (&[get, abc(Add, 2, 2, 3), set, get], 3),
            (&[get, abc(Add, 2, 2, 3), set, abc(GetUpval, 2, 0, 0)], 2),
            (&[get, get2, abc(Add, 2, 2, 3), set], 3),
            (&[get, get2, abc(Sub, 2, 2, 3), set, get], 4 | UPDATE_SUB),
        ];
        for (code, want) in cases {
            let exec = Instruction(exec_code(code, &k(), &[])[0]);
            assert_eq!(exec.c(), want, "{code:?}");
            assert_eq!((exec.a(), exec.b()), (2, 1));
        }
    }

    #[test]
    fn setlist_block_words_are_not_instructions() {
        // A block number that reads as `GETTABLE` with a constant string key.
        let block = abc(OpCode::GetTable, 0, 1, S);
        let code = [abc(OpCode::SetList, 0, 1, 0), block, block];
        let exec = exec_code(&code, &k(), &[]);
        assert_eq!(&exec[..2], &code[..2]);
        assert_eq!(Instruction(exec[2]).op_field(), OP_GETFIELD);
    }

    #[test]
    fn closure_upvalue_descriptions_are_not_instructions() {
        use OpCode::*;
        // `CLOSURE` of child 1 (two upvalues), whose descriptions are a `MOVE` followed by a
        // `CALL`-looking word would be fused if they were instructions; then a real pair.
        let code = [
            Instruction::abx(Closure, 0, 1).0,
            abc(Move, 0, 1, 0),
            abc(Move, 0, 2, 0),
            abc(Call, 0, 1, 1),
            abc(Move, 0, 1, 0),
            abc(Call, 0, 1, 1),
        ];
        let exec = exec_code(&code, &k(), &[0, 2]);
        assert_eq!(&exec[..4], &code[..4]);
        assert_eq!(Instruction(exec[4]).op_field(), OP_MOVE_CALL);
        // A child without upvalues has no descriptions.
        let code = [
            Instruction::abx(Closure, 0, 0).0,
            abc(Move, 0, 1, 0),
            abc(Call, 0, 1, 1),
        ];
        let exec = exec_code(&code, &k(), &[0, 2]);
        assert_eq!(Instruction(exec[1]).op_field(), OP_MOVE_CALL);
    }
}
