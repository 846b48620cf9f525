// SPDX-License-Identifier: GPL-2.0

//! Compression algorithm names: which ones `comp_algorithm` accepts and how
//! it lists them.

use core::fmt::{self, Write};

use super::parse::sysfs_streq;

/// The algorithms the C zram knows, in its order. `comp_algorithm` accepts
/// any of them that the crypto API provides.
pub const KNOWN: [&str; 7] = ["lzo-rle", "lzo", "lz4", "lz4hc", "zstd", "deflate", "842"];

/// The ones a distribution's zram lists (lzo, lz4, zstd, deflate backends):
/// `comp_algorithm` always shows these, so tools see the C driver's list.
pub const LISTED: [&str; 5] = ["lzo-rle", "lzo", "lz4", "zstd", "deflate"];

/// The default, as in the C driver.
pub const DEFAULT: &str = "lzo-rle";

/// Longest name the C driver accepts (`ZRAM_MAX_ALGO_NAME_SZ` minus NUL).
pub const MAX_NAME: usize = 127;

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    /// Longer than the C driver accepts (`-E2BIG`).
    TooLong,
    /// Not an algorithm zram knows (`-EINVAL`).
    Unknown,
}

/// The known algorithm that `input` (as written to sysfs) names.
pub fn lookup(input: &[u8]) -> Result<&'static str, NameError> {
    // The C driver measures the raw buffer (newline included) first.
    if input.len() > MAX_NAME {
        return Err(NameError::TooLong);
    }
    KNOWN
        .iter()
        .find(|k| sysfs_streq(input, k.as_bytes()))
        .copied()
        .ok_or(NameError::Unknown)
}

/// `comp_algorithm`'s contents: each listed name followed by a space, the
/// current one in brackets (appended if it is not one of the listed), then
/// a newline: `"[lzo-rle] lzo lz4 zstd deflate \n"`.
pub fn write_available(w: &mut impl Write, current: &str) -> fmt::Result {
    for name in LISTED {
        if name == current {
            write!(w, "[{name}] ")?;
        } else {
            write!(w, "{name} ")?;
        }
    }
    if !LISTED.contains(&current) {
        write!(w, "[{current}] ")?;
    }
    writeln!(w)
}

/// Number of algorithm slots (primary plus secondaries), as in the C driver.
pub const MAX_COMPS: i32 = 4;
/// The same, as an array length.
pub const NR_COMPS: usize = MAX_COMPS as usize;

/// What `algorithm_params` asked for.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Params<'a> {
    /// `priority=`.
    pub priority: Option<i32>,
    /// `level=`.
    pub level: Option<i32>,
    /// `algo=`.
    pub algo: Option<&'a [u8]>,
    /// `dict=` (a path).
    pub dict: Option<&'a [u8]>,
    /// `deflate.winbits=`.
    pub winbits: Option<i32>,
}

impl Params<'_> {
    /// Whether anything beyond selecting the algorithm was asked for.
    pub fn tunes(&self) -> bool {
        self.level.is_some() || self.dict.is_some() || self.winbits.is_some()
    }
}

/// Parse `algorithm_params` as the C driver does: whitespace-separated
/// `key=value` pairs; a key without a value is `-EINVAL` (`Invalid`);
/// numbers are `kstrtoint` base 10; unknown keys are ignored.
pub fn parse_params(input: &[u8]) -> Result<Params<'_>, super::parse::ParseError> {
    use super::parse::{kstrtoint, ParseError};
    let mut p = Params::default();
    for tok in input
        .split(|c| c.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
    {
        let mut kv = tok.splitn(2, |&c| c == b'=');
        let key = kv.next().unwrap_or(&[]);
        let val = match kv.next() {
            Some(v) if !v.is_empty() => v,
            _ => return Err(ParseError::Invalid),
        };
        match key {
            b"priority" => p.priority = Some(kstrtoint(val, 10)?),
            b"level" => p.level = Some(kstrtoint(val, 10)?),
            b"algo" => p.algo = Some(val),
            b"dict" => p.dict = Some(val),
            b"deflate.winbits" => p.winbits = Some(kstrtoint(val, 10)?),
            _ => {}
        }
    }
    Ok(p)
}
