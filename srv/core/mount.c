/* SPDX-License-Identifier: MIT */
/*
 * Namespaces: a process group's mount table (Pgrp), bind and mount with
 * replace/before/after/create, unmount, crossing mount points during a
 * walk (domount), copying a namespace for rfork, and the text of
 * /proc/N/ns.
 *
 * A mount point is an Mhead: the covered Chan (from) and an ordered list
 * of Mounts (the union's members).  Walking onto a covered file yields a
 * clone of the first member with umh set, so a later walk or directory
 * read sees every member (chan.c).
 */
#include "dat.h"
#include "fns.h"

static uint
mhash(Chan *c)
{
	return (uint)(c->qid.path ^ c->type * 7 ^ c->dev * 13) % MNTHASH;
}

/* Free a list of Mounts.  Not with pg->ns held: closing a mount's Chan clunks a fid. */
static void
freemounts(Mount *m)
{
	for (Mount *n; m; m = n) {
		n = m->next;
		cclose(m->to);
		free(m->spec);
		free(m->srcname);
		free(m);
	}
}

void
putmhead(Mhead *mh)
{
	if (mh == NULL || decref(&mh->ref) > 0)
		return;
	freemounts(mh->mount);
	cclose(mh->from);
	free(mh);
}

static Mhead *
lookmh(Pgrp *pg, Chan *c)
{
	for (Mhead *mh = pg->mnt[mhash(c)]; mh; mh = mh->hash)
		if (eqchan(mh->from, c))
			return mh;
	return NULL;
}

/* If c is covered by a mount, the union's first member instead (c is consumed). */
Chan *
domount(Chan *c)
{
	Pgrp *pg;
	Mhead *mh;
	Chan *nc;

	if (up == NULL || c == NULL)
		return c;
	pg = up->pgrp;
	qlock(&pg->ns);
	mh = lookmh(pg, c);
	if (mh == NULL || mh->mount == NULL) {
		qunlock(&pg->ns);
		return c;
	}
	nc = cclone(mh->mount->to);
	if (nc) {
		nc->umh = mh;
		incref(&mh->ref);
		if (c->path)
			sharepath(nc, c);
	}
	qunlock(&pg->ns);
	cclose(c);
	if (nc == NULL)
		werrstr("%s", Enomem);
	return nc;
}

static ulong mountid;

static Mount *
newmount(Chan *to, int flag, const char *spec, const char *src, int ismount)
{
	Mount *m = malloc(sizeof *m);

	if (m == NULL)
		return NULL;
	memset(m, 0, sizeof *m);
	m->to = to;
	incref(&to->ref);
	m->mflag = flag;
	m->spec = strdup(spec ? spec : "");
	m->srcname = strdup(src ? src : "");
	m->ismount = ismount;
	m->id = __atomic_add_fetch(&mountid, 1, __ATOMIC_RELAXED);
	return m;
}

/*
 * Attach new (a Chan for a file or a server's root) onto old.  Both
 * must be directories, or both files; MREPL replaces the mount point's
 * members, MBEFORE/MAFTER add to them.
 */
