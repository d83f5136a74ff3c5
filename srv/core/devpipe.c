/* SPDX-License-Identifier: MIT */
/*
 * "#|": pipes.  Each attach makes a fresh pipe, a directory with two
 * files, data and data1; what is written on one is read from the other,
 * in both directions.  As in Plan 9 (pipe(3)) each write is one block
 * and a read returns bytes of one block only, so write boundaries are
 * kept; a write is never interleaved with another writer's, since the
 * writers of a direction take turns (wlock) for their whole write.
 * Each direction holds at most PipeQMax bytes; writers wait for room,
 * readers for data.  Closing the last open Chan of an end hangs it up:
 * the other end then reads what is left and then 0 (end of file), and
 * its writes fail with "write on closed pipe".
 *
 * Locks: Pipe.l (spin) guards the counts and queues; rlock[i] and
 * wlock[i] (QLocks) let one reader and one writer of queue i sleep at a time,
 * since a Rendez holds one sleeper.  Order: rlock/wlock before l; l is never
 * held while sleeping or allocating.
 */
#include "dev.h"

enum {
	Qdir,
	Qdata0, /* "data" */
	Qdata1, /* "data1" */
	QShift = 2,

	PipeQMax = 32 * 1024, /* bytes queued in one direction */
};

typedef struct Block Block;
typedef struct Pipe Pipe;
typedef struct Waitarg Waitarg;

/* The bytes of one write; rp is how far a reader got. */
struct Block {
	Block *next;
	long n, rp;
	uchar data[];
};

/*
 * q[i] is read on end i and written on end i^1 (end 0 is data, end 1
 * data1).  ref counts the Chans of the pipe (it is freed at 0), qref[i]
 * the open Chans of end i; hung[i] says end i was closed.
 */
struct Pipe {
	Lock l;
	ulong id;
	long ref;
	int qref[2];
	int hung[2];
	struct {
		Block *head, *tail;
		long len;
	} q[2];
	QLock rlock[2], wlock[2];
	Rendez rr[2]; /* the reader of q[i] waits for data or a hangup */
	Rendez wr[2]; /* the writer of q[i] waits for room or a hangup */
};

static ulong pipeid;

static uvlong qpath(Pipe *p, int q) { return (uvlong)p->id << QShift | (uvlong)q; }
static int qtype(Chan *c) { return (int)(c->qid.path & ((1 << QShift) - 1)); }
static int side(Chan *c) { return qtype(c) == Qdata1; }

/* The pipe directory's entries: data and data1, with the bytes each has to read. */
static int
pipegen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	static const char *names[2] = {"data", "data1"};
	Pipe *p = c->aux;

	if (i < 0 || i > 1)
		return 0;
	devdir(c, mkqid(qpath(p, Qdata0 + i), 0, QTFILE), names[i], p->q[i].len, eve, 0660, d);
	return 1;
}

static Chan *
pipeattach(const char *spec)
{
	Chan *c;
	Pipe *p;

	if ((p = malloc(sizeof *p)) == NULL) {
		werrstr("%s", Enomem);
		return NULL;
	}
	memset(p, 0, sizeof *p);
	if ((c = devattach('|', spec)) == NULL) {
		free(p);
		return NULL;
	}
	p->id = __atomic_add_fetch(&pipeid, 1, __ATOMIC_RELAXED);
	p->ref = 1;
	c->aux = p;
	c->qid = mkqid(qpath(p, Qdir), 0, QTDIR);
	return c;
}

/* Core cloned from into to: one more Chan (and an open one if to is open). */
static void
pipeclone(Chan *from, Chan *to)
{
	Pipe *p = from->aux;

	to->aux = p;
	lock(&p->l);
	p->ref++;
	if ((to->flag & COPEN) && qtype(to) != Qdir)
		p->qref[side(to)]++;
	unlock(&p->l);
}

static int
pipewalk(Chan *c, const char *name)
{
	/* devwalk's ".." would go to qid path 0; our root carries the pipe's id */
	if ((c->qid.type & QTDIR) && strcmp(name, "..") == 0) {
		c->qid = mkqid(qpath(c->aux, Qdir), 0, QTDIR);
		return 0;
	}
	return devwalk(c, name, NULL, 0, pipegen);
}

static int pipestat(Chan *c, uchar *buf, int n) { return devstat(c, buf, n, NULL, 0, pipegen); }

static int
pipeopen(Chan *c, int mode)
{
	Pipe *p = c->aux;

	if (devopen(c, mode, NULL, 0, pipegen) < 0)
		return -1;
	if (qtype(c) != Qdir) {
		lock(&p->l);
		p->qref[side(c)]++;
		unlock(&p->l);
	}
	return 0;
}

/* Free a chain of blocks. */
static void
freeblocks(Block *b)
{
	Block *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}

/*
 * Every Chan ends here.  The last open Chan of an end hangs that end up:
 * wake the other end's reader (it sees end of file) and writer (its
 * write fails), and drop what nobody will read.  The last Chan frees the pipe.
 */
