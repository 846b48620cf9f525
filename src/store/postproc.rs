// SPDX-License-Identifier: GPL-2.0

//! Post-processing of stored pages: idle marking, writeback to the backing
//! device and recompression with a secondary algorithm, plus the debugfs
//! `block_state` dump. All of it runs from sysfs (or debugfs) with the
//! device lock held, so at most one post-processing pass runs per device;
//! the I/O path keeps running beside it under slot locks.
//!
//! Selection works as in the C driver: a scan marks candidates `PP_SLOT`
//! under their slot lock and remembers them; they are then processed
//! largest first. Anything that touches a slot in between (a read, a write,
//! a free) clears `PP_SLOT`, and a slot that lost it is skipped.

use crate::ffi::bdev::WriteQueue;
use crate::ffi::slots::SlotGuard;
use crate::logic::post::{self, Idle, Recompress};
use crate::logic::slot::{self, Attr, HUGE, IDLE, INCOMPRESSIBLE, PP_SLOT, WB};
use crate::logic::stats::BufWriter;
use crate::store::{Meta, Stats};
use kernel::prelude::*;
use kernel::sync::atomic::Relaxed;

const PAGE: usize = crate::logic::parse::PAGE_SIZE as usize;

/// Writeback settings, kept under the device lock.
pub(crate) struct WbConfig {
    pub(crate) limit_enable: bool,
    /// Pages (in 4 KiB units) writeback may still write while enabled.
    pub(crate) limit: u64,
    pub(crate) batch_size: u32,
}

/// Candidates of one pass: (bucket, slot index).
type Candidates = KVec<(usize, usize)>;

impl Meta {
    /// Mark slots idle (`idle`): all of them, or those not accessed since
    /// the cutoff; never same-filled or written-back ones.
    pub(crate) fn mark_idle(&self, cutoff: Idle) {
        for index in 0..self.nr_pages() {
            let Some(mut g) = self.table.lock(index) else {
                break;
            };
            let a = g.attr();
            if a.allocated() && !a.test(WB) && !a.test(slot::SAME) {
                g.set_attr(a.with(IDLE, post::is_idle(cutoff, a.ac_time())));
            }
            drop(g);
            if index % 4096 == 4095 {
                crate::ffi::cond_resched();
            }
        }
    }

    /// Select slot `index` if `pick` accepts its attributes: mark it and
    /// remember it. False if it could not be remembered (no memory): the
    /// scan stops there, as in C. A page of a unit is judged as a page of
    /// its own (`pp_view`); the unit is split only when such a page is
    /// processed (`pp_page`), so a pass that stops early (a page limit, the
    /// writeback limit) splits no more units than it processes pages.
    fn select(&self, index: usize, cands: &mut Candidates, pick: impl Fn(Attr) -> bool) -> bool {
        let Some(mut g) = self.table.lock(index) else {
            return true;
        };
        let view = self.pp_view(&g);
        if !pick(view) {
            return true;
        }
        let a = g.attr();
        g.set_attr(a.with(PP_SLOT, true));
        // Allocate with no slot lock held: reclaim may write to this device.
        drop(g);
        if cands
            .push((post::pp_bucket(view.size()), index), GFP_KERNEL)
            .is_err()
        {
            self.unselect_order(&[index]);
            return false;
        }
        true
    }

    /// Forget `cands`, clearing their marks.
    fn unselect(&self, cands: &[(usize, usize)]) {
        for &(_, index) in cands {
            self.unselect_order(&[index]);
        }
    }

    /// Forget the slots `indexes`, clearing their marks.
    fn unselect_order(&self, indexes: &[usize]) {
        for &index in indexes {
            if let Some(mut g) = self.table.lock(index) {
                let a = g.attr();
                g.set_attr(a.with(PP_SLOT, false));
            }
        }
    }

    /// The processing order of `cands` (see `post::pp_order`).
    fn order(cands: &[(usize, usize)]) -> Result<KVec<usize>> {
        let mut order = KVec::from_elem(0usize, cands.len(), GFP_KERNEL)?;
        if !post::pp_order(cands, &mut order) {
            return Err(EINVAL);
        }
        Ok(order)
    }

