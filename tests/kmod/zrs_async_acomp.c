// SPDX-License-Identifier: GPL-2.0
/*
 * zrs_async_acomp: an asynchronous crypto acomp algorithm, as hardware
 * compressors (Intel IAA, HiSilicon ZIP, QAT) register them, for testing
 * zram_rs's acomp path. Test-only, never installed.
 *
 *   modprobe zrs_async_acomp [delay_us=N] [fail_every=N]
 *
 * It registers "842" (driver "842-zrs-async") at a priority above the
 * generic one, so that a zram_rs device whose comp_algorithm is 842 gets
 * it: zram_rs calls its own libraries for every other algorithm the C zram
 * knows. Each request returns -EINPROGRESS at once and completes later
 * from a work item on a WQ_MEM_RECLAIM workqueue (the device may be swap),
 * after @delay_us. The data format is lz4 behind a 4-byte length: nothing
 * but this module can read it, which is the point (a device that mixed
 * implementations would fail its data checks). With @fail_every, every
 * Nth compression fails (-EIO), to drive zram_rs's error path.
 * /sys/module/zrs_async_acomp/parameters/completed counts the requests
 * it has completed.
 */
#include <crypto/internal/acompress.h>
#include <linux/delay.h>
#include <linux/lz4.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

static unsigned int delay_us;
module_param(delay_us, uint, 0644);
static unsigned int fail_every;
module_param(fail_every, uint, 0644);

/* Requests completed, for the tests to see that this module did the work. */
static atomic_t completed = ATOMIC_INIT(0);
static int completed_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&completed));
}
static const struct kernel_param_ops completed_ops = { .get = completed_get };
module_param_cb(completed, &completed_ops, NULL, 0444);

static struct workqueue_struct *zrs_wq;
static atomic_t zrs_count = ATOMIC_INIT(0);

#define ZRS_BUF (2 * PAGE_SIZE)

/* Per transform: bounce buffers and lz4's work memory (one request at a
 * time per transform, as zram_rs uses them: a request per stream). */
struct zrs_tfm_ctx {
	u8 *in, *out;
	void *wrk;
};

struct zrs_req_ctx {
	struct work_struct work;
	struct acomp_req *req;
	bool compress;
};

static int zrs_run(struct acomp_req *req, struct zrs_tfm_ctx *c, bool compress)
{
	unsigned int slen = req->slen, dlen = req->dlen;
	int n;

	if (slen > ZRS_BUF || !slen)
		return -EINVAL;
	if (sg_copy_to_buffer(req->src, sg_nents(req->src), c->in, slen) != slen)
		return -EINVAL;
	if (compress) {
		if (fail_every && atomic_inc_return(&zrs_count) % fail_every == 0)
			return -EIO;
		n = LZ4_compress_default(c->in, c->out + 4, slen, ZRS_BUF - 4, c->wrk);
		if (n <= 0 || n + 4 > dlen)
			return -ENOSPC;
		put_unaligned_le32(slen, c->out);
		n += 4;
	} else {
		u32 orig;

		if (slen < 4)
			return -EINVAL;
		orig = get_unaligned_le32(c->in);
		if (orig > dlen || orig > ZRS_BUF)
			return -EINVAL;
		n = LZ4_decompress_safe(c->in + 4, c->out, slen - 4, orig);
		if (n < 0 || n != orig)
			return -EINVAL;
	}
	if (sg_copy_from_buffer(req->dst, sg_nents(req->dst), c->out, n) != n)
		return -EINVAL;
	req->dlen = n;
	return 0;
}

static void zrs_work(struct work_struct *w)
{
	struct zrs_req_ctx *rc = container_of(w, struct zrs_req_ctx, work);
	struct acomp_req *req = rc->req;
	struct zrs_tfm_ctx *c = acomp_tfm_ctx(crypto_acomp_reqtfm(req));

	if (delay_us)
		usleep_range(delay_us, delay_us + delay_us / 4 + 1);
	atomic_inc(&completed);
	acomp_request_complete(req, zrs_run(req, c, rc->compress));
}

static int zrs_queue(struct acomp_req *req, bool compress)
{
	struct zrs_req_ctx *rc = acomp_request_ctx(req);

	rc->req = req;
	rc->compress = compress;
	INIT_WORK(&rc->work, zrs_work);
	queue_work(zrs_wq, &rc->work);
	return -EINPROGRESS;
}

static int zrs_compress(struct acomp_req *req)
{
	return zrs_queue(req, true);
}

static int zrs_decompress(struct acomp_req *req)
{
	return zrs_queue(req, false);
}

static void zrs_exit_tfm(struct crypto_acomp *tfm)
{
	struct zrs_tfm_ctx *c = acomp_tfm_ctx(tfm);

	kfree(c->in);
	kfree(c->out);
	vfree(c->wrk);
}

static int zrs_init_tfm(struct crypto_acomp *tfm)
{
	struct zrs_tfm_ctx *c = acomp_tfm_ctx(tfm);

	c->in = kmalloc(ZRS_BUF, GFP_KERNEL);
	c->out = kmalloc(ZRS_BUF, GFP_KERNEL);
	c->wrk = vmalloc(LZ4_MEM_COMPRESS);
	if (!c->in || !c->out || !c->wrk) {
		zrs_exit_tfm(tfm);
		return -ENOMEM;
	}
	return 0;
}

static struct acomp_alg zrs_alg = {
	.init = zrs_init_tfm,
	.exit = zrs_exit_tfm,
	.compress = zrs_compress,
	.decompress = zrs_decompress,
	.base = {
		.cra_name = "842",
		.cra_driver_name = "842-zrs-async",
		.cra_flags = CRYPTO_ALG_ASYNC,
		.cra_priority = 1000,
		.cra_ctxsize = sizeof(struct zrs_tfm_ctx),
		.cra_reqsize = sizeof(struct zrs_req_ctx),
		.cra_module = THIS_MODULE,
	},
};

static int __init zrs_async_init(void)
{
	int ret;

	zrs_wq = alloc_workqueue("zrs_async_acomp", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!zrs_wq)
		return -ENOMEM;
	ret = crypto_register_acomp(&zrs_alg);
	if (ret)
		destroy_workqueue(zrs_wq);
	return ret;
}

static void __exit zrs_async_exit(void)
{
	/* The crypto API holds this module while any transform exists, so
	 * no request is in flight here. */
	crypto_unregister_acomp(&zrs_alg);
	destroy_workqueue(zrs_wq);
}

module_init(zrs_async_init);
module_exit(zrs_async_exit);
MODULE_DESCRIPTION("zram-rs test: an asynchronous acomp algorithm");
MODULE_LICENSE("GPL");
