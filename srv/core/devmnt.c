/* SPDX-License-Identifier: MIT */
/*
 * "#M": the mount driver, core's 9P client.  A mount of a file
 * descriptor makes a connection (Mnt) to the server behind it, and the
 * Chans of the mounted tree are 'M' Chans, each holding one fid.
 *
 * Two transports:
 *   - IPC channels ("#X", made by CoreIpcsrv): the message goes into a
 *     shared slot (slot = tag) and one mu call carries it; many requests
 *     may be outstanding, one per clerk.
 *   - any other Chan (a pipe, later TCP): messages are written to it and
 *     the reply read back, one request at a time (see streamrpc).
 * Replies are checked: size, tag, type, counts.  A reply that breaks the
 * protocol fails the call with "mount rpc error: ..." (and a stream
 * connection is closed for good, since it can no longer be trusted).  A
 * note interrupts a waiting call: core sends Tflush and gives up.  A
 * clunk never waits long: a process that ends, or unmounts, must not
 * hang on a server that does not answer.
 *
 * Walks are lazy about cloning: cclone of an 'M' Chan only notes which
 * fid it was cloned from; the next walk sends one Twalk from that fid.
 */
#include "dat.h"
#include "fns.h"
#include "lib/lib9p/fcall.h"

typedef struct Mnt Mnt;
typedef struct Ipc Ipc;

struct Ipc {
	long ref;
	long ep;             /* the server's endpoint (core's handle) */
	long mem;
	uchar *region;
	int id;
	Proc *srv;           /* the process whose task holds the receive end (mntlock) */
	int dead;            /* that task is gone: no one will ever answer */
};

enum {
	StreamTags = 32,     /* stream: requests are tagged 1..31 */
	NClunk = 32,         /* stream: clunks queued while the connection is busy */
	FlushMs = 1000,      /* IPC: how long a Tflush may take */
	ClunkMs = 2000,      /* IPC: how long a Tclunk may take */
};

struct Mnt {
	long ref;
	Ipc *ipc;            /* IPC transport, or NULL */
	Chan *c;             /* stream transport */
	QLock wl;            /* stream: from a request's write to its reply */
	uchar *sbuf;         /* stream: message buffers (wl) */
	uchar *rbuf;
	uint owed;           /* stream: tags whose replies are still to come, to drop (wl) */
	ushort flushof[StreamTags]; /* stream: the tag each owed Tflush flushes (wl) */
	Lock tl;
	uint tags;           /* IPC: slots in use (bit per slot) */
	uint lost;           /* IPC: slots a server never gave back */
	Rendez tr;           /* waiting for a free slot */
	int nwait;           /* threads that will wait on tr (under tl) */
	uint clunk[NClunk];  /* stream: fids closed while wl was held (tl) */
	int nclunk;
	uint msize;
	uint nextfid;
	int dead;            /* stream broken: every call fails */
	uint id;             /* the Chans' dev: tells this server's files from another's */
	Mnt *next;
};

enum { Pending = 1ul << 32 };  /* Chan.auxn: fid to clone from | Pending */

static Lock mntlock;
static Mnt *mnts;
static uint mntid;
static int nipc;
enum { NIpc = 1024 };
static Ipc *ipctab[NIpc];     /* every channel made, by id (never freed) */
static const char Egone[] = "mount rpc error: server gone";
extern Dev mntdevtab, ipcdevtab;

/* ------------------------------------------------------------------ */
/* transport */

typedef struct Rpc Rpc;
struct Rpc {
	Mnt *m;
	int slot;            /* IPC slot = tag */
	uchar *rbuf;         /* the reply's bytes */
	Fcall r;
};

static int
freeslot(void *a)
{
	Mnt *m = a;
	return ((m->tags | m->lost) & 0xffffffffu) != 0xffffffffu;
}

/* Take the lowest free slot, or -1; m->tl is held. */
static inline int
takeslot(Mnt *m)
{
	uint used = m->tags | m->lost;

	if (used == 0xffffffffu)
		return -1;
	int s = __builtin_ctz(~used);
	m->tags |= 1u << s;
	return s;
}

/* getslot found every slot taken: wait for one. */
static __attribute__((noinline)) int
getslotwait(Mnt *m)
{
	for (;;) {
		lock(&m->tl);
		int s = takeslot(m);
		if (s >= 0) {
			unlock(&m->tl);
			return s;
		}
		if (m->lost == 0xffffffffu) {
			unlock(&m->tl);
			werrstr("mount rpc error: server lost every request slot");
			return -1;
		}
		m->nwait++; /* before the slot check's lock is let go: no lost wakeup */
		unlock(&m->tl);
		int r = rsleep(&m->tr, freeslot, m);
		lock(&m->tl);
		m->nwait--;
		unlock(&m->tl);
		if (r < 0)
			return -1;
	}
}