    /// `writeback`: write the pages `input` selects to the backing device.
    pub(crate) fn writeback(&self, st: &Stats, input: &[u8], wb: &mut WbConfig) -> Result {
        let backing = self.backing.as_ref().ok_or(ENODEV)?;
        let mut cands = Candidates::new();
        let mut full = false;
        let parsed = post::parse_writeback(input, self.nr_pages() as u64, |mode, lo, hi| {
            for index in lo as usize..hi as usize {
                if full {
                    return;
                }
                full = !self.select(index, &mut cands, |a| post::wb_selects(mode, a));
            }
        });
        if let Err(e) = parsed {
            self.unselect(&cands);
            return Err(e.into());
        }
        let order = match Self::order(&cands) {
            Ok(o) => o,
            Err(e) => {
                self.unselect(&cands);
                return Err(e);
            }
        };

        // Up to the batch size in flight (as many as memory allows, at
        // least one), each refilled as soon as it completes.
        let want = (wb.batch_size as usize).clamp(1, cands.len().max(1));
        let mut q = match WriteQueue::new(backing.file(), want) {
            Ok(q) => q,
            Err(e) => {
                self.unselect_order(&order);
                return Err(e);
            }
        };
        let mut ret = Ok(());
        let mut next = 0;
        while let Some(&index) = order.get(next) {
            if wb.limit_enable && wb.limit == 0 {
                ret = Err(EIO);
                break;
            }
            let req = q.free(|(index, blk), r| {
                if let Err(e) = self.wb_complete(st, wb, index, blk, r) {
                    ret = Err(e);
                }
            });
            let Some(blk) = backing.reserve() else {
                q.put(req);
                ret = Err(ENOSPC);
                break;
            };
            Stats::inc(&st.bd_count);
            next += 1;
            let filled = q
                .with_page(&req, |buf| self.fill_wb_page(st, index, buf))
                .and_then(|r| r);
            if filled.is_err() {
                q.put(req);
                if backing.release(blk) {
                    Stats::dec(&st.bd_count);
                }
                self.unselect_order(&[index]);
                continue;
            }
            // Counted on submission, so a pass never overshoots the limit.
            if wb.limit_enable && wb.limit > 0 {
                wb.limit -= 1;
            }
            q.submit(req, blk, (index, blk));
            crate::ffi::cond_resched();
        }
        q.drain(|(index, blk), r| {
            if let Err(e) = self.wb_complete(st, wb, index, blk, r) {
                ret = Err(e);
            }
        });
        self.unselect_order(order.get(next..).unwrap_or(&[]));
        ret
    }

    /// The selected locked slot `g` as a page of its own: a page of a unit
    /// splits it first (its pages keep their selection). False if there is
    /// then nothing to process: a page freed meanwhile, or one the split
    /// found to be one repeated word, which no pass takes.
    fn pp_page(&self, st: &Stats, g: &mut SlotGuard<'_>) -> Result<bool> {
        let a = g.attr();
        if !a.test(slot::UNIT) {
            return Ok(true);
        }
        if !a.test(slot::ULIVE) {
            return Ok(false);
        }
        self.split(st, g, 0)?;
        Ok(!g.attr().test(slot::SAME))
    }

    /// Copy what slot `index` holds into `buf` for writeback (decompressed,
    /// or raw when written back compressed), if it is still selected.
    fn fill_wb_page(&self, st: &Stats, index: usize, buf: &mut [u8]) -> Result {
        let mut g = self.table.lock(index).ok_or(EIO)?;
        if !g.attr().test(PP_SLOT) || !self.pp_page(st, &mut g)? {
            return Err(EAGAIN);
        }
        let a = g.attr();
        if !self.compressed_wb || a.test(HUGE) {
            return self.load(&g, None, buf);
        }
        let h = crate::ffi::zspool::Handle::from_raw(g.handle()).ok_or(EIO)?;
        let size = a.size();
        let mut s = self.comp(0)?.stream()?;
        let (_, local, _) = s.parts();
        self.pool
            .read(h, size, Some(local), |src| {
                let (head, tail) = buf.split_at_mut(size.min(PAGE));
                tail.fill(0);
                slot::copy(head, src)
            })?
            .then_some(())
            .ok_or(EIO)
    }

    /// Settle slot `index` after its write to block `blk` ended with
    /// `result`: written back if it kept its mark meanwhile, else the
    /// block goes back (and on failure the limit too); the I/O error, if
    /// any, as the C zram reports the last one.
    fn wb_complete(
        &self,
        st: &Stats,
        wb: &mut WbConfig,
        index: usize,
        blk: u64,
        result: Result,
    ) -> Result {
        let backing = self.backing.as_ref().ok_or(ENODEV)?;
        let release = |blk| {
            if backing.release(blk) {
                Stats::dec(&st.bd_count);
            }
        };
        if let Err(e) = result {
            // Not counted against the limit.
            if wb.limit_enable {
                wb.limit += 1;
            }
            release(blk);
            if let Some(mut g) = self.table.lock(index) {
                let a = g.attr();
                g.set_attr(a.with(PP_SLOT, false));
            }
            return Err(e);
        }
        Stats::inc(&st.bd_writes);
        let Some(mut g) = self.table.lock(index) else {
            release(blk);
            return Ok(());
        };
        let a = g.attr();
        if !a.test(PP_SLOT) {
            // Accessed or freed while in flight: keep it in memory.
            release(blk);
            return Ok(());
        }
        if a.test(HUGE) {
            Stats::dec(&st.huge_pages);
        }
        st.compr_data_size.fetch_sub(a.size() as u64, Relaxed);
        if let Some(h) = crate::ffi::zspool::Handle::from_raw(g.handle()) {
            self.pool.free(h);
        }
        g.set_handle(blk);
        g.set_attr(a.with(IDLE, false).with(PP_SLOT, false).with(WB, true));
        Ok(())
    }

