/* SPDX-License-Identifier: MIT */
/*
 * Processes: the table, address spaces (regions), exec of ELF programs
 * found in the namespace, rfork, exits and wait, notes, and the faults
 * of program threads.
 *
 * A process is one mu task with one thread.  core owns its address
 * space: text and read-only data are shared Memory objects cached per
 * program file (Image); data, bss, heap (CoreBrk) and stack are private
 * Memory objects.  rfork(RFPROC) copies the private regions eagerly
 * (the stack only from the caller's stack pointer up) into a new task.
 */
#include "dat.h"
#include "fns.h"
#include "elf.h"

Proc proctab[NPROC];
Lock proclock;
static int nextpid = 1;
static uint gen;
static Lock imagelock;
static Image *images;

Proc *
procbypid(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state != Pfree && proctab[i].pid == pid)
			return &proctab[i];
	return NULL;
}

const char *
procstate(Proc *p)
{
	static const char *names[] = { "Free", "Ready", "Running", "Wait", "Sleep", "Exiting", "Dead" };
	if (p->clerk)
		return p->r ? "Wait" : "Running";
	return p->state < (int)nelem(names) ? names[p->state] : "?";
}

long
procmemkb(Proc *p)
{
	long n = 0;

	for (int i = 0; i < p->nregion; i++)
		n += p->region[i].pages * 4;
	return n;
}

static Proc *
newproc(void)
{
	Proc *p = NULL;

	lock(&proclock);
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state == Pfree) {
			p = &proctab[i];
			break;
		}
	if (p == NULL) {
		unlock(&proclock);
		werrstr("too many processes");
		return NULL;
	}
	memset(p, 0, sizeof *p);
	p->slot = p - proctab;
	p->pid = nextpid++;
	p->badge = (MuWord)p->slot | (MuWord)(++gen & 0xffffff) << 16;
	p->state = Pready;
	p->start = mu_nsec();
	p->task = p->thread = p->ep = p->bufmem = -1;
	unlock(&proclock);
	return p;
}

/* Proc for an IPC badge, or NULL if that process is gone. */
Proc *
procbybadge(MuWord badge)
{
	uint slot = badge & 0xffff;

	if (slot >= NPROC || proctab[slot].state == Pfree || proctab[slot].state == Pexit ||
	    proctab[slot].badge != badge)
		return NULL;
	return &proctab[slot];
}

/* ------------------------------------------------------------------ */
/* Regions */

static int
addregion(Proc *p, MuWord va, long pages, long mem, int rights, int shared)
{
	if (p->nregion == NREGION) {
		werrstr("too many memory regions");
		return -1;
	}
	p->region[p->nregion++] = (Region){ va, pages, mem, rights, shared };
	return 0;
}

static long newregion(Proc *p, MuWord va, long n, int rights);

/* Is va in the stack's range (whether allocated yet or not)? */
static int
isstack(MuWord va)
{
	return va >= ProcStackTop - ProcStackPages * 4096ul && va < ProcStackTop;
}

/*
 * p faulted at addr: if that is in the stack's range below what p has,
 * give it zeroed pages from there up, whole ProcStackGrow-page steps
 * down from its lowest stack page.  0 if the stack grew.
 */
static int
growstack(Proc *p, MuWord addr)
{
	MuWord bottom = ProcStackTop, lo = ProcStackTop - ProcStackPages * 4096ul;

	for (int i = 0; i < p->nregion; i++)
		if (isstack(p->region[i].va) && p->region[i].va < bottom)
			bottom = p->region[i].va;
	if (addr < lo || addr >= bottom)
		return -1;
	MuWord start = bottom;
	while (start > addr)
		start -= ProcStackGrow * 4096ul;
	if (start < lo)
		start = lo;
	return newregion(p, start, (long)((bottom - start) / 4096), RRead | RWrite) < 0 ? -1 : 0;
}

static void
freeregions(Proc *p)
{
	for (int i = 0; i < p->nregion; i++)
		mu_close(p->region[i].mem);
	p->nregion = 0;
}

