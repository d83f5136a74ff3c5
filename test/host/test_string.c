/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libc/string.c.  Built with -DHOSTTEST, so the
 * library's functions are mu_memcpy etc. (see libc.h); the host C library
 * serves as a reference where one is needed.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "hosttest.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The host's versions, taken before libc.h renames the names to ours. */
static unsigned long (*host_strtoul)(const char *, char **, int) = strtoul;
static long (*host_strtol)(const char *, char **, int) = strtol;

#include "libc.h"


static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

/* Fill with a pattern that differs at every position and between calls. */
static void
pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

static void
test_memcpy(void)
{
	unsigned char src[600], dst[600], want[600];

	for (size_t n = 0; n < 300; n++)
		for (int so = 0; so < 8; so++)
			for (int doff = 0; doff < 8; doff++) {
				pattern(src, sizeof src, 1);
				pattern(dst, sizeof dst, 2);
				pattern(want, sizeof want, 2);
				for (size_t i = 0; i < n; i++)
					want[doff + i] = src[so + i];
				CHECK(memcpy(dst + doff, src + so, n) == dst + doff);
				for (size_t i = 0; i < sizeof dst; i++)
					CHECK(dst[i] == want[i]);
			}
}

static void
test_memmove(void)
{
	unsigned char buf[300], want[300], tmp[300];

	for (size_t n = 0; n < 100; n++)
		for (int from = 0; from < 100; from += 3)
			for (int to = 0; to < 100; to += 5) {
				pattern(buf, sizeof buf, 3);
				pattern(want, sizeof want, 3);
				for (size_t i = 0; i < n; i++)
					tmp[i] = want[from + i];
				for (size_t i = 0; i < n; i++)
					want[to + i] = tmp[i];
				CHECK(memmove(buf + to, buf + from, n) == buf + to);
				for (size_t i = 0; i < sizeof buf; i++)
					CHECK(buf[i] == want[i]);
			}
}

static void
test_memset(void)
{
	unsigned char buf[400];

	for (size_t n = 0; n < 300; n++)
		for (int off = 0; off < 8; off++) {
			pattern(buf, sizeof buf, 4);
			CHECK(memset(buf + off, 0x1ab, n) == buf + off); /* stores 0xab */
			for (size_t i = 0; i < sizeof buf; i++) {
				unsigned char old = (unsigned char)(i * 7 + 4 * 13 + 1);
				CHECK(buf[i] == (i >= (size_t)off && i < off + n ? 0xab : old));
			}
		}
}

static void
test_memcmp(void)
{
	unsigned char a[64], b[64];

	pattern(a, sizeof a, 5);
	pattern(b, sizeof b, 5);
	CHECK(memcmp(a, b, sizeof a) == 0);
	CHECK(memcmp(a, b, 0) == 0);
	for (size_t i = 0; i < sizeof a; i++) {
		unsigned char old = a[i];
		a[i] = 0x10;
		b[i] = 0x11;
		CHECK(memcmp(a, b, sizeof a) < 0);
		CHECK(memcmp(b, a, sizeof a) > 0);
		CHECK(memcmp(a, b, i) == 0);
		a[i] = b[i] = old;
	}
	/* Bytes compare as unsigned char. */
	a[0] = 0x80;
	b[0] = 0x01;
	CHECK(memcmp(a, b, 1) > 0);
}

static void
test_strlen(void)
{
	char s[100];

	CHECK(strlen("") == 0);
	CHECK(strlen("abc") == 3);
	for (int i = 0; i < 99; i++) {
		s[i] = 'x';
		s[i + 1] = 0;
		CHECK(strlen(s) == (size_t)i + 1);
	}
	CHECK(strnlen("abc", 0) == 0);
	CHECK(strnlen("abc", 2) == 2);
	CHECK(strnlen("abc", 3) == 3);
	CHECK(strnlen("abc", 100) == 3);
	/* strnlen must not look past max: an unterminated array. */
	char u[4] = {'a', 'b', 'c', 'd'};
	CHECK(strnlen(u, 4) == 4);
}

