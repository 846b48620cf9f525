// SPDX-License-Identifier: GPL-2.0

//! Compressors: one crypto acomp transform, request and buffers per CPU,
//! created by the CPU-hotplug PREPARE callback and kept until the
//! compressor is destroyed.
//!
//! Two decisions, both from real bugs (Documentation/zram-rs/design.rst):
//!
//! * Preload. `Compressor::new` looks the algorithm up and allocates one
//!   transform *before* registering the hotplug instance. Looking it up may
//!   run `modprobe`; doing that under `cpus_read_lock()`, as zram once did
//!   from its prepare callback, deadlocked. The transform we hold pins the
//!   algorithm's module, so the prepare callbacks that follow (now, and for
//!   CPUs that come up later) only ever find an already loaded algorithm.
//!
//! * Streams are not freed when a CPU dies. The C zram frees them, so its
//!   hot path must re-check, after taking the stream mutex, that it did not
//!   migrate to a CPU whose stream just went away, and retry. Keeping them
//!   (as zswap does since 2025) makes a looked-up stream valid for the
//!   compressor's whole life: no retry loop, no window where the I/O path
//!   can see a half-made or freed stream. The cost is the memory of streams
//!   of CPUs that are offline (the zram-streamcost guest test measures it),
//!   freed with the device's reset.
//!
//! * Codec. The C zram's backends call lz4, lz4hc, lzo, lzo-rle, zstd
//!   and deflate's libraries with their own parameters (zstd's chosen for
//!   a page, a level, a dictionary); the crypto API can take none, and
//!   going through it (request setup, the scomp layer's own per-CPU
//!   stream lock with bottom halves disabled) is pure overhead
//!   (benchmarks.rst has the figure). So we call those libraries too,
//!   with the work memory in the stream, and store the same bytes as C.
//!   Any other algorithm (842, or one the kernel adds) goes through a
//!   crypto acomp transform. The crypto lookup runs first either way: the
//!   preload rule holds.

use crate::ffi::acomp::{self, Acomp};
use crate::ffi::complib::{CompLib, LibDict, LibWork};
use crate::ffi::cpuhp::{HotplugCallbacks, Instance, MultiState};
use crate::ffi::cpuslots::CpuSlots;
use crate::ffi::kfile::FileData;
use crate::logic::algo::{self, Backends, SetupError, Tuning};
use crate::logic::parse::PAGE_SIZE;
use kernel::cpu::{nr_cpu_ids, CpuId};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::{Arc, Mutex, MutexGuard};

/// The kernel's own zram as its `.config` built it (`CONFIG_ZRAM_*`):
/// `comp_algorithm` lists what it lists and new devices start with its
/// default, so that replacing it changes nothing a user sees (Debian's,
/// for one, has lz4, lz4hc, zstd and deflate, lz4 by default). A kernel
/// without zram gets the distributions' usual one.
#[cfg(CONFIG_ZRAM)]
pub(crate) const BACKENDS: Backends = Backends::new(
    [
        cfg!(CONFIG_ZRAM_BACKEND_LZO),
        cfg!(CONFIG_ZRAM_BACKEND_LZ4),
        cfg!(CONFIG_ZRAM_BACKEND_LZ4HC),
        cfg!(CONFIG_ZRAM_BACKEND_ZSTD),
        cfg!(CONFIG_ZRAM_BACKEND_DEFLATE),
        cfg!(CONFIG_ZRAM_BACKEND_842),
    ],
    // Index into `KNOWN`; the Kconfig choice sets exactly one.
    if cfg!(CONFIG_ZRAM_DEF_COMP_LZO) {
        1
    } else if cfg!(CONFIG_ZRAM_DEF_COMP_LZ4) {
        2
    } else if cfg!(CONFIG_ZRAM_DEF_COMP_LZ4HC) {
        3
    } else if cfg!(CONFIG_ZRAM_DEF_COMP_ZSTD) {
        4
    } else if cfg!(CONFIG_ZRAM_DEF_COMP_DEFLATE) {
        5
    } else if cfg!(CONFIG_ZRAM_DEF_COMP_842) {
        6
    } else {
        0
    },
);
#[cfg(not(CONFIG_ZRAM))]
pub(crate) const BACKENDS: Backends = crate::logic::algo::DISTRO;

const PAGE: usize = PAGE_SIZE as usize;

/// How a stream compresses.
pub(crate) enum Codec {
    /// A crypto acomp transform of its own.
    Crypto(Acomp),
    /// The algorithm's library, with this stream's work memory.
    Lib(CompLib, LibWork),
}