static void
pipeclose(Chan *c)
{
	Pipe *p = c->aux;
	Block *drop = NULL;
	int s = side(c), hangup = 0, last;

	if (p == NULL)
		return;
	lock(&p->l);
	if ((c->flag & COPEN) && qtype(c) != Qdir && --p->qref[s] == 0) {
		p->hung[s] = 1;
		hangup = 1;
		drop = p->q[s].head;
		p->q[s].head = p->q[s].tail = NULL;
		p->q[s].len = 0;
	}
	unlock(&p->l);
	freeblocks(drop);
	/* Wake while c's reference still keeps the pipe alive. */
	if (hangup) {
		rwakeup(&p->rr[s ^ 1]);
		rwakeup(&p->wr[s]);
	}
	lock(&p->l);
	last = --p->ref == 0;
	unlock(&p->l);
	if (last) {
		freeblocks(p->q[0].head);
		freeblocks(p->q[1].head);
		free(p);
	}
	c->aux = NULL;
}

struct Waitarg {
	Pipe *p;
	int q;     /* the queue */
	long need; /* a writer's block size */
};

/* Reader of q: data, or the writing end hung up. */
static int
canread(void *arg)
{
	Waitarg *w = arg;

	return w->p->q[w->q].head != NULL || w->p->hung[w->q ^ 1];
}

/* Writer of q: room for its block, or the reading end hung up. */
static int
canwrite(void *arg)
{
	Waitarg *w = arg;

	return w->p->q[w->q].len + w->need <= PipeQMax || w->p->hung[w->q];
}

/*
 * Read end s: the rest of the first block (or n bytes of it).  Blocks
 * until there is a block or the other end hung up (0, end of file);
 * -1 "interrupted" on a note.
 */
static long
piperead_(Pipe *p, int s, uchar *buf, long n)
{
	Waitarg w = {p, s, 0};
	Block *b, *done = NULL;

	if (n <= 0)
		return 0;
	qlock(&p->rlock[s]);
	if (rsleep(&p->rr[s], canread, &w) < 0) {
		qunlock(&p->rlock[s]);
		werrstr("%s", Einterrupted);
		return -1;
	}
	lock(&p->l);
	if ((b = p->q[s].head) == NULL)
		n = 0; /* hung up and drained */
	else {
		if (n > b->n - b->rp)
			n = b->n - b->rp;
		memmove(buf, b->data + b->rp, (size_t)n);
		b->rp += n;
		p->q[s].len -= n;
		if (b->rp == b->n) {
			p->q[s].head = b->next;
			if (p->q[s].head == NULL)
				p->q[s].tail = NULL;
			done = b;
		}
	}
	unlock(&p->l);
	qunlock(&p->rlock[s]);
	free(done);
	if (n > 0)
		rwakeup(&p->wr[s]);
	return n;
}

/*
 * Write end s (into q[s^1]) in blocks of at most PipeQMax bytes, each
 * queued whole when there is room.  Returns n; or what was written
 * before a note interrupted (-1 "interrupted" if nothing); -1 "write on
 * closed pipe" when the reading end is gone.
 */
static long
pipewrite_(Pipe *p, int s, const uchar *buf, long n)
{
	Waitarg w = {p, s ^ 1, 0};
	long done = 0;
	Block *b;

	qlock(&p->wlock[w.q]);
	while (done < n) {
		w.need = n - done < PipeQMax ? n - done : PipeQMax;
		if ((b = malloc(sizeof *b + (size_t)w.need)) == NULL) {
			werrstr("%s", Enomem);
			goto bad;
		}
		b->next = NULL;
		b->n = w.need;
		b->rp = 0;
		memmove(b->data, buf + done, (size_t)w.need);
		if (rsleep(&p->wr[w.q], canwrite, &w) < 0) {
			free(b);
			werrstr("%s", Einterrupted);
			goto bad;
		}
		lock(&p->l);
		if (p->hung[w.q]) {
			unlock(&p->l);
			free(b);
			werrstr("write on closed pipe");
			done = 0; /* an error, as in Plan 9, even after a partial write */
			goto bad;
		}
		if (p->q[w.q].tail != NULL)
			p->q[w.q].tail->next = b;
		else
			p->q[w.q].head = b;
		p->q[w.q].tail = b;
		p->q[w.q].len += b->n;
		unlock(&p->l);
		rwakeup(&p->rr[w.q]);
		done += w.need;
	}
	qunlock(&p->wlock[w.q]);
	return n;
bad:
	qunlock(&p->wlock[w.q]);
	return done > 0 ? done : -1;
}

static long
piperead(Chan *c, void *buf, long n, vlong off)
{
	if (qtype(c) == Qdir)
		return devdirread(c, buf, n, off, NULL, 0, pipegen);
	return piperead_(c->aux, side(c), buf, n);
}

static long
pipewrite(Chan *c, const void *buf, long n, vlong off)
{
	if (qtype(c) == Qdir) {
		werrstr("%s", Eisdir);
		return -1;
	}
	return pipewrite_(c->aux, side(c), buf, n);
}

static void pipeinit(void) {}

Dev pipedevtab = {
	.dc = '|',
	.name = "pipe",
	.init = pipeinit,
	.attach = pipeattach,
	.clone = pipeclone,
	.walk = pipewalk,
	.stat = pipestat,
	.open = pipeopen,
	.create = devcreate,
	.close = pipeclose,
	.read = piperead,
	.write = pipewrite,
	.remove = devremove,
	.wstat = devwstat,
};
