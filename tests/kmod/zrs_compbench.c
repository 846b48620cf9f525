// SPDX-License-Identifier: GPL-2.0
/*
 * zrs_compbench: the compressor alone, for make bench. Test-only, never
 * installed.
 *
 *   insmod zrs_compbench.ko path=/tmp/data alg=lz4 api=acomp reps=1
 *
 * Reads the file at @path (the same bytes fio writes to the device, or
 * the real-data image), then runs every 4 KiB page of it through the
 * compressor the way a zram write does (into a 2-page buffer), and every
 * stored page back the way a zram read does: pages that did not compress
 * below zsmalloc's huge class size are stored raw and read back with a
 * memcpy, as both drivers do. @api selects the interface:
 *
 *   acomp   crypto_alloc_acomp(@alg) + crypto_acomp_{,de}compress with
 *           linear (nondma) buffers: what zram_rs uses
 *   lz4lib  LZ4_compress_fast(acceleration 1) / LZ4_decompress_safe
 *           called directly: what the C zram's lz4 backend uses
 *
 * One line goes to the kernel log and the module stays loaded (rmmod it):
 *   zrs_compbench: api=acomp alg=lz4 bytes=N pages=N stored=N huge=N
 *                  comp_ns=N decomp_ns=N
 * with times summed over @reps passes. It also logs
 *   zrs_compbench: sizeof_zram_table_entry=N
 * computed from the C zram's own header for this kernel's configuration.
 */
#include <crypto/acompress.h>
#include <linux/kernel_read_file.h>
#include <linux/lz4.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/zsmalloc.h>

#include "zram_drv.h"

static char *path = "/tmp/compbench.data";
module_param(path, charp, 0444);
static char *alg = "lz4";
module_param(alg, charp, 0444);
static char *api = "acomp";
module_param(api, charp, 0444);
static int reps = 1;
module_param(reps, int, 0444);

struct cb_ctx {
	bool lib;
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	void *wrkmem;
};

static int cb_run(struct cb_ctx *c, bool comp, const void *src,
		  unsigned int slen, void *dst, unsigned int *dlen)
{
	int ret;

	if (c->lib) {
		if (comp)
			ret = LZ4_compress_fast(src, dst, slen, *dlen, 1,
						c->wrkmem);
		else
			ret = LZ4_decompress_safe(src, dst, slen, *dlen);
		if (ret <= 0)
			return -EINVAL;
		*dlen = ret;
		return 0;
	}
	acomp_request_set_src_nondma(c->req, src, slen);
	acomp_request_set_dst_nondma(c->req, dst, *dlen);
	ret = comp ? crypto_acomp_compress(c->req) :
		     crypto_acomp_decompress(c->req);
	*dlen = c->req->dlen;
	return ret;
}

