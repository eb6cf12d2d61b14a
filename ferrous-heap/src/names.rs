//! Pre-interned names, reachable as constants without a lookup.
//!
//! `Heap::new` interns `ALL` first, in order, into an empty strings arena, so the name with
//! position `i` in the list lives at slot `i`, generation 0, in every heap; the constants below
//! are those handles. The collector marks them on every cycle, so they are never freed.
//!
//! Metamethod names use the bare event name (`INDEX` is `"__index"`). Library names that clash
//! with a metamethod constant carry a `LIB_` prefix (`LIB_LEN` is `"len"`).
//!
//! **Invariant:** the list has no duplicates, and the strings arena is empty when it is
//! interned (both tested), so `names::X` is valid in every heap.

use crate::arena::RawHandle;
use crate::handle::StringHandle;

macro_rules! names {
    ($($name:ident = $bytes:literal,)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, reason = "mirrors the constant names")]
        #[repr(u32)]
        enum Slot { $($name,)* }

        $(
            #[doc = concat!("The pre-interned string `", stringify!($bytes), "`.")]
            pub const $name: StringHandle = StringHandle(RawHandle::from_parts(Slot::$name as u32, 0));
        )*

        /// Every pre-interned name, in slot order.
        pub(crate) const ALL: &[&[u8]] = &[$($bytes,)*];

        /// Every constant with the bytes it must name.
        #[cfg(test)]
        const CONSTANTS: &[(StringHandle, &[u8])] = &[$(($name, $bytes),)*];
    };
}

