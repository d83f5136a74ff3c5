/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib9p's server framework (srv.c), devsrv.c and the
 * ramfs servant (with srv/core/dev.c and devlock1.c): T-messages packed
 * with fcall_pack go straight into srv_handle, and the replies the
 * framework delivers are unpacked and checked.  Each test attaches its
 * own ramfs tree (aname = the test's name) on a fresh connection.
 */
#include "hosttest.h"
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "lib/lib9p/srv.h"
#include "srv/core/dev.h"
#include "test/host/9psrv_host.h"

extern Dev ramfsdevtab;

/* ---- what libc.h hides from host builds ---- */

static char errbuf[ERRMAX];

void
werrstr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprint(errbuf, sizeof errbuf, fmt, ap);
	va_end(ap);
}

void
rerrstr(char *buf, unsigned int n)
{
	strlcpy(buf, errbuf, n);
}

p9vlong_
nsec(void)
{
	struct timespec ts;

	timespec_get(&ts, TIME_UTC);
	return (p9vlong_)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the in-memory transport ---- */

enum { Msize = 8192 + IOHDRSZ, Maxreply = 8 };

typedef struct Reply {
	uchar buf[Msize];
	uint n;
	int now;
} Reply;

static Reply replies[Maxreply];
static int nreply;
static Srv srv;

static void
deliver(Srv *s, Req *r, uint n, int now)
{
	(void)s;
	if (nreply < Maxreply) {
		memcpy(replies[nreply].buf, r->buf, n);
		replies[nreply].n = n;
		replies[nreply].now = now;
	}
	nreply++;
	free(r->buf);
}

/* A fresh connection to ramfs, version negotiated. */
static void
fresh(void)
{
	srv_end(&srv);
	devsrv_init(&srv, &ramfsdevtab);
	srv.deliver = deliver;
	nreply = 0;
}

/* Hand the bytes to the server; returns the pending Req or NULL. */
static Req *
sendraw(const uchar *msg, uint n)
{
	uchar *buf = malloc(Msize > n ? Msize : n);

	memcpy(buf, msg, n);
	return srv_handle(&srv, buf, n, Msize, 0);
}

static Req *
send(Fcall *t)
{
	uchar msg[Msize];
	uint n = fcall_pack(t, msg, sizeof msg);

	if (n == 0) {
		fprintf(stderr, "cannot pack %s\n", fcall_typename(t->type));
		abort();
	}
	return sendraw(msg, n);
}

/* Unpack reply i into r; 0 on success. */
static int
reply(int i, Fcall *r)
{
	if (i >= nreply || fcall_unpack(replies[i].buf, replies[i].n, r) != (int)replies[i].n)
		return -1;
	return 0;
}

/* One request, one reply at once: the reply in *r; 0 if it came. */
static int
rpc(Fcall *t, Fcall *r)
{
	nreply = 0;
	if (send(t) != NULL || nreply != 1 || !replies[0].now)
		return -1;
	return reply(0, r);
}

static int
iserr(const Fcall *r, const char *e)
{
	return r->type == Rerror && r->ename.len == strlen(e) && memcmp(r->ename.s, e, r->ename.len) == 0;
}

static int
version(uint msize, const char *v, Fcall *r)
{
	Fcall t = {.type = Tversion, .tag = NOTAG, .msize = msize, .version = fstr(v)};

	return rpc(&t, r);
}

/* Version, then attach fid 1 to tree aname; 0 if all went well. */
static int
attach(const char *aname)
{
	Fcall r, t = {.type = Tattach, .tag = 1, .fid = 1, .afid = NOFID, .uname = fstr("glenda"), .aname = fstr(aname)};

	fresh();
	if (version(Msize, "9P2000", &r) < 0 || r.type != Rversion)
		return -1;
	return rpc(&t, &r) < 0 || r.type != Rattach || !(r.qid.type & QTDIR) ? -1 : 0;
}

static Fcall
twalk(uint fid, uint newfid, int n, const char **names)
{
	Fcall t = {.type = Twalk, .tag = 2, .fid = fid, .newfid = newfid, .nwname = (ushort)n};

	for (int i = 0; i < n; i++)
		t.wname[i] = fstr(names[i]);
	return t;
}

static Fcall
walk(uint fid, uint newfid, int n, const char **names)
{
	Fcall r, t = twalk(fid, newfid, n, names);

	if (rpc(&t, &r) < 0)
		r.type = 0;
	return r;
}

static Fcall
simple(int type, uint fid)
{
	Fcall r, t = {.type = (uchar)type, .tag = 3, .fid = fid};

	if (rpc(&t, &r) < 0)
		r.type = 0;
	return r;
}

/* Clone the root (fid 1) to fid and create name there. */
static Fcall
create(uint fid, const char *name, uint perm, int mode)
{
	Fcall r, t = {.type = Tcreate, .tag = 4, .fid = fid, .name = fstr(name), .perm = perm, .mode = (uchar)mode};

	r = walk(1, fid, 0, NULL);
	if (r.type != Rwalk)
		return r;
	if (rpc(&t, &r) < 0)
		r.type = 0;
	return r;
}

static Fcall
tread(uint fid, uvlong off, uint count)
{
	Fcall r, t = {.type = Tread, .tag = 5, .fid = fid, .offset = off, .count = count};

	if (rpc(&t, &r) < 0)
		r.type = 0;
	return r;
}

static Fcall
twrite(uint fid, uvlong off, const char *data, uint count)
{
	Fcall r, t = {.type = Twrite, .tag = 6, .fid = fid, .offset = off, .count = count, .data = (const uchar *)data};

	if (rpc(&t, &r) < 0)
		r.type = 0;
	return r;
}

static Fcall
topen(uint fid, int mode)
{
	Fcall r, t = {.type = Topen, .tag = 7, .fid = fid, .mode = (uchar)mode};

	if (rpc(&t, &r) < 0)
		r.type = 0;
	return r;
}

static int
tstat(uint fid, Dir9 *d, uchar *keep)
{
	Fcall r = simple(Tstat, fid);

	if (r.type != Rstat)
		return -1;
	memcpy(keep, r.stat, r.nstat);
	return dir_unpack(keep, r.nstat, d) < 0 ? -1 : 0;
}

/* A Twstat changing what d says (start from nulldir9). */
static Fcall
twstat(uint fid, Dir9 *d)
{
	uchar st[512];
	uint n = dir_pack(d, st, sizeof st);
	Fcall r, t = {.type = Twstat, .tag = 8, .fid = fid, .nstat = (ushort)n, .stat = st};

	if (rpc(&t, &r) < 0)
		r.type = 0;
	return r;
}

static Dir9
nulldir9(void)
{
	Dir9 d = {.type = 0xffff, .dev = ~0u, .qid = {~0ull, ~0u, 0xff}, .mode = ~0u,
		  .atime = ~0u, .mtime = ~0u, .length = ~0ull};

	return d;
}

/* ---- tests ---- */

static void
t_version(void)
{
	Fcall r, t = {.type = Tattach, .tag = 1, .fid = 1, .afid = NOFID, .aname = fstr("v")};

	fresh();
	CHECK(rpc(&t, &r) == 0 && iserr(&r, "version not negotiated"));
	CHECK(version(1 << 20, "9P2000", &r) == 0 && r.type == Rversion);
	CHECK(r.msize == srv.maxmsize && r.version.len == 6);
	CHECK(version(4096, "9P2000.u", &r) == 0 && r.msize == 4096);
	CHECK(r.version.len == 6 && memcmp(r.version.s, "9P2000", 6) == 0);
	CHECK(version(4096, "9P1999", &r) == 0 && r.type == Rversion);
	CHECK(r.version.len == 7 && memcmp(r.version.s, "unknown", 7) == 0);
	CHECK(rpc(&t, &r) == 0 && r.type == Rerror);
	CHECK(version(100, "9P2000", &r) == 0 && r.type == Rerror);
	CHECK(version(4096, "9P2000", &r) == 0 && r.type == Rversion);
	CHECK(rpc(&t, &r) == 0 && r.type == Rattach);
	/* a new version clunks every fid */
	CHECK(version(4096, "9P2000", &r) == 0 && r.type == Rversion);
	CHECK(iserr((Fcall[]){simple(Tstat, 1)}, "unknown fid"));
	/* auth is refused */
	Fcall ta = {.type = Tauth, .tag = 1, .afid = 9, .uname = fstr("u"), .aname = fstr("")};
	CHECK(rpc(&ta, &r) == 0 && r.type == Rerror);
}

static void
t_readwrite(void)
{
	Fcall r;
	Dir9 d;
	uchar keep[256];
	uint vers;

	CHECK(attach("rw") == 0);
	r = create(2, "a", 0644, ORDWR);
	CHECKF(r.type == Rcreate, "type %d", r.type);
	CHECK(r.qid.type == QTFILE && r.iounit > 0);
	vers = r.qid.vers;
	r = twrite(2, 0, "hello", 5);
	CHECK(r.type == Rwrite && r.count == 5);
	r = tread(2, 0, 100);
	CHECK(r.type == Rread && r.count == 5 && memcmp(r.data, "hello", 5) == 0);
	r = tread(2, 3, 1);
	CHECK(r.type == Rread && r.count == 1 && r.data[0] == 'l');
	/* a hole reads as zeros */
	r = twrite(2, 10, "x", 1);
	CHECK(r.type == Rwrite && r.count == 1);
	r = tread(2, 0, 100);
	CHECK(r.type == Rread && r.count == 11 && memcmp(r.data, "hello\0\0\0\0\0x", 11) == 0);
	r = tread(2, 11, 100);
	CHECK(r.type == Rread && r.count == 0);
	r = tread(2, 1ull << 40, 100);
	CHECK(r.type == Rread && r.count == 0);
	CHECK(tstat(2, &d, keep) == 0);
	CHECK(d.length == 11 && d.name.len == 1 && d.name.s[0] == 'a');
	CHECK(d.qid.vers == vers + 2 && d.mode == 0644);
	CHECK(d.uid.len == 6 && memcmp(d.uid.s, "musubi", 6) == 0);
	/* a big read is cut to msize */
	char big[8192];
	memset(big, 'b', sizeof big);
	r = twrite(2, 0, big, sizeof big);
	CHECK(r.type == Rwrite && r.count == sizeof big);
	r = tread(2, 0, 1u << 30);
	CHECK(r.type == Rread && r.count == Msize - IOHDRSZ);
	/* another walk sees the same file */
	const char *a[] = {"a"};
	r = walk(1, 3, 1, a);
	CHECK(r.type == Rwalk && r.nwqid == 1);
	CHECK(topen(3, OREAD).type == Ropen);
	r = tread(3, 8190, 10);
	CHECK(r.type == Rread && r.count == 2 && r.data[0] == 'b');
	CHECK(simple(Tclunk, 3).type == Rclunk);
	CHECK(simple(Tclunk, 2).type == Rclunk);
}

static void
t_walk(void)
{
	Fcall r;
	const char *p1[] = {"d", "e", "nope", "x"};
	const char *p2[] = {"nope"};
	const char *p3[] = {"d", "e"};
	const char *p4[] = {"d", "..", "d", "e"};

	CHECK(attach("walk") == 0);
	CHECK(create(2, "d", DMDIR | 0777, OREAD).type == Rcreate);
	CHECK(simple(Tclunk, 2).type == Rclunk);
	const char *d[] = {"d"};
	CHECK(walk(1, 2, 1, d).type == Rwalk);
	Fcall t = {.type = Tcreate, .tag = 4, .fid = 2, .name = fstr("e"), .perm = DMDIR | 0777, .mode = OREAD};
	CHECK(rpc(&t, &r) == 0 && r.type == Rcreate && (r.qid.type & QTDIR));
	CHECK(simple(Tclunk, 2).type == Rclunk);

	/* partial: the qids that worked, and newfid not made */
	r = walk(1, 5, 4, p1);
	CHECKF(r.type == Rwalk && r.nwqid == 2, "type %d nwqid %d", r.type, r.nwqid);
	CHECK((r.wqid[0].type & QTDIR) && (r.wqid[1].type & QTDIR) && r.wqid[0].path != r.wqid[1].path);
	CHECK(iserr((Fcall[]){simple(Tclunk, 5)}, "unknown fid"));
	/* the first name fails: an error */
	r = walk(1, 5, 1, p2);
	CHECK(iserr(&r, "file does not exist"));
	CHECK(iserr((Fcall[]){simple(Tclunk, 5)}, "unknown fid"));
	/* fid == newfid: moves only on success */
	CHECK(walk(1, 6, 0, NULL).type == Rwalk);
	r = walk(6, 6, 4, p1);
	CHECK(r.type == Rwalk && r.nwqid == 2);
	Dir9 st;
	uchar keep[256];
	CHECK(tstat(6, &st, keep) == 0 && st.name.len == 1 && st.name.s[0] == '/');
	r = walk(6, 6, 2, p3);
	CHECK(r.type == Rwalk && r.nwqid == 2);
	CHECK(tstat(6, &st, keep) == 0 && st.name.len == 1 && st.name.s[0] == 'e');
	/* walking from a file is refused, and so is walking an open fid */
	CHECK(create(7, "f", 0666, OWRITE).type == Rcreate);
	CHECK(iserr((Fcall[]){walk(7, 8, 1, p2)}, "cannot walk an open fid"));
	CHECK(simple(Tclunk, 7).type == Rclunk);
	const char *f[] = {"f"};
	CHECK(walk(1, 7, 1, f).type == Rwalk);
	CHECK(walk(7, 8, 1, p2).type == Rerror);
	/* .. */
	r = walk(1, 9, 4, p4);
	CHECK(r.type == Rwalk && r.nwqid == 4 && r.wqid[1].path == 0);
	const char *up[] = {".."};
	r = walk(1, 10, 1, up);
	CHECK(r.type == Rwalk && r.nwqid == 1 && r.wqid[0].path == 0);
}

static void
t_badfid(void)
{
	Fcall r;
	Fcall ta = {.type = Tattach, .tag = 1, .fid = 1, .afid = NOFID, .aname = fstr("badfid")};

	CHECK(attach("badfid") == 0);
	CHECK(iserr((Fcall[]){simple(Tstat, 99)}, "unknown fid"));
	CHECK(iserr((Fcall[]){simple(Tclunk, 99)}, "unknown fid"));
	CHECK(iserr((Fcall[]){simple(Tremove, 99)}, "unknown fid"));
	CHECK(iserr((Fcall[]){topen(99, OREAD)}, "unknown fid"));
	CHECK(iserr((Fcall[]){tread(99, 0, 10)}, "unknown fid"));
	CHECK(rpc(&ta, &r) == 0 && iserr(&r, "fid already in use"));
	CHECK(walk(1, 2, 0, NULL).type == Rwalk);
	CHECK(iserr((Fcall[]){walk(1, 2, 0, NULL)}, "fid already in use"));
	/* the fids in use are unharmed */
	Dir9 d;
	uchar keep[256];
	CHECK(tstat(1, &d, keep) == 0 && tstat(2, &d, keep) == 0);
	/* i/o on unopened fids, in the wrong mode, open twice */
	CHECK(iserr((Fcall[]){tread(2, 0, 10)}, "fid not open"));
	CHECK(create(3, "f", 0666, OREAD).type == Rcreate);
	CHECK(iserr((Fcall[]){twrite(3, 0, "x", 1)}, "fid not open for writing"));
	CHECK(iserr((Fcall[]){topen(3, OREAD)}, "fid already open"));
	CHECK(simple(Tclunk, 3).type == Rclunk);
	CHECK(create(3, "g", 0666, OWRITE).type == Rcreate);
	CHECK(iserr((Fcall[]){tread(3, 0, 10)}, "fid not open for reading"));
	/* directories open only for reading */
	CHECK(iserr((Fcall[]){topen(2, OWRITE)}, "is a directory"));
	CHECK(topen(2, OREAD).type == Ropen);
	CHECK(iserr((Fcall[]){twrite(2, 0, "x", 1)}, "fid not open for writing"));
	/* bad names */
	Fcall tc = {.type = Tcreate, .tag = 4, .fid = 4, .name = fstr(".."), .perm = 0666, .mode = OREAD};
	CHECK(walk(1, 4, 0, NULL).type == Rwalk);
	CHECK(rpc(&tc, &r) == 0 && r.type == Rerror);
	tc.name = fstr("a/b");
	CHECK(rpc(&tc, &r) == 0 && r.type == Rerror);
	tc.name = fstr("f");
	CHECK(rpc(&tc, &r) == 0 && iserr(&r, "file already exists"));
}

static void
t_malformed(void)
{
	uchar msg[64];
	Fcall r;
	uint n;

	CHECK(attach("malformed") == 0);
	/* too short for a header */
	nreply = 0;
	CHECK(sendraw((const uchar *)"\x03\x00", 2) == NULL && nreply == 1);
	CHECK(reply(0, &r) == 0 && r.type == Rerror && r.tag == NOTAG);
	/* size field beyond the bytes */
	Fcall t = {.type = Tclunk, .tag = 12, .fid = 1};
	n = fcall_pack(&t, msg, sizeof msg);
	msg[0] = (uchar)(n + 4);
	nreply = 0;
	CHECK(sendraw(msg, n) == NULL && nreply == 1 && reply(0, &r) == 0);
	CHECK(r.type == Rerror && r.tag == 12);
	/* trailing bytes */
	msg[0] = (uchar)n;
	msg[n] = 0;
	nreply = 0;
	CHECK(sendraw(msg, n + 1) == NULL && nreply == 1 && reply(0, &r) == 0 && r.type == Rerror);
	/* an unknown type, an R-message, Terror */
	for (int ty = 0; ty < 3; ty++) {
		msg[4] = ty == 0 ? 200 : ty == 1 ? Rclunk : 106;
		nreply = 0;
		CHECK(sendraw(msg, n) == NULL && nreply == 1 && reply(0, &r) == 0 && r.type == Rerror);
	}
	/* random garbage */
	srand(1);
	for (int i = 0; i < 2000; i++) {
		uint len = 1 + rand() % sizeof msg;
		for (uint j = 0; j < len; j++)
			msg[j] = (uchar)rand();
		if (len >= 4 && rand() % 2)
			msg[0] = (uchar)len, msg[1] = msg[2] = msg[3] = 0;
		if (len >= 5 && rand() % 2)
			msg[4] = (uchar)(Tversion + 2 * (rand() % 14));
		nreply = 0;
		Req *p = sendraw(msg, len);
		CHECKF(p == NULL && nreply == 1, "sample %d: pending %p replies %d", i, (void *)p, nreply);
	}
	/* the connection still works */
	CHECK(version(Msize, "9P2000", &r) == 0 && r.type == Rversion);
}

static void
t_perm(void)
{
	Fcall r;
	Dir9 d;
	uchar keep[256];
	const char *ro[] = {"ro"};
	const char *rodir[] = {"rodir"};
	const char *pd[] = {"priv"};

	CHECK(attach("perm") == 0);
	CHECK(create(2, "ro", 0444, OREAD).type == Rcreate);
	CHECK(simple(Tclunk, 2).type == Rclunk);
	CHECK(walk(1, 2, 1, ro).type == Rwalk);
	CHECK(iserr((Fcall[]){topen(2, OWRITE)}, "permission denied"));
	CHECK(iserr((Fcall[]){topen(2, OREAD | OTRUNC)}, "permission denied"));
	CHECK(iserr((Fcall[]){topen(2, OEXEC)}, "permission denied"));
	CHECK(topen(2, OREAD).type == Ropen);
	/* create in a directory without write permission */
	CHECK(create(3, "rodir", DMDIR | 0555, OREAD).type == Rcreate);
	CHECK(walk(1, 4, 1, rodir).type == Rwalk);
	Fcall t = {.type = Tcreate, .tag = 4, .fid = 4, .name = fstr("x"), .perm = 0666, .mode = OWRITE};
	CHECK(rpc(&t, &r) == 0 && iserr(&r, "permission denied"));
	/* the directory's permissions mask the new file's */
	CHECK(create(5, "priv", DMDIR | 0700, OREAD).type == Rcreate);
	CHECK(walk(1, 6, 1, pd).type == Rwalk);
	t.fid = 6;
	CHECK(rpc(&t, &r) == 0 && r.type == Rcreate);
	CHECK(tstat(6, &d, keep) == 0 && d.mode == 0600);
	/* a directory without exec permission cannot be walked */
	Dir9 w = nulldir9();
	w.mode = DMDIR | 0600;
	CHECK(twstat(5, &w).type == Rwstat);
	const char *px[] = {"priv", "x"};
	r = walk(1, 7, 2, px);
	CHECK(r.type == Rwalk && r.nwqid == 1);
}

static void
t_dirread(void)
{
	Fcall r;
	char name[16];
	int nrec = 0;
	uint off = 0;

	CHECK(attach("dirread") == 0);
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "f%02d", i);
		CHECK(create(2, name, 0666, OWRITE).type == Rcreate);
		CHECK(simple(Tclunk, 2).type == Rclunk);
	}
	CHECK(walk(1, 2, 0, NULL).type == Rwalk && topen(2, OREAD).type == Ropen);
	/* small reads: whole records only, each read continues the last */
	for (;;) {
		r = tread(2, off, 200);
		CHECK(r.type == Rread);
		if (r.count == 0)
			break;
		for (uint p = 0; p < r.count;) {
			Dir9 d;
			int m = dir_unpack(r.data + p, r.count - p, &d);
			CHECKF(m > 0, "record at %u of %u", p, r.count);
			CHECK(d.name.len == 3 && d.name.s[0] == 'f');
			nrec++;
			p += (uint)m;
		}
		off += r.count;
	}
	CHECKF(nrec == 40, "%d records", nrec);
	/* a read too small for one record fails */
	r = tread(2, 0, 10);
	CHECK(r.type == Rerror);
	/* a seek to a record boundary (not the continuation) works */
	r = tread(2, 0, 8192);
	CHECK(r.type == Rread && r.count == off);
	Dir9 d;
	int m = dir_unpack(r.data, r.count, &d);
	CHECK(m > 0);
	r = tread(2, (uvlong)m, 8192);
	CHECK(r.type == Rread && r.count == off - (uint)m);
}

