/* SPDX-License-Identifier: MIT */
/*
 * ramfs: a file tree in memory, as a servant (srv/core/dev.h, '#r').
 * Linked into core it serves #r; main.c hosts the same code as a
 * standalone 9P server (lib/lib9p/devsrv.c).  Each attach spec names
 * one tree ("" the default), shared by every attach with that spec.
 *
 * A Ram is a file or directory; a Chan's aux points at one and holds a
 * reference, as does the tree while the Ram is linked in it.  A removed
 * Ram lives on, unlinked, until its last Chan closes.  File contents are
 * one realloc'd buffer, holes zero-filled.  One QLock per tree covers
 * every Ram in it; the list of trees has its own.  Lock order: trees,
 * then a tree.  Nothing here blocks except on those locks.
 */
#include "srv/core/dev.h"
#ifdef HOSTTEST
#include "test/host/9psrv_host.h" /* werrstr, nsec: hidden from host builds by libc.h */
#endif
#include "lib/lib9p/fcall.h"

typedef struct Ram Ram;
typedef struct Tree Tree;

struct Ram {
	char *name;
	Qid qid;
	ulong perm;       /* DMDIR ... | 0777 */
	ulong atime, mtime;
	Tree *tree;
	Ram *parent;      /* the root is its own parent */
	Ram *child;       /* directories: first entry */
	Ram *sib;         /* next entry of the parent */
	uchar *data;      /* files */
	vlong len, cap;
	long ref;         /* Chans, and the tree while linked */
	int nopen;        /* open Chans, for DMEXCL */
	int removed;
};

struct Tree {
	QLock lk;
	char *spec;
	uint dev;
	uvlong nextpath;
	Ram *root;
	Tree *next;
};

enum { MaxFile = 1 << 30 };  /* largest file: memory is the limit anyway */

static QLock treeslk;
static Tree *trees;
static uint ntrees;

static ulong
now(void)
{
	return (ulong)(nsec() / 1000000000);
}

static int
qtype(ulong perm)
{
	return (int)((perm >> 24) & (QTDIR | QTAPPEND | QTEXCL));
}

static Ram *
ramnew(Tree *t, const char *name, ulong perm)
{
	Ram *f = malloc(sizeof *f);
	size_t n = strlen(name) + 1;

	if (f == NULL)
		return NULL;
	memset(f, 0, sizeof *f);
	if ((f->name = malloc(n)) == NULL) {
		free(f);
		return NULL;
	}
	memmove(f->name, name, n);
	f->perm = perm;
	f->qid = mkqid(t->nextpath++, 0, qtype(perm));
	f->atime = f->mtime = now();
	f->tree = t;
	f->ref = 1; /* the tree's */
	return f;
}

/* Drop a reference; the last one frees f (unlinked by then).  Tree locked. */
static void
ramput(Ram *f)
{
	if (--f->ref > 0)
		return;
	free(f->data);
	free(f->name);
	free(f);
}

