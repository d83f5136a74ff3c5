/* SPDX-License-Identifier: MIT */
/*
 * The 9P2000 server framework (srv.h): decoding, fid bookkeeping,
 * version, flush and respond, for one connection on one thread.  The
 * request handling (srv_handle, respond) knows nothing of transports:
 * it reads a T-message from a buffer and packs the reply into the same
 * buffer, then calls the transport's deliver.  The two transports, IPC
 * slots and a byte stream on file descriptors, are at the end of the
 * file and left out of host builds, whose tests feed srv_handle
 * directly.  devsrv.c hosts a servant on top of this.
 */
#include "lib/lib9p/srv.h"
#ifndef HOSTTEST
#include "abi/core/sys.h"
#include "mu.h"
#endif

enum {
	Rstathdr = 4 + 1 + 2 + 2,  /* size type tag nstat */
	MinMsize = 256,            /* smaller cannot carry a stat record */
	DefMsize = 8192 + IOHDRSZ,
};

static const char Eunknownfid[] = "unknown fid";
static const char Efidinuse[] = "fid already in use";
static const char Enotsupported[] = "not supported";

static uint
le16(const uchar *p)
{
	return p[0] | (uint)p[1] << 8;
}

static void
put16(uchar *p, uint v)
{
	p[0] = (uchar)v;
	p[1] = (uchar)(v >> 8);
}

