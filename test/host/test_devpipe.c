/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the pipe servant (srv/core/devpipe.c), included whole,
 * with single-threaded stand-ins for core's locks and dev.c's helpers.
 * A wait that would block makes rsleep fail as if a note came, so each
 * test sees "interrupted" where a real reader or writer would sleep.
 */
/* The stand-ins and the servant ignore most of their parameters, as Musubi builds allow. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "test/host/hosttest.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "srv/core/dev.h"

static char errbuf[128];

void werrstr(const char *fmt, ...);
void werrstr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
}

const char *eve = "musubi";
const char Enonexist[] = "file does not exist", Eperm[] = "permission denied", Eisdir[] = "is a directory",
	Enotdir[] = "not a directory", Enomem[] = "out of memory", Einterrupted[] = "interrupted";

/* lock and qlock are dev.h's; a lock found held here is a bug */
void lockwait(Lock *l) { CHECK(l->val == 0); }
void qlockwait(QLock *q) { CHECK(q->locked == 0); }
void qunlockwake(QLock *q) { CHECK(q->locked == 1); }
static int nwake;
int rsleep(Rendez *r, int (*fn)(void *), void *arg) { return fn(arg) ? 0 : -1; }
void rwakeup(Rendez *r) { nwake++; }

Qid mkqid(uvlong path, uint vers, int type) { Qid q = {path, vers, (uchar)type}; return q; }

void devdir(Chan *c, Qid qid, const char *name, vlong length, const char *user, ulong perm, Dir *d)
{
	memset(d, 0, sizeof *d);
	d->qid = qid;
	d->name = (char *)name;
	d->length = length;
	d->mode = perm;
}

Chan *devattach(int dc, const char *spec)
{
	Chan *c = calloc(1, sizeof *c);

	c->ref = 1;
	c->qid = mkqid(0, 0, QTDIR);
	return c;
}

int devwalk(Chan *c, const char *name, Dirtab *tab, int ntab, Devgen *gen)
{
	Dir d;

	for (int i = 0; gen(c, tab, ntab, i, &d) > 0; i++)
		if (strcmp(d.name, name) == 0) {
			c->qid = d.qid;
			return 0;
		}
	werrstr("%s", Enonexist);
	return -1;
}

int devopen(Chan *c, int mode, Dirtab *tab, int ntab, Devgen *gen)
{
	c->mode = mode;
	c->flag |= COPEN;
	return 0;
}

int devstat(Chan *c, uchar *buf, int n, Dirtab *tab, int ntab, Devgen *gen) { return -1; }
long devdirread(Chan *c, void *buf, long n, vlong off, Dirtab *tab, int ntab, Devgen *gen) { return -1; }
int devcreate(Chan *c, const char *name, int mode, ulong perm) { return -1; }
int devremove(Chan *c) { return -1; }
int devwstat(Chan *c, const uchar *buf, int n) { return -1; }

#include "srv/core/devpipe.c"

/* Attach, clone, walk to name and open: one open end. */
static Chan *end(Chan *dir, const char *name)
{
	Chan *c = calloc(1, sizeof *c);

	*c = *dir;
	pipeclone(dir, c);
	if (pipewalk(c, name) < 0 || pipeopen(c, ORDWR) < 0)
		return NULL;
	return c;
}

static void done(Chan *c)
{
	pipeclose(c);
	free(c);
}

