/* SPDX-License-Identifier: MIT */
/*
 * String and memory functions and number parsing.  Pure: linked into the
 * kernel as well as user programs (so no state, no system calls, no SSE).
 * ctype.c holds the character classes; this file keeps its own two.
 */
#include "libc.h"

/*
 * gcc may turn a byte loop into a call to memset/memcpy/strlen, which
 * inside those very functions would recurse; forbid it for this file.
 */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

/*
 * rep movsq/stosq for the whole words, rep movsb/stosb for the rest:
 * short, fast on modern cpus, and under QEMU's TCG, where every
 * iteration of a rep prefix counts as one instruction, 8 bytes a step.
 */
void *
memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t w = n >> 3, b = n & 7;

	__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(w) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(b) : : "memory");
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlap with dst above src: copy from the end down. */
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t w = n >> 3, b = n & 7;
	unsigned long v = (unsigned char)c * 0x0101010101010101ul;

	__asm__ volatile("rep stosq" : "+D"(d), "+c"(w) : "a"(v) : "memory");
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(b) : "a"(v) : "memory");
	return dst;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

/*
 * strlen and strnlen look at a word (8 bytes) a step.
 * They read the whole aligned words that hold the string, so up to 7
 * bytes before its start and after its end (strlen first tries the 8
 * bytes at s when they are on one page): an aligned word never crosses
 * a page, so this cannot fault, but it is outside the object
 * as far as AddressSanitizer knows (host builds), hence WORDWISE.
 * Bytes before the start are forced non-zero; zerobytes(w) has the
 * high bit set in the lowest byte of w that is zero (higher ones may be
 * wrong, never a lower one), so the first zero is ctz/8 bytes in.
 */
#define WORDWISE __attribute__((no_sanitize_address))
typedef unsigned long __attribute__((may_alias)) Word;
typedef unsigned long __attribute__((may_alias, aligned(1))) UWord; /* unaligned */
#define ONES 0x0101010101010101ul
#define HIGHS 0x8080808080808080ul

static inline unsigned long
zerobytes(unsigned long w)
{
	return (w - ONES) & ~w & HIGHS;
}

/* The aligned word holding s, with the bytes before s made non-zero. */
WORDWISE static inline unsigned long
firstword(const char *s, const Word **wp)
{
	unsigned long a = (unsigned long)s, sh = (a & 7) * 8;

	*wp = (const Word *)(a & ~7ul);
	return **wp | ((1ul << sh) - 1);
}

WORDWISE size_t
strlen(const char *s)
{
	const Word *w;
	unsigned long v, z;

	/* most strings are short: the 8 bytes at s, if they are on one page */
	if (((unsigned long)s & 4095) <= 4096 - 8 && (z = zerobytes(*(const UWord *)s)) != 0)
		return __builtin_ctzl(z) / 8;
	v = firstword(s, &w);
	while ((z = zerobytes(v)) == 0)
		v = *++w;
	return (const char *)w + __builtin_ctzl(z) / 8 - s;
}

WORDWISE size_t
strnlen(const char *s, size_t max)
{
	const Word *w;
	unsigned long v, z;
	size_t n;

	if (max == 0)
		return 0;
	v = firstword(s, &w);
	while ((z = zerobytes(v)) == 0) {
		n = (const char *)(w + 1) - s; /* bytes looked at so far */
		if (n >= max)
			return max;
		v = *++w;
	}
	n = (const char *)w + __builtin_ctzl(z) / 8 - s;
	return n < max ? n : max;
}

int
strcmp(const char *a, const char *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++)
		if (*a != *b || *a == 0)
			return (unsigned char)*a - (unsigned char)*b;
	return 0;
}

char *
strcpy(char *dst, const char *src)
{
	return memcpy(dst, src, strlen(src) + 1);
}

size_t
strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (n > 0) {
		size_t m = len < n - 1 ? len : n - 1;
		memcpy(dst, src, m);
		dst[m] = 0;
	}
	return len;
}

size_t
strlcat(char *dst, const char *src, size_t n)
{
	size_t dlen = strnlen(dst, n);

	/* dst not terminated within n: nothing can be appended. */
	if (dlen == n)
		return n + strlen(src);
	return dlen + strlcpy(dst + dlen, src, n - dlen);
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == 0)
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == 0)
			return (char *)last;
	}
}

char *
strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)hay;
	for (; *hay; hay++)
		if (*hay == *needle && strncmp(hay, needle, n) == 0)
			return (char *)hay;
	return NULL;
}

static int
isspace_(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of digit c, or 99 if c is not a digit or letter. */
static int
digitval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * The common part of strtoul and strtol: skips space, takes a sign and
 * a base prefix, returns the magnitude (ULONG_MAX and *ovf set if it does
 * not fit) and sets *end past the last digit, or to s if there is none.
 */
static unsigned long
scannum(const char *s, char **end, int base, bool *neg, bool *ovf)
{
	const char *p = s;
	unsigned long v = 0;
	bool any = false;
	int d;

	*neg = false;
	*ovf = false;
	if (base < 0 || base == 1 || base > 36)
		goto out;
	while (isspace_((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digitval((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0)
		base = p[0] == '0' ? 8 : 10;
	for (; (d = digitval((unsigned char)*p)) < base; p++) {
		any = true;
		if (v > (~0ul - d) / base)
			*ovf = true;
		if (!*ovf)
			v = v * base + d;
	}
out:
	if (end)
		*end = (char *)(any ? p : s);
	if (*ovf)
		return ~0ul;
	return v;
}

unsigned long
strtoul(const char *s, char **end, int base)
{
	bool neg, ovf;
	unsigned long v = scannum(s, end, base, &neg, &ovf);

	if (ovf)
		return ~0ul;
	return neg ? -v : v;
}

long
strtol(const char *s, char **end, int base)
{
	bool neg, ovf;
	unsigned long v = scannum(s, end, base, &neg, &ovf);
	unsigned long max = ~0ul >> 1; /* LONG_MAX */

	if (neg) {
		if (ovf || v > max + 1)
			return -(long)max - 1;
		return (long)-v;
	}
	if (ovf || v > max)
		return (long)max;
	return (long)v;
}

int
atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