static void
t_wstat(void)
{
	Fcall r;
	Dir9 d, w;
	uchar keep[256];
	uint vers;
	const char *b[] = {"b"};

	CHECK(attach("wstat") == 0);
	CHECK(create(2, "a", 0644, ORDWR).type == Rcreate);
	CHECK(twrite(2, 0, "0123456789", 10).type == Rwrite);
	CHECK(create(3, "c", 0644, OREAD).type == Rcreate);
	CHECK(tstat(2, &d, keep) == 0);
	vers = d.qid.vers;
	/* rename */
	w = nulldir9();
	w.name = fstr("b");
	CHECK(twstat(2, &w).type == Rwstat);
	CHECK(walk(1, 4, 1, b).type == Rwalk);
	CHECK(tstat(4, &d, keep) == 0 && d.name.len == 1 && d.name.s[0] == 'b');
	CHECK(d.qid.vers == vers + 1);
	/* to an existing name */
	w.name = fstr("c");
	CHECK(iserr((Fcall[]){twstat(2, &w)}, "file already exists"));
	w.name = fstr("x/y");
	CHECK(twstat(2, &w).type == Rerror);
	/* length: truncate, then extend with zeros */
	w = nulldir9();
	w.length = 4;
	CHECK(twstat(2, &w).type == Rwstat);
	r = tread(2, 0, 100);
	CHECK(r.type == Rread && r.count == 4 && memcmp(r.data, "0123", 4) == 0);
	w.length = 8;
	CHECK(twstat(2, &w).type == Rwstat);
	r = tread(2, 0, 100);
	CHECK(r.type == Rread && r.count == 8 && memcmp(r.data, "0123\0\0\0\0", 8) == 0);
	/* mode and mtime */
	w = nulldir9();
	w.mode = 0600;
	w.mtime = 12345;
	CHECK(twstat(2, &w).type == Rwstat);
	CHECK(tstat(2, &d, keep) == 0 && d.mode == 0600 && d.mtime == 12345 && d.length == 8);
	w.mode = DMDIR | 0700;
	CHECK(twstat(2, &w).type == Rerror);
	/* a refused wstat changes nothing */
	w = nulldir9();
	w.name = fstr("new");
	w.uid = fstr("someoneelse");
	CHECK(twstat(2, &w).type == Rerror);
	CHECK(tstat(2, &d, keep) == 0 && d.name.len == 1 && d.mode == 0600);
	/* a malformed stat record */
	uchar st[64];
	w = nulldir9();
	uint n = dir_pack(&w, st, sizeof st);
	st[0] = 3;
	Fcall t = {.type = Twstat, .tag = 8, .fid = 2, .nstat = (ushort)n, .stat = st};
	nreply = 0;
	uchar msg[128];
	uint mn = 0;
	/* fcall_pack refuses a bad stat: build by hand from a good one */
	st[0] = (uchar)(n - 2);
	mn = fcall_pack(&t, msg, sizeof msg);
	CHECK(mn > 0);
	msg[mn - n] = 3; /* the record's own size field */
	CHECK(sendraw(msg, mn) == NULL && nreply == 1 && reply(0, &r) == 0 && r.type == Rerror);
}

