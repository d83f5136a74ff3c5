/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libc/fmt.c: each format is checked against the
 * host's vsnprintf where C defines the same result, and against fixed
 * strings where Musubi differs (truncated counts, <nil>, flushing).
 */
#include "hosttest.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libc.h"

/*
 * The tests format into short buffers on purpose and use flags C calls
 * redundant (which it still defines), and test_odd invalid formats.
 */
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-overflow"

#define FAIL(...)                                               \
	do {                                                    \
		snprintf(failmsg, sizeof failmsg, __VA_ARGS__); \
		return;                                         \
	} while (0)

/*
 * Format with both ours and the host's; on a difference record it and
 * return false.  Used through SAME() so that failures name the line.
 */
static bool __attribute__((format(printf, 2, 3)))
same_(int line, const char *fmt, ...)
{
	char ours[512], host[512];
	va_list ap, aq;
	int n, hn;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprint(ours, sizeof ours, fmt, ap);
	hn = vsnprintf(host, sizeof host, fmt, aq);
	va_end(aq);
	va_end(ap);
	if (n != hn || strcmp(ours, host) != 0) {
		snprintf(failmsg, sizeof failmsg, "%s:%d: \"%s\" gave \"%s\" (%d), host \"%s\" (%d)",
			 __FILE__, line, fmt, ours, n, host, hn);
		return false;
	}
	return true;
}
#define SAME(...)                               \
	do {                                    \
		if (!same_(__LINE__, __VA_ARGS__)) \
			return;                 \
	} while (0)

