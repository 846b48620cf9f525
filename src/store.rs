// SPDX-License-Identifier: GPL-2.0

//! A device's storage: the slot table, the zsmalloc pool and the compressor,
//! and the page operations on them.
//!
//! Lock order: slot lock, then stream mutex. Writes compress first (stream
//! only) and take the slot lock after releasing the stream; reads take the
//! slot lock, then a stream.

mod postproc;
mod unit;

pub(crate) use postproc::WbConfig;

use crate::backing::Backing;
use crate::comp::{Codec, CompParams, Compressor, Hotplug, Stream};
use crate::ffi::disk::Chain;
use crate::ffi::slots::{SlotGuard, SlotTable};
use crate::ffi::zspool::{Handle, ZsPool};
use crate::logic::algo::NR_COMPS;
use crate::logic::parse::{PAGE_SHIFT, PAGE_SIZE};
use crate::logic::slot::{self, HUGE, SAME, UNIT, WB};
use crate::logic::stats::MmStat;
use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};
use kernel::sync::Arc;

const PAGE: usize = PAGE_SIZE as usize;
const SECTORS_PER_PAGE_SHIFT: u32 = PAGE_SHIFT - 9;

/// Partial-page I/O on a page held in memory: `buf` into `part` for a
/// write, `part` into `buf` for a read.
fn splice(write: bool, buf: &mut [u8], part: &mut [u8]) -> Result {
    let copied = if write {
        slot::copy(part, buf)
    } else {
        slot::copy(buf, part)
    };
    if copied {
        Ok(())
    } else {
        Err(EIO)
    }
}

/// What a slot is to hold after a write.
enum Encoded {
    /// A page of one repeated word.
    Same(u64),
    /// A zsmalloc object: handle, stored length, stored raw (huge).
    Obj(Handle, usize, bool),
}

/// Device statistics, as the C zram keeps them.
pub(crate) struct Stats {
    pub(crate) compr_data_size: Atomic<u64>,
    pub(crate) failed_reads: Atomic<u64>,
    pub(crate) failed_writes: Atomic<u64>,
    pub(crate) notify_free: Atomic<u64>,
    pub(crate) same_pages: Atomic<u64>,
    pub(crate) huge_pages: Atomic<u64>,
    pub(crate) huge_pages_since: Atomic<u64>,
    pub(crate) pages_stored: Atomic<u64>,
    pub(crate) max_used_pages: Atomic<u64>,
    pub(crate) miss_free: Atomic<u64>,
    /// `mem_limit` in pages; 0 means none.
    pub(crate) limit_pages: Atomic<u64>,
    /// Backing-device blocks in use, reads from it, writes to it.
    pub(crate) bd_count: Atomic<u64>,
    pub(crate) bd_reads: Atomic<u64>,
    pub(crate) bd_writes: Atomic<u64>,
    /// Units (`unit_stat`): stored now; written; page reads that
    /// decompressed a whole unit; units split into pages; unit writes
    /// stored as pages.
    pub(crate) units: Atomic<u64>,
    pub(crate) unit_writes: Atomic<u64>,
    pub(crate) unit_page_reads: Atomic<u64>,
    pub(crate) unit_splits: Atomic<u64>,
    pub(crate) unit_fallbacks: Atomic<u64>,
}

impl Stats {
    /// All zero.
    pub(crate) const fn new() -> Self {
        Stats {
            compr_data_size: Atomic::new(0),
            failed_reads: Atomic::new(0),
            failed_writes: Atomic::new(0),
            notify_free: Atomic::new(0),
            same_pages: Atomic::new(0),
            huge_pages: Atomic::new(0),
            huge_pages_since: Atomic::new(0),
            pages_stored: Atomic::new(0),
            max_used_pages: Atomic::new(0),
            miss_free: Atomic::new(0),
            limit_pages: Atomic::new(0),
            bd_count: Atomic::new(0),
            bd_reads: Atomic::new(0),
            bd_writes: Atomic::new(0),
            units: Atomic::new(0),
            unit_writes: Atomic::new(0),
            unit_page_reads: Atomic::new(0),
            unit_splits: Atomic::new(0),
            unit_fallbacks: Atomic::new(0),
        }
    }

