/* SPDX-License-Identifier: MIT */
/*
 * The system calls: one function per CoreSys number, called by a clerk
 * with up set to the calling process.  Arguments come in the message
 * words, names and data in the process's system-call buffer (up->buf;
 * abi/core/sys.h); each returns the result or -1 with the error string
 * set, and may set *r1, *r2 for a second and third result.
 */
#include "dat.h"
#include "fns.h"
#include "devsrv.h"
#include "devdup.h"

typedef long Syscall(MuWord *a, MuWord *r1, MuWord *r2);

/* A path argument from the buffer, checked for termination. */
static const char *
bufname(int off)
{
	char *s = (char *)up->buf + off;

	if (strnlen(s, CoreNameMax + 1) > CoreNameMax) {
		werrstr("file name too long");
		return NULL;
	}
	return s;
}

static uchar *
bufdata(void)
{
	return up->buf + CoreBufData;
}

static long
sysnop(MuWord *a, MuWord *r1, MuWord *r2)
{
	return 0;
}

/* Opening #s or #d entries yields the Chan they stand for. */
static Chan *
indirect(Chan *c)
{
	Chan *nc = NULL;

	if (devtab[c->type]->dc == 's')
		nc = srvchan(c);
	else if (devtab[c->type]->dc == 'd')
		nc = dupchan(c);
	if (nc == NULL)
		return c;
	cclose(c);
	return nc;
}

static long
sysopen(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *name = bufname(CoreBufName);
	Chan *c;
	int fd;

	if (name == NULL)
		return -1;
	if ((int)a[0] & ~(3 | OTRUNC | OCEXEC | ORCLOSE | OEXCL)) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if ((c = namec(name, Aopen, a[0], 0)) == NULL)
		return -1;
	c = indirect(c);
	if ((fd = newfd(c)) < 0)
		cclose(c);
	return fd;
}

static long
syscreate(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *name = bufname(CoreBufName);
	Chan *c;
	int fd;

	if (name == NULL)
		return -1;
	if ((c = namec(name, Acreate, a[0], a[1])) == NULL)
		return -1;
	if ((fd = newfd(c)) < 0)
		cclose(c);
	return fd;
}

static long
rw(int fd, long n, vlong off, int write, int useoff)
{
	Chan *c;
	long r;

	if (n < 0 || n > CoreBufDataMax) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if ((c = fdtochan(fd, write ? OWRITE : OREAD, 1)) == NULL)
		return -1;
	if (useoff && off < 0) {
		cclose(c);
		werrstr("negative offset");
		return -1;
	}
	if (!useoff)
		off = c->offset;
	if (!write && c->umh && (c->qid.type & QTDIR))
		r = unionread(c, bufdata(), n);
	else if (write)
		r = devtab[c->type]->write(c, bufdata(), n, off);
	else if ((r = devtab[c->type]->read(c, bufdata(), n, off)) > 0 && (c->qid.type & QTDIR))
		dirfix(c, bufdata(), r);
	if (r > 0 && !useoff)
		c->offset += r; /* a race between two users of one Chan is theirs */
	cclose(c);
	return r;
}

static long sysread(MuWord *a, MuWord *r1, MuWord *r2) { return rw(a[0], a[1], 0, 0, 0); }
static long syspread(MuWord *a, MuWord *r1, MuWord *r2) { return rw(a[0], a[1], a[2], 0, (vlong)a[2] != -1); }
static long syswrite(MuWord *a, MuWord *r1, MuWord *r2) { return rw(a[0], a[1], 0, 1, 0); }
static long syspwrite(MuWord *a, MuWord *r1, MuWord *r2) { return rw(a[0], a[1], a[2], 1, (vlong)a[2] != -1); }

