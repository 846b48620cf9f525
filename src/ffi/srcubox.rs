// SPDX-License-Identifier: GPL-2.0

//! A heap object that a disk's bios and SRCU readers use and a writer
//! replaces: a device's storage (slot table, pool, compressors).
//!
//! Three kinds of readers, one writer:
//!
//! * Bios. The block layer already holds the queue's usage counter around
//!   every `->submit_bio` call, so `replace` swaps the pointer with the
//!   disk's queue frozen: the bios inside are drained first and new ones
//!   wait, and a bio needs no read section of its own (no SRCU barriers on
//!   the I/O path).
//! * Openers: swap's free notification comes from a holder of the open
//!   disk, and `replace` removes an object only while the disk is claimed,
//!   which a disk with an opener cannot be. No read section either: it
//!   would run once per freed swap slot (benchmarks.rst has its cost).
//! * Everything else (sysfs, discard): SRCU, not RCU, because readers
//!   sleep (slot locks, zsmalloc, the stream mutex). `replace` waits for
//!   them with `synchronize_srcu()` after the swap, with the queue no
//!   longer frozen.

use super::disk::{Chain, Disk, DiskId, Opened, Segment};
use kernel::prelude::*;
use kernel::sync::atomic::{Acquire, Atomic, Relaxed, Release};
use kernel::sync::srcu::{self, Srcu};
use kernel::sync::LockClassKey;

/// A replaceable `KBox<T>` read by the bios of one disk, by holders of that
/// disk open, and under SRCU.
///
/// # Invariants
///
/// `ptr` is null or from `KBox::into_raw` and owned here. Every change of
/// `ptr` while the box is shared happens with the queue of the disk `disk`
/// frozen, and the old object is freed only after that and after an SRCU
/// grace period. A non-null `ptr` changes only while `disk` is claimed (no
/// opener, and none possible until the claim is released). So a pointer
/// loaded inside a read-side section of `srcu` stays valid until that
/// section ends, one loaded inside that disk's `->submit_bio` until the
/// call returns, and one loaded by a holder of the open disk until it
/// closes it.
#[pin_data(PinnedDrop)]
pub(crate) struct SrcuBox<T> {
    #[pin]
    srcu: Srcu,
    ptr: Atomic<*mut T>,
    disk: DiskId,
}

// SAFETY: readers on any thread get `&T`; writers move `KBox<T>` in and out.
unsafe impl<T: Send + Sync> Send for SrcuBox<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for SrcuBox<T> {}

impl<T> SrcuBox<T> {
    /// An empty box for the storage of `disk`.
    pub(crate) fn new(
        name: &'static CStr,
        key: Pin<&'static LockClassKey>,
        disk: DiskId,
    ) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            srcu <- Srcu::new(name, key),
            ptr: Atomic::new(core::ptr::null_mut()),
            disk,
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

    /// The object as a bio of the disk `disk` sees it; `None` if there is
    /// none, or if `disk` is not the disk this box was made for.
    ///
    /// # Safety
    ///
    /// The caller runs inside `->submit_bio` of the disk `disk` identifies,
    /// and does not use the returned reference after that call returns.
    unsafe fn get_in_submit(&self, disk: DiskId) -> Option<&T> {
        if disk != self.disk {
            return None;
        }
        let p = self.ptr.load(Acquire);
        // SAFETY: the pointer changes only with this disk's queue frozen
        // (type invariant), which waits for the `->submit_bio` call the
        // caller runs in, and the object is freed only after that.
        (!p.is_null()).then(|| unsafe { &*p })
    }

    /// The object as a holder of the open disk `disk` sees it; `None` if
    /// there is none, or if `disk` is not the disk this box was made for.
    ///
    /// # Safety
    ///
    /// The disk `disk` identifies has an opener for as long as the caller
    /// uses the returned reference.
    #[inline(always)]
    unsafe fn get_while_open(&self, disk: DiskId) -> Option<&T> {
        if disk != self.disk {
            return None;
        }
        let p = self.ptr.load(Acquire);
        // SAFETY: a non-null pointer changes only while the disk is claimed
        // (type invariant), which it cannot be while it has an opener, and
        // the object is freed only after that change.
        (!p.is_null()).then(|| unsafe { &*p })
    }

