// SPDX-License-Identifier: GPL-2.0
/*
 * zram-rs C helpers: thin wrappers over kernel APIs that are macros,
 * static inlines, or need static C tables (fops, sysfs attributes, the
 * control class). No driver logic lives here: every decision is made in
 * Rust; these functions only translate. The one loop is zrs_bio_rw(), the
 * walk over a bio's segments (inline bvec helpers), which also reads the
 * clock once per bio for Rust.
 */
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/cpuhotplug.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/crypto.h>
#include <crypto/acompress.h>
#include <linux/highmem.h>
#include <linux/lz4.h>
#include <linux/lzo.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/part_stat.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include <linux/zsmalloc.h>

#include "zrs_helpers.h"

#define ZRS_SECTORS_PER_PAGE_SHIFT (PAGE_SHIFT - SECTOR_SHIFT)

/* ---- bio-based block device ---- */

/*
 * Walk the segments of a read or write bio, handing each (kmap'ed, at
 * most one page, never crossing a page of the device) to Rust with one
 * direct call, then account and end the bio. The first error fails the
 * bio, as in the C zram. Inlined into zrs_submit_bio once per direction,
 * so that a one-page bio costs a single call into the driver. `now` is
 * the access time the pages of this bio record: one clock read per bio.
 */
static __always_inline void zrs_bio_rw(void *priv, struct gendisk *disk,
				       struct bio *bio, bool write)
{
	struct bvec_iter iter = bio->bi_iter;
	unsigned long start = bio_start_io_acct(bio);
	u32 now = (u32)ktime_get_boottime_seconds();

	do {
		u32 offset = (iter.bi_sector & ((1 << ZRS_SECTORS_PER_PAGE_SHIFT) - 1))
			     << SECTOR_SHIFT;
		struct bio_vec bv = bio_iter_iovec(bio, iter);
		void *mem;
		int ret;

		bv.bv_len = min_t(u32, bv.bv_len, PAGE_SIZE - offset);
		mem = kmap_local_page(bv.bv_page);
		if (write)
			ret = zrs_rs_write(priv, disk, mem + bv.bv_offset,
					   bv.bv_len, iter.bi_sector, now);
		else
			ret = zrs_rs_read(priv, disk, mem + bv.bv_offset,
					  bv.bv_len, iter.bi_sector, now);
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

/* Every attribute routes to Rust by name; modes are the C zram's. */
static ssize_t zrs_attr_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return zrs_rs_attr_show(dev_to_disk(dev)->private_data, attr->attr.name,
				buf);
}

static ssize_t zrs_attr_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t len)
{
	return zrs_rs_attr_store(dev_to_disk(dev)->private_data,
				 attr->attr.name, buf, len);
}

#define ZRS_RO(n) struct device_attribute zrs_attr_##n = __ATTR(n, 0444, zrs_attr_show, NULL)
#define ZRS_WO(n) struct device_attribute zrs_attr_##n = __ATTR(n, 0200, NULL, zrs_attr_store)
#define ZRS_RW(n) struct device_attribute zrs_attr_##n = \
	__ATTR(n, 0644, zrs_attr_show, zrs_attr_store)

static ZRS_RW(disksize);
static ZRS_RO(initstate);
static ZRS_WO(reset);
static ZRS_WO(compact);
static ZRS_WO(mem_limit);
static ZRS_WO(mem_used_max);
static ZRS_WO(idle);
static ZRS_RW(comp_algorithm);
static ZRS_RO(bd_stat);
static ZRS_RW(backing_dev);
static ZRS_WO(writeback);
static ZRS_RW(writeback_limit);
static ZRS_RW(writeback_limit_enable);
static ZRS_RW(writeback_batch_size);
static ZRS_RW(compressed_writeback);
static ZRS_RO(io_stat);
static ZRS_RO(mm_stat);
static ZRS_RO(debug_stat);
static ZRS_RW(recomp_algorithm);
static ZRS_WO(recompress);
static ZRS_WO(algorithm_params);

