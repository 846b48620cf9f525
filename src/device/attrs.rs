// SPDX-License-Identifier: GPL-2.0

//! The sysfs attributes of a device (`/sys/block/zramN/`): one type per
//! file, in the C zram's order and modes. Every handler passes the module
//! gate first, and returns the errno the C zram returns.

use super::{DevState, Device};
use crate::backing::Backing;
use crate::comp::BACKENDS;
use crate::ffi::sysfs::{disk_attributes, AttributeOps, Page};
use crate::logic::algo::{self, NR_COMPS};
use crate::logic::parse::{self, PAGE_SHIFT};
use crate::logic::post;
use crate::logic::stats::{self, BufWriter};
use crate::logic::unit;
use core::fmt::Write;
use kernel::prelude::*;
use kernel::sync::atomic::Relaxed;
use kernel::sync::Arc;

disk_attributes!(
    pub(crate) static ATTRIBUTES: Device = [
        Disksize,
        Initstate,
        Reset,
        Compact,
        MemLimit,
        MemUsedMax,
        Idle,
        CompAlgorithm,
        BdStat,
        BackingDev,
        Writeback,
        WritebackLimit,
        WritebackLimitEnable,
        WritebackBatchSize,
        CompressedWriteback,
        IoStat,
        MmStat,
        DebugStat,
        RecompAlgorithm,
        Recompress,
        AlgorithmParams,
        UnitSize,
        UnitStat,
    ];
);

const RO: u16 = 0o444;
const WO: u16 = 0o200;
const RW: u16 = 0o644;

/// A formatting error: the page is full.
fn fmt_err(_: core::fmt::Error) -> Error {
    EINVAL
}

/// Run `f` over `page` inside the gate; the bytes it wrote.
fn show(
    dev: &Device,
    page: &mut Page,
    f: impl FnOnce(&mut BufWriter<'_>) -> core::result::Result<(), Error>,
) -> Result<usize> {
    let _pass = dev.gate.enter()?;
    let mut w = BufWriter::new(page);
    f(&mut w)?;
    Ok(w.len())
}

/// `disksize`: the size, or a write of one that initialises the device.
struct Disksize;

#[vtable]
impl AttributeOps for Disksize {
    type Owner = Device;
    const NAME: &'static CStr = c"disksize";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            writeln!(w, "{}", dev.cfg.lock().disksize).map_err(fmt_err)
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let size = parse::disksize(input).ok_or(EINVAL)?;
        dev.init(size)
    }
}

/// `initstate`: 1 once initialised.
struct Initstate;

#[vtable]
impl AttributeOps for Initstate {
    type Owner = Device;
    const NAME: &'static CStr = c"initstate";
    const MODE: u16 = RO;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            writeln!(w, "{}", u32::from(dev.cfg.lock().state.is_ready())).map_err(fmt_err)
        })
    }
}

/// `reset`: a positive number resets the device.
struct Reset;

#[vtable]
impl AttributeOps for Reset {
    type Owner = Device;
    const NAME: &'static CStr = c"reset";
    const MODE: u16 = WO;

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let v = parse::kstrtoull(input, 10)?;
        if v > u64::from(u16::MAX) {
            return Err(ERANGE);
        }
        if v == 0 {
            return Err(EINVAL);
        }
        dev.reset()
    }
}

/// `compact`: compact the pool.
struct Compact;

#[vtable]
impl AttributeOps for Compact {
    type Owner = Device;
    const NAME: &'static CStr = c"compact";
    const MODE: u16 = WO;

    fn store(dev: &Device, _input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let _cfg = dev.cfg.lock();
        match dev.meta.read().get() {
            Some(m) => {
                m.compact();
                Ok(())
            }
            None => Err(EINVAL),
        }
    }
}

/// `mem_limit`: the most memory the pool may use.
struct MemLimit;

