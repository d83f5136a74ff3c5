/* SPDX-License-Identifier: MIT */
/*
 * A servant (srv/core/dev.h) hosted as a 9P server: the Srv callbacks of
 * srv.h, each turning one request into calls on the Dev.  Every fid
 * holds a Chan of the servant; a walk works on a clone, so a walk that
 * fails leaves the fid as it was.  Errors are the strings the servant
 * set with werrstr.  The framework (srv.c) checks fids and open modes
 * first; the servant checks permissions.  Single-threaded: servants
 * that block need core's locks, not lib/lib9p/devlock1.c.
 */
#include "srv/core/dev.h"
#ifdef HOSTTEST
#include "test/host/9psrv_host.h" /* werrstr, nsec: hidden from host builds by libc.h */
#endif
#include "lib/lib9p/srv.h"

static Dev *
devof(Req *r)
{
	return r->srv->aux;
}

/* respond with the servant's error string */
static void
fail(Req *r)
{
	rerrstr(r->ename, sizeof r->ename);
	if (r->ename[0] == 0)
		strlcpy(r->ename, Eio, sizeof r->ename);
	respond(r, r->ename);
}

/* s as a C string in buf[0..n-1]; -1 if too long. */
static int
cstr(Fstr s, char *buf, uint n)
{
	if (s.len >= n)
		return -1;
	memmove(buf, s.s, s.len);
	buf[s.len] = 0;
	return 0;
}

static void
ds_attach(Req *r)
{
	char spec[NAMELEN];
	Chan *c;

	if (cstr(r->ifcall.aname, spec, sizeof spec) < 0) {
		respond(r, Ebadarg);
		return;
	}
	if ((c = devof(r)->attach(spec)) == NULL) {
		fail(r);
		return;
	}
	r->newfid->aux = c;
	r->ofcall.qid = c->qid;
	respond(r, NULL);
}

/* A new Chan for the same file, unopened (core's cclone). */
static Chan *
chanclone(Dev *d, Chan *c)
{
	Chan *nc = malloc(sizeof *nc);

	if (nc == NULL)
		return NULL;
	memset(nc, 0, sizeof *nc);
	nc->ref = 1;
	nc->type = c->type;
	nc->dev = c->dev;
	nc->qid = c->qid;
	nc->aux = c->aux;
	nc->auxn = c->auxn;
	if (d->clone)
		d->clone(c, nc);
	return nc;
}

static void
chanfree(Dev *d, Chan *c)
{
	d->close(c);
	free(c);
}

static void
ds_walk(Req *r)
{
	Dev *d = devof(r);
	char name[NAMELEN];
	Chan *nc;
	int i;

	if ((nc = chanclone(d, r->fid->aux)) == NULL) {
		respond(r, Enomem);
		return;
	}
	for (i = 0; i < r->ifcall.nwname; i++) {
		if (cstr(r->ifcall.wname[i], name, sizeof name) < 0) {
			werrstr("%s", Enonexist);
			break;
		}
		if (d->walk(nc, name) < 0)
			break;
		r->ofcall.wqid[i] = nc->qid;
	}
	r->ofcall.nwqid = (ushort)i;
	if (i < r->ifcall.nwname) {
		rerrstr(r->ename, sizeof r->ename);
		chanfree(d, nc);
		respond(r, r->ename); /* an Rwalk if i > 0 */
		return;
	}
	if (r->newfid == r->fid)
		chanfree(d, r->fid->aux);
	r->newfid->aux = nc;
	respond(r, NULL);
}

/* Answer a Topen or Tcreate that worked: c is the opened file. */
static void
opened(Req *r, Chan *c)
{
	if (r->ifcall.mode & ORCLOSE)
		c->flag |= CRCLOSE;
	r->ofcall.qid = c->qid;
	respond(r, NULL);
}

static void
ds_open(Req *r)
{
	Chan *c = r->fid->aux;

	if (devof(r)->open(c, r->ifcall.mode) < 0)
		fail(r);
	else
		opened(r, c);
}

static void
ds_create(Req *r)
{
	Chan *c = r->fid->aux;
	char name[NAMELEN];

	if (cstr(r->ifcall.name, name, sizeof name) < 0) {
		respond(r, "file name too long");
		return;
	}
	if (devof(r)->create(c, name, r->ifcall.mode, r->ifcall.perm) < 0)
		fail(r);
	else
		opened(r, c);
}

static void
ds_read(Req *r)
{
	long n = devof(r)->read(r->fid->aux, r->rbuf, r->ifcall.count, (vlong)r->ifcall.offset);

	if (n < 0) {
		fail(r);
		return;
	}
	r->ofcall.data = r->rbuf;
	r->ofcall.count = (uint)n;
	respond(r, NULL);
}

static void
ds_write(Req *r)
{
	long n = devof(r)->write(r->fid->aux, r->ifcall.data, r->ifcall.count, (vlong)r->ifcall.offset);

	if (n < 0) {
		fail(r);
		return;
	}
	r->ofcall.count = (uint)n;
	respond(r, NULL);
}

static void
ds_stat(Req *r)
{
	int n = devof(r)->stat(r->fid->aux, r->rbuf, (int)r->nrbuf);

	if (n < 0) {
		fail(r);
		return;
	}
	if (n <= 2) {
		respond(r, "stat record too big");
		return;
	}
	r->ofcall.stat = r->rbuf;
	r->ofcall.nstat = (ushort)n;
	respond(r, NULL);
}

static void
ds_wstat(Req *r)
{
	if (devof(r)->wstat(r->fid->aux, r->ifcall.stat, r->ifcall.nstat) < 0) {
		fail(r);
		return;
	}
	respond(r, NULL);
}

/* The fid is out of the table already; destroyfid closes the Chan. */
static void
ds_remove(Req *r)
{
	Chan *c = r->fid->aux;

	c->flag &= ~CRCLOSE;
	if (devof(r)->remove(c) < 0) {
		fail(r);
		return;
	}
	respond(r, NULL);
}

static void
ds_destroyfid(Fid *f)
{
	Chan *c = f->aux;
	Dev *d = f->srv->aux;

	if (c == NULL)
		return;
	f->aux = NULL;
	if (c->flag & CRCLOSE)
		(void)d->remove(c); /* the error has nowhere to go */
	chanfree(d, c);
}

void
devsrv_init(Srv *s, Dev *dev)
{
	memset(s, 0, sizeof *s);
	s->aux = dev;
	s->attach = ds_attach;
	s->walk = ds_walk;
	s->open = ds_open;
	s->create = ds_create;
	s->read = ds_read;
	s->write = ds_write;
	s->stat = ds_stat;
	s->wstat = ds_wstat;
	s->remove = ds_remove;
	s->destroyfid = ds_destroyfid;
	if (dev->init)
		dev->init();
}