    /// Zero everything, `limit_pages` included, as the C reset does.
    pub(crate) fn reset(&self) {
        for c in [
            &self.compr_data_size,
            &self.failed_reads,
            &self.failed_writes,
            &self.notify_free,
            &self.same_pages,
            &self.huge_pages,
            &self.huge_pages_since,
            &self.pages_stored,
            &self.max_used_pages,
            &self.miss_free,
            &self.limit_pages,
            &self.bd_count,
            &self.bd_reads,
            &self.bd_writes,
            &self.units,
            &self.unit_writes,
            &self.unit_page_reads,
            &self.unit_splits,
            &self.unit_fallbacks,
        ] {
            c.store(0, Relaxed);
        }
    }

    pub(crate) fn inc(c: &Atomic<u64>) {
        c.add(1, Relaxed);
    }

    pub(crate) fn dec(c: &Atomic<u64>) {
        c.fetch_sub(1, Relaxed);
    }

    #[inline(always)]
    fn update_max(&self, pages: u64) {
        let mut cur = self.max_used_pages.load(Relaxed);
        while cur < pages {
            match self.max_used_pages.cmpxchg(cur, pages, Relaxed) {
                Ok(_) => return,
                Err(now) => cur = now,
            }
        }
    }
}

/// When and where a bio segment is stored: the access time to record
/// (seconds since boot, read once per bio) and the NUMA node its objects
/// go on (the page's, as in C; -1 for any).
#[derive(Clone, Copy)]
pub(crate) struct At {
    pub(crate) now: u32,
    pub(crate) nid: i32,
}

/// The storage of an initialised device.
pub(crate) struct Meta {
    table: SlotTable,
    pool: ZsPool,
    /// By priority: the primary algorithm, then the recompression ones.
    comps: [Option<Compressor>; NR_COMPS],
    huge_class_size: usize,
    backing: Option<Arc<Backing>>,
    /// Written-back pages are stored compressed on the backing device.
    compressed_wb: bool,
}

/// What a device is initialised with.
pub(crate) struct MetaConfig<'a> {
    /// Algorithm names by priority (the primary is always set).
    pub(crate) algos: &'a [Option<&'static str>; NR_COMPS],
    /// Their `algorithm_params`.
    pub(crate) params: &'a [CompParams; NR_COMPS],
    pub(crate) backing: Option<Arc<Backing>>,
    pub(crate) compressed_wb: bool,
    /// `unit_size` as an order: pages per unit `1 << unit_order`.
    pub(crate) unit_order: u32,
}

/// Why `Meta::new` failed. The C driver's `disksize_store` returns at once
/// when its table or pool cannot be allocated, but forgets the algorithms
/// and their parameters when a compressor cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetaError {
    /// The slot table or the pool.
    Alloc(Error),
    /// A compressor.
    Comp(Error),
}

impl Meta {
    /// Allocate storage for `pages` pages. Each algorithm gets its own
    /// compressor (per-CPU streams, hotplug instance, preload).
    pub(crate) fn new(
        pages: usize,
        pool_name: &CStr,
        mc: MetaConfig<'_>,
        ms: &Arc<Hotplug>,
    ) -> Result<Self, MetaError> {
        let table = SlotTable::new(pages, mc.unit_order).map_err(MetaError::Alloc)?;
        let pool = ZsPool::new(pool_name).map_err(MetaError::Alloc)?;
        let mut comps = [None, None, None, None];
        // Only the primary algorithm stores units: the others recompress
        // pages, which a unit becomes first.
        let mut unit = crate::logic::unit::unit_bytes(mc.unit_order);
        for ((c, algo), params) in comps.iter_mut().zip(mc.algos).zip(mc.params) {
            let u = core::mem::replace(&mut unit, PAGE);
            if let Some(a) = algo {
                *c = Some(Compressor::new(ms, a, params, u).map_err(|e| {
                    pr_err!("Cannot initialise {} compressing backend\n", a);
                    MetaError::Comp(e)
                })?);
            }
        }
        if comps[0].is_none() {
            return Err(MetaError::Comp(EINVAL));
        }
        let huge_class_size = pool.huge_class_size();
        Ok(Meta {
            table,
            pool,
            comps,
            huge_class_size,
            backing: mc.backing,
            compressed_wb: mc.compressed_wb,
        })
    }

