// SPDX-License-Identifier: GPL-2.0

//! A device's backing device (`backing_dev`): the open block device and
//! the map of its blocks that hold written-back pages.

use crate::ffi::bdev::BdevFile;
use kernel::alloc::KVVec;
use kernel::prelude::*;
use kernel::sync::atomic::{Atomic, Relaxed};

/// The backing device of a zram device.
///
/// # Invariants
///
/// `map` has a bit for each of `file`'s pages; a set bit is a block that a
/// slot owns (or a writeback is about to fill). Bits are only set by
/// `reserve`, whose callers are serialised (they hold the device lock), and
/// cleared by `release`, from any context.
pub(crate) struct Backing {
    file: BdevFile,
    map: KVVec<Atomic<u64>>,
}

impl Backing {
    /// Open `path` and make an empty block map for it.
    pub(crate) fn open(path: &CStr) -> Result<Self> {
        let file = BdevFile::open(path)?;
        let words = usize::try_from(file.nr_pages().div_ceil(64)).map_err(|_| ENOMEM)?;
        let mut map = KVVec::with_capacity(words, GFP_KERNEL | __GFP_NOWARN)?;
        for _ in 0..words {
            map.push_within_capacity(Atomic::new(0))
                .map_err(|_| ENOMEM)?;
        }
        Ok(Backing { file, map })
    }

    /// The open device.
    pub(crate) fn file(&self) -> &BdevFile {
        &self.file
    }

    /// Take a free block, or `None` if the device is full. Callers hold the
    /// device lock (see the type invariant).
    pub(crate) fn reserve(&self) -> Option<u64> {
        let nr = self.file.nr_pages();
        for (w, word) in self.map.iter().enumerate() {
            let v = word.load(Relaxed);
            if v == u64::MAX {
                continue;
            }
            let bit = (!v).trailing_zeros();
            let blk = w as u64 * 64 + u64::from(bit);
            if blk >= nr {
                return None;
            }
            // Concurrent `release`s only clear other bits: the one we take
            // stays clear until we set it.
            update(word, |v| v | (1 << bit));
            return Some(blk);
        }
        None
    }

    /// Give block `blk` back. Atomic: may run under a spinlock (swap's free
    /// notification). Returns whether it was taken.
    pub(crate) fn release(&self, blk: u64) -> bool {
        let Some(word) = usize::try_from(blk / 64).ok().and_then(|w| self.map.get(w)) else {
            return false;
        };
        let bit = 1u64 << (blk % 64);
        update(word, |v| v & !bit) & bit != 0
    }
}

/// Atomically replace `word` by `f(word)`; the old value.
fn update(word: &Atomic<u64>, f: impl Fn(u64) -> u64) -> u64 {
    let mut cur = word.load(Relaxed);
    loop {
        match word.cmpxchg(cur, f(cur), Relaxed) {
            Ok(old) => return old,
            Err(now) => cur = now,
        }
    }
}
