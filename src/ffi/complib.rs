// SPDX-License-Identifier: GPL-2.0

//! Compression libraries called directly, as the C zram's backends call
//! them: lz4, lzo and lzo-rle, whose crypto API implementations are thin
//! wrappers around the same functions (so the output is the same bytes).
//! The module links against them, as zram.ko does, and calls them with no
//! C wrapper in between: this is the per-page hot path.

use super::bindings as b;
use kernel::ffi::c_int;
use kernel::prelude::*;

/// Which library.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Lz4,
    Lzo,
    LzoRle,
}

/// The library functions of one algorithm.
///
/// # Invariants
///
/// `wrkmem` is the work-memory size the library's compressor needs, and
/// `lzo_worst` the output size lzo needs for a page (lzo is unbounded).
#[derive(Clone, Copy)]
pub(crate) struct CompLib {
    kind: Kind,
    wrkmem: usize,
    lzo_worst: usize,
}

impl CompLib {
    /// The library of `name`, if it has one; `None` means use the crypto
    /// API.
    pub(crate) fn get(name: &CStr) -> Option<Self> {
        let kind = match name.to_bytes() {
            b"lz4" => Kind::Lz4,
            b"lzo" => Kind::Lzo,
            b"lzo-rle" => Kind::LzoRle,
            _ => return None,
        };
        let wrkmem = match kind {
            Kind::Lz4 => b::ZRS_LZ4_MEM_COMPRESS,
            Kind::Lzo | Kind::LzoRle => b::ZRS_LZO1X_1_MEM_COMPRESS,
        };
        // INVARIANT: the sizes the kernel's headers give.
        Some(CompLib {
            kind,
            wrkmem,
            lzo_worst: b::ZRS_LZO_WORST_PAGE,
        })
    }

    /// Bytes of work memory the compressor needs.
    pub(crate) fn wrkmem(&self) -> usize {
        self.wrkmem
    }

    /// Compress one page `src` into `dst` with `wrk` (at least `wrkmem()`
    /// bytes, used by one caller at a time); the compressed length.
    /// `ENOSPC` if `dst` may be too small, `EINVAL` if the library fails.
    #[inline(always)]
    pub(crate) fn compress(&self, src: &[u8], dst: &mut [u8], wrk: &mut [u8]) -> Result<usize> {
        if wrk.len() < self.wrkmem {
            return Err(EINVAL);
        }
        if self.kind == Kind::Lz4 {
            let slen = c_int::try_from(src.len()).map_err(|_| EINVAL)?;
            let dlen = c_int::try_from(dst.len()).map_err(|_| EINVAL)?;
            // SAFETY: the buffers are valid for the lengths passed, which
            // bound what the library reads and writes; `wrk` is ours and
            // large enough.
            let n = unsafe {
                b::LZ4_compress_default(
                    src.as_ptr().cast(),
                    dst.as_mut_ptr().cast(),
                    slen,
                    dlen,
                    wrk.as_mut_ptr().cast(),
                )
            };
            // 0 means it did not fit.
            return match usize::try_from(n) {
                Ok(n) if n > 0 && n <= dst.len() => Ok(n),
                _ => Err(EINVAL),
            };
        }
        // lzo writes without bounds: the output must take its worst case,
        // as the C zram's backend gives it.
        if src.len() > crate::logic::parse::PAGE_SIZE as usize || dst.len() < self.lzo_worst {
            return Err(ENOSPC);
        }
        let mut n = dst.len();
        let f = if self.kind == Kind::LzoRle {
            b::lzorle1x_1_compress
        } else {
            b::lzo1x_1_compress
        };
        // SAFETY: `src` is valid for its length (at most a page), `dst`
        // holds at least lzo's worst case for a page, `wrk` is ours and
        // large enough; `n` is a valid out-parameter.
        let r = unsafe {
            f(
                src.as_ptr(),
                src.len(),
                dst.as_mut_ptr(),
                &mut n,
                wrk.as_mut_ptr().cast(),
            )
        };
        if r != b::ZRS_LZO_E_OK || n > dst.len() {
            return Err(EINVAL);
        }
        Ok(n)
    }

    /// Decompress `src` into `dst`; the decompressed length. `EINVAL` for
    /// corrupt input.
    #[inline(always)]
    pub(crate) fn decompress(&self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        if self.kind == Kind::Lz4 {
            let slen = c_int::try_from(src.len()).map_err(|_| EINVAL)?;
            let dlen = c_int::try_from(dst.len()).map_err(|_| EINVAL)?;
            // SAFETY: the safe decompressor never reads past `slen` bytes of
            // `src` or writes past `dlen` bytes of `dst`, both valid.
            let n = unsafe {
                b::LZ4_decompress_safe(src.as_ptr().cast(), dst.as_mut_ptr().cast(), slen, dlen)
            };
            return match usize::try_from(n) {
                Ok(n) if n <= dst.len() => Ok(n),
                _ => Err(EINVAL),
            };
        }
        let mut n = dst.len();
        // SAFETY: as above, with `n` bounding the output on entry.
        let r =
            unsafe { b::lzo1x_decompress_safe(src.as_ptr(), src.len(), dst.as_mut_ptr(), &mut n) };
        if r != b::ZRS_LZO_E_OK || n > dst.len() {
            return Err(EINVAL);
        }
        Ok(n)
    }
}
