// SPDX-License-Identifier: GPL-2.0
/*
 * zram-rs C helpers: only what Rust cannot call itself. Each wraps static
 * inlines or macros (named beside it) or holds a static table (fops, sysfs
 * attributes, the control class); everything the bindings can reach is
 * called from Rust directly (src/ffi/bindings.rs). No driver logic lives
 * here. The one loop is zrs_bio_rw(), the walk over a bio's segments
 * (inline bvec helpers), which also reads the clock once per bio for Rust.
 */
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/cpuhotplug.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/crypto.h>
#include <crypto/acompress.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/part_stat.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>

#include "zrs_helpers.h"

#define ZRS_SECTORS_PER_PAGE_SHIFT (PAGE_SHIFT - SECTOR_SHIFT)

/* ---- bio-based block device ---- */

/*
 * A multi-page bio_vec (a large folio, say) at a page boundary of the
 * device, offered whole to Rust, which stores or reads the whole units
 * (unit_size) it starts with: the bytes it did, 0 for none (go on page by
 * page), -EOPNOTSUPP with units off (do not ask again for this bio), or
 * an error. The pages of one bio_vec are physically contiguous, so with
 * no highmem they are one run of the linear map.
 */
static __always_inline int zrs_bio_units(void *priv, struct gendisk *disk,
					 struct bio *bio, struct bvec_iter iter,
					 u32 now, bool write)
{
#ifdef CONFIG_HIGHMEM
	return -EOPNOTSUPP;
#else
	struct bio_vec mp = mp_bvec_iter_bvec(bio->bi_io_vec, iter);
	u32 len = min_t(u32, mp.bv_len, INT_MAX) & PAGE_MASK;
	int ret;

	if (len <= PAGE_SIZE || offset_in_page(mp.bv_offset))
		return 0;
	ret = zrs_rs_units(priv, disk, bvec_virt(&mp), len, iter.bi_sector,
			   now, write, page_to_nid(mp.bv_page));
	if (ret > 0 && !write) {
		for (u32 done = 0; done < (u32)ret; done += PAGE_SIZE)
			flush_dcache_page(mp.bv_page +
					  ((mp.bv_offset + done) >> PAGE_SHIFT));
	}
	return ret;
#endif
}

/*
 * Walk the segments of a read or write bio, handing each (kmap'ed, at
 * most one page, never crossing a page of the device) to Rust with one
 * direct call, then account and end the bio. The first error fails the
 * bio, as in the C zram. Inlined into zrs_submit_bio once per direction,
 * so that a one-page bio costs a single call into the driver. `now` is
 * the access time the pages of this bio record: one clock read per bio.
 * A segment of several pages is offered as units first (zrs_bio_units).
 */
static __always_inline void zrs_bio_rw(void *priv, struct gendisk *disk,
				       struct bio *bio, bool write)
{
	struct bvec_iter iter = bio->bi_iter;
	unsigned long start = bio_start_io_acct(bio);
	u32 now = (u32)ktime_get_boottime_seconds();
	bool units = true;

	do {
		u32 offset = (iter.bi_sector & ((1 << ZRS_SECTORS_PER_PAGE_SHIFT) - 1))
			     << SECTOR_SHIFT;
		struct bio_vec bv;
		void *mem;
		int ret;

		if (units && !offset && iter.bi_size > PAGE_SIZE) {
			ret = zrs_bio_units(priv, disk, bio, iter, now, write);
			if (ret > 0) {
				bio_advance_iter(bio, &iter, ret);
				continue;
			}
			if (ret == -EOPNOTSUPP) {
				units = false;
			} else if (ret) {
				bio->bi_status = BLK_STS_IOERR;
				break;
			}
		}
		bv = bio_iter_iovec(bio, iter);
		bv.bv_len = min_t(u32, bv.bv_len, PAGE_SIZE - offset);
		mem = kmap_local_page(bv.bv_page);
		if (write)	/* Stored on the page's node, as in C. */
			ret = zrs_rs_write(priv, disk, mem + bv.bv_offset,
					   bv.bv_len, iter.bi_sector, now,
					   page_to_nid(bv.bv_page));
		else	/* A whole page may be read from the backing device
			 * asynchronously, chained to the bio. */
			ret = zrs_rs_read(priv, disk, mem + bv.bv_offset,
					  bv.bv_len, iter.bi_sector, now, bio,
					  bv.bv_offset || bv.bv_len != PAGE_SIZE ?
					  NULL : bv.bv_page);
		kunmap_local(mem);
		if (ret) {
			bio->bi_status = BLK_STS_IOERR;
			break;
		}
		if (!write)
			flush_dcache_page(bv.bv_page);
		bio_advance_iter_single(bio, &iter, bv.bv_len);
	} while (iter.bi_size);

	bio_end_io_acct(bio, start);
	bio_endio(bio);
}

