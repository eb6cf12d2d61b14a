//! Placeholder: being written (see libs/mod.rs).

use ferrous_vm::{RtResult, Vm};

/// Opens the library into `vm`'s globals.
pub fn open(_vm: &mut Vm) -> RtResult<()> {
    Ok(())
}
