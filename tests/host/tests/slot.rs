// SPDX-License-Identifier: GPL-2.0
use zram_rs_logic::logic::slot::*;

#[test]
fn layout_matches_c() {
    // ZRAM_FLAG_SHIFT = PAGE_SHIFT + 1, then the flags in C's enum order.
    assert_eq!(FLAG_SHIFT, 13);
    assert_eq!(
        (
            SAME,
            LOCK,
            WB,
            PP_SLOT,
            HUGE,
            IDLE,
            INCOMPRESSIBLE,
            PRIO_SHIFT
        ),
        (13, 14, 15, 16, 17, 18, 19, 20)
    );
    assert_eq!(SLOT_BYTES, 16);
}

#[test]
fn attr_fields_are_independent() {
    let a = Attr::default()
        .with_size(4096)
        .with(HUGE, true)
        .with_prio(3)
        .with_ac_time(0xdead_beef);
    assert_eq!(a.size(), 4096);
    assert!(a.test(HUGE) && !a.test(SAME));
    assert_eq!(a.prio(), 3);
    assert_eq!(a.ac_time(), 0xdead_beef);
    let b = a.with_size(100).with_prio(1);
    assert_eq!((b.size(), b.prio(), b.ac_time()), (100, 1, 0xdead_beef));
    assert!(b.test(HUGE));
    assert_eq!(Attr::default().with_size(99999).size(), 4096);
}

#[test]
fn accessed_and_freed() {
    let a = Attr::default()
        .with(IDLE, true)
        .with(PP_SLOT, true)
        .with(LOCK, true)
        .with_size(10);
    let b = a.accessed(42);
    assert!(!b.test(IDLE) && !b.test(PP_SLOT) && b.test(LOCK));
    assert_eq!((b.ac_time(), b.size()), (42, 10));
    let f = b.with(HUGE, true).freed();
    assert_eq!(f, Attr(1 << LOCK));
    assert!(!f.allocated());
    assert!(Attr::default().with(SAME, true).allocated());
    assert!(Attr::default().with(WB, true).allocated());
    assert!(Attr::default().with_size(1).allocated());
}

#[test]
fn same_filled_pages() {
    let mut page = vec![0u8; 4096];
    assert_eq!(same_filled(&page), Some(0));
    fill(&mut page, 0x0102_0304_0506_0708);
    assert_eq!(same_filled(&page), Some(0x0102_0304_0506_0708));
    page[4095] ^= 1;
    assert_eq!(same_filled(&page), None);
    page[4095] ^= 1;
    page[2048] ^= 1;
    assert_eq!(same_filled(&page), None);
    assert_eq!(same_filled(&[1, 2, 3]), None);
    // A repeated byte pattern that is not word-periodic at 8 bytes.
    let mut p = vec![0u8; 4096];
    for (i, b) in p.iter_mut().enumerate() {
        *b = (i % 3) as u8;
    }
    assert_eq!(same_filled(&p), None);
}

#[test]
fn same_filled_sees_every_byte() {
    // A difference anywhere, in the unrolled blocks or the tail after the
    // last whole block, on page-sized and shorter word-multiple buffers.
    for len in [4096usize, 4088, 200, 64, 72, 120] {
        let mut page = vec![0u8; len];
        fill(&mut page, 0xa5a5_5a5a_0ff0_f00f);
        assert_eq!(same_filled(&page), Some(0xa5a5_5a5a_0ff0_f00f), "len {len}");
        for i in 0..len {
            page[i] ^= 0x40;
            assert_eq!(same_filled(&page), None, "len {len}, byte {i} changed");
            page[i] ^= 0x40;
        }
    }
}

#[test]
fn copy_checks_lengths() {
    let mut d = [0u8; 4];
    assert!(copy(&mut d, &[1, 2, 3, 4]));
    assert_eq!(d, [1, 2, 3, 4]);
    assert!(!copy(&mut d, &[9, 9]));
    assert_eq!(d, [1, 2, 3, 4]);
}
