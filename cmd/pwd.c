/* SPDX-License-Identifier: MIT */
/*
 * pwd: print the name of the current directory, as the file server that
 * holds it knows it (fd2path of ".").  See doc/cmd/pwd.md.
 */
#include "libc.h"

int main(int argc, char **argv)
{
	char path[1024], err[ERRMAX];
	int fd;

	ARGBEGIN {
	default:
		fprint(2, "usage: pwd\n");
		exits("usage");
	} ARGEND
	if (argc != 0) {
		fprint(2, "usage: pwd\n");
		exits("usage");
	}
	if ((fd = open(".", OREAD)) < 0 || fd2path(fd, path, sizeof path) < 0) {
		rerrstr(err, sizeof err);
		fprint(2, "pwd: %s\n", err);
		exits("pwd");
	}
	close(fd);
	print("%s\n", path);
	exits(NULL);
}
