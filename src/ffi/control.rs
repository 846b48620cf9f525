// SPDX-License-Identifier: GPL-2.0

//! The `zram-control` class with its `hot_add` and `hot_remove` files.

use super::sys;
use kernel::error::to_result;
use kernel::ffi::c_void;
use kernel::prelude::*;
use kernel::sync::Arc;

/// The registered class; its files call into `T` until it is dropped.
///
/// # Invariants
///
/// The class is registered with context pointer `Arc::as_ptr(&_ctx)`; `_ctx`
/// keeps it valid until `class_unregister` in `drop` has returned, which
/// waits for running `hot_add`/`hot_remove` handlers.
pub(crate) struct ControlClass<T> {
    _ctx: Arc<T>,
}

impl<T> ControlClass<T> {
    /// Register the class. `EEXIST` if a `zram-control` class exists
    /// already: the in-tree zram is loaded.
    pub(crate) fn register(ctx: Arc<T>) -> Result<Self> {
        // SAFETY: no arguments; a path lookup.
        if unsafe { sys::zrs_control_exists() } {
            return Err(EEXIST);
        }
        let p = Arc::as_ptr(&ctx).cast_mut().cast::<c_void>();
        // SAFETY: `p` stays valid while `_ctx` lives (we keep it).
        to_result(unsafe { sys::zrs_control_register(p) })?;
        Ok(ControlClass { _ctx: ctx })
    }
}

impl<T> Drop for ControlClass<T> {
    fn drop(&mut self) {
        // SAFETY: registered by `register` (type invariant).
        unsafe { sys::zrs_control_unregister() };
    }
}

/// Recover the context of a control-file handler.
///
/// # Safety
///
/// `p` must be the context of the registered `ControlClass<T>`.
pub(crate) unsafe fn ctx_from_control<'a, T>(p: *mut c_void) -> &'a T {
    // SAFETY: the caller guarantees `p` is the live context.
    unsafe { &*p.cast::<T>() }
}
