// SPDX-License-Identifier: GPL-2.0
use zram_rs_logic::logic::parse::ParseError;
use zram_rs_logic::logic::unit::*;

#[test]
fn unit_size_values() {
    assert_eq!(parse_unit_size(b"4096\n"), Ok(0));
    assert_eq!(parse_unit_size(b"4K"), Ok(0));
    assert_eq!(parse_unit_size(b"8192"), Ok(1));
    assert_eq!(parse_unit_size(b"16K\n"), Ok(2));
    assert_eq!(parse_unit_size(b" 32768 "), Ok(3));
    assert_eq!(parse_unit_size(b"64k"), Ok(4));
    assert_eq!(parse_unit_size(b"65536"), Ok(4));
    for bad in [
        &b""[..],
        b"\n",
        b"0",
        b"2048",
        b"12288",
        b"128K",
        b"131072",
        b"1M",
        b"64KB",
        b"16K 1",
        b"-16K",
        b"abc",
        b"99999999999999999999999",
    ] {
        assert_eq!(parse_unit_size(bad), Err(ParseError::Invalid), "{bad:?}");
    }
}

#[test]
fn sizes() {
    assert_eq!(unit_bytes(0), 4096);
    assert_eq!(unit_bytes(4), 65536);
    assert_eq!(MAX_UNIT_PAGES, unit_bytes(4) / 4096);
}

#[test]
fn chunks_cover_the_object() {
    for len in [1usize, 100, 4095, 4096, 4097, 8192, 12000, 61439] {
        let n = len.div_ceil(4096);
        let total: usize = (0..n).map(|k| chunk_len(len, k)).sum();
        assert_eq!(total, len);
        for k in 0..n {
            assert!(chunk_len(len, k) > 0 && chunk_len(len, k) <= 4096);
            if k + 1 < n {
                assert_eq!(chunk_len(len, k), 4096);
            }
        }
        assert_eq!(chunk_len(len, n), 0);
        assert_eq!(chunk_len(len, usize::MAX), 0);
    }
}

#[test]
fn kept_only_when_smaller_than_raw() {
    let huge = 3632 - 7;
    assert!(keep_unit(1, 16, huge));
    assert!(keep_unit(16 * huge - 1, 16, huge));
    assert!(!keep_unit(16 * huge, 16, huge));
    assert!(!keep_unit(0, 16, huge));
    assert!(!keep_unit(70000, 16, huge));
    // A huge class above a page never lets a unit need more chunks than
    // it has members.
    assert!(!keep_unit(4 * 4096 + 1, 4, 8192));
    assert!(keep_unit(4 * 4096 - 1, 4, 8192));
}

#[test]
fn member_share() {
    assert_eq!(member_size(0, 16), 1);
    assert_eq!(member_size(16, 16), 1);
    assert_eq!(member_size(17, 16), 2);
    assert_eq!(member_size(65536, 16), 4096);
    assert_eq!(member_size(1000, 0), 1000);
}

#[test]
fn members_as_post_processing_sees_them() {
    use zram_rs_logic::logic::post::{wb_selects, WB_IDLE};
    use zram_rs_logic::logic::slot::*;
    let live = Attr(0)
        .with(UNIT, true)
        .with(ULIVE, true)
        .with_size(4096)
        .with(IDLE, true)
        .with_ac_time(77);
    let v = member_view(live, 20000, 16);
    assert!(!v.test(UNIT) && !v.test(ULIVE));
    assert_eq!(v.size(), 1250);
    assert!(v.test(IDLE));
    assert_eq!(v.ac_time(), 77);
    assert!(v.allocated());
    assert!(wb_selects(WB_IDLE, v));
    // A freed member is nothing; the unit's live flag is what counts.
    let dead = live.with(ULIVE, false);
    assert!(!dead.allocated());
    assert!(live.allocated());
    assert_eq!(member_view(dead, 20000, 16), Attr(0));
    assert!(!wb_selects(WB_IDLE, member_view(dead, 20000, 16)));
    // A member holding no chunk is still allocated while live.
    assert!(Attr(0).with(UNIT, true).with(ULIVE, true).allocated());
    // Not a member: unchanged.
    let page = Attr(0).with_size(900);
    assert_eq!(member_view(page, 20000, 16), page);
}

#[test]
fn block_state_marks_members() {
    use zram_rs_logic::logic::post::write_block_state;
    use zram_rs_logic::logic::slot::*;
    let mut s = String::new();
    write_block_state(&mut s, 3, Attr(0).with_size(10).with_ac_time(5)).unwrap();
    assert_eq!(s, "           3            5.000000 ......\n");
    s.clear();
    let m = Attr(0).with(UNIT, true).with(ULIVE, true).with(IDLE, true);
    write_block_state(&mut s, 3, m.with_ac_time(5)).unwrap();
    assert_eq!(s, "           3            5.000000 ...i..u\n");
}
