//! The Ferrous Lua 5.1 virtual machine: a non-recursive interpreter loop over the heap.
//!
//! Work in progress: the interpreter lands with the VM issue.