/*
 * The block layer holds the queue's usage counter around ->submit_bio
 * (__submit_bio: bio_queue_enter ... blk_queue_exit): Rust reads the
 * device's storage under it, and replaces the storage with the queue frozen.
 */
static void zrs_submit_bio(struct bio *bio)
{
	struct gendisk *disk = bio->bi_bdev->bd_disk;
	void *priv = disk->private_data;
	int ret;

	switch (bio_op(bio)) {
	case REQ_OP_READ:
		zrs_bio_rw(priv, disk, bio, false);
		return;
	case REQ_OP_WRITE:
		zrs_bio_rw(priv, disk, bio, true);
		return;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		ret = zrs_rs_discard(priv, bio->bi_iter.bi_sector,
				     bio->bi_iter.bi_size);
		if (ret)
			bio->bi_status = BLK_STS_IOERR;
		bio_endio(bio);
		return;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
	}
}

static int zrs_open(struct gendisk *disk, blk_mode_t mode)
{
	return zrs_rs_open(disk->private_data);
}

/* Called by the swap code with its locks held: must not sleep. */
static void zrs_slot_free_notify(struct block_device *bdev, unsigned long index)
{
	zrs_rs_slot_free_notify(bdev->bd_disk->private_data, bdev->bd_disk, index);
}

static const struct block_device_operations zrs_fops = {
	.owner = THIS_MODULE,
	.open = zrs_open,
	.submit_bio = zrs_submit_bio,
	.swap_slot_free_notify = zrs_slot_free_notify,
};

struct gendisk *zrs_disk_alloc(int major, int minor)
{
	struct queue_limits lim = {
		.logical_block_size = 4096,
		.physical_block_size = PAGE_SIZE,
		.io_min = PAGE_SIZE,
		.io_opt = PAGE_SIZE,
		.max_hw_discard_sectors = UINT_MAX,
		.max_write_zeroes_sectors = UINT_MAX,
		.features = BLK_FEAT_STABLE_WRITES | BLK_FEAT_SYNCHRONOUS,
	};
	struct gendisk *disk;

	disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(disk))
		return disk;
	disk->major = major;
	disk->first_minor = minor;
	disk->minors = 1;
	disk->flags |= GENHD_FL_NO_PART;
	disk->fops = &zrs_fops;
	snprintf(disk->disk_name, DISK_NAME_LEN, "zram%d", minor);
	set_capacity(disk, 0);
	return disk;
}

/* part_stat_set_all (macro): the block layer's statistics cleared. */
void zrs_disk_clear_stats(struct gendisk *disk)
{
	part_stat_set_all(disk->part0, 0);
}

/* blk_mq_freeze_queue (static inline): wait for the bios in ->submit_bio
 * and hold new ones back; no I/O from reclaim meanwhile (the returned
 * flags restore it). */
unsigned int zrs_disk_freeze(struct gendisk *disk)
{
	return blk_mq_freeze_queue(disk->queue);
}

void zrs_disk_unfreeze(struct gendisk *disk, unsigned int memflags)
{
	blk_mq_unfreeze_queue(disk->queue, memflags);
}

/* ---- CPU hotplug ---- */

/*
 * cpuhp_setup_state_multi (static inline): a dynamic PREPARE-section state,
 * since the in-tree zram owns the fixed CPUHP_ZCOMP_PREPARE, which an
 * out-of-tree module must not take. The callbacks are Rust's.
 */
int zrs_cpuhp_setup_multi(const char *name,
			  int (*startup)(unsigned int cpu, struct hlist_node *node),
			  int (*teardown)(unsigned int cpu, struct hlist_node *node))
{
	return cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, name, startup, teardown);
}

/* ---- crypto acomp ---- */

/* crypto_has_acomp (static inline). Synchronous and asynchronous
 * implementations alike (hardware compressors register asynchronous
 * ones). Looking an algorithm up loads its module if needed. */
bool zrs_acomp_has(const char *name)
{
	return crypto_has_acomp(name, 0, 0);
}

/* acomp_request_alloc, acomp_request_set_callback and crypto_init_wait
 * (static inlines): a request that completes into a crypto_wait of its
 * own, which zrs_acomp_run waits on for an asynchronous implementation. */
int zrs_acomp_new(const char *name, int node, struct crypto_acomp **tfm,
		  struct acomp_req **req)
{
	struct crypto_wait *wait = kmalloc_node(sizeof(*wait), GFP_KERNEL, node);

	if (!wait)
		return -ENOMEM;
	crypto_init_wait(wait);
	*tfm = crypto_alloc_acomp_node(name, 0, 0, node);
	if (IS_ERR(*tfm)) {
		int ret = PTR_ERR(*tfm);

		*tfm = NULL;
		kfree(wait);
		return ret;
	}
	*req = acomp_request_alloc(*tfm);
	if (!*req) {
		crypto_free_acomp(*tfm);
		*tfm = NULL;
		kfree(wait);
		return -ENOMEM;
	}
	acomp_request_set_callback(*req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, wait);
	return 0;
}

