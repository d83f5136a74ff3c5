/* SPDX-License-Identifier: MIT */
/*
 * "#e": the environment of the calling process (its Egrp, env.c), one
 * flat directory with a file per variable.  create makes a variable,
 * read and write work at any offset (a value is bytes; rc keeps a list
 * as its elements separated by NULs), OTRUNC empties, remove deletes.
 * A variable's qid path is its Evalue.path, given once at creation and
 * never reused; its qid version counts the writes to it.
 *
 * Chans hold no pointer to a variable, only its qid path, looked up in
 * the caller's group for every call, so a variable removed (or a group
 * replaced by rfork) meanwhile is simply "file does not exist".  The
 * group's QLock guards the list and every value.
 */
#include "dat.h"
#include "fns.h"

enum {
	Maxvalue = 1 << 20,  /* longest value (bytes) */
	Envperm = 0666,
};

static uvlong envpath;  /* the last qid path given to a variable; the root's is 0 */

extern Dev envdevtab;

/* The caller's group, or NULL with the error set. */
static Egrp *
envgrp(void)
{
	Proc *p = up;

	if (p == NULL || p->egrp == NULL) {
		werrstr("%s", Enonexist);
		return NULL;
	}
	return p->egrp;
}

/* The variable with qid path path; e is locked. */
static Evalue *
envlookpath(Egrp *e, uvlong path)
{
	for (Evalue *v = e->vars; v; v = v->next)
		if (v->path == path)
			return v;
	return NULL;
}

static Evalue *
envlookname(Egrp *e, const char *name)
{
	for (Evalue *v = e->vars; v; v = v->next)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static Qid
envqid(Evalue *v)
{
	return mkqid(v->path, v->vers, QTFILE);
}

/* Entry i of the directory: the i-th variable.  The caller holds the group's lock. */
static int
envgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d)
{
	Egrp *e = up->egrp;
	Evalue *v;

	(void)tab;
	(void)ntab;
	for (v = e->vars; v && i > 0; v = v->next)
		i--;
	if (v == NULL)
		return 0;
	devdir(c, envqid(v), v->name, v->len, eve, Envperm, d);
	return 1;
}

static void
envinit(void)
{
}

static Chan *
envattach(const char *spec)
{
	Chan *c = devattach('e', spec);

	if (c)
		c->type = (ushort)devno(&envdevtab);
	return c;
}

static int
envwalk(Chan *c, const char *name)
{
	Egrp *e = envgrp();
	int r;

	if (e == NULL)
		return -1;
	qlock(&e->l);
	r = devwalk(c, name, NULL, 0, envgen);
	qunlock(&e->l);
	return r;
}

static int
envstat(Chan *c, uchar *buf, int n)
{
	Egrp *e = envgrp();
	int r;

	if (e == NULL)
		return -1;
	qlock(&e->l);
	if (!(c->qid.type & QTDIR) && envlookpath(e, c->qid.path) == NULL) {
		qunlock(&e->l);
		werrstr("%s", Enonexist);
		return -1;
	}
	r = devstat(c, buf, n, NULL, 0, envgen);
	qunlock(&e->l);
	return r;
}

static int
envopen(Chan *c, int mode)
{
	Egrp *e = envgrp();
	Evalue *v;

	if (e == NULL)
		return -1;
	qlock(&e->l);
	if (c->qid.type & QTDIR) {
		int r = devopen(c, mode, NULL, 0, envgen);
		qunlock(&e->l);
		return r;
	}
	if ((v = envlookpath(e, c->qid.path)) == NULL) {
		qunlock(&e->l);
		werrstr("%s", Enonexist);
		return -1;
	}
	if (devpermcheck(Envperm, mode) < 0) {
		qunlock(&e->l);
		return -1;
	}
	if (mode & OTRUNC) {
		free(v->val);
		v->val = NULL;
		v->len = 0;
		v->vers++;
		e->vers++;
	}
	c->qid = envqid(v);
	qunlock(&e->l);
	c->mode = (mode & 3) == OEXEC ? OREAD : (mode & 3);
	c->flag |= COPEN;
	c->offset = 0;
	return 0;
}

