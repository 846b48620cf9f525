// SPDX-License-Identifier: GPL-2.0

//! The slot table: one `(handle, attr)` pair per page of the device, each
//! with a sleeping bit lock in its attribute word.
//!
//! Only the lock holder reads or writes a slot, so the guard reads the
//! attribute word once when it takes the lock and keeps it; the handle
//! word, which no one else ever touches, is a plain word. Each page I/O so
//! costs one atomic load and one atomic store of the attribute word beside
//! the lock itself, as in the C zram.

use crate::logic::slot::{Attr, LOCK};
use core::cell::UnsafeCell;
use kernel::alloc::KVVec;
use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};

use super::bindings as b;

/// One slot: 16 bytes, as in the C zram.
///
/// # Invariants
///
/// `handle` is only read or written by the holder of the lock bit (`LOCK`)
/// of `attr`, and so is every other bit of `attr`. Waiters only ever set
/// the lock bit atomically.
#[repr(C)]
struct Slot {
    handle: UnsafeCell<u64>,
    attr: Atomic<u64>,
}

/// The table of a device's slots.
pub(crate) struct SlotTable {
    slots: KVVec<Slot>,
}

// SAFETY: the only non-`Sync` part of a slot is its handle word, which only
// the holder of that slot's lock accesses (`Slot` invariant); the lock's
// acquire and release order the accesses of successive holders.
unsafe impl Sync for SlotTable {}

impl SlotTable {
    /// A table of `n` empty slots (kvmalloc'ed: large tables use vmalloc).
    pub(crate) fn new(n: usize) -> Result<Self> {
        let mut slots = KVVec::with_capacity(n, GFP_KERNEL | __GFP_NOWARN)?;
        for _ in 0..n {
            slots
                .push_within_capacity(Slot {
                    handle: UnsafeCell::new(0),
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
    #[inline(always)]
    pub(crate) fn lock(&self, index: usize) -> Option<SlotGuard<'_>> {
        let slot = self.slots.get(index)?;
        // SAFETY: `attr` is a valid, aligned 64-bit word (an `unsigned long`
        // on 64-bit kernels, which is all we build for) that lives as long
        // as `self`.
        unsafe { b::zrs_slot_lock(slot.attr.as_ptr().cast(), LOCK) };
        // INVARIANT: we hold the lock until the guard drops, and read the
        // word after taking it: no one else changes it meanwhile.
        Some(SlotGuard {
            attr: Attr(slot.attr.load(Relaxed)),
            slot,
        })
    }

    /// Lock slot `index` if it is free, without sleeping (atomic context).
    pub(crate) fn try_lock(&self, index: usize) -> Option<SlotGuard<'_>> {
        let slot = self.slots.get(index)?;
        // SAFETY: as in `lock`.
        if unsafe { b::zrs_slot_trylock(slot.attr.as_ptr().cast(), LOCK) } {
            // INVARIANT: as in `lock`.
            Some(SlotGuard {
                attr: Attr(slot.attr.load(Relaxed)),
                slot,
            })
        } else {
            None
        }
    }
}

/// A held slot lock.
///
/// # Invariants
///
/// The current thread holds `slot`'s lock bit, and `attr` is the value of
/// `slot.attr` (lock bit included).
pub(crate) struct SlotGuard<'a> {
    slot: &'a Slot,
    attr: Attr,
}

impl SlotGuard<'_> {
    /// The handle word (a zsmalloc handle, or the fill word of a same page).
    #[inline]
    pub(crate) fn handle(&self) -> u64 {
        // SAFETY: we hold the slot's lock (type invariant), so no one else
        // accesses the handle word (`Slot` invariant).
        unsafe { *self.slot.handle.get() }
    }

    /// Replace the handle word.
    #[inline]
    pub(crate) fn set_handle(&mut self, v: u64) {
        // SAFETY: as in `handle`.
        unsafe { *self.slot.handle.get() = v }
    }

    /// The attribute word.
    #[inline]
    pub(crate) fn attr(&self) -> Attr {
        self.attr
    }

    /// Replace the attribute word; the lock bit stays set whatever `a` says.
    #[inline]
    pub(crate) fn set_attr(&mut self, a: Attr) {
        let v = a.0 | (1 << LOCK);
        if v != self.attr.0 {
            // Others only ever set the (already set) lock bit atomically
            // while we hold it, so a store that keeps it set loses nothing.
            self.slot.attr.store(v, Relaxed);
            // INVARIANT: the cached copy follows the word.
            self.attr = Attr(v);
        }
    }
}

impl Drop for SlotGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: we hold the lock (type invariant); the word is valid as in
        // `SlotTable::lock`. clear_and_wake_up_bit has release semantics, so
        // our stores above are visible to the next holder.
        unsafe { b::zrs_slot_unlock(self.slot.attr.as_ptr().cast(), LOCK) };
    }
}
