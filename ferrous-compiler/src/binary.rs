//! The binary chunk format of Lua 5.1 (`ldump.c`/`lundump.c`) as lua5.1 writes it on x86-64,
//! defined once: the header, the constant tags, and `ChunkWriter`, the primitives `string.dump`
//! writes a function with. `undump.rs` reads the same format.
//!
//! Layout of a function (`DumpFunction`): source (a `size_t` length counting a trailing NUL, then
//! the bytes and the NUL; length 0 when the function shares its parent's source), line defined,
//! last line defined (`int`s), upvalue count, parameter count, vararg flags, register count
//! (bytes), the code (`int` count, then the instructions), the constants (`int` count, then each
//! as a tag byte and its value), the nested functions (`int` count, then each function), the line
//! info (`int` count, `int`s), the locals (`int` count, then name, start pc, end pc), the upvalue
//! names (`int` count, then the names). Everything little-endian.
//!
//! Invariant: `ChunkWriter` output for a prototype is byte-identical to lua5.1's `string.dump`.

/// The 12-byte header: `ESC "Lua"`, version 5.1, official format, little-endian, `int` 4 bytes,
/// `size_t` 8, `Instruction` 4, `lua_Number` 8, not integral.
pub const BINARY_HEADER: [u8; 12] = [0x1b, b'L', b'u', b'a', 0x51, 0, 1, 4, 8, 4, 8, 0];

/// The first byte of every binary chunk (`LUA_SIGNATURE[0]`).
pub const BINARY_SIGNATURE: u8 = 0x1b;

/// Constant tags (`lua.h`'s type numbers).
pub(crate) const TAG_NIL: u8 = 0;
pub(crate) const TAG_BOOLEAN: u8 = 1;
pub(crate) const TAG_NUMBER: u8 = 3;
pub(crate) const TAG_STRING: u8 = 4;

/// Writes a binary chunk piece by piece, in the order of the module docs.
#[derive(Debug)]
pub struct ChunkWriter {
    out: Vec<u8>,
}

impl Default for ChunkWriter {
    fn default() -> Self {
        ChunkWriter::new()
    }
}

impl ChunkWriter {
    /// A chunk holding the header.
    pub fn new() -> ChunkWriter {
        ChunkWriter {
            out: BINARY_HEADER.to_vec(),
        }
    }

    /// A string (`None`: the "same as the parent's source" marker).
    pub fn string(&mut self, s: Option<&[u8]>) {
        match s {
            None => self.size(0),
            Some(bytes) => {
                self.size(bytes.len() as u64 + 1);
                self.out.extend_from_slice(bytes);
                self.out.push(0);
            }
        }
    }

    fn size(&mut self, n: u64) {
        self.out.extend_from_slice(&n.to_le_bytes());
    }

    /// An `int` (a count, a line, a pc). Values above `i32::MAX` cannot come from a loaded
    /// prototype; they are written as `i32::MAX`.
    pub fn int(&mut self, n: usize) {
        let n = i32::try_from(n).unwrap_or(i32::MAX);
        self.out.extend_from_slice(&n.to_le_bytes());
    }

    /// A byte field (upvalue count, parameters, vararg flags, registers).
    pub fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    /// The code: its length, then the instructions.
    pub fn code(&mut self, code: &[u32]) {
        self.int(code.len());
        for word in code {
            self.out.extend_from_slice(&word.to_le_bytes());
        }
    }

    /// A `nil` constant.
    pub fn nil(&mut self) {
        self.out.push(TAG_NIL);
    }

    /// A boolean constant.
    pub fn boolean(&mut self, b: bool) {
        self.out.extend_from_slice(&[TAG_BOOLEAN, u8::from(b)]);
    }

    /// A number constant.
    pub fn number(&mut self, x: f64) {
        self.out.push(TAG_NUMBER);
        self.out.extend_from_slice(&x.to_le_bytes());
    }

    /// A string constant.
    pub fn string_constant(&mut self, s: &[u8]) {
        self.out.push(TAG_STRING);
        self.string(Some(s));
    }

    /// The line info: its length, then one `int` per instruction.
    pub fn lines(&mut self, lines: &[u32]) {
        self.int(lines.len());
        for &line in lines {
            // The bits 5.1 stored (a negative line of a hostile chunk comes back unchanged).
            self.out.extend_from_slice(&line.to_le_bytes());
        }
    }

    /// The finished chunk.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}
