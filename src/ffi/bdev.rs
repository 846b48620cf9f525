// SPDX-License-Identifier: GPL-2.0

//! A backing device: a block device opened exclusively by path, read and
//! written a page at a time.

use super::bindings as b;
use kernel::ffi::{c_char, c_uint};
use kernel::prelude::*;

const PAGE: usize = crate::logic::parse::PAGE_SIZE as usize;

/// An open backing device.
///
/// # Invariants
///
/// `file` is a block device file opened by `zrs_bdev_open` (exclusively,
/// read-write), owned by this object and closed by its drop; the device
/// has `nr_pages` pages.
pub(crate) struct BdevFile {
    file: *mut b::file,
    nr_pages: u64,
}

// SAFETY: a `struct file` may be used and closed from any thread; the block
// layer synchronises I/O to the device.
unsafe impl Send for BdevFile {}
// SAFETY: as above: every method is safe to call concurrently.
unsafe impl Sync for BdevFile {}

/// One page of I/O for `BdevFile::rw`.
pub(crate) struct PageIo<'a> {
    /// A page of data: written out, or read into.
    pub(crate) buf: &'a mut [u8],
    /// Block (page) index on the device.
    pub(crate) blk: u64,
    /// The outcome, set by `rw`.
    pub(crate) result: Result,
}

impl BdevFile {
    /// Open `path` as the C zram opens a backing device: `ENOTBLK` for
    /// anything but a block device, `EINVAL` for an empty one, and the
    /// errno of the open itself (`ENOENT`, `EBUSY` if in use, ...).
    pub(crate) fn open(path: &CStr) -> Result<Self> {
        let mut nr_pages = 0u64;
        // SAFETY: `path` is NUL-terminated and `nr_pages` writable.
        let file = unsafe { b::zrs_bdev_open(path.as_char_ptr(), &mut nr_pages) };
        let file = kernel::error::from_err_ptr(file)?;
        // INVARIANT: an open, owned block device file of `nr_pages` pages.
        Ok(BdevFile { file, nr_pages })
    }

    /// Size in pages.
    pub(crate) fn nr_pages(&self) -> u64 {
        self.nr_pages
    }

    /// The path of the device (as `file_path()` gives it) into `buf`; the
    /// number of bytes written.
    pub(crate) fn path(&self, buf: &mut [u8]) -> Result<usize> {
        // SAFETY: `file` is open (type invariant); `buf` is writable for
        // its length, which the helper does not exceed.
        let n =
            unsafe { b::zrs_bdev_path(self.file, buf.as_mut_ptr().cast::<c_char>(), buf.len()) };
        if n < 0 {
            return Err(Error::from_errno(n as i32));
        }
        Ok(n as usize)
    }

    /// Read block `blk` into `buf` (one page). Safe to call from our own
    /// `submit_bio`: the helper then waits from a worker.
    pub(crate) fn read_page(&self, blk: u64, buf: &mut [u8]) -> Result {
        if buf.len() != PAGE {
            return Err(EINVAL);
        }
        let mut io = b::zrs_bdev_io {
            buf: buf.as_mut_ptr().cast(),
            blk,
            err: 0,
        };
        // SAFETY: `file` is open (type invariant); `io.buf` is a live page we
        // borrow exclusively, and the helper returns after the I/O is done.
        unsafe { b::zrs_bdev_rw(self.file, &mut io, 1, false) };
        match io.err {
            0 => Ok(()),
            e => Err(Error::from_errno(e)),
        }
    }

    /// Write every page of `ios`, all in flight at once, and wait for them;
    /// each gets its own result. Process context only (sysfs writeback).
    pub(crate) fn write_pages(&self, ios: &mut [PageIo<'_>]) -> Result {
        let mut raw = KVec::with_capacity(ios.len(), GFP_KERNEL)?;
        for io in ios.iter_mut() {
            if io.buf.len() != PAGE {
                return Err(EINVAL);
            }
            raw.push(
                b::zrs_bdev_io {
                    buf: io.buf.as_mut_ptr().cast(),
                    blk: io.blk,
                    err: 0,
                },
                GFP_KERNEL,
            )?;
        }
        let n = c_uint::try_from(raw.len()).map_err(|_| EINVAL)?;
        // SAFETY: `file` is open (type invariant); `raw` holds `n` requests
        // whose buffers are each a live, exclusively borrowed page (checked
        // above), and the helper returns only after all I/O has completed.
        unsafe { b::zrs_bdev_rw(self.file, raw.as_mut_ptr(), n, true) };
        for (io, r) in ios.iter_mut().zip(raw.iter()) {
            io.result = match r.err {
                0 => Ok(()),
                e => Err(Error::from_errno(e)),
            };
        }
        Ok(())
    }
}

impl Drop for BdevFile {
    fn drop(&mut self) {
        // SAFETY: `file` is open and owned (type invariant); no I/O is in
        // flight (`rw` waits for all of its requests).
        unsafe { b::filp_close(self.file, core::ptr::null_mut()) };
    }
}
