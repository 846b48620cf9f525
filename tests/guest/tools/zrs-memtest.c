// SPDX-License-Identifier: GPL-2.0
/*
 * zrs-memtest MIB PASSES: allocate MIB MiB, fill every page with a pattern
 * that depends on its index and the pass (half of it compressible, a
 * quarter of the pages same-filled), then read everything back and count
 * mismatches. With more memory than RAM this exercises swap. Prints
 * "pages=N mismatches=M" and exits 1 on any mismatch. With
 * ZRS_MEMTEST_HOLD=FILE set, it then creates FILE and keeps its memory
 * until FILE is removed (so that a caller can look at the swap device).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static void fill(uint64_t *p, uint64_t idx, uint64_t pass)
{
	uint64_t seed = mix(idx * 31 + pass), i;

	if ((seed & 3) == 0) {		/* same-filled page */
		for (i = 0; i < PG / 8; i++)
			p[i] = seed;
		return;
	}
	for (i = 0; i < PG / 8; i++)	/* first half random, second repeated */
		p[i] = i < PG / 16 ? mix(seed + i) : (seed & 0xff) * 0x0101010101010101ULL;
}

int main(int argc, char **argv)
{
	uint64_t mib, passes, pages, n, pass, bad = 0, checked = 0;
	uint64_t buf[PG / 8];
	char *mem;

	if (argc != 3)
		return 2;
	mib = strtoull(argv[1], NULL, 0);
	passes = strtoull(argv[2], NULL, 0);
	pages = mib * 256;
	mem = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	for (pass = 0; pass < passes; pass++) {
		for (n = 0; n < pages; n++)
			fill((uint64_t *)(mem + n * PG), n, pass);
		for (n = 0; n < pages; n++) {
			uint64_t i, *p = (uint64_t *)(mem + n * PG);

			fill(buf, n, pass);
			for (i = 0; i < PG / 8; i++) {
				if (p[i] != buf[i]) {
					bad++;
					break;
				}
			}
			checked++;
		}
	}
	printf("pages=%llu mismatches=%llu\n", (unsigned long long)checked,
	       (unsigned long long)bad);
	fflush(stdout);
	if (getenv("ZRS_MEMTEST_HOLD")) {
		FILE *f = fopen(getenv("ZRS_MEMTEST_HOLD"), "w");

		if (f)
			fclose(f);
		while (f && access(getenv("ZRS_MEMTEST_HOLD"), F_OK) == 0)
			usleep(100000);
	}
	return bad ? 1 : 0;
}
