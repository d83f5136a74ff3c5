/* SPDX-License-Identifier: MIT */
/*
 * bind: make the file new also visible at old in this process's
 * namespace (and its children's).  -b and -a make old a union with new
 * before or after what is there; -c lets files be created in new.
 * See doc/cmd/bind.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: bind [-abcC] new old\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	int flag = MREPL;
	char err[ERRMAX];

	ARGBEGIN {
	case 'a':
		flag |= MAFTER;
		break;
	case 'b':
		flag |= MBEFORE;
		break;
	case 'c':
		flag |= MCREATE;
		break;
	case 'C':
		break;  /* caching: nothing to ask for */
	default:
		usage();
	} ARGEND
	if (argc != 2 || (flag & MORDER) == MORDER)
		usage();
	if (bind(argv[0], argv[1], flag) < 0) {
		rerrstr(err, sizeof err);
		fprint(2, "bind: %s %s: %s\n", argv[0], argv[1], err);
		exits("bind");
	}
	exits(NULL);
}
