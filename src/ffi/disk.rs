// SPDX-License-Identifier: GPL-2.0

//! A bio-based gendisk whose callbacks reach a Rust object.

use super::bindings as b;
use core::cell::UnsafeCell;
use core::marker::PhantomData;
use kernel::error::{from_err_ptr, to_result};
use kernel::ffi::c_void;
use kernel::prelude::*;
use kernel::sync::atomic::{Acquire, Atomic, Release};
use kernel::sync::{Arc, ArcBorrow};
use kernel::types::ForeignOwnable;

/// A block device major registered with the name the C zram uses.
///
/// # Invariants
///
/// `major` was returned by `register_blkdev` and is released on drop.
pub(crate) struct Major {
    major: i32,
}

impl Major {
    /// Register a dynamic major named `zram` (as in /proc/devices).
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: a static NUL-terminated name; major 0 asks for a dynamic
        // one; no probe callback.
        let major = unsafe { b::__register_blkdev(0, c"zram".as_char_ptr(), None) };
        if major <= 0 {
            return Err(if major < 0 {
                Error::from_errno(major)
            } else {
                EBUSY
            });
        }
        Ok(Major { major })
    }

    /// The major number.
    pub(crate) fn get(&self) -> i32 {
        self.major
    }
}

impl Drop for Major {
    fn drop(&mut self) {
        // SAFETY: registered by us under this name (type invariant), and
        // positive.
        unsafe { b::unregister_blkdev(self.major as u32, c"zram".as_char_ptr()) };
    }
}

/// The type whose disks' C callbacks `entry::disk_upcalls!` binds: only
/// it may own an added `Disk`.
///
/// # Safety
///
/// Implemented only by `disk_upcalls!`, for the type whose `DiskOps` the
/// `zrs_rs_*` functions call: the private data of every disk is then of
/// the type they expect.
pub(crate) unsafe trait DiskOwner: Send + Sync + 'static {}

/// The sysfs attributes of disks owned by a `T`, registered with them.
///
/// # Safety
///
/// `groups` returns a static NULL-terminated list of attribute groups
/// whose handlers find a `T` behind the disk's private data (with
/// `owner_of_device::<T>`).
pub(crate) unsafe trait DiskAttributeGroups<T>: Sync {
    /// The list, for `device_add_disk`.
    fn groups(&self) -> *const *const b::attribute_group;
}

/// A gendisk, created with capacity 0, whose `private_data` is a counted
/// reference to its owner `T` while the disk is live.
///
/// # Invariants
///
/// `disk` is a valid gendisk from `blk_alloc_disk`, owned here (`put_disk`
/// on drop). While `owner` is non-null the disk is added and its
/// `private_data` is `owner`, from `Arc::<T>::into_foreign`, which this
/// object owns; it is released only after `del_gendisk` returned, when no
/// callback can be running any more. `claim` is only accessed with the
/// disk's `open_mutex` held.
pub(crate) struct Disk<T: 'static> {
    disk: *mut b::gendisk,
    owner: Atomic<*mut c_void>,
    claim: UnsafeCell<bool>,
    _owner: PhantomData<Arc<T>>,
}

// SAFETY: the gendisk may be used from any thread; `claim` is serialised by
// `open_mutex` (type invariant) and `owner` is atomic.
unsafe impl<T: Send + Sync + 'static> Send for Disk<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync + 'static> Sync for Disk<T> {}

