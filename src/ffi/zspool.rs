// SPDX-License-Identifier: GPL-2.0

//! A zsmalloc pool: the kernel's allocator for compressed pages.

use super::bindings as b;
use kernel::ffi::c_ulong;
use kernel::prelude::*;

const PAGE_SIZE: usize = crate::logic::parse::PAGE_SIZE as usize;

/// A zsmalloc object handle. Never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Handle(u64);

impl Handle {
    /// The raw value, for the slot table.
    pub(crate) fn raw(self) -> u64 {
        self.0
    }

    /// A handle read back from the slot table; `None` for 0 (no object).
    pub(crate) fn from_raw(v: u64) -> Option<Handle> {
        (v != 0).then_some(Handle(v))
    }
}

/// A zsmalloc pool.
///
/// # Invariants
///
/// `pool` is a valid pool created by `zs_create_pool` and owned by this
/// object. Every `Handle` passed to its methods came from `malloc` of this
/// pool and was not freed yet (callers keep that bookkeeping in the slot
/// table, under the slot lock).
pub(crate) struct ZsPool {
    pool: *mut b::zs_pool,
}

// SAFETY: zsmalloc pools are internally synchronised; all methods may be
// called concurrently from any thread.
unsafe impl Send for ZsPool {}
// SAFETY: as above.
unsafe impl Sync for ZsPool {}

impl ZsPool {
    /// Create a pool named `name` (shown in /proc/slabinfo and debugfs).
    pub(crate) fn new(name: &CStr) -> Result<Self> {
        // SAFETY: `name` is NUL-terminated; zsmalloc copies it.
        let pool = unsafe { b::zs_create_pool(name.as_char_ptr()) };
        if pool.is_null() {
            return Err(ENOMEM);
        }
        // INVARIANT: a valid new pool, owned here.
        Ok(ZsPool { pool })
    }

    /// Allocate an object of `size` bytes on NUMA node `nid` (-1: any),
    /// with no I/O and no warning on failure.
    #[inline]
    pub(crate) fn malloc(&self, size: usize, nid: i32) -> Result<Handle> {
        // SAFETY: `pool` is valid (type invariant); zsmalloc takes any node
        // id or NUMA_NO_NODE.
        let h = unsafe { b::zs_malloc(self.pool, size, b::ZRS_ZS_GFP, nid) };
        // An error comes back as an ERR_PTR value.
        if h > c_ulong::MAX - b::MAX_ERRNO as c_ulong {
            return Err(ENOMEM);
        }
        Handle::from_raw(h as u64).ok_or(ENOMEM)
    }

    /// Free `h`, which the caller stops using.
    #[inline]
    pub(crate) fn free(&self, h: Handle) {
        // SAFETY: `pool` is valid; `h` is a live object of it (type invariant).
        unsafe { b::zs_free(self.pool, h.0 as c_ulong) };
    }

    /// Copy `src` into the object `h` (of at least `src.len()` bytes).
    #[inline]
    pub(crate) fn write(&self, h: Handle, src: &[u8]) {
        // zs_obj_write only reads `src` (its parameter is not const-qualified),
        // and callers allocate `h` with `src.len()` bytes.
        // SAFETY: `pool` valid, `h` live (type invariant), `src` readable for
        // `src.len()` bytes, no more than the object's size (above).
        unsafe {
            b::zs_obj_write(
                self.pool,
                h.0 as c_ulong,
                src.as_ptr().cast_mut().cast(),
                src.len(),
            )
        };
    }

    /// Call `f` with the `len` bytes of object `h`, mapped, or copied into
    /// `local` when the object spans two pages. `local` may be `None` only
    /// for whole-page objects, which zsmalloc never splits.
    #[inline(always)]
    pub(crate) fn read<R>(
        &self,
        h: Handle,
        len: usize,
        local: Option<&mut [u8]>,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<R> {
        let local = match local {
            Some(l) if l.len() >= len => l.as_mut_ptr().cast(),
            None if len == PAGE_SIZE => core::ptr::null_mut(),
            _ => return Err(EINVAL),
        };
        // SAFETY: `pool` is valid and `h` live (type invariant); `local` is
        // null only for a whole-page object, else writable for `len` bytes.
        let mem = unsafe { b::zs_obj_read_begin(self.pool, h.0 as c_ulong, len, local) };
        // SAFETY: zs_obj_read_begin returns memory valid for `len` bytes
        // until the matching zs_obj_read_end below; nothing writes it
        // meanwhile (the caller holds the slot lock of `h`).
        let data = unsafe { core::slice::from_raw_parts(mem.cast::<u8>().cast_const(), len) };
        let r = f(data);
        // SAFETY: pairs with the read_begin above, with the same arguments.
        unsafe { b::zs_obj_read_end(self.pool, h.0 as c_ulong, len, mem) };
        Ok(r)
    }

    /// Pages the pool uses.
    pub(crate) fn total_pages(&self) -> u64 {
        // SAFETY: `pool` is valid (type invariant).
        (unsafe { b::zs_get_total_pages(self.pool) }) as u64
    }

    /// Compact the pool; the number of pages freed.
    pub(crate) fn compact(&self) -> u64 {
        // SAFETY: `pool` is valid (type invariant).
        (unsafe { b::zs_compact(self.pool) }) as u64
    }

    /// Pages freed by compaction over the pool's life.
    pub(crate) fn pages_compacted(&self) -> u64 {
        let mut stats = b::zs_pool_stats::default();
        // SAFETY: `pool` is valid (type invariant); `stats` is ours.
        unsafe { b::zs_pool_stats(self.pool, &mut stats) };
        // Our own copy, which nothing else touches: a plain read.
        stats.pages_compacted.counter as u64
    }

    /// The size class an object of `size` bytes goes to (recompression
    /// keeps a result only if it moves to a smaller class).
    pub(crate) fn class_index(&self, size: usize) -> u32 {
        let size = u32::try_from(size).unwrap_or(u32::MAX);
        // SAFETY: `pool` is valid (type invariant); any size is accepted.
        unsafe { b::zs_lookup_class_index(self.pool, size) }
    }

    /// Objects this size or larger take a whole page: store them raw.
    pub(crate) fn huge_class_size(&self) -> usize {
        // SAFETY: `pool` is valid (type invariant).
        unsafe { b::zs_huge_class_size(self.pool) }
    }
}

impl Drop for ZsPool {
    fn drop(&mut self) {
        // SAFETY: `pool` is valid and owned (type invariant); callers free
        // every object before dropping the pool (zsmalloc would warn).
        unsafe { b::zs_destroy_pool(self.pool) };
    }
}
