/* SPDX-License-Identifier: MIT */
/*
 * hostile9p: a 9P server that misbehaves on command, to show that core's
 * 9P client (the mount driver) survives bad servers.  `hostile9p [-v]
 * mode` posts an IPC channel as /srv/hostile.MODE and serves a small
 * ramfs tree (one file, "data") through lib9p, spoiling its replies:
 *
 *   badsize   the size field is wrong (larger than the message)
 *   wrongtag  the tag is one that was never sent
 *   bigcount  Rread claims more data than the Tread asked for
 *   garbage   random bytes of random length
 *   silent    no answer at all (the calls are kept, never replied)
 *
 * Rversion and Rattach are left sound, so a mount succeeds and the
 * trouble starts with the first walk, unless -v spoils them too.  The
 * client-side test is written in rc elsewhere.
 */
#include "libc.h"
#include "mu.h"
#include "abi/core/sys.h"
#include "srv/core/dev.h"
#include "lib/lib9p/srv.h"

extern Dev ramfsdevtab;

enum { Badsize, Wrongtag, Bigcount, Garbage, Silent, Nmode };
static const char *modes[Nmode] = {"badsize", "wrongtag", "bigcount", "garbage", "silent"};

static int mode;
static int spoilall;    /* -v: Rversion and Rattach too */
static uvlong rng;
static long replylen;   /* of the request being handled; -1: do not answer */

static uint
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint)rng;
}

static void
put32(uchar *p, uint v)
{
	p[0] = (uchar)v;
	p[1] = (uchar)(v >> 8);
	p[2] = (uchar)(v >> 16);
	p[3] = (uchar)(v >> 24);
}

/* Every reply is answered at once (devsrv never defers): spoil it here. */
static void
spoil(Srv *s, Req *r, uint n, int now)
{
	uchar *b = r->buf;
	uint k;

	(void)s;
	(void)now;
	replylen = n;
	if (!spoilall && (r->ifcall.type == Tversion || r->ifcall.type == Tattach))
		return;
	switch (mode) {
	case Badsize:
		put32(b, n + 1 + rnd() % 1000);
		break;
	case Wrongtag:
		b[5] = (uchar)(r->tag + CoreIpcSlots + 1 + rnd() % 100);
		b[6] = 0x7f;
		break;
	case Bigcount:
		if (b[4] != Rread)
			break;
		/* a consistent message whose count exceeds the request */
		k = r->ifcall.count + 1 + rnd() % 64;
		if (11 + k > CoreIpcSlotSize)
			k = CoreIpcSlotSize - 11;
		memset(b + n, 'X', 11 + k - n);
		put32(b + 7, k);
		put32(b, 11 + k);
		replylen = 11 + k;
		break;
	case Garbage:
		k = 1 + rnd() % 200;
		for (uint i = 0; i < k; i++)
			b[i] = (uchar)rnd();
		replylen = k;
		break;
	case Silent:
		replylen = -1;
		break;
	}
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

static void
serve(Srv *s, long ep, void *region)
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

static void
usage(void)
{
	fprint(2, "usage: hostile9p [-v] badsize|wrongtag|bigcount|garbage|silent\n");
	exits("usage");
}

int
main(int argc, char **argv)
{
	char path[64], err[ERRMAX];
	long ep;
	void *region;
	int cfd, fd;
	Srv s;

	argc--, argv++;
	if (argc > 0 && strcmp(argv[0], "-v") == 0)
		spoilall = 1, argc--, argv++;
	if (argc != 1)
		usage();
	for (mode = 0; mode < Nmode && strcmp(argv[0], modes[mode]) != 0; mode++)
		;
	if (mode == Nmode)
		usage();
	rng = (uvlong)nsec() | 1;

	if ((cfd = ipcsrv(&ep, &region)) < 0)
		goto bad;
	snprint(path, sizeof path, "/srv/hostile.%s", modes[mode]);
	if ((fd = create(path, OWRITE, 0600)) < 0 || fprint(fd, "%d", cfd) < 0)
		goto bad;
	close(fd);
	close(cfd);

	devsrv_init(&s, &ramfsdevtab);
	mktree();
	s.maxmsize = CoreIpcMsize;
	s.deliver = spoil;
	serve(&s, ep, region);
bad:
	rerrstr(err, sizeof err);
	fprint(2, "hostile9p: %s\n", err);
	exits("error");
}