/* A free slot (its number is the request's tag), or -1 (interrupted,
 * or the server lost them all). */
static inline int
getslot(Mnt *m)
{
	lock(&m->tl);
	int s = takeslot(m);
	unlock(&m->tl);
	return s >= 0 ? s : getslotwait(m);
}

static inline void
putslot(Mnt *m, int s, int lost)
{
	lock(&m->tl);
	m->tags &= ~(1u << s);
	if (lost)
		m->lost |= 1u << s;
	int wake = m->nwait > 0;
	unlock(&m->tl);
	if (wake)
		rwakeup(&m->tr);
}

static int
rpcerror(Rpc *x, const char *why)
{
	werrstr("mount rpc error: %s", why);
	return -1;
}

/* Has a note come for the process this thread serves? */
static int
gotnote(void)
{
	Clerk *c = clerkof();

	return c != NULL && __atomic_load_n(&c->intr, __ATOMIC_SEQ_CST);
}

/* Check the reply in x->r against request t. */
static int
checkreply(Rpc *x, Fcall *t, int n, uint len)
{
	if (n < 0)
		return rpcerror(x, fcall_errstr(n));
	if ((uint)n != len)
		return rpcerror(x, "reply size mismatch");
	if (x->r.tag != t->tag)
		return rpcerror(x, "wrong tag in reply");
	if (x->r.type == Rerror) {
		char e[ERRMAX];
		uint l = x->r.ename.len < ERRMAX - 1 ? x->r.ename.len : ERRMAX - 1;
		memcpy(e, x->r.ename.s, l);
		e[l] = 0;
		werrstr("%s", e);
		return -1;
	}
	if (x->r.type != t->type + 1)
		return rpcerror(x, "wrong reply type");
	if (t->type == Tread && x->r.count > t->count)
		return rpcerror(x, "read count larger than asked");
	if (t->type == Twrite && x->r.count > t->count)
		return rpcerror(x, "write count larger than asked");
	if (t->type == Twalk && x->r.nwqid > t->nwname)
		return rpcerror(x, "more qids than names in walk");
	return 0;
}

/*
 * IPC: tell the server to forget the request in slot s (interrupted, or
 * not answered in time), waiting FlushMs at most for the Rflush.  Frees
 * s, or marks it lost if the server does not confirm: it may still
 * write its reply there.
 */
static void
ipcflush(Mnt *m, int s)
{
	int fs = getslot(m);

	if (fs < 0) {
		putslot(m, s, 1);
		return;
	}
	Fcall f = { .type = Tflush, .tag = fs, .oldtag = s };
	uint fl = fcall_pack(&f, CoreIpcSlot(m->ipc->region, fs), m->msize);
	MuMsg fm = { .tag = TAG(CoreLabel9P, 2, 0) | TAG_WITHMS(0, FlushMs), .mr = { fs, fl } };
	curclerk()->waits = "9p flush";
	long r = mu_call(m->ipc->ep, &fm);
	curclerk()->waits = NULL;
	/* whatever the Rflush says: once it came, the server is done with both */
	putslot(m, fs, r < 0);
	putslot(m, s, r < 0);
}

static int ipcfailed(Mnt *m, int s, long r, int clunk);

/*
 * Send the len-byte T-message in slot s and wait for the server's answer;
 * 0 and its length in *rlen, or -1 with slot s given back (or marked lost).
 * A note cancels the call (clerkintr), except a clunk's: a clunk goes out
 * even after a note (a process that ends clunks its fids) but waits only
 * so long for an answer.
 */