#[vtable]
impl AttributeOps for MemLimit {
    type Owner = Device;
    const NAME: &'static CStr = c"mem_limit";
    const MODE: u16 = WO;

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let (limit, used) = parse::memparse(input);
        if used == 0 {
            return Err(EINVAL);
        }
        let _cfg = dev.cfg.lock();
        dev.stats
            .limit_pages
            .store(parse::page_align(limit) >> PAGE_SHIFT, Relaxed);
        Ok(())
    }
}

/// `mem_used_max`: 0 resets the high-water mark to the current use.
struct MemUsedMax;

#[vtable]
impl AttributeOps for MemUsedMax {
    type Owner = Device;
    const NAME: &'static CStr = c"mem_used_max";
    const MODE: u16 = WO;

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        match parse::kstrtoull(input, 10) {
            Ok(0) => {}
            _ => return Err(EINVAL),
        }
        let _cfg = dev.cfg.lock();
        if let Some(m) = dev.meta.read().get() {
            dev.stats.max_used_pages.store(m.pool_pages(), Relaxed);
        }
        Ok(())
    }
}

/// `idle`: mark slots idle (`all`, or those untouched for N seconds).
struct Idle;

#[vtable]
impl AttributeOps for Idle {
    type Owner = Device;
    const NAME: &'static CStr = c"idle";
    const MODE: u16 = WO;

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let now = u64::from(crate::ffi::boottime_seconds());
        let cutoff = post::parse_idle(input, now)?;
        // No slot can be older than the system: nothing to do, even on an
        // uninitialised device (as in C).
        if cutoff == post::Idle::Nothing {
            return Ok(());
        }
        let _cfg = dev.cfg.lock();
        let meta = dev.meta.read();
        meta.get().ok_or(EINVAL)?.mark_idle(cutoff);
        Ok(())
    }
}

/// `comp_algorithm`: the available algorithms, the selected one in
/// brackets; a write selects one.
struct CompAlgorithm;

#[vtable]
impl AttributeOps for CompAlgorithm {
    type Owner = Device;
    const NAME: &'static CStr = c"comp_algorithm";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            algo::write_available(w, &BACKENDS, dev.cfg.lock().algo()).map_err(fmt_err)
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        dev.set_algo(0, input)
    }
}

/// `bd_stat`: backing-device statistics.
struct BdStat;

#[vtable]
impl AttributeOps for BdStat {
    type Owner = Device;
    const NAME: &'static CStr = c"bd_stat";
    const MODE: u16 = RO;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            let _cfg = dev.cfg.lock();
            let st = &dev.stats;
            stats::write_bd_stat(
                w,
                st.bd_count.load(Relaxed),
                st.bd_reads.load(Relaxed),
                st.bd_writes.load(Relaxed),
            )
            .map_err(fmt_err)
        })
    }
}

/// `backing_dev`: the backing device's path, or `none`; a write sets it
/// (before `disksize`).
struct BackingDev;

#[vtable]
impl AttributeOps for BackingDev {
    type Owner = Device;
    const NAME: &'static CStr = c"backing_dev";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            let cfg = dev.cfg.lock();
            match &cfg.backing {
                None => w.write_str("none\n").map_err(fmt_err),
                Some(b) => {
                    let mut path = KVec::from_elem(0u8, parse::PAGE_SIZE as usize - 1, GFP_KERNEL)?;
                    let n = b.file().path(&mut path)?;
                    let p = path.get(..n).ok_or(EINVAL)?;
                    w.write_bytes(p);
                    w.write_str("\n").map_err(fmt_err)
                }
            }
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let mut cfg = dev.cfg.lock();
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
}

/// `writeback`: write slots out to the backing device.
struct Writeback;

#[vtable]
impl AttributeOps for Writeback {
    type Owner = Device;
    const NAME: &'static CStr = c"writeback";
    const MODE: u16 = WO;

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let mut cfg = dev.cfg.lock();
        let meta = dev.meta.read();
        let m = meta.get().ok_or(EINVAL)?;
        if !m.has_backing() {
            return Err(ENODEV);
        }
        m.writeback(&dev.stats, input, &mut cfg.wb)
    }
}

/// `writeback_limit`: pages left to write back while the limit is on.
struct WritebackLimit;

