/* SPDX-License-Identifier: MIT */
/*
 * tee: copy the standard input to the standard output and to each file;
 * with -a append to the files instead of replacing them.  A file that
 * cannot be opened or written is reported and dropped; the others go on.
 * See doc/cmd/tee.md.
 */
#include "libc.h"

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "tee: %s: %s\n", name, err);
}

static int openout(const char *name, int append)
{
	int fd;

	if (append) {
		if ((fd = open(name, OWRITE)) >= 0) {
			seek(fd, 0, SEEKEND);
			return fd;
		}
	}
	return create(name, OWRITE, 0666);
}

int main(int argc, char **argv)
{
	static char buf[IOUNIT];
	const char *status = NULL;
	int aflag = 0, nfd = 0, i, *fd;
	char **name;
	long n;

	ARGBEGIN {
	case 'a':
		aflag = 1;
		break;
	case 'i':
		break;  /* Plan 9's "ignore interrupts": nothing interrupts tee here */
	default:
		fprint(2, "usage: tee [-ai] [file ...]\n");
		exits("usage");
	} ARGEND
	if ((fd = malloc((argc + 1) * sizeof *fd)) == NULL ||
	    (name = malloc((argc + 1) * sizeof *name)) == NULL) {
		fprint(2, "tee: out of memory\n");
		exits("no memory");
	}
	fd[nfd] = 1;
	name[nfd++] = "<stdout>";
	for (i = 0; i < argc; i++) {
		if ((fd[nfd] = openout(argv[i], aflag)) < 0) {
			fail(argv[i]);
			status = "error";
			continue;
		}
		name[nfd++] = argv[i];
	}
	while ((n = read(0, buf, sizeof buf)) > 0)
		for (i = 0; i < nfd; i++) {
			if (fd[i] < 0 || write(fd[i], buf, n) == n)
				continue;
			fail(name[i]);
			status = "write error";
			close(fd[i]);
			fd[i] = -1;
		}
	if (n < 0) {
		fail("<stdin>");
		status = "read error";
	}
	exits(status);
}