static inline int
ipcsend(Mnt *m, int s, uint len, uint *rlen, int clunk)
{
	Ipc *ipc = m->ipc;
	Clerk *c = curclerk();
	MuMsg msg = { .tag = TAG(CoreLabel9P, 2, 0), .mr = { s, len } };
	long r;

	if (clunk) {
		if (__atomic_load_n(&ipc->dead, __ATOMIC_SEQ_CST)) {
			putslot(m, s, 0);
			werrstr("%s", Egone);
			return -1;
		}
		msg.tag |= TAG_WITHMS(0, ClunkMs);
		c->waits = "9p clunk";
		r = mu_call(ipc->ep, &msg);
		c->waits = NULL;
	} else {
		/* inipc first, then the checks: clerkintr and ipcsrvgone set
		 * their flag first, then look at inipc (no cancel is missed) */
		__atomic_store_n(&c->inipc, ipc, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&c->intr, __ATOMIC_SEQ_CST) | __atomic_load_n(&ipc->dead, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&c->inipc, NULL, __ATOMIC_SEQ_CST);
			putslot(m, s, 0);
			werrstr("%s", c->intr ? Einterrupted : Egone);
			return -1;
		}
		c->waits = "9p call";
		r = mu_call(ipc->ep, &msg);
		c->waits = NULL;
		__atomic_store_n(&c->inipc, NULL, __ATOMIC_SEQ_CST);
	}
	if (r < 0)
		return ipcfailed(m, s, r, clunk);
	if (TAG_LABEL(msg.tag) != CoreLabel9P || msg.mr[0] != (MuWord)s || msg.mr[1] > CoreIpcSlotSize) {
		putslot(m, s, 0);
		return rpcerror(NULL, "bad reply message");
	}
	*rlen = msg.mr[1];
	return 0;
}

/* ipcsend's call on slot s failed with r: interrupted, timed out, or the server is gone. */
static __attribute__((noinline)) int
ipcfailed(Mnt *m, int s, long r, int clunk)
{
	if (__atomic_load_n(&m->ipc->dead, __ATOMIC_SEQ_CST)) {
		putslot(m, s, 0);
		werrstr("%s", Egone);
	} else if (!clunk && curclerk()->intr) {
		ipcflush(m, s);
		werrstr("%s", Einterrupted);
	} else if (r == -ErrTimeout) {
		ipcflush(m, s);
		werrstr("mount rpc error: no answer to a clunk");
	} else if (r == -ErrGone) {
		/* the server thread that had our call died; the kernel told us
		 * before its process's end reached ipcsrvgone (another cpu) */
		putslot(m, s, 1);
		werrstr("%s", Egone);
	} else {
		putslot(m, s, 1);
		werrstr("mount rpc error: %s", mu_errstr(r));
	}
	return -1;
}

static int
ipcrpc(Mnt *m, Fcall *t, Rpc *x)
{
	int s;
	uint len = 0;

	if ((s = getslot(m)) < 0)
		return -1;
	x->slot = s;
	if (t->type != Tversion)
		t->tag = s;
	uchar *slot = CoreIpcSlot(m->ipc->region, s);
	if ((len = fcall_pack(t, slot, m->msize)) == 0) {
		putslot(m, s, 0);
		werrstr("message too big");
		return -1;
	}
	if (ipcsend(m, s, len, &len, t->type == Tclunk) < 0)
		return -1;
	x->rbuf = slot;
	int n = fcall_unpack(slot, len, &x->r);
	if (checkreply(x, t, n, len) < 0) {
		putslot(m, s, 0);
		return -1;
	}
	return 0;
}

/*
 * The stream transport.  The holder of m->wl writes its request and
 * reads replies until its own comes.  A request cut short by a note
 * sends Tflush and leaves: its reply (if any) and the Rflush are owed,
 * and whoever next reads the stream drops them (flush(5): the old tag is
 * not used again until the Rflush).  Clunks are never waited for: they
 * are written at once, or by the holder if the connection is busy, and
 * their replies are owed too.  So a process that ends never waits on a
 * server, and a silent server costs tags, not clerks.  A stream that is
 * out of step (half a message, a protocol error) is dead.
 */
enum { Instep = -1, Broken = -2 };

/* Read exactly n bytes; Instep if a note came before any, else Broken. */
static int
readfull(Chan *c, uchar *buf, uint n, int first)
{
	uint got = 0;
	long r;

	while (got < n) {
		r = devtab[c->type]->read(c, buf + got, n - got, 0);
		if (r == 0) {
			werrstr("mount rpc error: server hung up");
			return Broken;
		}
		if (r < 0)
			return first && got == 0 && gotnote() ? Instep : Broken;
		got += (uint)r;
	}
	return 0;
}

/* A tag for a new request: the lowest that no reply is owed on; 0 if none. */
static uint
streamtag(Mnt *m)
{
	uint free = ~m->owed & ~1u;

	return free ? (uint)__builtin_ctz(free) : 0;
}