    /// Objects this size or larger are stored as whole pages.
    pub(crate) fn huge_class_size(&self) -> usize {
        self.huge_class_size
    }

    /// Whether the device has a backing device.
    pub(crate) fn has_backing(&self) -> bool {
        self.backing.is_some()
    }

    /// Whether there is a compressor of priority `prio`.
    pub(crate) fn has_comp(&self, prio: usize) -> bool {
        matches!(self.comps.get(prio), Some(Some(_)))
    }

    /// The compressor of priority `prio`.
    pub(crate) fn comp(&self, prio: u32) -> Result<&Compressor> {
        self.comps
            .get(prio as usize)
            .and_then(Option::as_ref)
            .ok_or(EIO)
    }

    /// Number of pages.
    pub(crate) fn nr_pages(&self) -> usize {
        self.table.len()
    }

    /// Pages the pool uses.
    pub(crate) fn pool_pages(&self) -> u64 {
        self.pool.total_pages()
    }

    /// Compact the pool.
    pub(crate) fn compact(&self) {
        self.pool.compact();
    }

    /// Fill the pool fields of `mm_stat`.
    pub(crate) fn pool_stats(&self, s: &mut MmStat) {
        s.mem_used_pages = self.pool.total_pages();
        s.pages_compacted = self.pool.pages_compacted();
    }

    /// Free whatever slot `index` holds (caller holds its lock). For a
    /// member of a unit, only its page: the unit goes with its last one.
    pub(crate) fn free_locked(&self, st: &Stats, g: &mut SlotGuard<'_>) {
        if g.attr().test(UNIT) {
            self.kill_member(st, g);
            return;
        }
        let a = self.release(st, g);
        g.set_handle(0);
        g.set_attr(a);
    }

    /// Free what the locked slot `g` holds and uncount it; the attribute
    /// word it is to have now (the caller writes it, with the new handle).
    /// For a member of a unit, that is its chunk: only `drop_group` frees
    /// members that way, all of a unit's at once.
    #[inline(always)]
    fn release(&self, st: &Stats, g: &SlotGuard<'_>) -> slot::Attr {
        let a = g.attr();
        if a.test(UNIT) {
            return self.release_member(st, g);
        }
        if a.test(WB) {
            // Its huge page was already uncounted when it was written back.
            if let Some(b) = &self.backing {
                if b.release(g.handle()) {
                    Stats::dec(&st.bd_count);
                }
            }
            Stats::dec(&st.pages_stored);
            return a.freed();
        }
        if a.test(HUGE) {
            Stats::dec(&st.huge_pages);
        }
        if a.test(SAME) {
            Stats::dec(&st.same_pages);
            Stats::dec(&st.pages_stored);
        } else if let Some(h) = Handle::from_raw(g.handle()) {
            self.pool.free(h);
            st.compr_data_size.fetch_sub(a.size() as u64, Relaxed);
            Stats::dec(&st.pages_stored);
        }
        a.freed()
    }

    /// Free slot `index` (discard, or before reset frees the table).
    pub(crate) fn free_slot(&self, st: &Stats, index: usize) {
        if let Some(mut g) = self.table.lock(index) {
            self.free_locked(st, &mut g);
        }
    }

    /// Free slot `index` from atomic context (swap's free notification):
    /// if its lock is taken, count a miss and leave it, as the C driver does.
    pub(crate) fn free_slot_atomic(&self, st: &Stats, index: usize) {
        match self.table.try_lock(index) {
            Some(mut g) => self.free_locked(st, &mut g),
            None => Stats::inc(&st.miss_free),
        }
    }