/* n fresh zeroed pages mapped at va in p's task. */
static long
newregion(Proc *p, MuWord va, long n, int rights)
{
	long mem, e;

	if ((mem = mu_memalloc(corepool, n, MemZero)) < 0) {
		werrstr("%s", Enomem);
		return -1;
	}
	if ((e = mu_map(p->task, mem, 0, va, n, rights)) < 0 || addregion(p, va, n, mem, rights, 0) < 0) {
		if (e < 0)
			werrstr("map: %s", mu_errstr(e));
		mu_close(mem);
		return -1;
	}
	return mem;
}

/* Map mem's pages [off, off+n) into core's clerk scratch window at slot w (0 or 1). */
static void *
scratch(long mem, long off, long n, int w)
{
	MuWord va = curclerk()->scratch + (MuWord)w * (CoreScratchSize / 2);

	if (n * 4096 > (long)(CoreScratchSize / 2) || mu_map(mu_task, mem, off, va, n, RRead | RWrite) < 0)
		return NULL;
	return (void *)va;
}

static void
unscratch(void *va, long n)
{
	mu_unmap(mu_task, (MuWord)va, n);
}

/* ------------------------------------------------------------------ */
/* Images: program files, parsed once */

static long
readall(Chan *c, uchar **bufp)
{
	long n = 0, cap = 65536, r;
	uchar *buf = malloc(cap);

	if (buf == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			uchar *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				werrstr("%s", Enomem);
				return -1;
			}
			buf = nb;
			cap *= 2;
		}
		long want = cap - n > IOUNIT ? IOUNIT : cap - n;
		r = devtab[c->type]->read(c, buf + n, want, n);
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += r;
	}
	*bufp = buf;
	return n;
}

