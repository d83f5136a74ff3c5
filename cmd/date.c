/* SPDX-License-Identifier: MIT */
/*
 * date: print the date and time, or with -n the seconds since the epoch.
 * Musubi keeps no time zone: the time is always GMT, so -u changes
 * nothing (it is accepted for scripts written for Plan 9).
 * See doc/cmd/date.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: date [-nu] [seconds]\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	int nflag = 0;
	long now;
	char *end;

	ARGBEGIN {
	case 'n':
		nflag = 1;
		break;
	case 'u':
		break;
	default:
		usage();
	} ARGEND
	if (argc > 1)
		usage();
	if (argc == 1) {
		now = strtol(argv[0], &end, 10);
		if (end == argv[0] || *end != 0 || now < 0) {
			fprint(2, "date: bad time: %s\n", argv[0]);
			exits("usage");
		}
	} else
		now = time(NULL);
	if (nflag)
		print("%ld\n", now);
	else
		print("%s", ctime(now));  /* ctime's text ends in a newline */
	exits(NULL);
}
