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

/// Parse `algorithm_params` as the C driver does: `key=value` arguments
/// split by `next_arg()`; a key without a value is `-EINVAL` (`Invalid`);
/// numbers are `kstrtoint` base 10; unknown keys are ignored.
pub fn parse_params(input: &[u8]) -> Result<Params<'_>, super::parse::ParseError> {
    use super::parse::{kstrtoint, ParseError};
    let mut p = Params::default();
    for (key, val) in super::parse::kv_args(input) {
        let val = val.ok_or(ParseError::Invalid)?;
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

/// What `algorithm_params` stored for one priority, before the backend
/// looked at it (the C driver's `zcomp_params`; `None` is
/// `ZCOMP_PARAM_NOT_SET`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// `level=`.
    pub level: Option<i32>,
    /// `deflate.winbits=`.
    pub winbits: Option<i32>,
    /// Whether a `dict=` file was read (never empty).
    pub dict: bool,
}

/// Why a backend refused its parameters at `disksize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupError {
    /// Out of the backend's range (`-EINVAL`).
    Invalid,
    /// A parameter the backend does not take (`-EOPNOTSUPP`).
    NotSupported,
    /// Valid, and the C driver applies it, but our backend for this
    /// algorithm goes through the crypto API (the kernel lacks the
    /// library), which cannot (`-EOPNOTSUPP`; refused, not ignored).
    NotApplied,
}

/// What a backend compresses with, once its parameters are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setup {
    /// The level (lz4: the acceleration; 0 where there is none).
    pub level: i32,
    /// deflate's window bits (0 for the others).
    pub winbits: i32,
}

/// `LZ4_ACCELERATION_DEFAULT`.
pub const LZ4_DEFAULT_LEVEL: i32 = 1;
/// `LZ4HC_DEFAULT_CLEVEL`.
pub const LZ4HC_DEFAULT_LEVEL: i32 = 9;
/// The highest lz4hc level (`LZ4HC_MAX_CLEVEL`).
pub const LZ4HC_MAX_LEVEL: i32 = 16;
/// zstd's level range (`zstd_min_clevel()`, `-ZSTD_TARGETLENGTH_MAX`, and
/// `zstd_max_clevel()`; a KUnit test holds them to the library's).
pub const ZSTD_LEVELS: core::ops::RangeInclusive<i32> = -(1 << 17)..=22;
/// `ZSTD_CLEVEL_DEFAULT`.
pub const ZSTD_DEFAULT_LEVEL: i32 = 3;
/// deflate's default window bits in the C zram (`DEFLATE_DEF_WINBITS`:
/// a raw stream with a 2 KiB window, as the crypto API's).
pub const DEFLATE_DEFAULT_WINBITS: i32 = -11;

/// What `algo`'s backend compresses with, from `t`, in the C driver's
/// order of checks (each backend's `setup_params()`), the defaults where
/// nothing was set. lz4 takes an acceleration of at least 1, lz4hc levels
/// 1 to 16 (the library clamps only below 1), zstd its own range, deflate
/// -1 to 9 and window bits ±9 to ±15; lzo, lzo-rle and 842 take nothing.
/// lz4, lz4hc and zstd take a dictionary. `direct` says whether our
/// backend calls the algorithm's library: through the crypto API, any
/// parameter is `NotApplied`.
pub fn setup_params(algo: &str, t: &Tuning, direct: bool) -> Result<Setup, SetupError> {
    let level_in = |r: core::ops::RangeInclusive<i32>, default: i32| match t.level {
        None => Ok(default),
        Some(l) if r.contains(&l) => Ok(l),
        Some(_) => Err(SetupError::Invalid),
    };
    let setup = |level| Setup { level, winbits: 0 };
    let s = match algo {
        "lzo" | "lzo-rle" | "842" => {
            if t.dict || t.level.is_some() {
                return Err(SetupError::NotSupported);
            }
            setup(0)
        }
        "lz4" => setup(level_in(LZ4_DEFAULT_LEVEL..=i32::MAX, LZ4_DEFAULT_LEVEL)?),
        "lz4hc" => setup(level_in(1..=LZ4HC_MAX_LEVEL, LZ4HC_DEFAULT_LEVEL)?),
        "zstd" => setup(level_in(ZSTD_LEVELS, ZSTD_DEFAULT_LEVEL)?),
        "deflate" => {
            if t.dict {
                return Err(SetupError::NotSupported);
            }
            let level = level_in(-1..=9, -1)?;
            let winbits = match t.winbits {
                None => DEFLATE_DEFAULT_WINBITS,
                Some(wb) if (-15..=-9).contains(&wb) || (9..=15).contains(&wb) => wb,
                Some(_) => return Err(SetupError::Invalid),
            };
            Setup { level, winbits }
        }
        // Not one of the C driver's backends: nothing to check.
        _ => setup(0),
    };
    let tuned = t.level.is_some() || t.dict || (algo == "deflate" && t.winbits.is_some());
    if tuned && !direct {
        return Err(SetupError::NotApplied);
    }
    Ok(s)
}
