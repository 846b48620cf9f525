// SPDX-License-Identifier: GPL-2.0

//! Parsers for what users write to sysfs, with the C kernel's semantics.
//!
//! The C zram reads sizes with `memparse()` and numbers with `kstrto*()`;
//! scripts depend on exactly what those accept, so these are faithful
//! re-implementations over byte slices (sysfs hands stores a byte buffer).

/// Page size of the block device's slots (4 KiB on every arch we build for).
pub const PAGE_SHIFT: u32 = 12;
/// Bytes in one page.
pub const PAGE_SIZE: u64 = 1 << PAGE_SHIFT;

/// `_parse_integer_fixup_radix()`: with base 0, pick 16 for `0x` followed by
/// a hex digit, 8 for a leading `0`, else 10; skip a `0x` prefix in base 16.
fn fixup_radix(s: &[u8], base: u32) -> (u32, usize) {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut base = base;
    if base == 0 {
        base = if at(0) == b'0' {
            if at(1).eq_ignore_ascii_case(&b'x') && at(2).is_ascii_hexdigit() {
                16
            } else {
                8
            }
        } else {
            10
        };
    }
    if base == 16 && at(0) == b'0' && at(1).eq_ignore_ascii_case(&b'x') {
        (base, 2)
    } else {
        (base, 0)
    }
}

/// `_parse_integer()`: digits consumed, value (saturated to `u64::MAX`) and
/// whether it overflowed.
fn parse_digits(s: &[u8], base: u32) -> (usize, u64, bool) {
    let mut res: u64 = 0;
    let mut overflow = false;
    let mut n = 0;
    for &c in s {
        let val = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'a'..=b'f' => u32::from(c - b'a') + 10,
            b'A'..=b'F' => u32::from(c - b'A') + 10,
            _ => break,
        };
        if val >= base {
            break;
        }
        match res
            .checked_mul(u64::from(base))
            .and_then(|r| r.checked_add(u64::from(val)))
        {
            Some(r) => res = r,
            None => {
                res = u64::MAX;
                overflow = true;
            }
        }
        n += 1;
    }
    (n, res, overflow)
}

/// `memparse()`: a number in C notation (decimal, `0x` hex, `0` octal) with
/// an optional binary suffix `K`, `M`, `G`, `T`, `P` or `E`. Returns the
/// value (saturated at `u64::MAX` on overflow) and the bytes consumed.
/// Garbage parses as 0, which callers treat as invalid, exactly as zram does.
pub fn memparse(s: &[u8]) -> (u64, usize) {
    let (base, prefix) = fixup_radix(s, 0);
    let (n, mut val, _) = parse_digits(&s[prefix..], base);
    let mut end = prefix + n;
    let shl = match s.get(end).copied() {
        Some(b'E' | b'e') => 60,
        Some(b'P' | b'p') => 50,
        Some(b'T' | b't') => 40,
        Some(b'G' | b'g') => 30,
        Some(b'M' | b'm') => 20,
        Some(b'K' | b'k') => 10,
        _ => 0,
    };
    if shl != 0 && end != 0 {
        val = if val.leading_zeros() < shl {
            u64::MAX
        } else {
            val << shl
        };
        end += 1;
    }
    (val, end)
}

/// Errors of the `kstrto*()` family, mapped to the errno they return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// Not a number (`-EINVAL`).
    Invalid,
    /// Out of range for the type (`-ERANGE`).
    Range,
}

/// `kstrtoull()`: an optional `+`, digits in `base` (0 detects it), then at
/// most one trailing newline and nothing else.
pub fn kstrtoull(s: &[u8], base: u32) -> Result<u64, ParseError> {
    let s = s.strip_prefix(b"+").unwrap_or(s);
    let (base, prefix) = fixup_radix(s, base);
    let (n, val, overflow) = parse_digits(&s[prefix..], base);
    if n == 0 {
        return Err(ParseError::Invalid);
    }
    if overflow {
        return Err(ParseError::Range);
    }
    match &s[prefix + n..] {
        b"" | b"\n" => Ok(val),
        _ => Err(ParseError::Invalid),
    }
}

/// `kstrtoint()`: a signed variant, used for device ids.
pub fn kstrtoint(s: &[u8], base: u32) -> Result<i32, ParseError> {
    if let Some(rest) = s.strip_prefix(b"-") {
        let v = kstrtoull(rest, base)?;
        if v > 1 << 31 {
            return Err(ParseError::Range);
        }
        // v <= 2^31, so the negation fits in an i64 and then in an i32.
        return i32::try_from(-(v as i64)).map_err(|_| ParseError::Range);
    }
    i32::try_from(kstrtoull(s, base)?).map_err(|_| ParseError::Range)
}

