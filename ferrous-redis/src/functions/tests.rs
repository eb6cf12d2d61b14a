//! Unit tests of Functions: the dump format, load and call through the engine.