/* Write t with a fresh tag (held: wl).  -1 if it cannot; half a message kills the stream. */
static int
streamsend(Mnt *m, Fcall *t)
{
	uint len;
	long w;

	if (t->type != Tversion && (t->tag = streamtag(m)) == 0) {
		werrstr("mount rpc error: server owes a reply on every tag");
		return -1;
	}
	if ((len = fcall_pack(t, m->sbuf, m->msize)) == 0) {
		werrstr("message too big");
		return -1;
	}
	w = devtab[m->c->type]->write(m->c, m->sbuf, len, 0);
	if (w == (long)len)
		return 0;
	if (w > 0 || !gotnote())
		m->dead = 1;
	return -1;
}

static void
owe(Mnt *m, uint tag, uint flushes)
{
	m->owed |= 1u << tag;
	m->flushof[tag] = (ushort)flushes;
}

/* An owed reply came: forget it (an Rflush also frees the tag it flushed). */
static void
dropowed(Mnt *m, Fcall *r)
{
	if (r->type == Rflush) {
		m->owed &= ~(1u << m->flushof[r->tag] | 1u << r->tag);
		return;
	}
	for (int f = 1; f < StreamTags; f++)
		if ((m->owed >> f & 1) && m->flushof[f] == r->tag)
			return; /* flushed: the tag stays owed until the Rflush */
	m->owed &= ~(1u << r->tag);
}

/* Read replies until the one tagged tag: the result of fcall_unpack, Instep or Broken. */
static int
streamwait(Mnt *m, uint tag, Rpc *x)
{
	uint len;
	int n, e;

	for (;;) {
		if ((e = readfull(m->c, m->rbuf, 4, 1)) < 0)
			return e;
		len = m->rbuf[0] | m->rbuf[1] << 8 | m->rbuf[2] << 16 | (uint)m->rbuf[3] << 24;
		if (len < 7 || len > m->msize) {
			rpcerror(x, "reply size out of range");
			return Broken;
		}
		if (readfull(m->c, m->rbuf + 4, len - 4, 0) < 0)
			return Broken;
		n = fcall_unpack(m->rbuf, len, &x->r);
		if (n < 0 || (uint)n != len) {
			rpcerror(x, n < 0 ? fcall_errstr(n) : "reply size mismatch");
			return Broken;
		}
		if (x->r.tag == tag)
			return n;
		if (x->r.tag >= StreamTags || !(m->owed >> x->r.tag & 1) || x->r.tag == 0) {
			rpcerror(x, "wrong tag in reply");
			return Broken;
		}
		dropowed(m, &x->r);
	}
}

/* Ask the server to forget request tag, interrupted (held: wl). */
static void
streamflush(Mnt *m, uint tag)
{
	Fcall f;

	owe(m, tag, 0);
	memset(&f, 0, sizeof f);
	f.type = Tflush;
	f.oldtag = tag;
	if (streamsend(m, &f) == 0)
		owe(m, f.tag, tag);
}

/* Write the clunks queued meanwhile (held: wl); a clunk that cannot go is dropped. */
static void
streamclunks(Mnt *m)
{
	Fcall t;

	for (;;) {
		lock(&m->tl);
		if (m->nclunk == 0 || m->dead) {
			m->nclunk = 0;
			unlock(&m->tl);
			return;
		}
		memset(&t, 0, sizeof t);
		t.type = Tclunk;
		t.fid = m->clunk[--m->nclunk];
		unlock(&m->tl);
		if (streamsend(m, &t) == 0)
			owe(m, t.tag, 0);
	}
}

/* Let go of wl, writing the clunks queued meanwhile first; errstr is kept. */
static void
streamrelease(Mnt *m)
{
	char err[ERRMAX];
	int more;

	rerrstr(err, sizeof err);
	for (;;) {
		streamclunks(m);
		qunlock(&m->wl);
		lock(&m->tl);
		more = m->nclunk > 0;
		unlock(&m->tl);
		if (!more || !canqlock(&m->wl))
			break;
	}
	werrstr("%s", err);
}

/* Clunk fid: queue it, and write it now if the connection is free. */
static void
streamclunk(Mnt *m, uint fid)
{
	lock(&m->tl);
	if (m->nclunk < NClunk) /* else the server is hopeless: the fid stays */
		m->clunk[m->nclunk++] = fid;
	unlock(&m->tl);
	if (canqlock(&m->wl))
		streamrelease(m);
}

