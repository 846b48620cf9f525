// SPDX-License-Identifier: GPL-2.0

//! Compression libraries called directly, as the C zram's backends call
//! them, with the parameters they take: lz4 (acceleration, dictionary),
//! lz4hc (level, dictionary), zstd (level, dictionary; `super::zstd`),
//! deflate (level, window; `super::deflate`), lzo and lzo-rle. The output
//! is the C zram's, byte for byte. The module links against them, as
//! zram.ko does, and calls them with no C wrapper in between: this is the
//! per-page hot path.

use super::bindings as b;
use super::deflate::DeflateWork;
use super::kfile::FileData;
use super::zstd::{ZstdDict, ZstdWork};
use crate::logic::algo::Setup;
use core::mem::{align_of, size_of};
use kernel::alloc::KVVec;
use kernel::ffi::{c_int, c_void};
use kernel::prelude::*;
use kernel::sync::Arc;

// The library's stream types live in `u64` buffers.
const _: () = assert!(align_of::<b::LZ4_stream_t>() <= align_of::<u64>());
const _: () = assert!(align_of::<b::LZ4_streamHC_t>() <= align_of::<u64>());
const _: () = assert!(align_of::<b::LZ4_streamDecode_t>() <= align_of::<u64>());

/// Which library.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Lz4,
    Lz4Hc,
    Lzo,
    LzoRle,
    Zstd,
    Deflate,
}

/// The library functions of one algorithm, with the parameters its
/// backend resolved (`logic::algo::setup_params`).
///
/// # Invariants
///
/// `wrkmem` is the work-memory size the library's compressor needs (for
/// lz4 and lz4hc at least the size of their stream types), and
/// `lzo_worst` the output size lzo needs for a page (lzo is unbounded).
#[derive(Clone, Copy)]
pub(crate) struct CompLib {
    kind: Kind,
    level: c_int,
    winbits: c_int,
    wrkmem: usize,
    lzo_worst: usize,
}

/// A dictionary as lz4 and lz4hc use it.
///
/// # Invariants
///
/// `data` is at most `c_int::MAX` bytes. For lz4, `lz4` is an
/// `LZ4_stream_t` with `data` loaded (`LZ4_loadDict`), which points into
/// `data`; for zstd, `zstd` is `data` digested for the level.
pub(crate) struct LibDict {
    data: Arc<FileData>,
    lz4: Option<KVVec<u64>>,
    zstd: Option<Arc<ZstdDict>>,
}

// SAFETY: once `CompLib::dict` has made it, the loaded stream is only
// read (copied into a stream's own work memory); its pointers point into
// `data`, which is immutable and shared.
unsafe impl Send for LibDict {}
// SAFETY: as above.
unsafe impl Sync for LibDict {}

/// A stream's working memory for a library.
pub(crate) enum LibWork {
    /// lz4, lz4hc, lzo, lzo-rle.
    Lz(LzWork),
    /// zstd's contexts.
    Zstd(ZstdWork),
    /// deflate's streams.
    Deflate(DeflateWork),
}

/// Working memory of lz4, lz4hc, lzo and lzo-rle.
///
/// # Invariants
///
/// `mem` has at least the library's `wrkmem` bytes; with a dictionary,
/// the second vector holds an `LZ4_streamDecode_t`.
pub(crate) struct LzWork {
    mem: KVVec<u64>,
    dict: Option<(Arc<LibDict>, KVVec<u64>)>,
}

/// A zeroed buffer of `bytes` bytes, 8-byte aligned.
fn words(bytes: usize) -> Result<KVVec<u64>> {
    Ok(KVVec::from_elem(0u64, bytes.div_ceil(8), GFP_KERNEL)?)
}

/// The C length of a slice.
fn c_len(s: &[u8]) -> Result<c_int> {
    c_int::try_from(s.len()).map_err(|_| EINVAL)
}

impl CompLib {
    /// The library of `name`, if the module calls one for it; `None`
    /// means use the crypto API. Compresses with the defaults until
    /// `with` gives it its parameters.
    pub(crate) fn get(name: &CStr) -> Option<Self> {
        let kind = match name.to_bytes() {
            b"lz4" => Kind::Lz4,
            b"lz4hc" => Kind::Lz4Hc,
            b"lzo" => Kind::Lzo,
            b"lzo-rle" => Kind::LzoRle,
            b"zstd" => Kind::Zstd,
            b"deflate" => Kind::Deflate,
            _ => return None,
        };
        let wrkmem = match kind {
            Kind::Lz4 => b::ZRS_LZ4_MEM_COMPRESS.max(size_of::<b::LZ4_stream_t>()),
            Kind::Lz4Hc => b::ZRS_LZ4HC_MEM_COMPRESS.max(size_of::<b::LZ4_streamHC_t>()),
            Kind::Lzo | Kind::LzoRle => b::ZRS_LZO1X_1_MEM_COMPRESS,
            // Their own work types size their memory.
            Kind::Zstd | Kind::Deflate => 0,
        };
        // INVARIANT: the sizes the kernel's headers give.
        Some(CompLib {
            kind,
            level: 0,
            winbits: 0,
            wrkmem,
            lzo_worst: b::ZRS_LZO_WORST_PAGE,
        })
    }

