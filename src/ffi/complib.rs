// SPDX-License-Identifier: GPL-2.0

//! Compression libraries called directly, as the C zram's backends call
//! them: lz4, lzo and lzo-rle, whose crypto API implementations are thin
//! wrappers around the same functions (so the output is the same bytes).
//! The module links against them, as zram.ko does.

use super::sys;
use kernel::error::to_result;
use kernel::ffi::c_uint;
use kernel::prelude::*;

/// The library functions of one algorithm.
///
/// # Invariants
///
/// `lib` points to one of the helper's static, read-only descriptors, and
/// `wrkmem` is its work-memory size.
#[derive(Clone, Copy)]
pub(crate) struct CompLib {
    lib: *const sys::zrs_lib,
    wrkmem: usize,
}

// SAFETY: the descriptor is static and read-only; the functions are
// reentrant (their state is the caller's work memory).
unsafe impl Send for CompLib {}
// SAFETY: as above.
unsafe impl Sync for CompLib {}

impl CompLib {
    /// The library of `name`, if it has one; `None` means use the crypto
    /// API.
    pub(crate) fn get(name: &CStr) -> Option<Self> {
        // SAFETY: `name` is NUL-terminated.
        let lib = unsafe { sys::zrs_lib_get(name.as_char_ptr()) };
        if lib.is_null() {
            return None;
        }
        // SAFETY: `lib` is one of the helper's static descriptors.
        let wrkmem = unsafe { sys::zrs_lib_wrkmem(lib) };
        // INVARIANT: a static descriptor and its work-memory size, asked
        // once here rather than on every page.
        Some(CompLib { lib, wrkmem })
    }

    /// Bytes of work memory the compressor needs.
    pub(crate) fn wrkmem(&self) -> usize {
        self.wrkmem
    }

    /// Compress `src` into `dst` with `wrk` (at least `wrkmem()` bytes,
    /// used by one caller at a time); the compressed length.
    pub(crate) fn compress(&self, src: &[u8], dst: &mut [u8], wrk: &mut [u8]) -> Result<usize> {
        if wrk.len() < self.wrkmem {
            return Err(EINVAL);
        }
        let slen = c_uint::try_from(src.len()).map_err(|_| EINVAL)?;
        let mut dlen = c_uint::try_from(dst.len()).map_err(|_| EINVAL)?;
        // SAFETY: `lib` valid (invariant); buffers valid for their lengths,
        // which bound the library (the helper checks `dst`), `wrk` is ours.
        to_result(unsafe {
            sys::zrs_lib_compress(
                self.lib,
                src.as_ptr().cast(),
                slen,
                dst.as_mut_ptr().cast(),
                &mut dlen,
                wrk.as_mut_ptr().cast(),
            )
        })?;
        Ok((dlen as usize).min(dst.len()))
    }

    /// Decompress `src` into `dst`; the decompressed length.
    pub(crate) fn decompress(&self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        let slen = c_uint::try_from(src.len()).map_err(|_| EINVAL)?;
        let mut dlen = c_uint::try_from(dst.len()).map_err(|_| EINVAL)?;
        // SAFETY: `lib` valid (invariant); the safe decompressors never
        // read past `slen` or write past `dlen`.
        to_result(unsafe {
            sys::zrs_lib_decompress(
                self.lib,
                src.as_ptr().cast(),
                slen,
                dst.as_mut_ptr().cast(),
                &mut dlen,
            )
        })?;
        Ok((dlen as usize).min(dst.len()))
    }
}
