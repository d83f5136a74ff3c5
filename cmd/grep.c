/* SPDX-License-Identifier: MIT */
/*
 * grep: print the lines of files (or the standard input) that match a
 * regular expression (the syntax of lib/libc/regexp.h).
 *	-c	only a count of matching lines per file
 *	-i	ignore case (ASCII letters)
 *	-v	the lines that do not match
 *	-n	each line's number first
 *	-l	only the names of files with a matching line
 *	-h	no file names before lines (given when there are several files)
 *	-s	no messages about files that cannot be read
 * Exit status "" when some line matched, "no matches" when none did,
 * and an error when a file could not be read.  See doc/cmd/grep.md.
 */
#include "libc.h"
#include "regexp.h"

static int cflag, iflag, vflag, nflag, lflag, hflag, sflag;
static Reprog *prog;
static Biobuf out;
static char *line, *lower;
static size_t linecap;

static void nomem(void)
{
	fprint(2, "grep: out of memory\n");
	exits("no memory");
}

/* Read a line without its newline into line; its length, or -1 at the
 * end.  A last line without a newline counts. */
static long rdline(Biobuf *b)
{
	size_t n = 0;
	int c;

	while ((c = Bgetc(b)) != Beof && c != '\n') {
		if (n + 1 >= linecap) {
			linecap = linecap ? 2 * linecap : 256;
			if ((line = realloc(line, linecap)) == NULL ||
			    (lower = realloc(lower, linecap)) == NULL)
				nomem();
		}
		line[n++] = c;
	}
	if (c == Beof && n == 0)
		return -1;
	if (line == NULL) {
		linecap = 256;
		if ((line = malloc(linecap)) == NULL || (lower = malloc(linecap)) == NULL)
			nomem();
	}
	line[n] = 0;
	return n;
}

static int match(const char *s, long n)
{
	long i;
	int r;

	if (iflag) {
		for (i = 0; i <= n; i++)
			lower[i] = tolower((uchar)s[i]);
		s = lower;
	}
	if ((r = regexec(prog, s, NULL, 0)) < 0)
		nomem();
	return r;
}

/* Search one open file; returns the number of matching lines. */
static long search(int fd, const char *name, int showname)
{
	Biobuf in;
	long n, lineno = 0, count = 0;

	Binit(&in, fd, OREAD);
	while ((n = rdline(&in)) >= 0) {
		lineno++;
		if (match(line, n) == vflag)
			continue;
		count++;
		if (lflag)
			break;
		if (cflag)
			continue;
		if (showname)
			Bprint(&out, "%s:", name);
		if (nflag)
			Bprint(&out, "%ld:", lineno);
		Bwrite(&out, line, n);
		Bputc(&out, '\n');
	}
	if (cflag) {
		if (showname)
			Bprint(&out, "%s:", name);
		Bprint(&out, "%ld\n", count);
	} else if (lflag && count > 0)
		Bprint(&out, "%s\n", name);
	return count;
}

static void usage(void)
{
	fprint(2, "usage: grep [-chilnsv] pattern [file ...]\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	const char *status = "no matches", *err;
	char *pat, errbuf[ERRMAX];
	long total = 0, i;
	int fd, showname;

	ARGBEGIN {
	case 'c': cflag = 1; break;
	case 'i': iflag = 1; break;
	case 'v': vflag = 1; break;
	case 'n': nflag = 1; break;
	case 'l': lflag = 1; break;
	case 'h': hflag = 1; break;
	case 's': sflag = 1; break;
	default: usage();
	} ARGEND
	if (argc < 1)
		usage();
	pat = argv[0];
	if (iflag)
		for (i = 0; pat[i]; i++)
			pat[i] = tolower((uchar)pat[i]);
	if ((prog = regcompe(pat, &err)) == NULL) {
		fprint(2, "grep: bad pattern %s: %s\n", argv[0], err ? err : "out of memory");
		exits("bad pattern");
	}
	argc--, argv++;
	showname = argc > 1 && !hflag;
	Binit(&out, 1, OWRITE);
	if (argc == 0)
		total += search(0, "<stdin>", 0);
	for (; argc > 0; argc--, argv++) {
		if ((fd = open(argv[0], OREAD)) < 0) {
			rerrstr(errbuf, sizeof errbuf);
			Bflush(&out);
			if (!sflag)
				fprint(2, "grep: %s: %s\n", argv[0], errbuf);
			status = "open error";
			continue;
		}
		total += search(fd, argv[0], showname);
		close(fd);
	}
	Bterm(&out);
	if (total > 0 && strcmp(status, "open error") != 0)
		status = NULL;
	exits(status);
}