static void
t_remove(void)
{
	Fcall r;
	const char *d[] = {"d"};
	const char *df[] = {"d", "f"};

	CHECK(attach("remove") == 0);
	CHECK(create(2, "d", DMDIR | 0777, OREAD).type == Rcreate);
	CHECK(simple(Tclunk, 2).type == Rclunk);
	CHECK(walk(1, 2, 1, d).type == Rwalk);
	Fcall t = {.type = Tcreate, .tag = 4, .fid = 2, .name = fstr("f"), .perm = 0666, .mode = OWRITE};
	CHECK(rpc(&t, &r) == 0 && r.type == Rcreate);
	CHECK(twrite(2, 0, "data", 4).type == Rwrite);
	CHECK(walk(1, 3, 1, d).type == Rwalk);
	CHECK(iserr((Fcall[]){simple(Tremove, 3)}, "directory not empty"));
	/* the fid is gone even so */
	CHECK(iserr((Fcall[]){simple(Tclunk, 3)}, "unknown fid"));
	CHECK(walk(1, 3, 2, df).type == Rwalk);
	CHECK(simple(Tremove, 3).type == Rremove);
	CHECK(walk(1, 3, 2, df).nwqid == 1);
	/* an open Chan of a removed file still works */
	r = twrite(2, 4, "more", 4);
	CHECK(r.type == Rwrite);
	CHECK(simple(Tclunk, 2).type == Rclunk);
	CHECK(walk(1, 3, 1, d).type == Rwalk);
	CHECK(simple(Tremove, 3).type == Rremove);
	/* the root cannot be removed */
	CHECK(walk(1, 3, 0, NULL).type == Rwalk);
	CHECK(simple(Tremove, 3).type == Rerror);
	/* ORCLOSE */
	CHECK(create(4, "tmp", 0666, OWRITE | ORCLOSE).type == Rcreate);
	const char *tmp[] = {"tmp"};
	CHECK(walk(1, 5, 1, tmp).type == Rwalk);
	CHECK(simple(Tclunk, 5).type == Rclunk);
	CHECK(simple(Tclunk, 4).type == Rclunk);
	CHECK(walk(1, 5, 1, tmp).type == Rerror);
}

