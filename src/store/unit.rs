// SPDX-License-Identifier: GPL-2.0

//! Units (`unit_size`, ours): an aligned multi-page write, such as a large
//! folio going to swap, compressed as one object and stored as page-sized
//! chunks in its members' slots (`logic::unit`, `logic::slot`).
//!
//! A unit is all or nothing for writes and per page for everything else:
//!
//! * its group of slots shares one lock (`SlotTable`), so a unit and its
//!   members always change together;
//! * each member keeps its own live flag, access time and idle mark. A
//!   freed page (swap frees slots one at a time) only clears its flag; the
//!   chunks go with the last live member;
//! * reading one page decompresses the whole unit into the stream's unit
//!   buffer; reading the whole unit decompresses it straight into the bio;
//! * anything that needs a page of its own (a rewrite of one page,
//!   writeback, recompression) first splits the unit: its live pages are
//!   compressed and stored one by one, and only then are the chunks freed,
//!   so a split that fails for memory leaves the unit as it was.

use super::{At, Encoded, Meta, Stats, PAGE, SECTORS_PER_PAGE_SHIFT};
use crate::comp::Stream;
use crate::ffi::slots::SlotGuard;
use crate::ffi::zspool::Handle;
use crate::logic::slot::{self, Attr, IDLE, PP_SLOT, ULIVE, UNIT};
use crate::logic::unit::{self, MAX_UNIT_PAGES};
use core::ops::Range;
use kernel::prelude::*;
use kernel::sync::atomic::Relaxed;

impl Meta {
    /// Pages per unit; 1 with units off.
    #[inline(always)]
    pub(crate) fn unit_pages(&self) -> usize {
        1 << self.table.order()
    }