#[vtable]
impl AttributeOps for WritebackLimit {
    type Owner = Device;
    const NAME: &'static CStr = c"writeback_limit";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            writeln!(w, "{}", dev.cfg.lock().wb.limit).map_err(fmt_err)
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let v = parse::kstrtoull(input, 10).map_err(|_| EINVAL)?;
        dev.cfg.lock().wb.limit = v;
        Ok(())
    }
}

/// `writeback_limit_enable`: whether `writeback_limit` applies.
struct WritebackLimitEnable;

#[vtable]
impl AttributeOps for WritebackLimitEnable {
    type Owner = Device;
    const NAME: &'static CStr = c"writeback_limit_enable";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            writeln!(w, "{}", u8::from(dev.cfg.lock().wb.limit_enable)).map_err(fmt_err)
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let v = parse::kstrtoull(input, 10).map_err(|_| EINVAL)?;
        dev.cfg.lock().wb.limit_enable = v != 0;
        Ok(())
    }
}

/// `writeback_batch_size`: pages written back per batch.
struct WritebackBatchSize;

#[vtable]
impl AttributeOps for WritebackBatchSize {
    type Owner = Device;
    const NAME: &'static CStr = c"writeback_batch_size";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            writeln!(w, "{}", dev.cfg.lock().wb.batch_size).map_err(fmt_err)
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        match post::kstrtouint(input, 10) {
            Ok(0) | Err(_) => Err(EINVAL),
            Ok(v) => {
                dev.cfg.lock().wb.batch_size = v;
                Ok(())
            }
        }
    }
}

/// `compressed_writeback`: write slots back compressed (before
/// `disksize`).
struct CompressedWriteback;

#[vtable]
impl AttributeOps for CompressedWriteback {
    type Owner = Device;
    const NAME: &'static CStr = c"compressed_writeback";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            writeln!(w, "{}", u8::from(dev.cfg.lock().compressed_wb)).map_err(fmt_err)
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let v = parse::kstrtobool(input).map_err(|_| EINVAL)?;
        let mut cfg = dev.cfg.lock();
        if cfg.state != DevState::Uninit {
            return Err(EBUSY);
        }
        cfg.compressed_wb = v;
        Ok(())
    }
}

/// `unit_size` (ours): bytes compressed as one object when a bio writes
/// them whole and aligned (a page: off, the default), before `disksize`.
struct UnitSize;

#[vtable]
impl AttributeOps for UnitSize {
    type Owner = Device;
    const NAME: &'static CStr = c"unit_size";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            let order = dev.cfg.lock().unit_order;
            writeln!(w, "{}", unit::unit_bytes(order)).map_err(fmt_err)
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let order = unit::parse_unit_size(input)?;
        let mut cfg = dev.cfg.lock();
        if cfg.state != DevState::Uninit {
            return Err(EBUSY);
        }
        cfg.unit_order = order;
        Ok(())
    }
}

/// `unit_stat` (ours): what units did (`stats::write_unit_stat`).
struct UnitStat;

#[vtable]
impl AttributeOps for UnitStat {
    type Owner = Device;
    const NAME: &'static CStr = c"unit_stat";
    const MODE: u16 = RO;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            let st = &dev.stats;
            stats::write_unit_stat(
                w,
                [
                    st.units.load(Relaxed),
                    st.unit_writes.load(Relaxed),
                    st.unit_page_reads.load(Relaxed),
                    st.unit_splits.load(Relaxed),
                    st.unit_fallbacks.load(Relaxed),
                ],
            )
            .map_err(fmt_err)
        })
    }
}

/// `io_stat`: failed reads and writes, and swap's free notifications.
struct IoStat;

#[vtable]
impl AttributeOps for IoStat {
    type Owner = Device;
    const NAME: &'static CStr = c"io_stat";
    const MODE: u16 = RO;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            let _cfg = dev.cfg.lock();
            let st = &dev.stats;
            stats::write_io_stat(
                w,
                st.failed_reads.load(Relaxed),
                st.failed_writes.load(Relaxed),
                st.notify_free.load(Relaxed),
            )
            .map_err(fmt_err)
        })
    }
}

