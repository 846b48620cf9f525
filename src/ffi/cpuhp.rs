// SPDX-License-Identifier: GPL-2.0

//! CPU-hotplug multistate: one dynamic PREPARE-section state for the module
//! and one instance per compressor.

use super::sys;
use kernel::error::to_result;
use kernel::ffi::c_void;
use kernel::prelude::*;
use kernel::sync::Arc;

/// What an instance does when a CPU is prepared (before it comes up) and
/// after it died. They run with the CPU-hotplug lock held: they must not
/// load modules, create or remove devices, or take locks that are held
/// anywhere around `cpus_read_lock()`.
pub(crate) trait HotplugCallbacks: Send + Sync {
    /// Set up `cpu`'s resources. An error keeps the CPU offline (or fails
    /// the instance's registration).
    fn prepare(&self, cpu: u32) -> Result;
    /// `cpu` is gone.
    fn dead(&self, cpu: u32) -> Result;
}

/// The module's dynamic multistate.
///
/// # Invariants
///
/// `state` was returned by `cpuhp_setup_state_multi` and is removed on
/// drop. Every `Instance` holds an `Arc` of this, so the state is removed
/// only after its last instance: never "Removing state N which has
/// instances left".
pub(crate) struct MultiState {
    state: i32,
}

impl MultiState {
    /// Allocate a dynamic `CPUHP_BP_PREPARE_DYN` multistate.
    pub(crate) fn new() -> Result<Arc<Self>> {
        // SAFETY: no arguments; callbacks are static C functions.
        let state = unsafe { sys::zrs_cpuhp_setup() };
        if state < 0 {
            return Err(Error::from_errno(state));
        }
        // INVARIANT: set up above; on allocation failure the value is
        // dropped, which removes the state again.
        Ok(Arc::new(MultiState { state }, GFP_KERNEL)?)
    }

    /// The state number (for messages).
    pub(crate) fn id(&self) -> i32 {
        self.state
    }
}

impl Drop for MultiState {
    fn drop(&mut self) {
        // SAFETY: our state (type invariant); no instance is left because
        // each holds an Arc of us.
        unsafe { sys::zrs_cpuhp_remove(self.state) };
    }
}

/// An instance of the multistate whose callbacks reach `T`.
///
/// # Invariants
///
/// `node` is a registered instance node of `ms` whose context pointer is
/// `Arc::as_ptr(&ctx)`; `ctx` keeps that pointer valid until the instance is
/// removed in `drop`, after which no callback can run.
pub(crate) struct Instance<T: HotplugCallbacks> {
    node: *mut sys::zrs_hp_node,
    ms: Arc<MultiState>,
    ctx: Arc<T>,
}

// SAFETY: the node is only touched by the cpuhp core and by `drop`.
unsafe impl<T: HotplugCallbacks> Send for Instance<T> {}
// SAFETY: no `&self` method touches the node.
unsafe impl<T: HotplugCallbacks> Sync for Instance<T> {}

impl<T: HotplugCallbacks> Instance<T> {
    /// Register `ctx`: `prepare` runs at once for every online CPU (under
    /// the CPU-hotplug lock; everything it needs must already be loaded),
    /// then for every CPU that comes up. Fails, with everything undone, if
    /// any of those calls fails.
    pub(crate) fn add(ms: &Arc<MultiState>, ctx: Arc<T>) -> Result<Self> {
        let p = Arc::as_ptr(&ctx).cast_mut().cast::<c_void>();
        // SAFETY: `p` is valid while `ctx` lives, which is until the node is
        // removed (we keep `ctx` in the instance, or drop it after freeing
        // the unregistered node below).
        let node = unsafe { sys::zrs_hp_node_new(p) };
        if node.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: `ms.state` is a live multistate; `node` a fresh node.
        if let Err(e) = to_result(unsafe { sys::zrs_cpuhp_add_instance(ms.state, node) }) {
            // SAFETY: registration failed and was rolled back by the core;
            // the node is ours and unused.
            unsafe { sys::zrs_hp_node_free(node) };
            return Err(e);
        }
        // INVARIANT: registered with context `ctx`, which we keep.
        Ok(Instance {
            node,
            ms: ms.clone(),
            ctx,
        })
    }

    /// The callbacks' context.
    pub(crate) fn ctx(&self) -> &Arc<T> {
        &self.ctx
    }
}

impl<T: HotplugCallbacks> Drop for Instance<T> {
    fn drop(&mut self) {
        // SAFETY: a registered node of `ms` (type invariant). Removal runs
        // `dead` for every online CPU and returns with no callback running.
        unsafe { sys::zrs_cpuhp_remove_instance(self.ms.state, self.node) };
        // SAFETY: unregistered above; ours to free.
        unsafe { sys::zrs_hp_node_free(self.node) };
    }
}

/// Recover the context of a callback.
///
/// # Safety
///
/// `p` must be the context pointer of a registered `Instance<T>`; the
/// reference must not outlive the callback.
pub(crate) unsafe fn ctx_from_node<'a, T>(p: *mut c_void) -> &'a T {
    // SAFETY: by the caller's guarantee, `p` points to the `T` that the
    // instance's `Arc` keeps alive.
    unsafe { &*p.cast::<T>() }
}
