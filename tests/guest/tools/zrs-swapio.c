// SPDX-License-Identifier: GPL-2.0
/*
 * zrs-swapio IMAGE MIB: a swap workload in two timed halves, for
 * bench-units. Fills MIB MiB of anonymous memory (2 MiB-aligned, so that
 * large folios can back it) with IMAGE's bytes (repeated as needed),
 * prints "filled" and waits for a line on standard input: meanwhile the
 * caller pushes the memory out to swap (memory.reclaim) and times that.
 * Then it reads every page back, compares it with IMAGE, and prints
 * "in_us=N pages=N mismatches=N": the swap-in time, measured here.
 * Exits 1 on any mismatch.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PG 4096
#define HUGE (2UL << 20)

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	uint64_t mib, len, off, bad = 0, t0, t1;
	unsigned char *img, *mem, *map;
	char line[64];
	struct stat st;
	int fd;

	if (argc != 3)
		return 2;
	mib = strtoull(argv[2], NULL, 0);
	len = mib << 20;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || st.st_size < PG) {
		perror(argv[1]);
		return 2;
	}
	st.st_size &= ~(off_t)(PG - 1);
	img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	map = mmap(NULL, len + HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (img == MAP_FAILED || map == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	mem = (unsigned char *)(((uintptr_t)map + HUGE - 1) & ~(HUGE - 1));
	for (off = 0; off < len; off += PG)
		memcpy(mem + off, img + off % st.st_size, PG);
	/* The image's pages are file cache, not ours to swap: drop them. */
	munmap(img, st.st_size);
	printf("filled\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 2;
	img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img == MAP_FAILED)
		return 2;
	t0 = now_us();
	for (off = 0; off < len; off += PG)
		bad += memcmp(mem + off, img + off % st.st_size, PG) != 0;
	t1 = now_us();
	printf("in_us=%llu pages=%llu mismatches=%llu\n",
	       (unsigned long long)(t1 - t0), (unsigned long long)(len / PG),
	       (unsigned long long)bad);
	return bad ? 1 : 0;
}