/* Same order as the C zram, so `ls -U` shows the same listing. */
static struct attribute *zrs_disk_attrs[] = {
	&zrs_attr_disksize.attr,
	&zrs_attr_initstate.attr,
	&zrs_attr_reset.attr,
	&zrs_attr_compact.attr,
	&zrs_attr_mem_limit.attr,
	&zrs_attr_mem_used_max.attr,
	&zrs_attr_idle.attr,
	&zrs_attr_comp_algorithm.attr,
	&zrs_attr_bd_stat.attr,
	&zrs_attr_backing_dev.attr,
	&zrs_attr_writeback.attr,
	&zrs_attr_writeback_limit.attr,
	&zrs_attr_writeback_limit_enable.attr,
	&zrs_attr_writeback_batch_size.attr,
	&zrs_attr_compressed_writeback.attr,
	&zrs_attr_io_stat.attr,
	&zrs_attr_mm_stat.attr,
	&zrs_attr_debug_stat.attr,
	&zrs_attr_recomp_algorithm.attr,
	&zrs_attr_recompress.attr,
	&zrs_attr_algorithm_params.attr,
	NULL,
};
ATTRIBUTE_GROUPS(zrs_disk);

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

/* The attribute groups are registered with the disk: udev never sees it
 * without them. */
int zrs_disk_add(struct gendisk *disk, void *priv)
{
	disk->private_data = priv;
	return device_add_disk(NULL, disk, zrs_disk_groups);
}

void zrs_disk_del(struct gendisk *disk)
{
	del_gendisk(disk);
}

void zrs_disk_put(struct gendisk *disk)
{
	put_disk(disk);
}

void zrs_disk_set_capacity(struct gendisk *disk, u64 sectors)
{
	set_capacity_and_notify(disk, sectors);
}

/* Reset: capacity 0 and the block layer's statistics cleared. */
void zrs_disk_clear(struct gendisk *disk)
{
	set_capacity_and_notify(disk, 0);
	part_stat_set_all(disk->part0, 0);
}

/* Claim the disk for reset/removal: fails if it is open or claimed. */
int zrs_disk_claim(struct gendisk *disk, bool *claim)
{
	int ret = 0;

	mutex_lock(&disk->open_mutex);
	if (disk_openers(disk) || *claim)
		ret = -EBUSY;
	else
		*claim = true;
	mutex_unlock(&disk->open_mutex);
	return ret;
}

void zrs_disk_unclaim(struct gendisk *disk, bool *claim)
{
	mutex_lock(&disk->open_mutex);
	*claim = false;
	mutex_unlock(&disk->open_mutex);
}

/* Whether the disk is claimed (no opener, and none until unclaimed). */
bool zrs_disk_is_claimed(struct gendisk *disk, bool *claim)
{
	bool ret;

	mutex_lock(&disk->open_mutex);
	ret = zrs_disk_is_open(disk, claim);
	mutex_unlock(&disk->open_mutex);
	return ret;
}

/* With disk->open_mutex held: by the block layer around ->open, or by
 * zrs_disk_is_claimed(). */
bool zrs_disk_is_open(struct gendisk *disk, bool *claim)
{
	lockdep_assert_held(&disk->open_mutex);
	return *claim;
}

void zrs_disk_sync(struct gendisk *disk)
{
	sync_blockdev(disk->part0);
}

/* Wait for the bios in ->submit_bio and hold new ones back; no I/O from
 * reclaim meanwhile (the returned flags restore it). */
unsigned int zrs_disk_freeze(struct gendisk *disk)
{
	return blk_mq_freeze_queue(disk->queue);
}

void zrs_disk_unfreeze(struct gendisk *disk, unsigned int memflags)
{
	blk_mq_unfreeze_queue(disk->queue, memflags);
}

int zrs_register_blkdev(const char *name)
{
	return register_blkdev(0, name);
}

void zrs_unregister_blkdev(int major, const char *name)
{
	unregister_blkdev(major, name);
}

/* ---- the zram-control class ---- */

static void *zrs_control_priv;

