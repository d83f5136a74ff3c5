/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libc/str9.c (tokenize, getfields, qsort,
 * strtoll, readn), fmtfd.c (fprint, smprint) and time9.c (gmtime against
 * the host's, asctime's format).  Linked with the POSIX shim (libp9.a),
 * so the file defines HOSTP9 to see libc.h's Plan 9 part.
 */
#define _POSIX_C_SOURCE 200809L
#include "hosttest.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#define HOSTP9 1
#include "libc.h"

static void
test_tokenize(void)
{
	static const struct {
		const char *in;
		int n;
		const char *want[4];
	} cases[] = {
		{"", 0, {0}},
		{"   \t\n", 0, {0}},
		{"a", 1, {"a"}},
		{"  a  b\tc\n", 3, {"a", "b", "c"}},
		{"'a b' c", 2, {"a b", "c"}},
		{"x'a b'y z", 2, {"xa by", "z"}},
		{"'it''s' ok", 2, {"it's", "ok"}},
		{"''", 1, {""}},
		{"'' a", 2, {"", "a"}},
		{"'unterminated x", 1, {"unterminated x"}},
		{"a'' b", 2, {"a", "b"}},
	};
	for (size_t i = 0; i < nelem(cases); i++) {
		char buf[64], *args[8];
		int n;

		strcpy(buf, cases[i].in);
		n = tokenize(buf, args, nelem(args));
		CHECKF(n == cases[i].n, "tokenize(\"%s\") = %d, want %d", cases[i].in, n, cases[i].n);
		for (int j = 0; j < n; j++)
			CHECKF(strcmp(args[j], cases[i].want[j]) == 0, "tokenize(\"%s\")[%d] = \"%s\"",
			       cases[i].in, j, args[j]);
	}
}

static void
test_tokenize_max(void)
{
	char buf[] = "a b c d";
	char *args[2];

	CHECK(tokenize(buf, args, 2) == 2);
	CHECK(strcmp(args[0], "a") == 0 && strcmp(args[1], "b") == 0);
	CHECK(tokenize(buf, args, 0) == 0);
}

static void
test_getfields(void)
{
	static const struct {
		const char *in;
		int multi, max, n;
		const char *want[5];
	} cases[] = {
		{"", 0, 5, 1, {""}},
		{"", 1, 5, 0, {0}},
		{"a:b:c", 0, 5, 3, {"a", "b", "c"}},
		{"a::b", 0, 5, 3, {"a", "", "b"}},
		{"a::b", 1, 5, 2, {"a", "b"}},
		{":a:", 0, 5, 3, {"", "a", ""}},
		{"::a::", 1, 5, 1, {"a"}},
		{"a:b:c:d", 0, 2, 2, {"a", "b:c:d"}},
		{"a b\tc", 1, 5, 3, {"a", "b", "c"}},
	};
	for (size_t i = 0; i < nelem(cases); i++) {
		char buf[64], *args[5];
		int n;

		strcpy(buf, cases[i].in);
		n = getfields(buf, args, cases[i].max, cases[i].multi, ": \t");
		CHECKF(n == cases[i].n, "getfields(\"%s\", %d) = %d, want %d", cases[i].in,
		       cases[i].multi, n, cases[i].n);
		for (int j = 0; j < n; j++)
			CHECKF(strcmp(args[j], cases[i].want[j]) == 0, "getfields(\"%s\")[%d] = \"%s\"",
			       cases[i].in, j, args[j]);
	}
}

static int
cmpint(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

typedef struct Rec {
	char key[3];
	int v;
} Rec;

static int
cmprec(const void *a, const void *b)
{
	return cmpint(&((const Rec *)a)->v, &((const Rec *)b)->v);
}

static void
test_qsort(void)
{
	static int a[1000], count[64];
	static Rec r[257];

	srand(1);
	for (size_t n = 0; n < nelem(a); n = n * 2 + 1) {
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < n; i++) {
			a[i] = rand() % 64;
			count[a[i]]++;
		}
		qsort(a, n, sizeof a[0], cmpint);
		for (size_t i = 0; i + 1 < n; i++)
			CHECKF(a[i] <= a[i + 1], "n %zu: a[%zu] %d > %d", n, i, a[i], a[i + 1]);
		for (size_t i = 0; i < n; i++)
			count[a[i]]--;
		for (int i = 0; i < 64; i++)
			CHECKF(count[i] == 0, "n %zu: value %d lost or gained", n, i);
	}
	/* Elements of an odd size, sorted descending input. */
	for (size_t i = 0; i < nelem(r); i++) {
		r[i].v = nelem(r) - i;
		r[i].key[0] = 'a' + i % 26;
	}
	qsort(r, nelem(r), sizeof r[0], cmprec);
	for (size_t i = 0; i < nelem(r); i++)
		CHECKF(r[i].v == (int)i + 1 && r[i].key[0] == 'a' + (int)(nelem(r) - 1 - i) % 26,
		       "rec %zu = %d", i, r[i].v);
}

