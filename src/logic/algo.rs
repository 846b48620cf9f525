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
