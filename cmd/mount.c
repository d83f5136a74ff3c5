/* SPDX-License-Identifier: MIT */
/*
 * mount: attach the file tree that a server serves on srvname (usually
 * a file in /srv) at old, with the tree the server calls spec.  Flags as
 * bind's.  See doc/cmd/mount.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: mount [-abcC] srvname old [spec]\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	int flag = MREPL, fd;
	char err[ERRMAX];
	const char *spec;

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
	if (argc < 2 || argc > 3 || (flag & MORDER) == MORDER)
		usage();
	spec = argc == 3 ? argv[2] : "";
	if ((fd = open(argv[0], ORDWR)) < 0) {
		rerrstr(err, sizeof err);
		fprint(2, "mount: %s: %s\n", argv[0], err);
		exits("open");
	}
	if (mount(fd, -1, argv[1], flag, spec) < 0) {
		rerrstr(err, sizeof err);
		fprint(2, "mount: %s %s: %s\n", argv[0], argv[1], err);
		exits("mount");
	}
	/* The mount holds its own reference to the channel. */
	close(fd);
	exits(NULL);
}
