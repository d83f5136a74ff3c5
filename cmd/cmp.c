/* SPDX-License-Identifier: MIT */
/*
 * cmp: compare two files byte by byte, optionally from given offsets
 * (decimal, or 0x... hex, or 0... octal).  Silent when they are equal;
 * else says where the first difference is, or with -l lists every
 * differing byte, or with -s says nothing.  Exit status "" when equal,
 * "differ" otherwise, "eof" when one file is a prefix of the other.
 * See doc/cmd/cmp.md.
 */
#include "libc.h"

static int lflag, sflag;

static void usage(void)
{
	fprint(2, "usage: cmp [-ls] file1 file2 [offset1 [offset2]]\n");
	exits("usage");
}

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "cmp: %s: %s\n", name, err);
	exits("error");
}

static int openoff(const char *name, const char *off)
{
	char *end;
	vlong o = 0;
	int fd;

	if (off != NULL) {
		o = strtoll(off, &end, 0);
		if (*off == 0 || *end != 0 || o < 0)
			usage();
	}
	if ((fd = open(name, OREAD)) < 0)
		fail(name);
	if (o > 0 && seek(fd, o, SEEKSET) < 0)
		fail(name);
	return fd;
}

/* Read up to IOUNIT bytes; fail the command on error. */
static long get(int fd, uchar *buf, const char *name)
{
	long n = readn(fd, buf, IOUNIT);

	if (n < 0)
		fail(name);
	return n;
}

int main(int argc, char **argv)
{
	static uchar b1[IOUNIT], b2[IOUNIT];
	const char *status = NULL;
	long n1, n2, n, i;
	vlong at = 1;
	int f1, f2;

	ARGBEGIN {
	case 'l':
		lflag = 1;
		break;
	case 's':
		sflag = 1;
		break;
	default:
		usage();
	} ARGEND
	if (argc < 2 || argc > 4)
		usage();
	f1 = openoff(argv[0], argc > 2 ? argv[2] : NULL);
	f2 = openoff(argv[1], argc > 3 ? argv[3] : NULL);
	for (;;) {
		n1 = get(f1, b1, argv[0]);
		n2 = get(f2, b2, argv[1]);
		n = n1 < n2 ? n1 : n2;
		for (i = 0; i < n; i++, at++) {
			if (b1[i] == b2[i])
				continue;
			status = "differ";
			if (sflag)
				exits(status);
			if (!lflag) {
				print("%s %s differ: char %lld\n", argv[0], argv[1], at);
				exits(status);
			}
			print("%6lld 0x%.2x 0x%.2x\n", at, b1[i], b2[i]);
		}
		if (n1 != n2) {
			if (!sflag)
				fprint(2, "cmp: EOF on %s\n", n1 < n2 ? argv[0] : argv[1]);
			exits("eof");
		}
		if (n1 == 0)
			break;
	}
	exits(status);
}