impl Codec {
    #[inline(always)]
    fn compress(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        match self {
            Codec::Crypto(a) => a.compress(src, dst),
            Codec::Lib(l, wrk) => l.compress(src, dst, wrk),
        }
    }

    /// Decompress `src` into `dst`, which must come out exactly full.
    #[inline(always)]
    pub(crate) fn decompress_into(&mut self, src: &[u8], dst: &mut [u8]) -> Result {
        let n = match self {
            Codec::Crypto(a) => a.decompress(src, dst)?,
            Codec::Lib(l, w) => l.decompress(src, dst, w)?,
        };
        if n == dst.len() {
            Ok(())
        } else {
            Err(EIO)
        }
    }
}

/// One CPU's compression state.
pub(crate) struct Stream {
    codec: Codec,
    /// Compression output: twice the largest input (a page, or a unit),
    /// for output larger than the input; a unit's chunks are gathered here
    /// to be decompressed.
    pub(crate) buf: KVec<u8>,
    /// Where zsmalloc copies an object that spans two pages.
    pub(crate) local: KVec<u8>,
    /// A whole page for partial-page I/O (read-modify-write).
    pub(crate) scratch: KVec<u8>,
    /// A whole unit, decompressed, for reads of some of its pages (empty
    /// with units off).
    pub(crate) unit: KVec<u8>,
}

impl Stream {
    fn new(set: &StreamSet, node: i32) -> Result<Self> {
        let codec = match set.lib {
            Some(l) => Codec::Lib(l, l.work(set.dict.as_ref(), set.unit)?),
            None => Codec::Crypto(Acomp::new(&set.name, node)?),
        };
        let unit = if set.unit > PAGE { set.unit } else { 0 };
        Ok(Stream {
            codec,
            buf: KVec::from_elem(0u8, 2 * set.unit.max(PAGE), GFP_KERNEL)?,
            local: KVec::from_elem(0u8, PAGE, GFP_KERNEL)?,
            scratch: KVec::from_elem(0u8, PAGE, GFP_KERNEL)?,
            unit: KVec::from_elem(0u8, unit, GFP_KERNEL)?,
        })
    }

    /// Compress a whole unit `src` into `buf`; the compressed length.
    pub(crate) fn compress_unit(&mut self, src: &[u8]) -> Result<usize> {
        if src.len() != self.unit.len() {
            return Err(EINVAL);
        }
        self.codec.compress(src, &mut self.buf)
    }

    /// Split borrows for a unit's read: the transform, the gather buffer,
    /// the local-copy page and the unit buffer.
    #[inline]
    pub(crate) fn unit_parts(&mut self) -> (&mut Codec, &mut [u8], &mut [u8], &mut [u8]) {
        (
            &mut self.codec,
            &mut self.buf,
            &mut self.local,
            &mut self.unit,
        )
    }

    /// Compress one page into `buf`; the compressed length.
    #[inline(always)]
    pub(crate) fn compress(&mut self, src: &[u8]) -> Result<usize> {
        self.codec.compress(src, &mut self.buf)
    }

    /// Compress the scratch page into `buf` (partial-page writes).
    pub(crate) fn compress_scratch(&mut self) -> Result<usize> {
        self.codec.compress(&self.scratch, &mut self.buf)
    }

    /// Decompress the first `size` bytes of `page` over the whole of it
    /// (a compressed page read back from the backing device).
    pub(crate) fn decompress_in_place(&mut self, page: &mut [u8], size: usize) -> Result {
        let src = page.get(..size).ok_or(EIO)?;
        let tmp = self.buf.get_mut(..size).ok_or(EIO)?;
        if !crate::logic::slot::copy(tmp, src) {
            return Err(EIO);
        }
        let src = self.buf.get(..size).ok_or(EIO)?;
        self.codec.decompress_into(src, page)
    }

    /// Split borrows: the transform, the local-copy page and the scratch
    /// page, for reads that decompress an object zsmalloc may copy.
    #[inline]
    pub(crate) fn parts(&mut self) -> (&mut Codec, &mut [u8], &mut [u8]) {
        (&mut self.codec, &mut self.local, &mut self.scratch)
    }
}

/// The module's CPU-hotplug multistate: an instance per compressor.
pub(crate) type Hotplug = MultiState<StreamSet>;

/// The per-CPU streams of one compressor: the hotplug instance's context.
pub(crate) struct StreamSet {
    name: CString,
    lib: Option<CompLib>,
    dict: Option<Arc<LibDict>>,
    /// Bytes in a unit (a page with units off).
    unit: usize,
    streams: CpuSlots<Mutex<Stream>>,
}