static long
sysseek(MuWord *a, MuWord *r1, MuWord *r2)
{
	Chan *c;
	vlong off = a[1], n;
	uchar st[STATMAX > 1024 ? 1024 : STATMAX];
	Dir d;
	char strs[1024];
	int ns;

	if ((c = fdtochan(a[0], -1, 1)) == NULL)
		return -1;
	if (c->qid.type & QTDIR) {
		cclose(c);
		werrstr("%s", Eisdir);
		return -1;
	}
	switch (a[2]) {
	case SEEKSET:
		n = off;
		break;
	case SEEKCUR:
		n = c->offset + off;
		break;
	case SEEKEND:
		/* convM2D wants the record's own length, not the buffer's */
		if ((ns = devtab[c->type]->stat(c, st, sizeof st)) < 0) {
			cclose(c);
			return -1;
		}
		if (convM2D(st, ns, &d, strs) == 0) {
			cclose(c);
			werrstr("bad stat record");
			return -1;
		}
		n = d.length + off;
		break;
	default:
		cclose(c);
		werrstr("%s", Ebadarg);
		return -1;
	}
	if (n < 0) {
		cclose(c);
		werrstr("negative seek offset");
		return -1;
	}
	c->offset = n;
	cclose(c);
	return n;
}

static long
sysclose(MuWord *a, MuWord *r1, MuWord *r2)
{
	Chan *c;

	if ((c = fdtochan(a[0], -1, 0)) == NULL)
		return -1;
	cclose(c);
	fdclose(a[0]);
	return 0;
}

static long
sysdup(MuWord *a, MuWord *r1, MuWord *r2)
{
	int old = a[0], new = a[1];
	Chan *c, *oc;
	Fgrp *f = up->fgrp;

	if ((c = fdtochan(old, -1, 0)) == NULL)
		return -1;
	if (new == -1) {
		if ((new = newfd(c)) < 0)
			cclose(c);
		return new;
	}
	if (new < 0 || new >= NFD) {
		cclose(c);
		werrstr("%s", Ebadfd);
		return -1;
	}
	lock(&f->l);
	oc = f->fd[new];
	f->fd[new] = c;
	if (new > f->maxfd)
		f->maxfd = new;
	unlock(&f->l);
	cclose(oc);
	return new;
}

static long
syspipe(MuWord *a, MuWord *r1, MuWord *r2)
{
	Chan *c0, *c1;
	int fd0, fd1;

	if ((c0 = namec("#|/data", Aopen, ORDWR, 0)) == NULL)
		return -1;
	/* the other end: walk from the same pipe directory */
	Chan *d = cclone(c0);
	if (d == NULL) {
		cclose(c0);
		return -1;
	}
	d->flag = 0;
	d->qid.type = QTDIR;
	if (devtab[d->type]->walk(d, "..") < 0 || devtab[d->type]->walk(d, "data1") < 0 ||
	    (c1 = copen(d, ORDWR)) == NULL) {
		cclose(c0);
		return -1;
	}
	if ((fd0 = newfd(c0)) < 0) {
		cclose(c0);
		cclose(c1);
		return -1;
	}
	if ((fd1 = newfd(c1)) < 0) {
		fdclose(fd0);
		cclose(c1);
		return -1;
	}
	*r1 = fd0;
	*r2 = fd1;
	return 0;
}

static long
statc(Chan *c, long n)
{
	long r;

	if (n < 2 || n > CoreBufDataMax)
		n = CoreBufDataMax;
	if ((r = devtab[c->type]->stat(c, bufdata(), n)) > 0)
		dirfix(c, bufdata(), r);
	cclose(c);
	return r;
}

static long
sysstat(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *name = bufname(CoreBufName);
	Chan *c;

	if (name == NULL || (c = namec(name, Aaccess, 0, 0)) == NULL)
		return -1;
	return statc(c, a[0]);
}

static long
sysfstat(MuWord *a, MuWord *r1, MuWord *r2)
{
	Chan *c;

	if ((c = fdtochan(a[0], -1, 0)) == NULL)
		return -1;
	return statc(c, a[1]);
}

static long
wstatc(Chan *c, long n)
{
	long r;

	if (n < 2 || n > CoreBufDataMax || statcheck(bufdata(), n) < 0) {
		cclose(c);
		werrstr("bad stat record");
		return -1;
	}
	r = devtab[c->type]->wstat(c, bufdata(), n);
	cclose(c);
	return r < 0 ? -1 : 0;
}

static long
syswstat(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *name = bufname(CoreBufName);
	Chan *c;

	if (name == NULL || (c = namec(name, Aaccess, 0, 0)) == NULL)
		return -1;
	return wstatc(c, a[0]);
}

