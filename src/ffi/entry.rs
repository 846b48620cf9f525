// SPDX-License-Identifier: GPL-2.0

//! The bio-based disk's callbacks. `zrs_helpers.c` owns the block device
//! operations (their bio walk uses static inlines) and calls the `zrs_rs_*`
//! functions, which [`disk_upcalls!`] defines for the one type that owns
//! disks: they recover that owner from the disk's private data and call
//! its [`DiskOps`]. Each is held to the prototype bindgen generated from
//! `zrs_helpers.h`.

use super::bindings;
use super::disk::{owner_from_private, DiskOwner, Opened, Segment};

/// What `disk_upcalls!` names from the generated boundary.
#[doc(hidden)]
pub(crate) mod proto {
    pub(crate) use super::super::bindings::{
        bio, gendisk, page, zrs_rs_discard, zrs_rs_open, zrs_rs_read, zrs_rs_slot_free_notify,
        zrs_rs_units, zrs_rs_write,
    };
}
use kernel::ffi::{c_int, c_uint, c_ulong, c_void};
use kernel::prelude::*;

const PAGE: usize = kernel::page::PAGE_SIZE;

/// What a bio-based disk does, implemented by the type that owns disks
/// (`Disk<T>`) and bound to the C callbacks by [`disk_upcalls!`].
pub(crate) trait DiskOps: Send + Sync + 'static {
    /// `open`: an error refuses it.
    fn open(&self) -> Result;
    /// Read (`write` false) or write one segment of a bio at `sector`;
    /// `now` is the access time its page records, read once per bio.
    fn segment(&self, seg: Segment<'_>, write: bool, sector: u64, now: u32) -> Result;
    /// Read or write the whole units that the multi-page segment `seg`
    /// at `sector` starts with: the bytes done, 0 for none (the segment
    /// then goes page by page), `EOPNOTSUPP` if the disk has no units.
    fn units(&self, seg: Segment<'_>, write: bool, sector: u64, now: u32) -> Result<usize>;
    /// Discard or write zeroes: `bytes` from `sector`.
    fn discard(&self, sector: u64, bytes: u32) -> Result;
    /// Swap freed its slot `index` (atomic context: must not sleep).
    fn slot_free_notify(&self, opened: Opened<'_>, index: usize);
}

fn errno_of(r: Result) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `->open` of a disk whose private data is `p`.
///
/// # Safety
///
/// `p` is the `private_data` of a live, added `Disk<T>`.
#[doc(hidden)]
pub(crate) unsafe fn open<T: DiskOwner + DiskOps>(p: *mut c_void) -> c_int {
    // SAFETY: by the caller's guarantee (Disk invariant).
    let dev = unsafe { owner_from_private::<T>(p) };
    errno_of(dev.open())
}

/// A segment of a read (`write` false) or write bio of the disk whose
/// private data is `p`.
///
/// # Safety
///
/// Called from `->submit_bio` of that live disk `disk` (Disk invariant)
/// with a kmap'ed segment `mem` of `len` bytes, at most a page, which is
/// ours alone for the call; for a read, `bio` is the bio and `page`, if not
/// null, the page `mem` maps, whole; for a write, `nid` is the NUMA node of
/// the page.
#[doc(hidden)]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn segment<T: DiskOwner + DiskOps>(
    p: *mut c_void,
    disk: *mut bindings::gendisk,
    mem: *mut c_void,
    len: c_uint,
    sector: u64,
    now: u32,
    write: bool,
    bio: *mut bindings::bio,
    page: *mut bindings::page,
    nid: c_int,
) -> c_int {
    // SAFETY: by the caller's guarantee (Disk invariant).
    let dev = unsafe { owner_from_private::<T>(p) };
    let len = (len as usize).min(PAGE);
    // SAFETY: by the caller's guarantee, and `seg` does not outlive us.
    let seg = unsafe { Segment::from_raw(disk, mem, len, bio, page, nid) };
    errno_of(dev.segment(seg, write, sector, now))
}

/// A multi-page segment of a read or write bio of the disk whose private
/// data is `p`, offered as units: the bytes done, or a negative errno.
///
/// # Safety
///
/// Called from `->submit_bio` of that live disk `disk` (Disk invariant)
/// with `mem` mapping `len` bytes, whole pages of one bio_vec starting at
/// a page of the disk, contiguous in the kernel's address space and ours
/// alone for the call; `nid` is the NUMA node of the first page.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn units<T: DiskOwner + DiskOps>(
    p: *mut c_void,
    disk: *mut bindings::gendisk,
    mem: *mut c_void,
    len: c_uint,
    sector: u64,
    now: u32,
    write: bool,
    nid: c_int,
) -> c_int {
    // SAFETY: by the caller's guarantee (Disk invariant).
    let dev = unsafe { owner_from_private::<T>(p) };
    let len = (len as usize).min(c_int::MAX as usize);
    let (bio, page) = (core::ptr::null_mut(), core::ptr::null_mut());
    // SAFETY: by the caller's guarantee (the type invariant's case for
    // `zrs_rs_units()`), no page to chain to; `seg` does not outlive us.
    let seg = unsafe { Segment::from_raw(disk, mem, len, bio, page, nid) };
    match dev.units(seg, write, sector, now) {
        // At most `len`, which fits.
        Ok(n) => c_int::try_from(n.min(len)).unwrap_or(0),
        Err(e) => e.to_errno(),
    }
}

/// A discard or write-zeroes bio.
///
/// # Safety
///
/// From `->submit_bio` of a live disk whose `private_data` is `p`.
#[doc(hidden)]
pub(crate) unsafe fn discard<T: DiskOwner + DiskOps>(
    p: *mut c_void,
    sector: u64,
    bytes: u32,
) -> c_int {
    // SAFETY: by the caller's guarantee (Disk invariant).
    let dev = unsafe { owner_from_private::<T>(p) };
    errno_of(dev.discard(sector, bytes))
}

