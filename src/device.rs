// SPDX-License-Identifier: GPL-2.0

//! One zram device: its lifecycle (disksize, reset, removal), its sysfs
//! attributes and the entry points of its I/O.
//!
//! Locks, outermost first: the module gate (SRCU, never blocks), `cfg`
//! (like the C driver's `dev_lock`), the disk's `open_mutex` (inside the
//! claim helpers), then in the I/O path a slot lock and a stream mutex. The
//! I/O path takes neither `cfg` nor the gate: bios read the storage under
//! the queue usage counter the block layer holds for them, swap's free
//! notification as a holder of the open disk, everything else under SRCU
//! (`SrcuBox`); `reset` claims the disk (no opener), swaps the storage
//! with the queue frozen and waits for SRCU readers before freeing it.
//! Every `claim`/`unclaim` happens under `cfg`, which also serialises the
//! storage's writers (`SrcuBox::replace` relies on both).

use crate::backing::Backing;
use crate::comp::BACKENDS;
use crate::ffi::cpuhp::MultiState;
use crate::ffi::debugfs::DebugDir;
use crate::ffi::disk::{Disk, Major, Opened, Segment};
use crate::ffi::srcubox::SrcuBox;
use crate::gate::{errno, Gate};
use crate::logic::algo::{self, NR_COMPS};
use crate::logic::lifecycle::{DevEvent, DevState};
use crate::logic::parse::{self, ParseError, PAGE_SHIFT};
use crate::logic::post;
use crate::logic::stats::{self, BufWriter, MmStat};
use crate::postproc::WbConfig;
use crate::store::{Meta, MetaConfig, MetaError, Stats};
use core::fmt::Write;
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::atomic::Relaxed;
use kernel::sync::{Arc, Mutex};

/// Settings and state, under the device lock.
struct Config {
    state: DevState,
    /// Algorithm names by priority: the primary, then recompression ones.
    algos: [Option<&'static str>; NR_COMPS],
    disksize: u64,
    backing: Option<Arc<Backing>>,
    compressed_wb: bool,
    wb: WbConfig,
    /// The debugfs directory; taken out (under the lock) and dropped
    /// (without it) on removal, since dropping waits for its readers.
    debug: Option<DebugDir>,
}

impl Config {
    fn algo(&self) -> &'static str {
        self.algos[0].unwrap_or(BACKENDS.default_algo())
    }

    /// Back to the default algorithm and no recompression ones, as the C
    /// driver's reset leaves a device.
    fn reset_algos(&mut self) {
        self.algos = [Some(BACKENDS.default_algo()), None, None, None];
    }
}

/// A zram device.
#[pin_data]
pub(crate) struct Device {
    /// First field: dropped first, so the disk is gone before the rest.
    disk: Disk<Device>,
    id: i32,
    gate: Arc<Gate>,
    ms: Arc<MultiState>,
    #[pin]
    meta: SrcuBox<Meta>,
    stats: Stats,
    #[pin]
    cfg: Mutex<Config>,
}

pub(crate) fn parse_err(e: ParseError) -> Error {
    match e {
        ParseError::Invalid => EINVAL,
        ParseError::Range => ERANGE,
    }
}

impl Device {
    /// Create `zram<id>` and add its disk (capacity 0, attributes included).
    pub(crate) fn create(
        id: i32,
        major: &Major,
        gate: &Arc<Gate>,
        ms: &Arc<MultiState>,
    ) -> Result<Arc<Self>> {
        let name = CString::try_from_fmt(fmt!("zram{}", id))?;
        let disk = Disk::alloc(major, id)?;
        let disk_id = disk.id();
        let dev = Arc::pin_init(
            try_pin_init!(Device {
                disk,
                id,
                gate: gate.clone(),
                ms: ms.clone(),
                meta <- SrcuBox::new(c"zram_rs_meta", kernel::static_lock_class!(), disk_id),
                stats: Stats::new(),
                cfg <- new_mutex!(Config {
                    state: DevState::Uninit,
                    algos: [Some(BACKENDS.default_algo()), None, None, None],
                    disksize: 0,
                    backing: None,
                    compressed_wb: false,
                    wb: WbConfig {
                        limit_enable: false,
                        limit: 0,
                        batch_size: 32,
                    },
                    debug: None,
                }),
            }),
            GFP_KERNEL,
        )?;
        dev.disk.add(dev.clone())?;
        dev.cfg.lock().debug = Some(DebugDir::new(&name, &dev));
        pr_info!("Added device: zram{}\n", id);
        Ok(dev)
    }