static int
streamrpc(Mnt *m, Fcall *t, Rpc *x)
{
	int n;

	if (qlockintr(&m->wl) < 0)
		return -1;
	x->slot = -1;
	x->rbuf = m->rbuf;
	streamclunks(m);
	if (m->dead) {
		werrstr("mount rpc error: connection closed after a protocol error");
		goto out;
	}
	if (streamsend(m, t) < 0)
		goto out;
	if ((n = streamwait(m, t->tag, x)) < 0) {
		if (n == Instep && t->type != Tversion)
			streamflush(m, t->tag);
		else
			m->dead = 1;
		goto out;
	}
	if (checkreply(x, t, n, n) < 0) {
		if (x->r.type != Rerror)
			m->dead = 1; /* a plain error leaves the connection fine */
		goto out;
	}
	return 0; /* m->wl stays locked until rpcdone */
out:
	streamrelease(m);
	return -1;
}

static int
rpc(Mnt *m, Fcall *t, Rpc *x)
{
	x->m = m;
	return m->ipc ? ipcrpc(m, t, x) : streamrpc(m, t, x);
}

/* Done with x's reply bytes. */
static void
rpcdone(Rpc *x)
{
	if (x->m->ipc)
		putslot(x->m, x->slot, 0);
	else
		streamrelease(x->m);
}

/* An RPC whose reply carries nothing the caller needs. */
static int
rpc0(Mnt *m, Fcall *t)
{
	Rpc x;

	if (rpc(m, t, &x) < 0)
		return -1;
	rpcdone(&x);
	return 0;
}

/* Clunk fid, waiting little or not at all for the server (ipcrpc, streamclunk). */
static void
mntclunk(Mnt *m, uint fid)
{
	Fcall t;

	if (m->ipc == NULL) {
		streamclunk(m, fid);
		return;
	}
	t.type = Tclunk;
	t.fid = fid;
	rpc0(m, &t);
}

/* ------------------------------------------------------------------ */
/* connections */

static Mnt *
mntnew(Chan *srv)
{
	Mnt *m = malloc(sizeof *m);
	Fcall t;
	Rpc x;

	if (m == NULL)
		return NULL;
	memset(m, 0, sizeof *m);
	m->ref = 1;
	m->nextfid = 1;
	m->id = __atomic_add_fetch(&mntid, 1, __ATOMIC_RELAXED);
	if (devtab[srv->type] == &ipcdevtab) {
		m->ipc = srv->aux;
		incref(&m->ipc->ref);
		m->msize = CoreIpcMsize;
	} else {
		m->c = srv;
		incref(&srv->ref);
		m->msize = IOUNIT + IOHDRSZ;
		m->sbuf = malloc(m->msize);
		m->rbuf = malloc(m->msize);
		if (m->sbuf == NULL || m->rbuf == NULL)
			goto bad;
	}
	memset(&t, 0, sizeof t);
	t.type = Tversion;
	t.tag = NOTAG;
	t.msize = m->msize;
	t.version = fstr("9P2000");
	if (rpc(m, &t, &x) < 0)
		goto bad;
	if (x.r.msize < 256 || x.r.msize > m->msize || x.r.version.len != 6 ||
	    memcmp(x.r.version.s, "9P2000", 6) != 0) {
		rpcdone(&x);
		werrstr("mount: server does not speak 9P2000");
		goto bad;
	}
	m->msize = x.r.msize;
	rpcdone(&x);
	return m;
bad:
	if (m->ipc)
		decref(&m->ipc->ref);
	if (m->c)
		cclose(m->c);
	free(m->sbuf);
	free(m->rbuf);
	free(m);
	return NULL;
}

static void
mntput(Mnt *m)
{
	if (decref(&m->ref) > 0)
		return;
	lock(&mntlock);
	for (Mnt **l = &mnts; *l; l = &(*l)->next)
		if (*l == m) {
			*l = m->next;
			break;
		}
	unlock(&mntlock);
	if (m->ipc)
		decref(&m->ipc->ref);
	if (m->c)
		cclose(m->c);
	free(m->sbuf);
	free(m->rbuf);
	free(m);
}

static Mnt *
mntget(Chan *srv)
{
	Mnt *m;

	lock(&mntlock);
	for (m = mnts; m; m = m->next)
		if ((m->ipc && m->ipc == srv->aux && devtab[srv->type] == &ipcdevtab) || m->c == srv) {
			incref(&m->ref);
			unlock(&mntlock);
			return m;
		}
	unlock(&mntlock);
	if ((m = mntnew(srv)) == NULL)
		return NULL;
	lock(&mntlock);
	m->next = mnts;
	mnts = m;
	unlock(&mntlock);
	return m;
}