static void
t_modes(void)
{
	Fcall r;
	const char *a[] = {"a"}, *l[] = {"log"}, *x[] = {"x"};

	CHECK(attach("modes") == 0);
	/* OTRUNC */
	CHECK(create(2, "a", 0666, OWRITE).type == Rcreate);
	CHECK(twrite(2, 0, "abcdef", 6).type == Rwrite);
	CHECK(walk(1, 3, 1, a).type == Rwalk);
	r = topen(3, ORDWR | OTRUNC);
	CHECK(r.type == Ropen);
	r = tread(3, 0, 100);
	CHECK(r.type == Rread && r.count == 0);
	/* DMAPPEND: writes go to the end */
	CHECK(create(4, "log", DMAPPEND | 0666, OWRITE).type == Rcreate);
	CHECK(twrite(4, 0, "one", 3).type == Rwrite);
	CHECK(twrite(4, 0, "two", 3).type == Rwrite);
	CHECK(walk(1, 5, 1, l).type == Rwalk && topen(5, OREAD).type == Ropen);
	r = tread(5, 0, 100);
	CHECK(r.type == Rread && r.count == 6 && memcmp(r.data, "onetwo", 6) == 0);
	/* DMEXCL: one open at a time */
	CHECK(create(6, "x", DMEXCL | 0666, OWRITE).type == Rcreate);
	CHECK(walk(1, 7, 1, x).type == Rwalk);
	CHECK(iserr((Fcall[]){topen(7, OREAD)}, "device or object already in use"));
	CHECK(simple(Tclunk, 6).type == Rclunk);
	CHECK(topen(7, OREAD).type == Ropen);
	/* one tree per spec, shared by attaches */
	Fcall ta = {.type = Tattach, .tag = 1, .fid = 20, .afid = NOFID, .aname = fstr("modes")};
	CHECK(rpc(&ta, &r) == 0 && r.type == Rattach);
	CHECK(walk(20, 21, 1, a).type == Rwalk);
	ta.fid = 22;
	ta.aname = fstr("other");
	CHECK(rpc(&ta, &r) == 0 && r.type == Rattach);
	CHECK(walk(22, 23, 1, a).type == Rerror);
}

