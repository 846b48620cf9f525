// SPDX-License-Identifier: GPL-2.0

//! Rust declarations of `zrs_helpers.h`. The C file includes that header, so
//! the C side is checked by the compiler; keep this file in step with it.

#![allow(non_camel_case_types)]

use kernel::ffi::{c_char, c_int, c_uint, c_ulong, c_void};

/// Opaque `struct gendisk`.
#[repr(C)]
pub(crate) struct gendisk {
    _p: [u8; 0],
}
/// Opaque `struct zs_pool`.
#[repr(C)]
pub(crate) struct zs_pool {
    _p: [u8; 0],
}
/// Opaque `struct crypto_acomp`.
#[repr(C)]
pub(crate) struct crypto_acomp {
    _p: [u8; 0],
}
/// Opaque `struct acomp_req`.
#[repr(C)]
pub(crate) struct acomp_req {
    _p: [u8; 0],
}
/// Opaque `struct zrs_hp_node` (an `hlist_node` and our context pointer).
#[repr(C)]
pub(crate) struct zrs_hp_node {
    _p: [u8; 0],
}

/// `enum zrs_lib_kind`.
pub(crate) const ZRS_LIB_LZ4: c_uint = 0;
pub(crate) const ZRS_LIB_LZO: c_uint = 1;
pub(crate) const ZRS_LIB_LZORLE: c_uint = 2;

/// Opaque `struct file`.
#[repr(C)]
pub(crate) struct file {
    _p: [u8; 0],
}
/// Opaque `struct dentry`.
#[repr(C)]
pub(crate) struct dentry {
    _p: [u8; 0],
}

/// `struct zrs_bdev_io`: one page of backing-device I/O.
#[repr(C)]
pub(crate) struct zrs_bdev_io {
    pub(crate) buf: *mut c_void,
    pub(crate) blk: u64,
    pub(crate) err: c_int,
}

