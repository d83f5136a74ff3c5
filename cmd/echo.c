/* SPDX-License-Identifier: MIT */
/*
 * echo: write the arguments, separated by blanks, and a newline unless
 * the first argument is -n.  As in Plan 9, no other argument is a flag.
 * See doc/cmd/echo.md.
 */
#include "libc.h"

int main(int argc, char **argv)
{
	int nflag = 0, i;
	size_t len = 1;
	char *buf, *p;

	argc--, argv++;
	if (argc > 0 && strcmp(argv[0], "-n") == 0) {
		nflag = 1;
		argc--, argv++;
	}
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((buf = malloc(len)) == NULL) {
		fprint(2, "echo: out of memory\n");
		exits("no memory");
	}
	/* One write, so that the output of echo into a pipe or a ctl file
	 * arrives as one message. */
	p = buf;
	for (i = 0; i < argc; i++) {
		if (i > 0)
			*p++ = ' ';
		len = strlen(argv[i]);
		memcpy(p, argv[i], len);
		p += len;
	}
	if (!nflag)
		*p++ = '\n';
	if (p > buf && write(1, buf, p - buf) != p - buf) {
		char err[ERRMAX];

		rerrstr(err, sizeof err);
		fprint(2, "echo: write error: %s\n", err);
		exits("write error");
	}
	exits(NULL);
}