static Image *
getimage(Chan *c)
{
	Image *im;
	ElfInfo info;
	ElfSeg seg;
	int r;

	lock(&imagelock);
	for (im = images; im; im = im->next)
		if (im->type == c->type && im->dev == c->dev && im->qid.path == c->qid.path &&
		    im->qid.vers == c->qid.vers) {
			unlock(&imagelock);
			return im;
		}
	unlock(&imagelock);
	if ((im = malloc(sizeof *im)) == NULL)
		return NULL;
	memset(im, 0, sizeof *im);
	im->type = c->type;
	im->dev = c->dev;
	im->qid = c->qid;
	if ((im->filelen = readall(c, &im->file)) < 0)
		goto bad;
	if ((r = elf_check(im->file, im->filelen, &info)) < 0) {
		werrstr("exec header invalid: %s", elf_errstr(r));
		goto bad;
	}
	im->entry = info.entry;
	for (int i = 0; i < info.phnum; i++) {
		if ((r = elf_segment(im->file, im->filelen, i, &seg)) < 0) {
			werrstr("exec header invalid");
			goto bad;
		}
		if (r == 0)
			continue;
		if (im->nseg == nelem(im->seg)) {
			werrstr("exec: too many segments");
			goto bad;
		}
		MuWord va = seg.vaddr & ~0xffful, end = (seg.vaddr + seg.memsz + 0xfff) & ~0xffful;
		int rights = RRead | (seg.flags & ElfWrite ? RWrite : 0) | (seg.flags & ElfExec ? RExec : 0);
		int s = im->nseg++;
		im->seg[s].va = va;
		im->seg[s].pages = (end - va) / 4096;
		im->seg[s].off = seg.offset;
		im->seg[s].filesz = seg.filesz;
		im->seg[s].memsz = seg.memsz;
		im->seg[s].voff = seg.vaddr - va;
		im->seg[s].rights = rights;
		im->seg[s].mem = -1;
		if (!(rights & RWrite)) { /* shared: fill it once */
			long mem = mu_memalloc(corepool, im->seg[s].pages, MemZero);
			uchar *p;
			if (mem < 0 || (p = scratch(mem, 0, im->seg[s].pages, 0)) == NULL) {
				werrstr("%s", Enomem);
				goto bad;
			}
			memcpy(p + (seg.vaddr - va), im->file + seg.offset, seg.filesz);
			unscratch(p, im->seg[s].pages);
			im->seg[s].mem = mem;
		}
	}
	lock(&imagelock);
	im->next = images;
	images = im;
	unlock(&imagelock);
	return im;
bad:
	for (int s = 0; s < im->nseg; s++)
		if (im->seg[s].mem >= 0)
			mu_close(im->seg[s].mem);
	free(im->file);
	free(im);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Tasks */

/* A new task and thread for p, with its system-call buffer and IPC page. */
static int
newtask(Proc *p)
{
	long e;

	if ((p->task = mu_objcreate(corepool, ObjTask)) < 0 ||
	    (p->thread = mu_threadcreate(corepool, p->task)) < 0) {
		werrstr("cannot create a task: %s", mu_errstr(p->task < 0 ? p->task : p->thread));
		return -1;
	}
	if (p->ep < 0 && (p->ep = mu_mint(coreep, p->badge, RSend | RDup)) < 0) {
		werrstr("mint: %s", mu_errstr(p->ep));
		return -1;
	}
	if (p->bufmem < 0) {
		/* each slot's buffer is made once and stays mapped in core, so a
		 * late look at a process that just ended never faults core */
		static long slotbuf[NPROC];
		static Lock slotlock;
		lock(&slotlock);
		if (slotbuf[p->slot] == 0) {
			long mem = mu_memalloc(corepool, CoreBufPages, MemZero);
			if (mem < 0 || mu_map(mu_task, mem, 0, CoreProcBufVa + (MuWord)p->slot * 65536,
					      CoreBufPages, RRead | RWrite) < 0) {
				unlock(&slotlock);
				werrstr("%s", Enomem);
				return -1;
			}
			slotbuf[p->slot] = mem;
		}
		unlock(&slotlock);
		p->bufmem = slotbuf[p->slot];
		p->buf = (uchar *)(CoreProcBufVa + (MuWord)p->slot * 65536);
	}
	if ((e = mu_map(p->task, p->bufmem, 0, CoreBufVa, CoreBufPages, RRead | RWrite)) < 0) {
		werrstr("map: %s", mu_errstr(e));
		return -1;
	}
	if (newregion(p, ProcIpcVa, 1, RRead | RWrite) < 0)
		return -1;
	long fep = mu_mint(faultep, p->badge, RSend | RDup);
	if (fep < 0 || mu_threadset(p->thread, ThrIpcBuf, ProcIpcVa, 0) < 0 ||
	    mu_threadset(p->thread, ThrPager, fep, 0) < 0 || mu_threadset(p->thread, ThrExcHandler, fep, 0) < 0 ||
	    mu_threadset(p->thread, ThrPriority, ProcPrio, 0) < 0) {
		if (fep >= 0)
			mu_close(fep);
		werrstr("cannot set up the thread");
		return -1;
	}
	mu_close(fep);
	return 0;
}

static void
droptask(Proc *p)
{
	if (p->task >= 0) {
		mu_taskkill(p->task);
		mu_close(p->task);
	}
	if (p->thread >= 0)
		mu_close(p->thread);
	p->task = p->thread = -1;
	freeregions(p);
}

/*
 * Give p's task its handles: its thread, itself, its endpoint to core.
 * A new task's table is filled lowest first, so a fork, which gives the
 * same handles in the same order, finds them at the numbers the copied
 * program expects (checked).
 */
static int
givehandles(Proc *p)
{
	long th = mu_handlegive(p->task, p->thread, RAll, 0);
	long tk = mu_handlegive(p->task, p->task, RAll & ~RDup, 0);
	long pe = mu_handlegive(p->task, p->ep, RSend, 0);

	if (th < 0 || tk < 0 || pe < 0) {
		werrstr("cannot give handles");
		return -1;
	}
	if (p->hthread && (th != p->hthread || tk != p->htask || pe != p->hep)) {
		werrstr("fork: handle numbers differ");
		return -1;
	}
	p->hthread = th;
	p->htask = tk;
	p->hep = pe;
	return 0;
}

/*
 * Load image im into p's (new) task with arguments args[0..alen) (argc
 * NUL-terminated strings) and start it.
 */
static int
loadstart(Proc *p, Image *im, const char *args, long alen, int argc)
{
	long mem, e;
	uchar *s;
	MuStart *st;

	for (int i = 0; i < im->nseg; i++) {
		if (im->seg[i].mem >= 0) {
			if ((e = mu_map(p->task, im->seg[i].mem, 0, im->seg[i].va, im->seg[i].pages,
					im->seg[i].rights)) < 0) {
				werrstr("map: %s", mu_errstr(e));
				return -1;
			}
			if ((mem = mu_dup(im->seg[i].mem, RAll)) < 0 ||
			    addregion(p, im->seg[i].va, im->seg[i].pages, mem, im->seg[i].rights, 1) < 0)
				return -1;
			continue;
		}
		if ((mem = newregion(p, im->seg[i].va, im->seg[i].pages, im->seg[i].rights)) < 0)
			return -1;
		if ((s = scratch(mem, 0, im->seg[i].pages, 0)) == NULL) {
			werrstr("%s", Enomem);
			return -1;
		}
		memcpy(s + im->seg[i].voff, im->file + im->seg[i].off, im->seg[i].filesz);
		unscratch(s, im->seg[i].pages);
	}
	/* the stack's first pages (it grows on faults); its top holds MuStart and the arguments */
	long argpages = (alen + (argc + 1) * 8 + sizeof(MuStart) + 64 + 4095) / 4096 + 1;
	if (argpages + 1 > ProcStackInit) {
		werrstr("arguments too long");
		return -1;
	}
	MuWord stackva = ProcStackTop - ProcStackInit * 4096ul;
	if ((mem = newregion(p, stackva, ProcStackInit, RRead | RWrite)) < 0)
		return -1;
	if ((s = scratch(mem, ProcStackInit - argpages, argpages, 0)) == NULL) {
		werrstr("%s", Enomem);
		return -1;
	}
	MuWord base = ProcStackTop - argpages * 4096; /* child address of s */
	st = (MuStart *)s;
	memset(st, 0, sizeof *st);
	st->magic = MU_START_MAGIC;
	st->flags = MuStartCore;
	st->ipcbuf = ProcIpcVa;
	st->argc = argc;
	memcpy(s + sizeof *st, args, alen);
	st->xargs = base + sizeof *st;
	st->xargslen = alen;
	unscratch(s, argpages);
	st = NULL;
	if (givehandles(p) < 0)
		return -1;
	if ((s = scratch(mem, ProcStackInit - argpages, 1, 0)) == NULL)
		return -1;
	st = (MuStart *)s;
	st->task = p->htask;
	st->thread = p->hthread;
	st->parent = p->hep;
	st->pool = 0;
	unscratch(s, 1);
	/* stack below the arguments, 16-byte aligned minus 8 as after a call */
	p->entry = im->entry;
	p->startarg = base;
	p->brk = ProcHeapBase;
	return 0;
}

/* Start the program loadstart prepared: stack below MuStart, rdi = MuStart. */
static int
startthread(Proc *p)
{
	long e = mu_threadstart(p->thread, p->entry, p->startarg - 8, p->startarg);

	if (e < 0) {
		werrstr("start: %s", mu_errstr(e));
		return -1;
	}
	return 0;
}

/* Open name for exec and find its image. */
static Image *
execimage(const char *name)
{
	Chan *c;
	Image *im;

	if ((c = namec(name, Aopen, OEXEC, 0)) == NULL)
		return NULL;
	if (c->qid.type & QTDIR) {
		werrstr("%s", Eisdir);
		cclose(c);
		return NULL;
	}
	im = getimage(c);
	cclose(c);
	return im;
}

static void
setargs(Proc *p, const char *args, long alen, int argc)
{
	char *s = malloc(alen + 1), *q;
	const char *a = args;

	free(p->args);
	p->args = s;
	if (s == NULL)
		return;
	q = s;
	for (int i = 0; i < argc && a < args + alen; i++) {
		size_t n = strnlen(a, args + alen - a);
		if (i > 0)
			*q++ = ' ';
		memcpy(q, a, n);
		q += n;
		a += n + 1;
	}
	*q = 0;
	const char *b = strrchr(args, '/');
	strlcpy(p->name, b ? b + 1 : args, sizeof p->name);
}

/*
 * exec: replace p's program.  Returns -1 on failure (p unchanged); on
 * success the caller's thread is gone and nothing must be replied.
 */
int
procexec(Proc *p, const char *name, const char *args, long alen, int argc)
{
	Image *im;
	Region old[NREGION];
	int nold = p->nregion;
	long otask = p->task, othread = p->thread;

	if ((im = execimage(name)) == NULL)
		return -1;
	memcpy(old, p->region, sizeof old);
	p->nregion = 0;
	p->hthread = p->htask = p->hep = 0;
	if (newtask(p) < 0 || loadstart(p, im, args, alen, argc) < 0) {
		char err[ERRMAX];
		rerrstr(err, sizeof err);
		droptask(p);
		memcpy(p->region, old, sizeof old);
		p->nregion = nold;
		p->task = otask;
		p->thread = othread;
		werrstr("%s", err);
		return -1;
	}
	/* the old program ends here, and the IPC channels it served */
	mu_taskkill(otask);
	mu_close(otask);
	ipcsrvgone(p);
	mu_close(othread);
	for (int i = 0; i < nold; i++)
		mu_close(old[i].mem);
	setargs(p, args, alen, argc);
	p->notify = 0; /* the handlers were the old program's */
	/* close-on-exec descriptors */
	Fgrp *f = p->fgrp;
	for (int i = 0; i <= f->maxfd; i++)
		if (f->fd[i] && (f->fd[i]->flag & CCEXEC))
			fdclose(i);
	/* last: once it runs, its calls may come to other clerks */
	return startthread(p);
}

/* ------------------------------------------------------------------ */
/* rfork */

/* Copy parent region r into a fresh region of child p; for the stack only [from, end). */
static int
copyregion(Proc *p, Region *r, MuWord from)
{
	long mem;
	uchar *src, *dst;

	if (r->shared) {
		if ((mem = mu_dup(r->mem, RAll)) < 0 || mu_map(p->task, mem, 0, r->va, r->pages, r->rights) < 0)
			return -1;
		return addregion(p, r->va, r->pages, mem, r->rights, 1);
	}
	if ((mem = newregion(p, r->va, r->pages, r->rights)) < 0)
		return -1;
	long first = 0;
	if (from > r->va && from < r->va + r->pages * 4096ul)
		first = (from - r->va) / 4096;
	long n = r->pages - first;
	if (n <= 0)
		return 0;
	for (long done = 0; done < n;) { /* in windows of at most 256 MiB */
		long k = n - done > 65536 ? 65536 : n - done;
		if ((src = scratch(r->mem, first + done, k, 0)) == NULL)
			return -1;
		if ((dst = scratch(mem, first + done, k, 1)) == NULL) {
			unscratch(src, k);
			return -1;
		}
		memcpy(dst, src, k * 4096);
		unscratch(src, k);
		unscratch(dst, k);
		done += k;
	}
	return 0;
}

/* rfork(RFPROC ...): a new process running a copy of p. */
int
procfork(Proc *p, int flags, MuWord ctx, MuWord fsbase, MuWord entry)
{
	Proc *c;

	if (flags & RFMEM) {
		werrstr("rfork: RFMEM is not supported");
		return -1;
	}
	if ((c = newproc()) == NULL)
		return -1;
	strlcpy(c->name, p->name, sizeof c->name);
	c->args = p->args ? strdup(p->args) : NULL;
	c->user = p->user;
	c->ppid = p->pid;
	c->parent = p;
	c->noteid = (flags & RFNOTEG) ? c->pid : p->noteid;
	c->nowait = (flags & RFNOWAIT) != 0;
	c->dot = strdup(p->dot);
	c->slash = p->slash;
	incref(&c->slash->ref);
	c->notify = p->notify;
	/* groups */
	if (flags & RFCFDG)
		c->fgrp = newfgrp();
	else if (flags & RFFDG)
		c->fgrp = fgrpcopy(p->fgrp);
	else {
		c->fgrp = p->fgrp;
		incref(&c->fgrp->ref);
	}
	if (flags & RFCNAMEG) {
		c->pgrp = newpgrp();
	} else if (flags & RFNAMEG)
		c->pgrp = pgrpcopy(p->pgrp);
	else {
		c->pgrp = p->pgrp;
		incref(&c->pgrp->ref);
	}
	if (c->pgrp && (flags & RFNOMNT))
		c->pgrp->noattach = 1;
	if (flags & RFCENVG)
		c->egrp = newegrp();
	else if (flags & RFENVG)
		c->egrp = egrpcopy(p->egrp);
	else {
		c->egrp = p->egrp;
		incref(&c->egrp->ref);
	}
	if (c->fgrp == NULL || c->pgrp == NULL || c->egrp == NULL) {
		werrstr("%s", Enomem);
		goto bad;
	}
	if (newtask(c) < 0)
		goto bad;
	for (int i = 0; i < p->nregion; i++) {
		Region *r = &p->region[i];
		if (r->va == ProcIpcVa)
			continue; /* newtask made one */
		/* of the stack, only what is in use: from just below ctx */
		if (copyregion(c, r, isstack(r->va) ? ((ctx - 4096) & ~0xffful) : 0) < 0)
			goto bad;
	}
	c->brk = p->brk;
	c->hthread = p->hthread;
	c->htask = p->htask;
	c->hep = p->hep;
	if (givehandles(c) < 0)
		goto bad;
	long e = mu_threadset(c->thread, ThrFsBase, fsbase, 0);
	if (e < 0) {
		werrstr("start: %s", mu_errstr(e));
		goto bad;
	}
	/* counted before it runs: it may exit (pexit: nchild--) at once */
	if (!c->nowait) {
		lock(&proclock);
		p->nchild++;
		unlock(&proclock);
	}
	int pid = c->pid;
	if ((e = mu_threadstart(c->thread, entry, ctx, ctx)) < 0) {
		if (!c->nowait) {
			lock(&proclock);
			p->nchild--;
			unlock(&proclock);
		}
		werrstr("start: %s", mu_errstr(e));
		goto bad;
	}
	/* not a word more about c: it runs, and may be gone already */
	return pid;
bad:
	c->nowait = 1; /* the parent hears only of children that started */
	pexit(c, "rfork failed");
	return -1;
}

/* rfork without RFPROC: change the caller's own groups. */
int
procrfork(Proc *p, int flags)
{
	if (flags & (RFNAMEG | RFCNAMEG)) {
		Pgrp *pg = (flags & RFCNAMEG) ? newpgrp() : pgrpcopy(p->pgrp);
		if (pg == NULL)
			goto nomem;
		closepgrp(p->pgrp);
		p->pgrp = pg;
	}
	if (flags & RFNOMNT)
		p->pgrp->noattach = 1;
	if (flags & (RFFDG | RFCFDG)) {
		Fgrp *f = (flags & RFCFDG) ? newfgrp() : fgrpcopy(p->fgrp);
		if (f == NULL)
			goto nomem;
		closefgrp(p->fgrp);
		p->fgrp = f;
	}
	if (flags & (RFENVG | RFCENVG)) {
		Egrp *e = (flags & RFCENVG) ? newegrp() : egrpcopy(p->egrp);
		if (e == NULL)
			goto nomem;
		closeegrp(p->egrp);
		p->egrp = e;
	}
	if (flags & RFNOTEG)
		p->noteid = p->pid;
	return 0;
nomem:
	werrstr("%s", Enomem);
	return -1;
}

/* ------------------------------------------------------------------ */
/* exits and wait */

/*
 * End p: its task, its groups; tell its parent.  The caller must not be
 * serving p afterwards (the slot is free again).
 */
void
pexit(Proc *p, const char *status)
{
	Proc *pp;
	Waitq *w;

	if (p->state == Pfree)
		return;
	droptask(p);
	ipcsrvgone(p); /* before its fds close: clunks to its own channels fail at once */
	if (p->ep >= 0)
		mu_close(p->ep);
	/* the slot keeps its buffer (newtask) */
	closefgrp(p->fgrp);
	closepgrp(p->pgrp);
	closeegrp(p->egrp);
	cclose(p->slash);
	free(p->dot);
	free(p->args);
	p->fgrp = NULL;
	p->pgrp = NULL;
	p->egrp = NULL;
	p->slash = NULL;
	p->dot = p->args = NULL;
	w = malloc(sizeof *w);
	lock(&proclock);
	/* orphans: nobody will wait for them */
	for (int i = 0; i < NPROC; i++)
		if (proctab[i].state != Pfree && proctab[i].parent == p) {
			proctab[i].parent = NULL;
			proctab[i].nowait = 1;
		}
	pp = p->parent;
	if (pp && !p->nowait && pp->state != Pfree) {
		if (w) {
			memset(w, 0, sizeof *w);
			w->pid = p->pid;
			w->time[2] = (mu_nsec() - p->start) / 1000000;
			if (status && status[0])
				snprint(w->msg, sizeof w->msg, "%s %d: %s", p->name, p->pid, status);
			w->next = NULL;
			Waitq **l = &pp->waitq;
			while (*l)
				l = &(*l)->next;
			*l = w;
			w = NULL;
		}
		pp->nchild--;
	}
	while (p->waitq) {
		Waitq *n = p->waitq->next;
		free(p->waitq);
		p->waitq = n;
	}
	p->state = Pfree;
	unlock(&proclock);
	free(w);
	if (pp)
		rwakeup(&pp->waitr);
}

static int
haswait(void *a)
{
	Proc *p = a;
	return p->waitq != NULL || p->nchild <= 0;
}

/* The next child's exit as "pid user sys real 'msg'", or -1. */
int
procawait(Proc *p, char *buf, int n)
{
	Waitq *w;

	if (rsleep(&p->waitr, haswait, p) < 0)
		return -1;
	lock(&proclock);
	w = p->waitq;
	if (w == NULL) {
		unlock(&proclock);
		werrstr("no living children");
		return -1;
	}
	p->waitq = w->next;
	unlock(&proclock);
	Fmt f;
	fmtinit(&f, buf, n - 1, NULL, NULL);
	fmtprint(&f, "%d %lu %lu %lu '", w->pid, w->time[0], w->time[1], w->time[2]);
	for (char *s = w->msg; *s; s++)
		fmtprint(&f, *s == '\'' ? "''" : "%c", *s);
	fmtprint(&f, "'");
	*f.p = 0;
	free(w);
	return f.p - buf;
}

/* ------------------------------------------------------------------ */
/* notes */

/*
 * Post note to p.  "kill" (and NExit) ends it; other notes queue, and
 * interrupt the system call it waits in.  A process running its own
 * code with no note handler dies of the note.
 */
int
procnote(Proc *p, int dolock, const char *note, int flag)
{
	int kill = flag == NExit || strcmp(note, "kill") == 0;

	lock(&p->notelock);
	if (p->state == Pfree) {
		unlock(&p->notelock);
		werrstr("process exited");
		return -1;
	}
	if (kill)
		p->killed = 1;
	else if (p->nnote < NNOTE) {
		strlcpy(p->note[p->nnote++], note, ERRMAX);
	}
	Clerk *c = p->clerk;
	if (c) {
		clerkintr(c);
		unlock(&p->notelock);
		return 0;
	}
	if (p->state == Pexit) {
		/* a clerk is ending it already (and may have closed p->task) */
		unlock(&p->notelock);
		return 0;
	}
	/* not in core: running its own code (or about to call) */
	if (kill || !p->notify) {
		p->killed = 1;
		unlock(&p->notelock);
		/* the clerk that next serves it ends it; make sure there is a next time */
		mu_taskkill(p->task);
		lock(&proclock);
		lock(&p->notelock);
		if (p->clerk == NULL && p->state != Pfree && p->state != Pexit) {
			p->state = Pexit; /* no clerk may take it up now */
			unlock(&p->notelock);
			unlock(&proclock);
			pexit(p, kill ? "killed" : note);
			return 0;
		}
		unlock(&p->notelock);
		unlock(&proclock);
		return 0;
	}
	unlock(&p->notelock);
	return 0;
}

/* Notes to every process of note group noteid. */
int
postnotegroup(int noteid, const char *note)
{
	for (int i = 0; i < NPROC; i++) {
		Proc *p = &proctab[i];
		if (p->state != Pfree && p->noteid == noteid)
			procnote(p, 1, note, NUser);
	}
	return 0;
}

void
postconsnote(const char *note)
{
	if (consnoteid > 0)
		postnotegroup(consnoteid, note);
}

/* ------------------------------------------------------------------ */
/* faults: a program thread touched what it may not */

void
faultloop(void *arg)
{
	MuMsg m;
	Proc *p;
	char msg[ERRMAX];

	(void)arg;
	for (;;) {
		m.tag = 0;
		if (mu_recv(faultep, &m) < 0)
			continue;
		/* claim p as a clerk does, so a kill cannot end it meanwhile */
		Clerk *fc = curclerk();
		int claimed = 0;
		lock(&proclock);
		p = procbybadge(m.badge);
		if (p) {
			lock(&p->notelock);
			if (p->clerk == NULL && !p->killed && p->state != Pexit) {
				p->clerk = fc;
				fc->proc = p;
				claimed = 1;
			}
			unlock(&p->notelock);
		}
		unlock(&proclock);
		if (p == NULL)
			continue;
		if (claimed) {
			int grew = TAG_LABEL(m.tag) == LabelPageFault && growstack(p, m.mr[0]) == 0;
			int notes;
			if (procletgo(p, fc, &notes) != 0)
				continue; /* a kill came while the stack grew: p is ended */
			if (grew) { /* the thread runs the faulting instruction again */
				m.tag = TAG(0, 0, 0);
				mu_reply(&m);
				continue;
			}
		}
		if (TAG_LABEL(m.tag) == LabelPageFault)
			snprint(msg, sizeof msg, "sys: trap: fault %s addr=0x%lx pc=0x%lx",
				(m.mr[1] & 2) ? "write" : "read", m.mr[0], m.mr[2]);
		else
			snprint(msg, sizeof msg, "sys: trap: exception %lu pc=0x%lx", m.mr[0], m.mr[2]);
		print("%s %d: suicide: %s\n", p->name, p->pid, msg);
		klog("%s %d: suicide: %s\n", p->name, p->pid, msg);
		lock(&proclock);
		lock(&p->notelock);
		p->killed = 1;
		int busy = p->clerk != NULL || p->state == Pexit;
		if (!busy)
			p->state = Pexit;
		unlock(&p->notelock);
		unlock(&proclock);
		if (!busy)
			pexit(p, msg);
	}
}

/* ------------------------------------------------------------------ */
/* the first process */

int
procstart(const char *path, char **argv, int argc)
{
	Proc *p;
	char args[1024];
	long alen = 0;
	Clerk *c = curclerk();
	Image *im;

	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (alen + n > sizeof args)
			return -1;
		memcpy(args + alen, argv[i], n);
		alen += n;
	}
	if ((p = newproc()) == NULL)
		return -1;
	p->user = (char *)eve;
	p->noteid = p->pid;
	p->dot = strdup("/");
	p->pgrp = newpgrp();
	p->fgrp = newfgrp();
	p->egrp = newegrp();
	if ((p->slash = devbychar('R')->attach("")) == NULL)
		return -1;
	p->slash->type = devno(devbychar('R'));
	setpath(p->slash, "/");
	c->proc = p;
	if ((im = execimage(path)) == NULL || newtask(p) < 0 || loadstart(p, im, args, alen, argc) < 0) {
		char err[ERRMAX];
		rerrstr(err, sizeof err);
		print("core: cannot start %s: %s\n", path, err);
		c->proc = NULL;
		return -1;
	}
	setargs(p, args, alen, argc);
	c->proc = NULL;
	if (startthread(p) < 0)
		return -1;
	return p->pid;
}

/* ------------------------------------------------------------------ */
/* Ctrl-T: a debugging aid */

/*
 * Print every process: pid, name, state, and for one that core serves
 * now the clerk, its system call and what it waits in.  Called by the
 * console reader; takes no lock a clerk may hold for long (a look that
 * races with a change only prints something stale).
 */
void
procdump(void)
{
	print("core: processes\n");
	for (int i = 0; i < NPROC; i++) {
		Proc *p = &proctab[i];
		if (p->state == Pfree)
			continue;
		Clerk *c = p->clerk;
		print("%5d %-12s %-8s", p->pid, p->name, procstate(p));
		if (c)
			print(" clerk %d call %d%s%s%s%s", c->id, c->call, c->waits ? " in " : "",
			      c->waits ? c->waits : "", c->intr ? " intr" : "", c->inipc ? " inipc" : "");
		print(" note %d killed %d nchild %d\n", p->nnote, p->killed, p->nchild);
	}
}