static ssize_t hot_add_show(const struct class *class,
			    const struct class_attribute *attr, char *buf)
{
	int ret = zrs_rs_hot_add(zrs_control_priv);

	if (ret < 0)
		return ret;
	return sysfs_emit(buf, "%d\n", ret);
}
/* 0400, as in the C zram: reading it allocates a device. */
static struct class_attribute class_attr_hot_add =
	__ATTR(hot_add, 0400, hot_add_show, NULL);

static ssize_t hot_remove_store(const struct class *class,
				const struct class_attribute *attr,
				const char *buf, size_t count)
{
	return zrs_rs_hot_remove(zrs_control_priv, buf, count);
}
static CLASS_ATTR_WO(hot_remove);

static struct attribute *zrs_control_class_attrs[] = {
	&class_attr_hot_add.attr,
	&class_attr_hot_remove.attr,
	NULL,
};
ATTRIBUTE_GROUPS(zrs_control_class);

static const struct class zrs_control_class = {
	.name = "zram-control",
	.class_groups = zrs_control_class_groups,
};

/*
 * Whether a zram-control class exists (the in-tree zram is loaded). Asked
 * first so that a clash is one line in the log, not the duplicate-name
 * warning and stack dump that class_register() would print.
 */
bool zrs_control_exists(void)
{
	struct path path;

	if (kern_path("/sys/class/zram-control", 0, &path))
		return false;
	path_put(&path);
	return true;
}

int zrs_control_register(void *priv)
{
	zrs_control_priv = priv;
	return class_register(&zrs_control_class);
}

void zrs_control_unregister(void)
{
	class_unregister(&zrs_control_class);
}

/* ---- CPU hotplug multistate ---- */

struct zrs_hp_node {
	struct hlist_node node;
	void *priv;
};

struct zrs_hp_node *zrs_hp_node_new(void *priv)
{
	struct zrs_hp_node *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (n)
		n->priv = priv;
	return n;
}

void zrs_hp_node_free(struct zrs_hp_node *n)
{
	kfree(n);
}

static int zrs_cpu_prepare(unsigned int cpu, struct hlist_node *node)
{
	return zrs_rs_cpu_prepare(hlist_entry(node, struct zrs_hp_node, node)->priv, cpu);
}

static int zrs_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	return zrs_rs_cpu_dead(hlist_entry(node, struct zrs_hp_node, node)->priv, cpu);
}

/* A dynamic PREPARE-section state: the in-tree zram owns the fixed
 * CPUHP_ZCOMP_PREPARE, which an out-of-tree module must not take. */
int zrs_cpuhp_setup(void)
{
	return cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "block/zram_rs:prepare",
				       zrs_cpu_prepare, zrs_cpu_dead);
}

void zrs_cpuhp_remove(int state)
{
	cpuhp_remove_multi_state(state);
}

int zrs_cpuhp_add_instance(int state, struct zrs_hp_node *n)
{
	return cpuhp_state_add_instance(state, &n->node);
}

int zrs_cpuhp_remove_instance(int state, struct zrs_hp_node *n)
{
	return cpuhp_state_remove_instance(state, &n->node);
}

/* ---- crypto acomp ---- */

/* Synchronous implementations only (mask CRYPTO_ALG_ASYNC): the I/O path
 * waits for nothing. Looking an algorithm up loads its module if needed. */
bool zrs_acomp_has(const char *name)
{
	return crypto_has_acomp(name, 0, CRYPTO_ALG_ASYNC);
}

int zrs_acomp_new(const char *name, int node, struct crypto_acomp **tfm,
		  struct acomp_req **req)
{
	*tfm = crypto_alloc_acomp_node(name, 0, CRYPTO_ALG_ASYNC, node);
	if (IS_ERR(*tfm)) {
		int ret = PTR_ERR(*tfm);

		*tfm = NULL;
		return ret;
	}
	*req = acomp_request_alloc(*tfm);
	if (!*req) {
		crypto_free_acomp(*tfm);
		*tfm = NULL;
		return -ENOMEM;
	}
	acomp_request_set_callback(*req, 0, NULL, NULL);
	return 0;
}