static void
test_strcmp(void)
{
	CHECK(strcmp("", "") == 0);
	CHECK(strcmp("abc", "abc") == 0);
	CHECK(strcmp("abc", "abd") < 0);
	CHECK(strcmp("abd", "abc") > 0);
	CHECK(strcmp("ab", "abc") < 0);
	CHECK(strcmp("abc", "ab") > 0);
	CHECK(strcmp("\x80", "\x01") > 0);
	CHECK(strncmp("abc", "abd", 2) == 0);
	CHECK(strncmp("abc", "abd", 3) < 0);
	CHECK(strncmp("abc", "xyz", 0) == 0);
	CHECK(strncmp("ab", "abc", 5) < 0);
	CHECK(strncmp("abc", "abc", 100) == 0);
	CHECK(sign(strncmp("\xff", "a", 1)) == 1);
}

static void
test_strcpy(void)
{
	char buf[16];

	memset(buf, 'z', sizeof buf);
	CHECK(strcpy(buf, "hello") == buf);
	CHECK(strcmp(buf, "hello") == 0 && buf[6] == 'z');
	CHECK(strcpy(buf, "") == buf && buf[0] == 0 && buf[1] == 'e');
}

static void
test_strlcpy(void)
{
	char buf[8];

	memset(buf, 'z', sizeof buf);
	CHECK(strlcpy(buf, "hello", 0) == 5 && buf[0] == 'z');
	CHECK(strlcpy(buf, "hello", 1) == 5 && buf[0] == 0 && buf[1] == 'z');
	CHECK(strlcpy(buf, "hello", 3) == 5 && strcmp(buf, "he") == 0);
	CHECK(strlcpy(buf, "hello", 6) == 5 && strcmp(buf, "hello") == 0);
	CHECK(strlcpy(buf, "hello world", sizeof buf) == 11 && strcmp(buf, "hello w") == 0);
	CHECK(strlcpy(buf, "", sizeof buf) == 0 && buf[0] == 0);
}

static void
test_strlcat(void)
{
	char buf[8];

	strcpy(buf, "ab");
	CHECK(strlcat(buf, "cd", sizeof buf) == 4 && strcmp(buf, "abcd") == 0);
	CHECK(strlcat(buf, "efghij", sizeof buf) == 10 && strcmp(buf, "abcdefg") == 0);
	CHECK(strlcat(buf, "x", sizeof buf) == 8 && strcmp(buf, "abcdefg") == 0);
	strcpy(buf, "ab");
	CHECK(strlcat(buf, "cd", 0) == 2 && strcmp(buf, "ab") == 0);
	CHECK(strlcat(buf, "cd", 2) == 4 && strcmp(buf, "ab") == 0);
	CHECK(strlcat(buf, "cd", 3) == 4 && strcmp(buf, "ab") == 0);
	CHECK(strlcat(buf, "cd", 4) == 4 && strcmp(buf, "abc") == 0);
	/* dst not terminated within n: left alone. */
	memset(buf, 'q', sizeof buf);
	CHECK(strlcat(buf, "abc", 4) == 7 && buf[3] == 'q' && buf[4] == 'q');
}

static void
test_strchr(void)
{
	const char *s = "hello, world";

	CHECK(strchr(s, 'o') == s + 4);
	CHECK(strrchr(s, 'o') == s + 8);
	CHECK(strchr(s, 'h') == s && strrchr(s, 'h') == s);
	CHECK(strchr(s, 'z') == NULL && strrchr(s, 'z') == NULL);
	CHECK(strchr(s, 0) == s + 12 && strrchr(s, 0) == s + 12);
	CHECK(strchr("", 'a') == NULL && strrchr("", 'a') == NULL);
	CHECK(strchr("a\xe9", 0xe9) != NULL); /* c converts to char */
	CHECK(strchr(s, 'o' + 256) == s + 4);
}