impl<T: 'static> Disk<T> {
    /// Allocate `zram<minor>` with the zram queue limits (4 KiB blocks,
    /// discard and write-zeroes, stable writes, synchronous).
    pub(crate) fn alloc(major: &Major, minor: i32) -> Result<Self> {
        // SAFETY: plain values; returns a disk or an ERR_PTR.
        let disk = from_err_ptr(unsafe { b::zrs_disk_alloc(major.get(), minor) })?;
        // INVARIANT: a valid new disk, not added yet.
        Ok(Disk {
            disk,
            owner: Atomic::new(core::ptr::null_mut()),
            claim: UnsafeCell::new(false),
            _owner: PhantomData,
        })
    }

    /// Add the disk, with its sysfs attributes `attrs` (registered with the
    /// disk: udev never sees it without them), and make `owner` the target
    /// of its callbacks until `del`.
    pub(crate) fn add(&self, owner: Arc<T>, attrs: &'static impl DiskAttributeGroups<T>) -> Result
    where
        T: DiskOwner,
    {
        let p = owner.into_foreign();
        // SAFETY: `disk` is valid and not added (we add once: `owner` is
        // null); `p` stays valid until we release it in `del` or below.
        unsafe { (*self.disk).private_data = p };
        // SAFETY: as above; `attrs` is a static NULL-terminated group list
        // whose handlers take a `T` owner, which `p` is.
        let ret = unsafe {
            b::device_add_disk(core::ptr::null_mut(), self.disk, attrs.groups().cast_mut())
        };
        if let Err(e) = to_result(ret) {
            // SAFETY: from `into_foreign` above; the disk was not added,
            // so no callback saw `p`.
            drop(unsafe { Arc::<T>::from_foreign(p) });
            return Err(e);
        }
        // INVARIANT: added, private_data == p, owned here.
        self.owner.store(p, Release);
        Ok(())
    }

    /// Remove the disk (waits for its sysfs handlers and I/O to finish) and
    /// release the owner reference. A no-op if it was not added.
    pub(crate) fn del(&self) {
        let p = self.owner.xchg(core::ptr::null_mut(), Acquire);
        if p.is_null() {
            return;
        }
        // SAFETY: the disk is valid and added (owner was non-null).
        unsafe { b::del_gendisk(self.disk) };
        // SAFETY: `p` came from `into_foreign` in `add`; after del_gendisk
        // no callback can use it any more.
        drop(unsafe { Arc::<T>::from_foreign(p) });
    }

    /// Set the capacity and tell user space (uevent).
    pub(crate) fn set_capacity_sectors(&self, sectors: u64) {
        // SAFETY: `disk` is valid (type invariant).
        unsafe { b::set_capacity_and_notify(self.disk, sectors) };
    }

    /// Capacity 0 and the block layer's I/O statistics zeroed (reset).
    pub(crate) fn clear(&self) {
        self.set_capacity_sectors(0);
        // SAFETY: `disk` is valid (type invariant).
        unsafe { b::zrs_disk_clear_stats(self.disk) };
    }

    /// Hold the disk's `open_mutex`, which serialises `->open` and `claim`.
    fn lock_open(&self) -> OpenMutex<'_, T> {
        // SAFETY: `disk` is valid (type invariant); unlocked by the guard.
        unsafe { b::mutex_lock(&raw mut (*self.disk).open_mutex) };
        OpenMutex(self)
    }

    /// Claim the disk for reset or removal: `EBUSY` if it is open or
    /// already claimed. While claimed, opens fail with `EBUSY`.
    pub(crate) fn claim(&self) -> Result {
        let _g = self.lock_open();
        // SAFETY: `disk` and its whole-disk device `part0` are valid (type
        // invariant); `bd_openers` is an atomic_t.
        let openers = unsafe { b::atomic_read(&raw mut (*(*self.disk).part0).bd_openers) };
        // SAFETY: `claim` is accessed with `open_mutex` held (above).
        let claim = unsafe { &mut *self.claim.get() };
        if openers != 0 || *claim {
            return Err(EBUSY);
        }
        *claim = true;
        Ok(())
    }

    /// Release a claim taken with `claim`.
    pub(crate) fn unclaim(&self) {
        let _g = self.lock_open();
        // SAFETY: with `open_mutex` held (above).
        unsafe { *self.claim.get() = false };
    }

    /// Whether the disk is claimed: it has no opener, and none can come
    /// until `unclaim`.
    pub(crate) fn claimed(&self) -> bool {
        let _g = self.lock_open();
        // SAFETY: with `open_mutex` held (above).
        unsafe { *self.claim.get() }
    }

    /// From the `open` callback only, where the block layer holds
    /// `open_mutex`: whether the disk is claimed.
    pub(crate) fn claimed_in_open(&self) -> bool {
        // SAFETY: the caller is `->open`, called with `open_mutex` held.
        unsafe { *self.claim.get() }
    }

    /// Write back dirty pages and wait for them (`sync_blockdev`).
    pub(crate) fn sync(&self) {
        // SAFETY: `disk` and its whole-disk device are valid (type
        // invariant).
        unsafe { b::sync_blockdev((*self.disk).part0) };
    }

    /// This disk's identity, to match bios against.
    pub(crate) fn id(&self) -> DiskId {
        DiskId(self.disk)
    }

    /// Wait until no bio is inside our `submit_bio` and hold new ones back
    /// (they wait in the block layer) until the guard drops: the queue is
    /// frozen. No I/O may be started from reclaim meanwhile.
    pub(crate) fn freeze(&self) -> Frozen<'_, T> {
        // SAFETY: `disk` valid (type invariant); unfrozen by the guard.
        let memflags = unsafe { b::zrs_disk_freeze(self.disk) };
        Frozen {
            disk: self,
            memflags,
        }
    }
}

