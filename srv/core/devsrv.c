/* SPDX-License-Identifier: MIT */
/*
 * "#s": /srv, one directory shared by every process, where a server
 * posts the Chan of its end of a connection for others to open.
 *
 *	create /srv/NAME	makes an empty entry (mode from the create
 *				perm, owner eve)
 *	write "5" to it		posts fd 5's Chan (a reference is kept);
 *				a second post fails "file already exists"
 *	open /srv/NAME		once posted, gives the posted Chan itself
 *	remove /srv/NAME	drops the entry and its Chan
 *
 * Plan 9's srv open replaces the Chan being opened by the posted one;
 * a servant's open cannot do that, so open records the posted Chan in
 * c->aux (taking a reference) and the open system call asks srvchan()
 * for it and returns that instead of c (see devsrv.h).
 *
 * Reading an entry gives nothing.  The usual pattern of a server,
 * create with ORCLOSE, post, keep the fd, makes the entry go away when
 * the server's fd is closed.
 */
#include "dat.h"
#include "fns.h"
#include "devsrv.h"
#include "lib/lib9p/fcall.h"

typedef struct Srv Srv;
typedef struct Srvopen Srvopen;

struct Srv {
	Srv *next;
	char *name;
	ulong perm;      /* permission bits only */
	uvlong path;     /* qid path; the root's is 0 */
	Chan *chan;      /* posted, or NULL */
};

/* c->aux of an opened entry that had a Chan posted. */
enum { Srvmagic = 0x53727630 };
struct Srvopen {
	int magic;
	Chan *chan;      /* a reference to the posted Chan */
};

static QLock srvlk;  /* guards srvs and every Srv */
static Srv *srvs;    /* in creation order */
static uvlong srvpath;

static Srv *
srvlookpath(uvlong path)
{
	for (Srv *s = srvs; s; s = s->next)
		if (s->path == path)
			return s;
	return NULL;
}