    /// Free every slot: the device is being reset and no I/O is possible.
    pub(crate) fn free_all(&self, st: &Stats) {
        if self.table.is_empty() {
            return;
        }
        for i in 0..self.table.len() {
            self.free_slot(st, i);
        }
    }

    /// Decode the locked slot `g` into `out` (one whole page). `stream`
    /// gives the transform and local-copy page when the caller already holds
    /// a stream; otherwise one is taken if decompression is needed.
    #[inline(always)]
    pub(crate) fn load(
        &self,
        g: &SlotGuard<'_>,
        stream: Option<(&mut Codec, &mut [u8])>,
        out: &mut [u8],
    ) -> Result {
        let a = g.attr();
        let h = g.handle();
        if a.test(WB) {
            // Callers read written-back pages with the slot unlocked.
            return Err(EIO);
        }
        if a.test(UNIT) {
            // Callers holding a stream deal with units themselves.
            return match stream {
                None => {
                    let mut s = self.comp(0)?.stream()?;
                    self.read_member(g, &mut s, out, 0..PAGE)
                }
                Some(_) => Err(EIO),
            };
        }
        if a.test(SAME) || h == 0 {
            crate::ffi::fill_page(out, if a.test(SAME) { h } else { 0 });
            return Ok(());
        }
        let h = Handle::from_raw(h).ok_or(EIO)?;
        let size = a.size();
        if size == PAGE {
            return match self.pool.read(
                h,
                PAGE,
                None,
                #[inline(always)]
                |src| crate::ffi::copy_page(out, src),
            )? {
                true => Ok(()),
                false => Err(EIO),
            };
        }
        let mut own;
        let (codec, local) = match stream {
            Some(s) if a.prio() == 0 => s,
            _ => {
                own = self.comp(a.prio())?.stream()?;
                let (codec, local, _) = own.parts();
                (codec, local)
            }
        };
        self.pool.read(
            h,
            size,
            Some(local),
            #[inline(always)]
            |src| codec.decompress_into(src, out),
        )?
    }

    // The page I/O path (read_page, write_page and what they call on the
    // way to the compressor and the pool) is inlined whole into the two
    // per-segment entry points, zrs_rs_read and zrs_rs_write, so that a
    // page crosses no out-of-line Rust frame (benchmarks.rst, "One call
    // per segment", has the profile behind this).

    /// Read page `index` into `out` (one whole page).
    #[inline(always)]
    fn read_page(
        &self,
        st: &Stats,
        index: usize,
        out: &mut [u8],
        now: u32,
        chain: Option<Chain<'_>>,
    ) -> Result {
        let mut g = self.table.lock(index).ok_or(EIO)?;
        if g.attr().test(WB) {
            let blk = g.handle();
            drop(g);
            self.read_backing(st, index, blk, out, chain)?;
            g = self.table.lock(index).ok_or(EIO)?;
        } else {
            if g.attr().test(UNIT) && g.attr().test(slot::ULIVE) {
                Stats::inc(&st.unit_page_reads);
            }
            self.load(&g, None, out)?;
        }
        let a = g.attr();
        g.set_attr(a.accessed(now));
        Ok(())
    }

    /// Read written-back page `index` from block `blk` with no lock held
    /// (the slot may change meanwhile, as in C), decompressing it if it was
    /// written back compressed. A whole page of a read bio (`chain`) is
    /// read asynchronously, the bio completing after it, as in C; unlike
    /// C, a page written back compressed is read synchronously even then,
    /// so that its decompression runs while the storage is certain to
    /// exist.
    fn read_backing(
        &self,
        st: &Stats,
        index: usize,
        blk: u64,
        out: &mut [u8],
        chain: Option<Chain<'_>>,
    ) -> Result {
        let b = self.backing.as_ref().ok_or(EIO)?;
        Stats::inc(&st.bd_reads);
        if let (Some(c), false) = (chain, self.compressed_wb) {
            return b.file().read_page_chained(blk, c, out);
        }
        b.file().read_page(blk, out)?;
        if !self.compressed_wb {
            return Ok(());
        }
        let g = self.table.lock(index).ok_or(EIO)?;
        let a = g.attr();
        if !a.test(WB) {
            // Freed or rewritten meanwhile: what we read is stale.
            slot::fill(out, 0);
            return Err(EIO);
        }
        if a.test(HUGE) {
            return Ok(());
        }
        let mut s = self.comp(a.prio())?.stream()?;
        s.decompress_in_place(out, a.size())
    }