static Ram *
lookup(Ram *d, const char *name)
{
	for (Ram *f = d->child; f != NULL; f = f->sib)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The owner bits of f allow want (DMREAD...)?  Everyone is the owner. */
static int
allowed(Ram *f, ulong want)
{
	if ((((f->perm >> 6) & 7) & want) != want) {
		werrstr("%s", Eperm);
		return 0;
	}
	return 1;
}

static Chan *
ramattach(const char *spec)
{
	Tree *t;
	Chan *c;

	qlock(&treeslk);
	for (t = trees; t != NULL; t = t->next)
		if (strcmp(t->spec, spec) == 0)
			break;
	if (t == NULL) {
		size_t n = strlen(spec) + 1;
		if ((t = malloc(sizeof *t)) == NULL)
			goto bad;
		memset(t, 0, sizeof *t);
		if ((t->spec = malloc(n)) == NULL || (t->root = ramnew(t, "/", DMDIR | 0777)) == NULL) {
			free(t->spec);
			free(t);
			goto bad;
		}
		memmove(t->spec, spec, n);
		t->root->parent = t->root;
		t->dev = ntrees++;
		t->next = trees;
		trees = t;
	}
	qunlock(&treeslk);
	if ((c = devattach('r', spec)) == NULL)
		return NULL;
	qlock(&t->lk);
	t->root->ref++;
	c->aux = t->root;
	c->qid = t->root->qid;
	c->dev = t->dev;
	qunlock(&t->lk);
	return c;
bad:
	qunlock(&treeslk);
	werrstr("%s", Enomem);
	return NULL;
}

static void
ramclone(Chan *from, Chan *to)
{
	Ram *f = from->aux;

	(void)to; /* to->aux is from->aux already */
	qlock(&f->tree->lk);
	f->ref++;
	qunlock(&f->tree->lk);
}

static int
ramwalk(Chan *c, const char *name)
{
	Ram *d = c->aux, *f;
	Tree *t = d->tree;
	int rv = -1;

	qlock(&t->lk);
	if (!(d->perm & DMDIR))
		werrstr("%s", Enotdir);
	else if (!allowed(d, DMEXEC))
		;
	else if (strcmp(name, ".") != 0 && d->removed)
		werrstr("%s", Enonexist);
	else if ((f = strcmp(name, "..") == 0 ? d->parent : strcmp(name, ".") == 0 ? d : lookup(d, name)) == NULL)
		werrstr("%s", Enonexist);
	else {
		f->ref++;
		c->aux = f;
		c->qid = f->qid;
		ramput(d);
		rv = 0;
	}
	qunlock(&t->lk);
	return rv;
}

static void
ramdir(Chan *c, Ram *f, Dir *d)
{
	d->type = c->type;
	d->dev = c->dev;
	d->qid = f->qid;
	d->mode = f->perm;
	d->atime = f->atime;
	d->mtime = f->mtime;
	d->length = (f->perm & DMDIR) ? 0 : f->len;
	d->name = f->name;
	d->uid = d->gid = d->muid = (char *)eve;
}

/* Entry i of c's directory, for devdirread.  Tree locked. */
static int
ramgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	Ram *f = ((Ram *)c->aux)->child;

	(void)tab, (void)ntab;
	while (f != NULL && i-- > 0)
		f = f->sib;
	if (f == NULL)
		return 0;
	ramdir(c, f, d);
	return 1;
}

static int
ramstat(Chan *c, uchar *buf, int n)
{
	Ram *f = c->aux;
	Dir d;
	Dir9 d9;
	uint m;

	if (n < 2) {
		werrstr("%s", Eshort);
		return -1;
	}
	qlock(&f->tree->lk);
	ramdir(c, f, &d);
	d9 = (Dir9){.type = d.type, .dev = d.dev, .qid = d.qid, .mode = (uint)d.mode,
		    .atime = (uint)d.atime, .mtime = (uint)d.mtime, .length = (uvlong)d.length,
		    .name = fstr(d.name), .uid = fstr(eve), .gid = fstr(eve), .muid = fstr(eve)};
	if ((m = dir_pack(&d9, buf, (uint)n)) == 0) {
		/* too small: the size alone, as convD2M */
		m = dir_size(&d9) - 2;
		buf[0] = (uchar)m;
		buf[1] = (uchar)(m >> 8);
		m = 2;
	}
	qunlock(&f->tree->lk);
	return (int)m;
}

/* Shorten f to len (growing is grow's).  Tree locked. */
static void
shorten(Ram *f, vlong len)
{
	if (len < f->len)
		f->len = len;
}

/* Make room for len bytes, zero-filling from f->len.  Tree locked. */
static int
grow(Ram *f, vlong len)
{
	if (len > MaxFile) {
		werrstr("file too large");
		return -1;
	}
	if (len > f->cap) {
		vlong cap = f->cap ? f->cap : 64;
		while (cap < len)
			cap *= 2;
		uchar *p = realloc(f->data, (size_t)cap);
		if (p == NULL) {
			werrstr("%s", Enomem);
			return -1;
		}
		f->data = p;
		f->cap = cap;
	}
	if (len > f->len) {
		memset(f->data + f->len, 0, (size_t)(len - f->len));
		f->len = len;
	}
	return 0;
}

static void
touch(Ram *f)
{
	f->qid.vers++;
	f->mtime = now();
}