static uint
newfid(Mnt *m)
{
	return __atomic_fetch_add(&m->nextfid, 1, __ATOMIC_RELAXED);
}

Chan *
mntattach(Chan *srv, const char *spec)
{
	Mnt *m;
	Chan *c;
	Fcall t;
	Rpc x;

	if ((m = mntget(srv)) == NULL)
		return NULL;
	memset(&t, 0, sizeof t);
	t.type = Tattach;
	t.fid = newfid(m);
	t.afid = NOFID;
	t.uname = fstr(up && up->user ? up->user : eve);
	t.aname = fstr(spec);
	if (rpc(m, &t, &x) < 0) {
		mntput(m);
		return NULL;
	}
	if ((c = newchan()) == NULL) {
		rpcdone(&x);
		mntput(m);
		return NULL;
	}
	c->type = devno(&mntdevtab);
	c->dev = m->id;
	c->qid = x.r.qid;
	c->fid = t.fid;
	c->aux = m;
	rpcdone(&x);
	return c;
}

/* ------------------------------------------------------------------ */
/* the Dev */

static Chan *
mntattachdev(const char *spec)
{
	werrstr("#M is reached through mount");
	return NULL;
}

static void
mntclone(Chan *from, Chan *to)
{
	Mnt *m = from->aux;

	incref(&m->ref);
	if (from->auxn & Pending)
		to->auxn = from->auxn; /* clone of a clone: same source */
	else
		to->auxn = from->fid | Pending;
	to->fid = newfid(m);
	to->flag &= ~COPEN;
}

/* Make a pending clone real: Twalk from its source with no names. */
static int
materialize(Chan *c)
{
	Fcall t;

	if (!(c->auxn & Pending))
		return 0;
	memset(&t, 0, sizeof t);
	t.type = Twalk;
	t.fid = (uint)c->auxn;
	t.newfid = c->fid;
	t.nwname = 0;
	if (rpc0(c->aux, &t) < 0)
		return -1;
	c->auxn = 0;
	return 0;
}

static int
mntwalk(Chan *c, const char *name)
{
	Mnt *m = c->aux;
	Fcall t;
	Rpc x;

	t.type = Twalk;
	t.fid = (c->auxn & Pending) ? (uint)c->auxn : c->fid;
	t.newfid = c->fid;
	t.nwname = 1;
	t.wname[0] = fstr(name);
	if (rpc(m, &t, &x) < 0)
		return -1;
	if (x.r.nwqid != 1) {
		rpcdone(&x);
		werrstr("%s", Enonexist);
		return -1;
	}
	c->qid = x.r.wqid[0];
	c->auxn = 0;
	rpcdone(&x);
	return 0;
}

static int
mntstat(Chan *c, uchar *buf, int n)
{
	Fcall t;
	Rpc x;
	int len;

	if (materialize(c) < 0)
		return -1;
	t.type = Tstat;
	t.fid = c->fid;
	if (rpc(c->aux, &t, &x) < 0)
		return -1;
	len = x.r.nstat;
	if (len <= n)
		memcpy(buf, x.r.stat, len);
	else if (n >= 2) {
		memcpy(buf, x.r.stat, 2); /* the size: the caller retries with more */
		len = 2;
	} else
		len = -1;
	rpcdone(&x);
	if (len < 0)
		werrstr("stat buffer too small");
	return len;
}

/* Topen or Tcreate t: c then names the opened file. */
static int
openrpc(Chan *c, Fcall *t, int mode)
{
	Rpc x;

	t->mode = mode & (3 | OTRUNC | ORCLOSE);
	if (rpc(c->aux, t, &x) < 0)
		return -1;
	c->qid = x.r.qid;
	c->iounit = x.r.iounit;
	rpcdone(&x);
	return 0;
}

static int
mntopen(Chan *c, int mode)
{
	Fcall t;

	if (materialize(c) < 0)
		return -1;
	t.type = Topen;
	t.fid = c->fid;
	return openrpc(c, &t, mode);
}

static int
mntcreate(Chan *c, const char *name, int mode, ulong perm)
{
	Fcall t;

	if (materialize(c) < 0)
		return -1;
	memset(&t, 0, sizeof t);
	t.type = Tcreate;
	t.fid = c->fid;
	t.name = fstr(name);
	t.perm = perm;
	return openrpc(c, &t, mode);
}

