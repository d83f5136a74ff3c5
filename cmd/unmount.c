/* SPDX-License-Identifier: MIT */
/*
 * unmount: undo a bind or mount.  With one name, everything bound or
 * mounted on old goes; with two, only new.  See doc/cmd/unmount.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: unmount [new] old\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	char err[ERRMAX];
	int r = -1;

	ARGBEGIN {
	default:
		usage();
	} ARGEND
	if (argc == 1)
		r = unmount(NULL, argv[0]);
	else if (argc == 2)
		r = unmount(argv[0], argv[1]);
	else
		usage();
	if (r < 0) {
		rerrstr(err, sizeof err);
		if (argc == 1)
			fprint(2, "unmount: %s: %s\n", argv[0], err);
		else
			fprint(2, "unmount: %s %s: %s\n", argv[0], argv[1], err);
		exits("unmount");
	}
	exits(NULL);
}
