// SPDX-License-Identifier: GPL-2.0
//! Statistics and algorithm-list formats, compared with what the C zram
//! prints (strings taken from a C zram on the same kernel).
use core::fmt::Write;
use zram_rs_logic::logic::algo::{self, NameError};
use zram_rs_logic::logic::parse::ParseError;
use zram_rs_logic::logic::stats::{self, BufWriter, MmStat};

fn render(f: impl FnOnce(&mut BufWriter<'_>) -> core::fmt::Result) -> String {
    let mut buf = [0u8; 4096];
    let mut w = BufWriter::new(&mut buf);
    f(&mut w).unwrap();
    String::from_utf8(w.as_bytes().to_vec()).unwrap()
}

#[test]
fn mm_stat_matches_c() {
    let s = MmStat {
        pages_stored: 432,
        compr_data_size: 838721,
        mem_used_pages: 242,
        limit_pages: 0,
        max_used_pages: 242,
        same_pages: 112,
        pages_compacted: 0,
        huge_pages: 64,
        huge_pages_since: 64,
    };
    assert_eq!(
        render(|w| stats::write_mm_stat(w, &s)),
        " 1769472   838721   991232        0   991232      112        0       64       64\n"
    );
    // Wider numbers are not truncated.
    let big = MmStat {
        compr_data_size: 123456789012,
        ..MmStat::default()
    };
    assert!(render(|w| stats::write_mm_stat(w, &big)).contains(" 123456789012 "));
}

#[test]
fn unit_stat() {
    assert_eq!(
        render(|w| stats::write_unit_stat(w, [0; 5])),
        "       0        0        0        0        0\n"
    );
    assert_eq!(
        render(|w| stats::write_unit_stat(w, [12, 3, 45, 6, 123456789])),
        "      12        3       45        6 123456789\n"
    );
}

#[test]
fn io_and_debug_stat_match_c() {
    assert_eq!(
        render(|w| stats::write_io_stat(w, 0, 0, 0)),
        "       0        0 0        0\n"
    );
    assert_eq!(
        render(|w| stats::write_io_stat(w, 1, 22, 333)),
        "       1       22 0      333\n"
    );
    assert_eq!(
        render(|w| stats::write_debug_stat(w, 0)),
        "version: 1\n0        0\n"
    );
}

#[test]
fn buf_writer_stops_at_the_end() {
    let mut buf = [0u8; 4];
    let mut w = BufWriter::new(&mut buf);
    assert!(w.write_str("abcdef").is_err());
    assert_eq!(w.as_bytes(), b"abcd");
    assert_eq!(w.len(), 4);
}

#[test]
fn comp_algorithm_list() {
    let d = &algo::DISTRO;
    assert_eq!(d.default_algo(), "lzo-rle");
    assert_eq!(
        render(|w| algo::write_available(w, d, "lzo-rle")),
        "[lzo-rle] lzo lz4 zstd deflate \n"
    );
    assert_eq!(
        render(|w| algo::write_available(w, d, "zstd")),
        "lzo-rle lzo lz4 [zstd] deflate \n"
    );
    assert_eq!(
        render(|w| algo::write_available(w, d, "842")),
        "lzo-rle lzo lz4 zstd deflate [842] \n"
    );
}

#[test]
fn comp_algorithm_list_of_a_kernel() {
    // Debian 7.3's zram: lz4, lz4hc, zstd, deflate; lz4 by default.
    let deb = algo::Backends::new([false, true, true, true, true, false], 2);
    assert_eq!(deb.default_algo(), "lz4");
    assert_eq!(
        render(|w| algo::write_available(w, &deb, "lz4")),
        "[lz4] lz4hc zstd deflate \n"
    );
    assert_eq!(
        render(|w| algo::write_available(w, &deb, "lzo-rle")),
        "lz4 lz4hc zstd deflate [lzo-rle] \n"
    );
    // lzo names both lzo backends.
    let lzo = algo::Backends::new([true, false, false, false, false, false], 1);
    assert_eq!(lzo.default_algo(), "lzo");
    assert_eq!(lzo.listed().collect::<Vec<_>>(), ["lzo-rle", "lzo"]);
    // A default without its backend, or no backend: the usual zram.
    assert_eq!(
        algo::Backends::new([true, false, false, false, false, false], 4),
        algo::DISTRO
    );
    assert_eq!(algo::Backends::new([false; 6], 0), algo::DISTRO);
    assert_eq!(algo::Backends::new([true; 6], 9), algo::DISTRO);
}

#[test]
fn comp_algorithm_lookup() {
    assert_eq!(algo::lookup(b"lz4\n"), Ok("lz4"));
    assert_eq!(algo::lookup(b"lz4hc"), Ok("lz4hc"));
    assert_eq!(algo::lookup(b"lz4 "), Err(NameError::Unknown));
    assert_eq!(algo::lookup(b" lz4"), Err(NameError::Unknown));
    assert_eq!(algo::lookup(b""), Err(NameError::Unknown));
    assert_eq!(algo::lookup(&[b'x'; 127]), Err(NameError::Unknown));
    assert_eq!(algo::lookup(&[b'x'; 128]), Err(NameError::TooLong));
}

#[test]
fn algorithm_params() {
    let p = algo::parse_params(b"priority=1 level=8\n").unwrap();
    assert_eq!(p.priority, Some(1));
    assert_eq!(p.level, Some(8));
    let p = algo::parse_params(b"  algo=zstd  unknown=1 dict=\"/a b\"").unwrap();
    assert_eq!(p.algo, Some(&b"zstd"[..]));
    assert_eq!(p.dict, Some(&b"/a b"[..]));
    assert_eq!(p.level, None);
    assert_eq!(algo::parse_params(b"level"), Err(ParseError::Invalid));
    assert_eq!(algo::parse_params(b"level="), Err(ParseError::Invalid));
    assert_eq!(algo::parse_params(b"level=x"), Err(ParseError::Invalid));
    assert_eq!(
        algo::parse_params(b"priority=99999999999"),
        Err(ParseError::Range)
    );
    assert_eq!(algo::parse_params(b""), Ok(algo::Params::default()));
}

#[test]
fn backend_setup_params() {
    use algo::{SetupError::*, Tuning};
    let t = |level: Option<i32>, winbits: Option<i32>, dict: bool| Tuning {
        level,
        winbits,
        dict,
    };
    // What a backend that calls its library makes of the parameters.
    let lib = |a: &str, t: Tuning| algo::setup_params(a, &t, true).map(|s| (s.level, s.winbits));
    let none = Tuning::default();
    // Defaults, as each C backend's setup_params() sets them.
    assert_eq!(lib("lz4", none), Ok((1, 0)));
    assert_eq!(lib("lz4hc", none), Ok((9, 0)));
    assert_eq!(lib("zstd", none), Ok((3, 0)));
    assert_eq!(lib("deflate", none), Ok((-1, -11)));
    assert_eq!(lib("lzo-rle", none), Ok((0, 0)));
    // lz4: any acceleration from 1; the library takes a dictionary.
    assert_eq!(lib("lz4", t(Some(65537), None, true)), Ok((65537, 0)));
    assert_eq!(lib("lz4", t(Some(0), None, false)), Err(Invalid));
    // Window bits are deflate's alone: others ignore them, as C does.
    assert_eq!(lib("lz4", t(None, Some(99), false)), Ok((1, 0)));
    // lz4hc: 1 to 16 (the library clamps only below 1).
    assert_eq!(lib("lz4hc", t(Some(1), None, true)), Ok((1, 0)));
    assert_eq!(lib("lz4hc", t(Some(16), None, false)), Ok((16, 0)));
    assert_eq!(lib("lz4hc", t(Some(17), None, false)), Err(Invalid));
    // lzo, lzo-rle and 842 take nothing; the dictionary is checked first.
    for a in ["lzo", "lzo-rle", "842"] {
        assert_eq!(lib(a, t(Some(1), None, false)), Err(NotSupported));
        assert_eq!(lib(a, t(None, None, true)), Err(NotSupported));
        assert_eq!(lib(a, t(None, Some(12), false)), Ok((0, 0)));
    }
    // zstd: its own range, and a dictionary.
    assert_eq!(lib("zstd", t(Some(23), None, false)), Err(Invalid));
    assert_eq!(lib("zstd", t(Some(-131073), None, false)), Err(Invalid));
    assert_eq!(lib("zstd", t(Some(-131072), None, true)), Ok((-131072, 0)));
    assert_eq!(lib("zstd", t(Some(22), None, false)), Ok((22, 0)));
    // deflate: no dictionary (checked first), level -1 to 9, winbits
    // -15 to -9 or 9 to 15.
    assert_eq!(lib("deflate", t(Some(99), None, true)), Err(NotSupported));
    assert_eq!(lib("deflate", t(Some(10), None, false)), Err(Invalid));
    assert_eq!(lib("deflate", t(Some(-2), None, false)), Err(Invalid));
    for wb in [8, -8, 16, -16, 0] {
        assert_eq!(lib("deflate", t(None, Some(wb), false)), Err(Invalid));
    }
    for wb in [9, -9, 15, -15] {
        assert_eq!(lib("deflate", t(Some(9), Some(wb), false)), Ok((9, wb)));
    }
    // Through the crypto API (a kernel without the library): checked the
    // same, then refused rather than ignored; the defaults still work.
    let crypto = |a: &str, t: Tuning| algo::setup_params(a, &t, false);
    assert_eq!(crypto("zstd", t(Some(23), None, false)), Err(Invalid));
    assert_eq!(crypto("zstd", t(Some(3), None, false)), Err(NotApplied));
    assert_eq!(crypto("zstd", t(None, None, true)), Err(NotApplied));
    assert_eq!(crypto("deflate", t(None, Some(9), false)), Err(NotApplied));
    assert_eq!(crypto("deflate", t(None, Some(8), false)), Err(Invalid));
    assert!(crypto("zstd", none).is_ok());
    // winbits mean nothing to zstd, as in C.
    assert!(crypto("zstd", t(None, Some(9), false)).is_ok());
}