/* acomp_request_free (static inline). */
void zrs_acomp_free(struct crypto_acomp *tfm, struct acomp_req *req)
{
	struct crypto_wait *wait = req->base.data;

	acomp_request_free(req);
	crypto_free_acomp(tfm);
	kfree(wait);
}

/* acomp_request_set_{src,dst}_dma and crypto_wait_req (static inlines):
 * the buffers are in the kernel's linear map (kmalloc, kmap_local), so an
 * implementation may map them for DMA; an asynchronous one is waited for
 * (the caller may sleep). */
int zrs_acomp_run(struct acomp_req *req, bool compress, const void *src,
		  unsigned int slen, void *dst, unsigned int *dlen)
{
	struct crypto_wait *wait = req->base.data;
	int ret;

	acomp_request_set_src_dma(req, src, slen);
	acomp_request_set_dst_dma(req, dst, *dlen);
	ret = compress ? crypto_acomp_compress(req) : crypto_acomp_decompress(req);
	ret = crypto_wait_req(ret, wait);
	*dlen = req->dlen;
	return ret;
}

/* ---- slot lock: wait_on_bit_lock, test_and_set_bit_lock and
 * clear_and_wake_up_bit (static inlines) ---- */

void zrs_slot_lock(unsigned long *word, unsigned int bit)
{
	wait_on_bit_lock(word, bit, TASK_UNINTERRUPTIBLE);
}

bool zrs_slot_trylock(unsigned long *word, unsigned int bit)
{
	return !test_and_set_bit_lock(bit, word);
}

void zrs_slot_unlock(unsigned long *word, unsigned int bit)
{
	clear_and_wake_up_bit(bit, word);
}

/* ---- backing device ---- */

/* Open a backing device as the C zram does: exclusively, block devices
 * only, not empty. */
struct file *zrs_bdev_open(const char *path, u64 *nr_pages)
{
	struct file *f = filp_open(path, O_RDWR | O_LARGEFILE | O_EXCL, 0);
	struct inode *inode;

	if (IS_ERR(f))
		return f;
	inode = f->f_mapping->host;
	if (!S_ISBLK(inode->i_mode)) {
		filp_close(f, NULL);
		return ERR_PTR(-ENOTBLK);
	}
	*nr_pages = i_size_read(inode) >> PAGE_SHIFT;
	if (!*nr_pages) {
		filp_close(f, NULL);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

struct zrs_call {
	struct work_struct work;
	void (*fn)(void *arg);
	void *arg;
};

static void zrs_call_work(struct work_struct *w)
{
	struct zrs_call *c = container_of(w, struct zrs_call, work);

	c->fn(c->arg);
}

/*
 * Run fn(arg) and return when it has: here, or from a worker when this task
 * is inside ->submit_bio (current->bio_list set), where a bio it submitted
 * would only be queued until we return, so waiting for it would never end.
 * INIT_WORK_ONSTACK and current are macros.
 */
void zrs_call_outside_submit_bio(void (*fn)(void *arg), void *arg)
{
	struct zrs_call c = { .fn = fn, .arg = arg };

	if (!current->bio_list) {
		fn(arg);
		return;
	}
	INIT_WORK_ONSTACK(&c.work, zrs_call_work);
	queue_work(system_dfl_wq, &c.work);
	flush_work(&c.work);
	destroy_work_on_stack(&c.work);
}

/* ---- zstd ---- */

/* kvzalloc (a macro), as the C zram's zstd backend allocates the contexts
 * of a dictionary: no I/O from reclaim, no warning. */
static void *zrs_zstd_alloc(void *opaque, size_t size)
{
	return kvzalloc(size, GFP_NOIO | __GFP_NOWARN);
}

static void zrs_zstd_free(void *opaque, void *address)
{
	kvfree(address);
}

zstd_custom_mem zrs_zstd_custom_mem(void)
{
	return (zstd_custom_mem){ .customAlloc = zrs_zstd_alloc,
				  .customFree = zrs_zstd_free };
}

/* ---- misc: static inlines and a macro ---- */

/* memset_l: a whole page of one word, as the C zram fills a same page
 * (Rust does this itself on x86-64). */
void zrs_fill_page(void *dst, unsigned long value)
{
	memset_l(dst, value, PAGE_SIZE / sizeof(unsigned long));
}

/* cond_resched (macro). */
void zrs_cond_resched(void)
{
	cond_resched();
}

/* ktime_get_boottime_seconds (static inline). */
u32 zrs_boottime_seconds(void)
{
	return (u32)ktime_get_boottime_seconds();
}

/* cpu_to_node (static inline, a per-CPU read). */
int zrs_cpu_to_node(unsigned int cpu)
{
	return cpu_to_node(cpu);
}
