// SPDX-License-Identifier: GPL-2.0
//! Post-processing requests parse as the C zram parses them.

use zram_rs_logic::logic::parse::ParseError::{Invalid, Range};
use zram_rs_logic::logic::post::*;
use zram_rs_logic::logic::slot::{Attr, HUGE, IDLE, INCOMPRESSIBLE, SAME, WB};
use zram_rs_logic::logic::stats::BufWriter;

fn wb(
    input: &str,
    n: u64,
) -> (
    Result<(), zram_rs_logic::logic::parse::ParseError>,
    Vec<(u32, u64, u64)>,
) {
    let mut scans = Vec::new();
    let r = parse_writeback(input.as_bytes(), n, |m, lo, hi| scans.push((m, lo, hi)));
    (r, scans)
}

#[test]
fn writeback_requests() {
    assert_eq!(wb("idle\n", 10), (Ok(()), vec![(WB_IDLE, 0, 10)]));
    assert_eq!(
        wb("type=huge_idle", 10),
        (Ok(()), vec![(WB_IDLE | WB_HUGE, 0, 10)])
    );
    assert_eq!(wb("idle=", 10), (Ok(()), vec![(WB_IDLE, 0, 10)]));
    assert_eq!(wb("incompressible", 10).1, vec![(WB_INCOMPRESSIBLE, 0, 10)]);
    assert_eq!(wb("page_index=5", 10), (Ok(()), vec![(0, 5, 6)]));
    assert_eq!(
        wb("page_index=1 page_index=7", 10).1,
        vec![(0, 1, 2), (0, 7, 8)]
    );
    assert_eq!(wb("page_indexes=2-4", 10), (Ok(()), vec![(0, 2, 5)]));
    // A mode after a range scans that range with the mode, then stops.
    assert_eq!(
        wb("page_index=3 huge page_index=4", 10).1,
        vec![(0, 3, 4), (WB_HUGE, 3, 4)]
    );
    assert_eq!(wb("page_indexes=4-2", 10).0, Err(Range));
    assert_eq!(wb("page_indexes=2-10", 10).0, Err(Range));
    assert_eq!(wb("page_indexes=2", 10).0, Err(Invalid));
    assert_eq!(wb("page_indexes=-2", 10).0, Err(Invalid));
    assert_eq!(wb("page_index=10", 10).0, Err(Range));
    assert_eq!(wb("page_index=x", 10).0, Err(Invalid));
    assert_eq!(wb("page_index=99999999999999999999", 10).0, Err(Range));
    assert_eq!(wb("bogus", 10).0, Err(Invalid));
    assert_eq!(wb("type=", 10).0, Err(Invalid));
    assert_eq!(wb("type=bogus", 10).0, Err(Invalid));
    // Nothing asked, nothing scanned; unknown keys ignored.
    assert_eq!(wb("", 10), (Ok(()), vec![]));
    assert_eq!(wb(" \n", 10), (Ok(()), vec![]));
    assert_eq!(wb("foo=bar", 10), (Ok(()), vec![]));
    // An error after a scan still reports the scan (C discards it after).
    assert_eq!(
        wb("page_index=1 page_index=20", 10),
        (Err(Range), vec![(0, 1, 2)])
    );
}

#[test]
fn writeback_selection() {
    let stored = Attr(0).with_size(100);
    assert!(wb_selects(0, stored));
    assert!(!wb_selects(0, Attr(0)));
    assert!(!wb_selects(0, Attr(0).with(SAME, true)));
    assert!(!wb_selects(0, stored.with(WB, true)));
    assert!(!wb_selects(WB_IDLE, stored));
    assert!(wb_selects(WB_IDLE, stored.with(IDLE, true)));
    assert!(!wb_selects(WB_IDLE | WB_HUGE, stored.with(IDLE, true)));
    assert!(wb_selects(
        WB_IDLE | WB_HUGE,
        stored.with(IDLE, true).with(HUGE, true)
    ));
    assert!(wb_selects(
        WB_INCOMPRESSIBLE,
        stored.with(INCOMPRESSIBLE, true)
    ));
}

#[test]
fn recompress_requests() {
    let r = parse_recompress(b"").unwrap();
    assert_eq!(
        (r.mode, r.max_pages, r.threshold, r.algo, r.priority),
        (0, u64::MAX, 0, None, None)
    );
    let r = parse_recompress(b"type=huge_idle threshold=1000 max_pages=5 algo=zstd priority=2\n")
        .unwrap();
    assert_eq!(r.mode, RECOMP_IDLE | RECOMP_HUGE);
    assert_eq!((r.threshold, r.max_pages), (1000, 5));
    assert_eq!((r.algo, r.priority), (Some(&b"zstd"[..]), Some(2)));
    // A bad type after a good one is ignored, as in C.
    assert_eq!(
        parse_recompress(b"type=idle type=bogus").unwrap().mode,
        RECOMP_IDLE
    );
    assert_eq!(parse_recompress(b"type=bogus"), Err(Invalid));
    assert_eq!(parse_recompress(b"max_pages"), Err(Invalid));
    assert_eq!(parse_recompress(b"threshold=99999999999"), Err(Range));
    assert_eq!(parse_recompress(b"priority=-"), Err(Invalid));
    let stored = Attr(0).with_size(300);
    assert!(recomp_selects(0, 1, stored));
    assert!(!recomp_selects(0, 1, stored.with_prio(1)));
    assert!(recomp_selects(0, 2, stored.with_prio(1)));
    assert!(!recomp_selects(RECOMP_HUGE, 1, stored));
    assert!(!recomp_selects(0, 1, stored.with(INCOMPRESSIBLE, true)));
    assert!(!recomp_selects(0, 1, Attr(0).with(SAME, true)));
}

