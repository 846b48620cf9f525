// SPDX-License-Identifier: GPL-2.0

//! The statistics files, formatted byte for byte as the C zram formats them.

use core::fmt::{self, Write};

use super::parse::PAGE_SHIFT;

/// What `mm_stat` shows, in the C driver's units (pages where it counts
/// pages; the formatter converts to bytes where the C driver does).
#[derive(Debug, Default, Clone, Copy)]
pub struct MmStat {
    /// Pages stored (`orig_data_size` once shifted).
    pub pages_stored: u64,
    /// Bytes of compressed data.
    pub compr_data_size: u64,
    /// Pages the pool uses (`mem_used_total` once shifted).
    pub mem_used_pages: u64,
    /// `mem_limit` in pages (0: none).
    pub limit_pages: u64,
    /// Peak pool pages.
    pub max_used_pages: u64,
    /// Same-filled pages (no memory).
    pub same_pages: u64,
    /// Pages freed by compaction.
    pub pages_compacted: u64,
    /// Incompressible pages stored raw.
    pub huge_pages: u64,
    /// Incompressible pages ever stored since init.
    pub huge_pages_since: u64,
}

/// `"%8llu %8llu %8llu %8lu %8ld %8llu %8lu %8llu %8llu\n"`.
pub fn write_mm_stat(w: &mut impl Write, s: &MmStat) -> fmt::Result {
    writeln!(
        w,
        "{:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        s.pages_stored << PAGE_SHIFT,
        s.compr_data_size,
        s.mem_used_pages << PAGE_SHIFT,
        s.limit_pages << PAGE_SHIFT,
        // `%8ld` of a long: the C driver's max_used is signed.
        (s.max_used_pages << PAGE_SHIFT) as i64,
        s.same_pages,
        s.pages_compacted,
        s.huge_pages,
        s.huge_pages_since
    )
}

/// `unit_stat` (ours, for `unit_size`), in `io_stat`'s format: units
/// stored now, units written (since the device was initialised), page
/// reads that decompressed a whole unit, units split into pages, and unit
/// writes stored as pages (poorly compressible, or no memory for the
/// chunks).
pub fn write_unit_stat(w: &mut impl Write, s: [u64; 5]) -> fmt::Result {
    writeln!(
        w,
        "{:>8} {:>8} {:>8} {:>8} {:>8}",
        s[0], s[1], s[2], s[3], s[4]
    )
}

/// `"%8llu %8llu 0 %8llu\n"`: failed reads, failed writes, (a retired field
/// that is always 0), slots freed by discard and swap notifications.
pub fn write_io_stat(
    w: &mut impl Write,
    failed_reads: u64,
    failed_writes: u64,
    notify_free: u64,
) -> fmt::Result {
    writeln!(
        w,
        "{:>8} {:>8} 0 {:>8}",
        failed_reads, failed_writes, notify_free
    )
}

/// `"version: %d\n0 %8llu\n"`.
pub fn write_debug_stat(w: &mut impl Write, miss_free: u64) -> fmt::Result {
    write!(w, "version: 1\n0 {:>8}\n", miss_free)
}

/// `bd_stat`: blocks on the backing device, reads from and writes to it
/// (4 KiB units).
pub fn write_bd_stat(w: &mut impl Write, count: u64, reads: u64, writes: u64) -> fmt::Result {
    writeln!(w, "{count:8} {reads:8} {writes:8}")
}

/// A `fmt::Write` sink over a fixed buffer that stops at its end, like
/// `sysfs_emit()` into its one page.
pub struct BufWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> BufWriter<'a> {
    /// An empty writer over `buf`.
    pub fn new(buf: &'a mut [u8]) -> Self {
        BufWriter { buf, len: 0 }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// What was written.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Append raw bytes (not necessarily UTF-8, e.g. a path), truncating
    /// at the end of the buffer.
    pub fn write_bytes(&mut self, b: &[u8]) {
        let room = self.buf.len() - self.len;
        let n = b.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&b[..n]);
        self.len += n;
    }
}

impl Write for BufWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.buf.len() - self.len;
        let n = s.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        if n < s.len() {
            Err(fmt::Error)
        } else {
            Ok(())
        }
    }
}
