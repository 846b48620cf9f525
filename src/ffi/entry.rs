// SPDX-License-Identifier: GPL-2.0

//! The functions `zrs_helpers.c` calls: they recover the Rust object from
//! the context pointer and call its safe methods. Each is held to the
//! prototype bindgen generated from `zrs_helpers.h` (below).

use super::bindings;
use super::disk::owner_from_private;
use crate::device::Device;
use kernel::ffi::{c_int, c_uint, c_ulong, c_void};
use kernel::prelude::*;

const PAGE: usize = crate::logic::parse::PAGE_SIZE as usize;

fn errno_of(r: Result) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `->open` of a disk.
///
/// # Safety
///
/// `p` is the `private_data` of a live, added `Disk<Device>`.
#[no_mangle]
unsafe extern "C" fn zrs_rs_open(p: *mut c_void) -> c_int {
    // SAFETY: called from ->open of a live disk whose private_data is its
    // `Device` (Disk invariant).
    let dev: &Device = unsafe { owner_from_private(p) };
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
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn segment(
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
    let dev: &Device = unsafe { owner_from_private(p) };
    let len = (len as usize).min(PAGE);
    // SAFETY: by the caller's guarantee, and `seg` does not outlive us.
    let seg = unsafe { super::disk::Segment::from_raw(disk, mem, len, bio, page, nid) };
    errno_of(dev.segment(seg, write, sector, now))
}

/// A segment of a read bio.
///
/// # Safety
///
/// As for `segment`, from `zrs_submit_bio`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn zrs_rs_read(
    p: *mut c_void,
    disk: *mut bindings::gendisk,
    mem: *mut c_void,
    len: c_uint,
    sector: u64,
    now: u32,
    bio: *mut bindings::bio,
    page: *mut bindings::page,
) -> c_int {
    // SAFETY: zrs_submit_bio calls us for each segment of a read bio.
    unsafe { segment(p, disk, mem, len, sector, now, false, bio, page, -1) }
}

/// A segment of a write bio.
///
/// # Safety
///
/// As for `segment`, from `zrs_submit_bio`.
#[no_mangle]
unsafe extern "C" fn zrs_rs_write(
    p: *mut c_void,
    disk: *mut bindings::gendisk,
    mem: *mut c_void,
    len: c_uint,
    sector: u64,
    now: u32,
    nid: c_int,
) -> c_int {
    let (bio, page) = (core::ptr::null_mut(), core::ptr::null_mut());
    // SAFETY: zrs_submit_bio calls us for each segment of a write bio,
    // which chains nothing.
    unsafe { segment(p, disk, mem, len, sector, now, true, bio, page, nid) }
}

/// A discard or write-zeroes bio.
///
/// # Safety
///
/// From `->submit_bio` of a live disk whose `private_data` is `p`.
#[no_mangle]
unsafe extern "C" fn zrs_rs_discard(p: *mut c_void, sector: u64, bytes: u32) -> c_int {
    // SAFETY: called from ->submit_bio of a live disk (Disk invariant).
    let dev: &Device = unsafe { owner_from_private(p) };
    errno_of(dev.discard(sector, bytes))
}

/// Swap freed a slot.
///
/// # Safety
///
/// From `->swap_slot_free_notify` of `disk`, whose `private_data` is `p`.
#[no_mangle]
unsafe extern "C" fn zrs_rs_slot_free_notify(
    p: *mut c_void,
    disk: *mut bindings::gendisk,
    index: c_ulong,
) {
    // SAFETY: called by swap while it holds the disk open (Disk invariant).
    let dev: &Device = unsafe { owner_from_private(p) };
    // SAFETY: from `->swap_slot_free_notify` of `disk`; `opened` and what
    // it gives are used only within this call.
    let opened = unsafe { super::disk::Opened::from_raw(disk) };
    dev.slot_free_notify(opened, index);
}

/// Hold each upcall to the prototype that bindgen generated from
/// `zrs_helpers.h`, which the C side is compiled against: a mismatch is a
/// type error here instead of a broken ABI.
macro_rules! same_prototype {
    ($($f:ident),* $(,)?) => {
        $(const _: () = {
            let _ = if true { bindings::$f } else { $f };
        };)*
    };
}

same_prototype!(
    zrs_rs_open,
    zrs_rs_read,
    zrs_rs_write,
    zrs_rs_discard,
    zrs_rs_slot_free_notify,
);
