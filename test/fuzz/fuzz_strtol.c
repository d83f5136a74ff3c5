/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the number parsers of lib/libc/string.c: strtol,
 * strtoul and atoi on arbitrary strings and bases (the spawn protocol's
 * "h=N" argument is read with strtol).  Built with -DHOSTTEST, so ours are
 * mu_strtol etc.; the host C library is the reference, which ours match
 * (libc.h: no errno, out-of-range values saturate as in C).  The first
 * input byte picks the base, the rest is the string, copied into a heap
 * block of exactly its length plus the NUL so AddressSanitizer catches
 * any read past the end.  Built and run by `make fuzz`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The host's versions, taken before libc.h renames the names to ours. */
static unsigned long (*host_strtoul)(const char *, char **, int) = strtoul;
static long (*host_strtol)(const char *, char **, int) = strtol;

#include "libc.h"

#define MUST(c)                                                                       \
	do {                                                                          \
		if (!(c)) {                                                           \
			fprintf(stderr, "fuzz_strtol: %s:%d: %s (base %d, \"%s\")\n", \
				__FILE__, __LINE__, #c, base, s);                     \
			abort();                                                      \
		}                                                                     \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *e1, *e2;
	int base;

	if (size == 0)
		return 0;
	/* mostly the bases C defines (0, 2..36), sometimes anything */
	static const int odd[] = { 1, 37, -1, 64, 1000, -2147483647 - 1, 2147483647, 255 };
	base = data[0] < 0xf0 ? (data[0] % 37 == 1 ? 0 : data[0] % 37) : odd[data[0] % 8];
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;

	long l = strtol(s, &e1, base);
	unsigned long u = strtoul(s, &e2, base);
	MUST(e1 >= s && e1 <= s + strlen(s));
	MUST(e2 == e1);
	MUST(strtol(s, NULL, base) == l);
	if (base == 0 || (base >= 2 && base <= 36)) {
		char *h1, *h2;
		MUST(l == host_strtol(s, &h1, base) && e1 == h1);
		MUST(u == host_strtoul(s, &h2, base) && e2 == h2);
	} else {
		MUST(l == 0 && u == 0 && e1 == s); /* a base C does not define */
	}
	MUST(atoi(s) == (int)host_strtol(s, NULL, 10));
	free(s);
	return 0;
}