    /// The whole units at the start of the multi-page bio segment `buf` at
    /// `sector`: written, or read if each is stored as a whole live unit.
    /// The bytes done (0 when the segment does not start with one; the
    /// caller goes on page by page); `EOPNOTSUPP` with units off.
    pub(crate) fn rw_units(
        &self,
        st: &Stats,
        write: bool,
        buf: &mut [u8],
        sector: u64,
        at: At,
    ) -> Result<usize> {
        let pages = self.unit_pages();
        if pages == 1 {
            return Err(EOPNOTSUPP);
        }
        let bytes = pages * PAGE;
        let sectors = (bytes >> 9) as u64;
        let Ok(mut index) = usize::try_from(sector >> SECTORS_PER_PAGE_SHIFT) else {
            return Ok(0);
        };
        if sector % sectors != 0 {
            return Ok(0);
        }
        let mut done = 0;
        while let Some(data) = buf.get_mut(done..done + bytes) {
            if index + pages > self.nr_pages() {
                break;
            }
            let r = if write {
                self.write_unit(st, index, data, at).map(|()| true)
            } else {
                self.read_unit(index, data, at.now)
            };
            match r {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    Stats::inc(if write {
                        &st.failed_writes
                    } else {
                        &st.failed_reads
                    });
                    return Err(e);
                }
            }
            done += bytes;
            index += pages;
        }
        Ok(done)
    }

    /// Store `data`, a whole unit, at slot `head`: as a unit if it
    /// compresses well enough and its chunks can be allocated; otherwise
    /// (or if every page is one repeated word) page by page.
    fn write_unit(&self, st: &Stats, head: usize, data: &[u8], at: At) -> Result {
        let pages = self.unit_pages();
        if pages > MAX_UNIT_PAGES || data.len() != pages * PAGE {
            return Err(EIO);
        }
        if data.chunks(PAGE).all(|p| slot::same_filled(p).is_some()) {
            return self.write_pages(st, head, data, at);
        }
        let mut handles = [0u64; MAX_UNIT_PAGES];
        let len = {
            let mut s = self.comp(0)?.stream()?;
            let len = s.compress_unit(data).unwrap_or(0);
            if !unit::keep_unit(len, pages, self.huge_class_size) {
                drop(s);
                Stats::inc(&st.unit_fallbacks);
                return self.write_pages(st, head, data, at);
            }
            for (k, h) in handles.iter_mut().enumerate().take(len.div_ceil(PAGE)) {
                let start = k * PAGE;
                let chunk = s.buf.get(start..start + unit::chunk_len(len, k));
                match chunk.map(|c| self.store(st, c, at.nid)) {
                    Some(Ok(new)) => *h = new.raw(),
                    _ => {
                        // All or nothing: over the limit or out of memory,
                        // the pages may still fit one by one.
                        self.free_handles(&handles);
                        drop(s);
                        Stats::inc(&st.unit_fallbacks);
                        return self.write_pages(st, head, data, at);
                    }
                }
            }
            len
        };
        let Some(mut g) = self.table.lock(head) else {
            self.free_handles(&handles);
            return Err(EIO);
        };
        self.drop_group(st, &mut g);
        for (k, j) in g.group().enumerate() {
            g.focus(j);
            let clen = unit::chunk_len(len, k);
            g.set_handle(handles.get(k).copied().unwrap_or(0));
            g.set_attr(
                Attr(0)
                    .accessed(at.now)
                    .with(UNIT, true)
                    .with(ULIVE, true)
                    .with_size(clen),
            );
            st.compr_data_size.add(clen as u64, Relaxed);
            Stats::inc(&st.pages_stored);
        }
        Stats::inc(&st.units);
        Stats::inc(&st.unit_writes);
        Ok(())
    }

    /// Store the unit `data` at slot `head` page by page.
    /// As a run of page writes: the pages before the first that cannot
    /// be stored (no memory, `mem_limit`) are new, the rest keep their
    /// old data, whatever the group held (the pages are all stored before
    /// anything is replaced). A unit there is not split only to have its
    /// pages overwritten: the pages written are left out of the split.
    fn write_pages(&self, st: &Stats, head: usize, data: &[u8], at: At) -> Result {
        let mut enc: [Option<Encoded>; MAX_UNIT_PAGES] = Default::default();
        let mut failed = Ok(());
        {
            let mut s = self.comp(0)?.stream()?;
            for (e, page) in enc.iter_mut().zip(data.chunks(PAGE)) {
                match self.encode_page(st, &mut s, Some(page), at.nid) {
                    Ok(m) => *e = Some(m),
                    Err(err) => {
                        failed = Err(err);
                        break;
                    }
                }
            }
        }
        let written = enc
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_some())
            .fold(0u32, |m, (k, _)| m | 1 << k);
        if written == 0 {
            // Not even the first page: everything keeps its old data.
            return failed;
        }
        let forget = |enc: [Option<Encoded>; MAX_UNIT_PAGES]| {
            enc.into_iter().flatten().for_each(|e| self.forget(e));
        };
        let Some(mut g) = self.table.lock(head) else {
            forget(enc);
            return Err(EIO);
        };
        if let Err(err) = self.split(st, &mut g, written) {
            forget(enc);
            return Err(err);
        }
        for (j, e) in g.group().zip(enc) {
            if let Some(e) = e {
                g.focus(j);
                self.commit(st, &mut g, e, at.now);
            }
        }
        failed
    }

    /// Read the unit at slot `head` into `out`, if it is stored whole and
    /// all its pages are live: false (nothing read) if not.
    fn read_unit(&self, head: usize, out: &mut [u8], now: u32) -> Result<bool> {
        let mut g = self.table.lock(head).ok_or(EIO)?;
        let group = g.group();
        let whole = group.clone().all(|j| {
            g.member(j)
                .is_some_and(|(_, a)| a.test(UNIT) && a.test(ULIVE))
        });
        if !whole || out.len() != group.len() * PAGE {
            return Ok(false);
        }
        let mut s = self.comp(0)?.stream()?;
        self.decode_unit(&g, &mut s, Some(out))?;
        drop(s);
        for j in group {
            g.focus(j);
            let a = g.attr();
            g.set_attr(a.accessed(now));
        }
        Ok(true)
    }

    /// Gather the chunks of the locked unit `g` in the stream and
    /// decompress them into `out`, or into the stream's unit buffer.
    fn decode_unit(&self, g: &SlotGuard<'_>, s: &mut Stream, out: Option<&mut [u8]>) -> Result {
        let (codec, buf, local, ubuf) = s.unit_parts();
        let mut len = 0;
        for j in g.group() {
            let (h, a) = g.member(j).ok_or(EIO)?;
            let Some(h) = Handle::from_raw(h) else {
                // The chunks fill the first members.
                break;
            };
            let size = a.size();
            let dst = buf.get_mut(len..len + size).ok_or(EIO)?;
            let local = (size < PAGE).then_some(&mut *local);
            if !self.pool.read(h, size, local, |src| slot::copy(dst, src))? {
                return Err(EIO);
            }
            len += size;
        }
        let src = buf.get(..len).ok_or(EIO)?;
        codec.decompress_into(src, out.unwrap_or(ubuf))
    }

    /// `range` of the page of the locked unit member `g` into `buf`:
    /// zeroes if its page was freed, else from the whole unit,
    /// decompressed with the stream `s`.
    pub(super) fn read_member(
        &self,
        g: &SlotGuard<'_>,
        s: &mut Stream,
        buf: &mut [u8],
        range: Range<usize>,
    ) -> Result {
        if !g.attr().test(ULIVE) {
            slot::fill(buf, 0);
            return Ok(());
        }
        self.decode_unit(g, s, None)?;
        let base = (g.index() - g.group().start) * PAGE;
        let part = s
            .unit
            .get(base + range.start..base + range.end)
            .ok_or(EIO)?;
        if slot::copy(buf, part) {
            Ok(())
        } else {
            Err(EIO)
        }
    }

    /// Free the chunk the locked member `g` holds and uncount its page if
    /// live; the attribute word it is to have now.
    pub(super) fn release_member(&self, st: &Stats, g: &SlotGuard<'_>) -> Attr {
        let a = g.attr();
        if let Some(h) = Handle::from_raw(g.handle()) {
            self.pool.free(h);
            st.compr_data_size.fetch_sub(a.size() as u64, Relaxed);
        }
        if a.test(ULIVE) {
            Stats::dec(&st.pages_stored);
        }
        a.freed()
    }

    /// Free everything the locked group `g` holds: a unit, or its pages.
    /// The guard is left on the slot it was on.
    fn drop_group(&self, st: &Stats, g: &mut SlotGuard<'_>) {
        let at = g.index();
        let mut was_unit = false;
        for j in g.group() {
            g.focus(j);
            was_unit |= g.attr().test(UNIT);
            let a = self.release(st, g);
            g.set_handle(0);
            g.set_attr(a);
        }
        g.focus(at);
        if was_unit {
            Stats::dec(&st.units);
        }
    }

    /// The locked member `g`'s page is freed; with the unit's last, the
    /// unit goes too.
    pub(super) fn kill_member(&self, st: &Stats, g: &mut SlotGuard<'_>) {
        let a = g.attr();
        if a.test(ULIVE) {
            g.set_attr(a.with(ULIVE, false).with(IDLE, false).with(PP_SLOT, false));
            Stats::dec(&st.pages_stored);
        }
        let live = g
            .group()
            .any(|j| g.member(j).is_some_and(|(_, m)| m.test(ULIVE)));
        if !live {
            self.drop_group(st, g);
        }
    }

    /// Free objects made for slots that will not get them.
    fn free_handles(&self, handles: &[u64]) {
        for h in handles.iter().filter_map(|&h| Handle::from_raw(h)) {
            self.pool.free(h);
        }
    }

    /// Free what a write made, when it cannot be committed.
    pub(super) fn forget(&self, e: Encoded) {
        if let Encoded::Obj(h, _, _) = e {
            self.pool.free(h);
        }
    }

    /// If the locked group `g` holds a unit, store its live pages (but
    /// those in `except`, a mask of members the caller is about to
    /// rewrite) one by one, each keeping its access time, idle mark and
    /// post-processing selection, and free the unit. On error the unit is
    /// left whole.
    pub(super) fn split(&self, st: &Stats, g: &mut SlotGuard<'_>, except: u32) -> Result {
        if !g.attr().test(UNIT) {
            return Ok(());
        }
        let group = g.group();
        let mut kept = [Attr(0); MAX_UNIT_PAGES];
        let mut enc: [Option<Encoded>; MAX_UNIT_PAGES] = Default::default();
        let made = (|| -> Result {
            let mut s = self.comp(0)?.stream()?;
            self.decode_unit(g, &mut s, None)?;
            for (k, j) in group.clone().enumerate() {
                let a = g.member(j).ok_or(EIO)?.1;
                *kept.get_mut(k).ok_or(EIO)? = a;
                if !a.test(ULIVE) || except & (1 << k) != 0 {
                    continue;
                }
                let s = &mut *s;
                let page = s.unit.get(k * PAGE..(k + 1) * PAGE).ok_or(EIO)?;
                if !slot::copy(&mut s.scratch, page) {
                    return Err(EIO);
                }
                let e = self.encode_page(st, s, None, crate::ffi::this_node())?;
                *enc.get_mut(k).ok_or(EIO)? = Some(e);
            }
            Ok(())
        })();
        if let Err(e) = made {
            enc.into_iter().flatten().for_each(|e| self.forget(e));
            return Err(e);
        }
        let at = g.index();
        self.drop_group(st, g);
        for ((j, e), a) in group.zip(enc).zip(kept) {
            let Some(e) = e else {
                continue;
            };
            g.focus(j);
            self.commit(st, g, e, a.ac_time());
            let now = g.attr();
            g.set_attr(now.with(IDLE, a.test(IDLE)).with(PP_SLOT, a.test(PP_SLOT)));
        }
        g.focus(at);
        Stats::inc(&st.unit_splits);
        Ok(())
    }

    /// How post-processing sees the locked slot `g` (a page of its own for
    /// a member of a unit: `unit::member_view`).
    pub(super) fn pp_view(&self, g: &SlotGuard<'_>) -> Attr {
        let a = g.attr();
        if !a.test(UNIT) {
            return a;
        }
        let len = g
            .group()
            .filter_map(|j| g.member(j))
            .map(|(_, m)| m.size())
            .sum();
        unit::member_view(a, len, g.group().len())
    }
}