static void
mntclose(Chan *c)
{
	Mnt *m = c->aux;

	if (m == NULL)
		return;
	if (!(c->auxn & Pending) && c->fid != NOFID)
		mntclunk(m, c->fid);
	mntput(m);
}

/*
 * A read over IPC, the hot path of every file on a server: Tread and
 * Rread by hand, the data straight from the slot into buf.  A reply that
 * is anything but a well-formed Rread goes through the general decoder
 * and checkreply, which say what it is (the server's error, or which
 * protocol fault).
 */
static long
ipcread9p(Mnt *m, uint fid, uchar *buf, uint n, vlong off)
{
	uint len = 0;
	long cnt;
	int s;

	if ((s = getslot(m)) < 0)
		return -1;
	uchar *p = CoreIpcSlot(m->ipc->region, s);
	fcall_packtread(p, s, fid, off, n);
	if (ipcsend(m, s, TREADSZ, &len, 0) < 0)
		return -1;
	if ((cnt = fcall_rreadcount(p, len, s, n)) >= 0) {
		memcpy(buf, p + RREADHDR, cnt);
		putslot(m, s, 0);
		return cnt;
	}
	Fcall t = { .type = Tread, .tag = s, .fid = fid, .offset = off, .count = n };
	Rpc x = { .m = m, .slot = s, .rbuf = p };
	if (checkreply(&x, &t, fcall_unpack(p, len, &x.r), len) == 0)
		rpcerror(&x, "malformed read reply");
	putslot(m, s, 0);
	return -1;
}

static long
mntread(Chan *c, void *buf, long n, vlong off)
{
	Mnt *m = c->aux;
	Fcall t;
	Rpc x;
	long max = m->msize - IOHDRSZ;

	if (m->ipc)
		return ipcread9p(m, c->fid, buf, n > max ? max : n, off);
	t.type = Tread;
	t.fid = c->fid;
	t.offset = off;
	t.count = n > max ? max : n;
	if (rpc(m, &t, &x) < 0)
		return -1;
	n = x.r.count;
	memcpy(buf, x.r.data, n);
	rpcdone(&x);
	return n;
}

static long
mntwrite(Chan *c, const void *buf, long n, vlong off)
{
	Mnt *m = c->aux;
	Fcall t;
	Rpc x;
	long max = m->msize - IOHDRSZ, done = 0;

	do {
		long k = n - done > max ? max : n - done;
		t.type = Twrite;
		t.fid = c->fid;
		t.offset = off + done;
		t.count = k;
		t.data = (const uchar *)buf + done;
		if (rpc(m, &t, &x) < 0)
			return done ? done : -1;
		long w = x.r.count;
		rpcdone(&x);
		done += w;
		if (w < k)
			break;
	} while (done < n);
	return done;
}

static int
mntremove(Chan *c)
{
	Fcall t;
	int r;

	if (materialize(c) < 0)
		return -1;
	memset(&t, 0, sizeof t);
	t.type = Tremove;
	t.fid = c->fid;
	r = rpc0(c->aux, &t);
	c->fid = NOFID; /* the server clunked it either way */
	return r;
}

static int
mntwstat(Chan *c, const uchar *buf, int n)
{
	Fcall t;

	if (materialize(c) < 0)
		return -1;
	memset(&t, 0, sizeof t);
	t.type = Twstat;
	t.fid = c->fid;
	t.nstat = n;
	t.stat = buf;
	return rpc0(c->aux, &t);
}

Dev mntdevtab = {
	.dc = 'M',
	.name = "mnt",
	.attach = mntattachdev,
	.clone = mntclone,
	.walk = mntwalk,
	.stat = mntstat,
	.open = mntopen,
	.create = mntcreate,
	.close = mntclose,
	.read = mntread,
	.write = mntwrite,
	.remove = mntremove,
	.wstat = mntwstat,
};

/* ------------------------------------------------------------------ */
/* "#X": IPC channels, the client end of a server made by CoreIpcsrv */