static void
put32(uchar *p, uint v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/* ---- fids ---- */

Fid *
srv_lookfid(Srv *s, uint fid)
{
	Fid *f;

	for (f = s->fids[fid % nelem(s->fids)]; f != NULL; f = f->next)
		if (f->fid == fid)
			return f;
	return NULL;
}

/* A new fid in the table (the table's reference) or NULL if in use or no memory. */
static Fid *
fidnew(Srv *s, uint fid)
{
	Fid *f;

	if (fid == NOFID || srv_lookfid(s, fid) != NULL)
		return NULL;
	if ((f = s->freefids) != NULL)
		s->freefids = f->next;
	else if ((f = malloc(sizeof *f)) == NULL)
		return NULL;
	memset(f, 0, sizeof *f);
	f->fid = fid;
	f->srv = s;
	f->omode = -1;
	f->ref = 1;
	f->next = s->fids[fid % nelem(s->fids)];
	s->fids[fid % nelem(s->fids)] = f;
	return f;
}

/* Take fid out of the table; the table's reference goes to the caller. */
static Fid *
fidremove(Srv *s, uint fid)
{
	Fid **l, *f;

	for (l = &s->fids[fid % nelem(s->fids)]; (f = *l) != NULL; l = &f->next)
		if (f->fid == fid) {
			*l = f->next;
			f->next = NULL;
			return f;
		}
	return NULL;
}

static void
fidput(Srv *s, Fid *f)
{
	if (f == NULL || --f->ref > 0)
		return;
	if (s->destroyfid)
		s->destroyfid(f);
	f->next = s->freefids;
	s->freefids = f;
}

void
srv_fidsclear(Srv *s)
{
	for (uint i = 0; i < nelem(s->fids); i++) {
		Fid *f;
		while ((f = s->fids[i]) != NULL) {
			s->fids[i] = f->next;
			f->next = NULL;
			fidput(s, f);
		}
	}
}

void
srv_end(Srv *s)
{
	Req *r;

	srv_fidsclear(s);
	for (Fid *f; (f = s->freefids) != NULL;) {
		s->freefids = f->next;
		free(f);
	}
	while ((r = s->freereqs) != NULL) {
		s->freereqs = r->next;
		free(r);
	}
}

/* ---- requests ---- */

/*
 * The first FcallScalars bytes of an Fcall hold every field but the walk
 * arrays (wname, wqid), which are read only up to nwname and nwqid: a
 * reply starts from them zeroed.
 */
enum { FcallScalars = 48 };
_Static_assert(offsetof(Fcall, aname) + sizeof(Fstr) <= FcallScalars &&
	       offsetof(Fcall, data) + sizeof(void *) <= FcallScalars &&
	       offsetof(Fcall, mode) < FcallScalars && offsetof(Fcall, iounit) + 4 <= FcallScalars &&
	       offsetof(Fcall, version) + sizeof(Fstr) <= FcallScalars &&
	       offsetof(Fcall, stat) + sizeof(void *) <= FcallScalars &&
	       offsetof(Fcall, wname) <= FcallScalars && offsetof(Fcall, wqid) <= FcallScalars,
	       "FcallScalars must cover every field but the walk arrays");

static Req *
reqalloc(Srv *s)
{
	Req *r = s->freereqs;

	if (r != NULL)
		s->freereqs = r->next;
	else if ((r = malloc(sizeof *r)) == NULL)
		return NULL;
	/* ifcall is srv_handle's to fill, ofcall too (it depends on the type) */
	r->fid = r->newfid = NULL;
	r->oldreq = NULL;
	r->aux = NULL;
	r->rbuf = NULL;
	r->nrbuf = 0;
	r->treply = 0;
	r->next = r->flushes = r->flink = NULL;
	r->ename[0] = 0;
	r->srv = s;
	return r;
}

static void
reqfree(Srv *s, Req *r)
{
	Fid *f = r->fid, *nf = r->newfid;

	r->fid = r->newfid = NULL;
	fidput(s, f);
	if (nf != f)
		fidput(s, nf);
	r->next = s->freereqs;
	s->freereqs = r;
}

static Req *
findpending(Srv *s, uint tag)
{
	for (Req *r = s->pending; r != NULL; r = r->next)
		if (r->tag == tag)
			return r;
	return NULL;
}

static void
unpend(Srv *s, Req *r)
{
	for (Req **l = &s->pending; *l != NULL; l = &(*l)->next)
		if (*l == r) {
			*l = r->next;
			r->next = NULL;
			return;
		}
}

/* The framework's side of a reply: fid states follow what the server did. */
static const char *
fixup(Srv *s, Req *r, const char *err)
{
	Fcall *in = &r->ifcall, *out = &r->ofcall;

	switch (in->type) {
	case Tattach:
		if (err == NULL)
			r->newfid->qid = out->qid;
		else if (r->newfid != NULL)
			fidput(s, fidremove(s, in->fid));
		break;
	case Twalk:
		if (out->nwqid > in->nwname)
			out->nwqid = in->nwname;
		if (in->nwname > 0 && out->nwqid == 0 && err == NULL)
			err = "file does not exist";
		if (out->nwqid > 0)
			err = NULL; /* a partial walk is an Rwalk */
		if (err == NULL && out->nwqid == in->nwname)
			r->newfid->qid = in->nwname ? out->wqid[in->nwname - 1] : r->fid->qid;
		else if (r->newfid != NULL && r->newfid != r->fid)
			fidput(s, fidremove(s, in->newfid));
		break;
	case Topen:
	case Tcreate:
		if (err == NULL) {
			r->fid->omode = in->mode;
			r->fid->qid = out->qid;
			if (out->iounit == 0)
				out->iounit = s->msize - IOHDRSZ;
		}
		break;
	case Tread:
		if (out->count > in->count)
			out->count = in->count;
		break;
	}
	return err;
}

/* Pack r's reply into r->buf; 0 if it cannot be packed. */
static uint
packreply(Req *r)
{
	Fcall *out = &r->ofcall;
	uint n;

	if (out->type == Rread && (out->data == NULL || out->data == r->rbuf)) {
		n = RREADHDR + out->count;
		r->buf[4] = Rread;
		put32(r->buf + 7, out->count);
	} else if (out->type == Rstat && out->stat == r->rbuf && out->nstat <= r->nrbuf) {
		n = Rstathdr + out->nstat;
		r->buf[4] = Rstat;
		put16(r->buf + 7, out->nstat);
	} else
		return fcall_pack(out, r->buf, r->nbuf);
	put32(r->buf, n);
	put16(r->buf + 5, r->tag);
	return n;
}

void
respond(Req *r, const char *err)
{
	Srv *s = r->srv;
	Req *fl, *next;
	uint n;
	int now;

	unpend(s, r);
	err = fixup(s, r, err);
	r->ofcall.tag = r->tag;
	if (err == NULL) {
		r->ofcall.type = r->ifcall.type + 1;
		n = packreply(r);
		if (n == 0)
			err = "reply does not fit the message size";
	}
	if (err != NULL) {
		if (err != r->ename)
			strlcpy(r->ename, err, sizeof r->ename);
		memset(&r->ofcall, 0, sizeof r->ofcall);
		r->ofcall.type = Rerror;
		r->ofcall.tag = r->tag;
		r->ofcall.ename = fstr(r->ename);
		n = fcall_pack(&r->ofcall, r->buf, r->nbuf);
	}
	now = r == s->cur;
	if (now)
		s->cur = NULL;
	fl = r->flushes;
	s->deliver(s, r, n, now);
	reqfree(s, r);
	/* flush(5): the flushed request's reply goes first */
	for (; fl != NULL; fl = next) {
		next = fl->flink;
		fl->flink = NULL;
		fl->oldreq = NULL;
		respond(fl, NULL);
	}
}

/* ---- the requests, after decoding ---- */

static void
sversion(Srv *s, Req *r)
{
	Fstr v = r->ifcall.version;
	uint max = s->maxmsize ? s->maxmsize : DefMsize;

	if (r->ifcall.msize < MinMsize) {
		respond(r, "msize too small");
		return;
	}
	srv_fidsclear(s);
	r->ofcall.msize = r->ifcall.msize < max ? r->ifcall.msize : max;
	if ((v.len == 6 || (v.len > 6 && v.s[6] == '.')) && memcmp(v.s, "9P2000", 6) == 0) {
		r->ofcall.version = fstr("9P2000");
		s->msize = r->ofcall.msize;
	} else {
		r->ofcall.version = fstr("unknown");
		s->msize = 0;
	}
	respond(r, NULL);
}

static void
sflush(Srv *s, Req *r)
{
	Req *old = findpending(s, r->ifcall.oldtag);

	if (old == NULL || old == r) {
		respond(r, NULL);
		return;
	}
	/* answered by respond(old); several flushes of one request queue up */
	r->oldreq = old;
	r->flink = old->flushes;
	old->flushes = r;
	if (s->flush)
		s->flush(r);
}

/* Look up ifcall.fid into r->fid (with a reference); 0 or -1 after responding. */
static int
needfid(Srv *s, Req *r)
{
	Fid *f = srv_lookfid(s, r->ifcall.fid);

	if (f == NULL) {
		respond(r, Eunknownfid);
		return -1;
	}
	f->ref++;
	r->fid = f;
	return 0;
}

static int
badname(Fstr n)
{
	if (n.len == 0 || (n.len == 1 && n.s[0] == '.') || (n.len == 2 && n.s[0] == '.' && n.s[1] == '.'))
		return 1;
	for (uint i = 0; i < n.len; i++)
		if (n.s[i] == '/')
			return 1;
	return 0;
}

static void
call(Req *r, void (*fn)(Req *))
{
	if (fn == NULL)
		respond(r, Enotsupported);
	else
		fn(r);
}

static void
sattach(Srv *s, Req *r)
{
	if (r->ifcall.afid != NOFID) {
		respond(r, "authentication not required");
		return;
	}
	if ((r->newfid = fidnew(s, r->ifcall.fid)) == NULL) {
		respond(r, Efidinuse);
		return;
	}
	r->newfid->ref++;
	call(r, s->attach);
}

static void
swalk(Srv *s, Req *r)
{
	Fcall *in = &r->ifcall;

	if (needfid(s, r) < 0)
		return;
	if (r->fid->omode != -1) {
		respond(r, "cannot walk an open fid");
		return;
	}
	if (in->nwname > 0 && !(r->fid->qid.type & QTDIR)) {
		respond(r, "not a directory");
		return;
	}
	if (in->newfid == in->fid)
		r->newfid = r->fid;
	else if ((r->newfid = fidnew(s, in->newfid)) == NULL) {
		respond(r, Efidinuse);
		return;
	} else
		r->newfid->ref++;
	call(r, s->walk);
}

static void
sopen(Srv *s, Req *r, int create)
{
	if (needfid(s, r) < 0)
		return;
	if (r->fid->omode != -1) {
		respond(r, "fid already open");
		return;
	}
	if (create) {
		if (!(r->fid->qid.type & QTDIR)) {
			respond(r, "not a directory");
			return;
		}
		if (badname(r->ifcall.name)) {
			respond(r, "illegal file name");
			return;
		}
	}
	call(r, create ? s->create : s->open);
}

static void
sio(Srv *s, Req *r, int write)
{
	int m;

	if (needfid(s, r) < 0)
		return;
	m = r->fid->omode;
	if (m == -1) {
		respond(r, "fid not open");
		return;
	}
	m &= 3;
	if (write ? (m != OWRITE && m != ORDWR) : m == OWRITE) {
		respond(r, write ? "fid not open for writing" : "fid not open for reading");
		return;
	}
	if ((vlong)r->ifcall.offset < 0) {
		respond(r, "bad offset");
		return;
	}
	if (!write) {
		if (r->ifcall.count > s->msize - IOHDRSZ)
			r->ifcall.count = s->msize - IOHDRSZ;
		r->rbuf = r->buf + RREADHDR;
		r->nrbuf = r->ifcall.count;
	}
	call(r, write ? s->write : s->read);
}

/* Tclunk and Tremove: the fid leaves the table now, whatever happens. */
static void
sclunk(Srv *s, Req *r, int remove)
{
	if ((r->fid = fidremove(s, r->ifcall.fid)) == NULL) {
		respond(r, Eunknownfid);
		return;
	}
	if (remove)
		call(r, s->remove);
	else
		respond(r, NULL);
}

static void
sstat(Srv *s, Req *r, int write)
{
	if (needfid(s, r) < 0)
		return;
	if (!write) {
		r->rbuf = r->buf + Rstathdr;
		r->nrbuf = s->msize - Rstathdr;
		if (r->nrbuf > STATMAX)
			r->nrbuf = STATMAX;
	}
	call(r, write ? s->wstat : s->stat);
}

static void
dispatch(Srv *s, Req *r)
{
	switch (r->ifcall.type) {
	case Tversion: sversion(s, r); break;
	case Tauth: respond(r, "authentication not required"); break;
	case Tattach: sattach(s, r); break;
	case Tflush: sflush(s, r); break;
	case Twalk: swalk(s, r); break;
	case Topen: sopen(s, r, 0); break;
	case Tcreate: sopen(s, r, 1); break;
	case Tread: sio(s, r, 0); break;
	case Twrite: sio(s, r, 1); break;
	case Tclunk: sclunk(s, r, 0); break;
	case Tremove: sclunk(s, r, 1); break;
	case Tstat: sstat(s, r, 0); break;
	case Twstat: sstat(s, r, 1); break;
	default: respond(r, "bad 9P message type"); break;
	}
}

Req *
srv_handle(Srv *s, uchar *buf, uint n, uint nbuf, long tctx)
{
	Req *r;
	int e;

	if (s->maxmsize == 0)
		s->maxmsize = DefMsize;
	if ((r = reqalloc(s)) == NULL)
		return NULL; /* nothing can be said: the transport answers empty */
	r->buf = buf;
	r->nbuf = nbuf;
	r->tctx = tctx;
	s->cur = r;
	if (fcall_unpacktread(buf, n, &r->ifcall)) {
		/* the hot path: a read's reply needs only count (and data) */
		e = n;
		r->ofcall.count = 0;
		r->ofcall.data = NULL;
	} else {
		e = fcall_unpack(buf, n, &r->ifcall);
		if (e >= 0 && (uint)e != n)
			e = -FcallESize;
		memset(&r->ofcall, 0, FcallScalars);
	}
	r->tag = e >= 0 ? r->ifcall.tag : n >= 7 ? le16(buf + 5) : NOTAG;
	if (e < 0) {
		r->ifcall.type = 0;
		respond(r, fcall_errstr(e));
	} else if (n > (s->msize ? s->msize : s->maxmsize))
		respond(r, "message larger than msize");
	else if (r->ifcall.type != Tversion && s->msize == 0)
		respond(r, "version not negotiated");
	else if (r->ifcall.type != Tversion && findpending(s, r->tag) != NULL)
		respond(r, "duplicate tag");
	else {
		r->next = s->pending;
		s->pending = r;
		dispatch(s, r);
	}
	if (s->cur == NULL)
		return NULL;
	s->cur = NULL;
	return r;
}

/* ---- transports ---- */
#ifndef HOSTTEST

/* 9P over IPC: each request lives in its slot until answered. */
typedef struct Ipc {
	long inlen;   /* length of the reply to the current request */
} Ipc;

static void
ipcdeliver(Srv *s, Req *r, uint n, int now)
{
	MuMsg m = {.tag = TAG(CoreLabel9P, 2, 0), .mr = {(MuWord)r->tctx, n}};

	if (now) {
		((Ipc *)s->taux)->inlen = n;
		return;
	}
	/* a caller that is gone (or a reply never saved) cannot be told */
	if (r->treply > 0 && mu_replyto(r->treply, &m) < 0)
		mu_close(r->treply);
}

int
srvipc(Srv *s, long ep, void *region)
{
	Ipc *ipc = malloc(sizeof *ipc);
	MuMsg m;
	long e;
	Req *r;
	int havereply = 0;

	if (ipc == NULL)
		return -1;
	s->maxmsize = CoreIpcMsize;
	s->deliver = ipcdeliver;
	s->taux = ipc;
	for (;;) {
		e = havereply ? mu_replyrecv(ep, &m) : mu_recv(ep, &m);
		havereply = 0;
		if (e < 0) {
			s->taux = NULL;
			free(ipc);
			return -1;
		}
		ulong slot = m.mr[0], len = m.mr[1];
		if (TAG_LABEL(m.tag) != CoreLabel9P || slot >= CoreIpcSlots || len > CoreIpcSlotSize) {
			/* not ours: an empty answer */
			m.tag = TAG(CoreLabel9P, 2, 0);
			m.mr[1] = 0;
			havereply = 1;
			continue;
		}
		ipc->inlen = 0;
		r = srv_handle(s, CoreIpcSlot(region, slot), (uint)len, CoreIpcSlotSize, (long)slot);
		if (r != NULL) {
			/* deferred: keep the caller's reply capability */
			if ((r->treply = mu_replysave()) < 0)
				r->treply = 0;
			continue;
		}
		m.tag = TAG(CoreLabel9P, 2, 0);
		m.mr[0] = slot;
		m.mr[1] = (MuWord)ipc->inlen;
		havereply = 1;
	}
}

/* 9P on a byte stream: messages framed by their size field. */
typedef struct Stream {
	int outfd;
	int err;
	uchar *spare;  /* one buffer kept for the next message */
} Stream;

static void
fddeliver(Srv *s, Req *r, uint n, int now)
{
	Stream *st = s->taux;

	(void)now;
	if (n > 0 && write(st->outfd, r->buf, n) != (long)n)
		st->err = 1;
	if (st->spare == NULL)
		st->spare = r->buf;
	else
		free(r->buf);
}

int
srvfd(Srv *s, int infd, int outfd)
{
	Stream *st = malloc(sizeof *st);
	uchar *buf;
	uint size;
	int rv = -1;

	if (st == NULL)
		return -1;
	memset(st, 0, sizeof *st);
	st->outfd = outfd;
	if (s->maxmsize == 0)
		s->maxmsize = DefMsize;
	s->deliver = fddeliver;
	s->taux = st;
	while (!st->err) {
		buf = st->spare ? st->spare : malloc(s->maxmsize);
		st->spare = NULL;
		if (buf == NULL)
			break;
		if (readn(infd, buf, 4) != 4) {
			free(buf);
			rv = 0;
			break;
		}
		size = buf[0] | (uint)buf[1] << 8 | (uint)buf[2] << 16 | (uint)buf[3] << 24;
		/* a size we cannot frame ends the stream: nothing after it can be found */
		if (size < 7 || size > s->maxmsize || readn(infd, buf + 4, size - 4) != (long)(size - 4)) {
			free(buf);
			break;
		}
		srv_handle(s, buf, size, s->maxmsize, 0);
	}
	srv_end(s);
	free(st->spare);
	free(st);
	s->taux = NULL;
	return rv;
}

#endif