    /// `recompress` with the compressor of priority `prio`.
    pub(crate) fn recompress(&self, st: &Stats, req: &Recompress<'_>, prio: u32) -> Result {
        if req.threshold as usize >= self.huge_class_size {
            return Err(EINVAL);
        }
        let comp = self.comp(prio)?;
        let highest = self
            .comps
            .iter()
            .skip(prio as usize + 1)
            .all(Option::is_none);
        let mut cands = Candidates::new();
        for index in 0..self.nr_pages() {
            if !self.select(index, &mut cands, |a| {
                post::recomp_selects(req.mode, prio, a)
            }) {
                break;
            }
        }
        let order = match Self::order(&cands) {
            Ok(o) => o,
            Err(e) => {
                self.unselect(&cands);
                return Err(e);
            }
        };
        let mut page = match KVec::from_elem(0u8, PAGE, GFP_KERNEL) {
            Ok(p) => p,
            Err(e) => {
                self.unselect_order(&order);
                return Err(e.into());
            }
        };
        let mut left = req.max_pages;
        let mut ret = Ok(());
        let mut next = 0;
        while left != 0 {
            let Some(&index) = order.get(next) else {
                break;
            };
            next += 1;
            let Some(mut g) = self.table.lock(index) else {
                continue;
            };
            if !g.attr().test(PP_SLOT) {
                continue;
            }
            // A unit that cannot be split (no memory) keeps this page.
            if !self.pp_page(st, &mut g).unwrap_or(false) {
                let a = g.attr();
                g.set_attr(a.with(PP_SLOT, false));
                continue;
            }
            let r = self.recompress_slot(
                st,
                &mut g,
                &mut page,
                &mut left,
                req.threshold,
                comp,
                prio,
                highest,
            );
            let a = g.attr();
            g.set_attr(a.with(PP_SLOT, false));
            drop(g);
            if let Err(e) = r {
                ret = Err(e);
                break;
            }
            crate::ffi::cond_resched();
        }
        self.unselect_order(order.get(next..).unwrap_or(&[]));
        ret
    }

    /// Recompress the locked slot `g` if that moves it to a smaller size
    /// class (and under `threshold`, if set); as `recompress_slot()` in C.
    #[allow(clippy::too_many_arguments)]
    fn recompress_slot(
        &self,
        st: &Stats,
        g: &mut crate::ffi::slots::SlotGuard<'_>,
        page: &mut [u8],
        left: &mut u64,
        threshold: u32,
        comp: &crate::comp::Compressor,
        prio: u32,
        highest: bool,
    ) -> Result {
        if g.handle() == 0 {
            return Err(EINVAL);
        }
        let old = g.attr().size();
        if old < threshold as usize {
            return Ok(());
        }
        self.load(g, None, page)?;
        // Touched: no longer idle, so no other pass picks it for that.
        let a = g.attr();
        g.set_attr(a.with(IDLE, false));
        let mut s = comp.stream()?;
        let r = s.compress(page);
        // Counted whether or not it helps: the work was done.
        *left = left.saturating_sub(1);
        let len = r?;
        if self.pool.class_index(len) >= self.pool.class_index(old)
            || (threshold != 0 && len >= threshold as usize)
        {
            drop(s);
            if highest {
                let a = g.attr();
                g.set_attr(a.with(INCOMPRESSIBLE, true));
            }
            return Ok(());
        }
        // On this CPU's node: C uses that of a page it allocated here.
        let h = self.pool.malloc(len, crate::ffi::this_node())?;
        self.pool.write(h, s.buf.get(..len).ok_or(EIO)?);
        drop(s);
        self.free_locked(st, g);
        g.set_handle(h.raw());
        let a = g.attr();
        g.set_attr(a.with_size(len).with_prio(prio));
        st.compr_data_size.add(len as u64, Relaxed);
        Stats::inc(&st.pages_stored);
        Ok(())
    }

    /// debugfs `block_state` from slot `*index` on, into `out`: one line
    /// per allocated slot, stopping before a line that does not fit.
    /// `*index` moves past the slots consumed.
    pub(crate) fn block_state(&self, out: &mut [u8], index: &mut usize) -> usize {
        let count = out.len();
        let mut written = 0;
        let mut line = [0u8; 64];
        while *index < self.nr_pages() {
            let Some(g) = self.table.lock(*index) else {
                break;
            };
            let a = g.attr();
            drop(g);
            if a.allocated() {
                let mut w = BufWriter::new(&mut line);
                if post::write_block_state(&mut w, *index, a).is_err() {
                    break;
                }
                let n = w.len();
                // As C: the line must fit with room for snprintf's NUL.
                if count - written <= n {
                    break;
                }
                out[written..written + n].copy_from_slice(&line[..n]);
                written += n;
            }
            *index += 1;
        }
        written
    }
}
