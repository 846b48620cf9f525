// SPDX-License-Identifier: GPL-2.0

//! The slot table: one `(handle, attr)` pair per page of the device, each
//! with a sleeping bit lock in its attribute word.

use crate::logic::slot::{Attr, LOCK};
use kernel::alloc::KVVec;
use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};

use super::sys;

/// One slot: 16 bytes, as in the C zram.
#[repr(C)]
struct Slot {
    handle: Atomic<u64>,
    attr: Atomic<u64>,
}

/// The table of a device's slots.
///
/// # Invariants
///
/// `slots[i].handle` and every bit of `slots[i].attr` but `LOCK` are only
/// read or written by the holder of slot `i`'s lock (`LOCK` in `attr`).
pub(crate) struct SlotTable {
    slots: KVVec<Slot>,
}

impl SlotTable {
    /// A table of `n` empty slots (kvmalloc'ed: large tables use vmalloc).
    pub(crate) fn new(n: usize) -> Result<Self> {
        let mut slots = KVVec::with_capacity(n, GFP_KERNEL | __GFP_NOWARN)?;
        for _ in 0..n {
            slots
                .push_within_capacity(Slot {
                    handle: Atomic::new(0),
                    attr: Atomic::new(0),
                })
                .map_err(|_| ENOMEM)?;
        }
        // INVARIANT: nobody holds any lock yet.
        Ok(SlotTable { slots })
    }

    /// Number of slots.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the table has no slots.
    pub(crate) fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Lock slot `index`, sleeping until it is free. `None` if out of range.
    pub(crate) fn lock(&self, index: usize) -> Option<SlotGuard<'_>> {
        let slot = self.slots.get(index)?;
        // SAFETY: `attr` is a valid, aligned 64-bit word (an `unsigned long`
        // on 64-bit kernels, which is all we build for) that lives as long
        // as `self`.
        unsafe { sys::zrs_slot_lock(slot.attr.as_ptr().cast(), LOCK) };
        // INVARIANT: we hold the lock until the guard drops.
        Some(SlotGuard { slot })
    }

    /// Lock slot `index` if it is free, without sleeping (atomic context).
    pub(crate) fn try_lock(&self, index: usize) -> Option<SlotGuard<'_>> {
        let slot = self.slots.get(index)?;
        // SAFETY: as in `lock`.
        if unsafe { sys::zrs_slot_trylock(slot.attr.as_ptr().cast(), LOCK) } {
            Some(SlotGuard { slot })
        } else {
            None
        }
    }
}

/// A held slot lock.
///
/// # Invariants
///
/// The current thread holds `slot`'s lock bit.
pub(crate) struct SlotGuard<'a> {
    slot: &'a Slot,
}

impl SlotGuard<'_> {
    /// The handle word (a zsmalloc handle, or the fill word of a same page).
    pub(crate) fn handle(&self) -> u64 {
        self.slot.handle.load(Relaxed)
    }

    /// Replace the handle word.
    pub(crate) fn set_handle(&mut self, v: u64) {
        self.slot.handle.store(v, Relaxed)
    }

    /// The attribute word.
    pub(crate) fn attr(&self) -> Attr {
        Attr(self.slot.attr.load(Relaxed))
    }

    /// Replace the attribute word; the lock bit stays set whatever `a` says.
    pub(crate) fn set_attr(&mut self, a: Attr) {
        // Others only ever set the (already set) lock bit atomically while
        // we hold it, so a plain store that keeps it set loses nothing.
        self.slot.attr.store(a.0 | (1 << LOCK), Relaxed)
    }
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: we hold the lock (type invariant); the word is valid as in
        // `SlotTable::lock`. clear_and_wake_up_bit has release semantics, so
        // our stores above are visible to the next holder.
        unsafe { sys::zrs_slot_unlock(self.slot.attr.as_ptr().cast(), LOCK) };
    }
}
