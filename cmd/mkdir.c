/* SPDX-License-Identifier: MIT */
/*
 * mkdir: make directories; with -p also the missing parents, and a
 * directory that already exists is no error.  See doc/cmd/mkdir.md.
 */
#include "libc.h"

static int pflag;
static ulong mode = 0777;

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "mkdir: %s: %s\n", name, err);
}

static int isdir(const char *name)
{
	Dir *d = dirstat(name);
	int r = d != NULL && (d->mode & DMDIR);

	free(d);
	return r;
}

/* Make the directory name; with -p its parents first.  Returns 0 or -1
 * (the error is reported). */
static int makedir(char *name)
{
	char *slash;
	int fd, r;

	if (pflag && isdir(name))
		return 0;
	if (!pflag && access(name, AEXIST) == 0) {
		fprint(2, "mkdir: %s: already exists\n", name);
		return -1;
	}
	if (pflag && (slash = strrchr(name, '/')) != NULL && slash != name) {
		*slash = 0;
		r = makedir(name);
		*slash = '/';
		if (r < 0)
			return -1;
	}
	if ((fd = create(name, OREAD, DMDIR | mode)) < 0) {
		/* Another process may have made it meanwhile. */
		if (pflag && isdir(name))
			return 0;
		fail(name);
		return -1;
	}
	close(fd);
	return 0;
}

static void usage(void)
{
	fprint(2, "usage: mkdir [-p] [-m mode] dir ...\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	const char *status = NULL;
	char *s, *end;

	ARGBEGIN {
	case 'p':
		pflag = 1;
		break;
	case 'm':
		s = EARGF(usage());
		mode = strtoul(s, &end, 8);
		if (*s == 0 || *end != 0 || mode > 0777)
			usage();
		break;
	default:
		usage();
	} ARGEND
	if (argc == 0)
		usage();
	for (; argc > 0; argc--, argv++) {
		cleanname(argv[0]);
		if (makedir(argv[0]) < 0)
			status = "error";
	}
	exits(status);
}