    /// Compress `page` (the scratch page if `None`) with the locked stream
    /// `s` and store it: what the slot is to hold. Callers have checked
    /// that the page is not same-filled.
    #[inline(always)]
    fn encode(&self, st: &Stats, s: &mut Stream, page: Option<&[u8]>, nid: i32) -> Result<Encoded> {
        let len = match page {
            Some(p) => s.compress(p),
            None => s.compress_scratch(),
        }
        .inspect_err(|e| pr_err!("compression failed: {:?}\n", e))?;
        if len >= self.huge_class_size {
            let raw = page.unwrap_or(&s.scratch);
            return Ok(Encoded::Obj(self.store(st, raw, nid)?, PAGE, true));
        }
        let out = s.buf.get(..len).ok_or(EIO)?;
        Ok(Encoded::Obj(self.store(st, out, nid)?, len, false))
    }

    /// What `page` (the scratch page if `None`) is to be stored as: its
    /// repeated word, or an object `encode` makes with the locked stream.
    #[inline(always)]
    fn encode_page(
        &self,
        st: &Stats,
        s: &mut Stream,
        page: Option<&[u8]>,
        nid: i32,
    ) -> Result<Encoded> {
        match slot::same_filled(page.unwrap_or(&s.scratch)) {
            Some(word) => Ok(Encoded::Same(word)),
            None => self.encode(st, s, page, nid),
        }
    }

    /// Put `e` into the locked slot `g`, freeing what it held.
    #[inline(always)]
    fn commit(&self, st: &Stats, g: &mut SlotGuard<'_>, e: Encoded, now: u32) {
        let freed = self.release(st, g).accessed(now);
        match e {
            Encoded::Same(word) => {
                g.set_handle(word);
                g.set_attr(freed.with(SAME, true));
                Stats::inc(&st.same_pages);
            }
            Encoded::Obj(h, len, huge) => {
                g.set_handle(h.raw());
                g.set_attr(freed.with_size(len).with(HUGE, huge));
                if huge {
                    Stats::inc(&st.huge_pages);
                    Stats::inc(&st.huge_pages_since);
                }
                st.compr_data_size.add(len as u64, Relaxed);
            }
        }
        Stats::inc(&st.pages_stored);
    }

    /// Store `page` as page `index`: compress with only the stream held,
    /// then take the slot lock to swap the new object in.
    #[inline(always)]
    fn write_page(&self, st: &Stats, index: usize, page: &[u8], at: At) -> Result {
        if index >= self.table.len() {
            return Err(EIO);
        }
        let e = match slot::same_filled(page) {
            Some(word) => Encoded::Same(word),
            None => self.encode(st, &mut *self.comp(0)?.stream()?, Some(page), at.nid)?,
        };
        let mut g = self.table.lock(index).ok_or(EIO)?;
        if g.attr().test(UNIT) {
            // A page of a unit rewritten: the others become pages first.
            let member = index - g.group().start;
            if let Err(err) = self.split(st, &mut g, 1 << member) {
                self.forget(e);
                return Err(err);
            }
        }
        self.commit(st, &mut g, e, at.now);
        Ok(())
    }

    /// Allocate an object for `data`, respecting `mem_limit`, and fill it.
    #[inline(always)]
    fn store(&self, st: &Stats, data: &[u8], nid: i32) -> Result<Handle> {
        let h = self.pool.malloc(data.len(), nid)?;
        let used = self.pool.total_pages();
        st.update_max(used);
        let limit = st.limit_pages.load(Relaxed);
        if limit != 0 && used > limit {
            self.pool.free(h);
            return Err(ENOMEM);
        }
        self.pool.write(h, data);
        Ok(h)
    }

