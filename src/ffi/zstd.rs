// SPDX-License-Identifier: GPL-2.0

//! zstd called directly, as the C zram's backend calls it: parameters
//! chosen for one page (`zstd_get_params(level, PAGE_SIZE)`), contexts in
//! preallocated workspaces, and with a dictionary, digested compression
//! and decompression dictionaries shared by every CPU's stream.

use super::bindings as b;
use super::kfile::FileData;
use core::ptr::NonNull;
use kernel::alloc::KVVec;
use kernel::prelude::*;
use kernel::sync::Arc;

const PAGE: u64 = crate::logic::parse::PAGE_SIZE;

/// `zstd_min_clevel()` and `zstd_max_clevel()`, for the KUnit check that
/// `logic::algo::ZSTD_LEVELS` is the library's range.
#[cfg(CONFIG_KUNIT)]
pub(crate) fn levels() -> (i32, i32) {
    // SAFETY: both only return a constant.
    unsafe { (b::zstd_min_clevel(), b::zstd_max_clevel()) }
}

fn check(ret: usize) -> Result<usize> {
    // SAFETY: a pure function of its argument.
    if unsafe { b::zstd_is_error(ret) } != 0 {
        return Err(EINVAL);
    }
    Ok(ret)
}

/// A dictionary digested for one level.
///
/// # Invariants
///
/// `cdict` and `ddict` were created by reference to `data`'s bytes, which
/// `data` keeps alive and unchanged, and are owned by this object.
pub(crate) struct ZstdDict {
    cdict: NonNull<b::zstd_cdict>,
    ddict: NonNull<b::zstd_ddict>,
    _data: Arc<FileData>,
}

// SAFETY: after creation both dictionaries are only read, by any number of
// contexts at once (zstd's documented use of a shared CDict/DDict).
unsafe impl Send for ZstdDict {}
// SAFETY: as above.
unsafe impl Sync for ZstdDict {}

impl ZstdDict {
    /// Digest `data` for `level`, as the C backend's `setup_params`:
    /// `EINVAL` if zstd cannot.
    pub(crate) fn new(data: Arc<FileData>, level: i32) -> Result<Self> {
        let d = data.as_slice();
        // SAFETY: plain computations on the arguments; the helper returns
        // a static allocator pair. The dictionaries reference `d`, which
        // lives as long as they (kept in `data` below).
        let (cdict, ddict) = unsafe {
            let mem = b::zrs_zstd_custom_mem();
            let prm = b::zstd_get_cparams(level, PAGE, d.len());
            (
                b::zstd_create_cdict_byreference(d.as_ptr().cast(), d.len(), prm, mem),
                b::zstd_create_ddict_byreference(d.as_ptr().cast(), d.len(), mem),
            )
        };
        match (NonNull::new(cdict), NonNull::new(ddict)) {
            // INVARIANT: both made from `data`, which we keep.
            (Some(cdict), Some(ddict)) => Ok(ZstdDict {
                cdict,
                ddict,
                _data: data,
            }),
            _ => {
                // SAFETY: each is NULL (accepted) or ours and unused.
                unsafe {
                    b::zstd_free_cdict(cdict);
                    b::zstd_free_ddict(ddict);
                }
                Err(EINVAL)
            }
        }
    }
}

impl Drop for ZstdDict {
    fn drop(&mut self) {
        // SAFETY: ours (type invariant); no context uses them any more,
        // since every stream holds an `Arc` of this object.
        unsafe {
            b::zstd_free_cdict(self.cdict.as_ptr());
            b::zstd_free_ddict(self.ddict.as_ptr());
        }
    }
}

/// One stream's compression and decompression contexts.
///
/// # Invariants
///
/// `cctx` and `dctx` are valid contexts owned by this object: inside the
/// workspaces `ws` (which never move: the vectors are not resized) when
/// it is `Some`, else allocated by zstd. With `dict`, they were made for
/// it. `cctx` can compress with `prm` and with `uprm` (its workspace is
/// sized for the larger of the two).
pub(crate) struct ZstdWork {
    cctx: NonNull<b::zstd_cctx>,
    dctx: NonNull<b::zstd_dctx>,
    ws: Option<(KVVec<u64>, KVVec<u64>)>,
    dict: Option<Arc<ZstdDict>>,
    prm: b::zstd_parameters,
    /// For units (`unit_size`): chosen for their size, as `prm` is for a
    /// page; the same as `prm` with units off.
    uprm: b::zstd_parameters,
}

// SAFETY: the contexts are plain memory with no CPU or thread affinity,
// used through `&mut self` only.
unsafe impl Send for ZstdWork {}

