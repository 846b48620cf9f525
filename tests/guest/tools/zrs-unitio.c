// SPDX-License-Identifier: GPL-2.0
/*
 * zrs-unitio DEV OPS SEED [SHADOW]: mixed unit and page I/O on DEV against a shadow
 * copy, for unit_size. Direct I/O from a buffer in one transparent huge
 * page (MADV_HUGEPAGE), so that a 16-64 KiB write reaches the driver as
 * one multi-page bio_vec, as a large folio from swap does (or, where
 * madvise(2) is missing, with THP "always"). OPS random
 * operations, each followed by a check of the range it touched:
 *
 *   aligned 16/32/64 KiB writes (units), 4 KiB writes at any page (a page
 *   of a unit rewritten: a split), multi-page writes at any page (not
 *   aligned to a unit: page by page), discards of page ranges (pages of a
 *   unit freed), and reads of 4 KiB (one page of a unit), 64 KiB and
 *   128 KiB. (Nothing smaller than a page: the device's logical block
 *   size is 4 KiB, so direct I/O cannot write part of one.)
 *
 * Data: compressible text, random bytes (a unit that does not compress),
 * one repeated word (same-filled), or half and half. Then the whole device
 * is read back, in 64 KiB and in 4 KiB reads, and compared.
 * Prints "ops=N unit_writes=N page_writes=N odd_writes=N discards=N
 * reads=N mismatches=N thp=0|1" and exits 1 on any mismatch or I/O error;
 * SHADOW, if given, receives the shadow copy (what the device must hold).
 *
 * zrs-unitio DEV fill SEED: write the whole device in 64 KiB writes of
 * half-compressible data from the huge page, going on past failed writes (a
 * mem_limit test); prints "written=N failed=M".
 *
 * zrs-unitio DEV put FILE: write FILE (at most 2 MiB, whole sectors) at
 * the start of DEV in one direct write from the huge page, as dd would
 * from an ordinary buffer; exits 1 if the write fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096
#define HUGE (2UL << 20)
#define MAXIO (128 << 10)

static uint64_t rs;

static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static void fill(unsigned char *p, size_t len)
{
	static const char *words[] = { "zram ", "unit ", "folio ", "swap ",
				       "compress ", "page ", "kernel " };
	size_t i = 0;
	uint64_t v;

	switch (rnd() % 4) {
	case 0:		/* text */
		while (i < len) {
			const char *w = words[rnd() % 7];
			size_t n = strlen(w);

			if (n > len - i)
				n = len - i;
			memcpy(p + i, w, n);
			i += n;
		}
		break;
	case 1:		/* random */
		for (; i + 8 <= len; i += 8) {
			v = rnd();
			memcpy(p + i, &v, 8);
		}
		break;
	case 2:		/* one word */
		v = rnd() % 3 ? 0 : rnd();
		for (; i + 8 <= len; i += 8)
			memcpy(p + i, &v, 8);
		break;
	default:	/* half random, half text */
		for (; i + 8 <= len / 2; i += 8) {
			v = rnd();
			memcpy(p + i, &v, 8);
		}
		for (; i < len; i++)
			p[i] = "abcabcabd"[i % 9];
	}
}

static int fd;
static unsigned char *shadow, *buf;
static uint64_t size, bad;

static int dio(int write, uint64_t off, size_t len)
{
	ssize_t n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);

	if (n != (ssize_t)len) {
		fprintf(stderr, "%s %zu at %llu: %zd (%m)\n",
			write ? "write" : "read", len, (unsigned long long)off, n);
		return -1;
	}
	return 0;
}

static int check(uint64_t off, size_t len)
{
	if (dio(0, off, len))
		return -1;
	if (memcmp(buf, shadow + off, len)) {
		if (bad++ < 5)
			fprintf(stderr, "mismatch in %zu at %llu\n", len,
				(unsigned long long)off);
	}
	return 0;
}

static int writeat(uint64_t off, size_t len)
{
	fill(buf, len);
	memcpy(shadow + off, buf, len);
	return dio(1, off, len);
}

