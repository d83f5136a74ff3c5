/* SPDX-License-Identifier: MIT */
/*
 * kill: end processes by writing "kill" to /proc/PID/ctl, or with -n
 * post a note by writing it to /proc/PID/note.  See doc/cmd/kill.md.
 */
#include "libc.h"

static void usage(void)
{
	fprint(2, "usage: kill [-n note] pid ...\n");
	exits("usage");
}

int main(int argc, char **argv)
{
	const char *note = NULL, *status = NULL, *file, *msg;
	char name[64], err[ERRMAX], *end;
	long pid, len;
	int fd;

	ARGBEGIN {
	case 'n':
		note = EARGF(usage());
		break;
	default:
		usage();
	} ARGEND
	if (argc == 0)
		usage();
	file = note ? "note" : "ctl";
	msg = note ? note : "kill";
	len = strlen(msg);
	for (; argc > 0; argc--, argv++) {
		pid = strtol(argv[0], &end, 10);
		if (*argv[0] == 0 || *end != 0 || pid <= 0) {
			fprint(2, "kill: %s: not a process id\n", argv[0]);
			status = "error";
			continue;
		}
		snprint(name, sizeof name, "/proc/%ld/%s", pid, file);
		if ((fd = open(name, OWRITE)) < 0 || write(fd, msg, len) != len) {
			rerrstr(err, sizeof err);
			fprint(2, "kill: %s: %s\n", name, err);
			status = "error";
		}
		if (fd >= 0)
			close(fd);
	}
	exits(status);
}
