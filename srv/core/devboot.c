/* SPDX-License-Identifier: MIT */
/*
 * "#B": the boot file system, the programs and files core was started
 * with (a ustar archive made by the build from /bin and /lib), served
 * read-only.  tarfs.c indexes the archive into a tree once, at
 * bootfsinit; after that the tree never changes, so no locks.  A Chan's
 * qid path is its node's id; reads copy straight from the archive.
 */
#include "dev.h"
#include "devboot.h"
#include "tarfs.h"

static Tarfs fs;
static int fsok;

static void
badentry(const char *why, const char *name)
{
	klog("boot: %s: %s", name, why);
}

void
bootfsinit(const void *tar, long len)
{
	if (fsok)
		tarfs_free(&fs);
	if (tarfs_build(&fs, tar, len, badentry) < 0) {
		klog("boot: out of memory indexing the boot archive");
		tarfs_free(&fs);
		fsok = 0;
		return;
	}
	fsok = 1;
	klog("boot: %lu files and directories, %d entries skipped", fs.nnode - 1, fs.nbad);
}

/* At devtab init: an empty tree if core gave no archive. */
static void
bootinit(void)
{
	if (!fsok)
		bootfsinit(NULL, 0);
}

static Tnode *node(Chan *c) { return tarfs_node(&fs, c->qid.path); }

static Qid
nodeqid(Tnode *n)
{
	return mkqid(n->id, 0, (n->mode & DMDIR) ? QTDIR : QTFILE);
}

static void
nodedir(Chan *c, Tnode *n, Dir *d)
{
	devdir(c, nodeqid(n), n->name, n->length, eve, n->mode & ~DMDIR, d);
	d->mtime = d->atime = n->mtime;
}

/* For stat and open: c's own entry (dev.c finds it by qid). */
static int
selfgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	Tnode *n = node(c);

	if (i != 0 || n == NULL)
		return 0;
	nodedir(c, n, d);
	return 1;
}

/* For directory reads: the entries of directory c. */
static int
kidgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	Tnode *n = node(c);

	if (n == NULL || i < 0 || i >= n->nkid)
		return 0;
	nodedir(c, n->kid[i], d);
	return 1;
}

static Chan *bootattach(const char *spec) { return devattach('B', spec); }

static int
bootwalk(Chan *c, const char *name)
{
	Tnode *n = node(c), *k;

	if (n == NULL || !(n->mode & DMDIR)) {
		werrstr("%s", Enotdir);
		return -1;
	}
	if (strcmp(name, ".") == 0)
		k = n;
	else if (strcmp(name, "..") == 0)
		k = n->parent;
	else if ((k = tarfs_lookup(n, name)) == NULL) {
		werrstr("%s", Enonexist);
		return -1;
	}
	c->qid = nodeqid(k);
	return 0;
}

static int bootstat(Chan *c, uchar *buf, int n) { return devstat(c, buf, n, NULL, 0, selfgen); }

static int bootopen(Chan *c, int mode) { return devopen(c, mode, NULL, 0, selfgen); }

static long
bootread(Chan *c, void *buf, long n, vlong off)
{
	Tnode *t = node(c);

	if (t == NULL) {
		werrstr("%s", Enonexist);
		return -1;
	}
	if (t->mode & DMDIR)
		return devdirread(c, buf, n, off, NULL, 0, kidgen);
	return readbuf(off, buf, n, t->data, (long)t->length);
}

static long
bootwrite(Chan *c, const void *buf, long n, vlong off)
{
	werrstr("%s", Eperm);
	return -1;
}

Dev bootdevtab = {
	.dc = 'B',
	.name = "boot",
	.init = bootinit,
	.attach = bootattach,
	.clone = NULL,
	.walk = bootwalk,
	.stat = bootstat,
	.open = bootopen,
	.create = devcreate,
	.close = devclose,
	.read = bootread,
	.write = bootwrite,
	.remove = devremove,
	.wstat = devwstat,
};