names! {
    // Metamethods, in the order of 5.1's TMS enum, then the two looked up by the libraries.
    INDEX = b"__index",
    NEWINDEX = b"__newindex",
    GC = b"__gc",
    MODE = b"__mode",
    EQ = b"__eq",
    ADD = b"__add",
    SUB = b"__sub",
    MUL = b"__mul",
    DIV = b"__div",
    MOD = b"__mod",
    POW = b"__pow",
    UNM = b"__unm",
    LEN = b"__len",
    LT = b"__lt",
    LE = b"__le",
    CONCAT = b"__concat",
    CALL = b"__call",
    TOSTRING = b"__tostring",
    METATABLE = b"__metatable",
    // Type names, as `type` returns them.
    NIL = b"nil",
    BOOLEAN = b"boolean",
    NUMBER = b"number",
    STRING = b"string",
    TABLE = b"table",
    FUNCTION = b"function",
    USERDATA = b"userdata",
    THREAD = b"thread",
    // Globals and fields the VM and the Redis glue touch.
    N = b"n",
    KEYS = b"KEYS",
    ARGV = b"ARGV",
    G = b"_G",
    VERSION = b"_VERSION",
    TRUE = b"true",
    FALSE = b"false",
    // Library tables.
    COROUTINE = b"coroutine",
    MATH = b"math",
    OS = b"os",
    IO = b"io",
    DEBUG = b"debug",
    PACKAGE = b"package",
    BIT = b"bit",
    CJSON = b"cjson",
    STRUCT = b"struct",
    CMSGPACK = b"cmsgpack",
    REDIS = b"redis",
    // Base library.
    ASSERT = b"assert",
    COLLECTGARBAGE = b"collectgarbage",
    DOFILE = b"dofile",
    ERROR = b"error",
    GCINFO = b"gcinfo",
    GETFENV = b"getfenv",
    GETMETATABLE = b"getmetatable",
    IPAIRS = b"ipairs",
    LOAD = b"load",
    LOADFILE = b"loadfile",
    LOADSTRING = b"loadstring",
    NEXT = b"next",
    NEWPROXY = b"newproxy",
    PAIRS = b"pairs",
    PCALL = b"pcall",
    PRINT = b"print",
    RAWEQUAL = b"rawequal",
    RAWGET = b"rawget",
    RAWSET = b"rawset",
    SELECT = b"select",
    SETFENV = b"setfenv",
    SETMETATABLE = b"setmetatable",
    TONUMBER = b"tonumber",
    TOSTRING_FN = b"tostring",
    TYPE = b"type",
    UNPACK = b"unpack",
    XPCALL = b"xpcall",
    // collectgarbage options.
    COLLECT = b"collect",
    STOP = b"stop",
    RESTART = b"restart",
    COUNT = b"count",
    STEP = b"step",
    SETPAUSE = b"setpause",
    SETSTEPMUL = b"setstepmul",
    // Coroutine library and statuses.
    CREATE = b"create",
    RESUME = b"resume",
    RUNNING = b"running",
    STATUS = b"status",
    WRAP = b"wrap",
    YIELD = b"yield",
    SUSPENDED = b"suspended",
    NORMAL = b"normal",
    DEAD = b"dead",
    // String library.
    BYTE = b"byte",
    CHAR = b"char",
    DUMP = b"dump",
    FIND = b"find",
    FORMAT = b"format",
    GMATCH = b"gmatch",
    GSUB = b"gsub",
    LIB_LEN = b"len",
    LOWER = b"lower",
    MATCH = b"match",
    REP = b"rep",
    REVERSE = b"reverse",
    LIB_SUB = b"sub",
    UPPER = b"upper",
    // Table library.
    LIB_CONCAT = b"concat",
    INSERT = b"insert",
    MAXN = b"maxn",
    REMOVE = b"remove",
    SORT = b"sort",
    GETN = b"getn",
    SETN = b"setn",
    FOREACH = b"foreach",
    FOREACHI = b"foreachi",
    // Math library.
    ABS = b"abs",
    ACOS = b"acos",
    ASIN = b"asin",
    ATAN = b"atan",
    ATAN2 = b"atan2",
    CEIL = b"ceil",
    COS = b"cos",
    COSH = b"cosh",
    DEG = b"deg",
    EXP = b"exp",
    FLOOR = b"floor",
    FMOD = b"fmod",
    FREXP = b"frexp",
    HUGE = b"huge",
    LDEXP = b"ldexp",
    LOG = b"log",
    LOG10 = b"log10",
    MAX = b"max",
    MIN = b"min",
    LIB_MOD = b"mod",
    MODF = b"modf",
    PI = b"pi",
    LIB_POW = b"pow",
    RAD = b"rad",
    RANDOM = b"random",
    RANDOMSEED = b"randomseed",
    SIN = b"sin",
    SINH = b"sinh",
    SQRT = b"sqrt",
    TAN = b"tan",
    TANH = b"tanh",
    // Redis library and reply tables.
    LIB_CALL = b"call",
    ERROR_REPLY = b"error_reply",
    STATUS_REPLY = b"status_reply",
    SHA1HEX = b"sha1hex",
    SETRESP = b"setresp",
    SET_REPL = b"set_repl",
    REPLICATE_COMMANDS = b"replicate_commands",
    BREAKPOINT = b"breakpoint",
    ACL_CHECK_CMD = b"acl_check_cmd",
    ERR = b"err",
    OK = b"ok",
    DOUBLE = b"double",
    BIG_NUMBER = b"big_number",
    VERBATIM_STRING = b"verbatim_string",
    MAP = b"map",
    SET = b"set",
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::heap::Heap;

    #[test]
    fn names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for name in ALL {
            assert!(
                seen.insert(*name),
                "duplicate name {:?}",
                String::from_utf8_lossy(name)
            );
        }
    }

    #[test]
    fn constants_have_their_bytes_in_every_heap() {
        for _ in 0..2 {
            let mut heap = Heap::new();
            let tx = heap.tx();
            assert_eq!(tx.str_bytes(INDEX), Ok(&b"__index"[..]));
            assert_eq!(tx.str_bytes(METATABLE), Ok(&b"__metatable"[..]));
            assert_eq!(tx.str_bytes(KEYS), Ok(&b"KEYS"[..]));
            assert_eq!(tx.str_bytes(ARGV), Ok(&b"ARGV"[..]));
            assert_eq!(tx.str_bytes(N), Ok(&b"n"[..]));
            assert_eq!(tx.str_bytes(THREAD), Ok(&b"thread"[..]));
            assert_eq!(tx.str_bytes(LIB_LEN), Ok(&b"len"[..]));
            assert_eq!(tx.str_bytes(SET), Ok(&b"set"[..]));
        }
    }

    #[test]
    fn every_constant_names_its_bytes() {
        let mut heap = Heap::new();
        heap.collect(&());
        let tx = heap.tx();
        assert_eq!(CONSTANTS.len(), ALL.len());
        for (handle, bytes) in CONSTANTS {
            assert_eq!(tx.str_bytes(*handle), Ok(*bytes));
        }
    }

    #[test]
    fn every_constant_is_its_slot() {
        let mut heap = Heap::new();
        let mut tx = heap.tx();
        for (slot, name) in ALL.iter().enumerate() {
            let handle = tx.intern(name).expect("no limit");
            assert_eq!(handle.raw(), RawHandle::from_parts(slot as u32, 0));
        }
    }
}