void zrs_acomp_free(struct crypto_acomp *tfm, struct acomp_req *req)
{
	acomp_request_free(req);
	crypto_free_acomp(tfm);
}

int zrs_acomp_run(struct acomp_req *req, bool compress, const void *src,
		  unsigned int slen, void *dst, unsigned int *dlen)
{
	int ret;

	acomp_request_set_src_nondma(req, src, slen);
	acomp_request_set_dst_nondma(req, dst, *dlen);
	ret = compress ? crypto_acomp_compress(req) : crypto_acomp_decompress(req);
	*dlen = req->dlen;
	return ret;
}

/* ---- compression libraries, called directly ---- */

/*
 * For lz4, lzo and lzo-rle the crypto API's synchronous implementations
 * only wrap these library functions (crypto/lz4.c, lzo.c, lzo-rle.c), and
 * the C zram's backends call them directly. So do we, after the crypto
 * API has been asked (and has loaded the algorithm's module). The output
 * is byte for byte what the crypto wrapper would produce. The module links
 * against the functions, as zram.ko does, so modprobe loads the library
 * modules with it: no lookup (and no request_module()) at run time.
 */
/*
 * Rust declares and calls these library functions itself (src/ffi/sys.rs,
 * LZ4_compress_default .. lzo1x_decompress_safe); these assertions hold
 * the prototypes it assumes, spelled again here, to the kernel's headers:
 * change both together.
 */
static_assert(__builtin_types_compatible_p(typeof(&LZ4_compress_default),
		int (*)(const char *, char *, int, int, void *)));
static_assert(__builtin_types_compatible_p(typeof(&LZ4_decompress_safe),
		int (*)(const char *, char *, int, int)));
static_assert(__builtin_types_compatible_p(typeof(&lzo1x_1_compress),
		int (*)(const unsigned char *, size_t, unsigned char *, size_t *, void *)));
static_assert(__builtin_types_compatible_p(typeof(&lzorle1x_1_compress),
		int (*)(const unsigned char *, size_t, unsigned char *, size_t *, void *)));
static_assert(__builtin_types_compatible_p(typeof(&lzo1x_decompress_safe),
		int (*)(const unsigned char *, size_t, unsigned char *, size_t *)));
static_assert(LZO_E_OK == 0);
/* Rust mirrors the enum (sys.rs). */
static_assert(ZRS_LIB_LZ4 == 0 && ZRS_LIB_LZO == 1 && ZRS_LIB_LZORLE == 2);

size_t zrs_lib_wrkmem(enum zrs_lib_kind kind)
{
	return kind == ZRS_LIB_LZ4 ? LZ4_MEM_COMPRESS : LZO1X_1_MEM_COMPRESS;
}

size_t zrs_lzo_worst(size_t len)
{
	return lzo1x_worst_compress(len);
}

/* ---- zsmalloc ---- */

struct zs_pool *zrs_zs_create(const char *name)
{
	return zs_create_pool(name);
}

void zrs_zs_destroy(struct zs_pool *pool)
{
	zs_destroy_pool(pool);
}

/* The C zram's flags: no I/O from reclaim (we are the swap device), highmem
 * and movable pages so that compaction can move objects. */
unsigned long zrs_zs_malloc(struct zs_pool *pool, size_t size, int nid)
{
	unsigned long h = zs_malloc(pool, size,
				    GFP_NOIO | __GFP_NOWARN | __GFP_HIGHMEM | __GFP_MOVABLE,
				    nid);

	return IS_ERR_VALUE(h) ? 0 : h;
}

size_t zrs_zs_huge_class_size(struct zs_pool *pool)
{
	return zs_huge_class_size(pool);
}

unsigned long zrs_zs_compact(struct zs_pool *pool)
{
	return zs_compact(pool);
}