/* ---- flush and deferred replies: a server that answers reads later ---- */

static Req *held;
static int flushcalls;

static void
lateread(Req *r)
{
	held = r;
}

static void
lateflush(Req *r)
{
	flushcalls++;
	if (r->oldreq == held) {
		held = NULL;
		respond(r->oldreq, "interrupted");
	}
}

static void
t_flush(void)
{
	Fcall r;
	Fcall tr = {.type = Tread, .tag = 10, .fid = 1, .offset = 0, .count = 10};
	Fcall tf = {.type = Tflush, .tag = 11, .oldtag = 10};

	CHECK(attach("flush") == 0);
	/* flush of a request that is not pending: at once */
	tf.oldtag = 77;
	CHECK(rpc(&tf, &r) == 0 && r.type == Rflush && r.tag == 11);
	tf.oldtag = 10;

	CHECK(topen(1, OREAD).type == Ropen);
	srv.read = lateread;
	held = NULL;
	nreply = 0;
	CHECK(send(&tr) != NULL && nreply == 0 && held != NULL);
	/* a second request with the same tag is refused */
	CHECK(send(&tr) == NULL && nreply == 1 && reply(0, &r) == 0 && iserr(&r, "duplicate tag"));
	/* no flush callback: the flush waits for the reply */
	nreply = 0;
	CHECK(send(&tf) != NULL && nreply == 0);
	held->ofcall.count = 0;
	respond(held, NULL);
	CHECK(nreply == 2 && !replies[0].now && !replies[1].now);
	CHECK(reply(0, &r) == 0 && r.type == Rread && r.tag == 10);
	CHECK(reply(1, &r) == 0 && r.type == Rflush && r.tag == 11);
	/* with one: the callback ends the request, then Rflush */
	srv.flush = lateflush;
	held = NULL;
	nreply = 0;
	CHECK(send(&tr) != NULL && held != NULL);
	CHECK(send(&tf) == NULL && flushcalls == 1);
	CHECK(nreply == 2 && !replies[0].now && replies[1].now);
	CHECK(reply(0, &r) == 0 && iserr(&r, "interrupted") && r.tag == 10);
	CHECK(reply(1, &r) == 0 && r.type == Rflush && r.tag == 11);
	/* the tag is free again */
	srv.read = NULL;
	CHECK(rpc(&tr, &r) == 0 && iserr(&r, "not supported"));
	srv.read = ramfsdevtab.read ? lateread : NULL;
	srv_end(&srv);
	devsrv_init(&srv, &ramfsdevtab);
	srv.deliver = deliver;
}

