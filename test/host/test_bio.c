/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libc/bio.c on real files and pipes through the
 * POSIX shim (libp9.a): writing past several buffers, reading by bytes,
 * lines and blocks across buffer edges, lines longer than the buffer,
 * ungetting, seeking and offsets.
 */
#define _POSIX_C_SOURCE 200809L
#include "hosttest.h"
#include <stdlib.h>
#include <string.h>
#define HOSTP9 1
#include "libc.h"

static char dir[64];

static char *
tmpname(const char *elem)
{
	static char buf[128];

	snprint(buf, sizeof buf, "%s/%s", dir, elem);
	return buf;
}

/* Byte i of the test pattern: lines of varying length. */
static int
pat(long i)
{
	return i % 37 == 36 ? '\n' : 'a' + i % 26;
}

enum { PatLen = 3 * Bsize + 123 };

static void
test_write(void)
{
	Biobuf *b;
	char chunk[1000];
	long i = 0;

	b = Bopen(tmpname("pat"), OWRITE);
	CHECK(b != NULL);
	/* A mixture of Bputc, Bwrite and Bprint. */
	while (i < PatLen) {
		if (i % 3000 < 1000) {
			CHECK(Bputc(b, pat(i)) == 0);
			i++;
		} else if (i % 3000 < 2000) {
			long n = 0;
			for (; n < (long)sizeof chunk && i + n < PatLen; n++)
				chunk[n] = pat(i + n);
			CHECK(Bwrite(b, chunk, n) == n);
			i += n;
		} else {
			CHECK(Bprint(b, "%c", pat(i)) == 1);
			i++;
		}
		CHECK(Boffset(b) == i);
	}
	CHECK(Bterm(b) == 0);
}

static void
test_getc(void)
{
	Biobuf *b;
	long i;
	int c;

	b = Bopen(tmpname("pat"), OREAD);
	CHECK(b != NULL);
	for (i = 0; i < PatLen; i++) {
		c = Bgetc(b);
		CHECKF(c == pat(i), "byte %ld: %d, want %d", i, c, pat(i));
		if (i % 1000 == 0 || i % Bsize == 0) {
			/* Step back up to Bungetsize bytes, also over a buffer edge. */
			for (int k = 0; k < Bungetsize && k <= i; k++)
				CHECKF(Bungetc(b) == 1, "unget %d at %ld", k, i);
			for (int k = Bungetsize < i + 1 ? Bungetsize : i + 1; k > 0; k--)
				CHECKF(Bgetc(b) == pat(i - k + 1), "regot at %ld", i);
		}
		CHECK(Boffset(b) == i + 1);
	}
	CHECK(Bgetc(b) == Beof);
	CHECK(Bungetc(b) == 1);
	CHECK(Bgetc(b) == Beof); /* un-got end of file comes back */
	CHECK(Bgetc(b) == Beof);
	CHECK(Bterm(b) == 0);
}

static void
test_rdline(void)
{
	Biobuf *b;
	long i = 0;
	char *p;
	int n;

	b = Bopen(tmpname("pat"), OREAD);
	CHECK(b != NULL);
	while ((p = Brdline(b, '\n')) != NULL) {
		n = Blinelen(b);
		CHECK(n > 0 && p[n - 1] == '\n');
		for (int j = 0; j < n; j++)
			CHECKF(p[j] == pat(i + j), "line at %ld, byte %d", i, j);
		i += n;
	}
	/* The last line has no newline: it waits for Bread. */
	n = Blinelen(b);
	CHECKF(i + n == PatLen, "lines end at %ld + %d", i, n);
	{
		char rest[64];
		CHECK(Bread(b, rest, sizeof rest) == n);
		CHECK(rest[0] == pat(i));
	}
	CHECK(Brdline(b, '\n') == NULL && Blinelen(b) == 0);
	Bterm(b);
}

static void
test_rdstr(void)
{
	Biobuf *b;
	long i = 0;
	char *s;
	int lines = 0;

	b = Bopen(tmpname("pat"), OREAD);
	CHECK(b != NULL);
	while ((s = Brdstr(b, '\n', 1)) != NULL) {
		long n = strlen(s);
		for (long j = 0; j < n; j++)
			CHECK(s[j] == pat(i + j));
		i += n;
		if (i < PatLen) {
			CHECK(Blinelen(b) == n + 1);
			i++; /* the newline, replaced by NUL */
		}
		lines++;
		free(s);
	}
	CHECKF(i == PatLen, "Brdstr stopped at %ld", i);
	CHECK(lines == PatLen / 37 + 1);
	Bterm(b);
}

/* A line longer than the buffer: Brdline gives up, Brdstr does not. */
static void
test_longline(void)
{
	Biobuf *b;
	char *s;
	long n = 2 * Bsize + 10;

	b = Bopen(tmpname("long"), OWRITE);
	CHECK(b != NULL);
	for (long i = 0; i < n; i++)
		Bputc(b, 'a' + i % 26);
	Bprint(b, "\nshort\nlast");
	CHECK(Bterm(b) == 0);

	b = Bopen(tmpname("long"), OREAD);
	CHECK(b != NULL);
	CHECK(Brdline(b, '\n') == NULL && Blinelen(b) == Bsize);
	CHECK(Bgetc(b) == 'a'); /* still there */
	CHECK(Bseek(b, 0, SEEKSET) == 0);
	s = Brdstr(b, '\n', 0);
	CHECK(s != NULL && (long)strlen(s) == n + 1 && s[n] == '\n' && s[n - 1] == 'a' + (n - 1) % 26);
	CHECK(Blinelen(b) == n + 1);
	free(s);
	s = Brdstr(b, '\n', 1);
	CHECK(s != NULL && strcmp(s, "short") == 0);
	free(s);
	s = Brdstr(b, '\n', 1);
	CHECK(s != NULL && strcmp(s, "last") == 0);
	free(s);
	CHECK(Brdstr(b, '\n', 1) == NULL);
	Bterm(b);
}