static long
sysfwstat(MuWord *a, MuWord *r1, MuWord *r2)
{
	Chan *c;

	if ((c = fdtochan(a[0], -1, 0)) == NULL)
		return -1;
	return wstatc(c, a[1]);
}

static long
sysremove(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *name = bufname(CoreBufName);
	Chan *c;
	int r;

	if (name == NULL || (c = namec(name, Aremove, 0, 0)) == NULL)
		return -1;
	r = devtab[c->type]->remove(c);
	cclose(c);
	return r < 0 ? -1 : 0;
}

static long
syschdir(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *name = bufname(CoreBufName);
	char path[CoreNameMax + 1];
	Chan *c;

	if (name == NULL || fullpath(name, path) < 0 || (c = namec(path, Aaccess, 0, 0)) == NULL)
		return -1;
	if (!(c->qid.type & QTDIR)) {
		cclose(c);
		werrstr("%s", Enotdir);
		return -1;
	}
	cclose(c);
	free(up->dot);
	up->dot = strdup(path);
	return 0;
}

static long
sysfd2path(MuWord *a, MuWord *r1, MuWord *r2)
{
	Chan *c;

	if ((c = fdtochan(a[0], -1, 0)) == NULL)
		return -1;
	long n = strlcpy((char *)bufdata(), c->path ? c->path : "", CoreBufDataMax);
	cclose(c);
	return n;
}

static long
sysbind(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *new = bufname(CoreBufName), *old = bufname(CoreBufName2);
	char path[CoreNameMax + 1];
	Chan *cn, *co;
	int r;

	if (new == NULL || old == NULL || (a[0] & ~MMASK)) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if (up->pgrp->noattach && new[0] == '#' && strchr("|ecps", new[1]) == NULL) {
		werrstr("%s", Eperm);
		return -1;
	}
	if ((cn = namec(new, Aaccess, 0, 0)) == NULL)
		return -1;
	if ((co = namec(old, Aaccess, 0, 0)) == NULL) {
		cclose(cn);
		return -1;
	}
	/* the covered file: the name walked to, before any mount (lexical) */
	if (co->umh) {
		Chan *from = cclone(co->umh->from);
		cclose(co);
		co = from;
	}
	if (fullpath(new, path) < 0)
		path[0] = 0;
	r = cmount(cn, co, a[0], "", path, 0);
	cclose(cn);
	cclose(co);
	return r;
}

static long
sysmount(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *aname = bufname(CoreBufName), *old = bufname(CoreBufName2);
	Chan *srv, *root, *co;
	int r;

	if (aname == NULL || old == NULL || (a[2] & ~MMASK)) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if (up->pgrp->noattach) {
		werrstr("%s", Eperm);
		return -1;
	}
	if ((srv = fdtochan(a[0], ORDWR, 0)) == NULL)
		return -1;
	root = mntattach(srv, aname);
	char src[CoreNameMax + 1];
	strlcpy(src, srv->path ? srv->path : "?", sizeof src);
	cclose(srv);
	if (root == NULL)
		return -1;
	if ((co = namec(old, Aaccess, 0, 0)) == NULL) {
		cclose(root);
		return -1;
	}
	if (co->umh) {
		Chan *from = cclone(co->umh->from);
		cclose(co);
		co = from;
	}
	r = cmount(root, co, a[2], aname, src, 1);
	cclose(root);
	cclose(co);
	return r;
}

static long
sysunmount(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *name = a[0] ? bufname(CoreBufName) : "", *old = bufname(CoreBufName2);
	Chan *cn = NULL, *co;
	int r;

	if (name == NULL || old == NULL)
		return -1;
	if ((co = namec(old, Aaccess, 0, 0)) == NULL)
		return -1;
	if (co->umh) {
		Chan *from = cclone(co->umh->from);
		cclose(co);
		co = from;
	}
	if (a[0] && (cn = namec(name, Aaccess, 0, 0)) == NULL) {
		cclose(co);
		return -1;
	}
	r = cunmount(co, cn);
	cclose(co);
	if (cn)
		cclose(cn);
	return r;
}


