/* SPDX-License-Identifier: MIT */
/*
 * mv: rename a file, or move files into a directory.  Within one
 * directory a move is a rename (wstat of the name: the file server does
 * it, and a directory may be renamed); between directories a file is
 * copied, then the original removed.  See doc/cmd/mv.md.
 */
#include "libc.h"

static char buf[IOUNIT];

static void fail(const char *what, const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "mv: %s%s: %s\n", what, name, err);
}

static void nomem(void)
{
	fprint(2, "mv: out of memory\n");
	exits("no memory");
}

/* The directory part of name, malloc'd ("." when there is none). */
static char *dirpart(const char *name)
{
	const char *slash = strrchr(name, '/');
	char *s;

	if (slash == NULL)
		return strdup(".");
	if (slash == name)
		return strdup("/");
	if ((s = malloc(slash - name + 1)) == NULL)
		nomem();
	memcpy(s, name, slash - name);
	s[slash - name] = 0;
	return s;
}

static const char *lastelem(const char *name)
{
	const char *slash = strrchr(name, '/');

	return slash ? slash + 1 : name;
}

/* Are names a and b the same file (same servant, instance and qid)? */
static int samefile(const char *a, const char *b)
{
	Dir *da = dirstat(a), *db = dirstat(b);
	int r;

	r = da != NULL && db != NULL && da->qid.path == db->qid.path &&
	    da->type == db->type && da->dev == db->dev;
	free(da);
	free(db);
	return r;
}

/* Copy the plain file from to to, with from's permissions; 0 or -1. */
static int copyfile(const char *from, const char *to, ulong perm)
{
	int in, out;
	long n;

	if ((in = open(from, OREAD)) < 0) {
		fail("", from);
		return -1;
	}
	if ((out = create(to, OWRITE, perm & 0777)) < 0) {
		fail("", to);
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, n) != n) {
			fail("write error on ", to);
			n = -2;
			break;
		}
	if (n == -1)
		fail("read error on ", from);
	close(in);
	close(out);
	if (n < 0) {
		remove(to);
		return -1;
	}
	return 0;
}

/* Move from to to; 0 or -1 after saying why. */
static int mv(const char *from, const char *to)
{
	Dir *d, nd;
	char *fdir, *tdir;
	int same, r;

	if ((d = dirstat(from)) == NULL) {
		fail("", from);
		return -1;
	}
	if (samefile(from, to)) {
		fprint(2, "mv: %s and %s are the same file\n", from, to);
		free(d);
		return -1;
	}
	fdir = dirpart(from);
	tdir = dirpart(to);
	if (fdir == NULL || tdir == NULL)
		nomem();
	same = samefile(fdir, tdir);
	free(fdir);
	free(tdir);
	if (same) {
		/* A rename does not replace: take the old target away first. */
		if (access(to, AEXIST) == 0 && remove(to) < 0) {
			fail("can't remove ", to);
			goto bad;
		}
		nulldir(&nd);
		nd.name = (char *)lastelem(to);
		if (dirwstat(from, &nd) < 0) {
			fail("can't rename ", from);
			goto bad;
		}
		r = 0;
	} else if (d->mode & DMDIR) {
		fprint(2, "mv: %s: can't move a directory to another directory\n", from);
		goto bad;
	} else {
		r = copyfile(from, to, d->mode);
		if (r == 0 && remove(from) < 0) {
			fail("can't remove ", from);
			r = -1;
		}
	}
	free(d);
	return r;
bad:
	free(d);
	return -1;
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
	fprint(2, "usage: mv fromfile tofile or mv fromfile ... todir\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	const char *status = NULL;
	char *dir, *to;
	int i;

	ARGBEGIN {
	default:
		usage();
	} ARGEND
	if (argc < 2)
		usage();
	for (i = 0; i < argc; i++)
		cleanname(argv[i]);
	dir = argv[argc - 1];
	if (!isdir(dir)) {
		if (argc > 2) {
			fprint(2, "mv: %s: not a directory\n", dir);
			exits("usage");
		}
		exits(mv(argv[0], dir) < 0 ? "error" : NULL);
	}
	for (i = 0; i < argc - 1; i++) {
		if ((to = smprint("%s/%s", dir, lastelem(argv[i]))) == NULL)
			nomem();
		if (mv(argv[i], to) < 0)
			status = "error";
		free(to);
	}
	exits(status);
}