static void
test_strstr(void)
{
	const char *s = "aaabaab";

	CHECK(strstr(s, "") == s);
	CHECK(strstr(s, "a") == s);
	CHECK(strstr(s, "aab") == s + 1);
	CHECK(strstr(s, "baab") == s + 3);
	CHECK(strstr(s, "aabb") == NULL);
	CHECK(strstr(s, "aaabaabx") == NULL);
	CHECK(strstr(s, s) == s);
	CHECK(strstr("", "a") == NULL);
	CHECK(strstr("", "") != NULL);
}

static void
test_strtoul(void)
{
	char *end;
	const char *s;

	CHECK(strtoul("123", &end, 10) == 123 && *end == 0);
	CHECK(strtoul(" \t\n+42x", &end, 10) == 42 && *end == 'x');
	CHECK(strtoul("0x1f", &end, 0) == 31 && *end == 0);
	CHECK(strtoul("0X1F", &end, 16) == 31 && *end == 0);
	CHECK(strtoul("1f", &end, 16) == 31 && *end == 0);
	CHECK(strtoul("077", &end, 0) == 63 && *end == 0);
	CHECK(strtoul("089", &end, 0) == 0 && *end == '8');
	CHECK(strtoul("zz", &end, 36) == 36 * 35 + 35 && *end == 0);
	CHECK(strtoul("0", &end, 0) == 0 && *end == 0);
	CHECK(strtoul("-1", &end, 10) == ULONG_MAX && *end == 0);
	CHECK(strtoul("18446744073709551615", &end, 10) == ULONG_MAX && *end == 0);
	CHECK(strtoul("18446744073709551616", &end, 10) == ULONG_MAX && *end == 0);
	CHECK(strtoul("999999999999999999999999", &end, 10) == ULONG_MAX && *end == 0);
	CHECK(strtoul("101", NULL, 2) == 5);
	/* "0x" without a hex digit is the number 0 followed by "x". */
	s = "0xg";
	CHECK(strtoul(s, &end, 16) == 0 && end == s + 1);
	s = "0x";
	CHECK(strtoul(s, &end, 0) == 0 && end == s + 1);
	/* No digits: end is the string itself, not past the space or sign. */
	s = "  -abc";
	CHECK(strtoul(s, &end, 10) == 0 && end == s);
	s = "";
	CHECK(strtoul(s, &end, 10) == 0 && end == s);
	s = "12";
	CHECK(strtoul(s, &end, 1) == 0 && end == s);
	CHECK(strtoul(s, &end, 37) == 0 && end == s);
	CHECK(strtoul(s, &end, -2) == 0 && end == s);

	/* The host agrees on valid input. */
	static const char *const in[] = {
		"0", "7", " 12345", "-7", "+0x7fffffffffffffff", "0777", "0xffffffffffffffff",
		"0x10000000000000000", "4294967296", "-18446744073709551615", "  0x", "9z", "-",
	};
	static const int bases[] = {0, 8, 10, 16, 36};
	for (size_t i = 0; i < nelem(in); i++)
		for (size_t b = 0; b < nelem(bases); b++) {
			char *e1, *e2;
			CHECK(strtoul(in[i], &e1, bases[b]) == host_strtoul(in[i], &e2, bases[b]));
			CHECK(e1 == e2);
		}
}