/// The identity of a gendisk: compared, never dereferenced.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct DiskId(*mut b::gendisk);

// SAFETY: a plain address used only for comparison.
unsafe impl Send for DiskId {}
// SAFETY: as above.
unsafe impl Sync for DiskId {}

/// A frozen queue (`Disk::freeze`).
///
/// # Invariants
///
/// `disk`'s queue was frozen by `blk_mq_freeze_queue`, which returned
/// `memflags`, and is unfrozen exactly once, on drop.
pub(crate) struct Frozen<'a, T: 'static> {
    disk: &'a Disk<T>,
    memflags: kernel::ffi::c_uint,
}

impl<T: 'static> Drop for Frozen<'_, T> {
    fn drop(&mut self) {
        // SAFETY: frozen by us with these flags (type invariant).
        unsafe { b::zrs_disk_unfreeze(self.disk.disk, self.memflags) };
    }
}

impl<T: 'static> Drop for Disk<T> {
    fn drop(&mut self) {
        self.del();
        // SAFETY: `disk` is valid and owned (type invariant), no longer
        // added, and nothing else references it.
        unsafe { b::put_disk(self.disk) };
    }
}

/// A disk's `open_mutex`, held (`Disk::lock_open`).
///
/// # Invariants
///
/// This object holds `.0`'s `open_mutex`, and releases it on drop.
struct OpenMutex<'a, T: 'static>(&'a Disk<T>);

impl<T: 'static> Drop for OpenMutex<'_, T> {
    fn drop(&mut self) {
        // SAFETY: locked by us (type invariant).
        unsafe { b::mutex_unlock(&raw mut (*self.0.disk).open_mutex) };
    }
}

/// The owner of the disk whose device is `dev` (a sysfs handler's).
///
/// # Safety
///
/// `dev` is the device of a live, added `Disk<T>`, and the returned
/// reference must not outlive the handler (del_gendisk waits for sysfs
/// handlers before the owner reference is released).
pub(super) unsafe fn owner_of_device<'a, T: 'static>(dev: *mut b::device) -> ArcBorrow<'a, T> {
    // SAFETY: a disk's device is the `bd_device` of its whole-disk
    // block_device (dev_to_bdev()), whose `bd_disk` is the disk.
    let disk = unsafe { (*kernel::container_of!(dev, b::block_device, bd_device)).bd_disk };
    // SAFETY: the caller's guarantee: `private_data` is the owner.
    unsafe { owner_from_private((*disk).private_data) }
}

/// Recover the owner from a callback's `private_data`.
///
/// # Safety
///
/// `p` must be the `private_data` of a live, added `Disk<T>`, and the
/// returned reference must not outlive the callback (del_gendisk waits for
/// callbacks before the reference is released).
pub(crate) unsafe fn owner_from_private<'a, T: 'static>(p: *mut c_void) -> ArcBorrow<'a, T> {
    // SAFETY: by the caller's guarantee `p` came from `into_foreign` of an
    // `Arc<T>` that stays alive while the callback runs.
    unsafe { <Arc<T> as ForeignOwnable>::borrow(p) }
}

/// One segment of a read or write bio, inside our `->submit_bio`.
///
/// # Invariants
///
/// `buf` is a segment (at most a page, never across a page of the device;
/// or, from `zrs_rs_units()`, whole pages of one multi-page bio_vec,
/// starting at a page of the device) of a bio that `submit_bio` handed to
/// our disk `disk`, which stays mapped and ours alone for all of `'a` (we
/// fill it for reads, only read it for writes). `'a` ends before the
/// `zrs_rs_read()`, `zrs_rs_write()` or `zrs_rs_units()` call that made
/// this object returns: before the helper unmaps the
/// segment, and so inside that `->submit_bio` call, during which the block
/// layer holds the queue's usage counter (`Disk::freeze` waits for it).
/// If `page` is not null, `buf` is the whole of `page` and `bio` the read
/// bio it belongs to. The mapping is local to the task, so the type is
/// neither `Send` nor `Sync`.
pub(crate) struct Segment<'a> {
    disk: DiskId,
    buf: &'a mut [u8],
    bio: *mut b::bio,
    page: *mut b::page,
    node: i32,
    _local: PhantomData<*mut ()>,
}

