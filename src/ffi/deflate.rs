// SPDX-License-Identifier: GPL-2.0

//! deflate called directly, as the C zram's backend calls it: the kernel's
//! zlib with a level, a window size and `MAX_MEM_LEVEL`, one compression
//! and one decompression stream per CPU, each reset for every page.

use super::bindings as b;
use core::mem::MaybeUninit;
use kernel::alloc::KVVec;
use kernel::ffi::c_int;
use kernel::prelude::*;

/// A zeroed `z_stream_s` on the heap: zlib's state points back to it, so
/// it must not move once initialised.
fn stream() -> Result<KBox<b::z_stream_s>> {
    // SAFETY: `z_stream_s` is a C struct of integers and pointers, for
    // which all zeroes is a valid (and zlib's expected initial) value.
    let z = unsafe { MaybeUninit::<b::z_stream_s>::zeroed().assume_init() };
    Ok(KBox::new(z, GFP_KERNEL)?)
}

/// One stream's compressor and decompressor.
///
/// # Invariants
///
/// `c` was set up by `zlib_deflateInit2` and `d` by `zlib_inflateInit2`,
/// with their `workspace`s pointing into `cws` and `dws` (never resized,
/// so never moved); both are owned by this object.
pub(crate) struct DeflateWork {
    c: KBox<b::z_stream_s>,
    d: KBox<b::z_stream_s>,
    _cws: KVVec<u64>,
    _dws: KVVec<u64>,
}

// SAFETY: plain memory with no CPU or thread affinity, used through
// `&mut self` only.
unsafe impl Send for DeflateWork {}

impl DeflateWork {
    /// Streams for `level` and `winbits` (checked by the caller, as the C
    /// backend's `setup_params`); `EINVAL` if zlib refuses them.
    pub(crate) fn new(level: i32, winbits: i32) -> Result<Self> {
        let (mut c, mut d) = (stream()?, stream()?);
        // SAFETY: pure computations on the arguments.
        let (csz, dsz) = unsafe {
            (
                b::zlib_deflate_workspacesize(winbits, b::ZRS_MAX_MEM_LEVEL),
                b::zlib_inflate_workspacesize(),
            )
        };
        let size = |n: i32| usize::try_from(n).map_err(|_| EINVAL);
        let (csz, dsz) = (size(csz)?, size(dsz)?);
        let mut cws = KVVec::from_elem(0u64, csz.div_ceil(8), GFP_KERNEL)?;
        let mut dws = KVVec::from_elem(0u64, dsz.div_ceil(8), GFP_KERNEL)?;
        c.workspace = cws.as_mut_ptr().cast();
        d.workspace = dws.as_mut_ptr().cast();
        // SAFETY: each stream is zeroed, boxed (it will not move) and has
        // a workspace of the size zlib asked for, zeroed and aligned.
        let ok = unsafe {
            b::zlib_deflateInit2(
                &mut *c,
                level,
                b::ZRS_Z_DEFLATED,
                winbits,
                b::ZRS_MAX_MEM_LEVEL,
                b::ZRS_Z_DEFAULT_STRATEGY,
            ) == b::ZRS_Z_OK
                && b::zlib_inflateInit2(&mut *d, winbits) == b::ZRS_Z_OK
        };
        if !ok {
            // Nothing to end: the kernel's zlib allocates nothing of its
            // own, and the workspaces are freed with the vectors.
            return Err(EINVAL);
        }
        // INVARIANT: both set up, with the workspaces kept here.
        Ok(DeflateWork {
            c,
            d,
            _cws: cws,
            _dws: dws,
        })
    }

    /// Compress `src` into `dst`; the compressed length. `EINVAL` when it
    /// does not fit.
    pub(crate) fn compress(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        // SAFETY: `c` was set up by `zlib_deflateInit2` (type invariant),
        // as these two functions need.
        unsafe {
            pass(
                &mut self.c,
                b::zlib_deflateReset,
                b::zlib_deflate,
                b::ZRS_Z_FINISH,
                src,
                dst,
            )
        }
    }

    /// Decompress `src` into `dst`; the decompressed length. `EINVAL` for
    /// corrupt or truncated input.
    pub(crate) fn decompress(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        // SAFETY: `d` was set up by `zlib_inflateInit2` (type invariant),
        // as these two functions need.
        unsafe {
            pass(
                &mut self.d,
                b::zlib_inflateReset,
                b::zlib_inflate,
                b::ZRS_Z_SYNC_FLUSH,
                src,
                dst,
            )
        }
    }
}

/// The zlib call that resets a stream, and the one that runs it.
type Reset = unsafe extern "C" fn(b::z_streamp) -> c_int;
type Step = unsafe extern "C" fn(b::z_streamp, c_int) -> c_int;

/// One page through `z`, as the C backend does it: `reset`, point the
/// stream at `src` and `dst`, run `step` with `flush`, which must end the
/// stream; the bytes it wrote.
///
/// # Safety
///
/// `z` was set up for `reset` and `step` (deflate's or inflate's).
unsafe fn pass(
    z: &mut b::z_stream_s,
    reset: Reset,
    step: Step,
    flush: c_int,
    src: &[u8],
    dst: &mut [u8],
) -> Result<usize> {
    // SAFETY: `z` is set up for `reset` (the caller's guarantee).
    if unsafe { reset(z) } != b::ZRS_Z_OK {
        return Err(EINVAL);
    }
    z.next_in = src.as_ptr();
    z.avail_in = src.len();
    z.next_out = dst.as_mut_ptr();
    z.avail_out = dst.len();
    // SAFETY: `z` is set up for `step` (the caller's guarantee); the
    // buffers are valid for the lengths set just above, which bound what
    // zlib reads and writes; zlib only reads `src`.
    if unsafe { step(z, flush) } != b::ZRS_Z_STREAM_END {
        return Err(EINVAL);
    }
    match z.total_out {
        n if n <= dst.len() => Ok(n),
        _ => Err(EINVAL),
    }
}

impl Drop for DeflateWork {
    fn drop(&mut self) {
        // SAFETY: both set up and ours (type invariant); ending them only
        // clears their state, the workspaces are freed after this.
        unsafe {
            b::zlib_deflateEnd(&mut *self.c);
            b::zlib_inflateEnd(&mut *self.d);
        }
    }
}