/* Ours alone, against the expected text and count. */
static bool __attribute__((format(printf, 3, 4)))
want_(int line, const char *want, const char *fmt, ...)
{
	char ours[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprint(ours, sizeof ours, fmt, ap);
	va_end(ap);
	if (n != (int)strlen(want) || strcmp(ours, want) != 0) {
		snprintf(failmsg, sizeof failmsg, "%s:%d: \"%s\" gave \"%s\" (%d), want \"%s\"",
			 __FILE__, line, fmt, ours, n, want);
		return false;
	}
	return true;
}
#define WANT(...)                               \
	do {                                    \
		if (!want_(__LINE__, __VA_ARGS__)) \
			return;                 \
	} while (0)

static void
test_plain(void)
{
	SAME("");
	SAME("hello, world");
	SAME("100%%");
	SAME("%%d");
	SAME("a%cb", 'x');
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void
test_int(void)
{
	static const int v[] = {0, 1, -1, 7, -42, 1234567, INT_MAX, INT_MIN};

	for (size_t i = 0; i < nelem(v); i++) {
		SAME("%d|%i|%u|%x|%X|%o", v[i], v[i], v[i], v[i], v[i], v[i]);
		SAME("[%5d][%-5d][%05d][%-05d][%+d][% d][%+ d]", v[i], v[i], v[i], v[i], v[i], v[i], v[i]);
		SAME("[%.3d][%.0d][%8.3d][%08.3d][%-8.3d][%.12d]", v[i], v[i], v[i], v[i], v[i], v[i]);
		SAME("[%#x][%#X][%#o][%#.0o][%#10x][%#010x][%#-10o]", v[i], v[i], v[i], v[i], v[i], v[i], v[i]);
		SAME("[%.0x][%.0o][%.0u][%5.0d][%+u][% x]", v[i], v[i], v[i], v[i], v[i], v[i]);
		SAME("[%*d][%-*d][%*d][%.*d][%.*d]", 6, v[i], 6, v[i], -6, v[i], 4, v[i], -3, v[i]);
		SAME("[%20.15d][%-+20.15d]", v[i], v[i]);
	}
}

#pragma GCC diagnostic pop

static void
test_length(void)
{
	static const long long v[] = {0, -1, 1, 255, 256, 65535, 65536, 70000, -70000, 300,
				      LLONG_MAX, LLONG_MIN, (long long)INT_MAX + 1};

	for (size_t i = 0; i < nelem(v); i++) {
		long long x = v[i];
		SAME("%hhd %hhu %hhx %hd %hu %hx", (int)x, (int)x, (int)x, (int)x, (int)x, (int)x);
		SAME("%ld %lu %lx %lo %lX", (long)x, (unsigned long)x, (unsigned long)x,
		     (unsigned long)x, (unsigned long)x);
		SAME("%lld %llu %llx %llo %#llx", x, (unsigned long long)x, (unsigned long long)x,
		     (unsigned long long)x, (unsigned long long)x);
		SAME("%zd %zu %zx", (ssize_t)x, (size_t)x, (size_t)x);
		SAME("%jd %ju %td", (intmax_t)x, (uintmax_t)x, (ptrdiff_t)x);
		SAME("[%30lld][%-30llu][%030llx]", x, (unsigned long long)x, (unsigned long long)x);
	}
	SAME("%lu %llo", ULONG_MAX, ULLONG_MAX);
	SAME("%ld %ld", LONG_MIN, LONG_MAX);
}

static void
test_str(void)
{
	const char *s = "musubi";

	SAME("[%s][%10s][%-10s][%.3s][%10.2s][%-10.2s]", s, s, s, s, s, s);
	SAME("[%.*s][%.*s][%.*s][%*s]", 2, s, 0, s, -1, s, -8, s);
	SAME("[%.10s][%s][%5s][%.0s]", s, "", "", s);
	SAME("[%c][%5c][%-5c][%c]", 'a', 'b', 'c', 255);
	WANT("<nil>", "%s", (char *)NULL);
	WANT("[  <nil>]", "[%7s]", (char *)NULL);
	/* Precision bounds how much is read: an unterminated array is fine. */
	char u[3] = {'a', 'b', 'c'};
	WANT("abc", "%.3s", u);
	WANT("ab", "%.*s", 2, u);
}

static void
test_ptr(void)
{
	int x;
	void *p = &x;

	SAME("%p", p);
	SAME("[%20p][%-20p]", p, p);
	SAME("%p", (void *)1);
	SAME("%p", (void *)~0ul);
	WANT("0x0", "%p", NULL);
	WANT("[     0x0]", "[%8p]", NULL);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void
test_odd(void)
{
	char buf[16];

	/* Not a verb: shown as it is.  A lone % at the end is dropped. */
	WANT("%y", "%y");
	WANT("%ly!", "%ly!");
	WANT("ab", "ab%");
	WANT("ab", "ab%-5");
	/* %c of NUL stores a NUL and counts it. */
	CHECK(snprint(buf, sizeof buf, "a%cb", 0) == 3);
	CHECK(buf[0] == 'a' && buf[1] == 0 && buf[2] == 'b' && buf[3] == 0);
	/* Widths are clamped, so a huge one ends and is truncated. */
	CHECK(snprint(buf, sizeof buf, "%999999999d", 1) == 15);
	CHECK(snprint(buf, sizeof buf, "%*d", INT_MIN, 1) == 15);
	CHECK(snprint(buf, sizeof buf, "%-*d|", INT_MIN, 1) == 15 && buf[0] == '1');
	CHECK(snprint(buf, sizeof buf, "%.*d", INT_MAX, 1) == 15 && buf[14] == '0');
}

#pragma GCC diagnostic pop

static void
test_trunc(void)
{
	char buf[16];

	memset(buf, 'z', sizeof buf);
	CHECK(snprint(buf, 0, "hello") == 0 && buf[0] == 'z');
	CHECK(snprint(buf, 1, "hello") == 0 && buf[0] == 0 && buf[1] == 'z');
	CHECK(snprint(buf, 5, "hello world") == 4 && strcmp(buf, "hell") == 0 && buf[5] == 'z');
	CHECK(snprint(buf, 6, "hello") == 5 && strcmp(buf, "hello") == 0);
	CHECK(snprint(buf, 6, "%d", -123456789) == 5 && strcmp(buf, "-1234") == 0);
	CHECK(snprint(buf, 4, "%10s", "x") == 3 && strcmp(buf, "   ") == 0);
	CHECK(snprint(NULL, 0, "%d", 5) == 0);
	/* Every size: a prefix of the full text, NUL-terminated, no overrun. */
	const char *full = "0x2a -7 <str>  end";
	for (size_t n = 1; n <= strlen(full) + 2; n++) {
		char *b = malloc(n);
		int r = snprint(b, n, "%#x %d <%s> %4s", 42, -7, "str", "end");
		size_t want = n - 1 < strlen(full) ? n - 1 : strlen(full);
		CHECK(r == (int)want && strlen(b) == want && strncmp(b, full, want) == 0);
		free(b);
	}
}

/* A flush that appends the buffer to a growing string in farg. */
typedef struct Sink {
	char out[4096];
	size_t n;
	int flushes;
	int limit; /* fail the flush after this many; -1: never */
} Sink;

static int
sinkflush(Fmt *f)
{
	Sink *s = f->farg;
	size_t n = f->p - f->buf;

	if (s->limit >= 0 && s->flushes >= s->limit)
		return -1;
	s->flushes++;
	if (s->n + n > sizeof s->out)
		return -1;
	memcpy(s->out + s->n, f->buf, n);
	s->n += n;
	return 0;
}

static void
test_flush(void)
{
	static Sink s;
	char small[7], want[4096];
	Fmt f;
	int n, hn;

	/* A long output through a 7-byte buffer arrives whole, in pieces. */
	memset(&s, 0, sizeof s);
	s.limit = -1;
	fmtinit(&f, small, sizeof small, sinkflush, &s);
	n = fmtprint(&f, "%s=%d; %-20s|%x", "a long key", 12345, "left", 0xdeadbeef);
	n += fmtprint(&f, " and %s", "more");
	sinkflush(&f);
	hn = snprintf(want, sizeof want, "%s=%d; %-20s|%x and %s", "a long key", 12345, "left",
		      0xdeadbeef, "more");
	CHECK(n == hn && s.n == (size_t)hn && memcmp(s.out, want, hn) == 0);
	CHECK(s.flushes >= hn / 7);

	/* A failing flush stops the output; the count says what was taken. */
	memset(&s, 0, sizeof s);
	s.limit = 2;
	fmtinit(&f, small, sizeof small, sinkflush, &s);
	n = fmtprint(&f, "%s", "abcdefghijklmnopqrstuvwxyz");
	CHECK(n == 21 && f.stop && s.n == 14 && memcmp(s.out, "abcdefghijklmn", 14) == 0);
	CHECK(fmtprint(&f, "more") == 0);

	/* A zero-sized buffer with a flush cannot loop forever. */
	memset(&s, 0, sizeof s);
	s.limit = -1;
	fmtinit(&f, small, 0, sinkflush, &s);
	CHECK(fmtprint(&f, "%s", "abc") == 0 && f.stop);
}

static const HostTest tests[] = {
	{test_plain, "plain"},
	{test_int, "int"},
	{test_length, "length"},
	{test_str, "str"},
	{test_ptr, "ptr"},
	{test_odd, "odd"},
	{test_trunc, "trunc"},
	{test_flush, "flush"},
};

int
main(void)
{
	return hosttest_run(tests, nelem(tests));
}
