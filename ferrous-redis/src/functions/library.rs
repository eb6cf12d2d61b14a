//! Loaded libraries and their functions (functions.c's `functionsLibCtx`): libraries by name
//! (case-sensitive), functions by name across libraries (case-insensitive, as `FCALL` looks
//! them up), and the link/unlink/join steps `FUNCTION LOAD`, `DELETE` and `RESTORE` use.
//!
//! Invariant: every function's callback is a registry key of the functions VM, released (by
//! the caller, through the keys these methods return) exactly when its library is dropped.

use std::collections::{BTreeMap, HashMap};

use ferrous_vm::RegistryKey;

use crate::engine::shebang::ScriptFlags;

/// One function of a library.
pub(crate) struct Function {
    /// Its name as registered.
    pub name: Vec<u8>,
    /// `description` of the named form of `redis.register_function`.
    pub description: Option<Vec<u8>>,
    /// Its flags (`no-writes`, ...).
    pub flags: ScriptFlags,
    /// The Lua function.
    pub callback: RegistryKey,
}

/// One library.
pub(crate) struct Library {
    /// Its name (from `#!lua name=...`).
    pub name: Vec<u8>,
    /// The whole code as loaded, metadata line included.
    pub code: Vec<u8>,
    /// Its functions, in registration order.
    pub functions: Vec<Function>,
}

impl Library {
    /// The callbacks to release when the library is dropped.
    pub(crate) fn into_keys(self) -> impl Iterator<Item = RegistryKey> {
        self.functions.into_iter().map(|f| f.callback)
    }
}

/// The libraries of one context (the current one, or one being restored).
#[derive(Default)]
pub(crate) struct Libraries {
    libraries: BTreeMap<Vec<u8>, Library>,
    /// Lowercased function name -> its library.
    functions: HashMap<Vec<u8>, Vec<u8>>,
}

impl Libraries {
    pub(crate) fn get(&self, name: &[u8]) -> Option<&Library> {
        self.libraries.get(name)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Library> {
        self.libraries.values()
    }

    /// The function `FCALL name` runs (case-insensitive).
    pub(crate) fn function(&self, name: &[u8]) -> Option<&Function> {
        let library = self.functions.get(&name.to_ascii_lowercase())?;
        self.libraries
            .get(library)?
            .functions
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// Number of libraries.
    pub(crate) fn library_count(&self) -> usize {
        self.libraries.len()
    }

    /// Number of functions (`functions_count`: each library's, summed).
    pub(crate) fn function_count(&self) -> usize {
        self.libraries.values().map(|l| l.functions.len()).sum()
    }

    /// The first function of `library` whose name another library already uses.
    pub(crate) fn collision<'a>(&self, library: &'a Library) -> Option<&'a [u8]> {
        library
            .functions
            .iter()
            .find(|f| self.functions.contains_key(&f.name.to_ascii_lowercase()))
            .map(|f| f.name.as_slice())
    }

    /// Adds a library (the caller checked [`Libraries::collision`]).
    pub(crate) fn link(&mut self, library: Library) {
        for function in &library.functions {
            self.functions
                .entry(function.name.to_ascii_lowercase())
                .or_insert_with(|| library.name.clone());
        }
        self.libraries.insert(library.name.clone(), library);
    }

    /// Removes a library and its functions.
    pub(crate) fn unlink(&mut self, name: &[u8]) -> Option<Library> {
        let library = self.libraries.remove(name)?;
        for function in &library.functions {
            let key = function.name.to_ascii_lowercase();
            if self.functions.get(&key).is_some_and(|l| *l == library.name) {
                self.functions.remove(&key);
            }
        }
        Some(library)
    }

    /// Removes everything; returns the callbacks to release.
    pub(crate) fn clear(&mut self) -> Vec<RegistryKey> {
        self.functions.clear();
        std::mem::take(&mut self.libraries)
            .into_values()
            .flat_map(Library::into_keys)
            .collect()
    }

    /// `libraryJoin`: moves every library of `src` here. With `replace`, libraries of the same
    /// name are replaced (their callbacks are returned for release); without, a name clash
    /// fails. A function name clash fails either way, and a failure changes nothing here and
    /// leaves `src` as it was.
    pub(crate) fn join(
        &mut self,
        src: &mut Libraries,
        replace: bool,
    ) -> Result<Vec<RegistryKey>, Vec<u8>> {
        let mut replaced = Vec::new();
        for name in src.libraries.keys() {
            if self.libraries.contains_key(name) {
                if !replace {
                    self.relink(replaced);
                    let mut err = b"Library ".to_vec();
                    err.extend_from_slice(name);
                    err.extend_from_slice(b" already exists");
                    return Err(err);
                }
                if let Some(old) = self.unlink(name) {
                    replaced.push(old);
                }
            }
        }
        for library in src.libraries.values() {
            if let Some(clash) = self.collision(library) {
                let mut err = b"Function ".to_vec();
                err.extend_from_slice(clash);
                err.extend_from_slice(b" already exists");
                self.relink(replaced);
                return Err(err);
            }
        }
        src.functions.clear();
        for (_, library) in std::mem::take(&mut src.libraries) {
            self.link(library);
        }
        Ok(replaced.into_iter().flat_map(Library::into_keys).collect())
    }

    fn relink(&mut self, libraries: Vec<Library>) {
        for library in libraries {
            self.link(library);
        }
    }
}
