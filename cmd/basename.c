/* SPDX-License-Identifier: MIT */
/*
 * basename: print the last element of a path, less an optional suffix;
 * with -d, everything before the last element instead.
 * See doc/cmd/basename.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: basename [-d] path [suffix]\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	int dflag = 0;
	char *path, *slash;
	size_t n, ns;

	ARGBEGIN {
	case 'd':
		dflag = 1;
		break;
	default:
		usage();
	} ARGEND
	if (argc < 1 || argc > 2)
		usage();
	path = argv[0];
	/* Trailing slashes name no element of their own. */
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = 0;
	slash = strrchr(path, '/');
	if (dflag) {
		if (slash == NULL)
			print(".\n");
		else if (slash == path)
			print("/\n");
		else {
			*slash = 0;
			print("%s\n", path);
		}
		exits(NULL);
	}
	if (slash != NULL && slash[1] != 0)
		path = slash + 1;
	n = strlen(path);
	if (argc == 2) {
		ns = strlen(argv[1]);
		if (ns < n && strcmp(path + n - ns, argv[1]) == 0)
			path[n - ns] = 0;
	}
	print("%s\n", path);
	exits(NULL);
}