static int
ramopen(Chan *c, int mode)
{
	static const uchar need[4] = {[OREAD] = DMREAD, [OWRITE] = DMWRITE,
				      [ORDWR] = DMREAD | DMWRITE, [OEXEC] = DMEXEC};
	Ram *f = c->aux;
	ulong want = need[mode & 3];
	int rv = -1;

	qlock(&f->tree->lk);
	if (mode & OTRUNC)
		want |= DMWRITE;
	if ((f->perm & DMDIR) && (want & DMWRITE))
		werrstr("%s", Eisdir);
	else if (!allowed(f, want))
		;
	else if ((mode & ORCLOSE) && (f == f->parent || f->removed || !allowed(f->parent, DMWRITE)))
		werrstr("%s", Eperm);
	else if ((f->perm & DMEXCL) && f->nopen > 0)
		werrstr("%s", Einuse);
	else {
		if (mode & OTRUNC) {
			shorten(f, 0);
			touch(f);
		}
		f->nopen++;
		f->atime = now();
		c->mode = (mode & 3) == OEXEC ? OREAD : (mode & 3);
		c->flag |= COPEN;
		c->offset = 0;
		c->qid = f->qid;
		rv = 0;
	}
	qunlock(&f->tree->lk);
	return rv;
}

/* Plan 9's rule: the new file's permissions are masked by the directory's. */
static ulong
createperm(ulong perm, ulong dirperm)
{
	if (perm & DMDIR)
		return (perm & ~0777ul) | (dirperm & perm & 0777);
	return (perm & (~0777ul | 0111)) | (perm & dirperm & 0666);
}

static int
ramcreate(Chan *c, const char *name, int mode, ulong perm)
{
	Ram *d = c->aux, *f;
	Tree *t = d->tree;
	int rv = -1;

	qlock(&t->lk);
	if (!(d->perm & DMDIR))
		werrstr("%s", Enotdir);
	else if (d->removed)
		werrstr("%s", Enonexist);
	else if (!devokname(name))
		werrstr("%s", Ebadarg);
	else if (!allowed(d, DMWRITE))
		;
	else if (lookup(d, name) != NULL)
		werrstr("%s", Eexist);
	else if ((perm & DMDIR) && ((mode & 3) == OWRITE || (mode & 3) == ORDWR || (mode & OTRUNC)))
		werrstr("%s", Eisdir);
	else if ((f = ramnew(t, name, createperm(perm, d->perm) & (DMDIR | DMAPPEND | DMEXCL | DMTMP | 0777))) == NULL)
		werrstr("%s", Enomem);
	else {
		f->parent = d;
		f->sib = d->child;
		d->child = f;
		touch(d);
		f->ref++; /* c's, moved from d */
		f->nopen = 1;
		c->aux = f;
		c->qid = f->qid;
		c->mode = (mode & 3) == OEXEC ? OREAD : (mode & 3);
		c->flag |= COPEN;
		c->offset = 0;
		ramput(d);
		rv = 0;
	}
	qunlock(&t->lk);
	return rv;
}

static void
ramclose(Chan *c)
{
	Ram *f = c->aux;
	Tree *t;

	if (f == NULL)
		return;
	t = f->tree;
	qlock(&t->lk);
	if (c->flag & COPEN)
		f->nopen--;
	c->aux = NULL;
	ramput(f);
	qunlock(&t->lk);
}

/* The fast path: no allocation, one lock. */
static long
ramread(Chan *c, void *buf, long n, vlong off)
{
	Ram *f = c->aux;
	long m;

	qlock(&f->tree->lk);
	if (f->perm & DMDIR)
		m = devdirread(c, buf, n, off, NULL, 0, ramgen);
	else if (off < 0)
		m = 0;
	else {
		m = off >= f->len ? 0 : f->len - off < n ? (long)(f->len - off) : n;
		if (m > 0)
			memmove(buf, f->data + off, (size_t)m);
	}
	qunlock(&f->tree->lk);
	return m;
}

static long
ramwrite(Chan *c, const void *buf, long n, vlong off)
{
	Ram *f = c->aux;
	long m = -1;

	qlock(&f->tree->lk);
	if (f->perm & DMDIR)
		werrstr("%s", Eisdir);
	else if (off < 0 || n < 0)
		werrstr("%s", Ebadarg);
	else {
		if (f->perm & DMAPPEND)
			off = f->len;
		if (off > MaxFile)
			werrstr("file too large");
		else if (grow(f, off + n) == 0) {
			memmove(f->data + off, buf, (size_t)n);
			touch(f);
			m = n;
		}
	}
	qunlock(&f->tree->lk);
	return m;
}