extern "C" {
    pub(crate) fn zrs_disk_alloc(major: c_int, minor: c_int) -> *mut gendisk;
    pub(crate) fn zrs_disk_add(disk: *mut gendisk, priv_: *mut c_void) -> c_int;
    pub(crate) fn zrs_disk_del(disk: *mut gendisk);
    pub(crate) fn zrs_disk_put(disk: *mut gendisk);
    pub(crate) fn zrs_disk_set_capacity(disk: *mut gendisk, sectors: u64);
    pub(crate) fn zrs_disk_clear(disk: *mut gendisk);
    pub(crate) fn zrs_disk_claim(disk: *mut gendisk, claim: *mut bool) -> c_int;
    pub(crate) fn zrs_disk_unclaim(disk: *mut gendisk, claim: *mut bool);
    pub(crate) fn zrs_disk_is_open(disk: *mut gendisk, claim: *mut bool) -> bool;
    pub(crate) fn zrs_disk_is_claimed(disk: *mut gendisk, claim: *mut bool) -> bool;
    pub(crate) fn zrs_disk_sync(disk: *mut gendisk);
    pub(crate) fn zrs_disk_freeze(disk: *mut gendisk) -> c_uint;
    pub(crate) fn zrs_disk_unfreeze(disk: *mut gendisk, memflags: c_uint);
    pub(crate) fn zrs_register_blkdev(name: *const c_char) -> c_int;
    pub(crate) fn zrs_unregister_blkdev(major: c_int, name: *const c_char);

    pub(crate) fn zrs_control_exists() -> bool;
    pub(crate) fn zrs_control_register(priv_: *mut c_void) -> c_int;
    pub(crate) fn zrs_control_unregister();

    pub(crate) fn zrs_hp_node_new(priv_: *mut c_void) -> *mut zrs_hp_node;
    pub(crate) fn zrs_hp_node_free(n: *mut zrs_hp_node);
    pub(crate) fn zrs_cpuhp_setup() -> c_int;
    pub(crate) fn zrs_cpuhp_remove(state: c_int);
    pub(crate) fn zrs_cpuhp_add_instance(state: c_int, n: *mut zrs_hp_node) -> c_int;
    pub(crate) fn zrs_cpuhp_remove_instance(state: c_int, n: *mut zrs_hp_node) -> c_int;

    pub(crate) fn zrs_acomp_has(name: *const c_char) -> bool;
    pub(crate) fn zrs_acomp_new(
        name: *const c_char,
        node: c_int,
        tfm: *mut *mut crypto_acomp,
        req: *mut *mut acomp_req,
    ) -> c_int;
    pub(crate) fn zrs_acomp_free(tfm: *mut crypto_acomp, req: *mut acomp_req);
    pub(crate) fn zrs_acomp_run(
        req: *mut acomp_req,
        compress: bool,
        src: *const c_void,
        slen: c_uint,
        dst: *mut c_void,
        dlen: *mut c_uint,
    ) -> c_int;

    pub(crate) fn zrs_lib_wrkmem(kind: c_uint) -> usize;
    pub(crate) fn zrs_lzo_worst(len: usize) -> usize;

    // The libraries themselves (<linux/lz4.h>, <linux/lzo.h>); the helper
    // asserts these prototypes at compile time.
    pub(crate) fn LZ4_compress_default(
        src: *const c_char,
        dst: *mut c_char,
        slen: c_int,
        dlen: c_int,
        wrk: *mut c_void,
    ) -> c_int;
    pub(crate) fn LZ4_decompress_safe(
        src: *const c_char,
        dst: *mut c_char,
        slen: c_int,
        dlen: c_int,
    ) -> c_int;
    pub(crate) fn lzo1x_1_compress(
        src: *const u8,
        slen: usize,
        dst: *mut u8,
        dlen: *mut usize,
        wrk: *mut c_void,
    ) -> c_int;
    pub(crate) fn lzorle1x_1_compress(
        src: *const u8,
        slen: usize,
        dst: *mut u8,
        dlen: *mut usize,
        wrk: *mut c_void,
    ) -> c_int;
    pub(crate) fn lzo1x_decompress_safe(
        src: *const u8,
        slen: usize,
        dst: *mut u8,
        dlen: *mut usize,
    ) -> c_int;

    pub(crate) fn zrs_zs_create(name: *const c_char) -> *mut zs_pool;
    pub(crate) fn zrs_zs_destroy(pool: *mut zs_pool);
    pub(crate) fn zrs_zs_malloc(pool: *mut zs_pool, size: usize, nid: c_int) -> c_ulong;
    pub(crate) fn zrs_zs_huge_class_size(pool: *mut zs_pool) -> usize;
    pub(crate) fn zrs_zs_compact(pool: *mut zs_pool) -> c_ulong;
    pub(crate) fn zrs_zs_pages_compacted(pool: *mut zs_pool) -> c_ulong;
    // zsmalloc's own, called directly on the page path. Keep in step with
    // the static_asserts in zrs_helpers.c, which hold the same prototypes
    // to zsmalloc's header.
    pub(crate) fn zs_obj_read_begin(
        pool: *mut zs_pool,
        handle: c_ulong,
        len: usize,
        local_copy: *mut c_void,
    ) -> *mut c_void;
    pub(crate) fn zs_obj_read_end(
        pool: *mut zs_pool,
        handle: c_ulong,
        len: usize,
        mem: *mut c_void,
    );
    pub(crate) fn zs_obj_write(pool: *mut zs_pool, handle: c_ulong, src: *mut c_void, len: usize);
    pub(crate) fn zs_free(pool: *mut zs_pool, handle: c_ulong);
    pub(crate) fn zs_get_total_pages(pool: *mut zs_pool) -> c_ulong;

    pub(crate) fn zrs_zs_class_index(pool: *mut zs_pool, size: c_uint) -> c_uint;

    pub(crate) fn zrs_bdev_open(path: *const c_char, nr_pages: *mut u64) -> *mut file;
    pub(crate) fn zrs_bdev_close(f: *mut file);
    pub(crate) fn zrs_bdev_path(f: *mut file, buf: *mut c_char, len: usize) -> isize;
    pub(crate) fn zrs_bdev_rw(f: *mut file, ios: *mut zrs_bdev_io, n: c_uint, write: bool);

    pub(crate) fn zrs_debugfs_init();
    pub(crate) fn zrs_debugfs_exit();
    pub(crate) fn zrs_debugfs_dev_add(name: *const c_char, priv_: *mut c_void) -> *mut dentry;
    pub(crate) fn zrs_debugfs_dev_remove(d: *mut dentry);

    pub(crate) fn zrs_slot_lock(word: *mut c_ulong, bit: c_uint);
    pub(crate) fn zrs_slot_trylock(word: *mut c_ulong, bit: c_uint) -> bool;
    pub(crate) fn zrs_slot_unlock(word: *mut c_ulong, bit: c_uint);

    pub(crate) fn zrs_boottime_seconds() -> u32;
    pub(crate) fn zrs_cpu_to_node(cpu: c_uint) -> c_int;
    pub(crate) fn zrs_cond_resched();
    pub(crate) fn zrs_copy_page(dst: *mut c_void, src: *const c_void);
    #[cfg(not(target_arch = "x86_64"))]
    pub(crate) fn zrs_fill_page(dst: *mut c_void, value: c_ulong);
}
