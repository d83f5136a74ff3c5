/* SPDX-License-Identifier: MIT */
/*
 * ns: print a process's namespace (this one's, or that of the pid
 * given) as the rc commands that would build it: core keeps it in that
 * form in /proc/N/ns.  See doc/cmd/ns.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: ns [pid]\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	char name[64], err[ERRMAX], buf[IOUNIT];
	long n, pid;
	char *end;
	int fd;

	ARGBEGIN {
	default:
		usage();
	} ARGEND
	if (argc > 1)
		usage();
	if (argc == 1) {
		pid = strtol(argv[0], &end, 10);
		if (*argv[0] == 0 || *end != 0 || pid <= 0)
			usage();
	} else
		pid = getpid();
	snprint(name, sizeof name, "/proc/%ld/ns", pid);
	if ((fd = open(name, OREAD)) < 0)
		goto bad;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (write(1, buf, n) != n)
			goto bad;
	if (n < 0)
		goto bad;
	close(fd);
	exits(NULL);
bad:
	rerrstr(err, sizeof err);
	fprint(2, "ns: %s: %s\n", name, err);
	exits("error");
}
