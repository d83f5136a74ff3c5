/* SPDX-License-Identifier: MIT */
/*
 * "#R": the skeleton of every namespace, a read-only directory of the
 * standard mount points (/bin /dev /env ...), each an empty directory
 * for a bind or mount to cover.  core binds #R at / first; what the
 * directories hold comes from the other servants and servers.
 */
#include "dev.h"

enum {
	Qdir,
	Qbin, Qdev, Qenv, Qfd, Qlib, Qmnt, Qn, Qnet, Qproc, Qroot, Qsrv, Qtmp, Qusr,
};

#define D(name, q) {name, {q, 0, QTDIR}, 0, DMDIR | 0555}
static Dirtab roottab[] = {
	D(".", Qdir),
	D("bin", Qbin),
	D("dev", Qdev),
	D("env", Qenv),
	D("fd", Qfd),
	D("lib", Qlib),
	D("mnt", Qmnt),
	D("n", Qn),
	D("net", Qnet),
	D("proc", Qproc),
	D("root", Qroot),
	D("srv", Qsrv),
	D("tmp", Qtmp),
	D("usr", Qusr),
};
#undef D

/* The entries of directory c: the table for the root, nothing below it. */
static int
rootgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	if (c->qid.path != Qdir)
		return 0;
	return devgen(c, tab, ntab, i, d);
}

static void rootinit(void) {}

static Chan *rootattach(const char *spec) { return devattach('R', spec); }

/* (the mount points below the root are empty: walking in them finds nothing) */
static int
rootwalk(Chan *c, const char *name)
{
	return devwalk(c, name, roottab, c->qid.path == Qdir ? nelem(roottab) : 0, devgen);
}

/* stat and open look c up by qid in the whole table (devgen), so each
 * directory gets its own name. */
static int rootstat(Chan *c, uchar *buf, int n) { return devstat(c, buf, n, roottab, nelem(roottab), devgen); }

static int rootopen(Chan *c, int mode) { return devopen(c, mode, roottab, nelem(roottab), devgen); }

static long
rootread(Chan *c, void *buf, long n, vlong off)
{
	return devdirread(c, buf, n, off, roottab, nelem(roottab), rootgen);
}

static long
rootwrite(Chan *c, const void *buf, long n, vlong off)
{
	werrstr("%s", Eisdir);
	return -1;
}

Dev rootdevtab = {
	.dc = 'R',
	.name = "root",
	.init = rootinit,
	.attach = rootattach,
	.clone = NULL,
	.walk = rootwalk,
	.stat = rootstat,
	.open = rootopen,
	.create = devcreate,
	.close = devclose,
	.read = rootread,
	.write = rootwrite,
	.remove = devremove,
	.wstat = devwstat,
};