static int
ramremove(Chan *c)
{
	Ram *f = c->aux, *d, **l;
	Tree *t = f->tree;
	int rv = -1;

	qlock(&t->lk);
	d = f->parent;
	if (f == d || f->removed)
		werrstr("%s", f == d ? Eperm : Enonexist);
	else if (!allowed(d, DMWRITE))
		;
	else if (f->child != NULL)
		werrstr("%s", Enotempty);
	else {
		for (l = &d->child; *l != f; l = &(*l)->sib)
			;
		*l = f->sib;
		f->sib = NULL;
		f->removed = 1;
		touch(d);
		ramput(f); /* the tree's reference */
		rv = 0;
	}
	qunlock(&t->lk);
	return rv;
}

/*
 * wstat(5): check every change first, then make them all.  Fields with
 * the "don't touch" value (~0, "") stay.
 */
static int
ramwstat(Chan *c, const uchar *buf, int n)
{
	Ram *f = c->aux;
	Tree *t = f->tree;
	char name[NAMELEN], *nname = NULL;
	Dir9 d;
	int rv = -1;

	if (n < 2 || dir_unpack(buf, (uint)n, &d) < 0) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if (d.name.len >= sizeof name) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	memmove(name, d.name.s, d.name.len);
	name[d.name.len] = 0;
	qlock(&t->lk);
	if (f->removed) {
		werrstr("%s", Enonexist);
		goto out;
	}
	if ((d.uid.len && (d.uid.len != strlen(eve) || memcmp(d.uid.s, eve, d.uid.len))) ||
	    (d.gid.len && (d.gid.len != strlen(eve) || memcmp(d.gid.s, eve, d.gid.len)))) {
		werrstr("%s", Eperm);
		goto out;
	}
	if (d.mode != ~0u && ((d.mode ^ f->perm) & DMDIR)) {
		werrstr("can't change a directory into a file or back");
		goto out;
	}
	if (d.length != ~0ull && d.length != (uvlong)f->len) {
		if (f->perm & DMDIR) {
			werrstr("%s", Eisdir);
			goto out;
		}
		if (!allowed(f, DMWRITE))
			goto out;
		if (d.length > MaxFile) {
			werrstr("file too large");
			goto out;
		}
	}
	if (name[0] && strcmp(name, f->name) != 0) {
		if (f == f->parent || !allowed(f->parent, DMWRITE))
			goto perm;
		if (!devokname(name)) {
			werrstr("%s", Ebadarg);
			goto out;
		}
		if (lookup(f->parent, name) != NULL) {
			werrstr("%s", Eexist);
			goto out;
		}
		if ((nname = malloc(strlen(name) + 1)) == NULL) {
			werrstr("%s", Enomem);
			goto out;
		}
		strcpy(nname, name);
	}
	/* act; only growing the file can still fail, so it goes first */
	if (d.length != ~0ull && (vlong)d.length > f->len && grow(f, (vlong)d.length) < 0) {
		free(nname);
		goto out;
	}
	if (d.length != ~0ull)
		shorten(f, (vlong)d.length);
	if (nname != NULL) {
		free(f->name);
		f->name = nname;
		touch(f->parent);
	}
	if (d.mode != ~0u) {
		f->perm = d.mode & (DMDIR | DMAPPEND | DMEXCL | DMTMP | 0777);
		f->qid.type = (uchar)qtype(f->perm);
	}
	touch(f);
	if (d.mtime != ~0u)
		f->mtime = d.mtime;
	c->qid = f->qid;
	rv = 0;
	goto out;
perm:
	werrstr("%s", Eperm);
out:
	qunlock(&t->lk);
	return rv;
}

Dev ramfsdevtab = {
	.dc = 'r',
	.name = "ramfs",
	.attach = ramattach,
	.clone = ramclone,
	.walk = ramwalk,
	.stat = ramstat,
	.open = ramopen,
	.create = ramcreate,
	.close = ramclose,
	.read = ramread,
	.write = ramwrite,
	.remove = ramremove,
	.wstat = ramwstat,
};
