// SPDX-License-Identifier: GPL-2.0

//! A heap object that readers use under SRCU and a writer replaces.
//!
//! The I/O path reads a device's storage (slot table, pool, compressor)
//! through this at the cost of one `srcu_read_lock()` per bio; `reset`
//! swaps it out and waits for readers before freeing it. SRCU, not RCU,
//! because readers sleep (slot locks, zsmalloc, the stream mutex).

use kernel::prelude::*;
use kernel::sync::atomic::{Acquire, Atomic, Relaxed, Release};
use kernel::sync::srcu::{self, Srcu};
use kernel::sync::LockClassKey;

/// A replaceable `KBox<T>` protected by SRCU.
///
/// # Invariants
///
/// `ptr` is null or from `KBox::into_raw` and owned here; a pointer loaded
/// inside a read-side section of `srcu` stays valid until that section
/// ends, because `replace` frees the old object only after `synchronize`.
#[pin_data(PinnedDrop)]
pub(crate) struct SrcuBox<T> {
    #[pin]
    srcu: Srcu,
    ptr: Atomic<*mut T>,
}

// SAFETY: readers on any thread get `&T`; writers move `KBox<T>` in and out.
unsafe impl<T: Send + Sync> Send for SrcuBox<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for SrcuBox<T> {}

impl<T> SrcuBox<T> {
    /// An empty box.
    pub(crate) fn new(
        name: &'static CStr,
        key: Pin<&'static LockClassKey>,
    ) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            srcu <- Srcu::new(name, key),
            ptr: Atomic::new(core::ptr::null_mut()),
        })
    }

    /// Enter a read-side section.
    pub(crate) fn read(&self) -> SrcuRef<'_, T> {
        let guard = self.srcu.read_lock();
        let p = self.ptr.load(Acquire);
        SrcuRef {
            _guard: guard,
            p,
            _box: self,
        }
    }

    /// Install `new` (or nothing) and return the old object once no reader
    /// can see it any more. Callers serialise writers.
    pub(crate) fn replace(&self, new: Option<KBox<T>>) -> Option<KBox<T>> {
        let np = new.map_or(core::ptr::null_mut(), KBox::into_raw);
        let old = self.ptr.xchg(np, Release);
        if old.is_null() {
            return None;
        }
        self.srcu.synchronize();
        // SAFETY: `old` came from `KBox::into_raw` and was owned here; after
        // the grace period no reader holds it (type invariant).
        Some(unsafe { KBox::from_raw(old) })
    }
}

#[pinned_drop]
impl<T> PinnedDrop for SrcuBox<T> {
    fn drop(self: Pin<&mut Self>) {
        let p = self.ptr.load(Relaxed);
        if !p.is_null() {
            // SAFETY: owned pointer (type invariant); `&mut` means no reader.
            drop(unsafe { KBox::from_raw(p) });
        }
    }
}

/// A read-side view: the object (if any) stays valid while this lives.
pub(crate) struct SrcuRef<'a, T> {
    _guard: srcu::Guard<'a>,
    p: *mut T,
    _box: &'a SrcuBox<T>,
}

impl<T> SrcuRef<'_, T> {
    /// The object, if one was installed when the section began.
    pub(crate) fn get(&self) -> Option<&T> {
        // SAFETY: loaded inside our read-side section, which lasts as long
        // as `self` (type invariant of `SrcuBox`).
        (!self.p.is_null()).then(|| unsafe { &*self.p })
    }
}