/// `kstrtobool()`: the first byte decides (`y`, `t`, `e`, `1`, `on` true;
/// `n`, `f`, `d`, `0`, `off` false; either case), as in Linux 7.3.
pub fn kstrtobool(s: &[u8]) -> Result<bool, ParseError> {
    match s {
        [b'e' | b'E' | b'y' | b'Y' | b't' | b'T' | b'1', ..] => Ok(true),
        [b'd' | b'D' | b'n' | b'N' | b'f' | b'F' | b'0', ..] => Ok(false),
        [b'o' | b'O', b'n' | b'N', ..] => Ok(true),
        [b'o' | b'O', b'f' | b'F', ..] => Ok(false),
        _ => Err(ParseError::Invalid),
    }
}

/// `isspace()` by the kernel's ctype table: ASCII white space (tab to
/// carriage return, space) and Latin-1's no-break space, 0xa0.
pub fn is_space(c: u8) -> bool {
    matches!(c, b'\t'..=b'\r' | b' ' | 0xa0)
}

/// `skip_spaces()`.
pub fn skip_spaces(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&c| !is_space(c)).unwrap_or(s.len());
    &s[start..]
}

/// `strim()` on a byte slice: drop leading and trailing white space.
pub fn trim(s: &[u8]) -> &[u8] {
    let s = skip_spaces(s);
    let end = s.iter().rposition(|&c| !is_space(c)).map_or(0, |e| e + 1);
    &s[..end]
}

/// `next_arg()` of `lib/cmdline.c`, on a slice: the first argument of
/// `args` as `(param, value, rest)`, `rest` with its leading white space
/// skipped. An argument ends at white space outside double quotes; a
/// quote opening the argument or the value is dropped with the quote that
/// ends the argument. As in C, an `=` first seen at the argument's start
/// does not split it (C takes offset 0 for "not seen yet"), and the value
/// is `None` without an `=`.
pub fn next_arg(args: &[u8]) -> (&[u8], Option<&[u8]>, &[u8]) {
    let (a, quoted) = match args.strip_prefix(b"\"") {
        Some(a) => (a, true),
        None => (args, false),
    };
    let (mut in_quote, mut equals, mut i) = (quoted, 0, 0);
    while let Some(&c) = a.get(i) {
        if is_space(c) && !in_quote {
            break;
        }
        if equals == 0 && c == b'=' {
            equals = i;
        }
        if c == b'"' {
            in_quote = !in_quote;
        }
        i += 1;
    }
    // C ends the strings in place: the last one (the value, or the param
    // without one) loses a closing quote.
    let closed = i > 0 && a[i - 1] == b'"';
    let mut end = if quoted && closed { i - 1 } else { i };
    let (param, val) = if equals == 0 {
        (&a[..end], None)
    } else {
        let mut start = equals + 1;
        if start < i && a[start] == b'"' {
            start += 1;
            if closed {
                end = i - 1;
            }
        }
        (&a[..equals], Some(a.get(start..end).unwrap_or(&[])))
    };
    let rest = a.get(i + 1..).unwrap_or(&[]);
    (param, val, skip_spaces(rest))
}

/// The arguments of `input` as the C zram's `key=value` attributes loop
/// over them (`skip_spaces()`, then `next_arg()` until the end).
pub fn args(input: &[u8]) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
    let mut rest = skip_spaces(input);
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (param, val, next) = next_arg(rest);
        rest = next;
        Some((param, val))
    })
}

/// `args()` as the C zram's attributes read them: an empty value is no
/// value (C tests `!val || !*val`).
pub fn kv_args(input: &[u8]) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
    args(input).map(|(key, val)| (key, val.filter(|v| !v.is_empty())))
}

/// `sysfs_streq()`: equal, ignoring one trailing newline on either side.
pub fn sysfs_streq(a: &[u8], b: &[u8]) -> bool {
    let a = a.strip_suffix(b"\n").unwrap_or(a);
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    a == b
}

/// `PAGE_ALIGN()` for a 64-bit size, wrapping as the C macro does.
pub fn page_align(size: u64) -> u64 {
    size.wrapping_add(PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}

/// What `disksize_store()` makes of its input before it looks at the
/// device: the requested size, or `None` for `-EINVAL` (zero or garbage).
/// An overflowing number saturates; `disksize_pages` rejects it later, so
/// that an initialised device answers `-EBUSY` first, as in C.
pub fn disksize(s: &[u8]) -> Option<u64> {
    match memparse(s) {
        (0, _) => None,
        (size, _) => Some(size),
    }
}

/// The page-aligned size `disksize_store()` uses once the device may be
/// initialised, or `None` for `-EINVAL` (the alignment wrapped to 0).
pub fn disksize_aligned(size: u64) -> Option<u64> {
    match page_align(size) {
        0 => None,
        s => Some(s),
    }
}