    /// The device id (`N` of `zramN`).
    pub(crate) fn id(&self) -> i32 {
        self.id
    }

    // ---- block device callbacks ----

    /// `open`: refused while the device is claimed for reset or removal.
    pub(crate) fn open(&self) -> Result {
        let _pass = self.gate.enter()?;
        if self.disk.claimed_in_open() {
            return Err(EBUSY);
        }
        Ok(())
    }

    /// Read or write one segment of a bio at `sector`. The storage stays
    /// valid without a read section: `reset` replaces it with the queue
    /// frozen (`SrcuBox`). `now` is the access time its page records
    /// (seconds since boot), read once per bio: the C driver reads the
    /// clock for every page, and a bio takes well under a second. With no
    /// storage the bio fails with an I/O error, counted by the block layer
    /// but not in `failed_reads`/`failed_writes`; it cannot normally come,
    /// since an uninitialised disk has no capacity and `reset` freezes the
    /// queue.
    #[inline(always)]
    pub(crate) fn segment(&self, seg: Segment<'_>, write: bool, sector: u64, now: u32) -> Result {
        let (m, buf) = seg.with(&self.meta).ok_or(EIO)?;
        m.rw(&self.stats, write, buf, sector, now)
    }

    /// Discard or write-zeroes.
    pub(crate) fn discard(&self, sector: u64, bytes: u32) -> Result {
        let meta = self.meta.read();
        match meta.get() {
            Some(m) => {
                m.discard(&self.stats, sector, bytes);
                Ok(())
            }
            None => Err(EIO),
        }
    }

    /// Swap freed slot `index` (atomic context).
    pub(crate) fn slot_free_notify(&self, opened: Opened<'_>, index: usize) {
        self.stats.notify_free.add(1, Relaxed);
        if let Some(m) = opened.with(&self.meta) {
            m.free_slot_atomic(&self.stats, index);
        }
    }

    // ---- lifecycle ----

    fn init(&self, size: u64) -> Result {
        let mut cfg = self.cfg.lock();
        cfg.state = cfg.state.on(DevEvent::SetSize).map_err(|e| {
            if cfg.state.is_ready() {
                pr_info!("Cannot change disksize for initialized device\n");
            }
            errno(e)
        })?;
        let pages = parse::disksize_aligned(size)
            .ok_or(EINVAL)
            .and_then(|s| usize::try_from(s >> PAGE_SHIFT).map_err(|_| EINVAL));
        let mut comp_failed = false;
        let made = pages.and_then(|pages| {
            let name = CString::try_from_fmt(fmt!("zram{}", self.id))?;
            let mc = MetaConfig {
                algos: &cfg.algos,
                backing: cfg.backing.clone(),
                compressed_wb: cfg.compressed_wb,
            };
            let meta = Meta::new(pages, &name, mc, &self.ms).map_err(|e| match e {
                MetaError::Alloc(e) => e,
                MetaError::Comp(e) => {
                    comp_failed = true;
                    e
                }
            })?;
            let meta = KBox::new(meta, GFP_KERNEL)?;
            // Uninitialised: there is nothing to replace.
            if let Some(old) = self.meta.replace(&self.disk, Some(meta))? {
                old.free_all(&self.stats);
            }
            Ok(())
        });
        match made {
            Ok(()) => {
                let size = parse::page_align(size);
                cfg.disksize = size;
                cfg.state = cfg.state.on(DevEvent::InitOk).map_err(errno)?;
                self.disk.set_capacity_sectors(size >> 9);
                Ok(())
            }
            Err(e) => {
                // As C: a compressor that cannot be made costs the
                // secondary algorithms; the primary stays, and nothing is
                // forgotten when the storage itself cannot be allocated.
                if comp_failed {
                    cfg.algos[1..].fill(None);
                }
                cfg.state = cfg.state.on(DevEvent::InitFailed).map_err(errno)?;
                Err(e)
            }
        }
    }

