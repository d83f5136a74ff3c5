/* SPDX-License-Identifier: MIT */
/*
 * "#d": /fd, the open file descriptors of the calling process.  For each
 * open fd N there are two files:
 *
 *	N	opening it duplicates fd N (like dup(N, -1)); the open mode
 *		must be allowed by N's (OREAD on a write-only fd fails
 *		"permission denied"), OTRUNC is ignored
 *	Nctl	one line about fd N, as in /proc/PID/fd
 *
 * As with "#s", a servant's open cannot hand back another Chan, so open
 * keeps a reference to fd N's Chan in c->aux and the open system call
 * asks dupchan() for it (devdup.h).
 *
 * Qid paths: the root 0, N (N+1)<<1, Nctl (N+1)<<1 | 1.
 */
#include "dat.h"
#include "fns.h"
#include "devdup.h"

enum { Dupmagic = 0x44757030 };

typedef struct Dupopen Dupopen;
struct Dupopen {
	int magic;
	Chan *chan;  /* a reference to fd N's Chan */
};

/* The root's listing: two entries per open fd. */
typedef struct Dupdir Dupdir;
struct Dupdir {
	int n;
	Dirtab tab[2 * NFD];
	char name[2 * NFD][8];
};

static uvlong
dupqpath(int fd, int ctl)
{
	return ((uvlong)(fd + 1) << 1) | (uvlong)(ctl != 0);
}

static int
qfd(Chan *c)
{
	return (int)(c->qid.path >> 1) - 1;
}

static int
qctl(Chan *c)
{
	return (int)(c->qid.path & 1);
}

/* Permissions of an fd file: what its open mode allows. */
static ulong
dupperm(int mode)
{
	switch (mode & 3) {
	case OWRITE:
		return 0200;
	case ORDWR:
		return 0600;
	default:
		return 0400;
	}
}

/* fd's open mode in up's table, or -1 if fd is not open. */
static int
fdmode(int fd)
{
	Fgrp *f;
	Chan *c;
	int m = -1;

	if (up == NULL || (f = up->fgrp) == NULL || fd < 0 || fd >= NFD)
		return -1;
	lock(&f->l);
	if (fd <= f->maxfd && (c = f->fd[fd]) != NULL)
		m = c->mode;
	unlock(&f->l);
	return m;
}

void
fdline(Fmt *f, int fd, Chan *c)
{
	static const char *const modes[4] = {"r ", " w", "rw", "x "};
	Dev *d = devtab[c->type];

	fmtprint(f, "%3d %s %c %08llx %5u %8lld %s\n", fd, modes[c->mode & 3], d ? d->dc : '?',
		 (unsigned long long)c->qid.path, c->qid.vers, (long long)c->offset,
		 c->path ? c->path : "?");
}

static void
dupinit(void)
{
}

static Chan *
dupattach(const char *spec)
{
	Chan *c = devattach('d', spec);

	if (c)
		c->type = (ushort)devno(&dupdevtab);
	return c;
}

static void
dupclone(Chan *from, Chan *to)
{
	Dupopen *o = from->aux, *n;

	to->aux = NULL;
	if (o == NULL || o->magic != Dupmagic)
		return;
	if ((n = malloc(sizeof *n)) == NULL)
		return;
	n->magic = Dupmagic;
	n->chan = o->chan;
	incref(&n->chan->ref);
	to->aux = n;
}

/* "N" or "Nctl" -> fd and ctl, or -1. */
static int
parsename(const char *name, int *ctl)
{
	int fd = 0;
	const char *p = name;

	if (*p < '0' || *p > '9')
		return -1;
	if (*p == '0' && p[1] >= '0' && p[1] <= '9')
		return -1; /* no leading zeros: one name per file */
	for (; *p >= '0' && *p <= '9'; p++) {
		fd = fd * 10 + (*p - '0');
		if (fd >= NFD)
			return -1;
	}
	if (*p == 0)
		*ctl = 0;
	else if (strcmp(p, "ctl") == 0)
		*ctl = 1;
	else
		return -1;
	return fd;
}