#[test]
fn recomp_algorithm_requests() {
    assert_eq!(
        parse_recomp_algorithm(b"algo=zstd\n", 4),
        Ok((&b"zstd"[..], 1))
    );
    assert_eq!(
        parse_recomp_algorithm(b"algo=zstd priority=3", 4),
        Ok((&b"zstd"[..], 3))
    );
    assert_eq!(
        parse_recomp_algorithm(b"priority=4 algo=zstd", 4),
        Err(Invalid)
    );
    assert_eq!(
        parse_recomp_algorithm(b"priority=0 algo=zstd", 4),
        Err(Invalid)
    );
    assert_eq!(parse_recomp_algorithm(b"priority=2", 4), Err(Invalid));
    assert_eq!(parse_recomp_algorithm(b"algo", 4), Err(Invalid));
    assert_eq!(
        parse_recomp_algorithm(b"algo=zstd priority=x", 4),
        Err(Invalid)
    );
    assert_eq!(
        parse_recomp_algorithm(b"algo=zstd priority=99999999999", 4),
        Err(Range)
    );
}

#[test]
fn idle_requests() {
    assert_eq!(parse_idle(b"all\n", 100), Ok(Idle::All));
    assert_eq!(parse_idle(b"0", 100), Ok(Idle::Before(100)));
    assert_eq!(parse_idle(b"30\n", 100), Ok(Idle::Before(70)));
    assert_eq!(parse_idle(b"0x10", 100), Ok(Idle::Before(84)));
    assert_eq!(parse_idle(b"100", 100), Ok(Idle::Nothing));
    assert_eq!(parse_idle(b"-1", 100), Err(Invalid));
    assert_eq!(parse_idle(b"99999999999", 100), Err(Invalid));
    assert_eq!(parse_idle(b"", 100), Err(Invalid));
    assert!(is_idle(Idle::All, 5));
    assert!(is_idle(Idle::Before(70), 69));
    assert!(!is_idle(Idle::Before(70), 70));
}

#[test]
fn block_state_lines() {
    let mut buf = [0u8; 128];
    let mut w = BufWriter::new(&mut buf);
    let a = Attr(0)
        .with_size(10)
        .with_ac_time(77)
        .with(HUGE, true)
        .with(IDLE, true)
        .with_prio(1);
    write_block_state(&mut w, 5, a).unwrap();
    assert_eq!(w.as_bytes(), b"           5           77.000000 ..hir.\n");
    let mut w = BufWriter::new(&mut buf);
    write_block_state(
        &mut w,
        123456,
        Attr(0)
            .with(SAME, true)
            .with(WB, true)
            .with(INCOMPRESSIBLE, true),
    )
    .unwrap();
    assert_eq!(w.as_bytes(), b"      123456            0.000000 sw...n\n");
}

#[test]
fn processing_order() {
    // Largest bucket first; within one, the last selected first (C's LIFO).
    let cands = [(1, 10), (5, 11), (1, 12), (64, 13), (5, 14)];
    let mut out = [0usize; 5];
    assert!(pp_order(&cands, &mut out));
    assert_eq!(out, [13, 14, 11, 12, 10]);
    assert!(!pp_order(&cands, &mut [0usize; 4]));
    assert!(!pp_order(&[(NR_PP_BUCKETS, 1)], &mut [0usize; 1]));
    assert_eq!(pp_bucket(4096), 64);
    assert_eq!(pp_bucket(63), 0);
}

#[test]
fn quoted_values_as_next_arg() {
    // zram.rst's own form, with the quotes `next_arg()` takes.
    assert_eq!(
        parse_recomp_algorithm(b"algo=\"zstd\" priority=1\n", 4),
        Ok((&b"zstd"[..], 1))
    );
    assert_eq!(
        parse_recomp_algorithm(b"\"algo=lz4\" \"priority=2\"", 4),
        Ok((&b"lz4"[..], 2))
    );
    assert_eq!(
        parse_recomp_algorithm(b"algo=\"\" priority=1", 4),
        Err(Invalid)
    );
    let r = parse_recompress(b"type=\"huge_idle\" algo=\"zstd\"\n").unwrap();
    assert_eq!(
        (r.mode, r.algo),
        (RECOMP_IDLE | RECOMP_HUGE, Some(&b"zstd"[..]))
    );
    assert_eq!(parse_recompress(b"max_pages=\"\""), Err(Invalid));
    // A quoted legacy mode, and a quoted range.
    assert_eq!(wb("\"idle\"", 8).0, Ok(()));
    assert_eq!(wb("\"idle\"", 8).1, [(WB_IDLE, 0, 8)]);
    assert_eq!(
        wb("page_indexes=\"2-3\" type=\"huge\"", 8).1,
        [(0, 2, 4), (WB_HUGE, 2, 4)]
    );
}
