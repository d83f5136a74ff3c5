/* SPDX-License-Identifier: MIT */
/*
 * wc: count lines, words (runs of characters other than blanks, tabs
 * and newlines) and characters (bytes: text here is ASCII) in each
 * file, or the standard input, and their total when there are several.
 * See doc/cmd/wc.md.
 */
#include "libc.h"

typedef struct Count {
	vlong lines, words, chars;
} Count;

static int lflag, wflag, cflag;
static char buf[IOUNIT];

static void count(int fd, Count *c, int *inword)
{
	long n, i;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		c->chars += n;
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n')
				c->lines++;
			if (isspace((uchar)buf[i]))
				*inword = 0;
			else if (!*inword) {
				*inword = 1;
				c->words++;
			}
		}
	}
	if (n < 0)
		c->lines = -1;  /* read error: reported by the caller */
}

static void report(const Count *c, const char *name)
{
	char line[80];
	int n = 0;

	if (lflag)
		n += snprint(line + n, sizeof line - n, " %7lld", c->lines);
	if (wflag)
		n += snprint(line + n, sizeof line - n, " %7lld", c->words);
	if (cflag)
		n += snprint(line + n, sizeof line - n, " %7lld", c->chars);
	print("%s%s%s\n", line + 1, name ? " " : "", name ? name : "");
}

static void fail(const char *name)
{
	char err[ERRMAX];

	rerrstr(err, sizeof err);
	fprint(2, "wc: %s: %s\n", name, err);
}

int main(int argc, char **argv)
{
	Count c, total = {0, 0, 0};
	const char *status = NULL;
	int fd, inword, i;

	ARGBEGIN {
	case 'l':
		lflag = 1;
		break;
	case 'w':
		wflag = 1;
		break;
	case 'c':
		cflag = 1;
		break;
	default:
		fprint(2, "usage: wc [-lwc] [file ...]\n");
		exits("usage");
	} ARGEND
	if (!lflag && !wflag && !cflag)
		lflag = wflag = cflag = 1;
	if (argc == 0) {
		memset(&c, 0, sizeof c);
		inword = 0;
		count(0, &c, &inword);
		if (c.lines < 0) {
			fail("<stdin>");
			exits("read error");
		}
		report(&c, NULL);
		exits(NULL);
	}
	for (i = 0; i < argc; i++) {
		if ((fd = open(argv[i], OREAD)) < 0) {
			fail(argv[i]);
			status = "error";
			continue;
		}
		memset(&c, 0, sizeof c);
		inword = 0;
		count(fd, &c, &inword);
		close(fd);
		if (c.lines < 0) {
			fail(argv[i]);
			status = "error";
			continue;
		}
		report(&c, argv[i]);
		total.lines += c.lines;
		total.words += c.words;
		total.chars += c.chars;
	}
	if (argc > 1)
		report(&total, "total");
	exits(status);
}