static void t_pipe(void)
{
	Chan *dir = pipeattach(""), *a, *b;
	char buf[100];
	Pipe *p;

	CHECK(dir && (dir->qid.type & QTDIR));
	CHECK((a = end(dir, "data")) && (b = end(dir, "data1")));
	p = dir->aux;
	CHECK(p->ref == 3 && p->qref[0] == 1 && p->qref[1] == 1);
	CHECK(a->qid.path != b->qid.path && a->qid.path != dir->qid.path);
	/* both directions; a read takes one write at most */
	CHECK(pipewrite(a, "hello", 5, 0) == 5);
	CHECK(pipewrite(a, "world", 5, 0) == 5);
	CHECK(pipewrite(b, "back", 4, 0) == 4);
	CHECK(piperead(b, buf, sizeof buf, 0) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(piperead(b, buf, 3, 0) == 3 && memcmp(buf, "wor", 3) == 0);
	CHECK(piperead(b, buf, sizeof buf, 0) == 2 && memcmp(buf, "ld", 2) == 0);
	CHECK(piperead(a, buf, sizeof buf, 0) == 4 && memcmp(buf, "back", 4) == 0);
	/* nothing there: a reader would sleep */
	CHECK(piperead(a, buf, sizeof buf, 0) == -1 && strcmp(errbuf, "interrupted") == 0);
	CHECK(p->q[0].len == 0 && p->q[1].len == 0 && p->q[0].head == NULL);
	/* the walk up stays in this pipe */
	{
		Chan c = *a;
		c.qid = dir->qid;
		CHECK(pipewalk(&c, "..") == 0 && c.qid.path == dir->qid.path);
	}
	/* hang up b: a reads what is left, then end of file; a's writes fail */
	CHECK(pipewrite(b, "last", 4, 0) == 4);
	done(b);
	CHECK(p->hung[1] && !p->hung[0]);
	CHECK(piperead(a, buf, sizeof buf, 0) == 4);
	CHECK(piperead(a, buf, sizeof buf, 0) == 0);
	CHECK(pipewrite(a, "x", 1, 0) == -1 && strcmp(errbuf, "write on closed pipe") == 0);
	done(a);
	done(dir); /* the last Chan frees the pipe (ASan checks) */
}

static void t_full(void)
{
	Chan *dir = pipeattach(""), *a, *b;
	static char big[PipeQMax + 100], buf[PipeQMax + 100];
	Pipe *p;

	CHECK((a = end(dir, "data")) && (b = end(dir, "data1")));
	p = dir->aux;
	memset(big, 'x', sizeof big);
	/* a write that fits goes whole; one that does not would wait */
	CHECK(pipewrite(a, big, PipeQMax - 10, 0) == PipeQMax - 10);
	CHECK(pipewrite(a, big, 11, 0) == -1 && strcmp(errbuf, "interrupted") == 0);
	CHECK(pipewrite(a, big, 10, 0) == 10);
	CHECK(p->q[1].len == PipeQMax);
	CHECK(piperead(b, buf, sizeof buf, 0) == PipeQMax - 10);
	/* a write larger than the pipe goes in pieces: here the first fits, then it would wait */
	CHECK(piperead(b, buf, sizeof buf, 0) == 10);
	CHECK(pipewrite(a, big, sizeof big, 0) == PipeQMax);
	CHECK(piperead(b, buf, sizeof buf, 0) == PipeQMax);
	/* zero bytes: nothing queued */
	CHECK(pipewrite(a, big, 0, 0) == 0 && p->q[1].head == NULL);
	/* queued data of a hung-up reader is dropped */
	CHECK(pipewrite(b, "abc", 3, 0) == 3);
	done(a);
	CHECK(p->q[0].head == NULL && p->q[0].len == 0);
	done(b);
	done(dir);
}

/* Only the last open Chan of an end hangs it up; unopened Chans do not count. */
static void t_refs(void)
{
	Chan *dir = pipeattach(""), *a, *a2, *b, *w;
	char buf[8];
	Pipe *p;

	CHECK((a = end(dir, "data")) && (a2 = end(dir, "data")) && (b = end(dir, "data1")));
	p = dir->aux;
	w = calloc(1, sizeof *w);
	*w = *dir;
	pipeclone(dir, w);
	CHECK(pipewalk(w, "data1") == 0); /* walked, never opened */
	CHECK(p->qref[0] == 2 && p->ref == 5);
	done(a);
	CHECK(!p->hung[0]);
	CHECK(pipewrite(b, "hi", 2, 0) == 2);
	CHECK(piperead(a2, buf, sizeof buf, 0) == 2);
	done(a2);
	CHECK(p->hung[0]);
	CHECK(pipewrite(b, "hi", 2, 0) == -1);
	done(w);
	CHECK(!p->hung[1]);
	done(b);
	CHECK(p->ref == 1);
	done(dir);
	/* an unopened pipe goes quietly */
	dir = pipeattach("");
	done(dir);
}

static const HostTest tests[] = {
	{ t_pipe, "devpipe.pipe" },
	{ t_full, "devpipe.full" },
	{ t_refs, "devpipe.refs" },
};

int main(void) { return hosttest_run(tests, sizeof tests / sizeof tests[0]); }