int main(int argc, char **argv)
{
	uint64_t ops, i, uw = 0, pw = 0, sw = 0, dc = 0, rd = 0, off;
	unsigned char *map;
	int thp = 0;

	if (argc != 4 && argc != 5)
		return 2;
	ops = strtoull(argv[2], NULL, 0);
	rs = strtoull(argv[3], NULL, 0) | 1;
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) || size < (1 << 20)) {
		perror(argv[1]);
		return 2;
	}
	shadow = calloc(1, size);
	map = mmap(NULL, 2 * HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!shadow || map == MAP_FAILED)
		return 2;
	buf = (unsigned char *)(((uintptr_t)map + HUGE - 1) & ~(HUGE - 1));
	/* Without madvise(2) (tinyconfig), THP "always" does it. */
	thp = madvise(buf, HUGE, MADV_HUGEPAGE) == 0;
	memset(buf, 1, HUGE);
	if (!strcmp(argv[2], "put")) {
		int in = open(argv[3], O_RDONLY);
		ssize_t n = in < 0 ? -1 : read(in, buf, HUGE);

		if (n <= 0 || n % 512) {
			perror(argv[3]);
			return 2;
		}
		return pwrite(fd, buf, n, 0) == n ? 0 : 1;
	}
	if (!strcmp(argv[2], "fill")) {
		uint64_t ok = 0, failed = 0;

		for (off = 0; off + 65536 <= size; off += 65536) {
			size_t k;

			for (k = 0; k < 32768; k++)	/* about 2:1 */
				buf[k] = rnd();
			for (; k < 65536; k++)
				buf[k] = "zram unit fill "[(k + off / 4096) % 15];
			if (pwrite(fd, buf, 65536, off) == 65536)
				ok++;
			else
				failed++;
		}
		printf("written=%llu failed=%llu\n", (unsigned long long)ok,
		       (unsigned long long)failed);
		return 0;
	}
	/* The device starts empty: all zeroes, as the shadow. */
	for (off = 0; off < size; off += HUGE) {
		size_t n = size - off < HUGE ? size - off : HUGE;

		memset(buf, 0, n);
		if (dio(1, off, n))
			return 1;
	}
	for (i = 0; i < ops; i++) {
		unsigned int op = rnd() % 100;
		uint64_t len, r;

		if (op < 35) {			/* a unit, or several */
			len = 16384UL << (rnd() % 3);
			off = (rnd() % (size / len)) * len;
			if (rnd() % 4 == 0 && off + 2 * len <= size)
				len *= 2;
			r = writeat(off, len);
			uw++;
		} else if (op < 55) {		/* one page */
			len = PG;
			off = (rnd() % (size / PG)) * PG;
			r = writeat(off, len);
			pw++;
		} else if (op < 65) {		/* pages, off the unit grid */
			len = PG * (2 + rnd() % 17);
			off = (rnd() % (size / PG - 18)) * PG;
			r = writeat(off, len);
			sw++;
		} else if (op < 75) {		/* discard whole pages */
			uint64_t range[2];

			len = PG * (1 + rnd() % 24);
			off = (rnd() % (size / PG)) * PG;
			if (off + len > size)
				len = size - off;
			range[0] = off;
			range[1] = len;
			r = ioctl(fd, BLKDISCARD, range);
			if (r)
				perror("BLKDISCARD");
			memset(shadow + off, 0, len);
			dc++;
		} else {			/* reads only */
			len = (uint64_t[]){ PG, 65536, MAXIO }[rnd() % 3];
			off = (rnd() % (size / len)) * len;
			r = 0;
			rd++;
		}
		if (r || check(off, len))
			return 1;
	}
	for (off = 0; off < size; off += 65536)
		if (check(off, size - off < 65536 ? size - off : 65536))
			return 1;
	for (off = 0; off < size; off += PG)
		if (check(off, PG))
			return 1;
	if (argc == 5) {
		FILE *f = fopen(argv[4], "w");

		if (!f || fwrite(shadow, 1, size, f) != size || fclose(f)) {
			perror(argv[4]);
			return 2;
		}
	}
	printf("ops=%llu unit_writes=%llu page_writes=%llu odd_writes=%llu discards=%llu reads=%llu mismatches=%llu thp=%d\n",
	       (unsigned long long)ops, (unsigned long long)uw,
	       (unsigned long long)pw, (unsigned long long)sw,
	       (unsigned long long)dc, (unsigned long long)rd,
	       (unsigned long long)bad, thp);
	return bad ? 1 : 0;
}
