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
#include <linux/zsmalloc.h>

#include "zrs_helpers.h"

/* Work memory of the compressors, and lzo's output bound for a page. */
const size_t ZRS_LZ4_MEM_COMPRESS = LZ4_MEM_COMPRESS;
const size_t ZRS_LZ4HC_MEM_COMPRESS = LZ4HC_MEM_COMPRESS;
const size_t ZRS_LZO1X_1_MEM_COMPRESS = LZO1X_1_MEM_COMPRESS;
const size_t ZRS_LZO_WORST_PAGE = lzo1x_worst_compress(PAGE_SIZE);
const int ZRS_LZO_E_OK = LZO_E_OK;

/* zsmalloc allocations as the C zram makes them: no I/O from reclaim (we
 * are the swap device), no warning, highmem and movable pages so that
 * compaction can move objects. */
const gfp_t ZRS_ZS_GFP = GFP_NOIO | __GFP_NOWARN | __GFP_HIGHMEM | __GFP_MOVABLE;

/* Pages allocated on the I/O path: no I/O from reclaim, no warning. */
const gfp_t ZRS_GFP_NOIO = GFP_NOIO | __GFP_NOWARN;
