/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libc/regexp.c: a table of patterns, texts and
 * the expected match and submatch spans (leftmost-first, as Perl's and
 * Python's re, against which the table was checked); malformed patterns;
 * and patterns that would take exponential time in a backtracking matcher.
 */
#include "hosttest.h"
#include <string.h>
#include <time.h>

#include "libc.h"
#include "regexp.h"

enum { MaxSpan = 4 };

/*
 * span[] holds start,end offsets of match[0], match[1], ...: -1,-1 for a
 * group that took no part; a case with nspan 0 expects no match.
 */
static const struct {
	const char *re, *text;
	int nspan;
	int span[2 * MaxSpan];
} cases[] = {
	/* Literals and concatenation. */
	{"a", "a", 1, {0, 1}},
	{"a", "b", 0, {0}},
	{"abc", "xxabcxx", 1, {2, 5}},
	{"abc", "ababc", 1, {2, 5}},
	{"abc", "ab", 0, {0}},
	{"", "", 1, {0, 0}},
	{"", "abc", 1, {0, 0}},
	/* Any. */
	{"a.c", "abc", 1, {0, 3}},
	{"a.c", "a\nc", 1, {0, 3}},
	{"a.c", "ac", 0, {0}},
	{"...", "ab", 0, {0}},
	/* Classes. */
	{"[abc]", "xxbxx", 1, {2, 3}},
	{"[a-z]+", "ABCdefGH", 1, {3, 6}},
	{"[^a-z]+", "abcDEF12ghi", 1, {3, 8}},
	{"[a-cx-z]*", "abyzd", 1, {0, 4}},
	{"[]a]+", "x]a]b", 1, {1, 4}},
	{"[^]a]+", "]]bcd]", 1, {2, 5}},
	{"[a-]+", "x-a-b", 1, {1, 4}},
	{"[-a]+", "x-a-b", 1, {1, 4}},
	{"[\\]x]+", "a]x]", 1, {1, 4}},
	{"[.]", "abc.d", 1, {3, 4}},
	{"[*+?]+", "ab*+?c", 1, {2, 5}},
	{"[0-9][0-9]*", "abc 2026 x", 1, {4, 8}},
	/* Repetition, greedy. */
	{"a*", "aaab", 1, {0, 3}},
	{"a*", "baaa", 1, {0, 0}},
	{"a+", "baaa", 1, {1, 4}},
	{"ba?c", "bc", 1, {0, 2}},
	{"ba?c", "bac", 1, {0, 3}},
	{"ba?c", "baac", 0, {0}},
	{"a.*b", "xaxxbxxbx", 1, {1, 8}},
	{"ab+c", "abbbc", 1, {0, 5}},
	{"ab+c", "ac", 0, {0}},
	{"a**", "aa", 1, {0, 2}},
	{"a+?", "aa", 1, {0, 2}},
	/* Alternation: the first alternative that matches wins. */
	{"cat|dog", "hotdog", 1, {3, 6}},
	{"a|ab", "ab", 1, {0, 1}},
	{"ab|a", "ab", 1, {0, 2}},
	{"a|b|c", "xxc", 1, {2, 3}},
	{"a|", "b", 1, {0, 0}},
	{"|a", "a", 1, {0, 0}},
	{"x(a|ab)(c|bcd)", "xabcd", 3, {0, 5, 1, 2, 2, 5}},
	{"x(ab|a)(c|bcd)", "xabcd", 3, {0, 4, 1, 3, 3, 4}},
	/* Groups and submatches. */
	{"(a)(b)(c)", "abc", 4, {0, 3, 0, 1, 1, 2, 2, 3}},
	{"(a+)(b+)", "xaabbby", 3, {1, 6, 1, 3, 3, 6}},
	{"(a*)(a*)", "aaa", 3, {0, 3, 0, 3, 3, 3}},
	{"(a|b)*", "abab", 2, {0, 4, 3, 4}},
	{"(a(b)?)+", "aba", 3, {0, 3, 2, 3, 1, 2}},
	{"(x)?y", "y", 2, {0, 1, -1, -1}},
	{"(x)|(y)", "y", 3, {0, 1, -1, -1, 0, 1}},
	{"((a)|b)+", "ab", 3, {0, 2, 1, 2, 0, 1}},
	{"()", "abc", 2, {0, 0, 0, 0}},
	{"(a)()b", "ab", 3, {0, 2, 0, 1, 1, 1}},
	{"([a-z]+)@([a-z]+)\\.com", "mail bob@example.com now", 3, {5, 20, 5, 8, 9, 16}},
	{"(.*)/(.*)", "/usr/lib/x", 3, {0, 10, 0, 8, 9, 10}},
	{"a(b*)c", "ac", 2, {0, 2, 1, 1}},
	/* Anchors. */
	{"^abc", "abcabc", 1, {0, 3}},
	{"^abc", "xabc", 0, {0}},
	{"abc$", "abcabc", 1, {3, 6}},
	{"abc$", "abcx", 0, {0}},
	{"^$", "", 1, {0, 0}},
	{"^$", "a", 0, {0}},
	{"^a*$", "aaaa", 1, {0, 4}},
	{"^a*$", "aaba", 0, {0}},
	{"a^b", "ab", 0, {0}},
	{"(^a|b)+", "aab", 2, {0, 1, 0, 1}},
	{"x$|y", "xyx", 1, {1, 2}},
	{"$", "abc", 1, {3, 3}},
	/* Escapes. */
	{"a\\.c", "abc a.c", 1, {4, 7}},
	{"\\(\\)", "f()", 1, {1, 3}},
	{"\\*+", "a**b", 1, {1, 3}},
	{"\\\\", "a\\b", 1, {1, 2}},
	{"a\\|b", "a|b", 1, {0, 3}},
	{"\\^\\$", "x^$", 1, {1, 3}},
	{"a\\tb", "a\tb", 1, {0, 3}},
	{"[\\n]", "a\nb", 1, {1, 2}},
	/* Bytes above 127 are ordinary characters. */
	{"\xc3\xa9+", "caf\xc3\xa9", 1, {3, 5}},
	{"[\x80-\xff]+", "ab\xe2\x82\xac!", 1, {2, 5}},
	/* Leftmost: an earlier start beats a longer match. */
	{"b+|a+b+c", "aabbbc", 1, {0, 6}},
	{"bc|abcd", "abcd", 1, {0, 4}},
	{"(a+|b+)c", "bbaac", 2, {2, 5, 2, 4}},
};

static void
test_table(void)
{
	for (size_t i = 0; i < nelem(cases); i++) {
		const char *err = "?";
		Reprog *p = regcompe(cases[i].re, &err);
		Resub m[MaxSpan + 2];
		int r, want = cases[i].nspan > 0;

		CHECKF(p != NULL, "regcomp(\"%s\"): %s", cases[i].re, err);
		memset(m, 0x55, sizeof m);
		r = regexec(p, cases[i].text, m, MaxSpan + 2);
		regfree(p);
		CHECKF(r == want, "/%s/ on \"%s\": regexec %d, want %d", cases[i].re, cases[i].text,
		       r, want);
		for (int j = 0; j < cases[i].nspan; j++) {
			int ws = cases[i].span[2 * j], we = cases[i].span[2 * j + 1];
			const char *t = cases[i].text;
			int gs = m[j].sp ? (int)(m[j].sp - t) : -1;
			int ge = m[j].ep ? (int)(m[j].ep - t) : -1;

			CHECKF(gs == ws && ge == we, "/%s/ on \"%s\": match[%d] = %d,%d, want %d,%d",
			       cases[i].re, cases[i].text, j, gs, ge, ws, we);
		}
		/* Groups the pattern does not have come back empty. */
		if (want)
			for (int j = cases[i].nspan; j < MaxSpan + 2; j++)
				CHECKF(m[j].sp == NULL && m[j].ep == NULL, "/%s/: match[%d] set",
				       cases[i].re, j);
	}
}

/* Fewer Resubs than groups, and none at all. */
static void
test_nmatch(void)
{
	Reprog *p = regcomp("(a)(b)(c)");
	const char *t = "xabc";
	Resub m[2];

	CHECKF(p != NULL, "regcomp");
	CHECKF(regexec(p, t, NULL, 0) == 1, "nmatch 0");
	CHECKF(regexec(p, "xab", NULL, 0) == 0, "nmatch 0, no match");
	CHECKF(regexec(p, t, m, 1) == 1 && m[0].sp == t + 1 && m[0].ep == t + 4, "nmatch 1");
	CHECKF(regexec(p, t, m, 2) == 1 && m[1].sp == t + 1 && m[1].ep == t + 2, "nmatch 2");
	/* A failed search leaves match alone. */
	m[0].sp = m[0].ep = t;
	CHECKF(regexec(p, "abx", m, 2) == 0 && m[0].sp == t, "no match");
	regfree(p);
	regfree(NULL);
}

static const struct {
	const char *re, *err;
} bad[] = {
	{"(", "missing )"},
	{"(a", "missing )"},
	{"((a)", "missing )"},
	{"(a|b", "missing )"},
	{")", "unmatched )"},
	{"a)", "unmatched )"},
	{"(a))", "unmatched )"},
	{"[", "missing ]"},
	{"[a", "missing ]"},
	{"[]", "missing ]"},
	{"[^]", "missing ]"},
	{"[a-", "missing ]"},
	{"a[b-c", "missing ]"},
	{"\\", "trailing backslash"},
	{"ab\\", "trailing backslash"},
	{"[\\", "trailing backslash"},
	{"[a-\\", "trailing backslash"},
	{"*", "missing operand for repetition"},
	{"+a", "missing operand for repetition"},
	{"?", "missing operand for repetition"},
	{"a|*", "missing operand for repetition"},
	{"(*a)", "missing operand for repetition"},
	{"(+)", "missing operand for repetition"},
	{"^*", NULL}, /* ^ is an atom: "^*" is legal */
	{"[z-a]", "bad range in class"},
	{"[9-0]", "bad range in class"},
};

static void
test_malformed(void)
{
	for (size_t i = 0; i < nelem(bad); i++) {
		const char *err = NULL;
		Reprog *p = regcompe(bad[i].re, &err);

		if (bad[i].err == NULL) {
			CHECKF(p != NULL, "regcomp(\"%s\") failed: %s", bad[i].re, err);
			regfree(p);
			continue;
		}
		CHECKF(p == NULL, "regcomp(\"%s\") accepted", bad[i].re);
		CHECKF(err != NULL && strcmp(err, bad[i].err) == 0, "regcomp(\"%s\"): \"%s\", want \"%s\"",
		       bad[i].re, err ? err : "(nil)", bad[i].err);
		CHECKF(regcomp(bad[i].re) == NULL, "regcomp(\"%s\") accepted", bad[i].re);
	}
}

/* Limits: nesting depth, number of groups, pattern length. */
static void
test_limits(void)
{
	char re[REMAXLEN + 2];
	const char *err = NULL;
	Reprog *p;
	Resub m[1];
	int n;

	/* Nesting is bounded by the number of groups. */
	for (n = 0; n < 30; n++)
		re[n] = '(';
	re[n++] = 'a';
	for (int i = 0; i < 30; i++)
		re[n++] = ')';
	re[n] = 0;
	p = regcompe(re, &err);
	CHECKF(p != NULL, "30 nested groups: %s", err);
	CHECKF(regexec(p, "xa", m, 1) == 1 && m[0].ep - m[0].sp == 1, "30 nested groups");
	regfree(p);

	strcpy(re, "");
	for (n = 0; n < NSUBEXP; n++)
		strcat(re, "(a)");
	p = regcompe(re, &err);
	CHECKF(p == NULL && strcmp(err, "too many groups") == 0, "NSUBEXP groups accepted");

	memset(re, '(', 100);
	re[100] = 0;
	p = regcompe(re, &err);
	CHECKF(p == NULL && strcmp(err, "too many groups") == 0, "deep nesting accepted");

	/* Long lists and runs of operators compile without deep recursion. */
	for (n = 0; n < REMAXLEN - 1; n += 2) {
		re[n] = 'a';
		re[n + 1] = '|';
	}
	re[n - 1] = 0;
	p = regcompe(re, &err);
	CHECKF(p != NULL, "a|a|...: %s", err);
	CHECKF(regexec(p, "ba", m, 1) == 1 && m[0].ep - m[0].sp == 1, "a|a|...");
	regfree(p);
	re[0] = 'a';
	memset(re + 1, '*', REMAXLEN - 1);
	re[REMAXLEN] = 0;
	p = regcompe(re, &err);
	CHECKF(p != NULL, "a***...: %s", err);
	CHECKF(regexec(p, "aab", m, 1) == 1 && m[0].ep - m[0].sp == 2, "a***...");
	regfree(p);

	memset(re, 'a', REMAXLEN + 1);
	re[REMAXLEN + 1] = 0;
	p = regcompe(re, &err);
	CHECKF(p == NULL && strcmp(err, "pattern too long") == 0, "long pattern accepted");
	re[REMAXLEN] = 0;
	p = regcompe(re, &err);
	CHECKF(p != NULL, "longest pattern: %s", err);
	CHECKF(regexec(p, re, m, 1) == 1 && m[0].sp == re, "longest pattern");
	regfree(p);
}

static double
seconds(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

/*
 * Patterns that take exponential time in a backtracking matcher; here
 * each must be quick (the bound is generous for sanitizer builds).
 */
static void
test_pathological(void)
{
	static const char *res[] = {
		"(a*)*b", "(a+)+b", "(a|a)*b", "(a|aa)*b", "(a*)*(a*)*(a*)*b",
		"a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	char text[64], many[20001];
	Resub m[3];
	double t0 = seconds();

	memset(text, 'a', 30);
	text[30] = 0;
	for (size_t i = 0; i < nelem(res); i++) {
		Reprog *p = regcomp(res[i]);
		int want = i == nelem(res) - 1;

		CHECKF(p != NULL, "regcomp(\"%s\")", res[i]);
		CHECKF(regexec(p, text, m, 3) == want, "/%s/ on 30 a's", res[i]);
		if (want)
			CHECKF(m[0].sp == text && m[0].ep == text + 30, "/%s/ span", res[i]);
		regfree(p);
	}
	/* A long text: linear, not quadratic, for an unanchored search. */
	memset(many, 'a', sizeof many - 1);
	many[sizeof many - 1] = 0;
	Reprog *p = regcomp("(a*)*b");
	CHECKF(regexec(p, many, m, 3) == 0, "long text");
	regfree(p);
	CHECKF(seconds() - t0 < 2.0, "pathological patterns took %.2f s", seconds() - t0);
}

static const HostTest tests[] = {
	{test_table, "regexp.table"},
	{test_nmatch, "regexp.nmatch"},
	{test_malformed, "regexp.malformed"},
	{test_limits, "regexp.limits"},
	{test_pathological, "regexp.pathological"},
};

int
main(void)
{
	return hosttest_run(tests, nelem(tests));
}
