// SPDX-License-Identifier: GPL-2.0

//! KUnit tests of the edge's primitives. They are built into the module
//! when the kernel has CONFIG_KUNIT (the debug kernel) and run each time it
//! loads; the `zram-kunit` guest test checks their results.

#[kernel::macros::kunit_tests(zram_rs_ffi)]
mod kunit {
    use crate::ffi::complib::CompLib;
    use crate::ffi::cpuslots::CpuSlots;
    use crate::ffi::disk::{Disk, Major};
    use crate::ffi::slots::SlotTable;
    use crate::ffi::srcubox::SrcuBox;
    use crate::logic::algo::{Setup, ZSTD_LEVELS};
    use crate::logic::slot::{Attr, HUGE, LOCK};
    use kernel::prelude::*;

    #[test]
    fn slot_table_lock_and_words() -> Result {
        let t = SlotTable::new(4, 0)?;
        assert_eq!(t.len(), 4);
        assert!(t.lock(4).is_none());
        assert!(t.try_lock(4).is_none());
        {
            let mut g = t.lock(1).ok_or(EINVAL)?;
            // Held: nobody else gets it; its neighbours are free.
            assert!(t.try_lock(1).is_none());
            assert!(t.try_lock(0).is_some());
            assert!(t.try_lock(2).is_some());
            assert!(g.attr().test(LOCK));
            g.set_handle(0x1234);
            // The lock bit stays set whatever the new word says.
            g.set_attr(Attr(0).with_size(100).with(HUGE, true));
            assert!(g.attr().test(LOCK));
        }
        let g = t.try_lock(1).ok_or(EINVAL)?;
        assert_eq!(g.handle(), 0x1234);
        assert_eq!(g.attr().size(), 100);
        assert!(g.attr().test(HUGE));
        drop(g);
        // Released by the guard: taken again at once.
        assert!(t.try_lock(1).is_some());
        Ok(())
    }

    #[test]
    fn slot_table_groups() -> Result {
        // Groups of four; the last one is cut short by the table's end.
        let t = SlotTable::new(10, 2)?;
        assert_eq!(t.order(), 2);
        {
            let mut g = t.lock(5).ok_or(EINVAL)?;
            assert_eq!(g.index(), 5);
            assert_eq!(g.group(), 4..8);
            // The group is held: any of its slots; the next group is free.
            assert!(t.try_lock(4).is_none());
            assert!(t.try_lock(7).is_none());
            assert!(t.try_lock(8).is_some());
            assert!(t.try_lock(3).is_some());
            // A member's word never carries the lock bit.
            assert!(!g.attr().test(LOCK));
            g.set_handle(0x55);
            g.set_attr(Attr(0).with_size(7).with(LOCK, true));
            assert!(!g.attr().test(LOCK));
            assert!(g.focus(4));
            assert!(g.attr().test(LOCK));
            g.set_attr(Attr(0).with_size(9));
            assert!(g.attr().test(LOCK));
            assert!(!g.focus(8));
            assert!(!g.focus(3));
            assert_eq!(g.index(), 4);
            assert!(g.focus(5));
            assert_eq!((g.handle(), g.attr().size()), (0x55, 7));
        }
        let g = t.try_lock(9).ok_or(EINVAL)?;
        assert_eq!(g.group(), 8..10);
        drop(g);
        let g = t.try_lock(4).ok_or(EINVAL)?;
        assert_eq!(g.attr().size(), 9);
        Ok(())
    }

    #[test]
    fn cpu_slots_set_once() -> Result {
        let s = CpuSlots::<u32>::new(2)?;
        assert!(s.get(0).is_none());
        assert!(!s.is_set(0));
        s.set(0, KBox::pin(7, GFP_KERNEL)?)?;
        assert!(s.is_set(0));
        assert_eq!(s.get(0).map(|v| *v), Some(7));
        // A set entry never changes: the second object is dropped.
        s.set(0, KBox::pin(8, GFP_KERNEL)?)?;
        assert_eq!(s.get(0).map(|v| *v), Some(7));
        assert!(s.get(1).is_none());
        assert!(s.get(2).is_none());
        assert_eq!(s.set(2, KBox::pin(9, GFP_KERNEL)?).err(), Some(EINVAL));
        Ok(())
    }

