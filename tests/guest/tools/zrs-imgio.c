// SPDX-License-Identifier: GPL-2.0
/*
 * zrs-imgio DEV IMAGE RW BS SECS JOBS MIB: direct I/O on DEV whose written
 * bytes are IMAGE's own (at the same offset, IMAGE repeated as needed), for
 * make bench's real-data set: fio can only generate synthetic buffers.
 *
 *   RW    write | read | randread | randwrite | randrw (70% reads)
 *   BS    block size in bytes, or with a k/M suffix
 *   SECS  0: one pass over the region (sequential only); else time-based
 *   JOBS  processes, each on its own MIB/JOBS MiB slice of the device
 *
 * Like fio with ioengine=psync: one pread/pwrite at a time per job, and
 * the write buffer is filled (copied from the image) before each write.
 * Prints "rkb=N rms=N wkb=N wms=N" (KiB moved and elapsed ms per
 * direction, ms 0 for a direction that did no I/O), as bench-lib.sh's
 * run_io does for fio.
 *
 * With ZRS_IMGIO_HUGE=1 the buffer is anonymous memory at a 2 MiB
 * boundary, so that large folios (THP or mTHP, as the guest enables them)
 * back it and a block reaches the device as one multi-page bio_vec
 * (bench-units); otherwise it is page-aligned heap memory.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct counts { uint64_t rbytes, wbytes; int err; };

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t parse_size(const char *s)
{
	char *e;
	uint64_t v = strtoull(s, &e, 0);

	if (*e == 'k' || *e == 'K')
		v <<= 10;
	else if (*e == 'm' || *e == 'M')
		v <<= 20;
	return v;
}

static void fill(char *buf, const char *img, uint64_t isz, uint64_t off,
		 uint64_t bs)
{
	uint64_t done = 0;

	while (done < bs) {
		uint64_t o = (off + done) % isz, n = isz - o;

		if (n > bs - done)
			n = bs - done;
		memcpy(buf + done, img + o, n);
		done += n;
	}
}

static void job(int fd, const char *img, uint64_t isz, const char *rw,
		uint64_t bs, unsigned int secs, uint64_t start, uint64_t len,
		int jobno, struct counts *c)
{
	int rnd = strncmp(rw, "rand", 4) == 0;
	int is_read = !strcmp(rw, "read") || !strcmp(rw, "randread");
	int mixed = !strcmp(rw, "randrw");
	uint64_t nblk = len / bs, seed = 0x9e3779b97f4a7c15ULL + jobno;
	uint64_t end = secs ? now_ns() + secs * 1000000000ULL : 0, i = 0;
	char *buf;

	if (getenv("ZRS_IMGIO_HUGE")) {
		uint64_t h = 2 << 20;
		char *m = mmap(NULL, bs + h, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		buf = m == MAP_FAILED ? NULL :
		      (char *)(((uintptr_t)m + h - 1) & ~(uintptr_t)(h - 1));
	} else if (posix_memalign((void **)&buf, 4096, bs)) {
		buf = NULL;
	}
	if (!buf || !nblk) {
		c->err = 1;
		return;
	}
	for (;; i++) {
		uint64_t blk, off;
		int rd = is_read;
		ssize_t r;

		if (!secs && i == nblk)
			break;
		if (secs && (i & 15) == 0 && now_ns() >= end)
			break;
		blk = rnd ? xs(&seed) % nblk : i % nblk;
		off = start + blk * bs;
		if (mixed)
			rd = xs(&seed) % 100 < 70;
		if (rd) {
			r = pread(fd, buf, bs, off);
			c->rbytes += bs;
		} else {
			fill(buf, img, isz, off, bs);
			r = pwrite(fd, buf, bs, off);
			c->wbytes += bs;
		}
		if (r != (ssize_t)bs) {
			perror(rd ? "pread" : "pwrite");
			c->err = 1;
			return;
		}
	}
}

int main(int argc, char **argv)
{
	uint64_t bs, mib, per, t0, el, rb = 0, wb = 0;
	unsigned int secs;
	struct counts *c;
	struct stat st;
	int fd, ifd, jobs, j, bad = 0;
	char *img;

	if (argc != 8) {
		fprintf(stderr, "usage: zrs-imgio DEV IMAGE RW BS SECS JOBS MIB\n");
		return 2;
	}
	bs = parse_size(argv[4]);
	secs = atoi(argv[5]);
	jobs = atoi(argv[6]);
	mib = strtoull(argv[7], NULL, 0);
	if (!bs || jobs < 1 || !mib || (!secs && !strncmp(argv[3], "rand", 4)))
		return 2;
	ifd = open(argv[2], O_RDONLY);
	if (ifd < 0 || fstat(ifd, &st) || !st.st_size) {
		perror(argv[2]);
		return 2;
	}
	img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, ifd, 0);
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (img == MAP_FAILED || fd < 0) {
		perror("open/mmap");
		return 2;
	}
	c = mmap(NULL, jobs * sizeof(*c), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return 2;
	per = (mib << 20) / jobs / bs * bs;
	t0 = now_ns();
	for (j = 0; j < jobs; j++) {
		if (jobs == 1) {
			job(fd, img, st.st_size, argv[3], bs, secs, 0, per, 0, c);
			break;
		}
		if (fork() == 0) {
			job(fd, img, st.st_size, argv[3], bs, secs, j * per, per,
			    j, &c[j]);
			_exit(0);
		}
	}
	while (jobs > 1 && wait(NULL) > 0)
		;
	el = now_ns() - t0;
	for (j = 0; j < jobs; j++) {
		rb += c[j].rbytes;
		wb += c[j].wbytes;
		bad |= c[j].err;
	}
	if (bad)
		return 1;
	printf("rkb=%llu rms=%.3f wkb=%llu wms=%.3f\n",
	       (unsigned long long)(rb >> 10), rb ? el / 1e6 : 0.0,
	       (unsigned long long)(wb >> 10), wb ? el / 1e6 : 0.0);
	return 0;
}
