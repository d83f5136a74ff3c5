/* SPDX-License-Identifier: MIT */
/*
 * init: the first program core starts.  It builds the standard namespace
 * from /lib/namespace, starts the servers named there, and runs rc on
 * the console, again whenever it ends.
 *
 * Notes: init's note group is the console's (core posts the interrupt of
 * Ctrl-C to it, doc/core.md), and the shell and the commands it runs in
 * the foreground stay in it, as processes in a Plan 9 window share the
 * window's group.  So init, too, gets every interrupt: it ignores them
 * and goes on waiting.  Servers it starts get a note group of their own,
 * so Ctrl-C never reaches them.
 *
 * Arguments (from the kernel command line, through root and core):
 *	ramfs=core	serve /tmp with core's own ramfs servant (#r) instead
 *			of the ramfs server process
 *	init=CMD	run CMD (rc -c CMD) instead of an interactive shell, then
 *			stop the machine
 */
#include "libc.h"

static int ramfsincore;

/* The error string, for messages. */
static char *
err(void)
{
	static char buf[ERRMAX];

	rerrstr(buf, sizeof buf);
	return buf;
}
static char *initcmd;

/* Split a namespace line into words, with rc's single quotes. */
static int
words(char *s, char **w, int max)
{
	int n = 0;
	char *d;

	while (n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == 0 || *s == '#')
			break;
		w[n++] = d = s;
		while (*s && *s != ' ' && *s != '\t') {
			if (*s == '\'') {
				for (s++; *s; s++) {
					if (*s == '\'' && s[1] == '\'')
						s++;
					else if (*s == '\'')
						break;
					*d++ = *s;
				}
				if (*s)
					s++;
			} else
				*d++ = *s++;
		}
		if (*s)
			s++;
		*d = 0;
	}
	return n;
}

static int
flags(char **w, int *n, int *i)
{
	int f = MREPL;

	for (*i = 1; *i < *n && w[*i][0] == '-'; (*i)++)
		for (char *p = w[*i] + 1; *p; p++)
			switch (*p) {
			case 'a': f |= MAFTER; break;
			case 'b': f |= MBEFORE; break;
			case 'c': f |= MCREATE; break;
			case 'C': break;
			default: return -1;
			}
	return f;
}

/* Wait (up to 10 s) until name exists. */
static int
await_file(const char *name)
{
	for (int i = 0; i < 1000; i++) {
		Dir *d = dirstat(name);
		if (d) {
			free(d);
			return 0;
		}
		sleep(10);
	}
	return -1;
}

static void
start(char **w, int n)
{
	char path[NAMELEN];
	char *srv = NULL;

	for (int i = 1; i + 1 < n; i++)
		if (strcmp(w[i], "-s") == 0)
			srv = w[i + 1];
	snprint(path, sizeof path, "/bin/%s", w[1]);
	w[n] = NULL;
	switch (rfork(RFPROC | RFFDG | RFNOWAIT | RFNOTEG)) {
	case -1:
		fprint(2, "init: cannot start %s: %s\n", w[1], err());
		return;
	case 0:
		exec(path, w + 1);
		fprint(2, "init: exec %s: %s\n", path, err());
		exits("exec");
	}
	if (srv) {
		char s[NAMELEN];
		snprint(s, sizeof s, "/srv/%s", srv);
		if (await_file(s) < 0)
			fprint(2, "init: %s did not post %s\n", w[1], s);
	}
}

static void
line(char *s)
{
	char *w[16];
	int n = words(s, w, nelem(w) - 1), i, f;

	if (n == 0)
		return;
	if (strcmp(w[0], "start") == 0 && n >= 2) {
		start(w, n);
		return;
	}
	if ((f = flags(w, &n, &i)) < 0) {
		fprint(2, "init: bad flag in: %s\n", w[0]);
		return;
	}
	if (strcmp(w[0], "bind") == 0 && n - i == 2) {
		if (bind(w[i], w[i + 1], f) < 0)
			fprint(2, "init: bind %s %s: %s\n", w[i], w[i + 1], err());
	} else if (strcmp(w[0], "mount") == 0 && (n - i == 2 || n - i == 3)) {
		if (ramfsincore && strcmp(w[i], "/srv/ramfs") == 0) {
			if (bind("#r", w[i + 1], f) < 0)
				fprint(2, "init: bind #r %s: %s\n", w[i + 1], err());
			return;
		}
		int fd = open(w[i], ORDWR);
		if (fd < 0 || mount(fd, -1, w[i + 1], f, n - i == 3 ? w[i + 2] : "") < 0)
			fprint(2, "init: mount %s %s: %s\n", w[i], w[i + 1], err());
		if (fd >= 0)
			close(fd);
	} else
		fprint(2, "init: unknown namespace line: %s\n", w[0]);
}

/* Notes for init: none may end it (a "kill" does not come here). */
static int
onnote(void *ureg, char *note)
{
	(void)ureg;
	if (strcmp(note, "interrupt") != 0)
		fprint(2, "init: note: %s\n", note);
	return 1;
}

/* Wait for child pid; a wait cut short by a note is taken up again. */
static void
waitfor(int pid)
{
	Waitmsg *w;

	for (;;) {
		if ((w = wait()) == NULL) {
			if (strstr(err(), "interrupted") != NULL)
				continue;
			return; /* no children left */
		}
		int done = w->pid == pid;
		free(w);
		if (done)
			return;
	}
}

static void
namespace(const char *file)
{
	Biobuf *b = Bopen(file, OREAD);
	char *s;

	if (b == NULL) {
		fprint(2, "init: %s: %s\n", file, err());
		return;
	}
	while ((s = Brdstr(b, '\n', 1)) != NULL) {
		line(s);
		free(s);
	}
	Bterm(b);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "ramfs=core") == 0)
			ramfsincore = 1;
		else if (strncmp(argv[i], "init=", 5) == 0)
			initcmd = argv[i] + 5;
	}
	/* enough to reach the console and the namespace file */
	if (bind("#c", "/dev", MREPL) < 0 || bind("#B/lib", "/lib", MREPL) < 0 || bind("#B/bin", "/bin", MREPL) < 0) {
		print("init: cannot bind the basics: %s\n", err());
		exits("bind");
	}
	int fd = open("/dev/cons", ORDWR);
	if (fd < 0) {
		print("init: /dev/cons: %s\n", err());
		exits("cons");
	}
	dup(fd, 0);
	dup(fd, 1);
	dup(fd, 2);
	if (fd > 2)
		close(fd);
	namespace("/lib/namespace");
	putenv("sysname", "musubi");
	putenv("ramfs", ramfsincore ? "core" : "server");
	atnotify(onnote, 1);
	for (;;) {
		int pid = rfork(RFPROC | RFFDG);
		if (pid < 0) {
			fprint(2, "init: fork: %s\n", err());
			exits("fork");
		}
		if (pid == 0) {
			if (initcmd) {
				char *av[] = { "rc", "-c", initcmd, NULL };
				exec("/bin/rc", av);
			} else {
				char *av[] = { "rc", "-i", NULL };
				exec("/bin/rc", av);
			}
			fprint(2, "init: exec rc: %s\n", err());
			exits("exec");
		}
		waitfor(pid);
		if (initcmd) {
			print("init: done\n");
			for (;;)
				sleep(1000000);
		}
		print("init: rc ended; starting another\n");
	}
}
