// SPDX-License-Identifier: GPL-2.0

//! A device class with attribute files, registered for the module's
//! lifetime: `zram-control` with `hot_add` and `hot_remove`.

use super::bindings as b;
use super::sysfs::ClassDef;
use kernel::error::to_result;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::Arc;

/// The registered class `def`; its files call into `T` until it is
/// dropped.
///
/// # Invariants
///
/// `def`'s class is registered and its context is `Arc::as_ptr(&_ctx)`;
/// `_ctx` keeps that valid until `class_unregister` in `drop` has returned,
/// which waits for running handlers.
pub(crate) struct ControlClass<T: 'static> {
    def: &'static ClassDef<T>,
    _ctx: Arc<T>,
}

impl<T: 'static> ControlClass<T> {
    /// Register the class of `def` with context `ctx`. `EEXIST` if a class
    /// of that name exists already (for `zram-control`: the in-tree zram
    /// is loaded).
    pub(crate) fn register(def: &'static ClassDef<T>, ctx: Arc<T>) -> Result<Self> {
        // Asked first so that a clash is one line in the log, not the
        // duplicate-name warning and stack dump of class_register().
        let path = CString::try_from_fmt(fmt!("/sys/class/{}", def.name().to_str()?))?;
        if path_exists(&path) {
            return Err(EEXIST);
        }
        def.set_ctx(Arc::as_ptr(&ctx).cast_mut());
        // SAFETY: `def`'s class is static, with handlers that take a `T`
        // context, which is now set and stays valid while we keep `ctx`.
        if let Err(e) = to_result(unsafe { b::class_register(def.class()) }) {
            def.set_ctx(core::ptr::null_mut());
            return Err(e);
        }
        // INVARIANT: registered with context `ctx`, which we keep.
        Ok(ControlClass { def, _ctx: ctx })
    }
}

impl<T: 'static> Drop for ControlClass<T> {
    fn drop(&mut self) {
        // SAFETY: registered by `register` (type invariant); returns with
        // no handler running.
        unsafe { b::class_unregister(self.def.class()) };
        self.def.set_ctx(core::ptr::null_mut());
    }
}

/// Whether `path` exists.
fn path_exists(path: &CStr) -> bool {
    let mut p = b::path::default();
    // SAFETY: `path` is NUL-terminated and `p` ours to fill.
    if unsafe { b::kern_path(path.as_char_ptr(), 0, &mut p) } != 0 {
        return false;
    }
    // SAFETY: `kern_path` succeeded, so `p` holds references we drop.
    unsafe { b::path_put(&p) };
    true
}
