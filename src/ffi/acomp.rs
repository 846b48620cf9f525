// SPDX-License-Identifier: GPL-2.0

//! A crypto acomp transform with its request: a synchronous
//! implementation, or an asynchronous one (a hardware compressor's), whose
//! requests are waited for.

use super::bindings as b;
use kernel::error::to_result;
use kernel::prelude::*;

/// Whether the crypto API has a compressor `name`. Looking it up
/// loads its module if needed (through `modprobe`): never call this, or
/// anything that allocates a transform for an algorithm not yet pinned,
/// with the CPU-hotplug lock held.
pub(crate) fn available(name: &CStr) -> bool {
    // SAFETY: `name` is a valid NUL-terminated string for the call.
    unsafe { b::zrs_acomp_has(name.as_char_ptr()) }
}

/// A transform and a request for it.
///
/// # Invariants
///
/// `tfm` and `req` are valid, were allocated together by `zrs_acomp_new`,
/// and are owned by this object.
pub(crate) struct Acomp {
    tfm: *mut b::crypto_acomp,
    req: *mut b::acomp_req,
}

// SAFETY: the transform and request are plain heap objects with no CPU or
// thread affinity; `Acomp` is used through `&mut` only (one user at a time).
unsafe impl Send for Acomp {}

impl Acomp {
    /// Allocate a transform for `name` on NUMA node `node` (-1: any).
    pub(crate) fn new(name: &CStr, node: i32) -> Result<Self> {
        let mut tfm = core::ptr::null_mut();
        let mut req = core::ptr::null_mut();
        // SAFETY: `name` is NUL-terminated; `tfm` and `req` are valid
        // out-pointers for the duration of the call.
        to_result(unsafe { b::zrs_acomp_new(name.as_char_ptr(), node, &mut tfm, &mut req) })?;
        // INVARIANT: on success both were allocated and are now owned here.
        Ok(Acomp { tfm, req })
    }

    fn run(&mut self, compress: bool, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        let slen = u32::try_from(src.len()).map_err(|_| EINVAL)?;
        let mut dlen = u32::try_from(dst.len()).map_err(|_| EINVAL)?;
        // SAFETY: `req` is valid (type invariant) and used by us alone
        // (`&mut self`); `src` and `dst` are valid for `slen`/`dlen` bytes
        // until the call returns, which for an asynchronous implementation
        // is after its completion; `dlen` is a valid out-pointer.
        let ret = unsafe {
            b::zrs_acomp_run(
                self.req,
                compress,
                src.as_ptr().cast(),
                slen,
                dst.as_mut_ptr().cast(),
                &mut dlen,
            )
        };
        to_result(ret)?;
        Ok((dlen as usize).min(dst.len()))
    }

    /// Compress `src` into `dst`; the compressed length.
    pub(crate) fn compress(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        self.run(true, src, dst)
    }

    /// Decompress `src` into `dst`; the decompressed length.
    pub(crate) fn decompress(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        self.run(false, src, dst)
    }
}

impl Drop for Acomp {
    fn drop(&mut self) {
        // SAFETY: by the type invariant both are valid and owned by us.
        unsafe { b::zrs_acomp_free(self.tfm, self.req) };
    }
}