    #[test]
    fn disk_claim_and_srcubox_replace() -> Result {
        let major = Major::register()?;
        let disk = Disk::<()>::alloc(&major, 250)?;
        let other = Disk::<()>::alloc(&major, 251)?;
        let b = KBox::pin_init(
            SrcuBox::<u32>::new(c"zrs_kunit", kernel::static_lock_class!(), disk.id()),
            GFP_KERNEL,
        )?;
        assert!(b.read().get().is_none());
        // Installing into an empty box needs no claim.
        assert!(b.replace(&disk, Some(KBox::new(1, GFP_KERNEL)?))?.is_none());
        assert_eq!(b.read().get().copied(), Some(1));
        // Replacing a live object does, and only this disk's.
        let r = b.replace(&disk, Some(KBox::new(2, GFP_KERNEL)?));
        assert_eq!(r.err(), Some(EBUSY));
        assert_eq!(b.replace(&other, None).err(), Some(EINVAL));
        assert_eq!(b.read().get().copied(), Some(1));
        assert!(!disk.claimed());
        disk.claim()?;
        assert!(disk.claimed());
        assert_eq!(disk.claim().err(), Some(EBUSY));
        let old = b.replace(&disk, Some(KBox::new(2, GFP_KERNEL)?))?;
        assert_eq!(old.map(|o| *o), Some(1));
        assert_eq!(b.read().get().copied(), Some(2));
        let old = b.replace(&disk, None)?;
        assert_eq!(old.map(|o| *o), Some(2));
        assert!(b.read().get().is_none());
        disk.unclaim();
        assert!(!disk.claimed());
        Ok(())
    }

    #[test]
    fn zstd_levels_are_the_library_s() -> Result {
        let (min, max) = crate::ffi::zstd::levels();
        assert_eq!((min, max), (*ZSTD_LEVELS.start(), *ZSTD_LEVELS.end()));
        Ok(())
    }

    /// Each library with parameters: a page of text and one of random-ish
    /// bytes compress, and decompress to the same bytes.
    #[test]
    fn libraries_round_trip_with_parameters() -> Result {
        let mut page = KVec::from_elem(0u8, 4096, GFP_KERNEL)?;
        for (i, b) in page.iter_mut().enumerate() {
            // Text-like in the first half, a poor LCG in the second.
            *b = if i < 2048 {
                b"zram-rs compresses pages "[i % 25]
            } else {
                (i.wrapping_mul(1103515245).wrapping_add(12345) >> 7) as u8
            };
        }
        let cases: [(&CStr, i32, i32); 8] = [
            (c"lz4", 1, 0),
            (c"lz4", 9, 0),
            (c"lz4hc", 12, 0),
            (c"zstd", 1, 0),
            (c"zstd", -5, 0),
            (c"zstd", 19, 0),
            (c"deflate", 9, 15),
            (c"deflate", -1, -11),
        ];
        let mut dst = KVec::from_elem(0u8, 8192, GFP_KERNEL)?;
        let mut out = KVec::from_elem(0u8, 4096, GFP_KERNEL)?;
        for (name, level, winbits) in cases {
            let lib = CompLib::get(name)
                .ok_or(EINVAL)?
                .with(Setup { level, winbits });
            let mut w = lib.work(None, 65536)?;
            let n = lib.compress(&page, &mut dst, &mut w)?;
            assert!(n > 0 && n < 4096);
            out.fill(0);
            let m = lib.decompress(&dst[..n], &mut out, &mut w)?;
            assert_eq!(m, 4096);
            assert!(out[..] == page[..]);
            // A truncated object fails, and never reads or writes past
            // the buffers.
            assert!(lib.decompress(&dst[..n / 2], &mut out, &mut w).is_err());
        }
        Ok(())
    }

    /// Each library compresses a 64 KiB unit with work memory made for
    /// one (zstd's second parameter set, lzo's bound for the length) and
    /// gets it back; the page it holds sixteen times costs little more
    /// than one page.
    #[test]
    fn libraries_round_trip_a_unit() -> Result {
        let mut unit = KVec::from_elem(0u8, 65536, GFP_KERNEL)?;
        for (i, b) in unit.iter_mut().enumerate() {
            let j = i % 4096;
            *b = if j < 2048 {
                b"zram-rs compresses units "[j % 25]
            } else {
                (j.wrapping_mul(1103515245).wrapping_add(12345) >> 7) as u8
            };
        }
        let mut dst = KVec::from_elem(0u8, 2 * 65536, GFP_KERNEL)?;
        let mut out = KVec::from_elem(0u8, 65536, GFP_KERNEL)?;
        let cases: [(&CStr, i32, i32); 6] = [
            (c"lz4", 1, 0),
            (c"lz4hc", 9, 0),
            (c"lzo", 0, 0),
            (c"lzo-rle", 0, 0),
            (c"zstd", 3, 0),
            (c"deflate", 6, -15),
        ];
        for (name, level, winbits) in cases {
            let lib = CompLib::get(name)
                .ok_or(EINVAL)?
                .with(Setup { level, winbits });
            let mut w = lib.work(None, 65536)?;
            let n = lib.compress(&unit, &mut dst, &mut w)?;
            assert!(n > 0 && n < 4 * 4096);
            out.fill(0);
            assert_eq!(lib.decompress(&dst[..n], &mut out, &mut w)?, 65536);
            assert!(out[..] == unit[..]);
        }
        Ok(())
    }
}
