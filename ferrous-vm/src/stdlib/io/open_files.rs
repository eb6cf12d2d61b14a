//! The files and pipes a VM has opened, for what C does to every stream: `fflush(NULL)`
//! before `io.popen` starts a command, and `exit`'s flush when `os.exit` ends the process.
//!
//! Invariants:
//! - The list does not keep a file alive: it holds handles, and a handle of a collected file
//!   no longer resolves (handles carry a generation), so it is skipped and later dropped.
//! - The list stays within twice the number of live files: it is pruned whenever it has
//!   doubled since the last pruning.

use ferrous_heap::UserDataHandle;

use super::file::LuaFile;
use crate::vm::Vm;

/// Per-VM data of the `io` library: handles of the files it opened.
#[derive(Default)]
struct OpenFiles {
    handles: Vec<UserDataHandle>,
    /// The length after the last pruning.
    pruned: usize,
}

/// Records a file or pipe just opened.
pub(super) fn register(vm: &mut Vm, h: UserDataHandle) {
    if vm.app_data::<OpenFiles>().is_none() {
        vm.set_app_data(OpenFiles::default());
    }
    let Some(files) = vm.app_data_mut::<OpenFiles>() else {
        return;
    };
    files.handles.push(h);
    if files.handles.len() < 2 * files.pruned.max(16) {
        return;
    }
    let mut handles = std::mem::take(&mut files.handles);
    handles.retain(|&h| is_open(vm, h));
    if let Some(files) = vm.app_data_mut::<OpenFiles>() {
        files.pruned = handles.len();
        files.handles = handles;
    }
}

fn is_open(vm: &Vm, h: UserDataHandle) -> bool {
    vm.heap
        .userdata(h)
        .ok()
        .and_then(|u| u.downcast_ref::<LuaFile>())
        .is_some_and(LuaFile::is_open)
}

/// Writes what every open file has pending (`fflush(NULL)`); errors are ignored, as C's
/// `exit` ignores them.
pub(crate) fn flush_all(vm: &mut Vm) {
    let handles = match vm.app_data::<OpenFiles>() {
        Some(files) => files.handles.clone(),
        None => return,
    };
    for h in handles {
        if let Ok(Some(file)) = vm
            .heap
            .tx()
            .userdata_mut(h)
            .map(|u| u.downcast_mut::<LuaFile>())
        {
            let _ = file.flush_pending();
        }
    }
}
