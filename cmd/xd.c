/* SPDX-License-Identifier: MIT */
/*
 * xd: hex dump, as Plan 9's.  Each 16 bytes of input make one line per
 * format: the offset (in hex unless -a says otherwise), then the bytes
 * in units of 1, 2, 4 or 8 bytes, most significant byte first (the order
 * they appear in the file).  The default is -4x: 4-byte words in hex.
 *	-1 -2 -4 -8	unit size for the formats that follow
 *	-x -o -d	hexadecimal, octal, decimal units
 *	-c		bytes as characters (C escapes, or octal)
 *	-b		bytes in hex (-1x)
 *	-a[xodn]	offsets in hex, octal, decimal, or none
 *	-r		a run of identical lines as the first and a *
 * See doc/cmd/xd.md.
 */
#include "libc.h"

enum { Line = 16, Maxfmt = 8 };

typedef struct Format {
	int size;  /* bytes per unit */
	int kind;  /* 'x', 'o', 'd' or 'c' */
} Format;

static Format fmts[Maxfmt];
static int nfmt, size = 4, rflag;
static int astyle = 'x';
static Biobuf out;

static void usage(void)
{
	fprint(2, "usage: xd [-1248xodcbr] [-a style] [file ...]\n");
	exits("usage");
}

static void addfmt(int sz, int kind)
{
	if (nfmt == Maxfmt)
		usage();
	fmts[nfmt].size = sz;
	fmts[nfmt].kind = kind;
	nfmt++;
}

/* Digits a unit of sz bytes takes in kind. */
static int width(int sz, int kind)
{
	static const int o[] = {0, 3, 6, 0, 11, 0, 0, 0, 22};
	static const int d[] = {0, 3, 5, 0, 10, 0, 0, 0, 20};

	switch (kind) {
	case 'o':
		return o[sz];
	case 'd':
		return d[sz];
	case 'c':
		return 3;
	}
	return 2 * sz;
}

static void putaddr(uvlong a, int blank)
{
	static const char *const style[] = {"%.7llx", "%.7llo", "%.7lld"};
	const char *f;

	if (astyle == 'n')
		return;
	if (blank) {
		Bprint(&out, "       ");
		return;
	}
	f = style[astyle == 'x' ? 0 : astyle == 'o' ? 1 : 2];
	Bprint(&out, f, a);
}

static void putchar_c(uchar c)
{
	static const char esc[] = "\0\\0\a\\a\b\\b\t\\t\n\\n\v\\v\f\\f\r\\r";
	size_t i;

	for (i = 0; i < sizeof esc - 1; i += 3)
		if (esc[i] == (char)c) {
			Bprint(&out, " %3.2s", esc + i + 1);
			return;
		}
	if (c >= ' ' && c < 0x7f)
		Bprint(&out, " %3c", c);
	else
		Bprint(&out, " %.3o", c);
}

/* One line of buf[0..n-1] at offset a, in format f. */
static void putline(const uchar *buf, int n, uvlong a, const Format *f, int first)
{
	int i, j, have, w;
	uvlong v;

	putaddr(a, !first);
	Bputc(&out, ' ');
	for (i = 0; i < n; i += f->size) {
		if (f->kind == 'c') {
			putchar_c(buf[i]);
			continue;
		}
		have = n - i < f->size ? n - i : f->size;
		v = 0;
		for (j = 0; j < f->size; j++)
			v = v << 8 | (j < have ? buf[i + j] : 0);
		w = width(f->size, f->kind);
		if (f->kind == 'x' && have < f->size) {
			/* A partial word shows only the bytes there are. */
			v >>= 8 * (f->size - have);
			w = 2 * have;
		}
		if (f->kind == 'x')
			Bprint(&out, " %.*llx", w, v);
		else if (f->kind == 'o')
			Bprint(&out, " %.*llo", w, v);
		else
			Bprint(&out, " %*llu", w, v);
	}
	Bputc(&out, '\n');
}

/* Dump fd; returns 0 or -1 with the error string set. */
static int xd(int fd)
{
	uchar buf[Line], prev[Line];
	uvlong a = 0;
	long n;
	int i, same = 0, havprev = 0;

	while ((n = readn(fd, buf, Line)) > 0) {
		if (rflag && havprev && n == Line && memcmp(buf, prev, Line) == 0) {
			if (!same)
				Bprint(&out, "*\n");
			same = 1;
			a += n;
			continue;
		}
		same = 0;
		memcpy(prev, buf, n);
		havprev = n == Line;
		for (i = 0; i < nfmt; i++)
			putline(buf, n, a, &fmts[i], i == 0);
		a += n;
	}
	putaddr(a, 0);
	if (astyle != 'n')
		Bputc(&out, '\n');
	return n < 0 ? -1 : 0;
}

static void fail(const char *name)
{
	char err[ERRMAX];

	Bflush(&out);
	rerrstr(err, sizeof err);
	fprint(2, "xd: %s: %s\n", name, err);
}

int main(int argc, char **argv)
{
	const char *status = NULL;
	char *s;
	int fd;

	ARGBEGIN {
	case '1':
	case '2':
	case '4':
	case '8':
		size = ARGC() - '0';
		break;
	case 'x':
	case 'o':
	case 'd':
		addfmt(size, ARGC());
		break;
	case 'c':
		addfmt(1, 'c');
		break;
	case 'b':
		addfmt(1, 'x');
		break;
	case 'a':
		s = EARGF(usage());
		if (s[0] == 0 || s[1] != 0 || strchr("xodn", s[0]) == NULL)
			usage();
		astyle = s[0];
		break;
	case 'r':
		rflag = 1;
		break;
	default:
		usage();
	} ARGEND
	if (nfmt == 0)
		addfmt(size, 'x');
	Binit(&out, 1, OWRITE);
	if (argc == 0 && xd(0) < 0) {
		fail("<stdin>");
		status = "read error";
	}
	for (; argc > 0; argc--, argv++) {
		if ((fd = open(argv[0], OREAD)) < 0) {
			fail(argv[0]);
			status = "error";
			continue;
		}
		if (xd(fd) < 0) {
			fail(argv[0]);
			status = "read error";
		}
		close(fd);
	}
	Bterm(&out);
	exits(status);
}
