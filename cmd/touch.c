/* SPDX-License-Identifier: MIT */
/*
 * touch: set the modification time of files to now (or to -t seconds),
 * creating those that do not exist unless -c.  See doc/cmd/touch.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: touch [-c] [-t seconds] file ...\n");
	exits("usage");
}

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "touch: %s: %s\n", name, err);
}

static int tflag;

/* Returns 0, or -1 after saying why. */
static int touch(const char *name, int nocreate, long when)
{
	Dir d;
	int fd;

	nulldir(&d);
	d.mtime = when;
	if (dirwstat(name, &d) == 0)
		return 0;
	if (access(name, AEXIST) == 0 || nocreate) {
		if (access(name, AEXIST) < 0 && nocreate)
			return 0;  /* -c: a missing file stays missing, quietly */
		fail(name);
		return -1;
	}
	if ((fd = create(name, OREAD, 0666)) < 0) {
		fail(name);
		return -1;
	}
	/* A new file is already "now"; set the time only when told one. */
	if (tflag && dirfwstat(fd, &d) < 0) {
		fail(name);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *status = NULL;
	int cflag = 0;
	long when;
	char *s, *end;

	when = time(NULL);
	ARGBEGIN {
	case 'c':
		cflag = 1;
		break;
	case 't':
		s = EARGF(usage());
		when = strtol(s, &end, 10);
		tflag = 1;
		if (*s == 0 || *end != 0 || when < 0)
			usage();
		break;
	default:
		usage();
	} ARGEND
	if (argc == 0)
		usage();
	for (; argc > 0; argc--, argv++)
		if (touch(argv[0], cflag, when) < 0)
			status = "error";
	exits(status);
}
