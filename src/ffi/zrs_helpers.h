/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C helpers of zram-rs: what Rust cannot call itself (static inlines,
 * macros, static initialisers and tables), as plain functions. bindgen
 * generates the Rust declarations from this header at build time
 * (bindings_helper.h, Kbuild): there is no hand-written mirror.
 *
 * Functions named zrs_rs_* are implemented in Rust (src/ffi/entry.rs) and
 * called from here; entry.rs holds each to its generated prototype.
 */
#ifndef ZRS_HELPERS_H
#define ZRS_HELPERS_H

#include <linux/types.h>
#include <linux/zstd.h>

struct gendisk;
struct crypto_acomp;
struct acomp_req;
struct file;

/* Disk. */
struct gendisk *zrs_disk_alloc(int major, int minor);
void zrs_disk_clear_stats(struct gendisk *disk);
unsigned int zrs_disk_freeze(struct gendisk *disk);
void zrs_disk_unfreeze(struct gendisk *disk, unsigned int memflags);

/* CPU hotplug: a dynamic PREPARE-section multistate. */
struct hlist_node;
int zrs_cpuhp_setup_multi(const char *name,
			  int (*startup)(unsigned int cpu, struct hlist_node *node),
			  int (*teardown)(unsigned int cpu, struct hlist_node *node));

/* Crypto acomp (synchronous implementations only). */
bool zrs_acomp_has(const char *name);
int zrs_acomp_new(const char *name, int node, struct crypto_acomp **tfm,
		  struct acomp_req **req);
void zrs_acomp_free(struct crypto_acomp *tfm, struct acomp_req *req);
int zrs_acomp_run(struct acomp_req *req, bool compress, const void *src,
		  unsigned int slen, void *dst, unsigned int *dlen);

/* Backing device. */
struct file *zrs_bdev_open(const char *path, u64 *nr_pages);
void zrs_call_outside_submit_bio(void (*fn)(void *arg), void *arg);

/* Slot lock: a sleeping bit lock on one word of the slot table. */
void zrs_slot_lock(unsigned long *word, unsigned int bit);
bool zrs_slot_trylock(unsigned long *word, unsigned int bit);
void zrs_slot_unlock(unsigned long *word, unsigned int bit);

/* zstd's allocator for dictionary contexts. */
zstd_custom_mem zrs_zstd_custom_mem(void);

/* Misc. */
u32 zrs_boottime_seconds(void);
int zrs_cpu_to_node(unsigned int cpu);
void zrs_cond_resched(void);
void zrs_fill_page(void *dst, unsigned long value);

/* Implemented in Rust. */
int zrs_rs_open(void *priv);
struct bio;
struct page;
int zrs_rs_read(void *priv, struct gendisk *disk, void *mem, unsigned int len,
		u64 sector, u32 now, struct bio *bio, struct page *page);
int zrs_rs_write(void *priv, struct gendisk *disk, void *mem, unsigned int len,
		 u64 sector, u32 now, int nid);
int zrs_rs_units(void *priv, struct gendisk *disk, void *mem, unsigned int len,
		 u64 sector, u32 now, bool write, int nid);
int zrs_rs_discard(void *priv, u64 sector, u32 bytes);
void zrs_rs_slot_free_notify(void *priv, struct gendisk *disk, unsigned long index);

#endif