unsigned long zrs_zs_pages_compacted(struct zs_pool *pool)
{
	struct zs_pool_stats stats = {};

	zs_pool_stats(pool, &stats);
	return atomic_long_read(&stats.pages_compacted);
}

/*
 * Rust calls the zsmalloc functions of the page path itself (no wrapper
 * frame per page): these hold the prototypes spelled here to zsmalloc's.
 * The same prototypes are declared by hand in sys.rs (the extern block's
 * zs_obj_read_begin .. zs_get_total_pages): change both together.
 */
static_assert(__builtin_types_compatible_p(typeof(&zs_obj_read_begin),
		void *(*)(struct zs_pool *, unsigned long, size_t, void *)));
static_assert(__builtin_types_compatible_p(typeof(&zs_obj_read_end),
		void (*)(struct zs_pool *, unsigned long, size_t, void *)));
static_assert(__builtin_types_compatible_p(typeof(&zs_obj_write),
		void (*)(struct zs_pool *, unsigned long, void *, size_t)));
static_assert(__builtin_types_compatible_p(typeof(&zs_free),
		void (*)(struct zs_pool *, unsigned long)));
static_assert(__builtin_types_compatible_p(typeof(&zs_get_total_pages),
		unsigned long (*)(struct zs_pool *)));

unsigned int zrs_zs_class_index(struct zs_pool *pool, unsigned int size)
{
	return zs_lookup_class_index(pool, size);
}

/* ---- slot lock ---- */

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

void zrs_bdev_close(struct file *f)
{
	filp_close(f, NULL);
}

/* The path the device was opened by, at buf[0], without a newline. */
ssize_t zrs_bdev_path(struct file *f, char *buf, size_t len)
{
	char *p = file_path(f, buf, len);
	size_t n;

	if (IS_ERR(p))
		return PTR_ERR(p);
	n = strlen(p);
	memmove(buf, p, n);
	return n;
}

struct zrs_bdev_req {
	struct zrs_bdev_batch *batch;
	struct zrs_bdev_io *io;
	struct page *page;
	struct bio bio;
	struct bio_vec bvec;
};

struct zrs_bdev_batch {
	struct work_struct work;
	struct block_device *bdev;
	struct zrs_bdev_io *ios;
	unsigned int n;
	bool write;
	atomic_t pending;
	struct completion done;
};

static void zrs_bdev_endio(struct bio *bio)
{
	struct zrs_bdev_req *r = bio->bi_private;
	struct zrs_bdev_batch *b = r->batch;

	r->io->err = blk_status_to_errno(bio->bi_status);
	if (atomic_dec_and_test(&b->pending))
		complete(&b->done);
}

/* Submit one single-page bio per request, through bounce pages (callers'
 * buffers need not be page-backed), and wait for all of them. */
static void zrs_bdev_batch_run(struct zrs_bdev_batch *b)
{
	struct zrs_bdev_req *reqs;
	unsigned int i;

	reqs = kcalloc(b->n, sizeof(*reqs), GFP_NOIO | __GFP_NOWARN);
	for (i = 0; i < b->n; i++)
		b->ios[i].err = reqs ? 0 : -ENOMEM;
	if (!reqs)
		return;
	atomic_set(&b->pending, 1);
	init_completion(&b->done);
	for (i = 0; i < b->n; i++) {
		struct zrs_bdev_req *r = &reqs[i];
		struct zrs_bdev_io *io = &b->ios[i];

		r->batch = b;
		r->io = io;
		r->page = alloc_page(GFP_NOIO | __GFP_NOWARN);
		if (!r->page) {
			io->err = -ENOMEM;
			continue;
		}
		if (b->write)
			memcpy_to_page(r->page, 0, io->buf, PAGE_SIZE);
		bio_init(&r->bio, b->bdev, &r->bvec, 1,
			 b->write ? REQ_OP_WRITE : REQ_OP_READ);
		r->bio.bi_iter.bi_sector = io->blk << (PAGE_SHIFT - SECTOR_SHIFT);
		r->bio.bi_private = r;
		r->bio.bi_end_io = zrs_bdev_endio;
		__bio_add_page(&r->bio, r->page, PAGE_SIZE, 0);
		atomic_inc(&b->pending);
		submit_bio(&r->bio);
	}
	if (!atomic_dec_and_test(&b->pending))
		wait_for_completion_io(&b->done);
	for (i = 0; i < b->n; i++) {
		struct zrs_bdev_req *r = &reqs[i];

		if (!r->page)
			continue;
		if (!b->write && !r->io->err)
			memcpy_from_page(r->io->buf, r->page, 0, PAGE_SIZE);
		bio_uninit(&r->bio);
		__free_page(r->page);
	}
	kfree(reqs);
}

