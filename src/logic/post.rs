// SPDX-License-Identifier: GPL-2.0

//! Post-processing requests: what `idle`, `writeback`, `recompress` and
//! `recomp_algorithm` accept, parsed exactly as the C zram of Linux 7.3
//! parses them (same order of checks, same errno), and the line format of
//! debugfs `block_state`.

use core::fmt::{self, Write};

use super::parse::{kstrtoint, kstrtoull, kv_args, sysfs_streq, ParseError};
use super::slot::{Attr, HUGE, IDLE, INCOMPRESSIBLE, SAME, UNIT, WB};

/// Writeback selects huge slots.
pub const WB_HUGE: u32 = 1 << 0;
/// Writeback selects idle slots.
pub const WB_IDLE: u32 = 1 << 1;
/// Writeback selects slots no algorithm could compress.
pub const WB_INCOMPRESSIBLE: u32 = 1 << 2;

/// Recompression selects idle slots.
pub const RECOMP_IDLE: u32 = 1 << 0;
/// Recompression selects huge slots.
pub const RECOMP_HUGE: u32 = 1 << 1;

/// Post-processing buckets are size classes this many bytes wide: the
/// largest objects are processed first, as in C.
pub const PP_BUCKET_BYTES: usize = 64;

/// `kstrtouint()`.
pub fn kstrtouint(s: &[u8], base: u32) -> Result<u32, ParseError> {
    u32::try_from(kstrtoull(s, base)?).map_err(|_| ParseError::Range)
}

/// A writeback mode name (`idle`, `huge`, `huge_idle`, `incompressible`).
pub fn wb_mode(name: &[u8]) -> Option<u32> {
    match name {
        b"idle" => Some(WB_IDLE),
        b"huge" => Some(WB_HUGE),
        b"huge_idle" => Some(WB_IDLE | WB_HUGE),
        b"incompressible" => Some(WB_INCOMPRESSIBLE),
        _ => None,
    }
}

