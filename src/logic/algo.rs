// SPDX-License-Identifier: GPL-2.0

//! Compression algorithm names: which ones `comp_algorithm` accepts and how
//! it lists them.

use core::fmt::{self, Write};

use super::parse::sysfs_streq;

/// The algorithms the C zram knows, in its order. `comp_algorithm` accepts
/// any of them that the crypto API provides.
pub const KNOWN: [&str; 7] = ["lzo-rle", "lzo", "lz4", "lz4hc", "zstd", "deflate", "842"];

/// A kernel's own zram: which of `KNOWN` it has a backend for (its
/// `CONFIG_ZRAM_BACKEND_*`; `lzo` covers `lzo-rle` too) and its default
/// (`CONFIG_ZRAM_DEF_COMP`). `comp_algorithm` lists these and a new or
/// reset device starts with that default, so that on any kernel tools see
/// what that kernel's C zram shows.
///
/// # Invariants
///
/// `listed[default]` is true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backends {
    listed: [bool; KNOWN.len()],
    default: usize,
}

impl Backends {
    /// The backends a zram built with `lzo`, `lz4`, `lz4hc`, `zstd`,
    /// `deflate` and `842` backends has (each flag in `KNOWN`'s order, one
    /// for both lzo names) and the one named by `default` (`KNOWN`'s
    /// index). Without that default among them, or with no backend at all,
    /// the distributions' usual zram: `DISTRO`.
    pub const fn new(backend: [bool; 6], default: usize) -> Self {
        let [lzo, lz4, lz4hc, zstd, deflate, b842] = backend;
        let listed = [lzo, lzo, lz4, lz4hc, zstd, deflate, b842];
        if default < KNOWN.len() && listed[default] {
            // INVARIANT: checked just above.
            Backends { listed, default }
        } else {
            DISTRO
        }
    }

    /// The default algorithm.
    pub fn default_algo(&self) -> &'static str {
        KNOWN[self.default]
    }

    /// The listed algorithms, in the C driver's order.
    pub fn listed(&self) -> impl Iterator<Item = &'static str> + '_ {
        KNOWN
            .iter()
            .zip(self.listed)
            .filter(|(_, l)| *l)
            .map(|(k, _)| *k)
    }
}

/// The zram that distributions build and our test kernels have: lzo, lz4,
/// zstd and deflate backends, lzo-rle by default (the C zram's own
/// default). Also what a kernel without a zram of its own gets.
pub const DISTRO: Backends = Backends {
    listed: [true, true, true, false, true, true, false],
    default: 0,
};

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
pub fn write_available(w: &mut impl Write, backends: &Backends, current: &str) -> fmt::Result {
    let mut listed = false;
    for name in backends.listed() {
        if name == current {
            listed = true;
            write!(w, "[{name}] ")?;
        } else {
            write!(w, "{name} ")?;
        }
    }
    if !listed {
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

/// Parse `algorithm_params` as the C driver does: `key=value` arguments
/// split by `next_arg()`; a key without a value is `-EINVAL` (`Invalid`);
/// numbers are `kstrtoint` base 10; unknown keys are ignored.
pub fn parse_params(input: &[u8]) -> Result<Params<'_>, super::parse::ParseError> {
    use super::parse::{kstrtoint, ParseError};
    let mut p = Params::default();
    for (key, val) in super::parse::args(input) {
        let val = match val {
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