impl ZstdWork {
    /// Contexts for `level`, or for `dict`, as the C backend's `create`;
    /// with room for inputs of `unit` bytes when that is over a page.
    pub(crate) fn new(level: i32, dict: Option<Arc<ZstdDict>>, unit: usize) -> Result<Self> {
        // SAFETY: a pure computation.
        let prm = unsafe { b::zstd_get_params(level, PAGE) };
        let unit = (unit as u64).max(PAGE);
        // SAFETY: a pure computation.
        let uprm = unsafe { b::zstd_get_params(level, unit) };
        if dict.is_some() {
            // SAFETY: the helper returns a static allocator pair; the
            // contexts are ours, freed below or by Drop.
            let (cctx, dctx) = unsafe {
                let mem = b::zrs_zstd_custom_mem();
                (
                    b::zstd_create_cctx_advanced(mem),
                    b::zstd_create_dctx_advanced(mem),
                )
            };
            return match (NonNull::new(cctx), NonNull::new(dctx)) {
                // INVARIANT: allocated by zstd for this dictionary's use.
                (Some(cctx), Some(dctx)) => Ok(ZstdWork {
                    cctx,
                    dctx,
                    ws: None,
                    dict,
                    prm,
                    uprm,
                }),
                _ => {
                    // SAFETY: each is NULL (accepted) or ours and unused.
                    unsafe {
                        b::zstd_free_cctx(cctx);
                        b::zstd_free_dctx(dctx);
                    }
                    Err(ENOMEM)
                }
            };
        }
        // SAFETY: `prm` is a valid parameter set; a pure computation.
        let (csz, dsz) = unsafe {
            (
                b::zstd_cctx_workspace_bound(&prm.cParams)
                    .max(b::zstd_cctx_workspace_bound(&uprm.cParams)),
                b::zstd_dctx_workspace_bound(),
            )
        };
        let mut cws = KVVec::from_elem(0u64, csz.div_ceil(8), GFP_KERNEL)?;
        let mut dws = KVVec::from_elem(0u64, dsz.div_ceil(8), GFP_KERNEL)?;
        // SAFETY: each workspace is at least the size zstd asked for,
        // zeroed and 8-byte aligned; zstd only uses it as given.
        let (cctx, dctx) = unsafe {
            (
                b::zstd_init_cctx(cws.as_mut_ptr().cast(), csz),
                b::zstd_init_dctx(dws.as_mut_ptr().cast(), dsz),
            )
        };
        match (NonNull::new(cctx), NonNull::new(dctx)) {
            // INVARIANT: the contexts live in the workspaces we keep.
            (Some(cctx), Some(dctx)) => Ok(ZstdWork {
                cctx,
                dctx,
                ws: Some((cws, dws)),
                dict: None,
                prm,
                uprm,
            }),
            _ => Err(EINVAL),
        }
    }

    /// Compress `src` into `dst`; the compressed length. `EINVAL` when it
    /// does not fit or zstd fails.
    pub(crate) fn compress(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        let (s, d) = (src.as_ptr().cast(), dst.as_mut_ptr().cast());
        let prm = if src.len() as u64 > PAGE {
            &self.uprm
        } else {
            &self.prm
        };
        // SAFETY: the contexts are ours (type invariant, `&mut self`), the
        // compression one sized for both parameter sets; `src` and `dst`
        // are valid for the lengths passed, which bound what zstd reads and
        // writes; a dictionary matches the context.
        let n = check(unsafe {
            match &self.dict {
                None => b::zstd_compress_cctx(self.cctx.as_ptr(), d, dst.len(), s, src.len(), prm),
                Some(dict) => b::zstd_compress_using_cdict(
                    self.cctx.as_ptr(),
                    d,
                    dst.len(),
                    s,
                    src.len(),
                    dict.cdict.as_ptr(),
                ),
            }
        })?;
        if n > dst.len() {
            return Err(EINVAL);
        }
        Ok(n)
    }

    /// Decompress `src` into `dst`; the decompressed length. `EINVAL` for
    /// corrupt input.
    pub(crate) fn decompress(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        let (s, d) = (src.as_ptr().cast(), dst.as_mut_ptr().cast());
        // SAFETY: as for `compress`.
        let n = check(unsafe {
            match &self.dict {
                None => b::zstd_decompress_dctx(self.dctx.as_ptr(), d, dst.len(), s, src.len()),
                Some(dict) => b::zstd_decompress_using_ddict(
                    self.dctx.as_ptr(),
                    d,
                    dst.len(),
                    s,
                    src.len(),
                    dict.ddict.as_ptr(),
                ),
            }
        })?;
        if n > dst.len() {
            return Err(EINVAL);
        }
        Ok(n)
    }
}

impl Drop for ZstdWork {
    fn drop(&mut self) {
        if self.ws.is_none() {
            // SAFETY: allocated by zstd and ours (type invariant).
            unsafe {
                b::zstd_free_cctx(self.cctx.as_ptr());
                b::zstd_free_dctx(self.dctx.as_ptr());
            }
        }
        // Contexts in workspaces go with the workspaces.
    }
}