    /// This library with the parameters its backend resolved.
    pub(crate) fn with(self, s: Setup) -> Self {
        CompLib {
            level: s.level,
            winbits: s.winbits,
            ..self
        }
    }

    /// Prepare `data` as this library's dictionary, as the C backend's
    /// `setup_params` does: `EINVAL` where lz4 does not load all of it
    /// (under 8 bytes or over 64 KiB), `EOPNOTSUPP` for lzo.
    pub(crate) fn dict(&self, data: Arc<FileData>) -> Result<Arc<LibDict>> {
        let len = c_len(data.as_slice())?;
        let lz4 = match self.kind {
            Kind::Lz4 => {
                let mut stream = words(size_of::<b::LZ4_stream_t>())?;
                // SAFETY: `stream` is a zeroed, aligned `LZ4_stream_t`;
                // the dictionary is valid for `len` bytes.
                let n = unsafe {
                    b::LZ4_loadDict(
                        stream.as_mut_ptr().cast(),
                        data.as_slice().as_ptr().cast(),
                        len,
                    )
                };
                if n != len {
                    return Err(EINVAL);
                }
                Some(stream)
            }
            // lz4hc loads it for each page (and fails there, as C).
            Kind::Lz4Hc | Kind::Zstd => None,
            Kind::Lzo | Kind::LzoRle | Kind::Deflate => return Err(EOPNOTSUPP),
        };
        let zstd = match self.kind {
            Kind::Zstd => Some(Arc::new(
                ZstdDict::new(data.clone(), self.level)?,
                GFP_KERNEL,
            )?),
            _ => None,
        };
        // INVARIANT: `len` fit a c_int; the stream loaded `data`, which
        // the dictionary keeps.
        Ok(Arc::new(LibDict { data, lz4, zstd }, GFP_KERNEL)?)
    }

    /// A stream's working memory, with `dict` if the library has one.
    /// Inputs are pages or, when `unit` is over a page, units of `unit`
    /// bytes.
    pub(crate) fn work(&self, dict: Option<&Arc<LibDict>>, unit: usize) -> Result<LibWork> {
        match self.kind {
            Kind::Zstd => {
                let zd = dict.map(|d| d.zstd.clone().ok_or(EINVAL)).transpose()?;
                return Ok(LibWork::Zstd(ZstdWork::new(self.level, zd, unit)?));
            }
            Kind::Deflate => {
                return Ok(LibWork::Deflate(DeflateWork::new(
                    self.level,
                    self.winbits,
                )?))
            }
            _ => {}
        }
        let dict = match dict {
            Some(d) => Some((d.clone(), words(size_of::<b::LZ4_streamDecode_t>())?)),
            None => None,
        };
        // INVARIANT: `wrkmem` bytes, and a decoder stream with a dictionary.
        Ok(LibWork::Lz(LzWork {
            mem: words(self.wrkmem)?,
            dict,
        }))
    }

    /// Compress one page `src` into `dst` with `w`; the compressed length.
    /// `ENOSPC` if `dst` may be too small, `EINVAL` if the library fails.
    #[inline(always)]
    pub(crate) fn compress(&self, src: &[u8], dst: &mut [u8], w: &mut LibWork) -> Result<usize> {
        let w = match w {
            LibWork::Lz(w) => w,
            LibWork::Zstd(z) => return z.compress(src, dst),
            LibWork::Deflate(z) => return z.compress(src, dst),
        };
        if w.mem.len() * 8 < self.wrkmem {
            return Err(EINVAL);
        }
        let (slen, dlen) = (c_len(src)?, c_len(dst)?);
        let (s, d) = (src.as_ptr().cast(), dst.as_mut_ptr().cast());
        if let (Kind::Lz4, Some((dict, _))) = (self.kind, &w.dict) {
            // Each page starts from the loaded dictionary, as in C.
            let loaded = dict.lz4.as_deref().ok_or(EINVAL)?;
            w.mem
                .get_mut(..loaded.len())
                .ok_or(EINVAL)?
                .copy_from_slice(loaded);
        }
        let mem = w.mem.as_mut_ptr();
        // In each call below, `src` and `dst` are valid for the lengths
        // passed, which bound what the library reads and writes; `mem` is
        // this stream's, at least `wrkmem` bytes, aligned for the
        // library's stream types; a dictionary is valid for its length
        // (LibDict invariant).
        let n = match (self.kind, &w.dict) {
            // SAFETY: as said above.
            (Kind::Lz4, None) => unsafe {
                b::LZ4_compress_fast(s, d, slen, dlen, self.level, mem.cast())
            },
            // SAFETY: as said above; `mem` holds a copy of the loaded
            // `LZ4_stream_t`, made just above.
            (Kind::Lz4, Some(_)) => unsafe {
                b::LZ4_compress_fast_continue(mem.cast(), s, d, slen, dlen, self.level)
            },
            // SAFETY: as said above.
            (Kind::Lz4Hc, None) => unsafe {
                b::LZ4_compress_HC(s, d, slen, dlen, self.level, mem.cast())
            },
            (Kind::Lz4Hc, Some((dict, _))) => {
                let data = dict.data.as_slice();
                let len = c_len(data)?;
                // SAFETY: as said above; `mem` is an `LZ4_streamHC_t`, reset
                // before the dictionary is loaded into it.
                unsafe {
                    b::LZ4_resetStreamHC(mem.cast(), self.level);
                    if b::LZ4_loadDictHC(mem.cast(), data.as_ptr().cast(), len) != len {
                        return Err(EINVAL);
                    }
                    b::LZ4_compress_HC_continue(mem.cast(), s, d, slen, dlen)
                }
            }
            (Kind::Lzo | Kind::LzoRle, _) => return self.compress_lzo(src, dst, mem.cast()),
            (Kind::Zstd | Kind::Deflate, _) => return Err(EINVAL),
        };
        // 0 means it did not fit.
        match usize::try_from(n) {
            Ok(n) if n > 0 && n <= dst.len() => Ok(n),
            _ => Err(EINVAL),
        }
    }