    /// One bio segment: `buf` at byte `offset` of page `index`. Whole pages
    /// go straight through; anything smaller is a read-modify-write of the
    /// page in the stream's scratch page, under the slot lock.
    /// Inlined into each direction's entry point, where `write` is constant.
    #[inline(always)]
    pub(crate) fn rw(
        &self,
        st: &Stats,
        write: bool,
        buf: &mut [u8],
        sector: u64,
        at: At,
        chain: Option<Chain<'_>>,
    ) -> Result {
        let index = usize::try_from(sector >> SECTORS_PER_PAGE_SHIFT).map_err(|_| EIO)?;
        let offset = ((sector as usize) & ((1 << SECTORS_PER_PAGE_SHIFT) - 1)) << 9;
        let ret = if buf.len() == PAGE && offset == 0 {
            if write {
                self.write_page(st, index, buf, at)
            } else {
                self.read_page(st, index, buf, at.now, chain)
            }
        } else {
            self.rw_partial(st, write, buf, index, offset, at)
        };
        if ret.is_err() {
            Stats::inc(if write {
                &st.failed_writes
            } else {
                &st.failed_reads
            });
        }
        ret
    }

    fn rw_partial(
        &self,
        st: &Stats,
        write: bool,
        buf: &mut [u8],
        index: usize,
        offset: usize,
        at: At,
    ) -> Result {
        let end = offset
            .checked_add(buf.len())
            .filter(|&e| e <= PAGE)
            .ok_or(EIO)?;
        // Slot lock, then stream: the same order as reads.
        let mut g = self.table.lock(index).ok_or(EIO)?;
        if g.attr().test(WB) {
            // Its data is on the backing device, read with no lock held:
            // go through a whole page, as the C driver does.
            drop(g);
            return self.rw_partial_wb(st, write, buf, index, offset..end, at);
        }
        if write && g.attr().test(UNIT) {
            // Read-modify-write of a unit's page: it becomes a page first.
            self.split(st, &mut g, 0)?;
        }
        let mut s = self.comp(0)?.stream()?;
        if g.attr().test(UNIT) {
            // A read: from the whole unit, decompressed into the stream.
            if g.attr().test(slot::ULIVE) {
                Stats::inc(&st.unit_page_reads);
            }
            return self.read_member(&g, &mut s, buf, offset..end);
        }
        {
            let (codec, local, scratch) = s.parts();
            self.load(&g, Some((codec, local)), scratch)?;
            let part = scratch.get_mut(offset..end).ok_or(EIO)?;
            splice(write, buf, part)?;
            if !write {
                return Ok(());
            }
        }
        let e = self.encode_page(st, &mut s, None, at.nid)?;
        drop(s);
        self.commit(st, &mut g, e, at.now);
        Ok(())
    }

    fn rw_partial_wb(
        &self,
        st: &Stats,
        write: bool,
        buf: &mut [u8],
        index: usize,
        range: core::ops::Range<usize>,
        at: At,
    ) -> Result {
        let mut page = KVec::from_elem(0u8, PAGE, GFP_NOWAIT | __GFP_NOWARN)?;
        self.read_page(st, index, &mut page, at.now, None)?;
        let part = page.get_mut(range).ok_or(EIO)?;
        splice(write, buf, part)?;
        if !write {
            return Ok(());
        }
        self.write_page(st, index, &page, at)
    }

    /// Discard (or write zeroes to) `bytes` from `sector`: whole pages in
    /// the range are freed; partial pages at either end are left as they
    /// are, exactly as the C driver does.
    pub(crate) fn discard(&self, st: &Stats, sector: u64, bytes: u32) {
        let mut n = bytes as usize;
        let mut index = (sector >> SECTORS_PER_PAGE_SHIFT) as usize;
        let offset = ((sector as usize) & ((1 << SECTORS_PER_PAGE_SHIFT) - 1)) << 9;
        if offset != 0 {
            if n <= PAGE - offset {
                return;
            }
            n -= PAGE - offset;
            index += 1;
        }
        while n >= PAGE {
            self.free_slot(st, index);
            Stats::inc(&st.notify_free);
            index += 1;
            n -= PAGE;
        }
    }
}
