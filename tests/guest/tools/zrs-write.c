// SPDX-License-Identifier: GPL-2.0
/*
 * zrs-write FILE VALUE: write VALUE to FILE with one write(2) and print the
 * errno's name (or OK), so guest tests can check the exact errno a sysfs
 * store returns. VALUE may hold \xNN escapes (embedded NULs, binary), and
 * "-n" before FILE writes VALUE without the trailing newline echo adds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct { int e; const char *n; } names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
	{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
	{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { EAGAIN, "EAGAIN" },
	{ ENOSYS, "ENOSYS" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { EOVERFLOW, "EOVERFLOW" },
	{ ENOTBLK, "ENOTBLK" }, { ENOTTY, "ENOTTY" },
};

int main(int argc, char **argv)
{
	int newline = 1, fd, i;
	size_t n = 0;
	char *buf, *s;
	ssize_t r;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: zrs-write [-n] FILE VALUE\n");
		return 2;
	}
	buf = malloc(strlen(argv[2]) + 2);
	if (!buf)
		return 2;
	for (s = argv[2]; *s; s++) {
		if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = { s[2], s[3], 0 };

			buf[n++] = (char)strtol(hex, NULL, 16);
			s += 3;
		} else {
			buf[n++] = *s;
		}
	}
	if (newline)
		buf[n++] = '\n';
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		r = -1;
	} else {
		r = write(fd, buf, n);
		if (r >= 0 && close(fd) < 0)
			r = -1;
	}
	if (r >= 0) {
		puts("OK");
		return 0;
	}
	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		if (names[i].e == errno) {
			puts(names[i].n);
			return 0;
		}
	}
	printf("E%d\n", errno);
	return 0;
}
