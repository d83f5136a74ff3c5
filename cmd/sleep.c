/* SPDX-License-Identifier: MIT */
/*
 * sleep: wait for a number of seconds, which may have a fraction
 * ("0.25").  Programs here use no floating point, so the number is read
 * by hand, to the millisecond.  See doc/cmd/sleep.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: sleep seconds\n");
	exits("usage");
}

/* Parse "S", "S.F" or ".F" into milliseconds; -1 if malformed. */
static long parsems(const char *s)
{
	long ms = 0, scale = 100;
	int digits = 0;

	for (; isdigit(*s); s++, digits++) {
		if (ms > 100000000)  /* over three years: a typo, not a wait */
			return -1;
		ms = ms * 10 + (*s - '0');
	}
	ms *= 1000;
	if (*s == '.')
		for (s++; isdigit(*s); s++, digits++) {
			ms += (*s - '0') * scale;  /* digits past the third add 0 */
			scale /= 10;
		}
	if (*s != 0 || digits == 0)
		return -1;
	return ms;
}

int main(int argc, char **argv)
{
	long ms;

	ARGBEGIN {
	default:
		usage();
	} ARGEND
	if (argc != 1)
		usage();
	if ((ms = parsems(argv[0])) < 0) {
		fprint(2, "sleep: bad number of seconds: %s\n", argv[0]);
		exits("usage");
	}
	if (ms > 0 && sleep(ms) < 0) {
		char err[ERRMAX];

		rerrstr(err, sizeof err);
		fprint(2, "sleep: %s\n", err);
		exits("interrupted");
	}
	exits(NULL);
}