int
cmount(Chan *new, Chan *old, int flag, const char *spec, const char *src, int ismount)
{
	Pgrp *pg = up->pgrp;
	Mhead *mh, **l;
	Mount *m, *nm;
	int order = flag & MORDER;

	if (((new->qid.type ^ old->qid.type) & QTDIR) != 0) {
		werrstr("mount/bind of a file onto a directory or the reverse");
		return -1;
	}
	if (order != MREPL && !(old->qid.type & QTDIR)) {
		werrstr("union of files");
		return -1;
	}
	if (order == MORDER) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	/* the file mounted: if it is itself a union, take all its members */
	qlock(&pg->ns);
	mh = lookmh(pg, old);
	if (mh == NULL) {
		if ((mh = malloc(sizeof *mh)) == NULL) {
			qunlock(&pg->ns);
			werrstr("%s", Enomem);
			return -1;
		}
		memset(mh, 0, sizeof *mh);
		mh->ref = 1;
		mh->from = cclone(old);
		if (old->path)
			sharepath(mh->from, old);
		l = &pg->mnt[mhash(old)];
		mh->hash = *l;
		*l = mh;
		/* MBEFORE/MAFTER on a plain directory: the directory stays a member */
		if (order != MREPL)
			mh->mount = newmount(old, 0, "", old->path, 0);
	}
	nm = NULL;
	Mount **tail = &nm;
	if (new->umh && new->umh != mh) { /* binding a union: copy its members */
		for (m = new->umh->mount; m; m = m->next) {
			*tail = newmount(m->to, m->mflag, m->spec, m->srcname, m->ismount);
			if (*tail == NULL)
				break;
			if (tail == &nm)
				(*tail)->mflag = flag;
			tail = &(*tail)->next;
		}
	} else {
		*tail = newmount(new, flag, spec, src, ismount);
		if (*tail)
			tail = &(*tail)->next;
	}
	if (nm == NULL) {
		qunlock(&pg->ns);
		werrstr("%s", Enomem);
		return -1;
	}
	if (order == MBEFORE && nm->next) {
		/* members put in front go in last first when /proc/N/ns is replayed */
		ulong ids[64];
		int k = 0;
		for (m = nm; m && k < (int)nelem(ids); m = m->next)
			ids[k++] = m->id;
		for (m = nm; m && k > 0; m = m->next)
			m->id = ids[--k];
	}
	Mount *replaced = NULL;
	switch (order) {
	case MREPL:
		replaced = mh->mount;
		mh->mount = nm;
		break;
	case MBEFORE:
		*tail = mh->mount;
		mh->mount = nm;
		break;
	case MAFTER:
		for (m = mh->mount; m && m->next; m = m->next)
			;
		if (m)
			m->next = nm;
		else
			mh->mount = nm;
		break;
	}
	qunlock(&pg->ns);
	freemounts(replaced);
	return 0;
}

/* Remove new from the union on old, or (new NULL) the whole mount point. */
int
cunmount(Chan *old, Chan *new)
{
	Pgrp *pg = up->pgrp;
	Mhead *mh, **l;
	Mount *m, **ml;

	qlock(&pg->ns);
	for (l = &pg->mnt[mhash(old)]; (mh = *l) != NULL; l = &mh->hash)
		if (eqchan(mh->from, old))
			break;
	if (mh == NULL) {
		qunlock(&pg->ns);
		werrstr("not mounted");
		return -1;
	}
	if (new == NULL) {
		*l = mh->hash;
		qunlock(&pg->ns);
		putmhead(mh);
		return 0;
	}
	for (ml = &mh->mount; (m = *ml) != NULL; ml = &m->next)
		if (eqchan(m->to, new))
			break;
	if (m == NULL) {
		qunlock(&pg->ns);
		werrstr("not mounted");
		return -1;
	}
	*ml = m->next;
	m->next = NULL;
	if (mh->mount == NULL) {
		*l = mh->hash;
		qunlock(&pg->ns);
		putmhead(mh);
	} else
		qunlock(&pg->ns);
	freemounts(m);
	return 0;
}

Pgrp *
newpgrp(void)
{
	Pgrp *pg = malloc(sizeof *pg);

	if (pg) {
		memset(pg, 0, sizeof *pg);
		pg->ref = 1;
	}
	return pg;
}

/* A copy of from's mount table, for rfork(RFNAMEG). */
Pgrp *
pgrpcopy(Pgrp *from)
{
	Pgrp *pg = newpgrp();

	if (pg == NULL)
		return NULL;
	qlock(&from->ns);
	pg->noattach = from->noattach;
	for (int i = 0; i < MNTHASH; i++) {
		Mhead **tail = &pg->mnt[i];
		for (Mhead *mh = from->mnt[i]; mh; mh = mh->hash) {
			Mhead *nh = malloc(sizeof *nh);
			if (nh == NULL)
				break;
			memset(nh, 0, sizeof *nh);
			nh->ref = 1;
			nh->from = mh->from;
			incref(&nh->from->ref);
			Mount **mt = &nh->mount;
			for (Mount *m = mh->mount; m; m = m->next) {
				*mt = newmount(m->to, m->mflag, m->spec, m->srcname, m->ismount);
				if (*mt == NULL)
					break;
				(*mt)->id = m->id;
				mt = &(*mt)->next;
			}
			*tail = nh;
			tail = &nh->hash;
		}
	}
	qunlock(&from->ns);
	return pg;
}