/// Swap freed a slot.
///
/// # Safety
///
/// From `->swap_slot_free_notify` of `disk`, whose `private_data` is `p`.
#[doc(hidden)]
pub(crate) unsafe fn slot_free_notify<T: DiskOwner + DiskOps>(
    p: *mut c_void,
    disk: *mut bindings::gendisk,
    index: c_ulong,
) {
    // SAFETY: swap holds the disk open around the call (Disk invariant).
    let dev = unsafe { owner_from_private::<T>(p) };
    // SAFETY: from `->swap_slot_free_notify` of `disk`; `opened` and what
    // it gives are used only within this call.
    let opened = unsafe { Opened::from_raw(disk) };
    dev.slot_free_notify(opened, index);
}

/// Define the `zrs_rs_*` functions that `zrs_helpers.c` calls for the
/// disks of `$t` (the one type that owns disks), each checked against the
/// prototype bindgen generated from `zrs_helpers.h`: a mismatch is a type
/// error here instead of a broken ABI.
macro_rules! disk_upcalls {
    ($t:ty) => {
        const _: () = {
            use kernel::ffi::{c_int, c_uint, c_ulong, c_void};
            use $crate::ffi::entry;

            // SAFETY: the functions below are the disk callbacks, and they
            // take the private data of every disk to be a `$t`.
            unsafe impl $crate::ffi::disk::DiskOwner for $t {}

            /// `->open`.
            ///
            /// # Safety
            ///
            /// As for `entry::open`.
            #[no_mangle]
            unsafe extern "C" fn zrs_rs_open(p: *mut c_void) -> c_int {
                // SAFETY: the C ->open of a disk owned by a `$t`.
                unsafe { entry::open::<$t>(p) }
            }

            /// A segment of a read bio.
            ///
            /// # Safety
            ///
            /// As for `entry::segment`, from `zrs_submit_bio`.
            #[no_mangle]
            #[allow(clippy::too_many_arguments)]
            unsafe extern "C" fn zrs_rs_read(
                p: *mut c_void,
                disk: *mut entry::proto::gendisk,
                mem: *mut c_void,
                len: c_uint,
                sector: u64,
                now: u32,
                bio: *mut entry::proto::bio,
                page: *mut entry::proto::page,
            ) -> c_int {
                // SAFETY: zrs_submit_bio calls us for each segment of a
                // read bio.
                unsafe {
                    entry::segment::<$t>(p, disk, mem, len, sector, now, false, bio, page, -1)
                }
            }

            /// A segment of a write bio.
            ///
            /// # Safety
            ///
            /// As for `entry::segment`, from `zrs_submit_bio`.
            #[no_mangle]
            unsafe extern "C" fn zrs_rs_write(
                p: *mut c_void,
                disk: *mut entry::proto::gendisk,
                mem: *mut c_void,
                len: c_uint,
                sector: u64,
                now: u32,
                nid: c_int,
            ) -> c_int {
                let (bio, page) = (core::ptr::null_mut(), core::ptr::null_mut());
                // SAFETY: zrs_submit_bio calls us for each segment of a
                // write bio, which chains nothing.
                unsafe {
                    entry::segment::<$t>(p, disk, mem, len, sector, now, true, bio, page, nid)
                }
            }

            /// A multi-page segment of a read or write bio, as units.
            ///
            /// # Safety
            ///
            /// As for `entry::units`, from `zrs_submit_bio`.
            #[no_mangle]
            #[allow(clippy::too_many_arguments)]
            unsafe extern "C" fn zrs_rs_units(
                p: *mut c_void,
                disk: *mut entry::proto::gendisk,
                mem: *mut c_void,
                len: c_uint,
                sector: u64,
                now: u32,
                write: bool,
                nid: c_int,
            ) -> c_int {
                // SAFETY: zrs_submit_bio calls us for multi-page segments.
                unsafe { entry::units::<$t>(p, disk, mem, len, sector, now, write, nid) }
            }

            /// A discard or write-zeroes bio.
            ///
            /// # Safety
            ///
            /// As for `entry::discard`.
            #[no_mangle]
            unsafe extern "C" fn zrs_rs_discard(p: *mut c_void, sector: u64, bytes: u32) -> c_int {
                // SAFETY: from ->submit_bio of a disk owned by a `$t`.
                unsafe { entry::discard::<$t>(p, sector, bytes) }
            }

            /// Swap freed a slot.
            ///
            /// # Safety
            ///
            /// As for `entry::slot_free_notify`.
            #[no_mangle]
            unsafe extern "C" fn zrs_rs_slot_free_notify(
                p: *mut c_void,
                disk: *mut entry::proto::gendisk,
                index: c_ulong,
            ) {
                // SAFETY: from ->swap_slot_free_notify of a disk owned by a
                // `$t`.
                unsafe { entry::slot_free_notify::<$t>(p, disk, index) }
            }

            // Each upcall against its generated prototype: an array's
            // elements coerce to one fn pointer type, or fail to build.
            let _ = [entry::proto::zrs_rs_open, zrs_rs_open];
            let _ = [entry::proto::zrs_rs_read, zrs_rs_read];
            let _ = [entry::proto::zrs_rs_write, zrs_rs_write];
            let _ = [entry::proto::zrs_rs_units, zrs_rs_units];
            let _ = [entry::proto::zrs_rs_discard, zrs_rs_discard];
            let _ = [
                entry::proto::zrs_rs_slot_free_notify,
                zrs_rs_slot_free_notify,
            ];
        };
    };
}
pub(crate) use disk_upcalls;
