/* SPDX-License-Identifier: MIT */
/*
 * cp: copy a file to a file, or files into a directory; with -r
 * directories too, with what they hold.  The copy gets the source's
 * permissions; -x also keeps its modification time.
 * See doc/cmd/cp.md.
 */
#include "libc.h"

static int rflag, xflag;
static const char *status;
static char buf[IOUNIT];

static void fail(const char *what, const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "cp: %s%s: %s\n", what, name, err);
	status = "error";
}

static void nomem(void)
{
	fprint(2, "cp: out of memory\n");
	exits("no memory");
}

static void copy(const char *from, const char *to);

/* Copy directory from (stat d) to to, which need not exist. */
static void copydir(const char *from, const char *to, const Dir *d)
{
	Dir *dd, *td;
	long n, i;
	int fd;
	char *f, *t;

	if ((td = dirstat(to)) == NULL) {
		if ((fd = create(to, OREAD, DMDIR | (d->mode & 0777) | 0700)) < 0) {
			fail("", to);
			return;
		}
		close(fd);
	} else if (!(td->mode & DMDIR)) {
		fprint(2, "cp: %s: not a directory\n", to);
		status = "error";
		free(td);
		return;
	}
	free(td);
	if ((fd = open(from, OREAD)) < 0 || (n = dirreadall(fd, &dd)) < 0) {
		fail("", from);
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	for (i = 0; i < n; i++) {
		f = smprint("%s/%s", from, dd[i].name);
		t = smprint("%s/%s", to, dd[i].name);
		if (f == NULL || t == NULL)
			nomem();
		copy(f, t);
		free(f);
		free(t);
	}
	free(dd);
}

/* Is the file name the one d describes? */
static int samefile(const Dir *d, const char *name)
{
	Dir *t = dirstat(name);
	int r;

	r = t != NULL && t->qid.path == d->qid.path && t->type == d->type && t->dev == d->dev;
	free(t);
	return r;
}

/* Copy the file from to the file to. */
static void copy(const char *from, const char *to)
{
	Dir *d, nd;
	int in, outfd;
	long n;

	if ((d = dirstat(from)) == NULL) {
		fail("", from);
		return;
	}
	if (d->mode & DMDIR) {
		if (rflag)
			copydir(from, to, d);
		else {
			fprint(2, "cp: %s: is a directory\n", from);
			status = "error";
		}
		free(d);
		return;
	}
	if (samefile(d, to)) {
		fprint(2, "cp: %s and %s are the same file\n", from, to);
		status = "error";
		free(d);
		return;
	}
	if ((in = open(from, OREAD)) < 0) {
		fail("", from);
		free(d);
		return;
	}
	if ((outfd = create(to, OWRITE, d->mode & 0777)) < 0) {
		fail("", to);
		goto out;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(outfd, buf, n) != n) {
			fail("write error on ", to);
			break;
		}
	if (n < 0)
		fail("read error on ", from);
	if (xflag) {
		nulldir(&nd);
		nd.mtime = d->mtime;
		if (dirfwstat(outfd, &nd) < 0)
			fail("can't set time of ", to);
	}
	close(outfd);
out:
	close(in);
	free(d);
}

static int isdir(const char *name)
{
	Dir *d = dirstat(name);
	int r = d != NULL && (d->mode & DMDIR);

	free(d);
	return r;
}

static void usage(void)
{
	fprint(2, "usage: cp [-rx] fromfile tofile or cp [-rx] fromfile ... todir\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	const char *dir, *elem;
	char *to;
	int i;

	ARGBEGIN {
	case 'r':
		rflag = 1;
		break;
	case 'x':
		xflag = 1;
		break;
	default:
		usage();
	} ARGEND
	if (argc < 2)
		usage();
	dir = argv[argc - 1];
	if (!isdir(dir)) {
		if (argc > 2) {
			fprint(2, "cp: %s: not a directory\n", dir);
			exits("usage");
		}
		copy(argv[0], dir);
		exits(status);
	}
	for (i = 0; i < argc - 1; i++) {
		cleanname(argv[i]);
		elem = strrchr(argv[i], '/');
		elem = elem ? elem + 1 : argv[i];
		if ((to = smprint("%s/%s", dir, elem)) == NULL)
			nomem();
		copy(argv[i], to);
		free(to);
	}
	exits(status);
}