static int __init zrs_compbench_init(void)
{
	struct cb_ctx c = {};
	struct zs_pool *pool;
	void *data = NULL, *store = NULL, *dst = NULL;
	unsigned int *len = NULL;
	size_t fsize = 0, huge_size, npages, i, stored = 0, huge = 0;
	u64 t0, comp_ns = 0, decomp_ns = 0;
	ssize_t n;
	int r, ret = 0;

	pr_info("zrs_compbench: sizeof_zram_table_entry=%zu\n",
		sizeof(struct zram_table_entry));

	/* The size above which both drivers store a page uncompressed. */
	pool = zs_create_pool("zrs_compbench");
	if (!pool)
		return -ENOMEM;
	huge_size = zs_huge_class_size(pool);
	zs_destroy_pool(pool);

	if (!strcmp(api, "lz4lib")) {
		if (strcmp(alg, "lz4")) {
			pr_err("zrs_compbench: api=lz4lib needs alg=lz4\n");
			return -EINVAL;
		}
		c.lib = true;
		c.wrkmem = vmalloc(LZ4_MEM_COMPRESS);
		if (!c.wrkmem)
			return -ENOMEM;
	} else if (!strcmp(api, "acomp")) {
		c.tfm = crypto_alloc_acomp(alg, 0, CRYPTO_ALG_ASYNC);
		if (IS_ERR(c.tfm)) {
			pr_err("zrs_compbench: no acomp %s\n", alg);
			return PTR_ERR(c.tfm);
		}
		c.req = acomp_request_alloc(c.tfm);
		if (!c.req) {
			ret = -ENOMEM;
			goto out;
		}
		acomp_request_set_callback(c.req, 0, NULL, NULL);
	} else {
		pr_err("zrs_compbench: api must be acomp or lz4lib\n");
		return -EINVAL;
	}

	n = kernel_read_file_from_path(path, 0, &data, INT_MAX, &fsize,
				       READING_UNKNOWN);
	if (n < (ssize_t)PAGE_SIZE) {
		pr_err("zrs_compbench: cannot read %s (%zd)\n", path, n);
		ret = n < 0 ? n : -EINVAL;
		data = NULL;
		goto out;
	}
	npages = n / PAGE_SIZE;
	store = vmalloc(npages * PAGE_SIZE);
	len = vmalloc(npages * sizeof(*len));
	dst = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
	if (!store || !len || !dst) {
		ret = -ENOMEM;
		goto out;
	}

	for (r = 0; r < reps; r++) {
		stored = huge = 0;
		/* Write path: compress into a 2-page buffer, keep the result
		 * (or the raw page when it is huge). */
		t0 = ktime_get_ns();
		for (i = 0; i < npages; i++) {
			unsigned int dlen = 2 * PAGE_SIZE;
			void *dp = store + i * PAGE_SIZE;

			ret = cb_run(&c, true, data + i * PAGE_SIZE, PAGE_SIZE,
				     dst, &dlen);
			if (ret) {
				pr_err("zrs_compbench: compress page %zu: %d\n",
				       i, ret);
				goto out;
			}
			if (dlen >= huge_size) {
				memcpy(dp, data + i * PAGE_SIZE, PAGE_SIZE);
				len[i] = PAGE_SIZE;
				huge++;
			} else {
				memcpy(dp, dst, dlen);
				len[i] = dlen;
				stored += dlen;
			}
		}
		comp_ns += ktime_get_ns() - t0;

		/* Read path: decompress (or copy a huge page) into a page. */
		t0 = ktime_get_ns();
		for (i = 0; i < npages; i++) {
			unsigned int dlen = PAGE_SIZE;

			if (len[i] == PAGE_SIZE) {
				memcpy(dst, store + i * PAGE_SIZE, PAGE_SIZE);
				continue;
			}
			ret = cb_run(&c, false, store + i * PAGE_SIZE, len[i],
				     dst, &dlen);
			if (ret || dlen != PAGE_SIZE) {
				pr_err("zrs_compbench: decompress page %zu: %d/%u\n",
				       i, ret, dlen);
				ret = ret ?: -EIO;
				goto out;
			}
		}
		decomp_ns += ktime_get_ns() - t0;
	}
	/* Spot check: the last page came back intact. */
	if (memcmp(dst, data + (npages - 1) * PAGE_SIZE, PAGE_SIZE)) {
		pr_err("zrs_compbench: round trip mismatch\n");
		ret = -EIO;
		goto out;
	}
	pr_info("zrs_compbench: api=%s alg=%s bytes=%zu pages=%zu stored=%zu huge=%zu huge_size=%zu reps=%d comp_ns=%llu decomp_ns=%llu\n",
		api, alg, npages * PAGE_SIZE * reps, npages * reps, stored,
		huge, huge_size, reps, comp_ns, decomp_ns);
	ret = 0;
out:
	kfree(dst);
	vfree(len);
	vfree(store);
	vfree(data);
	if (c.req)
		acomp_request_free(c.req);
	if (c.tfm)
		crypto_free_acomp(c.tfm);
	vfree(c.wrkmem);
	return ret;
}

static void __exit zrs_compbench_exit(void)
{
}

module_init(zrs_compbench_init);
module_exit(zrs_compbench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zram-rs benchmark: the compressor alone (test only)");
