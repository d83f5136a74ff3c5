/* SPDX-License-Identifier: MIT */
/*
 * Channels: allocation and reference counts, and namec, which turns a
 * path into a Chan by walking from the root of the caller's namespace
 * (or a #x servant), crossing mount points (mount.c) on the way.
 *
 * Paths are resolved lexically: the current directory is kept as a
 * cleaned absolute path (Proc.dot), a relative name is appended to it,
 * and ".." is removed by cleanname before anything is walked.  So ".."
 * always means the parent in the name, as in Plan 9.
 */
#include "dat.h"
#include "fns.h"

static Lock chanlock;
static Chan *freechan;

Chan *
newchan(void)
{
	Chan *c;

	lock(&chanlock);
	c = freechan;
	if (c)
		freechan = c->next;
	unlock(&chanlock);
	if (c == NULL && (c = malloc(sizeof *c)) == NULL)
		return NULL;
	memset(c, 0, sizeof *c);
	c->ref = 1;
	return c;
}

static void
chanfree(Chan *c)
{
	if (c->umc)
		cclose(c->umc);
	if (c->umh)
		putmhead(c->umh);
	pathput(c->path);
	c->path = NULL;
	lock(&chanlock);
	c->next = freechan;
	freechan = c;
	unlock(&chanlock);
}

/* Drop a reference; the last one tells the servant (and removes ORCLOSE files). */
void
cclose(Chan *c)
{
	if (c == NULL || decref(&c->ref) > 0)
		return;
	if (c->flag & CRCLOSE)
		devtab[c->type]->remove(c); /* an error has nowhere to go */
	devtab[c->type]->close(c);
	chanfree(c);
}

/*
 * Stamp the whole stat records in buf (n bytes, a stat or a directory
 * read of c) with c's servant letter and instance, as Plan 9's devdir
 * and mntdirfix do: a servant does not know the letter core gives it,
 * and a 9P server's files are all 'M', told apart by their mount's dev.
 */
void
dirfix(Chan *c, uchar *buf, long n)
{
	int dc = devtab[c->type]->dc;
	long i, m;

	for (i = 0; i + 8 <= n; i += m) {
		m = 2 + (buf[i] | buf[i + 1] << 8);  /* size[2] type[2] dev[4] ... */
		if (m < 8 || m > n - i)
			break;
		buf[i + 2] = (uchar)dc;
		buf[i + 3] = (uchar)(dc >> 8);
		for (int k = 0; k < 4; k++)
			buf[i + 4 + k] = (uchar)(c->dev >> 8 * k);
	}
}

/* A new, unopened Chan for the same file. */
Chan *
cclone(Chan *c)
{
	Chan *nc = newchan();

	if (nc == NULL)
		return NULL;
	nc->type = c->type;
	nc->dev = c->dev;
	nc->qid = c->qid;
	nc->aux = c->aux;
	nc->auxn = c->auxn;
	nc->mchan = c->mchan;
	nc->fid = c->fid;
	nc->iounit = c->iounit;
	nc->path = pathref(c->path);
	if (devtab[c->type]->clone)
		devtab[c->type]->clone(c, nc);
	return nc;
}

/*
 * A Chan's path is an immutable string shared by the Chans cloned from
 * it, with a reference count just before the text: clones and mount
 * crossings take a reference instead of a copy.
 */
typedef struct Pathstr {
	long ref;
	char s[];
} Pathstr;
#define PATHSTR(p) ((Pathstr *)((p) - offsetof(Pathstr, s)))

char *
pathref(char *p)
{
	if (p)
		incref(&PATHSTR(p)->ref);
	return p;
}

void
pathput(char *p)
{
	if (p && decref(&PATHSTR(p)->ref) == 0)
		free(PATHSTR(p));
}

void
setpath(Chan *c, const char *path)
{
	size_t n = strlen(path);
	Pathstr *p;

	if (c->path && strcmp(c->path, path) == 0)
		return;
	pathput(c->path);
	c->path = NULL;
	if ((p = malloc(sizeof *p + n + 1)) == NULL)
		return; /* nameless: fd2path says "" */
	p->ref = 1;
	memcpy(p->s, path, n + 1);
	c->path = p->s;
}

/* to gets from's path (shared). */
void
sharepath(Chan *to, Chan *from)
{
	char *p = pathref(from->path);

	pathput(to->path);
	to->path = p;
}

int
eqchan(Chan *a, Chan *b)
{
	return a->qid.path == b->qid.path && a->type == b->type && a->dev == b->dev &&
	       ((a->qid.type ^ b->qid.type) & QTDIR) == 0;
}

