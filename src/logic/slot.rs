// SPDX-License-Identifier: GPL-2.0

//! Per-slot metadata layout: one 64-bit word beside the handle, 16 bytes a
//! slot in all, the same as the C zram's `zram_table_entry` with access-time
//! tracking (which we always have).
//!
//! ```text
//!  63          32 31    24 23  22  21 20 19   18   17   16  15  14   13  12..0
//! +-------------+--------+---+----+-----+----+----+----+----+---+----+----+-----+
//! | ac_time (s) | unused |ul |unit|prio |inc |idle|huge| pp |wb |lock|same|size |
//! +-------------+--------+---+----+-----+----+----+----+----+---+----+----+-----+
//! ```
//!
//! `size` needs `PAGE_SHIFT + 1` bits (0..=4096). The lock bit is taken with
//! a sleeping bit lock; every other field is changed only by its holder.
//!
//! A slot with `unit` set is a member of a unit (`unit_size`): several
//! pages compressed as one object, stored as chunks of at most a page in
//! the members' handle fields, in order (`size` is then the chunk's
//! length, 0 for a member that holds none). `ul` says whether the
//! member's own page is still live; the chunks go with the last one.

use super::parse::PAGE_SHIFT;

/// First flag bit: the size field takes the bits below it.
pub const FLAG_SHIFT: u32 = PAGE_SHIFT + 1;
/// Page holds one repeated word, stored in the handle field.
pub const SAME: u32 = FLAG_SHIFT;
/// The slot lock bit.
pub const LOCK: u32 = FLAG_SHIFT + 1;
/// Page lives on the backing device.
pub const WB: u32 = FLAG_SHIFT + 2;
/// Selected for post-processing (writeback, recompression).
pub const PP_SLOT: u32 = FLAG_SHIFT + 3;
/// Stored uncompressed: it did not compress below the huge class size.
pub const HUGE: u32 = FLAG_SHIFT + 4;
/// Not accessed since the last idle marking.
pub const IDLE: u32 = FLAG_SHIFT + 5;
/// No algorithm could compress it.
pub const INCOMPRESSIBLE: u32 = FLAG_SHIFT + 6;
/// First of the two bits of the compression priority.
pub const PRIO_SHIFT: u32 = FLAG_SHIFT + 7;
const PRIO_MASK: u64 = 0x3;
/// Member of a unit: the handle and size fields hold one of its chunks.
pub const UNIT: u32 = FLAG_SHIFT + 9;
/// Member of a unit whose page is live (read, not yet freed or rewritten).
pub const ULIVE: u32 = FLAG_SHIFT + 10;
const SIZE_MASK: u64 = (1 << FLAG_SHIFT) - 1;
const ACTIME_SHIFT: u32 = 32;

/// A decoded view of the attribute word. Plain value: the caller holds the
/// slot lock while reading and writing it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attr(pub u64);

impl Attr {
    /// Stored object size in bytes (0 if nothing is stored in zsmalloc).
    pub fn size(self) -> usize {
        (self.0 & SIZE_MASK) as usize
    }

    /// With `size` replaced; sizes above a page are clamped (never produced).
    pub fn with_size(self, size: usize) -> Attr {
        let size = (size as u64).min(1 << PAGE_SHIFT);
        Attr((self.0 & !SIZE_MASK) | size)
    }

    /// Whether `flag` (one of the bit constants) is set.
    pub fn test(self, flag: u32) -> bool {
        self.0 & (1 << flag) != 0
    }

    /// With `flag` set or cleared.
    pub fn with(self, flag: u32, on: bool) -> Attr {
        if on {
            Attr(self.0 | (1 << flag))
        } else {
            Attr(self.0 & !(1 << flag))
        }
    }

    /// Compression priority (0 = primary algorithm).
    pub fn prio(self) -> u32 {
        ((self.0 >> PRIO_SHIFT) & PRIO_MASK) as u32
    }

    /// With the compression priority replaced (masked to two bits).
    pub fn with_prio(self, prio: u32) -> Attr {
        let v = self.0 & !(PRIO_MASK << PRIO_SHIFT);
        Attr(v | ((u64::from(prio) & PRIO_MASK) << PRIO_SHIFT))
    }

    /// Last access time, seconds since boot (truncated to 32 bits).
    pub fn ac_time(self) -> u32 {
        (self.0 >> ACTIME_SHIFT) as u32
    }

    /// With the access time replaced.
    pub fn with_ac_time(self, secs: u32) -> Attr {
        Attr((self.0 & 0xffff_ffff) | (u64::from(secs) << ACTIME_SHIFT))
    }

    /// Marked accessed now: not idle, not selected, access time updated.
    pub fn accessed(self, now: u32) -> Attr {
        self.with(IDLE, false)
            .with(PP_SLOT, false)
            .with_ac_time(now)
    }

    /// What is left after freeing the slot: only the lock bit survives
    /// (the caller holds it).
    pub fn freed(self) -> Attr {
        Attr(self.0 & (1 << LOCK))
    }

    /// Whether the slot holds data (compressed, same-filled, written back,
    /// or a live page of a unit).
    pub fn allocated(self) -> bool {
        if self.test(UNIT) {
            return self.test(ULIVE);
        }
        self.size() != 0 || self.test(SAME) || self.test(WB)
    }
}

/// Bytes of metadata per slot: handle plus attribute word.
pub const SLOT_BYTES: usize = 16;

/// If `page` consists of one repeated machine word, that word.
pub fn same_filled(page: &[u8]) -> Option<u64> {
    if page.len() < 8 || page.len() % 8 != 0 {
        return None;
    }
    // Whole words, compared as words (chunks are exactly 8 bytes long).
    let word = |c: &[u8]| <[u8; 8]>::try_from(c).ok().map(u64::from_ne_bytes);
    let first = word(page.get(..8)?)?;
    // The last word first: most pages that are not same-filled differ there
    // already (the C driver's trick too).
    if word(page.get(page.len() - 8..)?)? != first {
        return None;
    }
    // Then every word, eight at a time: a fixed-size block unrolls into a
    // compare and a branch per word with one loop step per eight (about 2.4
    // instructions per word; the plain iterator compiled to 2.8).
    let mut blocks = page.chunks_exact(64);
    for b in &mut blocks {
        let b = <&[u8; 64]>::try_from(b).ok()?;
        for c in b.chunks_exact(8) {
            if word(c) != Some(first) {
                return None;
            }
        }
    }
    blocks
        .remainder()
        .chunks_exact(8)
        .all(|c| word(c) == Some(first))
        .then_some(first)
}

/// Copy `src` into `dst` if they have the same length (no panic path:
/// a length mismatch is reported, not a BUG).
pub fn copy(dst: &mut [u8], src: &[u8]) -> bool {
    if dst.len() != src.len() {
        return false;
    }
    dst.iter_mut().zip(src).for_each(|(d, s)| *d = *s);
    true
}

/// Fill `page` with the repeated word `value`.
pub fn fill(page: &mut [u8], value: u64) {
    let b = value.to_ne_bytes();
    if value == 0 {
        page.fill(0);
        return;
    }
    for w in page.chunks_exact_mut(8) {
        w.copy_from_slice(&b);
    }
}