static void
t_unsupported(void)
{
	Fcall r;
	Fcall ta = {.type = Tattach, .tag = 1, .fid = 1, .afid = NOFID, .aname = fstr("")};

	srv_end(&srv);
	memset(&srv, 0, sizeof srv);
	srv.deliver = deliver;
	CHECK(version(Msize, "9P2000", &r) == 0 && r.type == Rversion);
	CHECK(rpc(&ta, &r) == 0 && iserr(&r, "not supported"));
	/* the refused attach left no fid behind */
	CHECK(iserr((Fcall[]){simple(Tclunk, 1)}, "unknown fid"));
	CHECK(srv_lookfid(&srv, 1) == NULL);
	fresh();
}

/* ---- dev.c's helpers on a Dirtab ---- */

enum { Qdir, Qone, Qtwo };
static Dirtab tab[] = {
	{".", {Qdir, 0, QTDIR}, 0, DMDIR | 0555},
	{"one", {Qone, 0, QTFILE}, 3, 0444},
	{"two", {Qtwo, 0, QTFILE}, 0, 0666},
};

static void
t_devgen(void)
{
	Chan *c = devattach('x', "");
	uchar buf[512];
	Dir9 d;
	long n;

	CHECK(c != NULL && c->qid.path == Qdir && (c->qid.type & QTDIR));
	n = devdirread(c, buf, sizeof buf, 0, tab, nelem(tab), devgen);
	CHECK(n > 0);
	int m = dir_unpack(buf, (uint)n, &d);
	CHECK(m > 0 && d.name.len == 3 && memcmp(d.name.s, "one", 3) == 0 && d.length == 3);
	CHECK(dir_unpack(buf + m, (uint)(n - m), &d) > 0 && d.name.len == 3);
	CHECK(devdirread(c, buf, sizeof buf, n, tab, nelem(tab), devgen) == 0);
	CHECK(devwalk(c, "nope", tab, nelem(tab), devgen) < 0);
	CHECK(devstat(c, buf, sizeof buf, tab, nelem(tab), devgen) > 0);
	CHECK(dir_unpack(buf, sizeof buf, &d) > 0 && (d.mode & DMDIR) && d.name.s[0] == '/');
	CHECK(devwalk(c, "one", tab, nelem(tab), devgen) == 0 && c->qid.path == Qone);
	CHECK(devwalk(c, "two", tab, nelem(tab), devgen) < 0); /* not a directory */
	CHECK(devopen(c, OWRITE, tab, nelem(tab), devgen) < 0);
	CHECK(devopen(c, OREAD, tab, nelem(tab), devgen) == 0 && (c->flag & COPEN));
	CHECK(devstat(c, buf, 20, tab, nelem(tab), devgen) == 2);
	CHECK(devstat(c, buf, sizeof buf, tab, nelem(tab), devgen) > 0);
	CHECK(dir_unpack(buf, sizeof buf, &d) > 0 && d.length == 3 && d.mode == 0444);
	CHECK(readstr(1, buf, 10, "abc") == 2 && memcmp(buf, "bc", 2) == 0);
	CHECK(readstr(3, buf, 10, "abc") == 0 && readbuf(-1, buf, 10, "abc", 3) == 0);
	CHECK(devpermcheck(0644, OREAD) == 0 && devpermcheck(0444, ORDWR) < 0);
	CHECK(devpermcheck(0644, OREAD | OTRUNC) == 0 && devpermcheck(0111, OEXEC) == 0);
	free(c);
}

int
main(void)
{
	static const HostTest tests[] = {
		{t_version, "9psrv.version"},
		{t_readwrite, "9psrv.readwrite"},
		{t_walk, "9psrv.walk"},
		{t_badfid, "9psrv.badfid"},
		{t_malformed, "9psrv.malformed"},
		{t_perm, "9psrv.perm"},
		{t_dirread, "9psrv.dirread"},
		{t_wstat, "9psrv.wstat"},
		{t_remove, "9psrv.remove"},
		{t_modes, "9psrv.modes"},
		{t_flush, "9psrv.flush"},
		{t_unsupported, "9psrv.unsupported"},
		{t_devgen, "9psrv.devgen"},
	};
	int rv = hosttest_run(tests, nelem(tests));

	srv_end(&srv);
	return rv;
}
