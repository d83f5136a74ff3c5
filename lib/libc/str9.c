/* SPDX-License-Identifier: MIT */
/*
 * The Plan 9 string helpers programs expect beyond C's string.c:
 * strdup, tokenize (with rc's quoting), getfields, utfrune, strtoll,
 * plus qsort, readn and execl, which need nothing but other calls.
 * Everything is ASCII: Musubi has no runes yet.
 */
#include "libc.h"

/* Returns a malloc'd copy of s, or NULL out of memory. */
char *
strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *t;

	t = malloc(n);
	if (t != NULL)
		memcpy(t, s, n);
	return t;
}

static int
istokspace(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Unquote the token at s in place: '...' quotes blanks, and '' inside
 * quotes is one quote.  Returns where the next token may start.
 */
static char *
untoken(char *s)
{
	char *t = s;
	int quoting = 0;

	while (*s != 0 && (quoting || !istokspace(*s))) {
		if (*s != '\'')
			*t++ = *s++;
		else if (!quoting) {
			quoting = 1;
			s++;
		} else if (s[1] == '\'') {
			*t++ = '\'';
			s += 2;
		} else {
			quoting = 0;
			s++;
		}
	}
	if (*s != 0)
		s++;
	*t = 0; /* t is at most at the separator just passed */
	return s;
}

/*
 * Split s in place into at most maxargs blank-separated tokens, honouring
 * rc's single quotes; args point into s.  Returns the number of tokens.
 */
int
tokenize(char *s, char **args, int maxargs)
{
	int n = 0;

	while (n < maxargs) {
		while (istokspace(*s))
			s++;
		if (*s == 0)
			break;
		args[n++] = s;
		s = untoken(s);
	}
	return n;
}

/*
 * Split s in place at any byte of delims into at most maxargs fields.
 * Without multiflag every delimiter ends a field, so empty fields appear
 * ("a::b" has three, "" has one); with it, runs of delimiters count as
 * one and there are no empty fields.  The last field keeps the rest of s
 * when maxargs is reached.  Returns the number of fields.
 */
int
getfields(char *s, char **args, int maxargs, int multiflag, const char *delims)
{
	int n = 0;

	if (maxargs <= 0)
		return 0;
	for (;;) {
		if (multiflag)
			while (*s != 0 && strchr(delims, *s) != NULL)
				s++;
		if (multiflag && *s == 0)
			break;
		args[n++] = s;
		while (*s != 0 && strchr(delims, *s) == NULL)
			s++;
		if (*s == 0 || n >= maxargs)
			break;
		*s++ = 0;
	}
	return n;
}

char *
utfrune(const char *s, int c)
{
	return strchr(s, c);
}

/* long is 64 bits: string.c's strtol already is strtoll, saturating. */
long
strtoll(const char *s, char **end, int base)
{
	return strtol(s, end, base);
}

static void
swapbytes(char *a, char *b, size_t n)
{
	while (n-- > 0) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Sift element i of the heap base[0..n-1] down to its place. */
static void
siftdown(char *base, size_t i, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t big = i, l = 2 * i + 1, r = l + 1;

		if (l < n && cmp(base + l * size, base + big * size) > 0)
			big = l;
		if (r < n && cmp(base + r * size, base + big * size) > 0)
			big = r;
		if (big == i)
			return;
		swapbytes(base + i * size, base + big * size, size);
		i = big;
	}
}

/* Heapsort: O(n log n) always, no recursion, no memory; not stable. */
void
qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;

	if (n < 2 || size == 0)
		return;
	for (size_t i = n / 2; i-- > 0;)
		siftdown(b, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swapbytes(b, b + end * size, size);
		siftdown(b, 0, end, size, cmp);
	}
}

/*
 * Read until n bytes, end of file or an error.  Returns the bytes read;
 * the error (-1) or 0 only when nothing at all was read.
 */
long
readn(int fd, void *buf, long n)
{
	long t = 0, m;

	while (t < n) {
		m = read(fd, (char *)buf + t, n - t);
		if (m <= 0) {
			if (t == 0)
				return m;
			break;
		}
		t += m;
	}
	return t;
}

/* exec with the arguments listed, ending with a NULL.  Returns -1. */
int
execl(const char *name, ...)
{
	va_list ap;
	char **argv;
	int n = 0;

	va_start(ap, name);
	while (va_arg(ap, char *) != NULL)
		n++;
	va_end(ap);
	argv = malloc((n + 1) * sizeof argv[0]);
	if (argv == NULL) {
		werrstr("out of memory");
		return -1;
	}
	va_start(ap, name);
	for (int i = 0; i <= n; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	exec(name, argv);
	free(argv);
	return -1;
}