void
closepgrp(Pgrp *pg)
{
	if (pg == NULL || decref(&pg->ref) > 0)
		return;
	for (int i = 0; i < MNTHASH; i++)
		for (Mhead *mh = pg->mnt[i], *n; mh; mh = n) {
			n = mh->hash;
			putmhead(mh);
		}
	free(pg);
}

/* Quote s for rc if it needs it. */
static void
quoted(Fmt *f, const char *s)
{
	int plain = s[0] != 0;

	for (const char *t = s; *t; t++)
		if (strchr(" \t'#;&|^$=`{}()<>\"", *t))
			plain = 0;
	if (plain) {
		fmtprint(f, "%s", s);
		return;
	}
	fmtprint(f, "'");
	for (; *s; s++)
		fmtprint(f, *s == '\'' ? "''" : "%c", *s);
	fmtprint(f, "'");
}

/* One line of /proc/N/ns: member m of mount point mh, with its flags. */
typedef struct Nsline Nsline;
struct Nsline {
	Mhead *mh;
	Mount *m;
	char fl[4];
};

/* Is m the directory mh covers, kept as a member by a bind -a or -b? */
static int
isself(Mhead *mh, Mount *m)
{
	return m->to == mh->from || eqchan(m->to, mh->from);
}

/*
 * The flags of member m (at index j of mh's union) that put it where it
 * is when the members are bound in the order they were made: none for
 * the oldest (it replaces), else -b if it is before every older member
 * or -a after them (each bind adds at the front or the back, and copies
 * of a union get their ids to match, see cmount); and -c.
 */
static void
nsflags(Mhead *mh, Mount *m, int j, char *fl)
{
	int older = -1, i = 0;

	for (Mount *o = mh->mount; o && older < 0; o = o->next, i++)
		if (o->id < m->id)
			older = i;
	if (older >= 0)
		*fl++ = j < older ? 'b' : 'a';
	if (m->mflag & MCREATE)
		*fl++ = 'c';
	*fl = 0;
}

static int
nscmp(const void *a, const void *b)
{
	ulong x = ((const Nsline *)a)->m->id, y = ((const Nsline *)b)->m->id;

	return x < y ? -1 : x > y;
}

/*
 * The namespace of pg as rc commands, one per line, in the order the
 * mounts were made, so that running them in a fresh namespace builds it
 * again: "bind '#c' /dev", "bind -a '#B/bin' /bin", "mount -c
 * /srv/ramfs /tmp".  Returns a malloc'd string, or NULL.
 */
char *
nstext(Pgrp *pg)
{
	Nsline *l = NULL, *nl;
	int n = 0, cap = 0;
	char *buf = NULL;
	size_t size = 8192;
	Fmt f;

	qlock(&pg->ns);
	for (int i = 0; i < MNTHASH; i++)
		for (Mhead *mh = pg->mnt[i]; mh; mh = mh->hash) {
			int j = 0;
			for (Mount *m = mh->mount; m; m = m->next, j++) {
				if (isself(mh, m))
					continue;
				if (n == cap) {
					cap = cap ? 2 * cap : 32;
					if ((nl = realloc(l, cap * sizeof *l)) == NULL)
						goto bad;
					l = nl;
				}
				l[n].mh = mh;
				l[n].m = m;
				nsflags(mh, m, j, l[n].fl);
				n++;
			}
		}
	qsort(l, n, sizeof *l, nscmp);
	for (;; size *= 4) {
		if ((buf = malloc(size)) == NULL)
			goto bad;
		fmtinit(&f, buf, size - 1, NULL, NULL);
		for (int i = 0; i < n; i++) {
			Mount *m = l[i].m;
			fmtprint(&f, "%s%s%s ", m->ismount ? "mount" : "bind", l[i].fl[0] ? " -" : "", l[i].fl);
			quoted(&f, m->srcname);
			fmtprint(&f, " ");
			quoted(&f, l[i].mh->from->path ? l[i].mh->from->path : "?");
			if (m->ismount && m->spec[0]) {
				fmtprint(&f, " ");
				quoted(&f, m->spec);
			}
			fmtprint(&f, "\n");
		}
		if (f.p < f.end)
			break;
		free(buf);
	}
	*f.p = 0;
	qunlock(&pg->ns);
	free(l);
	return buf;
bad:
	qunlock(&pg->ns);
	free(l);
	werrstr("%s", Enomem);
	return NULL;
}