static void
test_strtoll(void)
{
	char *e;

	CHECK(strtoll("-9223372036854775808", &e, 10) == (-9223372036854775807L - 1) && *e == 0);
	CHECK(strtoll("9223372036854775807", NULL, 10) == 9223372036854775807L);
	CHECK(strtoll("0x10z", &e, 0) == 16 && *e == 'z');
	CHECK(strtoll("99999999999999999999", NULL, 10) == 9223372036854775807L);
	CHECK(utfrune("abc", 'b') != NULL && utfrune("abc", 'x') == NULL);
}

static void
test_strdup(void)
{
	char *s = strdup("hello");

	CHECK(s != NULL && strcmp(s, "hello") == 0);
	free(s);
}

static void
test_smprint(void)
{
	char *s, want[3000];

	s = smprint("%s-%d-%05x", "ab", -12, 0x1f);
	CHECK(s != NULL && strcmp(s, "ab--12-0001f") == 0);
	free(s);
	s = smprint("%s", "");
	CHECK(s != NULL && s[0] == 0);
	free(s);
	/* Long results grow the block several times. */
	memset(want, 'x', 2999);
	want[2999] = 0;
	s = smprint("%s%s", want, "!");
	CHECK(s != NULL && strlen(s) == 3000 && s[2999] == '!' && strncmp(s, want, 2999) == 0);
	free(s);
	s = smprint("%2500d|", 7);
	CHECK(s != NULL && strlen(s) == 2501 && s[2498] == ' ' && s[2499] == '7');
	free(s);
}

static void
test_fprint_readn(void)
{
	char buf[3000], big[2100];
	int p[2];

	CHECK(pipe(p) == 0);
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK(fprint(p[1], "n=%d %s", 42, big) == (int)(5 + sizeof big - 1));
	close(p[1]);
	CHECK(readn(p[0], buf, sizeof buf) == (long)(5 + sizeof big - 1));
	CHECK(strncmp(buf, "n=42 yyy", 8) == 0);
	CHECK(readn(p[0], buf, sizeof buf) == 0);
	close(p[0]);
	CHECK(fprint(p[1], "x") < 0); /* closed fd */
}

static void
test_gmtime(void)
{
	static const long fixed[] = {
		0, -1, 86399, 86400, 951782400 /* 2000-02-29 */, 951868800, 4107542400 /* 2100-03-01 */,
		-2208988800 /* 1900-01-01 */, 1795262400, 2147483647, 2147483648, -86401,
		68256000000 /* 4133 */,
	};
	srand(2);
	for (int i = 0; i < 20000; i++) {
		long t = i < (int)nelem(fixed) ? fixed[i] : (long)(rand() - RAND_MAX / 2) * 97 + rand() % 97;
		time_t ht = t;
		struct tm h;
		Tm *m;

		gmtime_r(&ht, &h);
		m = gmtime(t);
		CHECKF(m->sec == h.tm_sec && m->min == h.tm_min && m->hour == h.tm_hour &&
		       m->mday == h.tm_mday && m->mon == h.tm_mon && m->year == h.tm_year &&
		       m->wday == h.tm_wday && m->yday == h.tm_yday,
		       "gmtime(%ld): %d-%d-%d %d:%d:%d wday %d yday %d", t, m->year + 1900, m->mon + 1,
		       m->mday, m->hour, m->min, m->sec, m->wday, m->yday);
		CHECK(strcmp(m->zone, "GMT") == 0);
	}
}

static void
test_asctime(void)
{
	CHECK(strcmp(ctime(1795262400), "Sat Nov 21 12:00:00 GMT 2026\n") == 0);
	CHECKF(strcmp(ctime(0), "Thu Jan 01 00:00:00 GMT 1970\n") == 0, "%s", ctime(0));
	CHECKF(strcmp(ctime(951782400 + 3723), "Tue Feb 29 01:02:03 GMT 2000\n") == 0, "%s",
	       ctime(951782400 + 3723));
	CHECK(strcmp(asctime(gmtime(-1)), "Wed Dec 31 23:59:59 GMT 1969\n") == 0);
}

static const HostTest tests[] = {
	{test_tokenize, "str9.tokenize"},
	{test_tokenize_max, "str9.tokenize_max"},
	{test_getfields, "str9.getfields"},
	{test_qsort, "str9.qsort"},
	{test_strtoll, "str9.strtoll"},
	{test_strdup, "str9.strdup"},
	{test_smprint, "fmtfd.smprint"},
	{test_fprint_readn, "fmtfd.fprint_readn"},
	{test_gmtime, "time9.gmtime"},
	{test_asctime, "time9.asctime"},
};

int
main(void)
{
	return hosttest_run(tests, nelem(tests));
}
