/* SPDX-License-Identifier: MIT */
/*
 * sysbench: the benchmarks of core and its servers (`make bench` boots
 * Musubi with init=/bin/sysbench; tools/bench.sh).  Under TCG with
 * -icount shift=0,sleep=off the time stamp counter counts guest
 * instructions, so each figure is guest instructions per operation: the
 * median over Batches batches, each batch's rdtsc delta divided by its
 * size.  Prints `bench: NAME VALUE UNIT` lines, then MUSUBI-DONE.
 *
 *	file.pread50, file.pread4k	pread of an open file on the ramfs
 *					server (/tmp), through core
 *	file.orc50, file.orc4k		open + read + close of that file
 *	file.incore.pread50 ...		the same on core's own ramfs servant
 *					(#r), for comparison
 *	sys.nop				the cheapest call into core
 *	proc.spawn			fork + exec + wait of /bin/nop
 *	proc.fork			fork + exits + wait (the child exits at once)
 *
 * Usage: sysbench [-b batches] [-n ops]
 */
#include "libc.h"

enum { MaxBatches = 63 };

static int nbatch = 15;
static int nop = 200;
static int fails;

static uvlong
rdtsc(void)
{
	uint lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uvlong)hi << 32 | lo;
}

static uvlong
median(uvlong *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			uvlong t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Median cost of op(arg) in TSC ticks over nbatch batches of batch ops;
 * 0 if an op failed. */
static uvlong
measure(int (*op)(void *), void *arg, int batch)
{
	uvlong v[MaxBatches];

	for (int b = 0; b < nbatch; b++) {
		uvlong t0 = rdtsc();
		for (int i = 0; i < batch; i++)
			if (op(arg) < 0)
				return 0;
		v[b] = (rdtsc() - t0) / batch;
	}
	return median(v, nbatch);
}

static void
report(const char *name, uvlong v)
{
	char err[ERRMAX];

	if (v == 0) {
		rerrstr(err, sizeof err);
		print("sysbench: %s failed: %s\n", name, err);
		fails++;
		return;
	}
	print("bench: %s %llu instructions\n", name, v);
}

typedef struct File File;
struct File {
	char *name;
	int fd;
	long size;
	char buf[8192];
};

static int
oppread(void *a)
{
	File *f = a;

	return pread(f->fd, f->buf, f->size, 0) == f->size ? 0 : -1;
}

static int
oporc(void *a)
{
	File *f = a;
	int fd;
	long n;

	if ((fd = open(f->name, OREAD)) < 0)
		return -1;
	n = read(fd, f->buf, f->size);
	close(fd);
	return n == f->size ? 0 : -1;
}

static int
opnop(void *a)
{
	(void)a;
	return getpid() > 0 ? 0 : -1;
}

/* Wait for child pid; 0 if it exited with an empty status. */
static int
waitok(int pid)
{
	Waitmsg *w;
	int ok;

	if ((w = wait()) == NULL)
		return -1;
	ok = w->pid == pid && w->msg[0] == 0;
	if (!ok)
		werrstr("child: pid %d status '%s'", w->pid, w->msg);
	free(w);
	return ok ? 0 : -1;
}

/* fork, then the child execs program a, or with a NULL exits at once; wait. */
static int
opchild(void *a)
{
	char *argv[] = { a, NULL };
	int pid;

	switch (pid = fork()) {
	case -1:
		return -1;
	case 0:
		if (a != NULL)
			exec(a, argv);
		exits(a != NULL ? "exec" : NULL);
	}
	return waitok(pid);
}

/* Make dir/name with size bytes; fill f. */
static int
mkfile(File *f, char *dir, char *name, long size)
{
	static char path[2][64];
	static int np;
	char *p = path[np++ % 2];
	int fd;

	snprint(p, 64, "%s/%s", dir, name);
	for (long i = 0; i < size; i++)
		f->buf[i] = 'a' + i % 26;
	if ((fd = create(p, ORDWR, 0644)) < 0 || write(fd, f->buf, size) != size) {
		char err[ERRMAX];
		rerrstr(err, sizeof err);
		fprint(2, "sysbench: %s: cannot make it: %s\n", p, err);
		return -1;
	}
	close(fd);
	if ((f->fd = open(p, OREAD)) < 0)
		return -1;
	f->name = p;
	f->size = size;
	return 0;
}

/* The file benchmarks on the tree at dir, names prefixed with pre. */
static void
files(char *dir, char *pre)
{
	static File f;
	char name[64];
	long sizes[] = { 50, 4096 };
	char *sname[] = { "50", "4k" };

	for (int i = 0; i < 2; i++) {
		if (mkfile(&f, dir, sname[i], sizes[i]) < 0) {
			fails++;
			continue;
		}
		snprint(name, sizeof name, "%s.pread%s", pre, sname[i]);
		report(name, measure(oppread, &f, nop));
		snprint(name, sizeof name, "%s.orc%s", pre, sname[i]);
		report(name, measure(oporc, &f, nop));
		close(f.fd);
	}
}

static void
usage(void)
{
	fprint(2, "usage: sysbench [-b batches] [-n ops]\n");
	exits("usage");
}

int
main(int argc, char **argv)
{
	ARGBEGIN {
	case 'b':
		nbatch = atoi(EARGF(usage()));
		break;
	case 'n':
		nop = atoi(EARGF(usage()));
		break;
	default:
		usage();
	} ARGEND
	if (argc != 0 || nbatch < 1 || nbatch > MaxBatches || nop < 1)
		usage();

	/* first, while the heap is small: fork copies the whole program */
	report("proc.spawn", measure(opchild, "/bin/nop", nop / 20 > 0 ? nop / 20 : 1));
	report("proc.fork", measure(opchild, NULL, nop / 20 > 0 ? nop / 20 : 1));
	report("sys.nop", measure(opnop, NULL, nop));
	files("/tmp", "file");
	/* core's own ramfs servant, on a private mount point */
	if (rfork(RFNAMEG) < 0 || bind("#r", "/mnt", MREPL | MCREATE) < 0) {
		fprint(2, "sysbench: bind #r: cannot\n");
		fails++;
	} else
		files("/mnt", "file.incore");
	print("MUSUBI-DONE pass=%d fail=%d\n", fails ? 0 : 1, fails);
	exits(fails ? "fail" : NULL);
	return 0;
}
