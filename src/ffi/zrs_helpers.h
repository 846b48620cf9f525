/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C edge of zram-rs: what the Rust `kernel` crate has no abstraction
 * for (bio-based gendisks, sysfs attribute tables, the control class,
 * cpuhp multistate, per-CPU memory, crypto acomp, zsmalloc, bit-wait locks),
 * as plain functions with simple types. src/ffi/sys.rs declares the same
 * prototypes for Rust; keep the two in step.
 *
 * Functions named zrs_rs_* are implemented in Rust (src/ffi/) and called
 * from here.
 */
#ifndef ZRS_HELPERS_H
#define ZRS_HELPERS_H

#include <linux/types.h>

struct gendisk;
struct zs_pool;
struct crypto_acomp;
struct acomp_req;
struct hlist_node;
struct file;
struct dentry;

/* Disk. */
struct gendisk *zrs_disk_alloc(int major, int minor);
int zrs_disk_add(struct gendisk *disk, void *priv);
void zrs_disk_del(struct gendisk *disk);
void zrs_disk_put(struct gendisk *disk);
void zrs_disk_set_capacity(struct gendisk *disk, u64 sectors);
void zrs_disk_clear(struct gendisk *disk);
int zrs_disk_claim(struct gendisk *disk, bool *claim);
void zrs_disk_unclaim(struct gendisk *disk, bool *claim);
bool zrs_disk_is_open(struct gendisk *disk, bool *claim);
bool zrs_disk_is_claimed(struct gendisk *disk, bool *claim);
void zrs_disk_sync(struct gendisk *disk);
unsigned int zrs_disk_freeze(struct gendisk *disk);
void zrs_disk_unfreeze(struct gendisk *disk, unsigned int memflags);
int zrs_register_blkdev(const char *name);
void zrs_unregister_blkdev(int major, const char *name);

/* The zram-control class. */
bool zrs_control_exists(void);
int zrs_control_register(void *priv);
void zrs_control_unregister(void);

/* CPU hotplug multistate. */
struct zrs_hp_node;
struct zrs_hp_node *zrs_hp_node_new(void *priv);
void zrs_hp_node_free(struct zrs_hp_node *n);
int zrs_cpuhp_setup(void);
void zrs_cpuhp_remove(int state);
int zrs_cpuhp_add_instance(int state, struct zrs_hp_node *n);
int zrs_cpuhp_remove_instance(int state, struct zrs_hp_node *n);

/* Crypto acomp (synchronous implementations only). */
bool zrs_acomp_has(const char *name);
int zrs_acomp_new(const char *name, int node, struct crypto_acomp **tfm,
		  struct acomp_req **req);
void zrs_acomp_free(struct crypto_acomp *tfm, struct acomp_req *req);
int zrs_acomp_run(struct acomp_req *req, bool compress, const void *src,
		  unsigned int slen, void *dst, unsigned int *dlen);

/* Compression libraries called directly (lz4, lzo, lzo-rle): Rust calls
 * the library functions; these give it the sizes the headers define. */
enum zrs_lib_kind { ZRS_LIB_LZ4, ZRS_LIB_LZO, ZRS_LIB_LZORLE };
size_t zrs_lib_wrkmem(enum zrs_lib_kind kind);
size_t zrs_lzo_worst(size_t len);

/* zsmalloc. */
struct zs_pool *zrs_zs_create(const char *name);
void zrs_zs_destroy(struct zs_pool *pool);
unsigned long zrs_zs_malloc(struct zs_pool *pool, size_t size, int nid);
size_t zrs_zs_huge_class_size(struct zs_pool *pool);
unsigned long zrs_zs_compact(struct zs_pool *pool);
unsigned long zrs_zs_pages_compacted(struct zs_pool *pool);

unsigned int zrs_zs_class_index(struct zs_pool *pool, unsigned int size);

/* Backing device. */
struct file *zrs_bdev_open(const char *path, u64 *nr_pages);
void zrs_bdev_close(struct file *f);
ssize_t zrs_bdev_path(struct file *f, char *buf, size_t len);
/* One page of I/O: PAGE_SIZE bytes at buf, block blk; err is set. */
struct zrs_bdev_io {
	void *buf;
	u64 blk;
	int err;
};
void zrs_bdev_rw(struct file *f, struct zrs_bdev_io *ios, unsigned int n,
		 bool write);

/* debugfs. */
void zrs_debugfs_init(void);
void zrs_debugfs_exit(void);
struct dentry *zrs_debugfs_dev_add(const char *name, void *priv);
void zrs_debugfs_dev_remove(struct dentry *d);

/* Slot lock: a sleeping bit lock on one word of the slot table. */
void zrs_slot_lock(unsigned long *word, unsigned int bit);
bool zrs_slot_trylock(unsigned long *word, unsigned int bit);
void zrs_slot_unlock(unsigned long *word, unsigned int bit);

/* Misc. */
u32 zrs_boottime_seconds(void);
int zrs_cpu_to_node(unsigned int cpu);
void zrs_cond_resched(void);
void zrs_copy_page(void *dst, const void *src);
void zrs_fill_page(void *dst, unsigned long value);

/* Implemented in Rust. */
int zrs_rs_open(void *priv);
int zrs_rs_read(void *priv, struct gendisk *disk, void *mem, unsigned int len,
		u64 sector, u32 now);
int zrs_rs_write(void *priv, struct gendisk *disk, void *mem, unsigned int len,
		 u64 sector, u32 now);
int zrs_rs_discard(void *priv, u64 sector, u32 bytes);
void zrs_rs_slot_free_notify(void *priv, struct gendisk *disk, unsigned long index);
ssize_t zrs_rs_attr_show(void *priv, const char *name, char *buf);
ssize_t zrs_rs_attr_store(void *priv, const char *name, const char *buf,
			  size_t len);
int zrs_rs_hot_add(void *priv);
ssize_t zrs_rs_hot_remove(void *priv, const char *buf, size_t len);
int zrs_rs_cpu_prepare(void *priv, unsigned int cpu);
int zrs_rs_cpu_dead(void *priv, unsigned int cpu);
ssize_t zrs_rs_block_state(void *priv, char *buf, size_t count, long long *pos);

#endif
