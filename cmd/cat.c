/* SPDX-License-Identifier: MIT */
/*
 * cat: copy each file, or the standard input when there is none, to the
 * standard output.  See doc/cmd/cat.md.
 */
#include "libc.h"

static char buf[IOUNIT];

/* Copy fd to fd 1; returns 0, or -1 with the error string set. */
static int copy(int fd)
{
	long n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (write(1, buf, n) != n)
			return -1;
	return n < 0 ? -1 : 0;
}

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "cat: %s: %s\n", name, err);
}

int main(int argc, char **argv)
{
	const char *status = NULL;
	int fd;

	ARGBEGIN {
	default:
		fprint(2, "usage: cat [file ...]\n");
		exits("usage");
	} ARGEND
	if (argc == 0) {
		if (copy(0) < 0) {
			fail("<stdin>");
			exits("read error");
		}
		exits(NULL);
	}
	for (; argc > 0; argc--, argv++) {
		if ((fd = open(argv[0], OREAD)) < 0) {
			fail(argv[0]);
			status = "open error";
			continue;
		}
		if (copy(fd) < 0) {
			fail(argv[0]);
			status = "read error";
		}
		close(fd);
	}
	exits(status);
}
