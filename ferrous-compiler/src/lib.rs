//! The Lua 5.1 front end of Ferrous: source bytes in, an inert `CompiledModule` out.
//!
//! Work in progress: lexer, parser and code generator land with the compiler issue.
//!
//! Invariant: this crate never depends on `ferrous-heap` or the garbage collector.
