// SPDX-License-Identifier: GPL-2.0

//! Units (`unit_size`, ours): an aligned run of pages written in one bio
//! segment, such as a large folio going to swap, compressed as one object.
//!
//! zsmalloc allocates at most a page, so a unit's compressed bytes are
//! stored as chunks: whole pages, then the tail, one per member slot, in
//! order. A whole-page chunk sits alone in a zspage of the largest class
//! and wastes nothing; only the tail is packed. A unit has at least as
//! many members as chunks, since it is kept only when it compresses to
//! less than its pages would take stored raw.

use super::parse::{memparse, trim, ParseError, PAGE_SHIFT, PAGE_SIZE};
use super::slot::{Attr, ULIVE, UNIT};

const PAGE: usize = PAGE_SIZE as usize;

/// The largest unit, in pages (64 KiB with 4 KiB pages): the largest
/// mTHP order anonymous memory commonly swaps whole below the PMD size.
pub const MAX_UNIT_PAGES: usize = 16;

/// The unit order `unit_size` sets, from its input: a size as `memparse`
/// reads it (`65536`, `64K`), a power of two from a page (units off,
/// order 0) to `MAX_UNIT_PAGES` pages. `Invalid` for anything else.
pub fn parse_unit_size(input: &[u8]) -> Result<u32, ParseError> {
    let s = trim(input);
    let (bytes, used) = memparse(s);
    if used == 0 || used != s.len() {
        return Err(ParseError::Invalid);
    }
    if !bytes.is_power_of_two() || bytes < PAGE_SIZE || bytes > (MAX_UNIT_PAGES * PAGE) as u64 {
        return Err(ParseError::Invalid);
    }
    Ok(bytes.trailing_zeros() - PAGE_SHIFT)
}

/// Bytes in a unit of `order`.
pub fn unit_bytes(order: u32) -> usize {
    PAGE << order
}

/// The length of chunk `k` of an object of `len` bytes cut into pages.
pub fn chunk_len(len: usize, k: usize) -> usize {
    len.saturating_sub(k.saturating_mul(PAGE)).min(PAGE)
}

/// Whether a unit of `pages` pages that compressed to `len` bytes is
/// stored as a unit: only if it takes fewer bytes than its pages would if
/// each were stored raw, which any page compressing to `huge` bytes or
/// more is. Otherwise its pages are stored one by one.
pub fn keep_unit(len: usize, pages: usize, huge: usize) -> bool {
    len != 0 && len < pages.saturating_mul(huge.min(PAGE)) && len.div_ceil(PAGE) <= pages
}

/// The size post-processing sees for a member of a unit compressed to
/// `len` bytes over `pages` pages: its share, rounded up, at least 1.
pub fn member_size(len: usize, pages: usize) -> usize {
    len.div_ceil(pages.max(1)).clamp(1, PAGE)
}

/// How post-processing sees member `a` of a unit compressed to `len`
/// bytes over `pages` pages: a page of its own, with its share of the
/// size, its idle mark and access time; nothing if it is not live.
pub fn member_view(a: Attr, len: usize, pages: usize) -> Attr {
    if !a.test(UNIT) {
        return a;
    }
    if !a.test(ULIVE) {
        return Attr(0);
    }
    a.with(UNIT, false)
        .with(ULIVE, false)
        .with_size(member_size(len, pages))
}