static void
test_read_seek(void)
{
	static char buf[PatLen + 10];
	Biobuf *b;
	long n;

	b = Bopen(tmpname("pat"), OREAD);
	CHECK(b != NULL);
	CHECK(Bread(b, buf, 10) == 10 && buf[9] == pat(9));
	CHECK(Bread(b, buf, Bsize) == Bsize && buf[0] == pat(10) && buf[Bsize - 1] == pat(Bsize + 9));
	CHECK(Boffset(b) == Bsize + 10);
	/* Back within the buffer, back past it, forward, relative. */
	CHECK(Bseek(b, Bsize + 5, SEEKSET) == Bsize + 5 && Bgetc(b) == pat(Bsize + 5));
	CHECK(Bseek(b, 3, SEEKSET) == 3 && Bgetc(b) == pat(3));
	CHECK(Bseek(b, 2 * Bsize, SEEKSET) == 2 * Bsize && Bgetc(b) == pat(2 * Bsize));
	CHECK(Bseek(b, -2, SEEKCUR) == 2 * Bsize - 1 && Bgetc(b) == pat(2 * Bsize - 1));
	CHECK(Bseek(b, -5, SEEKEND) == PatLen - 5 && Bgetc(b) == pat(PatLen - 5));
	CHECK(Bseek(b, 0, SEEKSET) == 0);
	n = Bread(b, buf, sizeof buf);
	CHECKF(n == PatLen, "Bread all: %ld", n);
	for (long i = 0; i < n; i++)
		CHECK(buf[i] == pat(i));
	CHECK(Bread(b, buf, 1) == 0);
	Bterm(b);
}

/* Writing at an offset after a seek, Bfildes, Binit on a given fd. */
static void
test_write_seek(void)
{
	Biobuf b;
	char buf[16];
	int fd;

	fd = create(tmpname("ws"), OWRITE, 0644);
	CHECK(fd >= 0);
	CHECK(Binit(&b, fd, OWRITE) == 0 && Bfildes(&b) == fd);
	Bprint(&b, "hello world");
	CHECK(Bseek(&b, 6, SEEKSET) == 6);
	Bprint(&b, "WORLD!");
	CHECK(Boffset(&b) == 12);
	CHECK(Bterm(&b) == 0);
	close(fd);
	fd = open(tmpname("ws"), OREAD);
	CHECK(fd >= 0 && readn(fd, buf, sizeof buf) == 12);
	close(fd);
	CHECK(memcmp(buf, "hello WORLD!", 12) == 0);
	CHECK(Binit(&b, 0, ORDWR) == Beof);
}

/* A pipe: short reads, no offsets, end of file from the writer. */
static void
test_pipe(void)
{
	Biobuf b;
	int p[2];
	char *s;

	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "one\ntw", 6) == 6);
	CHECK(Binit(&b, p[0], OREAD) == 0);
	s = Brdstr(&b, '\n', 1);
	CHECK(s != NULL && strcmp(s, "one") == 0);
	free(s);
	CHECK(write(p[1], "o\nthree", 7) == 7);
	close(p[1]);
	s = Brdstr(&b, '\n', 1);
	CHECK(s != NULL && strcmp(s, "two") == 0);
	free(s);
	s = Brdstr(&b, '\n', 1);
	CHECK(s != NULL && strcmp(s, "three") == 0 && Blinelen(&b) == 5);
	free(s);
	CHECK(Bgetc(&b) == Beof);
	Bterm(&b);
	close(p[0]);
}

static void
test_errors(void)
{
	Biobuf *b;

	CHECK(Bopen(tmpname("nonexistent"), OREAD) == NULL);
	b = Bfdopen(-1, OWRITE);
	CHECK(b != NULL);
	Bprint(b, "x");
	CHECK(Bflush(b) == Beof); /* the write failed */
	CHECK(Bterm(b) == 0);     /* nothing left to write */
}

static const HostTest tests[] = {
	{test_write, "bio.write"},
	{test_getc, "bio.getc"},
	{test_rdline, "bio.rdline"},
	{test_rdstr, "bio.rdstr"},
	{test_longline, "bio.longline"},
	{test_read_seek, "bio.read_seek"},
	{test_write_seek, "bio.write_seek"},
	{test_pipe, "bio.pipe"},
	{test_errors, "bio.errors"},
};

int
main(void)
{
	int r;

	strcpy(dir, "/tmp/test_bio.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	r = hosttest_run(tests, nelem(tests));
	remove(tmpname("pat"));
	remove(tmpname("long"));
	remove(tmpname("ws"));
	remove(dir);
	return r;
}
