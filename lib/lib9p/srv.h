/* SPDX-License-Identifier: MIT */
/*
 * lib9p's 9P2000 server framework (srv.c): a server fills a Srv with one
 * callback per request; the framework decodes T-messages, keeps the fid
 * table and the pending requests of one connection, negotiates the
 * version, answers Tflush, and packs each reply when the callback calls
 * respond(r, err).  devsrv.c builds a Srv around any servant (Dev of
 * srv/core/dev.h).  The wire format is fcall.h's; doc/9p.md explains.
 *
 * One connection per Srv, one thread: callbacks run on the thread that
 * called srvipc/srvfd/srv_handle, and respond must be called from it
 * too (from the callback itself, or later from another callback: a
 * deferred reply).
 */
#ifndef LIB9P_SRV_H
#define LIB9P_SRV_H

#include "lib/lib9p/fcall.h"

typedef struct Srv Srv;
typedef struct Req Req;
typedef struct Fid Fid;

/* One fid of the connection. */
struct Fid {
	uint fid;
	int omode;        /* open mode (OREAD... with OTRUNC etc.), -1 until opened */
	Qid qid;          /* kept by the framework from attach/walk/open/create */
	void *aux;        /* the server's */
	Srv *srv;
	/* The framework's: */
	int ref;          /* the table's and each request's that uses it */
	Fid *next;        /* hash chain */
};

/*
 * One request.  ifcall is the T-message (its strings and data point into
 * the message buffer, valid until respond); the callback fills ofcall's
 * fields for its R-message (type and tag are set by the framework).
 */
struct Req {
	ushort tag;
	Fcall ifcall;
	Fcall ofcall;
	Fid *fid;         /* ifcall.fid's (every request that names one) */
	Fid *newfid;      /* Tattach: the new fid; Twalk: newfid, which is fid if they are equal */
	Req *oldreq;      /* Tflush: the pending request it flushes */
	Srv *srv;
	void *aux;        /* the server's */
	/*
	 * Tread: room for ifcall.count bytes (the count is already cut to
	 * fit msize) inside the reply buffer; put the data there and set
	 * ofcall.count: no copy.  Tstat: room for nrbuf bytes of stat
	 * record; set ofcall.stat = rbuf, ofcall.nstat.  Data elsewhere
	 * (ofcall.data/stat pointing outside rbuf) is copied.  rbuf shares
	 * the buffer with the T-message: read ifcall's strings and data
	 * before writing into it.
	 */
	uchar *rbuf;
	uint nrbuf;
	/* The transport's: */
	long tctx;        /* from srv_handle (the IPC slot) */
	long treply;      /* a saved reply handle, for deferred replies */
	/* The framework's: */
	uchar *buf;       /* the message buffer: T-message in, R-message out */
	uint nbuf;
	Req *next;        /* pending or free list */
	Req *flushes;     /* Tflushes waiting for this request's reply */
	Req *flink;       /* next in such a list */
	char ename[ERRMAX];
};

/*
 * The callbacks.  Each is called by the framework on the serving thread
 * with no lock held, after the generic checks (the fid exists, is open
 * for reading before a read ...), and must lead to exactly one
 * respond(r, err), now or later.  A NULL callback answers "not
 * supported" (walk: every walk fails; flush: the flush waits for the
 * request's own reply).
 *   attach: r->newfid is the new fid (r->fid is NULL); set ofcall.qid.
 *   walk: walk r->fid by ifcall.wname[0..nwname-1] to r->newfid: fill
 *     ofcall.wqid[] and ofcall.nwqid as far as the names go.  When
 *     newfid != fid set up newfid->aux from fid (also for nwname 0);
 *     when equal change fid only if every name was walked.  A walk that
 *     fails at name i > 0 responds with nwqid = i (err ignored); at name
 *     0 with the error.  The framework drops newfid after a failed walk.
 *   open, create: set ofcall.qid (and iounit, 0 = msize-IOHDRSZ).
 *   read, write: see Req.rbuf; set ofcall.count.
 *   stat: see Req.rbuf.  wstat: ifcall.stat (a checked stat record).
 *   remove: the fid is clunked whatever the outcome.
 *   flush: r->oldreq is pending: make it respond soon (with an error
 *     such as "interrupted"); do not respond to r, the framework
 *     answers the Tflush after oldreq's reply.
 *   destroyfid: the fid is gone (clunked, removed, failed walk,
 *     connection ended); free f->aux.  No respond.
 */
struct Srv {
	void (*attach)(Req *r);
	void (*walk)(Req *r);
	void (*open)(Req *r);
	void (*create)(Req *r);
	void (*read)(Req *r);
	void (*write)(Req *r);
	void (*stat)(Req *r);
	void (*wstat)(Req *r);
	void (*remove)(Req *r);
	void (*flush)(Req *r);
	void (*destroyfid)(Fid *f);
	void *aux;        /* the server's */

	/*
	 * The transport's.  maxmsize: the largest message it carries.
	 * deliver: send the R-message of n bytes in r->buf; now is 1 when
	 * r is the request srv_handle is handling at this moment (its reply
	 * goes out when srv_handle returns), 0 for a deferred reply.  After
	 * deliver the framework no longer touches r->buf.
	 */
	uint maxmsize;
	void (*deliver)(Srv *s, Req *r, uint n, int now);
	void *taux;

	/* The framework's (zero before the first srv_handle). */
	uint msize;       /* negotiated by Tversion; 0 before */
	Fid *fids[64];
	Req *pending;
	Req *freereqs;
	Fid *freefids;    /* kept for reuse, like freereqs */
	Req *cur;         /* being handled by srv_handle */
};

/*
 * Answer r: err NULL for the R-message in r->ofcall, else Rerror err
 * (copied).  Packs the reply into r's buffer and hands it to the
 * transport; r is then gone (and so are ifcall's strings).  Tflushes
 * waiting for r are answered next.
 */
void respond(Req *r, const char *err);

/*
 * The request-handling core, independent of any transport.  buf holds
 * a T-message of n bytes and has room for nbuf bytes (at least
 * s->maxmsize): the reply is packed there.  It must stay valid until
 * deliver is called for it.  Returns NULL when the request was answered
 * already (deliver was called with now = 1), else the pending Req, on
 * which the transport may set treply.  Malformed messages get Rerror.
 */
Req *srv_handle(Srv *s, uchar *buf, uint n, uint nbuf, long tctx);
/* Destroy every fid of the connection (Tversion does). */
void srv_fidsclear(Srv *s);
/*
 * End the connection: destroy every fid and free the spare requests.
 * Requests still pending stay valid (they are freed by respond).
 */
void srv_end(Srv *s);

/* Find a fid of s, or NULL.  No reference is taken. */
Fid *srv_lookfid(Srv *s, uint fid);

/*
 * Transports.  srvipc serves 9P over IPC (abi/core/sys.h) on endpoint
 * ep with the shared slot region, forever (returns only on an IPC
 * error, -1).  srvfd serves a byte stream of messages read from infd
 * and written to outfd until end of file or an error (returns 0 or -1).
 */
int srvipc(Srv *s, long ep, void *region);
int srvfd(Srv *s, int infd, int outfd);

/*
 * devsrv.c: a Srv that hosts the servant dev (srv/core/dev.h) as a 9P
 * server: each fid holds a Chan of dev.  Fills s (the other fields
 * zero).
 */
struct Dev;
void devsrv_init(Srv *s, struct Dev *dev);

#endif