/* Walk c (a clone the caller owns) one element; on a union, try each member. */
static Chan *
walk1(Chan *c, const char *name)
{
	Mhead *mh = c->umh;
	Chan *nc;

	if (mh == NULL) {
		if (!(c->qid.type & QTDIR)) {
			werrstr("%s", Enotdir);
			cclose(c);
			return NULL;
		}
		if (devtab[c->type]->walk(c, name) < 0) {
			cclose(c);
			return NULL;
		}
		return c;
	}
	/*
	 * A union: the first member that has the name wins.  c is a clone
	 * of the first (domount made it), so that one is walked in place;
	 * walk leaves c as it was if the name is not there.  For the others
	 * the namespace lock is held only to find member i, not for its
	 * walk, which may wait on a server (one that never answers must not
	 * stop every lookup in the namespace); c's reference keeps mh.
	 */
	char err[ERRMAX];
	Pgrp *pg = up->pgrp;
	if (devtab[c->type]->walk(c, name) == 0) {
		c->umh = NULL; /* a file in the first member now */
		putmhead(mh);
		return c;
	}
	rerrstr(err, sizeof err);
	for (int i = 1;; i++) {
		Mount *m;
		int k = 0;
		qlock(&pg->ns);
		for (m = mh->mount; m && k < i; m = m->next)
			k++;
		nc = m ? cclone(m->to) : NULL;
		qunlock(&pg->ns);
		if (nc == NULL)
			break;
		if (devtab[nc->type]->walk(nc, name) == 0) {
			cclose(c);
			return nc;
		}
		rerrstr(err, sizeof err);
		cclose(nc);
	}
	cclose(c);
	werrstr("%s", err);
	return NULL;
}

/*
 * The Chan for path (cleaned, absolute or "#x..."), unopened, with mount
 * points crossed.  If parent is set, stop one element short and return
 * the last element's name in *last (create, remove of union members).
 */
static Chan *
walkpath(char *path, char *last, int parent)
{
	char *p = path, *e;
	Chan *c;

	if (p[0] == '#') {
		Dev *d = devbychar(p[1]);
		char spec[KNAMELEN];
		int n;
		if (p[1] == 0 || d == NULL) {
			werrstr("unknown device in # name");
			return NULL;
		}
		if (up->pgrp->noattach && strchr("|ecps", p[1]) == NULL) {
			werrstr("%s", Eperm);
			return NULL;
		}
		p += 2;
		for (n = 0; *p && *p != '/' && n < KNAMELEN - 1; )
			spec[n++] = *p++;
		spec[n] = 0;
		if ((c = d->attach(spec)) == NULL)
			return NULL;
		c->type = devno(d);
		c = domount(c);
	} else {
		c = cclone(up->slash);
		if (c)
			c = domount(c);
	}
	if (c == NULL)
		return NULL;
	while (*p == '/')
		p++;
	/* each element in turn: its '/' becomes a NUL for the walk, and back */
	while (*p) {
		for (e = p; *e && *e != '/'; e++)
			;
		if (e - p >= NAMELEN) {
			werrstr("file name too long");
			cclose(c);
			return NULL;
		}
		int more = *e == '/';
		if (parent && !more) {
			memcpy(last, p, e - p + 1);
			break;
		}
		*e = 0;
		c = walk1(c, p);
		if (more)
			*e = '/';
		if (c == NULL || (c = domount(c)) == NULL)
			return NULL;
		if (!more)
			break;
		p = e + 1;
		while (*p == '/')
			p++;
	}
	if (parent && last[0] == 0) {
		werrstr("%s", Eexist); /* create or remove of "/" */
		cclose(c);
		return NULL;
	}
	setpath(c, path);
	return c;
}

/* name -> cleaned absolute path in buf (of CoreNameMax+1). */
int
fullpath(const char *name, char *buf)
{
	size_t n, d;

	if (name[0] == '/' || name[0] == '#') {
		if ((n = strlen(name)) > CoreNameMax)
			goto toolong;
		memcpy(buf, name, n + 1);
	} else {
		d = strlen(up->dot);
		n = strlen(name);
		if (d + 1 + n > CoreNameMax)
			goto toolong;
		memcpy(buf, up->dot, d);
		buf[d] = '/';
		memcpy(buf + d + 1, name, n + 1);
	}
	if (buf[0] == '#') {
		/* keep "#x" (and its spec) as the first element */
		char *s = strchr(buf, '/');
		if (s)
			cleanname(s);
	} else if (!isclean(buf))
		cleanname(buf);
	return 0;
toolong:
	werrstr("file name too long");
	return -1;
}

