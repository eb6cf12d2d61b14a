//! The garbage-collected heap of the Ferrous Lua 5.1 VM.
//!
//! Work in progress: arenas, typed handles, interned byte strings, tables and the collector land
//! with the heap issue.
