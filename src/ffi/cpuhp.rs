// SPDX-License-Identifier: GPL-2.0

//! CPU-hotplug multistate: one dynamic PREPARE-section state for the module
//! and one instance per compressor. The callbacks are trampolines
//! monomorphised for the instances' context type.

use super::bindings as b;
use core::marker::PhantomData;
use kernel::cpu::CpuId;
use kernel::error::to_result;
use kernel::ffi::{c_int, c_uint};
use kernel::prelude::*;
use kernel::sync::Arc;

/// What an instance does when a CPU is prepared (before it comes up) and
/// after it died. They run with the CPU-hotplug lock held: they must not
/// load modules, create or remove devices, or take locks that are held
/// anywhere around `cpus_read_lock()`.
pub(crate) trait HotplugCallbacks: Send + Sync + Sized {
    /// Set up `cpu`'s resources. An error keeps the CPU offline (or fails
    /// the instance's registration).
    fn prepare(&self, cpu: CpuId) -> Result;
    /// `cpu` is gone.
    fn dead(&self, cpu: CpuId) -> Result;
}

/// A registered instance as cpuhp sees it: the node it links, and the
/// context the callbacks reach.
///
/// # Invariants
///
/// `ctx` is valid for as long as `node` is registered.
#[repr(C)]
struct Node<T> {
    node: b::hlist_node,
    ctx: *const T,
}

/// The module's dynamic multistate, whose instances have contexts of type
/// `T`.
///
/// # Invariants
///
/// `state` was returned by `cpuhp_setup_state_multi` with the callbacks of
/// `MultiState<T>`, and is removed on drop. Every `Instance` holds an `Arc`
/// of this, so the state is removed only after its last instance: never
/// "Removing state N which has instances left".
pub(crate) struct MultiState<T: HotplugCallbacks> {
    state: b::cpuhp_state,
    _ctx: PhantomData<fn(&T)>,
}

impl<T: HotplugCallbacks> MultiState<T> {
    /// Allocate a dynamic `CPUHP_BP_PREPARE_DYN` multistate.
    pub(crate) fn new() -> Result<Arc<Self>> {
        // SAFETY: a static name; the callbacks are ours, for nodes that only
        // `Instance<T>` registers (see `Self::prepare`).
        let state = unsafe {
            b::zrs_cpuhp_setup_multi(
                c"block/zram_rs:prepare".as_char_ptr(),
                Some(Self::prepare),
                Some(Self::dead),
            )
        };
        let state =
            b::cpuhp_state::try_from(to_result(state).map(|()| state)?).map_err(|_| EINVAL)?;
        // INVARIANT: set up above; on allocation failure the value is
        // dropped, which removes the state again.
        Ok(Arc::new(
            MultiState {
                state,
                _ctx: PhantomData,
            },
            GFP_KERNEL,
        )?)
    }

    /// The state number (for messages).
    pub(crate) fn id(&self) -> i64 {
        i64::from(self.state)
    }

    /// The context of a callback's node.
    ///
    /// # Safety
    ///
    /// `node` is the `node` of a `Node<T>` registered by `Instance::add`,
    /// and the reference is used only during the callback (the instance
    /// is removed, and the context released, only after it returned).
    unsafe fn ctx<'a>(node: *mut b::hlist_node) -> &'a T {
        // SAFETY: `node` is the `node` field of a `Node<T>` (caller).
        let n = unsafe { kernel::container_of!(node, Node<T>, node) };
        // SAFETY: a registered node's context is valid (`Node` invariant).
        unsafe { &*(*n).ctx }
    }

    /// # Safety
    ///
    /// Called by cpuhp for a CPU being prepared, with a node of this state.
    unsafe extern "C" fn prepare(cpu: c_uint, node: *mut b::hlist_node) -> c_int {
        // SAFETY: cpuhp passes a possible CPU's id.
        let cpu = unsafe { CpuId::from_u32_unchecked(cpu) };
        // SAFETY: only `Instance<T>` registers nodes with this state.
        match unsafe { Self::ctx(node) }.prepare(cpu) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by cpuhp for a dead CPU, with a node of this state.
    unsafe extern "C" fn dead(cpu: c_uint, node: *mut b::hlist_node) -> c_int {
        // SAFETY: as in `prepare`.
        let cpu = unsafe { CpuId::from_u32_unchecked(cpu) };
        // SAFETY: as in `prepare`.
        match unsafe { Self::ctx(node) }.dead(cpu) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

impl<T: HotplugCallbacks> Drop for MultiState<T> {
    fn drop(&mut self) {
        // SAFETY: our state (type invariant); no instance is left because
        // each holds an Arc of us. cpuhp_remove_multi_state() is this call.
        unsafe { b::__cpuhp_remove_state(self.state, false) };
    }
}

/// An instance of the multistate whose callbacks reach `T`.
///
/// # Invariants
///
/// `node` came from `KBox::into_raw`, is registered with `ms` and has
/// context `Arc::as_ptr(&ctx)`; `ctx` keeps that valid until the instance
/// is removed in `drop`, after which no callback can run.
pub(crate) struct Instance<T: HotplugCallbacks> {
    node: *mut Node<T>,
    ms: Arc<MultiState<T>>,
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
    pub(crate) fn add(ms: &Arc<MultiState<T>>, ctx: Arc<T>) -> Result<Self> {
        let node = KBox::new(
            Node {
                node: b::hlist_node::default(),
                ctx: Arc::as_ptr(&ctx),
            },
            GFP_KERNEL,
        )?;
        let node = KBox::into_raw(node);
        // SAFETY: `ms.state` is a live multistate of `T`; `node` is a fresh
        // node whose context stays valid while we keep `ctx`, and which
        // does not move. cpuhp_state_add_instance() is this call.
        let r = unsafe { b::__cpuhp_state_add_instance(ms.state, &raw mut (*node).node, true) };
        if let Err(e) = to_result(r) {
            // SAFETY: registration failed and was rolled back by the core;
            // the node came from `KBox::into_raw` above and is unused.
            drop(unsafe { KBox::from_raw(node) });
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
        // cpuhp_state_remove_instance() is this call.
        unsafe {
            b::__cpuhp_state_remove_instance(self.ms.state, &raw mut (*self.node).node, true)
        };
        // SAFETY: unregistered above; from `KBox::into_raw` (invariant).
        drop(unsafe { KBox::from_raw(self.node) });
    }
}
