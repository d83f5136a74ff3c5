/* SPDX-License-Identifier: MIT */
/*
 * deepstack: use N KiB of stack (recursion with a 1 KiB frame each), then
 * print "deepstack: N KiB" and exit.  With -f it forks at the deepest
 * point: the child climbs back up through its copy of every frame and
 * must find them intact, and the parent reports the child's status too.
 * The system tests (test/sys/proc.rc) run it to see the stack grow on
 * demand within its 256 KiB, fork copy what is in use, and a program that
 * goes past the limit die of the fault, reported as such.
 *
 * Usage: deepstack [-f] KIB
 */
#include "libc.h"

static int forkdeep;

/* Returns n when every frame held its bytes. */
static int
down(int n)
{
	volatile char frame[1000];

	frame[0] = (char)n;
	frame[sizeof frame - 1] = (char)n;
	if (n <= 1) {
		if (forkdeep && fork() == 0)
			forkdeep = -1; /* the child: climb back and exit */
		return frame[0];
	}
	return down(n - 1) + (frame[0] == (char)n && frame[sizeof frame - 1] == (char)n);
}

static void
usage(void)
{
	fprint(2, "usage: deepstack [-f] KIB\n");
	exits("usage");
}

int
main(int argc, char **argv)
{
	ARGBEGIN {
	case 'f':
		forkdeep = 1;
		break;
	default:
		usage();
	} ARGEND
	if (argc != 1 || atoi(argv[0]) < 1)
		usage();
	int n = atoi(argv[0]);
	int got = down(n);
	if (forkdeep == -1)
		exits(got == n ? NULL : "child: frames lost");
	if (forkdeep) {
		Waitmsg *w = wait();
		if (w == NULL || w->msg[0] != 0) {
			print("deepstack: child: %s\n", w ? w->msg : "no child");
			exits("child");
		}
		free(w);
	}
	print("deepstack: %d KiB\n", got == n ? n : -1);
	exits(NULL);
	return 0;
}
