// SPDX-License-Identifier: GPL-2.0

//! The slot table: one `(handle, attr)` pair per page of the device, and
//! sleeping bit locks in the attribute words.
//!
//! Slots are locked by group: `2^order` aligned slots (one unit, see
//! `logic::unit`) share the lock bit of their first slot, so that a unit
//! and its members change together. With units off (order 0) each slot
//! is its own group, exactly as in the C zram.
//!
//! Only the holder of a slot's group lock reads or writes the slot, so
//! the guard reads the attribute word once when it takes the lock and
//! keeps it; the handle word, which no one else ever touches, is a plain
//! word. Each page I/O so
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
/// `handle` is only read or written by the holder of its group's lock: the
/// lock bit (`LOCK`) of the `attr` of the group's first slot, and so is
/// every other bit of `attr`. Waiters only ever set that lock bit
/// atomically; it is never set in any other slot.
#[repr(C)]
struct Slot {
    handle: UnsafeCell<u64>,
    attr: Atomic<u64>,
}

/// The table of a device's slots.
pub(crate) struct SlotTable {
    slots: KVVec<Slot>,
    /// Slots per lock group: `1 << order`.
    order: u32,
    /// `!((1 << order) - 1)`: an index to its group's first slot.
    head_mask: usize,
}

// SAFETY: the only non-`Sync` part of a slot is its handle word, which only
// the holder of that slot's group lock accesses (`Slot` invariant); the lock's
// acquire and release order the accesses of successive holders.
unsafe impl Sync for SlotTable {}

impl SlotTable {
    /// A table of `n` empty slots (kvmalloc'ed: large tables use vmalloc),
    /// locked in groups of `1 << order`.
    pub(crate) fn new(n: usize, order: u32) -> Result<Self> {
        if order >= usize::BITS {
            return Err(EINVAL);
        }
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
        Ok(SlotTable {
            slots,
            order,
            head_mask: !((1usize << order) - 1),
        })
    }

    /// Slots per lock group, as a power of two.
    #[inline(always)]
    pub(crate) fn order(&self) -> u32 {
        self.order
    }

    /// The first slot of `index`'s group.
    #[inline(always)]
    fn head(&self, index: usize) -> usize {
        index & self.head_mask
    }

    /// Number of slots.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the table has no slots.
    pub(crate) fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Lock the group of slot `index`, sleeping until it is free, with
    /// the guard on `index`. `None` if out of range.
    #[inline(always)]
    pub(crate) fn lock(&self, index: usize) -> Option<SlotGuard<'_>> {
        let slot = self.slots.get(index)?;
        let head = self.head(index);
        // With units off every slot is its own group's first.
        let lock = if head == index {
            slot
        } else {
            self.slots.get(head)?
        };
        // SAFETY: `attr` is a valid, aligned 64-bit word (an `unsigned long`
        // on 64-bit kernels, which is all we build for) that lives as long
        // as `self`.
        unsafe { b::zrs_slot_lock(lock.attr.as_ptr().cast(), LOCK) };
        // INVARIANT: we hold the group's lock until the guard drops, and
        // read the word after taking it: no one else changes it meanwhile.
        Some(SlotGuard {
            table: self,
            lock,
            slot,
            index,
            attr: Attr(slot.attr.load(Relaxed)),
        })
    }

    /// Lock the group of slot `index` if it is free, without sleeping
    /// (atomic context).
    pub(crate) fn try_lock(&self, index: usize) -> Option<SlotGuard<'_>> {
        let slot = self.slots.get(index)?;
        let lock = self.slots.get(self.head(index))?;
        // SAFETY: as in `lock`.
        if unsafe { b::zrs_slot_trylock(lock.attr.as_ptr().cast(), LOCK) } {
            // INVARIANT: as in `lock`.
            Some(SlotGuard {
                table: self,
                lock,
                slot,
                index,
                attr: Attr(slot.attr.load(Relaxed)),
            })
        } else {
            None
        }
    }
}

/// A held group lock, looking at one slot of the group (`index`).
///
/// # Invariants
///
/// The current thread holds `lock`'s lock bit, `lock` is the first slot of
/// the group of `slot`, which is `table`'s slot `index`, and `attr` is the
/// value of `slot.attr` (lock bit included).
pub(crate) struct SlotGuard<'a> {
    table: &'a SlotTable,
    lock: &'a Slot,
    slot: &'a Slot,
    index: usize,
    attr: Attr,
}

impl SlotGuard<'_> {
    /// The slot the guard looks at.
    #[inline]
    pub(crate) fn index(&self) -> usize {
        self.index
    }

    /// The slots of the locked group (within the table).
    pub(crate) fn group(&self) -> core::ops::Range<usize> {
        let head = self.table.head(self.index);
        let end = head
            .saturating_add(1 << self.table.order)
            .min(self.table.len());
        head..end
    }

    /// The handle and attribute words of slot `index`, which must be in
    /// the locked group (`None` if it is not).
    pub(crate) fn member(&self, index: usize) -> Option<(u64, Attr)> {
        if !self.group().contains(&index) {
            return None;
        }
        let slot = self.table.slots.get(index)?;
        // SAFETY: we hold the lock of `slot`'s group (type invariant), so
        // no one else accesses its handle word (`Slot` invariant).
        let h = unsafe { *slot.handle.get() };
        Some((h, Attr(slot.attr.load(Relaxed))))
    }

    /// Look at slot `index` instead, which must be in the locked group:
    /// false (and nothing changes) if it is not.
    pub(crate) fn focus(&mut self, index: usize) -> bool {
        if !self.group().contains(&index) {
            return false;
        }
        let Some(slot) = self.table.slots.get(index) else {
            return false;
        };
        // INVARIANT: same group, same lock; its word read under the lock.
        self.slot = slot;
        self.index = index;
        self.attr = Attr(slot.attr.load(Relaxed));
        true
    }

    /// The handle word (a zsmalloc handle, or the fill word of a same page).
    #[inline]
    pub(crate) fn handle(&self) -> u64 {
        // SAFETY: we hold the lock of the slot's group (type invariant), so
        // no one else accesses the handle word (`Slot` invariant).
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

    /// Replace the attribute word; the lock bit stays as it is (set in the
    /// group's first slot, clear elsewhere) whatever `a` says.
    #[inline]
    pub(crate) fn set_attr(&mut self, a: Attr) {
        let v = if core::ptr::eq(self.slot, self.lock) {
            a.0 | (1 << LOCK)
        } else {
            a.0 & !(1 << LOCK)
        };
        if v != self.attr.0 {
            // Others only ever set the (already set) lock bit of the first
            // slot atomically while we hold it, so a store that keeps it as
            // it is loses nothing.
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
        unsafe { b::zrs_slot_unlock(self.lock.attr.as_ptr().cast(), LOCK) };
    }
}