static int
dupwalk(Chan *c, const char *name)
{
	int fd, ctl;

	if (!(c->qid.type & QTDIR)) {
		werrstr("%s", Enotdir);
		return -1;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	if ((fd = parsename(name, &ctl)) < 0 || fdmode(fd) < 0) {
		werrstr("%s", Enonexist);
		return -1;
	}
	c->qid = mkqid(dupqpath(fd, ctl), 0, QTFILE);
	return 0;
}

static int
dupstat(Chan *c, uchar *buf, int n)
{
	char name[8];
	Dirtab t;
	int fd, m;

	if (c->qid.type & QTDIR)
		return devstat(c, buf, n, NULL, 0, devgen);
	fd = qfd(c);
	if ((m = fdmode(fd)) < 0) {
		werrstr("%s", Enonexist);
		return -1;
	}
	snprint(name, sizeof name, qctl(c) ? "%dctl" : "%d", fd);
	t.name = name;
	t.qid = c->qid;
	t.length = 0;
	t.perm = qctl(c) ? 0400 : dupperm(m);
	return devstat(c, buf, n, &t, 1, devgen);
}

static int
dupopen(Chan *c, int mode)
{
	Dupopen *o;
	Chan *fc;
	int om, fm;

	if (c->qid.type & QTDIR)
		return devopen(c, mode, NULL, 0, devgen);
	if (qctl(c)) {
		if (fdmode(qfd(c)) < 0) {
			werrstr("%s", Enonexist);
			return -1;
		}
		if (devpermcheck(0400, mode & ~OTRUNC) < 0)
			return -1;
		c->mode = OREAD;
		c->flag |= COPEN;
		c->offset = 0;
		return 0;
	}
	if ((fc = fdtochan(qfd(c), -1, 0)) == NULL)
		return -1;
	om = mode & 3;
	if (om == OEXEC)
		om = OREAD;
	fm = fc->mode & 3;
	if (fm == OEXEC)
		fm = OREAD;
	if (fm != ORDWR && om != fm) {
		cclose(fc);
		werrstr("%s", Eperm);
		return -1;
	}
	if ((o = malloc(sizeof *o)) == NULL) {
		cclose(fc);
		werrstr("%s", Enomem);
		return -1;
	}
	o->magic = Dupmagic;
	o->chan = fc;
	c->aux = o;
	c->mode = om;
	c->flag |= COPEN;
	c->offset = 0;
	return 0;
}

static void
dupclose(Chan *c)
{
	Dupopen *o = c->aux;

	if (o == NULL || o->magic != Dupmagic)
		return;
	c->aux = NULL;
	o->magic = 0;
	cclose(o->chan);
	free(o);
}

/* The root's entries, from up's table now; NULL if out of memory. */
static Dupdir *
dupsnap(void)
{
	Dupdir *dd = malloc(sizeof *dd);
	Fgrp *f = up ? up->fgrp : NULL;
	int mode[NFD], nfd = 0;

	if (dd == NULL) {
		werrstr("%s", Enomem);
		return NULL;
	}
	dd->n = 0;
	if (f) {
		lock(&f->l);
		for (nfd = 0; nfd <= f->maxfd && nfd < NFD; nfd++)
			mode[nfd] = f->fd[nfd] ? f->fd[nfd]->mode : -1;
		unlock(&f->l);
	}
	for (int fd = 0; fd < nfd; fd++) {
		if (mode[fd] < 0)
			continue;
		for (int ctl = 0; ctl < 2; ctl++) {
			Dirtab *t = &dd->tab[dd->n];
			snprint(dd->name[dd->n], sizeof dd->name[0], ctl ? "%dctl" : "%d", fd);
			t->name = dd->name[dd->n];
			t->qid = mkqid(dupqpath(fd, ctl), 0, QTFILE);
			t->length = 0;
			t->perm = ctl ? 0400 : dupperm(mode[fd]);
			dd->n++;
		}
	}
	return dd;
}

static long
dupread(Chan *c, void *buf, long n, vlong off)
{
	Dupopen *o = c->aux;

	if (c->qid.type & QTDIR) {
		Dupdir *dd = dupsnap();
		long r;
		if (dd == NULL)
			return -1;
		r = devdirread(c, buf, n, off, dd->tab, dd->n, devgen);
		free(dd);
		return r;
	}
	if (qctl(c)) {
		char line[CoreNameMax + 64];
		Fmt f;
		Chan *fc;
		if ((fc = fdtochan(qfd(c), -1, 0)) == NULL)
			return -1;
		fmtinit(&f, line, sizeof line - 1, NULL, NULL);
		fdline(&f, qfd(c), fc);
		*f.p = 0;
		cclose(fc);
		return readstr(off, buf, n, line);
	}
	/* open(2) normally hands out the duplicated Chan instead of c */
	if (o == NULL || o->magic != Dupmagic) {
		werrstr("%s", Ebadfd);
		return -1;
	}
	return devtab[o->chan->type]->read(o->chan, buf, n, off);
}

static long
dupwrite(Chan *c, const void *buf, long n, vlong off)
{
	Dupopen *o = c->aux;

	if ((c->qid.type & QTDIR) || qctl(c)) {
		werrstr("%s", Eperm);
		return -1;
	}
	if (o == NULL || o->magic != Dupmagic) {
		werrstr("%s", Ebadfd);
		return -1;
	}
	return devtab[o->chan->type]->write(o->chan, buf, n, off);
}

Chan *
dupchan(Chan *c)
{
	Dupopen *o;

	if (c == NULL || c->type != devno(&dupdevtab) || !(c->flag & COPEN))
		return NULL;
	o = c->aux;
	if (o == NULL || o->magic != Dupmagic)
		return NULL;
	incref(&o->chan->ref);
	return o->chan;
}

Dev dupdevtab = {
	.dc = 'd',
	.name = "dup",
	.init = dupinit,
	.attach = dupattach,
	.clone = dupclone,
	.walk = dupwalk,
	.stat = dupstat,
	.open = dupopen,
	.create = devcreate,
	.close = dupclose,
	.read = dupread,
	.write = dupwrite,
	.remove = devremove,
	.wstat = devwstat,
};