static Srv *
srvlookname(const char *name)
{
	for (Srv *s = srvs; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

/* Entry i: the i-th Srv.  The caller holds srvlk. */
static int
srvgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	Srv *s;

	(void)tab;
	(void)ntab;
	for (s = srvs; s && i > 0; s = s->next)
		i--;
	if (s == NULL)
		return 0;
	devdir(c, mkqid(s->path, 0, QTFILE), s->name, 0, eve, s->perm, d);
	return 1;
}

static void
srvinit(void)
{
}

static Chan *
srvattach(const char *spec)
{
	Chan *c = devattach('s', spec);

	if (c)
		c->type = (ushort)devno(&srvdevtab);
	return c;
}

/* A clone of an opened entry takes its own reference to the posted Chan. */
static void
srvclone(Chan *from, Chan *to)
{
	Srvopen *o = from->aux, *n;

	to->aux = NULL;
	if (o == NULL || o->magic != Srvmagic)
		return;
	if ((n = malloc(sizeof *n)) == NULL)
		return;
	n->magic = Srvmagic;
	n->chan = o->chan;
	incref(&n->chan->ref);
	to->aux = n;
}

static int
srvwalk(Chan *c, const char *name)
{
	int r;

	qlock(&srvlk);
	r = devwalk(c, name, NULL, 0, srvgen);
	qunlock(&srvlk);
	return r;
}

static int
srvstat(Chan *c, uchar *buf, int n)
{
	int r;

	qlock(&srvlk);
	if (!(c->qid.type & QTDIR) && srvlookpath(c->qid.path) == NULL) {
		qunlock(&srvlk);
		werrstr("%s", Enonexist);
		return -1;
	}
	r = devstat(c, buf, n, NULL, 0, srvgen);
	qunlock(&srvlk);
	return r;
}

static int
srvopen(Chan *c, int mode)
{
	Srvopen *o = NULL;
	Srv *s;
	int r;

	if (c->qid.type & QTDIR) {
		qlock(&srvlk);
		r = devopen(c, mode, NULL, 0, srvgen);
		qunlock(&srvlk);
		return r;
	}
	if ((o = malloc(sizeof *o)) == NULL) {
		werrstr("%s", Enomem);
		return -1;
	}
	qlock(&srvlk);
	if ((s = srvlookpath(c->qid.path)) == NULL) {
		qunlock(&srvlk);
		free(o);
		werrstr("%s", Enonexist);
		return -1;
	}
	if (devpermcheck(s->perm, mode) < 0) {
		qunlock(&srvlk);
		free(o);
		return -1;
	}
	if (s->chan) {
		if (mode & OTRUNC) {
			/* create of an existing, posted entry: a second server */
			qunlock(&srvlk);
			free(o);
			werrstr("%s", Eexist);
			return -1;
		}
		if (mode & ORCLOSE) {
			qunlock(&srvlk);
			free(o);
			werrstr("%s", Eperm);
			return -1;
		}
		o->magic = Srvmagic;
		o->chan = s->chan;
		incref(&o->chan->ref);
		c->aux = o;
		o = NULL;
	}
	qunlock(&srvlk);
	free(o);
	c->mode = (mode & 3) == OEXEC ? OREAD : (mode & 3);
	c->flag |= COPEN;
	c->offset = 0;
	return 0;
}

static int
srvcreate(Chan *c, const char *name, int mode, ulong perm)
{
	Srv *s, **tail;

	if (!(c->qid.type & QTDIR)) {
		werrstr("%s", Enotdir);
		return -1;
	}
	if ((perm & DMDIR) || (mode & 3) == OEXEC) {
		werrstr("%s", Eperm);
		return -1;
	}
	if (!devokname(name)) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if ((s = malloc(sizeof *s)) == NULL) {
		werrstr("%s", Enomem);
		return -1;
	}
	memset(s, 0, sizeof *s);
	if ((s->name = strdup(name)) == NULL) {
		free(s);
		werrstr("%s", Enomem);
		return -1;
	}
	s->perm = perm & 0777;
	qlock(&srvlk);
	if (srvlookname(name) != NULL) {
		qunlock(&srvlk);
		free(s->name);
		free(s);
		werrstr("%s", Eexist);
		return -1;
	}
	s->path = ++srvpath;
	for (tail = &srvs; *tail; tail = &(*tail)->next)
		;
	*tail = s;
	c->qid = mkqid(s->path, 0, QTFILE);
	qunlock(&srvlk);
	c->mode = mode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return 0;
}

static void
srvclose(Chan *c)
{
	Srvopen *o = c->aux;

	if (o == NULL || o->magic != Srvmagic)
		return;
	c->aux = NULL;
	o->magic = 0;
	cclose(o->chan);
	free(o);
}

static long
srvread(Chan *c, void *buf, long n, vlong off)
{
	long r;

	qlock(&srvlk);
	if (c->qid.type & QTDIR) {
		r = devdirread(c, buf, n, off, NULL, 0, srvgen);
		qunlock(&srvlk);
		return r;
	}
	r = srvlookpath(c->qid.path) ? 0 : -1;
	qunlock(&srvlk);
	if (r < 0)
		werrstr("%s", Enonexist);
	return r;
}

/* Post the fd whose number is written. */
static long
srvwrite(Chan *c, const void *buf, long n, vlong off)
{
	char num[32], *end;
	Chan *pc;
	Srv *s;
	long fd;

	if (c->qid.type & QTDIR) {
		werrstr("%s", Eisdir);
		return -1;
	}
	if (n <= 0 || n >= (long)sizeof num) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	memmove(num, buf, (size_t)n);
	num[n] = 0;
	fd = strtol(num, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (end == num || *end != 0 || fd < 0 || fd >= NFD) {
		werrstr("%s", Ebadfd);
		return -1;
	}
	if ((pc = fdtochan((int)fd, -1, 0)) == NULL)
		return -1;
	if (pc->type == c->type && pc->qid.path == c->qid.path && !(pc->qid.type & QTDIR)) {
		/* the entry would hold itself open */
		cclose(pc);
		werrstr("inappropriate use of fd");
		return -1;
	}
	qlock(&srvlk);
	if ((s = srvlookpath(c->qid.path)) == NULL) {
		qunlock(&srvlk);
		cclose(pc);
		werrstr("%s", Enonexist);
		return -1;
	}
	if (s->chan) {
		qunlock(&srvlk);
		cclose(pc);
		werrstr("%s", Eexist);
		return -1;
	}
	s->chan = pc;
	/* from now on the channel is known by this name (a mount of it
	 * shows "mount /srv/NAME ..." in /proc/N/ns, not "#X" or "#|/data") */
	if (c->path)
		sharepath(pc, c);
	qunlock(&srvlk);
	return n;
}

static int
srvremove(Chan *c)
{
	Srv **l, *s;

	if (c->qid.type & QTDIR) {
		werrstr("%s", Eperm);
		return -1;
	}
	qlock(&srvlk);
	for (l = &srvs; (s = *l) != NULL; l = &s->next)
		if (s->path == c->qid.path)
			break;
	if (s == NULL) {
		qunlock(&srvlk);
		werrstr("%s", Enonexist);
		return -1;
	}
	*l = s->next;
	qunlock(&srvlk);
	cclose(s->chan);
	free(s->name);
	free(s);
	return 0;
}

/* wstat: the permission bits and the name may change; the rest must be "don't touch" or equal. */
static int
srvwstat(Chan *c, const uchar *buf, int n)
{
	Dir9 d;
	char name[NAMELEN];
	Srv *s;

	if (c->qid.type & QTDIR) {
		werrstr("%s", Eperm);
		return -1;
	}
	if (n < 2 || dir_unpack(buf, (uint)n, &d) < 0) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if (d.mode != ~0u && (d.mode & ~0777u) != 0) {
		werrstr("%s", Eperm);
		return -1;
	}
	if (d.length != ~0ull && d.length != 0) {
		werrstr("%s", Eperm);
		return -1;
	}
	if (d.name.len >= NAMELEN) {
		werrstr("file name too long");
		return -1;
	}
	memmove(name, d.name.s, d.name.len);
	name[d.name.len] = 0;
	if (strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	qlock(&srvlk);
	if ((s = srvlookpath(c->qid.path)) == NULL) {
		qunlock(&srvlk);
		werrstr("%s", Enonexist);
		return -1;
	}
	if (name[0] && strcmp(name, s->name) != 0) {
		char *nn;
		if (srvlookname(name) != NULL) {
			qunlock(&srvlk);
			werrstr("%s", Eexist);
			return -1;
		}
		if ((nn = strdup(name)) == NULL) {
			qunlock(&srvlk);
			werrstr("%s", Enomem);
			return -1;
		}
		free(s->name);
		s->name = nn;
	}
	if (d.mode != ~0u)
		s->perm = d.mode & 0777;
	qunlock(&srvlk);
	return 0;
}

Chan *
srvchan(Chan *c)
{
	Srvopen *o;

	if (c == NULL || c->type != devno(&srvdevtab) || !(c->flag & COPEN))
		return NULL;
	o = c->aux;
	if (o == NULL || o->magic != Srvmagic)
		return NULL;
	incref(&o->chan->ref);
	return o->chan;
}

Dev srvdevtab = {
	.dc = 's',
	.name = "srv",
	.init = srvinit,
	.attach = srvattach,
	.clone = srvclone,
	.walk = srvwalk,
	.stat = srvstat,
	.open = srvopen,
	.create = srvcreate,
	.close = srvclose,
	.read = srvread,
	.write = srvwrite,
	.remove = srvremove,
	.wstat = srvwstat,
};
