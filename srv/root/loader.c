/* SPDX-License-Identifier: MIT */
/*
 * Program loader: builds a task from an ELF boot module.  Segments are
 * copied into fresh memory through a scratch window in the root task and
 * mapped into the child; the top stack page holds the MuStart block; the
 * rest of the stack is left to the pager (pager.c).
 */
#include "root.h"

static const MuBootInfo *bi(void) { return bootinfo; }

static int findmod(const char *name)
{
	for (MuWord i = 0; i < bi()->nmodule; i++)
		if (strcmp(bi()->module[i].name, name) == 0)
			return i;
	return -1;
}

/* n fresh pages mapped at va in task t; fill gets the root's view. */
static long newpages(long t, MuWord va, long n, long rights, void **fill)
{
	long mem, e;

	if ((mem = mu_memalloc(mu_pool, n, MemZero)) < 0)
		return mem;
	if ((e = mu_map(mu_task, mem, 0, ScratchVa, n, RRead | RWrite)) < 0)
		goto bad;
	*fill = (void *)ScratchVa;
	if ((e = mu_map(t, mem, 0, va, n, rights)) < 0)
		goto bad;
	return mem;
bad:
	mu_close(mem);
	return e;
}

static void donepages(long mem, long n)
{
	mu_unmap(mu_task, ScratchVa, n);
	mu_close(mem);
}

static long loadsegs(long t, const void *img, size_t len, ElfInfo *info)
{
	ElfSeg seg;
	int r;

	for (int i = 0; i < (int)info->phnum; i++) {
		if ((r = elf_segment(img, len, i, &seg)) < 0)
			return -ErrInval;
		if (r == 0)
			continue;
		MuWord va = seg.vaddr & ~0xffful, end = (seg.vaddr + seg.memsz + 0xfff) & ~0xffful;
		long n = (end - va) / 4096, rights = RRead, mem;
		void *p;
		if (seg.flags & ElfWrite)
			rights |= RWrite;
		if (seg.flags & ElfExec)
			rights |= RExec;
		if ((mem = newpages(t, va, n, rights, &p)) < 0)
			return mem;
		memcpy((char *)p + (seg.vaddr - va), (const char *)img + seg.offset, seg.filesz);
		donepages(mem, n);
	}
	return 0;
}

/* Give handle h (in root) to task t; returns its number there. */
static long give(long t, long h, long rights, int move)
{
	return mu_handlegive(t, h, rights, move);
}

/*
 * Start a program: args holds argc NUL-terminated strings (argv[0] names
 * the module).  Returns the child's task handle in root, or -err.
 */
long load_program(int argc, char *args, size_t len, const Pass *pass, int npass, int *idp)
{
	const char *name = args;
	int mod = findmod(name), id;
	const void *img;
	size_t imglen;
	ElfInfo info;
	MuStart *st;
	long t = -1, th, pool, ep, mem, e, r;
	void *p;
	Child *c;

	if (mod < 0)
		return -ErrInval;
	for (id = 1; id < MaxChild && children[id].used; id++)
		;
	if (id == MaxChild)
		return -ErrNoSpace;
	img = (const void *)bi()->module[mod].vaddr;
	imglen = bi()->module[mod].size;
	if ((r = elf_check(img, imglen, &info)) < 0) {
		print("root: %s: %s\n", name, elf_errstr(r));
		return -ErrInval;
	}
	if ((t = mu_objcreate(mu_pool, ObjTask)) < 0)
		return t;
	if ((e = loadsegs(t, img, imglen, &info)) < 0 || (th = e = mu_threadcreate(mu_pool, t)) < 0)
		goto bad;
	/* IPC buffer page, then the top of the stack with MuStart in it */
	if ((e = mem = newpages(t, ChildIpcVa, 1, RRead | RWrite, &p)) < 0)
		goto bad;
	donepages(mem, 1);
	if ((e = mem = newpages(t, ChildStackTop - 4096, 1, RRead | RWrite, &p)) < 0)
		goto bad;
	st = (MuStart *)((char *)p + 4096 - sizeof(MuStart) - 64);
	st->magic = MU_START_MAGIC;
	st->task = HSelfTask;
	st->ipcbuf = ChildIpcVa;
	st->argc = argc;
	if (len > sizeof st->args - 16)
		len = sizeof st->args - 16;
	st->flags = 0;
	st->xargs = 0;
	memcpy(st->args, args, len);
	if ((pool = mu_poolcreate(mu_pool, ChildPoolPages)) < 0 ||
	    (ep = mu_mint(rootep, id, RSend | RGrant | RDup)) < 0) {
		e = -ErrNoMem;
		donepages(mem, 1);
		goto bad;
	}
	st->thread = give(t, th, RAll, 0);
	st->pool = give(t, pool, RAll & ~RGrant, 1); /* RGrant: device memory, root only */
	st->parent = give(t, ep, RSend | RGrant | RDup, 0);
	for (int i = 0; i < npass; i++) {
		r = give(t, pass[i].h, RAll, 0);
		int k = snprint(st->args + len, sizeof st->args - len, "%s=%ld", pass[i].name, r);
		if (len + k + 1 >= sizeof st->args) {
			e = -ErrNoSpace;
			donepages(mem, 1);
			goto bad;
		}
		len += k + 1;
		st->argc++;
	}
	donepages(mem, 1);
	if ((e = mu_threadset(th, ThrIpcBuf, ChildIpcVa, 0)) < 0 ||
	    (e = mu_threadset(th, ThrPager, ep, 0)) < 0 ||
	    (e = mu_threadset(th, ThrPriority, 10, 0)) < 0)
		goto bad;
	mu_taskset(t, TaskDeathNtf, rootdeath, 1);
	if ((e = mu_threadstart(th, info.entry, (MuWord)((char *)ChildStackTop - 4096 + ((char *)st - (char *)p)) - 8,
				ChildStackTop - 4096 + ((char *)st - (char *)p))) < 0)
		goto bad;
	mu_close(th);
	c = &children[id];
	memset(c, 0, sizeof *c);
	c->used = 1;
	c->task = t;
	c->ep = ep;
	strlcpy(c->name, name, sizeof c->name);
	*idp = id;
	return t;
bad:
	mu_taskkill(t);
	mu_close(t);
	return e;
}
