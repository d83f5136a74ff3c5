/* SPDX-License-Identifier: MIT */
/*
 * du: disk usage, as Plan 9's: for each directory under each name (".")
 * the total length of the files it holds, in KiB rounded up file by
 * file, and the directory's name.  -a lists every file as well, -s only
 * the total of each name.  See doc/cmd/du.md.
 */
#include "libc.h"

static int aflag, sflag;
static const char *status;
static Biobuf out;

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	Bflush(&out);
	fprint(2, "du: %s: %s\n", name, err);
	status = "error";
}

static vlong kib(vlong len)
{
	return (len + 1023) / 1024;
}

/* The KiB under directory name, printing as the flags ask. */
static vlong du(const char *name, int top)
{
	Dir *d;
	vlong sum = 0, k;
	long n, i;
	int fd;
	char *path;

	if ((fd = open(name, OREAD)) < 0) {
		fail(name);
		return 0;
	}
	n = dirreadall(fd, &d);
	close(fd);
	if (n < 0) {
		fail(name);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(name, ".") == 0)
			path = strdup(d[i].name);
		else
			path = smprint("%s/%s", name, d[i].name);
		if (path == NULL) {
			fprint(2, "du: out of memory\n");
			exits("no memory");
		}
		if (d[i].mode & DMDIR)
			sum += du(path, 0);
		else {
			k = kib(d[i].length);
			sum += k;
			if (aflag)
				Bprint(&out, "%lld\t%s\n", k, path);
		}
		free(path);
	}
	free(d);
	if (!sflag || top)
		Bprint(&out, "%lld\t%s\n", sum, name);
	return sum;
}

static void duarg(char *name)
{
	Dir *d;

	cleanname(name);
	if ((d = dirstat(name)) == NULL) {
		fail(name);
		return;
	}
	if (d->mode & DMDIR)
		du(name, 1);
	else
		Bprint(&out, "%lld\t%s\n", kib(d->length), name);
	free(d);
}

int main(int argc, char **argv)
{
	char dot[] = ".";

	ARGBEGIN {
	case 'a':
		aflag = 1;
		break;
	case 's':
		sflag = 1;
		break;
	default:
		fprint(2, "usage: du [-as] [file ...]\n");
		exits("usage");
	} ARGEND
	Binit(&out, 1, OWRITE);
	if (argc == 0)
		duarg(dot);
	for (; argc > 0; argc--, argv++)
		duarg(argv[0]);
	Bterm(&out);
	exits(status);
}