/// `mm_stat`: memory statistics.
struct MmStat;

#[vtable]
impl AttributeOps for MmStat {
    type Owner = Device;
    const NAME: &'static CStr = c"mm_stat";
    const MODE: u16 = RO;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            let _cfg = dev.cfg.lock();
            let st = &dev.stats;
            let mut s = stats::MmStat {
                pages_stored: st.pages_stored.load(Relaxed),
                compr_data_size: st.compr_data_size.load(Relaxed),
                limit_pages: st.limit_pages.load(Relaxed),
                max_used_pages: st.max_used_pages.load(Relaxed),
                same_pages: st.same_pages.load(Relaxed),
                huge_pages: st.huge_pages.load(Relaxed),
                huge_pages_since: st.huge_pages_since.load(Relaxed),
                ..stats::MmStat::default()
            };
            if let Some(m) = dev.meta.read().get() {
                m.pool_stats(&mut s);
            }
            stats::write_mm_stat(w, &s).map_err(fmt_err)
        })
    }
}

/// `debug_stat`: the format version and debugging counters.
struct DebugStat;

#[vtable]
impl AttributeOps for DebugStat {
    type Owner = Device;
    const NAME: &'static CStr = c"debug_stat";
    const MODE: u16 = RO;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            let _cfg = dev.cfg.lock();
            stats::write_debug_stat(w, dev.stats.miss_free.load(Relaxed)).map_err(fmt_err)
        })
    }
}

/// `recomp_algorithm`: the recompression algorithms by priority; a write
/// selects one (`algo=NAME [priority=N]`).
struct RecompAlgorithm;

#[vtable]
impl AttributeOps for RecompAlgorithm {
    type Owner = Device;
    const NAME: &'static CStr = c"recomp_algorithm";
    const MODE: u16 = RW;

    fn show(dev: &Device, page: &mut Page) -> Result<usize> {
        show(dev, page, |w| {
            let cfg = dev.cfg.lock();
            for (prio, a) in cfg.algos.iter().enumerate().skip(1) {
                if let Some(a) = a {
                    write!(w, "#{prio}: ").map_err(fmt_err)?;
                    algo::write_available(w, &BACKENDS, a).map_err(fmt_err)?;
                }
            }
            Ok(())
        })
    }

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let (name, prio) = post::parse_recomp_algorithm(input, algo::MAX_COMPS)?;
        dev.set_algo(prio as usize, name)
    }
}

/// `recompress`: recompress slots with a recompression algorithm.
struct Recompress;

#[vtable]
impl AttributeOps for Recompress {
    type Owner = Device;
    const NAME: &'static CStr = c"recompress";
    const MODE: u16 = WO;

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let req = post::parse_recompress(input)?;
        let cfg = dev.cfg.lock();
        let meta = dev.meta.read();
        let m = meta.get().ok_or(EINVAL)?;
        if req.threshold as usize >= m.huge_class_size() {
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
        if !m.has_comp(prio) {
            return Err(EINVAL);
        }
        m.recompress(&dev.stats, &req, prio as u32)
    }
}

/// `algorithm_params`: per-algorithm parameters (before `disksize`).
struct AlgorithmParams;

#[vtable]
impl AttributeOps for AlgorithmParams {
    type Owner = Device;
    const NAME: &'static CStr = c"algorithm_params";
    const MODE: u16 = WO;

    fn store(dev: &Device, input: &[u8]) -> Result {
        let _pass = dev.gate.enter()?;
        let p = algo::parse_params(input)?;
        let cfg = dev.cfg.lock();
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
        let prio = match (p.algo, p.priority) {
            (Some(a), Some(prio)) if !named(prio as usize, a) => return Err(EINVAL),
            (Some(a), None) => (0..NR_COMPS).find(|&prio| named(prio, a)).ok_or(EINVAL)?,
            (_, prio) => prio.unwrap_or(0) as usize,
        };
        dev.set_params(cfg, prio, &p)
    }
}
