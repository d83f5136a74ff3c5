/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the POSIX shim (lib/libc/host/posix.c): Plan 9
 * error strings, create and ORCLOSE, directories read as stat records,
 * dup, processes with exit status strings, RFNOWAIT, exec, notes as
 * signals, the environment.
 */
#define _POSIX_C_SOURCE 200809L
#include "hosttest.h"
#include <stdlib.h>
#include <string.h>
#define HOSTP9 1
#include "libc.h"

static char dir[64];

static char *
tmpname(const char *elem)
{
	static char buf[2][128];
	static int i;

	i = !i;
	snprint(buf[i], sizeof buf[i], "%s/%s", dir, elem);
	return buf[i];
}

static bool
iserr(const char *want)
{
	char e[ERRMAX];

	rerrstr(e, sizeof e);
	if (strcmp(e, want) != 0) {
		fprintf(stderr, "error \"%s\", want \"%s\"\n", e, want);
		return false;
	}
	return true;
}

static void
test_errors(void)
{
	char buf[ERRMAX];

	CHECK(open(tmpname("nonexistent"), OREAD) < 0 && iserr("file does not exist"));
	CHECK(create(dir, OREAD, DMDIR | 0755) < 0 && iserr("file already exists"));
	CHECK(open(tmpname("nonexistent/x"), OREAD) < 0 && iserr("file does not exist"));
	CHECK(read(-1, buf, 1) < 0 && iserr("fd out of range or not open"));
	CHECK(bind("/", "/", MREPL) < 0 && iserr("not supported on the host"));
	werrstr("mine %d", 7);
	CHECK(iserr("mine 7"));
	strcpy(buf, "swapped in");
	errstr(buf, sizeof buf);
	CHECK(strcmp(buf, "mine 7") == 0 && iserr("swapped in"));
}

static void
test_create(void)
{
	int fd, fd2;
	char buf[8];

	fd = create(tmpname("c"), ORDWR, 0644);
	CHECK(fd >= 0 && write(fd, "abc", 3) == 3);
	CHECK(seek(fd, 0, SEEKSET) == 0 && read(fd, buf, 8) == 3);
	CHECK(pread(fd, buf, 2, 1) == 2 && memcmp(buf, "bc", 2) == 0);
	CHECK(pwrite(fd, "Z", 1, 0) == 1 && seek(fd, 0, SEEKEND) == 3);
	close(fd);
	/* create again truncates; OEXCL refuses. */
	fd = create(tmpname("c"), OWRITE, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK(create(tmpname("c"), OWRITE | OEXCL, 0644) < 0 && iserr("file already exists"));
	fd = open(tmpname("c"), OREAD);
	CHECK(fd >= 0 && read(fd, buf, 8) == 0);
	/* dup onto a chosen fd and onto the lowest free one. */
	fd2 = dup(fd, 40);
	CHECK(fd2 == 40);
	close(40);
	fd2 = dup(fd, -1);
	CHECK(fd2 >= 0 && fd2 != fd);
	close(fd2);
	close(fd);
	CHECK(access(tmpname("c"), AREAD | AWRITE) == 0);
	CHECK(remove(tmpname("c")) == 0 && access(tmpname("c"), AEXIST) < 0);
	/* ORCLOSE: gone after the close. */
	fd = create(tmpname("rc"), OWRITE | ORCLOSE, 0644);
	CHECK(fd >= 0 && access(tmpname("rc"), AEXIST) == 0);
	close(fd);
	CHECK(access(tmpname("rc"), AEXIST) < 0);
}

static void
test_dirfd(void)
{
	uchar buf[IOUNIT];
	char path[256];
	Dir d;
	char strs[IOUNIT];
	long n;
	int fd;

	fd = create(tmpname("dd"), OREAD, DMDIR | 0755);
	CHECK(fd >= 0);
	close(fd);
	close(create(tmpname("dd/one"), OWRITE, 0644));
	fd = open(tmpname("dd"), OREAD);
	CHECK(fd >= 0);
	CHECK(fd2path(fd, path, sizeof path) == 0 && strcmp(path, tmpname("dd")) == 0);
	CHECK(read(fd, buf, 10) < 0); /* too small for one record */
	n = read(fd, buf, sizeof buf);
	CHECKF(n > 0 && statcheck(buf, n) == 0, "read %ld", n);
	CHECK(convM2D(buf, n, &d, strs) == (uint)n && strcmp(d.name, "one") == 0);
	CHECK(read(fd, buf, sizeof buf) == 0);
	close(fd);
	remove(tmpname("dd/one"));
	CHECK(remove(tmpname("dd")) == 0);
}

/* fork, exits with a status, wait sees it. */
static void
test_wait(void)
{
	Waitmsg *w;
	char buf[128];
	int pid;

	pid = fork();
	if (pid == 0)
		exits("it's broken");
	CHECK(pid > 0);
	w = wait();
	CHECK(w != NULL && w->pid == pid && strcmp(w->msg, "it's broken") == 0);
	free(w);
	pid = rfork(RFPROC | RFFDG);
	if (pid == 0)
		exits(NULL);
	w = wait();
	CHECK(w != NULL && w->pid == pid && w->msg[0] == 0);
	free(w);
	if ((pid = fork()) == 0)
		exits("a'b");
	CHECK(await(buf, sizeof buf) > 0);
	{
		char *f[8];
		CHECK(tokenize(buf, f, 8) == 5 && atoi(f[0]) == pid && strcmp(f[4], "a'b") == 0);
	}
	CHECK(wait() == NULL && iserr("no living children"));
}

/* A child of RFNOWAIT is nobody's to wait for. */
static void
test_nowait(void)
{
	int p[2], pid;
	char c;

	CHECK(pipe(p) == 0);
	pid = rfork(RFPROC | RFFDG | RFNOWAIT);
	if (pid == 0) {
		write(p[1], "x", 1);
		exits(NULL);
	}
	CHECK(pid > 0);
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1 && c == 'x');
	close(p[0]);
	CHECK(wait() == NULL);
}