static void zrs_bdev_work(struct work_struct *w)
{
	zrs_bdev_batch_run(container_of(w, struct zrs_bdev_batch, work));
}

/*
 * Read or write n pages of the backing device. From inside our own
 * ->submit_bio (current->bio_list set) a bio we submit would only be
 * queued until we return, so waiting for it there would never end: run
 * the batch from a worker instead, as the C zram does.
 */
void zrs_bdev_rw(struct file *f, struct zrs_bdev_io *ios, unsigned int n,
		 bool write)
{
	struct zrs_bdev_batch b = {
		.bdev = file_bdev(f),
		.ios = ios,
		.n = n,
		.write = write,
	};

	if (!current->bio_list) {
		zrs_bdev_batch_run(&b);
		return;
	}
	INIT_WORK_ONSTACK(&b.work, zrs_bdev_work);
	queue_work(system_dfl_wq, &b.work);
	flush_work(&b.work);
	destroy_work_on_stack(&b.work);
}

/* ---- debugfs: zram/zramN/block_state ---- */

static struct dentry *zrs_debugfs_root;

static ssize_t zrs_block_state_read(struct file *file, char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	char *kbuf;
	ssize_t n;

	kbuf = kvmalloc(count, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	n = zrs_rs_block_state(file->private_data, kbuf, count, ppos);
	if (n > 0 && copy_to_user(ubuf, kbuf, n))
		n = -EFAULT;
	kvfree(kbuf);
	return n;
}

static const struct file_operations zrs_block_state_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = zrs_block_state_read,
	.llseek = default_llseek,
};

void zrs_debugfs_init(void)
{
	zrs_debugfs_root = debugfs_create_dir("zram", NULL);
}

void zrs_debugfs_exit(void)
{
	debugfs_remove_recursive(zrs_debugfs_root);
	zrs_debugfs_root = NULL;
}

/* debugfs errors are not errors (its API says so): a missing directory
 * only means no block_state. */
struct dentry *zrs_debugfs_dev_add(const char *name, void *priv)
{
	struct dentry *d;

	if (IS_ERR_OR_NULL(zrs_debugfs_root))
		return NULL;
	d = debugfs_create_dir(name, zrs_debugfs_root);
	debugfs_create_file("block_state", 0400, d, priv, &zrs_block_state_fops);
	return d;
}

/* Waits for readers inside block_state to leave. */
void zrs_debugfs_dev_remove(struct dentry *d)
{
	debugfs_remove_recursive(d);
}

/* ---- misc ---- */

/* A whole page, with the architecture's page copy (what the C zram uses
 * for incompressible pages) when both ends are page-aligned. */
void zrs_copy_page(void *dst, const void *src)
{
	if (PAGE_ALIGNED(dst) && PAGE_ALIGNED(src))
		copy_page(dst, (void *)src);
	else
		memcpy(dst, src, PAGE_SIZE);
}

/* Fill a whole page with one word, as the C zram fills a same page. */
void zrs_fill_page(void *dst, unsigned long value)
{
	memset_l(dst, value, PAGE_SIZE / sizeof(unsigned long));
}

void zrs_cond_resched(void)
{
	cond_resched();
}

u32 zrs_boottime_seconds(void)
{
	return (u32)ktime_get_boottime_seconds();
}

int zrs_cpu_to_node(unsigned int cpu)
{
	return cpu_to_node(cpu);
}