/*
 * Look up name for the system calls:
 *	Aaccess: the file, unopened (stat, chdir, bind source ...);
 *	Aopen: the file, opened with omode;
 *	Acreate: create it in its directory (on a union: the MCREATE member);
 *	Aremove: the file, unopened, for removal.
 */
Chan *
namec(const char *name, int amode, int omode, ulong perm)
{
	char path[CoreNameMax + 1], last[NAMELEN];
	Chan *c, *nc;

	if (name[0] == 0) {
		werrstr("%s", Enonexist);
		return NULL;
	}
	if (fullpath(name, path) < 0)
		return NULL;
	switch (amode) {
	case Aaccess:
	case Aremove:
		return walkpath(path, NULL, 0);
	case Aopen:
		if ((c = walkpath(path, NULL, 0)) == NULL)
			return NULL;
		return copen(c, omode);
	case Acreate:
		break;
	default:
		return NULL;
	}
	last[0] = 0;
	if ((c = walkpath(path, last, 1)) == NULL)
		return NULL;
	if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
		werrstr("%s", Eexist);
		cclose(c);
		return NULL;
	}
	/* an existing file: open it with OTRUNC, as Plan 9 does (unless OEXCL) */
	if ((nc = cclone(c)) != NULL) {
		if (c->umh) {
			nc->umh = c->umh;
			incref(&c->umh->ref);
		}
		if ((nc = walk1(nc, last)) != NULL && (nc = domount(nc)) != NULL) {
			cclose(c);
			if (omode & OEXCL) {
				cclose(nc);
				werrstr("%s", Eexist);
				return NULL;
			}
			setpath(nc, path);
			return copen(nc, omode | OTRUNC);
		}
	}
	/* create in the directory, or in the union's MCREATE member */
	if (c->umh) {
		Mount *m;
		Pgrp *pg = up->pgrp;
		qlock(&pg->ns);
		for (m = c->umh->mount; m; m = m->next)
			if (m->mflag & MCREATE)
				break;
		nc = m ? cclone(m->to) : NULL;
		qunlock(&pg->ns);
		cclose(c);
		if (nc == NULL) {
			werrstr("mounted directory forbids creation");
			return NULL;
		}
		c = nc;
	}
	omode &= ~OEXCL;
	if (devtab[c->type]->create(c, last, omode & ~(OCEXEC | OTRUNC), perm) < 0) {
		cclose(c);
		return NULL;
	}
	c->flag |= COPEN;
	c->mode = omode & 3;
	if (omode & OCEXEC)
		c->flag |= CCEXEC;
	if (omode & ORCLOSE)
		c->flag |= CRCLOSE;
	c->offset = 0;
	setpath(c, path);
	return c;
}

/* Open c (unopened) with omode; consumes c on failure. */
Chan *
copen(Chan *c, int omode)
{
	int m = omode & 3;

	if ((c->qid.type & QTDIR) && m != OREAD && m != OEXEC) {
		werrstr("%s", Eisdir);
		cclose(c);
		return NULL;
	}
	if (devtab[c->type]->open(c, omode & ~(OCEXEC)) < 0) {
		cclose(c);
		return NULL;
	}
	c->flag |= COPEN;
	c->mode = m;
	c->offset = 0;
	if (omode & OCEXEC)
		c->flag |= CCEXEC;
	if (omode & ORCLOSE)
		c->flag |= CRCLOSE;
	return c;
}

/* Read a directory Chan that is a union: member after member. */
long
unionread(Chan *c, void *buf, long n)
{
	Pgrp *pg = up->pgrp;
	Mount *m;
	long r;
	int i;

	for (;;) {
		if (c->umc == NULL) {
			qlock(&pg->ns);
			for (i = 0, m = c->umh->mount; m && i < c->uri; m = m->next)
				i++;
			Chan *mc = m ? cclone(m->to) : NULL;
			qunlock(&pg->ns);
			if (m == NULL)
				return 0;
			if (mc == NULL)
				return -1;
			if ((mc = copen(mc, OREAD)) == NULL) {
				c->uri++; /* skip a member we cannot read */
				continue;
			}
			c->umc = mc;
			c->uoff = 0;
		}
		r = devtab[c->umc->type]->read(c->umc, buf, n, c->uoff);
		if (r > 0) {
			dirfix(c->umc, buf, r);
			c->uoff += r;
			return r;
		}
		cclose(c->umc);
		c->umc = NULL;
		if (r < 0)
			return r;
		c->uri++;
	}
}