static int
envcreate(Chan *c, const char *name, int mode, ulong perm)
{
	Egrp *e = envgrp();
	Evalue *v, **tail;

	if (e == NULL)
		return -1;
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
	if ((v = malloc(sizeof *v)) == NULL) {
		werrstr("%s", Enomem);
		return -1;
	}
	memset(v, 0, sizeof *v);
	if ((v->name = strdup(name)) == NULL) {
		free(v);
		werrstr("%s", Enomem);
		return -1;
	}
	qlock(&e->l);
	if (envlookname(e, name) != NULL) {
		qunlock(&e->l);
		free(v->name);
		free(v);
		werrstr("%s", Eexist);
		return -1;
	}
	v->path = __atomic_add_fetch(&envpath, 1, __ATOMIC_RELAXED);
	for (tail = &e->vars; *tail; tail = &(*tail)->next)
		;
	*tail = v;
	e->vers++;
	c->qid = envqid(v);
	qunlock(&e->l);
	c->mode = mode & 3;
	c->flag |= COPEN;
	c->offset = 0;
	return 0;
}

static long
envread(Chan *c, void *buf, long n, vlong off)
{
	Egrp *e = envgrp();
	Evalue *v;
	long r;

	if (e == NULL)
		return -1;
	qlock(&e->l);
	if (c->qid.type & QTDIR) {
		r = devdirread(c, buf, n, off, NULL, 0, envgen);
		qunlock(&e->l);
		return r;
	}
	if ((v = envlookpath(e, c->qid.path)) == NULL) {
		qunlock(&e->l);
		werrstr("%s", Enonexist);
		return -1;
	}
	r = readbuf(off, buf, n, v->val, v->len);
	qunlock(&e->l);
	return r;
}

static long
envwrite(Chan *c, const void *buf, long n, vlong off)
{
	Egrp *e = envgrp();
	Evalue *v;

	if (e == NULL)
		return -1;
	if (c->qid.type & QTDIR) {
		werrstr("%s", Eisdir);
		return -1;
	}
	if (off < 0 || n < 0) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if (off > Maxvalue || n > Maxvalue - off) {
		werrstr("environment value too long");
		return -1;
	}
	qlock(&e->l);
	if ((v = envlookpath(e, c->qid.path)) == NULL) {
		qunlock(&e->l);
		werrstr("%s", Enonexist);
		return -1;
	}
	if (off + n > v->len) {
		uchar *nv = realloc(v->val, (size_t)(off + n));
		if (nv == NULL) {
			qunlock(&e->l);
			werrstr("%s", Enomem);
			return -1;
		}
		if (off > v->len)
			memset(nv + v->len, 0, (size_t)(off - v->len));
		v->val = nv;
		v->len = (long)(off + n);
	}
	if (n > 0)
		memmove(v->val + off, buf, (size_t)n);
	v->vers++;
	e->vers++;
	c->qid.vers = v->vers;
	qunlock(&e->l);
	return n;
}

static int
envremove(Chan *c)
{
	Egrp *e = envgrp();
	Evalue **l, *v;

	if (e == NULL)
		return -1;
	if (c->qid.type & QTDIR) {
		werrstr("%s", Eperm);
		return -1;
	}
	qlock(&e->l);
	for (l = &e->vars; (v = *l) != NULL; l = &v->next)
		if (v->path == c->qid.path)
			break;
	if (v == NULL) {
		qunlock(&e->l);
		werrstr("%s", Enonexist);
		return -1;
	}
	*l = v->next;
	e->vers++;
	qunlock(&e->l);
	free(v->name);
	free(v->val);
	free(v);
	return 0;
}

Dev envdevtab = {
	.dc = 'e',
	.name = "env",
	.init = envinit,
	.attach = envattach,
	.clone = NULL,
	.walk = envwalk,
	.stat = envstat,
	.open = envopen,
	.create = envcreate,
	.close = devclose,
	.read = envread,
	.write = envwrite,
	.remove = envremove,
	.wstat = devwstat,
};
