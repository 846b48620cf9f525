/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The input bindgen reads to generate the module's C boundary (Kbuild,
 * src/ffi/bindings.rs): the kernel headers whose functions and types
 * `kernel::bindings` lacks, the C helpers, and constants that only a C
 * compiler can evaluate (sizeof, macros), as the kernel's own
 * rust/bindings/bindings_helper.h does.
 */
#include <crypto/acompress.h>
#include <linux/lz4.h>
#include <linux/lzo.h>
#include <linux/namei.h>
#include <linux/zlib.h>
#include <linux/zsmalloc.h>
#include <linux/zstd.h>

#include "zrs_helpers.h"

/* Work memory of the compressors, and lzo's output bound for a page. */
const size_t ZRS_LZ4_MEM_COMPRESS = LZ4_MEM_COMPRESS;
const size_t ZRS_LZ4HC_MEM_COMPRESS = LZ4HC_MEM_COMPRESS;
const size_t ZRS_LZO1X_1_MEM_COMPRESS = LZO1X_1_MEM_COMPRESS;
const size_t ZRS_LZO_WORST_PAGE = lzo1x_worst_compress(PAGE_SIZE);
const int ZRS_LZO_E_OK = LZO_E_OK;

/* zlib's constants, as the C zram's deflate backend uses them. */
const int ZRS_Z_OK = Z_OK;
const int ZRS_Z_STREAM_END = Z_STREAM_END;
const int ZRS_Z_FINISH = Z_FINISH;
const int ZRS_Z_SYNC_FLUSH = Z_SYNC_FLUSH;
const int ZRS_Z_DEFLATED = Z_DEFLATED;
const int ZRS_Z_DEFAULT_STRATEGY = Z_DEFAULT_STRATEGY;
const int ZRS_MAX_MEM_LEVEL = MAX_MEM_LEVEL;

/* zsmalloc allocations as the C zram makes them: no I/O from reclaim (we
 * are the swap device), no warning, highmem and movable pages so that
 * compaction can move objects. */
const gfp_t ZRS_ZS_GFP = GFP_NOIO | __GFP_NOWARN | __GFP_HIGHMEM | __GFP_MOVABLE;

/* Pages allocated on the I/O path: no I/O from reclaim, no warning. */
const gfp_t ZRS_GFP_NOIO = GFP_NOIO | __GFP_NOWARN;
