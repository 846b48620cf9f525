// SPDX-License-Identifier: GPL-2.0
use zram_rs_logic::logic::parse::*;

#[test]
fn memparse_suffixes_and_bases() {
    assert_eq!(memparse(b"4096"), (4096, 4));
    assert_eq!(memparse(b"1K"), (1024, 2));
    assert_eq!(memparse(b"512M\n"), (512 << 20, 4));
    assert_eq!(memparse(b"1G"), (1 << 30, 2));
    assert_eq!(memparse(b"1g"), (1 << 30, 2));
    assert_eq!(memparse(b"2T"), (2 << 40, 2));
    assert_eq!(memparse(b"1P"), (1 << 50, 2));
    assert_eq!(memparse(b"1E"), (1 << 60, 2));
    assert_eq!(memparse(b"0x1000"), (4096, 6));
    assert_eq!(memparse(b"010"), (8, 3));
    // "0x" without a hex digit is octal 0 followed by garbage.
    assert_eq!(memparse(b"0xg"), (0, 1));
    assert_eq!(memparse(b"12abc"), (12, 2));
    assert_eq!(memparse(b"0x12abc"), (0x12abc, 7));
    assert_eq!(memparse(b"12xyz"), (12, 2));
}

#[test]
fn memparse_garbage_and_overflow() {
    assert_eq!(memparse(b""), (0, 0));
    assert_eq!(memparse(b"abc"), (0, 0));
    // A suffix with no number before it is not consumed.
    assert_eq!(memparse(b"G"), (0, 0));
    assert_eq!(memparse(b" 1G"), (0, 0));
    assert_eq!(memparse(b"-1"), (0, 0));
    assert_eq!(memparse(b"99999999999999999999999").0, u64::MAX);
    assert_eq!(memparse(b"16E").0, u64::MAX);
    assert_eq!(memparse(b"15E").0, 15 << 60);
}

#[test]
fn disksize_rounds_to_pages() {
    let both = |s: &[u8]| disksize(s).and_then(disksize_aligned);
    assert_eq!(both(b"1G\n"), Some(1 << 30));
    assert_eq!(both(b"1"), Some(4096));
    assert_eq!(both(b"4097"), Some(8192));
    assert_eq!(disksize(b"0"), None);
    assert_eq!(disksize(b"garbage"), None);
    assert_eq!(disksize(b"\n"), None);
    // Saturated to u64::MAX: accepted by the first check (so an
    // initialised device says EBUSY, as C does), then PAGE_ALIGN wraps to
    // 0 and the size is -EINVAL.
    assert_eq!(disksize(b"99999999999999999999999"), Some(u64::MAX));
    assert_eq!(disksize_aligned(u64::MAX), None);
}

#[test]
fn kstrtoull_is_strict() {
    assert_eq!(kstrtoull(b"42", 10), Ok(42));
    assert_eq!(kstrtoull(b"42\n", 10), Ok(42));
    assert_eq!(kstrtoull(b"+42", 10), Ok(42));
    assert_eq!(kstrtoull(b"0x10", 0), Ok(16));
    assert_eq!(kstrtoull(b"0x10", 16), Ok(16));
    assert_eq!(kstrtoull(b"010", 0), Ok(8));
    assert_eq!(kstrtoull(b"42\n\n", 10), Err(ParseError::Invalid));
    assert_eq!(kstrtoull(b" 42", 10), Err(ParseError::Invalid));
    assert_eq!(kstrtoull(b"", 10), Err(ParseError::Invalid));
    assert_eq!(kstrtoull(b"-1", 10), Err(ParseError::Invalid));
    assert_eq!(kstrtoull(b"4x", 10), Err(ParseError::Invalid));
    assert_eq!(kstrtoull(b"18446744073709551615", 10), Ok(u64::MAX));
    assert_eq!(
        kstrtoull(b"18446744073709551616", 10),
        Err(ParseError::Range)
    );
}

#[test]
fn kstrtoint_signs() {
    assert_eq!(kstrtoint(b"-1", 10), Ok(-1));
    assert_eq!(kstrtoint(b"-2147483648", 10), Ok(i32::MIN));
    assert_eq!(kstrtoint(b"-2147483649", 10), Err(ParseError::Range));
    assert_eq!(kstrtoint(b"2147483648", 10), Err(ParseError::Range));
    assert_eq!(kstrtoint(b"--1", 10), Err(ParseError::Invalid));
}