static void
test_strtol(void)
{
	char *end;

	CHECK(strtol("-123", &end, 10) == -123 && *end == 0);
	CHECK(strtol("-0x10", &end, 16) == -16 && *end == 0);
	CHECK(strtol("9223372036854775807", &end, 10) == LONG_MAX);
	CHECK(strtol("9223372036854775808", &end, 10) == LONG_MAX && *end == 0);
	CHECK(strtol("-9223372036854775808", &end, 10) == LONG_MIN);
	CHECK(strtol("-9223372036854775809", &end, 10) == LONG_MIN && *end == 0);
	CHECK(strtol("-99999999999999999999999", &end, 10) == LONG_MIN);
	CHECK(strtol("0x8000000000000000", NULL, 0) == LONG_MAX);
	CHECK(atoi("42") == 42);
	CHECK(atoi("  -7x") == -7);
	CHECK(atoi("x") == 0);

	static const char *const in[] = {
		"0", "-0", " -12345", "+77", "0x7fffffffffffffff", "-0x8000000000000000",
		"-0x8000000000000001", "0777", "-", "z",
	};
	static const int bases[] = {0, 8, 10, 16, 36};
	for (size_t i = 0; i < nelem(in); i++)
		for (size_t b = 0; b < nelem(bases); b++) {
			char *e1, *e2;
			CHECK(strtol(in[i], &e1, bases[b]) == host_strtol(in[i], &e2, bases[b]));
			CHECK(e1 == e2);
		}
}

/*
 * strlen and strnlen go a word at a time (and strcpy uses strlen): every
 * start alignment and length against a byte loop, with 0x01 and 0x80 bytes
 * (the edge cases of the zero-byte test) and the target byte placed
 * before, at and after the end.
 */
static void
test_wordwise(void)
{
	char buf[96], dst[96];

	for (int off = 0; off < 16; off++)
		for (int len = 0; len < 40; len++) {
			for (int i = 0; i < (int)sizeof buf; i++)
				buf[i] = (char)("\x01\x80\xff/ab"[i % 6]);
			char *s = buf + off;
			s[len] = 0;
			CHECK(strlen(s) == (size_t)len);
			for (size_t max = 0; max < 48; max += 1)
				CHECK(strnlen(s, max) == (max < (size_t)len ? max : (size_t)len));
			CHECK(strnlen(s, (size_t)-1) == (size_t)len);
			memset(dst, 'z', sizeof dst);
			CHECK(strcpy(dst + 3, s) == dst + 3);
			CHECK(memcmp(dst + 3, s, len + 1) == 0 && dst[3 + len + 1] == 'z');
			int cs[] = {'/', 'a', 0x80, 0xff, 1, 0, 'q'};
			for (size_t k = 0; k < nelem(cs); k++) {
				char *want = NULL;
				for (int i = 0; i <= len; i++)
					if (s[i] == (char)cs[k]) {
						want = s + i;
						break;
					}
				CHECK(strchr(s, cs[k]) == want);
			}
			/* a match just before the start does not count */
			if (off > 0) {
				s[-1] = 'q';
				CHECK(strchr(s, 'q') == NULL);
			}
		}
}

/* A string that ends at the last byte of a page, the next page unmapped. */
static void
test_pageend(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(mprotect(p + pg, pg, PROT_NONE) == 0);
	memset(p, 'x', pg);
	for (int len = 0; len < 20; len++) {
		char *s = p + pg - 1 - len;
		s[len] = 0;
		CHECK(strlen(s) == (size_t)len);
		CHECK(strnlen(s, 100) == (size_t)len);
		CHECK(strchr(s, 'y') == NULL);
		s[len] = 'x';
		CHECK(strnlen(p + pg - len, len) == (size_t)len); /* unterminated, up to the edge */
	}
	munmap(p, 2 * pg);
}

static const HostTest tests[] = {
	{test_wordwise, "wordwise"},
	{test_pageend, "pageend"},
	{test_memcpy, "memcpy"},
	{test_memmove, "memmove"},
	{test_memset, "memset"},
	{test_memcmp, "memcmp"},
	{test_strlen, "strlen"},
	{test_strcmp, "strcmp"},
	{test_strcpy, "strcpy"},
	{test_strlcpy, "strlcpy"},
	{test_strlcat, "strlcat"},
	{test_strchr, "strchr"},
	{test_strstr, "strstr"},
	{test_strtoul, "strtoul"},
	{test_strtol, "strtol"},
};

int
main(void)
{
	return hosttest_run(tests, nelem(tests));
}