    /// Free the storage and return to uninitialised; `cfg` is held and the
    /// disk is claimed (no opener, so no I/O), or it is being removed.
    fn free_storage(&self, cfg: &mut Config) {
        self.disk.clear();
        match self.meta.replace(&self.disk, None) {
            Ok(Some(meta)) => {
                meta.free_all(&self.stats);
                // Dropping it removes the compressor's hotplug instance.
                drop(meta);
            }
            Ok(None) => {}
            // Only for a box made for another disk (EINVAL) or a disk that
            // is not claimed (EBUSY): callers claim it first, so never. The
            // storage then stays installed and `disksize` refuses (EBUSY).
            Err(e) => pr_err!(
                "zram{}: storage not freed: {:?}
",
                self.id,
                e
            ),
        }
        cfg.disksize = 0;
        cfg.reset_algos();
        // The backing device is closed with the last reference: ours now
        // that the storage (which held the other) is gone.
        cfg.backing = None;
        self.stats.reset();
    }

    fn reset(&self) -> Result {
        let mut cfg = self.cfg.lock();
        // Fails with EBUSY while open or claimed: from here on nobody can
        // open the device.
        self.disk.claim()?;
        let next = match cfg.state.on(DevEvent::Reset { open: false }) {
            Ok(s) => s,
            Err(e) => {
                self.disk.unclaim();
                return Err(errno(e));
            }
        };
        cfg.state = next;
        self.disk.sync();
        self.free_storage(&mut cfg);
        if cfg.state == DevState::Resetting {
            cfg.state = cfg.state.on(DevEvent::ResetDone).map_err(errno)?;
        }
        self.disk.unclaim();
        Ok(())
    }

    /// First half of removal: claim the device (EBUSY if open or claimed)
    /// and move it to `Removing`, so no store can initialise it again.
    pub(crate) fn begin_remove(&self) -> Result {
        let mut cfg = self.cfg.lock();
        if cfg.state == DevState::Removing {
            return Err(ENODEV);
        }
        self.disk.claim()?;
        match cfg.state.on(DevEvent::Remove { open: false }) {
            Ok(s) => {
                cfg.state = s;
                Ok(())
            }
            Err(e) => {
                self.disk.unclaim();
                Err(errno(e))
            }
        }
    }

    /// Second half: free everything and delete the disk. No lock is held
    /// across `del_gendisk()`, which waits for running sysfs handlers.
    pub(crate) fn finish_remove(&self) {
        self.disk.sync();
        let debug = {
            let mut cfg = self.cfg.lock();
            self.free_storage(&mut cfg);
            cfg.debug.take()
        };
        // Waits for block_state readers; none of them can hold `cfg`.
        drop(debug);
        pr_info!("Removed device: zram{}\n", self.id);
        self.disk.del();
    }

    // ---- sysfs ----