impl HotplugCallbacks for StreamSet {
    fn prepare(&self, cpu: CpuId) -> Result {
        let idx = cpu.as_u32() as usize;
        if self.streams.is_set(idx) {
            // Came back online: its stream was kept.
            return Ok(());
        }
        // Allocate with no stream mutex held: the allocation may enter
        // reclaim, and reclaim may swap to this very device.
        let stream = Stream::new(self, crate::ffi::cpu_to_node(cpu)).inspect_err(|_| {
            pr_err!("cannot allocate a {} stream for CPU {}\n", &*self.name, idx)
        })?;
        let boxed = KBox::pin_init(new_mutex!(stream), GFP_KERNEL)?;
        // Published complete; readers never see a half-made stream.
        self.streams.set(idx, boxed)
    }

    fn dead(&self, _cpu: CpuId) -> Result {
        // Kept until the compressor is destroyed: see the module comment.
        Ok(())
    }
}

/// A compressor: an algorithm with a stream for every CPU that is or was
/// online since it was created.
pub(crate) struct Compressor {
    inst: Instance<StreamSet>,
}

impl Compressor {
    /// Create a compressor for `name` (one of `logic::algo::KNOWN`) with
    /// `params`, which its backend checks first, as C's `setup_params`
    /// does; its streams compress units of `unit` bytes as well as pages
    /// when `unit` is over a page. Must be called without the CPU-hotplug
    /// lock held (it may load the algorithm's module).
    pub(crate) fn new(
        ms: &Arc<Hotplug>,
        name: &'static str,
        params: &CompParams,
        unit: usize,
    ) -> Result<Self> {
        let cname = CString::try_from_fmt(fmt!("{name}"))?;
        // Preload, outside the hotplug lock: may run modprobe.
        if !acomp::available(&cname) {
            pr_err!("the crypto API has no {} compressor\n", name);
            return Err(EINVAL);
        }
        // Pin the algorithm's module until our own transforms hold it.
        let pin = Acomp::new(&cname, -1)?;
        // Its library, if it has one (linked in: nothing to load).
        let lib = CompLib::get(&cname);
        let setup = algo::setup_params(name, &params.tuning(), lib.is_some()).map_err(|e| {
            pr_err!("{}: cannot use the parameters: {:?}\n", name, e);
            match e {
                SetupError::Invalid => EINVAL,
                SetupError::NotSupported | SetupError::NotApplied => EOPNOTSUPP,
            }
        })?;
        let lib = lib.map(|l| l.with(setup));
        let dict = match (lib, &params.dict) {
            (Some(l), Some(d)) => Some(l.dict(d.clone())?),
            // setup_params lets a dictionary through only for a library.
            (None, Some(_)) => return Err(EOPNOTSUPP),
            (_, None) => None,
        };
        let streams = CpuSlots::new(nr_cpu_ids() as usize)?;
        let set = Arc::new(
            StreamSet {
                name: cname,
                lib,
                dict,
                unit: unit.max(PAGE),
                streams,
            },
            GFP_KERNEL,
        )?;
        // Takes cpus_read_lock() and runs `prepare` for each online CPU.
        let inst = Instance::add(ms, set)?;
        drop(pin);
        Ok(Compressor { inst })
    }

    /// Lock a stream: the current CPU's. The task may migrate afterwards;
    /// the stream stays valid (never freed before the compressor) and the
    /// mutex keeps it ours.
    #[inline(always)]
    pub(crate) fn stream(&self) -> Result<MutexGuard<'_, Stream>> {
        let cpu = CpuId::current().as_u32() as usize;
        match self.inst.ctx().streams.get(cpu) {
            Some(s) => Ok(s.get_ref().lock()),
            // Impossible for an online CPU (its prepare succeeded before it
            // came up); fail the I/O rather than trust it.
            None => Err(EIO),
        }
    }
}

/// What `algorithm_params` set for one priority, until the device is
/// reset, the priority's algorithm changes, or it is set again.
#[derive(Default, Clone)]
pub(crate) struct CompParams {
    /// `level=`.
    pub(crate) level: Option<i32>,
    /// `deflate.winbits=`.
    pub(crate) winbits: Option<i32>,
    /// `dict=`: the file's contents, read when the parameter was written.
    pub(crate) dict: Option<Arc<FileData>>,
}

impl CompParams {
    fn tuning(&self) -> Tuning {
        Tuning {
            level: self.level,
            winbits: self.winbits,
            dict: self.dict.is_some(),
        }
    }
}
