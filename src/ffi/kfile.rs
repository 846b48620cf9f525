// SPDX-License-Identifier: GPL-2.0

//! A file read whole into kernel memory, as the C zram reads a compression
//! dictionary (`kernel_read_file_from_path()`, with the LSM hooks of
//! `READING_POLICY`).

use super::bindings as b;
use core::ptr::NonNull;
use kernel::ffi::c_void;
use kernel::prelude::*;

/// The contents of a file.
///
/// # Invariants
///
/// `buf` points to `len` initialised bytes that `kernel_read_file_*`
/// allocated (vmalloc), owned by this object and never written.
pub(crate) struct FileData {
    buf: NonNull<u8>,
    len: usize,
}

// SAFETY: an immutable heap buffer with no thread or CPU affinity.
unsafe impl Send for FileData {}
// SAFETY: shared access only reads.
unsafe impl Sync for FileData {}

impl FileData {
    /// Read the file at `path` (up to `INT_MAX` bytes, as C). Errors as the
    /// C zram's: the read's own (`ENOENT`, `EACCES`, `EFBIG`, ...), and
    /// `EINVAL` for an empty file.
    pub(crate) fn read(path: &CStr) -> Result<Self> {
        let mut buf: *mut c_void = core::ptr::null_mut();
        // SAFETY: `path` is NUL-terminated; `buf` is a valid out-pointer,
        // NULL on entry so that the function allocates; a NULL file size
        // is allowed.
        let n = unsafe {
            b::kernel_read_file_from_path(
                path.as_char_ptr(),
                0,
                &mut buf,
                i32::MAX as usize,
                core::ptr::null_mut(),
                b::kernel_read_file_id_READING_POLICY,
            )
        };
        if n < 0 {
            // Failed: nothing was left allocated.
            return Err(Error::from_errno(n as i32));
        }
        let Some(buf) = NonNull::new(buf.cast::<u8>()) else {
            return Err(EINVAL);
        };
        // INVARIANT: on success `buf` holds the `n` bytes read, ours to
        // free (an empty result is freed at once).
        let data = FileData {
            buf,
            len: n as usize,
        };
        if data.len == 0 {
            return Err(EINVAL);
        }
        Ok(data)
    }

    /// The bytes.
    pub(crate) fn as_slice(&self) -> &[u8] {
        // SAFETY: by the type invariant.
        unsafe { core::slice::from_raw_parts(self.buf.as_ptr(), self.len) }
    }
}

impl Drop for FileData {
    fn drop(&mut self) {
        // SAFETY: by the type invariant the buffer is ours; `kvfree`
        // frees vmalloc memory.
        unsafe { b::kvfree(self.buf.as_ptr().cast()) };
    }
}