    /// Set the algorithm of priority `prio` (`comp_algorithm`,
    /// `recomp_algorithm`): only while uninitialised, and only one that
    /// the crypto API provides.
    fn set_algo(&self, prio: usize, input: &[u8]) -> Result {
        let name = algo::lookup(input).map_err(|e| match e {
            algo::NameError::TooLong => E2BIG,
            algo::NameError::Unknown => EINVAL,
        })?;
        let mut cfg = self.cfg.lock();
        if cfg.state != DevState::Uninit {
            pr_info!("Can't change algorithm for initialized device\n");
            return Err(EBUSY);
        }
        // Ask the crypto API now (this may load the module), with no
        // hotplug lock held: an algorithm it lacks is -EINVAL.
        let cname = CString::try_from_fmt(fmt!("{name}"))?;
        if !crate::ffi::acomp::available(&cname) {
            return Err(EINVAL);
        }
        *cfg.algos.get_mut(prio).ok_or(EINVAL)? = Some(name);
        Ok(())
    }

    /// debugfs `block_state`: slots from `*index` on into `out`.
    pub(crate) fn block_state(&self, out: &mut [u8], index: &mut usize) -> Result<usize> {
        let _pass = self.gate.enter()?;
        let meta = self.meta.read();
        let m = meta.get().ok_or(EINVAL)?;
        Ok(m.block_state(out, index))
    }

    /// `show` of attribute `name`.
    pub(crate) fn attr_show(&self, name: &[u8], w: &mut BufWriter<'_>) -> Result {
        let _pass = self.gate.enter()?;
        let fmt_err = |_| EINVAL;
        match name {
            b"disksize" => writeln!(w, "{}", self.cfg.lock().disksize).map_err(fmt_err),
            b"initstate" => {
                writeln!(w, "{}", u32::from(self.cfg.lock().state.is_ready())).map_err(fmt_err)
            }
            b"comp_algorithm" => {
                algo::write_available(w, &BACKENDS, self.cfg.lock().algo()).map_err(fmt_err)
            }
            b"recomp_algorithm" => {
                let cfg = self.cfg.lock();
                for (prio, a) in cfg.algos.iter().enumerate().skip(1) {
                    if let Some(a) = a {
                        write!(w, "#{prio}: ").map_err(fmt_err)?;
                        algo::write_available(w, &BACKENDS, a).map_err(fmt_err)?;
                    }
                }
                Ok(())
            }
            b"backing_dev" => {
                let cfg = self.cfg.lock();
                match &cfg.backing {
                    None => w.write_str("none\n").map_err(fmt_err),
                    Some(b) => {
                        let mut path =
                            KVec::from_elem(0u8, parse::PAGE_SIZE as usize - 1, GFP_KERNEL)?;
                        let n = b.file().path(&mut path)?;
                        let p = path.get(..n).ok_or(EINVAL)?;
                        w.write_bytes(p);
                        w.write_str("\n").map_err(fmt_err)
                    }
                }
            }
            b"bd_stat" => {
                let _cfg = self.cfg.lock();
                let st = &self.stats;
                stats::write_bd_stat(
                    w,
                    st.bd_count.load(Relaxed),
                    st.bd_reads.load(Relaxed),
                    st.bd_writes.load(Relaxed),
                )
                .map_err(fmt_err)
            }
            b"writeback_limit" => writeln!(w, "{}", self.cfg.lock().wb.limit).map_err(fmt_err),
            b"writeback_limit_enable" => {
                writeln!(w, "{}", u8::from(self.cfg.lock().wb.limit_enable)).map_err(fmt_err)
            }
            b"writeback_batch_size" => {
                writeln!(w, "{}", self.cfg.lock().wb.batch_size).map_err(fmt_err)
            }
            b"compressed_writeback" => {
                writeln!(w, "{}", u8::from(self.cfg.lock().compressed_wb)).map_err(fmt_err)
            }
            b"mm_stat" => {
                let _cfg = self.cfg.lock();
                let st = &self.stats;
                let mut s = MmStat {
                    pages_stored: st.pages_stored.load(Relaxed),
                    compr_data_size: st.compr_data_size.load(Relaxed),
                    limit_pages: st.limit_pages.load(Relaxed),
                    max_used_pages: st.max_used_pages.load(Relaxed),
                    same_pages: st.same_pages.load(Relaxed),
                    huge_pages: st.huge_pages.load(Relaxed),
                    huge_pages_since: st.huge_pages_since.load(Relaxed),
                    ..MmStat::default()
                };
                if let Some(m) = self.meta.read().get() {
                    m.pool_stats(&mut s);
                }
                stats::write_mm_stat(w, &s).map_err(fmt_err)
            }
            b"io_stat" => {
                let _cfg = self.cfg.lock();
                let st = &self.stats;
                stats::write_io_stat(
                    w,
                    st.failed_reads.load(Relaxed),
                    st.failed_writes.load(Relaxed),
                    st.notify_free.load(Relaxed),
                )
                .map_err(fmt_err)
            }
            b"debug_stat" => {
                let _cfg = self.cfg.lock();
                stats::write_debug_stat(w, self.stats.miss_free.load(Relaxed)).map_err(fmt_err)
            }
            _ => Err(EIO),
        }
    }