static long
sysrfork(MuWord *a, MuWord *r1, MuWord *r2)
{
	int flags = a[0];

	if ((flags & (RFFDG | RFCFDG)) == (RFFDG | RFCFDG) || (flags & (RFNAMEG | RFCNAMEG)) == (RFNAMEG | RFCNAMEG) ||
	    (flags & (RFENVG | RFCENVG)) == (RFENVG | RFCENVG)) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if (!(flags & RFPROC))
		return procrfork(up, flags);
	return procfork(up, flags, a[1], a[2], a[3]);
}

/* What a call returns when the caller must get no reply (exec, exits). */
enum { NoReply = -2 };

static long
sysexec(MuWord *a, MuWord *r1, MuWord *r2)
{
	const char *name = bufname(CoreBufName);
	long alen = a[1];
	int argc = a[0];

	if (name == NULL)
		return -1;
	if (alen < 0 || alen > CoreBufDataMax || argc < 1 || argc > alen || bufdata()[alen - 1] != 0) {
		werrstr("bad exec arguments");
		return -1;
	}
	if (procexec(up, name, (char *)bufdata(), alen, argc) < 0)
		return -1;
	return NoReply;
}

static long
sysexits(MuWord *a, MuWord *r1, MuWord *r2)
{
	char status[ERRMAX];

	strlcpy(status, (char *)bufdata(), sizeof status);
	up->killed = 2; /* the clerk ends it after this call */
	strlcpy(up->exitmsg, status, sizeof up->exitmsg);
	return NoReply;
}

static long
sysawait(MuWord *a, MuWord *r1, MuWord *r2)
{
	long n = a[0];

	if (n <= 0 || n > CoreBufDataMax)
		n = CoreBufDataMax;
	return procawait(up, (char *)bufdata(), n);
}

static int
never(void *a)
{
	return 0;
}

static long
syssleep(MuWord *a, MuWord *r1, MuWord *r2)
{
	long ms = a[0];

	if (ms <= 0) {
		mu_yield();
		return 0;
	}
	if (rsleepms(&up->sleepr, never, NULL, ms) < 0)
		return -1;
	return 0;
}

/* Nanoseconds since the epoch; *r1 is the epoch at boot in seconds, which
 * never changes, so libc asks once and then reads the kernel clock itself. */
static long
sysnsec(MuWord *a, MuWord *r1, MuWord *r2)
{
	vlong e = bootepoch();

	*r1 = e;
	return e * 1000000000LL + (vlong)mu_nsec();
}

static long
syspostnote(MuWord *a, MuWord *r1, MuWord *r2)
{
	char note[ERRMAX];
	Proc *p;

	strlcpy(note, (char *)bufdata(), sizeof note);
	if (note[0] == 0) {
		werrstr("empty note");
		return -1;
	}
	lock(&proclock);
	p = procbypid(a[1]);
	unlock(&proclock);
	if (p == NULL) {
		werrstr("process does not exist");
		return -1;
	}
	if (a[0] == PNGROUP)
		return postnotegroup(p->noteid, note);
	return procnote(p, 1, note, NUser);
}

static long
sysnoteget(MuWord *a, MuWord *r1, MuWord *r2)
{
	long n = 0;

	lock(&up->notelock);
	if (up->nnote > 0) {
		n = strlcpy((char *)bufdata(), up->note[0], ERRMAX);
		memmove(up->note[0], up->note[1], sizeof up->note[0] * (NNOTE - 1));
		up->nnote--;
	}
	unlock(&up->notelock);
	return n;
}

static long
sysnotify(MuWord *a, MuWord *r1, MuWord *r2)
{
	up->notify = a[0] != 0;
	return 0;
}

static long
sysbrk(MuWord *a, MuWord *r1, MuWord *r2)
{
	long n = a[0], mem, e;
	MuWord va = up->brk;

	if (n <= 0 || n > 1 << 20) {
		werrstr("%s", Ebadarg);
		return -1;
	}
	if ((mem = mu_memalloc(corepool, n, MemZero)) < 0) {
		werrstr("%s", Enomem);
		return -1;
	}
	if ((e = mu_map(up->task, mem, 0, va, n, RRead | RWrite)) < 0) {
		mu_close(mem);
		werrstr("brk: %s", mu_errstr(e));
		return -1;
	}
	if (up->nregion == NREGION) {
		mu_unmap(up->task, va, n);
		mu_close(mem);
		werrstr("too many memory regions");
		return -1;
	}
	up->region[up->nregion++] = (Region){ va, n, mem, RRead | RWrite, 0 };
	up->brk = va + n * 4096ul;
	return va;
}