#[test]
fn bools_trim_streq() {
    assert_eq!(kstrtobool(b"1"), Ok(true));
    assert_eq!(kstrtobool(b"Yes"), Ok(true));
    assert_eq!(kstrtobool(b"on"), Ok(true));
    assert_eq!(kstrtobool(b"off"), Ok(false));
    assert_eq!(kstrtobool(b"0\n"), Ok(false));
    assert_eq!(kstrtobool(b"o"), Err(ParseError::Invalid));
    // 7.3 also takes true/false and enable/disable by their first letter.
    assert_eq!(kstrtobool(b"true"), Ok(true));
    assert_eq!(kstrtobool(b"Enable"), Ok(true));
    assert_eq!(kstrtobool(b"foo"), Ok(false));
    assert_eq!(kstrtobool(b"disable"), Ok(false));
    assert_eq!(kstrtobool(b"x"), Err(ParseError::Invalid));
    assert_eq!(kstrtobool(b""), Err(ParseError::Invalid));
    assert_eq!(trim(b"  lz4 \n"), b"lz4");
    assert_eq!(trim(b" \n "), b"");
    assert!(sysfs_streq(b"lz4\n", b"lz4"));
    assert!(!sysfs_streq(b"lz4\n\n", b"lz4"));
}

/// Every argument of `input`, as `(param, value)` strings.
fn split(input: &str) -> Vec<(String, Option<String>)> {
    let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    args(input.as_bytes())
        .map(|(p, v)| (s(p), v.map(s)))
        .collect()
}

fn kv(p: &str, v: Option<&str>) -> (String, Option<String>) {
    (p.into(), v.map(Into::into))
}

#[test]
fn next_arg_splits_as_lib_cmdline() {
    // Plain arguments; white space (kernel isspace: VT, FF and 0xa0 too)
    // separates them and a trailing newline is white space.
    assert_eq!(
        split("  algo=zstd\tpriority=1\n"),
        [kv("algo", Some("zstd")), kv("priority", Some("1"))]
    );
    assert_eq!(
        split("a=1\x0bb=2\x0cc"),
        [kv("a", Some("1")), kv("b", Some("2")), kv("c", None)]
    );
    assert_eq!(
        args(b"a=1\xa0b=2").collect::<Vec<_>>(),
        [(&b"a"[..], Some(&b"1"[..])), (&b"b"[..], Some(&b"2"[..]))]
    );
    assert_eq!(split(""), []);
    assert_eq!(split(" \n"), []);
    // A quoted value keeps its spaces and loses its quotes.
    assert_eq!(
        split("algo=\"zstd\" priority=1\n"),
        [kv("algo", Some("zstd")), kv("priority", Some("1"))]
    );
    assert_eq!(split("dict=\"/a b/c\"\n"), [kv("dict", Some("/a b/c"))]);
    // A quoted argument: the quotes around the whole are dropped.
    assert_eq!(
        split("\"algo=zstd\" x"),
        [kv("algo", Some("zstd")), kv("x", None)]
    );
    assert_eq!(split("\"idle\""), [kv("idle", None)]);
    // An unclosed quote runs to the end, newline included.
    assert_eq!(split("algo=\"zstd\n"), [kv("algo", Some("zstd\n"))]);
    assert_eq!(split("a=\"x y"), [kv("a", Some("x y"))]);
    // Quotes inside a value stay, but still protect spaces.
    assert_eq!(
        split("a=b\"c d\" e"),
        [kv("a", Some("b\"c d\"")), kv("e", None)]
    );
    // Empty values: after `=`, and a lone opening quote.
    assert_eq!(split("a= b=\""), [kv("a", Some("")), kv("b", Some(""))]);
    assert_eq!(split("\""), [kv("", None)]);
    assert_eq!(split("\"\" x"), [kv("", None), kv("x", None)]);
    // Only the first `=` splits, and one at offset 0 is not seen.
    assert_eq!(split("a=b=c"), [kv("a", Some("b=c"))]);
    assert_eq!(split("=x"), [kv("=x", None)]);
    assert_eq!(split("=x=y"), [kv("=x", Some("y"))]);
    // A quoted argument with a quoted value: the second quote closes the
    // first, so the space ends the argument; quotes inside stay.
    assert_eq!(
        split("\"a=\"b c\"\""),
        [kv("a", Some("b")), kv("c\"\"", None)]
    );
    assert_eq!(split("\"a=\"b\"\""), [kv("a", Some("b\""))]);
}