    /// `store` of attribute `name`; `input` stops at the first NUL, as C
    /// string functions see it.
    pub(crate) fn attr_store(&self, name: &[u8], input: &[u8]) -> Result {
        let _pass = self.gate.enter()?;
        match name {
            b"disksize" => {
                let size = parse::disksize(input).ok_or(EINVAL)?;
                self.init(size)
            }
            b"reset" => {
                let v = parse::kstrtoull(input, 10).map_err(parse_err)?;
                if v > u64::from(u16::MAX) {
                    return Err(ERANGE);
                }
                if v == 0 {
                    return Err(EINVAL);
                }
                self.reset()
            }
            b"comp_algorithm" => self.set_algo(0, input),
            b"recomp_algorithm" => {
                let (name, prio) =
                    post::parse_recomp_algorithm(input, algo::MAX_COMPS).map_err(parse_err)?;
                self.set_algo(prio as usize, name)
            }
            b"algorithm_params" => {
                let p = algo::parse_params(input).map_err(parse_err)?;
                let cfg = self.cfg.lock();
                if cfg.state != DevState::Uninit {
                    return Err(EBUSY);
                }
                let named = |prio: usize, a: &[u8]| {
                    cfg.algos
                        .get(prio)
                        .copied()
                        .flatten()
                        .is_some_and(|n| n.as_bytes() == a)
                };
                if let Some(prio) = p.priority {
                    if !(0..algo::MAX_COMPS).contains(&prio) {
                        return Err(EINVAL);
                    }
                }
                match (p.algo, p.priority) {
                    (Some(a), Some(prio)) if !named(prio as usize, a) => return Err(EINVAL),
                    (Some(a), None) if !(0..NR_COMPS).any(|prio| named(prio, a)) => {
                        return Err(EINVAL)
                    }
                    _ => {}
                }
                // The 7.3 crypto acomp API has no per-transform level,
                // dictionary or window size: refuse rather than ignore.
                if p.tunes() {
                    return Err(EOPNOTSUPP);
                }
                Ok(())
            }
            b"idle" => {
                let now = u64::from(crate::ffi::boottime_seconds());
                let cutoff = post::parse_idle(input, now).map_err(parse_err)?;
                // No slot can be older than the system: nothing to do, even
                // on an uninitialised device (as in C).
                if cutoff == post::Idle::Nothing {
                    return Ok(());
                }
                let _cfg = self.cfg.lock();
                let meta = self.meta.read();
                meta.get().ok_or(EINVAL)?.mark_idle(cutoff);
                Ok(())
            }
            b"backing_dev" => {
                let mut cfg = self.cfg.lock();
                if cfg.state != DevState::Uninit {
                    pr_info!("Can't setup backing device for initialized device\n");
                    return Err(EBUSY);
                }
                // As C: up to PATH_MAX - 1 bytes, one trailing newline off.
                let path = input.get(..input.len().min(4095)).unwrap_or(input);
                let path = path.strip_suffix(b"\n").unwrap_or(path);
                let mut c = KVec::with_capacity(path.len() + 1, GFP_KERNEL)?;
                c.extend_from_slice(path, GFP_KERNEL)?;
                c.push(0, GFP_KERNEL)?;
                let cpath = CStr::from_bytes_with_nul(&c).map_err(|_| EINVAL)?;
                let b = Backing::open(cpath)?;
                cfg.backing = Some(Arc::new(b, GFP_KERNEL)?);
                pr_info!("setup backing device {}\n", cpath.to_str().unwrap_or("?"));
                Ok(())
            }
            b"writeback" => {
                let mut cfg = self.cfg.lock();
                let meta = self.meta.read();
                let m = meta.get().ok_or(EINVAL)?;
                if m.backing.is_none() {
                    return Err(ENODEV);
                }
                m.writeback(&self.stats, input, &mut cfg.wb)
            }
            b"writeback_limit" => {
                let v = parse::kstrtoull(input, 10).map_err(|_| EINVAL)?;
                self.cfg.lock().wb.limit = v;
                Ok(())
            }
            b"writeback_limit_enable" => {
                let v = parse::kstrtoull(input, 10).map_err(|_| EINVAL)?;
                self.cfg.lock().wb.limit_enable = v != 0;
                Ok(())
            }
            b"writeback_batch_size" => match post::kstrtouint(input, 10) {
                Ok(0) | Err(_) => Err(EINVAL),
                Ok(v) => {
                    self.cfg.lock().wb.batch_size = v;
                    Ok(())
                }
            },
            b"compressed_writeback" => {
                let v = parse::kstrtobool(input).map_err(|_| EINVAL)?;
                let mut cfg = self.cfg.lock();
                if cfg.state != DevState::Uninit {
                    return Err(EBUSY);
                }
                cfg.compressed_wb = v;
                Ok(())
            }
            b"recompress" => {
                let req = post::parse_recompress(input).map_err(parse_err)?;
                let cfg = self.cfg.lock();
                let meta = self.meta.read();
                let m = meta.get().ok_or(EINVAL)?;
                if req.threshold as usize >= m.huge_class_size {
                    return Err(EINVAL);
                }
                let mut prio = 1;
                if let Some(p) = req.priority {
                    if !(1..algo::MAX_COMPS).contains(&p) {
                        return Err(EINVAL);
                    }
                    prio = p as usize;
                }
                if let Some(a) = req.algo {
                    let named = |p: usize| {
                        cfg.algos
                            .get(p)
                            .copied()
                            .flatten()
                            .is_some_and(|n| n.as_bytes() == a)
                    };
                    match req.priority {
                        Some(_) if !named(prio) => return Err(EINVAL),
                        Some(_) => {}
                        None => prio = (1..NR_COMPS).find(|&p| named(p)).ok_or(EINVAL)?,
                    }
                }
                if !matches!(m.comps.get(prio), Some(Some(_))) {
                    return Err(EINVAL);
                }
                m.recompress(&self.stats, &req, prio as u32)
            }
            b"mem_limit" => {
                let (limit, used) = parse::memparse(input);
                if used == 0 {
                    return Err(EINVAL);
                }
                let _cfg = self.cfg.lock();
                self.stats
                    .limit_pages
                    .store(parse::page_align(limit) >> PAGE_SHIFT, Relaxed);
                Ok(())
            }
            b"mem_used_max" => {
                match parse::kstrtoull(input, 10) {
                    Ok(0) => {}
                    _ => return Err(EINVAL),
                }
                let _cfg = self.cfg.lock();
                if let Some(m) = self.meta.read().get() {
                    self.stats.max_used_pages.store(m.pool_pages(), Relaxed);
                }
                Ok(())
            }
            b"compact" => {
                let _cfg = self.cfg.lock();
                match self.meta.read().get() {
                    Some(m) => {
                        m.compact();
                        Ok(())
                    }
                    None => Err(EINVAL),
                }
            }
            _ => Err(EIO),
        }
    }
}
