/* SPDX-License-Identifier: MIT */
/*
 * hostile9p: a 9P server that misbehaves on command, to show that core's
 * 9P client (the mount driver, srv/core/devmnt.c) survives bad servers.
 *
 *	hostile9p [-pv] mode [name]
 *
 * posts a channel as /srv/NAME (default hostile.MODE) and serves a small
 * ramfs tree (one file, "data") through lib9p, spoiling its replies:
 *
 *   badsize   the size field claims more bytes than the fields fill
 *   short     the reply is cut short (size field and length agree)
 *   wrongtag  the tag is one that was never sent
 *   wrongtype a well-formed reply of the wrong type (Rflush; Rclunk to Tflush)
 *   bigcount  Rread claims more data than the Tread asked for
 *   bigwalk   Rwalk carries one qid more than the Twalk had names
 *   garbage   random bytes of random length
 *   silent    no answer at all (the requests are kept, never answered)
 *   hang      sound answers until the first Tread; from then on silent
 *
 * -p serves over a pipe (the stream transport) instead of an IPC channel
 * (abi/core/sys.h).  On a stream every spoiled reply stays framed: its
 * size field covers exactly the bytes written (badsize pads with zeros,
 * garbage gets a size), since a client cannot tell a short message from
 * a slow server there.  Rversion and Rattach are left sound, so a mount
 * succeeds and the trouble starts with the first walk, unless -v spoils
 * them too.  The client side is tested by test/sys/hostile.rc and
 * tools/systest.py.
 */
#include "libc.h"
#include "mu.h"
#include "abi/core/sys.h"
#include "srv/core/dev.h"
#include "lib/lib9p/srv.h"

extern Dev ramfsdevtab;

enum { Badsize, Short, Wrongtag, Wrongtype, Bigcount, Bigwalk, Garbage, Silent, Hang, Nmode };
static const char *modes[Nmode] = {"badsize", "short",  "wrongtag", "wrongtype", "bigcount",
				   "bigwalk", "garbage", "silent",  "hang"};

enum { StreamMsize = 8192 + 24 };

static int mode;
static int spoilall;    /* -v: Rversion and Rattach too */
static int stream;      /* -p */
static int streamfd;    /* -p: the server's end of the pipe */
static int hung;        /* hang: a Tread came */
static uvlong rng;
static long replylen;   /* IPC: of the request being handled; -1: do not answer */

static uint
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint)rng;
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
	put16(p, v);
	put16(p + 2, v >> 16);
}

/*
 * Spoil the sound reply of n bytes in b (room for nb) to request r:
 * returns the number of bytes to send, or -1 to send nothing.
 */
static long
spoil(Req *r, uchar *b, uint n, uint nb)
{
	uint k, nw;

	if (mode == Hang && r->ifcall.type == Tread)
		hung = 1;
	if (!spoilall && (r->ifcall.type == Tversion || r->ifcall.type == Tattach))
		return n;
	switch (mode) {
	case Badsize:
		k = 1 + rnd() % 64;
		put32(b, n + k);
		if (!stream || n + k > nb)
			return n;
		memset(b + n, 0, k);
		return n + k;
	case Short:
		k = 4 + rnd() % (n - 4);  /* 4 .. n-1 */
		put32(b, k);
		return k;
	case Wrongtag:
		put16(b + 5, (r->tag + CoreIpcSlots + 1 + rnd() % 100) | 0x7f00);
		return n;
	case Wrongtype:
		put32(b, 7);
		b[4] = r->ifcall.type == Tflush ? Rclunk : Rflush;
		return 7;
	case Bigcount:
		if (b[4] != Rread)
			return n;
		/* a consistent message whose count exceeds the request */
		k = r->ifcall.count + 1 + rnd() % 64;
		if (11 + k > nb)
			k = nb - 11;
		if (11 + k > n)
			memset(b + n, 'X', 11 + k - n);
		put32(b + 7, k);
		put32(b, 11 + k);
		return 11 + k;
	case Bigwalk:
		if (b[4] != Rwalk)
			return n;
		/* one qid more than names; the extra ones copy the first */
		nw = r->ifcall.nwname + 1;
		for (k = b[7] | b[8] << 8; k < nw; k++)
			if (k == 0)
				memset(b + 9, 0, 13);
			else
				memmove(b + 9 + 13 * k, b + 9, 13);
		put16(b + 7, nw);
		put32(b, 9 + 13 * nw);
		return 9 + 13 * nw;
	case Garbage:
		k = (stream ? 7u : 1u) + rnd() % 200;
		for (uint i = 0; i < k; i++)
			b[i] = (uchar)rnd();
		if (stream)
			put32(b, k);
		return k;
	case Silent:
		return -1;
	case Hang:
		return hung ? -1 : (long)n;
	}
	return n;
}

