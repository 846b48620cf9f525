// SPDX-License-Identifier: GPL-2.0

//! debugfs: `zram/` and, per device, `zram/zramN/block_state`, whose reads
//! go to `Device::block_state` (see `entry.rs`).

use super::sys;
use crate::device::Device;
use kernel::ffi::c_void;
use kernel::prelude::*;
use kernel::sync::Arc;

/// The `zram` debugfs directory, for the module's lifetime. Created after
/// the control class (so never beside the C zram's) and dropped after the
/// devices; devices made while it does not exist get no directory.
pub(crate) struct DebugRoot(());

impl DebugRoot {
    /// Create `zram/` in debugfs.
    pub(crate) fn new() -> Self {
        // SAFETY: called once, from module init before any device exists;
        // paired with the drop.
        unsafe { sys::zrs_debugfs_init() };
        DebugRoot(())
    }
}

impl Drop for DebugRoot {
    fn drop(&mut self) {
        // SAFETY: pairs with `new`; the module removes its devices, and with
        // them every `DebugDir`, before it drops the root.
        unsafe { sys::zrs_debugfs_exit() };
    }
}

/// A device's debugfs directory.
///
/// # Invariants
///
/// `.0` is null or a directory made by `zrs_debugfs_dev_add` whose file's
/// private pointer is a `Device` that outlives this object.
pub(crate) struct DebugDir(*mut sys::dentry);

impl DebugDir {
    /// Add `zram/<name>/block_state` for `dev`; `dev` must keep this
    /// object and drop it (or outlive it).
    pub(crate) fn new(name: &CStr, dev: &Arc<Device>) -> Self {
        let priv_ = Arc::as_ptr(dev).cast_mut().cast::<c_void>();
        // `priv_` stays valid while the file exists: the device keeps this
        // object, whose drop removes the file (waiting for readers) first.
        // SAFETY: `name` is NUL-terminated; `priv_` outlives the file (above).
        let d = unsafe { sys::zrs_debugfs_dev_add(name.as_char_ptr(), priv_) };
        // INVARIANT: `d` is our directory or null (no debugfs).
        DebugDir(d)
    }
}

// SAFETY: debugfs removal may run from any thread.
unsafe impl Send for DebugDir {}
// SAFETY: no method takes `&self`.
unsafe impl Sync for DebugDir {}

impl Drop for DebugDir {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: our directory (type invariant); debugfs waits for
            // readers inside block_state before it returns.
            unsafe { sys::zrs_debugfs_dev_remove(self.0) };
        }
    }
}

/// Recover the device from a `block_state` read.
///
/// # Safety
///
/// `p` is the private pointer of a `block_state` file that still exists.
pub(crate) unsafe fn device_from_debugfs<'a>(p: *mut c_void) -> &'a Device {
    // SAFETY: `DebugDir` invariant: the device outlives its file, and the
    // caller is inside a read of that file.
    unsafe { &*p.cast::<Device>() }
}
