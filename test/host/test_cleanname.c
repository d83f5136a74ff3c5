/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libc/cleanname.c: a table of names and their
 * clean forms, each also checked to be already clean (cleaning twice
 * changes nothing) and not to write past the input's terminator.
 */
#include "hosttest.h"
#include <string.h>

#include "libc.h"

static const struct {
	const char *in, *want;
} cases[] = {
	/* Already clean. */
	{"", "."},
	{".", "."},
	{"/", "/"},
	{"a", "a"},
	{"abc", "abc"},
	{"/a", "/a"},
	{"a/b/c", "a/b/c"},
	{"/a/b/c", "/a/b/c"},
	{"..", ".."},
	{"../..", "../.."},
	{"../../a", "../../a"},
	{"...", "..."},
	{"/.../a", "/.../a"},
	{".a/..b/b..", ".a/..b/b.."},
	/* Slashes. */
	{"//", "/"},
	{"///a", "/a"},
	{"a//b", "a/b"},
	{"a///b////c", "a/b/c"},
	{"a/", "a"},
	{"a//", "a"},
	{"/a/b/", "/a/b"},
	{"a/b//", "a/b"},
	/* Dot. */
	{"./", "."},
	{"/.", "/"},
	{"/./", "/"},
	{"./a", "a"},
	{"a/.", "a"},
	{"a/./b", "a/b"},
	{"././a/./././b/.", "a/b"},
	{"/./a/./b/./", "/a/b"},
	{"./.", "."},
	{"./..", ".."},
	/* Dot-dot. */
	{"a/..", "."},
	{"a/../", "."},
	{"a/b/..", "a"},
	{"a/b/../c", "a/c"},
	{"a/b/../../c", "c"},
	{"a/b/../../..", ".."},
	{"a/b/../../../c", "../c"},
	{"a/../..", ".."},
	{"../a/..", ".."},
	{"../a/../..", "../.."},
	{"../a/b/../../c", "../c"},
	{"../../a/../b", "../../b"},
	{"a/../../b/../..", "../.."},
	{"./../a", "../a"},
	/* Dot-dot at the root. */
	{"/..", "/"},
	{"/../", "/"},
	{"/../..", "/"},
	{"/../a", "/a"},
	{"/a/..", "/"},
	{"/a/../..", "/"},
	{"/a/../../b", "/b"},
	{"/a/b/../..", "/"},
	{"/a/b/../../..", "/"},
	{"//../a//b/./../c/", "/a/c"},
	{"/a/./b/../../c/d/../e", "/c/e"},
	/* Names that look like dots but are not. */
	{"a/...", "a/..."},
	{"a/.../..", "a"},
	{"a/..b/..", "a"},
	{"a/b../..", "a"},
	{"/.a/../b", "/b"},
	{"abc/def/../../ghi/./jkl", "ghi/jkl"},
};

static void
test_table(void)
{
	for (size_t i = 0; i < nelem(cases); i++) {
		char buf[64];
		size_t n = strlen(cases[i].in);

		memset(buf, 'z', sizeof buf);
		memcpy(buf, cases[i].in, n + 1);
		CHECKF(cleanname(buf) == buf, "cleanname(\"%s\") result", cases[i].in);
		CHECKF(strcmp(buf, cases[i].want) == 0, "cleanname(\"%s\") = \"%s\", want \"%s\"",
		       cases[i].in, buf, cases[i].want);
		/* "" becomes "." and so may take one more byte; no other grows. */
		for (size_t j = (n > 1 ? n : 1) + 1; j < sizeof buf; j++)
			CHECKF(buf[j] == 'z', "cleanname(\"%s\") wrote past the end", cases[i].in);
	}
}

static void
test_idempotent(void)
{
	for (size_t i = 0; i < nelem(cases); i++) {
		char buf[64];

		strcpy(buf, cases[i].want);
		cleanname(buf);
		CHECKF(strcmp(buf, cases[i].want) == 0, "cleanname(\"%s\") = \"%s\"", cases[i].want,
		       buf);
	}
}

/* Long names of many elements, built and checked without a table. */
static void
test_long(void)
{
	char buf[4096], want[4096];

	/* "/a/b/a/b/..." with ".." after every second element. */
	buf[0] = 0;
	want[0] = 0;
	for (int i = 0; i < 200; i++) {
		strcat(buf, "/x/y/..");
		strcat(want, "/x");
	}
	cleanname(buf);
	CHECKF(strcmp(buf, want) == 0, "long: got %.40s...", buf);

	/* 1000 slashes. */
	memset(buf, '/', 1000);
	buf[1000] = 0;
	cleanname(buf);
	CHECKF(strcmp(buf, "/") == 0, "slashes: got %.40s", buf);

	/* 300 leading ".." elements of a relative name stay. */
	buf[0] = 0;
	want[0] = 0;
	for (int i = 0; i < 300; i++) {
		strcat(buf, i ? "/./../" : "..");
		strcat(want, i ? "/.." : "..");
	}
	cleanname(buf);
	CHECKF(strcmp(buf, want) == 0, "dotdots: got %.40s...", buf);
}

/*
 * isclean against cleanname: every name of up to 7 characters from
 * "/", "." and "a".  A rooted name is clean exactly when cleanname
 * leaves it as it is; other names are never called clean.
 */
static void
test_isclean(void)
{
	const char al[] = "/.a";
	char name[8], buf[8];

	for (int len = 0; len <= 7; len++) {
		int total = 1;
		for (int i = 0; i < len; i++)
			total *= 3;
		for (int k = 0; k < total; k++) {
			for (int i = 0, v = k; i < len; i++, v /= 3)
				name[i] = al[v % 3];
			name[len] = 0;
			strcpy(buf, name);
			cleanname(buf);
			int same = strcmp(buf, name) == 0;
			CHECK(isclean(name) == (name[0] == '/' && same));
		}
	}
	CHECK(isclean("/tmp/50") && isclean("/") && isclean("/a/b.c/..d"));
	CHECK(!isclean("/tmp/") && !isclean("/tmp//50") && !isclean("/tmp/./50") && !isclean("tmp"));
}

static const HostTest tests[] = {
	{test_isclean, "isclean"},
	{test_table, "cleanname.table"},
	{test_idempotent, "cleanname.idempotent"},
	{test_long, "cleanname.long"},
};

int
main(void)
{
	return hosttest_run(tests, nelem(tests));
}
