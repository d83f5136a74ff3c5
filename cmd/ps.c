/* SPDX-License-Identifier: MIT */
/*
 * ps: list the processes: for each directory /proc/N, the fields of
 * /proc/N/status ("name user state realms memorykb", one line) as the
 * columns user, pid, memory, state and name, in pid order.
 * See doc/cmd/ps.md.
 */
#include "libc.h"

typedef struct Proc {
	long pid;
	char *f[5];  /* name user state realms memorykb */
	char *text;  /* what f points into */
} Proc;

static Proc *procs;
static long nproc;

static int isnumber(const char *s)
{
	if (*s == 0)
		return 0;
	for (; *s; s++)
		if (!isdigit(*s))
			return 0;
	return 1;
}

/* Read /proc/pid/status into p; 0, or -1 if the process went away. */
static int readstatus(long pid, Proc *p)
{
	char name[64], buf[512];
	long n;
	int fd;

	snprint(name, sizeof name, "/proc/%ld/status", pid);
	if ((fd = open(name, OREAD)) < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if ((p->text = strdup(buf)) == NULL)
		return -1;
	if (tokenize(p->text, p->f, nelem(p->f)) < 5) {
		free(p->text);
		return -1;
	}
	p->pid = pid;
	return 0;
}

static int proccmp(const void *a, const void *b)
{
	long x = ((const Proc *)a)->pid, y = ((const Proc *)b)->pid;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	Dir *d;
	long n, i;
	int fd;
	char err[ERRMAX];
	Biobuf out;

	ARGBEGIN {
	default:
		fprint(2, "usage: ps\n");
		exits("usage");
	} ARGEND
	if ((fd = open("/proc", OREAD)) < 0 || (n = dirreadall(fd, &d)) < 0) {
		rerrstr(err, sizeof err);
		fprint(2, "ps: /proc: %s\n", err);
		exits("error");
	}
	close(fd);
	if ((procs = malloc((n + 1) * sizeof *procs)) == NULL) {
		fprint(2, "ps: out of memory\n");
		exits("no memory");
	}
	for (i = 0; i < n; i++)
		if (isnumber(d[i].name) && readstatus(strtol(d[i].name, NULL, 10), &procs[nproc]) == 0)
			nproc++;
	qsort(procs, nproc, sizeof *procs, proccmp);
	Binit(&out, 1, OWRITE);
	for (i = 0; i < nproc; i++)
		Bprint(&out, "%-10s %8ld %7sK %-10s %s\n", procs[i].f[1], procs[i].pid,
		       procs[i].f[4], procs[i].f[2], procs[i].f[0]);
	Bterm(&out);
	exits(NULL);
}