/* exec of a host program; its exit code becomes "exit N". */
static void
test_exec(void)
{
	Waitmsg *w;
	int pid;

	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", "exit 3", NULL);
		exits("exec failed");
	}
	w = wait();
	CHECK(w != NULL && w->pid == pid);
	CHECKF(strcmp(w->msg, "exit 3") == 0, "status %s", w->msg);
	free(w);
	if (fork() == 0) {
		char *argv[] = {"nonexistent", NULL};
		exec(tmpname("nonexistent"), argv);
		exits("exec failed");
	}
	w = wait();
	CHECK(w != NULL && strcmp(w->msg, "exec failed") == 0);
	free(w);
}

static volatile int got;
static char gotnote[ERRMAX];

static void
handler(void *ureg, char *note)
{
	(void)ureg;
	got++;
	strlcpy(gotnote, note, sizeof gotnote);
	noted(NCONT);
}

static int
athandler(void *ureg, char *note)
{
	(void)ureg;
	got += 10;
	return strcmp(note, "hangup") == 0;
}

static void
test_notes(void)
{
	Waitmsg *w;
	int pid;

	CHECK(notify(handler) == 0);
	CHECK(postnote(PNPROC, getpid(), "interrupt") == 0);
	CHECK(got == 1 && strcmp(gotnote, "interrupt") == 0);
	CHECK(atnotify(athandler, 1) == 1);
	CHECK(postnote(PNPROC, getpid(), "hangup") == 0);
	CHECK(got == 11); /* taken by athandler */
	CHECK(postnote(PNPROC, getpid(), "alarm") == 0);
	CHECK(got == 22 && strcmp(gotnote, "alarm") == 0);
	CHECK(atnotify(athandler, 0) == 1);
	notify(NULL);
	/* Without a handler a note kills. */
	if ((pid = fork()) == 0) {
		sleep(5000);
		exits("not killed");
	}
	sleep(50);
	CHECK(postnote(PNPROC, pid, "interrupt") == 0);
	w = wait();
	CHECK(w != NULL && strcmp(w->msg, "interrupt") == 0);
	free(w);
}

static void
test_env(void)
{
	char *v;

	CHECK(putenv("p9shimtest", "a value") == 0);
	v = getenv("p9shimtest");
	CHECK(v != NULL && strcmp(v, "a value") == 0);
	free(v);
	CHECK(getenv("p9shimtest-not-set") == NULL);
}

static void
test_time(void)
{
	long t, t2;
	vlong ns;

	t = time(&t2);
	ns = nsec();
	CHECK(t == t2 && t > 1600000000);
	CHECK(ns / 1000000000 >= t - 1 && ns / 1000000000 <= t + 1);
	CHECK(getpid() > 0 && getppid() > 0);
}

static const HostTest tests[] = {
	{test_errors, "posix.errors"},
	{test_create, "posix.create"},
	{test_dirfd, "posix.dirfd"},
	{test_wait, "posix.wait"},
	{test_nowait, "posix.nowait"},
	{test_exec, "posix.exec"},
	{test_notes, "posix.notes"},
	{test_env, "posix.env"},
	{test_time, "posix.time"},
};

int
main(void)
{
	int r;

	strcpy(dir, "/tmp/test_posix.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	r = hosttest_run(tests, nelem(tests));
	remove(dir);
	return r;
}