static long
sysipcsrv(MuWord *a, MuWord *r1, MuWord *r2)
{
	long ep;
	MuWord va;
	Chan *c;
	int fd;

	if ((c = ipcsrvchan(up, &ep, &va)) == NULL)
		return -1;
	if ((fd = newfd(c)) < 0) {
		cclose(c);
		return -1;
	}
	*r1 = ep;
	*r2 = va;
	return fd;
}

static long
sysgetpid(MuWord *a, MuWord *r1, MuWord *r2)
{
	*r1 = up->ppid;
	return up->pid;
}

static Syscall *systab[NCoreSys] = {
	[CoreNop] = sysnop,
	[CoreOpen] = sysopen,
	[CoreCreate] = syscreate,
	[CoreRead] = sysread,
	[CorePread] = syspread,
	[CoreWrite] = syswrite,
	[CorePwrite] = syspwrite,
	[CoreSeek] = sysseek,
	[CoreClose] = sysclose,
	[CoreDup] = sysdup,
	[CorePipe] = syspipe,
	[CoreStat] = sysstat,
	[CoreFstat] = sysfstat,
	[CoreWstat] = syswstat,
	[CoreFwstat] = sysfwstat,
	[CoreRemove] = sysremove,
	[CoreChdir] = syschdir,
	[CoreFd2path] = sysfd2path,
	[CoreBind] = sysbind,
	[CoreMount] = sysmount,
	[CoreUnmount] = sysunmount,
	[CoreRfork] = sysrfork,
	[CoreExec] = sysexec,
	[CoreExits] = sysexits,
	[CoreAwait] = sysawait,
	[CoreSleep] = syssleep,
	[CoreNsec] = sysnsec,
	[CorePostnote] = syspostnote,
	[CoreNoteget] = sysnoteget,
	[CoreNotify] = sysnotify,
	[CoreBrk] = sysbrk,
	[CoreIpcsrv] = sysipcsrv,
	[CoreGetpid] = sysgetpid,
};

/*
 * Serve one call from process p (badge checked by the caller, who also
 * made this clerk p's, with Clerk.intr set if a note was pending): returns
 * 1 if m now holds the reply, 0 if no reply must be sent.
 */
int
syscall(Proc *p, MuMsg *m)
{
	Clerk *c = curclerk();
	uint n = TAG_LABEL(m->tag);
	MuWord r1 = 0, r2 = 0;
	long r;

	c->proc = p;
	c->call = n;
	c->err[0] = 0;
	p->state = Prunning;
	if (coredebug)
		print("core: %s %d: call %u (%lx %lx %lx %lx)\n", p->name, p->pid, n, m->mr[0], m->mr[1], m->mr[2], m->mr[3]);
	if (n >= NCoreSys || systab[n] == NULL) {
		werrstr("bad system call number %u", n);
		r = -1;
	} else if (p->killed) {
		r = -1;
	} else
		r = systab[n](m->mr, &r1, &r2);
	/* not answered if p was killed, or if an exec gave it to the clerk
	 * that took the new program's first call (which sees to notes and kills) */
	int notes;
	if (procletgo(p, c, &notes) != 0)
		return 0;
	if (coredebug)
		print("core: %s %d: call %u -> %ld %s\n", p->name, p->pid, n, r, r == -1 ? c->err : "");
	if (r == NoReply)
		return 0;
	p->state = Pready;
	if (r == -1)
		rerrstr((char *)p->buf + CoreBufErr, ERRMAX);
	m->tag = TAG(0, 3, 0);
	m->mr[0] = r;
	m->mr[1] = notes ? CoreRNote : 0;
	m->mr[2] = r1;
	m->mr[3] = r2;
	return 1;
}
