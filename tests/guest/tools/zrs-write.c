// SPDX-License-Identifier: GPL-2.0
/*
 * zrs-write FILE VALUE: write VALUE to FILE with one write(2) and print the
 * errno's name (or OK), so guest tests can check the exact errno a sysfs
 * store returns. VALUE may hold \xNN escapes (embedded NULs, binary), and
 * "-n" before FILE writes VALUE without the trailing newline echo adds.
 *
 * zrs-write -s serves the same from standard input, one process for a
 * corpus of thousands of writes (a fork and exec per write is 0.1 s on the
 * debug kernel under TCG). Requests, answered one line each, flushed:
 *   "w FILE" then a line VALUE: write VALUE as -n does, print the errno;
 *   "r FILE...": print the files' contents, each line ended by '|', on
 *                one line (a file that cannot be read adds nothing).
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

/* Decode VALUE's \xNN escapes into buf (room for strlen(value) + 1). */
static size_t unescape(char *buf, const char *value)
{
	size_t n = 0;
	const char *s;

	for (s = value; *s; s++) {
		if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = { s[2], s[3], 0 };

			buf[n++] = (char)strtol(hex, NULL, 16);
			s += 3;
		} else {
			buf[n++] = *s;
		}
	}
	return n;
}

/* One write(2) of buf to path; 0 or the errno. */
static int write_file(const char *path, const char *buf, size_t n)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return errno;
	if (write(fd, buf, n) < 0) {
		int e = errno;

		close(fd);
		return e;
	}
	return close(fd) < 0 ? errno : 0;
}

static void print_errno(int e)
{
	int i;

	if (!e) {
		puts("OK");
		return;
	}
	for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		if (names[i].e == e) {
			puts(names[i].n);
			return;
		}
	}
	printf("E%d\n", e);
}

static void read_files(char *list)
{
	char *path, *save = NULL, data[4096];
	ssize_t r, i;
	int fd;

	for (path = strtok_r(list, " ", &save); path; path = strtok_r(NULL, " ", &save)) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		while ((r = read(fd, data, sizeof(data))) > 0)
			for (i = 0; i < r; i++)
				putchar(data[i] == '\n' ? '|' : data[i]);
		close(fd);
	}
	putchar('\n');
}

static int serve(void)
{
	char *line = NULL, *value = NULL, *path, *buf;
	size_t cap = 0, vcap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, stdin)) > 0) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "r ", 2)) {
			read_files(line + 2);
		} else if (!strncmp(line, "w ", 2)) {
			path = strdup(line + 2);
			len = getline(&value, &vcap, stdin);
			if (!path || len < 0)
				return 2;
			value[strcspn(value, "\n")] = 0;
			buf = malloc(strlen(value) + 1);
			if (!buf)
				return 2;
			print_errno(write_file(path, buf, unescape(buf, value)));
			free(buf);
			free(path);
		} else {
			fprintf(stderr, "zrs-write -s: bad request '%s'\n", line);
			return 2;
		}
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int newline = 1;
	size_t n;
	char *buf;

	if (argc == 2 && !strcmp(argv[1], "-s"))
		return serve();
	if (argc > 1 && !strcmp(argv[1], "-n")) {
		newline = 0;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: zrs-write [-n] FILE VALUE | -s\n");
		return 2;
	}
	buf = malloc(strlen(argv[2]) + 2);
	if (!buf)
		return 2;
	n = unescape(buf, argv[2]);
	if (newline)
		buf[n++] = '\n';
	print_errno(write_file(argv[1], buf, n));
	return 0;
}
