/* SPDX-License-Identifier: MIT */
/*
 * rm: remove files; with -r also directories and what they hold; with -f
 * say nothing about files that cannot be removed.  See doc/cmd/rm.md.
 */
#include "libc.h"

static int rflag, fflag;
static const char *status;

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	status = "error";
	if (!fflag)
		fprint(2, "rm: %s: %s\n", name, err);
}

/* Remove what the directory name holds, then name itself. */
static void rmtree(const char *name)
{
	Dir *d;
	long n, i;
	int fd;
	char *path;

	if ((fd = open(name, OREAD)) < 0) {
		fail(name);
		return;
	}
	n = dirreadall(fd, &d);
	close(fd);
	if (n < 0) {
		fail(name);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((path = smprint("%s/%s", name, d[i].name)) == NULL) {
			fprint(2, "rm: out of memory\n");
			exits("no memory");
		}
		if (remove(path) < 0) {
			if (d[i].mode & DMDIR)
				rmtree(path);
			else
				fail(path);
		}
		free(path);
	}
	free(d);
	if (remove(name) < 0)
		fail(name);
}

static void usage(void)
{
	fprint(2, "usage: rm [-fr] file ...\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	char err[ERRMAX];
	Dir *d;

	ARGBEGIN {
	case 'r':
		rflag = 1;
		break;
	case 'f':
		fflag = 1;
		break;
	default:
		usage();
	} ARGEND
	if (argc == 0)
		usage();
	for (; argc > 0; argc--, argv++) {
		if (remove(argv[0]) == 0)
			continue;
		/* A directory that is not empty fails remove: with -r, empty it
		 * first.  Anything else keeps remove's error. */
		rerrstr(err, sizeof err);
		d = NULL;
		if (rflag && (d = dirstat(argv[0])) != NULL && (d->mode & DMDIR)) {
			free(d);
			rmtree(argv[0]);
			continue;
		}
		free(d);
		werrstr("%s", err);
		fail(argv[0]);
	}
	exits(status);
}
