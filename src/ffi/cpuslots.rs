// SPDX-License-Identifier: GPL-2.0

//! Per-CPU objects that are set once and live until the owner is dropped.
//!
//! This is the whole reason the compression path needs no retry loop: a
//! reader that looked up CPU N's object keeps a valid reference even if it
//! migrates or CPU N goes offline, because nothing is freed before `Drop`.

use kernel::alloc::KVec;
use kernel::prelude::*;
use kernel::sync::atomic::{Acquire, Atomic, Relaxed, Release};

/// A set-once pointer per possible CPU id.
///
/// # Invariants
///
/// Each entry is null or a pointer from `KBox::into_raw` of a pinned
/// `KBox<T>` that this object owns; a non-null entry never changes until
/// `Drop`.
pub(crate) struct CpuSlots<T> {
    slots: KVec<Atomic<*mut T>>,
}

// SAFETY: `CpuSlots` hands out `&T` to any thread and moves `T`s into itself
// from any thread: it is `Send`/`Sync` when `T` is both.
unsafe impl<T: Send + Sync> Send for CpuSlots<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for CpuSlots<T> {}

impl<T> CpuSlots<T> {
    /// An empty slot for each of `n` CPU ids.
    pub(crate) fn new(n: usize) -> Result<Self> {
        let mut slots = KVec::with_capacity(n, GFP_KERNEL)?;
        for _ in 0..n {
            slots
                .push_within_capacity(Atomic::new(core::ptr::null_mut()))
                .map_err(|_| ENOMEM)?;
        }
        Ok(CpuSlots { slots })
    }

    /// The object of `cpu`, if it was set.
    #[inline]
    pub(crate) fn get(&self, cpu: usize) -> Option<Pin<&T>> {
        let p = self.slots.get(cpu)?.load(Acquire);
        // SAFETY: non-null entries point to live pinned `T`s that are not
        // freed before `self` drops (type invariant); acquire pairs with the
        // release in `set` so the object is fully built before we see it.
        (!p.is_null()).then(|| unsafe { Pin::new_unchecked(&*p) })
    }

    /// Whether `cpu` has its object.
    pub(crate) fn is_set(&self, cpu: usize) -> bool {
        self.slots
            .get(cpu)
            .is_some_and(|s| !s.load(Relaxed).is_null())
    }

    /// Install `obj` for `cpu` unless one is there already (then `obj` is
    /// dropped). The object must be complete: readers may use it at once.
    pub(crate) fn set(&self, cpu: usize, obj: Pin<KBox<T>>) -> Result {
        let slot = self.slots.get(cpu).ok_or(EINVAL)?;
        // SAFETY: we keep the object pinned: it is only ever freed by
        // re-boxing it in place (`Drop` below or the failure path here).
        let p = KBox::into_raw(unsafe { Pin::into_inner_unchecked(obj) });
        if slot.cmpxchg(core::ptr::null_mut(), p, Release).is_err() {
            // SAFETY: `p` came from `KBox::into_raw` above and was not
            // published; we own it.
            drop(unsafe { KBox::from_raw(p) });
        }
        // INVARIANT: the entry was null and now holds an owned pointer, or
        // was already set and is unchanged.
        Ok(())
    }
}

impl<T> Drop for CpuSlots<T> {
    fn drop(&mut self) {
        for s in self.slots.iter() {
            let p = s.load(Relaxed);
            if !p.is_null() {
                // SAFETY: owned pointer from `KBox::into_raw` (type
                // invariant); `&mut self` means no reader is left.
                drop(unsafe { KBox::from_raw(p) });
            }
        }
    }
}