Chan *
ipcsrvchan(Proc *p, long *ephandle, MuWord *va)
{
	Ipc *ipc = malloc(sizeof *ipc);
	Chan *c;
	long e;

	if (ipc == NULL) {
		werrstr("%s", Enomem);
		return NULL;
	}
	memset(ipc, 0, sizeof *ipc);
	ipc->ref = 1;
	lock(&mntlock);
	ipc->id = nipc++;
	unlock(&mntlock);
	if (ipc->id >= NIpc) {
		werrstr("too many IPC channels");
		goto bad;
	}
	ipc->ep = mu_objcreate(mu_pool, ObjEndpoint);
	ipc->mem = mu_memalloc(corepool, CoreIpcRegionPages, MemZero);
	if (ipc->ep < 0 || ipc->mem < 0) {
		werrstr("%s", Enomem);
		goto bad;
	}
	ipc->region = (uchar *)(CoreIpcRegionVa + (MuWord)ipc->id * (1ul << 20));
	*va = 0x7e8000000000ul + (MuWord)ipc->id * (1ul << 20);
	if ((e = mu_map(mu_task, ipc->mem, 0, (MuWord)ipc->region, CoreIpcRegionPages, RRead | RWrite)) < 0 ||
	    (e = mu_map(p->task, ipc->mem, 0, *va, CoreIpcRegionPages, RRead | RWrite)) < 0) {
		werrstr("map: %s", mu_errstr(e));
		goto bad;
	}
	if ((*ephandle = mu_handlegive(p->task, ipc->ep, RRecv, 0)) < 0) {
		werrstr("cannot give the endpoint");
		goto bad;
	}
	if ((c = newchan()) == NULL)
		goto bad;
	c->type = devno(&ipcdevtab);
	c->qid = mkqid(ipc->id, 0, QTFILE);
	c->aux = ipc;
	c->flag = COPEN;
	c->mode = ORDWR;
	setpath(c, "#X");
	lock(&mntlock);
	ipc->srv = p;
	__atomic_store_n(&ipctab[ipc->id], ipc, __ATOMIC_RELEASE);
	unlock(&mntlock);
	return c;
bad:
	if (ipc->ep >= 0)
		mu_close(ipc->ep);
	if (ipc->mem >= 0)
		mu_close(ipc->mem);
	free(ipc);
	return NULL;
}

static Chan *
ipcattach(const char *spec)
{
	werrstr("#X channels come from ipcsrv");
	return NULL;
}

static int
ipcwalk(Chan *c, const char *name)
{
	werrstr("%s", Enotdir);
	return -1;
}

static void
ipcclone(Chan *from, Chan *to)
{
	incref(&((Ipc *)from->aux)->ref);
}

static int
ipcstat(Chan *c, uchar *buf, int n)
{
	Dir d;
	char name[16];

	snprint(name, sizeof name, "ipc%d", ((Ipc *)c->aux)->id);
	devdir(c, c->qid, name, 0, eve, 0666, &d);
	return convD2M(&d, buf, n) > 0 ? (int)sizeD2M(&d) : -1;
}

static int
ipcopen(Chan *c, int mode)
{
	return 0;
}

/*
 * p's task is gone (exit or exec): the channels it served will never be
 * answered.  Mark them dead, so new calls fail "server gone" at once,
 * and cancel the calls that wait in them now (as clerkintr does).
 */
void
ipcsrvgone(Proc *p)
{
	int n = __atomic_load_n(&nipc, __ATOMIC_RELAXED);

	for (int i = 0; i < n && i < NIpc; i++) {
		Ipc *ipc = __atomic_load_n(&ipctab[i], __ATOMIC_ACQUIRE);
		if (ipc == NULL || __atomic_load_n(&ipc->srv, __ATOMIC_RELAXED) != p)
			continue;
		lock(&mntlock);
		int mine = ipc->srv == p;
		if (mine) {
			ipc->srv = NULL;
			__atomic_store_n(&ipc->dead, 1, __ATOMIC_SEQ_CST);
		}
		unlock(&mntlock);
		if (mine)
			clerkscancel(ipc);
	}
}

static void
ipcclose(Chan *c)
{
	Ipc *ipc = c->aux;

	if (decref(&ipc->ref) > 0)
		return;
	/* keep the region and endpoint: a server may still be using them */
}

static long
ipcread(Chan *c, void *buf, long n, vlong off)
{
	werrstr("an IPC channel is read by mount, not read");
	return -1;
}

static long
ipcwrite(Chan *c, const void *buf, long n, vlong off)
{
	werrstr("an IPC channel is written by mount, not write");
	return -1;
}

Dev ipcdevtab = {
	.dc = 'X',
	.name = "ipc",
	.attach = ipcattach,
	.clone = ipcclone,
	.walk = ipcwalk,
	.stat = ipcstat,
	.open = ipcopen,
	.create = devcreate,
	.close = ipcclose,
	.read = ipcread,
	.write = ipcwrite,
	.remove = devremove,
	.wstat = devwstat,
};