    /// The bytes of `seg` and the object as its bio sees it: valid for the
    /// whole call without an SRCU read section, because the object is only
    /// ever replaced with the disk's queue frozen. `None` with nothing
    /// installed (or if `seg` is not this box's disk's). With them, for a
    /// whole page of a read, what a read from a backing device can be
    /// chained to.
    #[inline(always)]
    pub(crate) fn for_segment<'a>(
        &'a self,
        seg: Segment<'a>,
    ) -> Option<(&'a T, &'a mut [u8], Option<Chain<'a>>)> {
        let (disk, buf, chain) = seg.into_parts();
        // SAFETY: a `Segment<'a>` exists only inside `->submit_bio` of its
        // disk, which `'a` does not outlive (`Segment` invariant).
        let s = unsafe { self.get_in_submit(disk) }?;
        Some((s, buf, chain))
    }

    /// The object as swap, a holder of the open disk, sees it: valid for
    /// the whole call without an SRCU read section, because an installed
    /// object is only ever removed while the disk is claimed, and a disk
    /// with an opener cannot be. `None` with nothing installed (or if the
    /// disk is not this box's).
    #[inline(always)]
    pub(crate) fn for_opener<'a>(&'a self, opened: &Opened<'a>) -> Option<&'a T> {
        // The opener keeps the disk from being claimed: the object's removal
        // is ordered after swap's close by `open_mutex` (close, then claim,
        // then the exchange), and its installation before our Acquire load
        // by the Release exchange.
        // SAFETY: the disk has an opener for all of `'a` (`Opened`
        // invariant).
        unsafe { self.get_while_open(opened.disk()) }
    }

    /// Install `new` (or nothing) and return the old object once no reader
    /// can see it any more. `disk` must be the disk this box was made for
    /// (anything else is refused with `EINVAL`, and `new` dropped), and it
    /// must be claimed if an object is installed (else `EBUSY`, and `new`
    /// dropped). Callers serialise writers, and take and release the claim
    /// of `disk` only under the same lock, so that the claim checked here
    /// still holds at the exchange; they must not hold anything a bio of
    /// `disk` or an SRCU reader waits for.
    pub(crate) fn replace<D: 'static>(
        &self,
        disk: &Disk<D>,
        new: Option<KBox<T>>,
    ) -> Result<Option<KBox<T>>> {
        if disk.id() != self.disk {
            return Err(EINVAL);
        }
        // Writers and the claim are serialised with us (callers), so what
        // is installed now is what the exchange below replaces, and a claim
        // seen now is still held then.
        if !self.ptr.load(Relaxed).is_null() && !disk.claimed() {
            return Err(EBUSY);
        }
        let np = new.map_or(core::ptr::null_mut(), KBox::into_raw);
        let old = {
            let _frozen = disk.freeze();
            // INVARIANT: swapped with the queue of `self.disk` frozen, and
            // with `self.disk` claimed if `ptr` was non-null (checked).
            self.ptr.xchg(np, Release)
        };
        if old.is_null() {
            return Ok(None);
        }
        self.srcu.synchronize();
        // SAFETY: `old` came from `KBox::into_raw` and was owned here; no
        // bio saw it after the freeze, no SRCU reader after the grace
        // period (type invariant).
        Ok(Some(unsafe { KBox::from_raw(old) }))
    }
}

#[pinned_drop]
impl<T> PinnedDrop for SrcuBox<T> {
    fn drop(self: Pin<&mut Self>) {
        let p = self.ptr.load(Relaxed);
        if !p.is_null() {
            // SAFETY: owned pointer (type invariant); `&mut` means no reader
            // of any kind is left (all of them borrow the box).
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