    #[inline(always)]
    fn compress_lzo(&self, src: &[u8], dst: &mut [u8], wrk: *mut c_void) -> Result<usize> {
        // lzo writes without bounds: the output must take its worst case,
        // as the C zram's backend gives it for a page (lzo1x_worst_compress
        // for a unit).
        let worst = if src.len() > crate::logic::parse::PAGE_SIZE as usize {
            src.len() + src.len() / 16 + 64 + 3
        } else {
            self.lzo_worst
        };
        if dst.len() < worst {
            return Err(ENOSPC);
        }
        let mut n = dst.len();
        let f = if self.kind == Kind::LzoRle {
            b::lzorle1x_1_compress
        } else {
            b::lzo1x_1_compress
        };
        // SAFETY: `src` is valid for its length, `dst` holds at least
        // lzo's worst case for that length, `wrk` is the
        // stream's work memory, large enough; `n` is a valid out-parameter.
        let r = unsafe { f(src.as_ptr(), src.len(), dst.as_mut_ptr(), &mut n, wrk) };
        if r != b::ZRS_LZO_E_OK || n > dst.len() {
            return Err(EINVAL);
        }
        Ok(n)
    }

    /// Decompress `src` into `dst` with `w`; the decompressed length.
    /// `EINVAL` for corrupt input.
    #[inline(always)]
    pub(crate) fn decompress(&self, src: &[u8], dst: &mut [u8], w: &mut LibWork) -> Result<usize> {
        let w = match w {
            LibWork::Lz(w) => w,
            LibWork::Zstd(z) => return z.decompress(src, dst),
            LibWork::Deflate(z) => return z.decompress(src, dst),
        };
        if let Kind::Lzo | Kind::LzoRle = self.kind {
            let mut n = dst.len();
            // SAFETY: the safe decompressor never reads past `src.len()`
            // bytes of `src` or writes past `n` bytes of `dst`, both valid.
            let r = unsafe {
                b::lzo1x_decompress_safe(src.as_ptr(), src.len(), dst.as_mut_ptr(), &mut n)
            };
            if r != b::ZRS_LZO_E_OK || n > dst.len() {
                return Err(EINVAL);
            }
            return Ok(n);
        }
        let (slen, dlen) = (c_len(src)?, c_len(dst)?);
        let (s, d) = (src.as_ptr().cast(), dst.as_mut_ptr().cast());
        let n = match &mut w.dict {
            // SAFETY: the safe decompressor never reads past `slen` bytes
            // of `src` or writes past `dlen` bytes of `dst`, both valid.
            None => unsafe { b::LZ4_decompress_safe(s, d, slen, dlen) },
            Some((dict, dstrm)) => {
                let data = dict.data.as_slice();
                let dstrm = dstrm.as_mut_ptr().cast();
                // SAFETY: as above; `dstrm` is this stream's
                // `LZ4_streamDecode_t`, reset to the dictionary (valid
                // for its length) before each page, as in C.
                unsafe {
                    if b::LZ4_setStreamDecode(dstrm, data.as_ptr().cast(), c_len(data)?) == 0 {
                        return Err(EINVAL);
                    }
                    b::LZ4_decompress_safe_continue(dstrm, s, d, slen, dlen)
                }
            }
        };
        match usize::try_from(n) {
            Ok(n) if n <= dst.len() => Ok(n),
            _ => Err(EINVAL),
        }
    }
}
