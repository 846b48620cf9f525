// SPDX-License-Identifier: GPL-2.0

//! The functions `zrs_helpers.c` calls: they recover the Rust object from
//! the context pointer and call its safe methods.

use super::control::ctx_from_control;
use super::cpuhp::{ctx_from_node, HotplugCallbacks};
use super::disk::owner_from_private;
use crate::comp::StreamSet;
use crate::device::Device;
use crate::driver::Driver;
use crate::logic::stats::BufWriter;
use kernel::ffi::{c_char, c_int, c_uint, c_ulong, c_void};
use kernel::prelude::*;

const PAGE: usize = crate::logic::parse::PAGE_SIZE as usize;

fn errno_of(r: Result) -> c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `len` as the byte count a sysfs store returns, or the error.
fn ssize_of(r: Result, len: usize) -> isize {
    match r {
        Ok(()) => len as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// A sysfs store buffer as C string functions see it: up to the first NUL.
fn until_nul(s: &[u8]) -> &[u8] {
    s.split(|&c| c == 0).next().unwrap_or(s)
}

/// # Safety
///
/// `p` is a `*const c_char` to a NUL-terminated string that outlives 'a.
unsafe fn cstr_bytes<'a>(p: *const c_char) -> &'a [u8] {
    // SAFETY: guaranteed by the caller.
    unsafe { CStr::from_char_ptr(p) }.to_bytes()
}

#[no_mangle]
extern "C" fn zrs_rs_open(p: *mut c_void) -> c_int {
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
/// ours alone for the call.
#[inline(always)]
unsafe fn segment(
    p: *mut c_void,
    disk: *mut super::sys::gendisk,
    mem: *mut c_void,
    len: c_uint,
    sector: u64,
    now: u32,
    write: bool,
) -> c_int {
    // SAFETY: by the caller's guarantee (Disk invariant).
    let dev: &Device = unsafe { owner_from_private(p) };
    let len = (len as usize).min(PAGE);
    // SAFETY: by the caller's guarantee, and `seg` does not outlive us.
    let seg = unsafe { super::disk::Segment::from_raw(disk, mem, len) };
    errno_of(dev.segment(seg, write, sector, now))
}

#[no_mangle]
extern "C" fn zrs_rs_read(
    p: *mut c_void,
    disk: *mut super::sys::gendisk,
    mem: *mut c_void,
    len: c_uint,
    sector: u64,
    now: u32,
) -> c_int {
    // SAFETY: zrs_submit_bio calls us for each segment of a read bio.
    unsafe { segment(p, disk, mem, len, sector, now, false) }
}

#[no_mangle]
extern "C" fn zrs_rs_write(
    p: *mut c_void,
    disk: *mut super::sys::gendisk,
    mem: *mut c_void,
    len: c_uint,
    sector: u64,
    now: u32,
) -> c_int {
    // SAFETY: zrs_submit_bio calls us for each segment of a write bio.
    unsafe { segment(p, disk, mem, len, sector, now, true) }
}

#[no_mangle]
extern "C" fn zrs_rs_discard(p: *mut c_void, sector: u64, bytes: u32) -> c_int {
    // SAFETY: called from ->submit_bio of a live disk (Disk invariant).
    let dev: &Device = unsafe { owner_from_private(p) };
    errno_of(dev.discard(sector, bytes))
}

#[no_mangle]
extern "C" fn zrs_rs_slot_free_notify(
    p: *mut c_void,
    disk: *mut super::sys::gendisk,
    index: c_ulong,
) {
    // SAFETY: called by swap while it holds the disk open (Disk invariant).
    let dev: &Device = unsafe { owner_from_private(p) };
    // SAFETY: from `->swap_slot_free_notify` of `disk`; `opened` and what
    // it gives are used only within this call.
    let opened = unsafe { super::disk::Opened::from_raw(disk) };
    dev.slot_free_notify(opened, index);
}

#[no_mangle]
extern "C" fn zrs_rs_attr_show(p: *mut c_void, name: *const c_char, buf: *mut c_char) -> isize {
    // SAFETY: a sysfs handler of a live disk (del_gendisk drains them).
    let dev: &Device = unsafe { owner_from_private(p) };
    // SAFETY: the attribute's static NUL-terminated name.
    let name = unsafe { cstr_bytes(name) };
    // SAFETY: sysfs hands `show` a zeroed buffer of PAGE_SIZE bytes.
    let out = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), PAGE) };
    let mut w = BufWriter::new(out);
    match dev.attr_show(name, &mut w) {
        Ok(()) => w.len() as isize,
        Err(e) => e.to_errno() as isize,
    }
}

#[no_mangle]
extern "C" fn zrs_rs_attr_store(
    p: *mut c_void,
    name: *const c_char,
    buf: *const c_char,
    len: usize,
) -> isize {
    // SAFETY: as in `zrs_rs_attr_show`.
    let dev: &Device = unsafe { owner_from_private(p) };
    // SAFETY: as in `zrs_rs_attr_show`.
    let name = unsafe { cstr_bytes(name) };
    // SAFETY: sysfs passes `len` valid bytes.
    let input = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), len) };
    ssize_of(dev.attr_store(name, until_nul(input)), len)
}

#[no_mangle]
extern "C" fn zrs_rs_hot_add(p: *mut c_void) -> c_int {
    // SAFETY: the registered control class's context (class_unregister
    // drains handlers before the context is released).
    let drv: &Driver = unsafe { ctx_from_control(p) };
    match drv.hot_add() {
        Ok(id) => id,
        Err(e) => e.to_errno(),
    }
}

#[no_mangle]
extern "C" fn zrs_rs_hot_remove(p: *mut c_void, buf: *const c_char, len: usize) -> isize {
    // SAFETY: as in `zrs_rs_hot_add`.
    let drv: &Driver = unsafe { ctx_from_control(p) };
    // SAFETY: sysfs passes `len` valid bytes.
    let input = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), len) };
    ssize_of(drv.hot_remove(until_nul(input)), len)
}

#[no_mangle]
extern "C" fn zrs_rs_cpu_prepare(p: *mut c_void, cpu: c_uint) -> c_int {
    // SAFETY: the context of a registered cpuhp instance (Instance invariant).
    let set: &StreamSet = unsafe { ctx_from_node(p) };
    errno_of(set.prepare(cpu))
}

#[no_mangle]
extern "C" fn zrs_rs_cpu_dead(p: *mut c_void, cpu: c_uint) -> c_int {
    // SAFETY: as in `zrs_rs_cpu_prepare`.
    let set: &StreamSet = unsafe { ctx_from_node(p) };
    errno_of(set.dead(cpu))
}

#[no_mangle]
extern "C" fn zrs_rs_block_state(
    p: *mut c_void,
    buf: *mut c_char,
    count: usize,
    pos: *mut i64,
) -> isize {
    // SAFETY: a read of the device's block_state file (debugfs removes it,
    // waiting for readers, before the device goes).
    let dev = unsafe { super::debugfs::device_from_debugfs(p) };
    // SAFETY: the helper passes a kvmalloc'ed buffer of `count` bytes.
    let out = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), count) };
    // SAFETY: the file position of this read, ours for the call.
    let pos = unsafe { &mut *pos };
    let mut index = usize::try_from(*pos).unwrap_or(usize::MAX);
    let r = dev.block_state(out, &mut index);
    *pos = i64::try_from(index).unwrap_or(i64::MAX);
    match r {
        Ok(n) => n as isize,
        Err(e) => e.to_errno() as isize,
    }
}