/// Parse a `writeback` request for a device of `nr_pages` pages, calling
/// `scan(mode, lo, hi)` for each range of slots to select, in the order
/// and with the arguments the C driver scans them: a mode (`idle`,
/// `type=huge`, ...) scans the current range (all pages at first) and ends
/// the request; `page_index=N` and `page_indexes=A-B` scan their range with
/// the mode so far. Unknown keys are ignored. An error may come after some
/// ranges were scanned, exactly as in C (which then discards them).
pub fn parse_writeback(
    input: &[u8],
    nr_pages: u64,
    mut scan: impl FnMut(u32, u64, u64),
) -> Result<(), ParseError> {
    let (mut lo, mut hi, mut mode) = (0u64, nr_pages, 0u32);
    for (key, val) in kv_args(input) {
        let val = match val {
            // The legacy form: a bare mode name.
            None => {
                mode = wb_mode(key).ok_or(ParseError::Invalid)?;
                scan(mode, lo, hi);
                return Ok(());
            }
            Some(v) => v,
        };
        match key {
            b"type" => {
                mode = wb_mode(val).ok_or(ParseError::Invalid)?;
                scan(mode, lo, hi);
                return Ok(());
            }
            b"page_index" => {
                lo = kstrtoull(val, 10)?;
                if lo >= nr_pages {
                    return Err(ParseError::Range);
                }
                hi = lo + 1;
                scan(mode, lo, hi);
            }
            b"page_indexes" => {
                let dash = val
                    .iter()
                    .position(|&c| c == b'-')
                    .ok_or(ParseError::Invalid)?;
                lo = kstrtoull(&val[..dash], 10)?;
                if lo >= nr_pages {
                    return Err(ParseError::Range);
                }
                let last = kstrtoull(&val[dash + 1..], 10)?;
                if last >= nr_pages || lo > last {
                    return Err(ParseError::Range);
                }
                hi = last + 1;
                scan(mode, lo, hi);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Whether writeback in `mode` may select a slot with attributes `a`.
pub fn wb_selects(mode: u32, a: Attr) -> bool {
    if !a.allocated() || a.test(WB) || a.test(SAME) {
        return false;
    }
    // Each mode bit asked for needs its flag.
    let has = |bit: u32, flag: u32| mode & bit == 0 || a.test(flag);
    has(WB_IDLE, IDLE) && has(WB_HUGE, HUGE) && has(WB_INCOMPRESSIBLE, INCOMPRESSIBLE)
}

/// What `recompress` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recompress<'a> {
    /// `RECOMP_*` bits; 0 selects every candidate.
    pub mode: u32,
    /// At most this many slots are tried.
    pub max_pages: u64,
    /// Only objects of at least this size are tried, and only results
    /// below it kept (0: no threshold).
    pub threshold: u32,
    /// `algo=`.
    pub algo: Option<&'a [u8]>,
    /// `priority=`.
    pub priority: Option<i32>,
}

/// Parse a `recompress` request (the checks C makes before it looks at
/// the device).
pub fn parse_recompress(input: &[u8]) -> Result<Recompress<'_>, ParseError> {
    let mut r = Recompress {
        mode: 0,
        max_pages: u64::MAX,
        threshold: 0,
        algo: None,
        priority: None,
    };
    for (key, val) in kv_args(input) {
        let val = val.ok_or(ParseError::Invalid)?;
        match key {
            b"type" => {
                r.mode = match val {
                    b"idle" => RECOMP_IDLE,
                    b"huge" => RECOMP_HUGE,
                    b"huge_idle" => RECOMP_IDLE | RECOMP_HUGE,
                    _ if r.mode != 0 => r.mode,
                    _ => return Err(ParseError::Invalid),
                }
            }
            b"max_pages" => r.max_pages = kstrtoull(val, 10)?,
            b"threshold" => r.threshold = kstrtouint(val, 10)?,
            b"algo" => r.algo = Some(val),
            b"priority" => r.priority = Some(kstrtoint(val, 10)?),
            _ => {}
        }
    }
    Ok(r)
}

/// Whether recompression with `prio` in `mode` may select slot `a`.
pub fn recomp_selects(mode: u32, prio: u32, a: Attr) -> bool {
    if !a.allocated() {
        return false;
    }
    let has = |bit: u32, flag: u32| mode & bit == 0 || a.test(flag);
    if !has(RECOMP_IDLE, IDLE) || !has(RECOMP_HUGE, HUGE) {
        return false;
    }
    if a.test(WB) || a.test(SAME) || a.test(INCOMPRESSIBLE) {
        return false;
    }
    a.prio() < prio
}

/// Parse `recomp_algorithm` (`algo=NAME [priority=N]`): the name and the
/// priority (1 if not given), range-checked against `max_comps`.
pub fn parse_recomp_algorithm(input: &[u8], max_comps: i32) -> Result<(&[u8], i32), ParseError> {
    let (mut algo, mut prio) = (None, 1);
    for (key, val) in kv_args(input) {
        let val = val.ok_or(ParseError::Invalid)?;
        match key {
            b"algo" => algo = Some(val),
            b"priority" => prio = kstrtoint(val, 10)?,
            _ => {}
        }
    }
    let algo = algo.ok_or(ParseError::Invalid)?;
    if !(1..max_comps).contains(&prio) {
        return Err(ParseError::Invalid);
    }
    Ok((algo, prio))
}

/// What `idle` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idle {
    /// Mark every slot idle.
    All,
    /// Mark slots not accessed since this boot-time second idle, the
    /// others not idle.
    Before(u32),
    /// Nothing can be that old: succeed without looking at the device.
    Nothing,
}

/// Parse `idle` (`all` or an age in seconds) at boot time `now`.
pub fn parse_idle(input: &[u8], now: u64) -> Result<Idle, ParseError> {
    if sysfs_streq(input, b"all") {
        return Ok(Idle::All);
    }
    let age = kstrtouint(input, 0).map_err(|_| ParseError::Invalid)?;
    if u64::from(age) >= now {
        return Ok(Idle::Nothing);
    }
    // now - age >= 1 and the slot times are 32-bit seconds, as in C.
    Ok(Idle::Before((now - u64::from(age)) as u32))
}

/// Whether a slot accessed at `ac_time` is idle under `cutoff`.
pub fn is_idle(cutoff: Idle, ac_time: u32) -> bool {
    match cutoff {
        Idle::All => true,
        Idle::Before(c) => c > ac_time,
        Idle::Nothing => false,
    }
}

/// One line of debugfs `block_state`, as the C driver prints it.
pub fn write_block_state(w: &mut impl Write, index: usize, a: Attr) -> fmt::Result {
    let flag = |f: u32, c: char| if a.test(f) { c } else { '.' };
    writeln!(
        w,
        "{:12} {:12}.{:06} {}{}{}{}{}{}{}",
        index,
        a.ac_time(),
        0,
        flag(SAME, 's'),
        flag(WB, 'w'),
        flag(HUGE, 'h'),
        flag(IDLE, 'i'),
        if a.prio() != 0 { 'r' } else { '.' },
        flag(INCOMPRESSIBLE, 'n'),
        // Only unit members (unit_size, ours) get a seventh column.
        if a.test(UNIT) { "u" } else { "" },
    )
}

/// Number of post-processing buckets (sizes 0 to a whole page).
pub const NR_PP_BUCKETS: usize = super::parse::PAGE_SIZE as usize / PP_BUCKET_BYTES + 1;

/// The post-processing bucket of an object of `size` bytes.
pub fn pp_bucket(size: usize) -> usize {
    (size / PP_BUCKET_BYTES).min(NR_PP_BUCKETS - 1)
}

/// The order in which the C driver processes candidates selected as
/// `(bucket, index)` in `cands`: largest bucket first and, within a bucket,
/// the last selected first (its buckets are LIFO lists). Writes the slot
/// indexes into `out`, which must be as long as `cands`; a counting sort,
/// linear and allocation-free.
pub fn pp_order(cands: &[(usize, usize)], out: &mut [usize]) -> bool {
    if out.len() != cands.len() {
        return false;
    }
    let mut next = [0usize; NR_PP_BUCKETS];
    for &(b, _) in cands {
        match next.get_mut(b) {
            Some(n) => *n += 1,
            None => return false,
        }
    }
    let mut pos = 0;
    for n in next.iter_mut().rev() {
        let count = *n;
        *n = pos;
        pos += count;
    }
    for &(b, index) in cands.iter().rev() {
        let Some(n) = next.get_mut(b) else {
            return false;
        };
        let Some(o) = out.get_mut(*n) else {
            return false;
        };
        *o = index;
        *n += 1;
    }
    true
}