impl<'a> Segment<'a> {
    /// Wrap the segment `mem` of `len` bytes.
    ///
    /// # Safety
    ///
    /// `mem` is mapped and valid for `len` bytes, at most a page (or as the
    /// type invariant allows from `zrs_rs_units()`), for all of `'a`; if
    /// `page` is not null, `len` is a page and `mem` maps all of it and `bio` is the
    /// read bio it is a segment of; `node` is a NUMA node or -1; and the rest of the type invariant
    /// holds for `disk` and `'a`.
    #[inline(always)]
    pub(crate) unsafe fn from_raw(
        disk: *mut b::gendisk,
        mem: *mut c_void,
        len: usize,
        bio: *mut b::bio,
        page: *mut b::page,
        node: i32,
    ) -> Self {
        // INVARIANT: guaranteed by the caller.
        Segment {
            disk: DiskId(disk),
            // SAFETY: `mem` is valid for `len` bytes, ours alone for `'a`.
            buf: unsafe { core::slice::from_raw_parts_mut(mem.cast::<u8>(), len) },
            bio,
            page,
            node,
            _local: PhantomData,
        }
    }

    /// The NUMA node of the segment's page (a write's; -1 if unknown), for
    /// what is allocated to store it.
    #[inline(always)]
    pub(crate) fn node(&self) -> i32 {
        self.node
    }

    /// The disk, the bytes and, for a whole page of a read, what a read
    /// from a backing device can be chained to (`SrcuBox::for_segment`).
    #[inline(always)]
    pub(super) fn into_parts(self) -> (DiskId, &'a mut [u8], Option<Chain<'a>>) {
        // INVARIANT: a whole page of the read bio `bio` (type invariant).
        let chain = (!self.page.is_null()).then_some(Chain {
            bio: self.bio,
            page: self.page,
            buf: self.buf.as_ptr(),
            _seg: PhantomData,
        });
        (self.disk, self.buf, chain)
    }
}

/// A whole page of a read bio, to read into asynchronously: the read is
/// chained to the bio, which then completes only after it.
///
/// # Invariants
///
/// `page` is a whole-page segment of the read bio `bio`, mapped at `buf`
/// for `'a`, inside our `->submit_bio` of that bio.
pub(crate) struct Chain<'a> {
    bio: *mut b::bio,
    page: *mut b::page,
    buf: *const u8,
    _seg: PhantomData<&'a mut [u8]>,
}

impl Chain<'_> {
    /// The bio and page, for a read into `buf`, which must be this
    /// segment's bytes (consumed: nothing may touch them after the read is
    /// submitted).
    pub(super) fn take(self, buf: &mut [u8]) -> Option<(*mut b::bio, *mut b::page)> {
        (buf.as_ptr() == self.buf && buf.len() == kernel::page::PAGE_SIZE)
            .then_some((self.bio, self.page))
    }
}

/// Swap's free notification for a slot of our disk, which swap holds open
/// around the call.
///
/// # Invariants
///
/// The disk `disk` has an opener (swap) for all of `'a`, which ends before
/// the `zrs_rs_slot_free_notify()` call that made this object returns.
pub(crate) struct Opened<'a> {
    disk: DiskId,
    _call: PhantomData<&'a *mut ()>,
}

impl<'a> Opened<'a> {
    /// The notification for `disk`.
    ///
    /// # Safety
    ///
    /// Called from `->swap_slot_free_notify` of `disk`, with `'a` ending
    /// before that call returns (so neither the object nor what `with`
    /// returns outlives it).
    #[inline(always)]
    pub(crate) unsafe fn from_raw(disk: *mut b::gendisk) -> Self {
        // INVARIANT: swap calls `->swap_slot_free_notify` only between
        // opening the device (swapon) and closing it (the end of swapoff).
        Opened {
            disk: DiskId(disk),
            _call: PhantomData,
        }
    }

    /// The disk that has the opener.
    #[inline(always)]
    pub(super) fn disk(&self) -> DiskId {
        self.disk
    }
}
