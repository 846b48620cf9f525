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

mod attrs;

use crate::backing::Backing;
use crate::comp::{CompParams, Hotplug, BACKENDS};
use crate::ffi::debugfs::{BlockState, DebugDir, DebugRoot};
use crate::ffi::disk::{Disk, Major, Opened, Segment};
use crate::ffi::entry::DiskOps;
use crate::ffi::kfile::FileData;
use crate::ffi::srcubox::SrcuBox;
use crate::gate::{errno, Gate};
use crate::logic::algo::{self, NR_COMPS};
use crate::logic::lifecycle::{DevEvent, DevState};
use crate::logic::parse::{self, ParseError, PAGE_SHIFT};
use crate::store::{At, Meta, MetaConfig, MetaError, Stats, WbConfig};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::atomic::Relaxed;
use kernel::sync::{Arc, Mutex, MutexGuard};

/// Settings and state, under the device lock.
struct Config {
    state: DevState,
    /// Algorithm names by priority: the primary, then recompression ones.
    algos: [Option<&'static str>; NR_COMPS],
    /// Their `algorithm_params`, by priority.
    params: [CompParams; NR_COMPS],
    disksize: u64,
    backing: Option<Arc<Backing>>,
    compressed_wb: bool,
    /// `unit_size` as an order (pages per unit `1 << unit_order`).
    unit_order: u32,
    wb: WbConfig,
    /// The debugfs directory; taken out (under the lock) and dropped
    /// (without it) on removal, since dropping waits for its readers.
    debug: Option<DebugDir<Device>>,
}

impl Config {
    fn algo(&self) -> &'static str {
        self.algos[0].unwrap_or(BACKENDS.default_algo())
    }

    /// Back to the default algorithm, no recompression ones and no
    /// parameters, as the C driver's reset leaves a device.
    fn reset_algos(&mut self) {
        self.algos = [Some(BACKENDS.default_algo()), None, None, None];
        self.params = Default::default();
    }
}

/// A zram device.
#[pin_data]
pub(crate) struct Device {
    /// First field: dropped first, so the disk is gone before the rest.
    disk: Disk<Device>,
    id: i32,
    gate: Arc<Gate>,
    ms: Arc<Hotplug>,
    #[pin]
    meta: SrcuBox<Meta>,
    stats: Stats,
    #[pin]
    cfg: Mutex<Config>,
}

/// A parse error as the C zram's parsers report it.
impl From<ParseError> for Error {
    fn from(e: ParseError) -> Error {
        match e {
            ParseError::Invalid => EINVAL,
            ParseError::Range => ERANGE,
        }
    }
}

impl Device {
    /// Create `zram<id>` and add its disk (capacity 0, attributes included).
    pub(crate) fn create(
        id: i32,
        major: &Major,
        gate: &Arc<Gate>,
        ms: &Arc<Hotplug>,
        debug: Option<&DebugRoot>,
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
                    params: Default::default(),
                    disksize: 0,
                    backing: None,
                    compressed_wb: false,
                    unit_order: 0,
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
        dev.disk.add(dev.clone(), &attrs::ATTRIBUTES)?;
        // No directory is no error (debugfs's rule): only no block_state.
        // It holds a reference to the device until `finish_remove`.
        dev.cfg.lock().debug = debug.and_then(|r| DebugDir::new(r, &name, dev.clone()).ok());
        pr_info!("Added device: zram{}\n", id);
        Ok(dev)
    }

    /// The device id (`N` of `zramN`).
    pub(crate) fn id(&self) -> i32 {
        self.id
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
                params: &cfg.params,
                backing: cfg.backing.clone(),
                compressed_wb: cfg.compressed_wb,
                unit_order: cfg.unit_order,
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
                // As C: a compressor that cannot be made (bad parameters,
                // no memory) costs every algorithm and parameter, back to
                // the default; nothing is forgotten when the storage itself
                // cannot be allocated.
                if comp_failed {
                    cfg.reset_algos();
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

    /// Store `algorithm_params` for priority `prio` (already checked), as
    /// C's `comp_params_store`: the old parameters go first, then a
    /// dictionary is read (an error leaves none), then the rest is kept
    /// for `disksize` to check.
    fn set_params(
        &self,
        mut cfg: MutexGuard<'_, Config>,
        prio: usize,
        p: &algo::Params<'_>,
    ) -> Result {
        let slot = cfg.params.get_mut(prio).ok_or(EINVAL)?;
        *slot = CompParams::default();
        if let Some(path) = p.dict {
            let mut c = KVec::with_capacity(path.len() + 1, GFP_KERNEL)?;
            c.extend_from_slice(path, GFP_KERNEL)?;
            c.push(0, GFP_KERNEL)?;
            let cpath = CStr::from_bytes_with_nul(&c).map_err(|_| EINVAL)?;
            let data = FileData::read(cpath).inspect_err(|e| {
                pr_err!(
                    "failed to load dictionary {} (err={})\n",
                    cpath.to_str().unwrap_or("?"),
                    e.to_errno()
                )
            })?;
            slot.dict = Some(Arc::new(data, GFP_KERNEL)?);
        }
        slot.level = p.level;
        slot.winbits = p.winbits;
        Ok(())
    }

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
        // A new algorithm starts without parameters, as in C.
        *cfg.params.get_mut(prio).ok_or(EINVAL)? = CompParams::default();
        Ok(())
    }
}

/// debugfs `block_state`.
impl BlockState for Device {
    /// debugfs `block_state`: slots from `*index` on into `out`.
    fn block_state(&self, out: &mut [u8], index: &mut usize) -> Result<usize> {
        let _pass = self.gate.enter()?;
        let meta = self.meta.read();
        let m = meta.get().ok_or(EINVAL)?;
        Ok(m.block_state(out, index))
    }
}

/// The disk's callbacks.
impl DiskOps for Device {
    /// `open`: refused while the device is claimed for reset or removal.
    fn open(&self) -> Result {
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
    fn segment(&self, seg: Segment<'_>, write: bool, sector: u64, now: u32) -> Result {
        let nid = seg.node();
        let (m, buf, chain) = self.meta.for_segment(seg).ok_or(EIO)?;
        m.rw(&self.stats, write, buf, sector, At { now, nid }, chain)
    }

    /// Whole units of a multi-page segment.
    fn units(&self, seg: Segment<'_>, write: bool, sector: u64, now: u32) -> Result<usize> {
        let nid = seg.node();
        // Uninitialised: page by page, which fails the bio as it should.
        let Some((m, buf, _)) = self.meta.for_segment(seg) else {
            return Ok(0);
        };
        m.rw_units(&self.stats, write, buf, sector, At { now, nid })
    }

    /// Discard or write-zeroes.
    fn discard(&self, sector: u64, bytes: u32) -> Result {
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
    fn slot_free_notify(&self, opened: Opened<'_>, index: usize) {
        self.stats.notify_free.add(1, Relaxed);
        if let Some(m) = self.meta.for_opener(&opened) {
            m.free_slot_atomic(&self.stats, index);
        }
    }
}