/* The transports' deliver (srv.h): every reply is answered at once (devsrv never defers). */
static void
ipcdeliver(Srv *s, Req *r, uint n, int now)
{
	(void)s;
	(void)now;
	replylen = spoil(r, r->buf, n, r->nbuf);
}

static void
pipedeliver(Srv *s, Req *r, uint n, int now)
{
	long k = spoil(r, r->buf, n, r->nbuf);

	(void)s;
	(void)now;
	if (k > 0)
		write(streamfd, r->buf, k);
}

/* The tree: a root with one file. */
static void
mktree(void)
{
	static const char hello[] = "hostile9p data\n";
	Chan *c = ramfsdevtab.attach("");

	if (c == NULL || ramfsdevtab.create(c, "data", ORDWR, 0666) < 0 ||
	    ramfsdevtab.write(c, hello, sizeof hello - 1, 0) < 0)
		panic("hostile9p: cannot make the tree");
	ramfsdevtab.close(c);
	free(c);
}

/* 9P over IPC, as srvipc, but replies may be spoiled or never sent. */
static void
serveipc(Srv *s, long ep, void *region)
{
	MuMsg m;
	long e;
	int answer = 0;

	for (;;) {
		e = answer ? mu_replyrecv(ep, &m) : mu_recv(ep, &m);
		answer = 0;
		if (e < 0)
			return;
		ulong slot = m.mr[0], len = m.mr[1];
		m.tag = TAG(CoreLabel9P, 2, 0);
		if (slot >= CoreIpcSlots || len > CoreIpcSlotSize) {
			m.mr[1] = 0;
			answer = 1;
			continue;
		}
		replylen = 0;
		srv_handle(s, CoreIpcSlot(region, slot), (uint)len, CoreIpcSlotSize, (long)slot);
		if (replylen < 0) {
			/* keep the caller waiting; the handle is never used */
			(void)mu_replysave();
			continue;
		}
		m.mr[0] = slot;
		m.mr[1] = (MuWord)replylen;
		answer = 1;
	}
}

/* 9P on the pipe, as srvfd; returns at end of file (the client is gone). */
static void
servepipe(Srv *s)
{
	uchar *buf = malloc(StreamMsize);
	uint size;

	if (buf == NULL)
		return;
	for (;;) {
		if (readn(streamfd, buf, 4) != 4)
			break;
		size = buf[0] | buf[1] << 8 | buf[2] << 16 | (uint)buf[3] << 24;
		if (size < 7 || size > StreamMsize || readn(streamfd, buf + 4, size - 4) != (long)(size - 4))
			break;
		srv_handle(s, buf, size, StreamMsize, 0);
	}
	free(buf);
}

static void
usage(void)
{
	fprint(2, "usage: hostile9p [-pv] badsize|short|wrongtag|wrongtype|bigcount|bigwalk|garbage|silent|hang "
		  "[name]\n");
	exits("usage");
}

int
main(int argc, char **argv)
{
	char path[64], err[ERRMAX];
	long ep = -1;
	void *region = NULL;
	int cfd, fd, p[2];
	Srv s;

	ARGBEGIN {
	case 'p':
		stream = 1;
		break;
	case 'v':
		spoilall = 1;
		break;
	default:
		usage();
	} ARGEND
	if (argc != 1 && argc != 2)
		usage();
	for (mode = 0; mode < Nmode && strcmp(argv[0], modes[mode]) != 0; mode++)
		;
	if (mode == Nmode)
		usage();
	rng = (uvlong)nsec() | 1;

	if (stream) {
		if (pipe(p) < 0)
			goto bad;
		cfd = p[0];
		streamfd = p[1];
	} else if ((cfd = ipcsrv(&ep, &region)) < 0)
		goto bad;
	snprint(path, sizeof path, "/srv/%s%s", argc == 2 ? "" : "hostile.", argv[argc - 1]);
	if ((fd = create(path, OWRITE, 0600)) < 0 || fprint(fd, "%d", cfd) < 0)
		goto bad;
	close(fd);
	close(cfd);

	devsrv_init(&s, &ramfsdevtab);
	mktree();
	if (stream) {
		s.maxmsize = StreamMsize;
		s.deliver = pipedeliver;
		servepipe(&s);
		exits(NULL);
	}
	s.maxmsize = CoreIpcMsize;
	s.deliver = ipcdeliver;
	serveipc(&s, ep, region);
bad:
	rerrstr(err, sizeof err);
	fprint(2, "hostile9p: %s\n", err);
	exits("error");
}
