/* SPDX-License-Identifier: MIT */
/*
 * Memory tests: allocate, map, unmap, protect in this task with the free
 * page count coming back; aliases of one Memory; meminfo and device
 * memory; the kernel's checks of user pointers; write faults on read-only
 * pages (in child tasks, which die of them); user-level pagers, served by
 * another thread of this task.
 */
#include "ktest.h"

#define TVA 0x500000000000ul   /* scratch addresses for these tests */
#define PVA 0x510000000000ul   /* pager tests: faults land here */
#define SVA 0x520000000000ul   /* the pager's own window */
#define PG 4096ul

static long freepages(void) { return mu_info(InfoFreePages, 0); }
static long kobj(int type) { return mu_info(InfoKObjects, type); }

/* Wait (up to 1 s) until free pages and kernel objects hold still for
 * 20 ms: the root may still be cleaning up after an earlier child. */
static void settle(void)
{
	long f = freepages(), k = kobj(0);

	for (int i = 0; i < 50; i++) {
		mu_sleep(20);
		if (freepages() == f && kobj(0) == k)
			return;
		f = freepages();
		k = kobj(0);
	}
}

/* Free pages back to f, allowing a moment for asynchronous frees. */
static long backto(long f)
{
	long v = freepages();

	for (int i = 0; i < 1000 && v != f; i++) {
		mu_sleep(10);
		v = freepages();
	}
	return v;
}

/* A fresh n-page Memory mapped read-write at va; the handle, or -err. */
static long mapnew(MuWord va, long n)
{
	long m = mu_memalloc(mu_pool, n, MemZero), e;

	if (m < 0)
		return m;
	if ((e = mu_map(mu_task, m, 0, va, n, RRead | RWrite)) < 0) {
		mu_close(m);
		return e;
	}
	return m;
}

/* Is va mapped readable in this task?  The kernel's copyin tells: a
 * register block read from there into a thread that never runs. */
static int mapped(MuWord va)
{
	long th = mu_threadcreate(mu_pool, mu_task), e;

	if (th < 0)
		return -1;
	e = mu_threadregs(th, (MuRegs *)va, 1);
	mu_close(th);
	return e != -ErrFault;
}

static void t_alloc(void)
{
	long f0, f1, p0, p1, m;

	settle();
	f0 = freepages();
	p0 = mu_info(InfoPoolFree, mu_pool);
	CHECK((m = mu_memalloc(mu_pool, 16, MemZero)) > 0);
	f1 = freepages();
	p1 = mu_info(InfoPoolFree, mu_pool);
	CHECK(f0 - f1 >= 16 && f0 - f1 <= 17); /* and perhaps a page for the object */
	CHECK(p0 - p1 == 16 || p0 - p1 == 17);
	CHECKEQ(mu_handleinfo(m), ObjMemory | RAll << 8);
	CHECKEQ(mu_meminfo(m, ~0ul), 16);
	CHECKEQ(mu_close(m), 0);
	CHECKEQ(freepages(), f0);
	CHECKEQ(mu_info(InfoPoolFree, mu_pool), p0);
	/* contiguous and low memory */
	CHECK((m = mu_memalloc(mu_pool, 8, MemContig | MemDma32)) > 0);
	long pa = mu_meminfo(m, 0);
	CHECK(pa > 0 && (pa & (PG - 1)) == 0 && pa + 8 * PG <= (1l << 32));
	for (int i = 1; i < 8; i++)
		CHECKEQ(mu_meminfo(m, i), pa + i * (long)PG);
	mu_close(m);
	/* bad sizes and flags */
	CHECKEQ(mu_memalloc(mu_pool, 0, 0), -ErrInval);
	CHECKEQ(mu_memalloc(mu_pool, (1l << 20) + 1, 0), -ErrInval);
	CHECKEQ(mu_memalloc(mu_pool, -1, 0), -ErrInval);
	CHECKEQ(mu_memalloc(mu_pool, 1, 1 << 5), -ErrInval);
	CHECKEQ(mu_memalloc(mu_pool, 1l << 20, 0), -ErrNoMem); /* 4 GiB: over the quota */
	CHECKEQ(freepages(), f0);
	CHECKEQ(mu_info(InfoPoolFree, mu_pool), p0);
}

static void t_map(void)
{
	volatile long *p = (volatile long *)TVA;
	long m, m2, f0;

	settle();
	/* once to build the page tables, which stay */
	CHECK((m = mapnew(TVA, 4)) > 0);
	CHECKEQ(mu_unmap(mu_task, TVA, 4), 0);
	mu_close(m);
	f0 = freepages();
	CHECK((m = mapnew(TVA, 4)) > 0);
	CHECK(f0 - freepages() >= 4);
	for (int i = 0; i < 4; i++)
		CHECKEQ(p[i * 512], 0); /* zeroed */
	for (int i = 0; i < 4 * 512; i++)
		p[i] = i * 3 + 1;
	for (int i = 0; i < 4 * 512; i++)
		if (p[i] != i * 3 + 1) {
			tfail(__FILE__, __LINE__, "word %d reads %ld", i, p[i]);
			return;
		}
	/* the mapping holds the memory after the handle is gone */
	CHECKEQ(mu_close(m), 0);
	CHECK(f0 - freepages() >= 4);
	CHECKEQ(p[1000], 3001);
	CHECK(mapped(TVA + 3 * PG));
	/* partial unmap */
	CHECKEQ(mu_unmap(mu_task, TVA + 3 * PG, 1), 0);
	CHECK(!mapped(TVA + 3 * PG));
	CHECK(mapped(TVA + 2 * PG));
	CHECKEQ(mu_unmap(mu_task, TVA, 3), 0);
	CHECK(!mapped(TVA));
	CHECKEQ(freepages(), f0);
	/* unmapping what is not mapped is harmless */
	CHECKEQ(mu_unmap(mu_task, TVA, 4), 0);
	/* a new mapping replaces the old one, which is let go */
	CHECK((m = mapnew(TVA, 1)) > 0);
	p[0] = 111;
	CHECK((m2 = mapnew(TVA, 1)) > 0);
	CHECKEQ(p[0], 0);
	mu_close(m);
	mu_close(m2);
	CHECK(f0 - freepages() >= 1);
	CHECKEQ(mu_unmap(mu_task, TVA, 1), 0);
	CHECKEQ(freepages(), f0);
	/* bad arguments */
	CHECK((m = mu_memalloc(mu_pool, 2, 0)) > 0);
	CHECKEQ(mu_map(mu_task, m, 0, TVA + 1, 1, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 0, 0, 1, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 0, MU_USER_TOP - PG, 2, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 0, MU_USER_TOP, 1, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 0, 0xffff800000000000ul, 1, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 0, TVA, 0, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 0, TVA, 3, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 2, TVA, 1, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 1, TVA, 2, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, -1, TVA, 1, RRead), -ErrInval);
	CHECKEQ(mu_map(mu_task, m, 0, TVA, 1, 0), -ErrPerm);
	CHECKEQ(mu_unmap(mu_task, TVA + 5, 1), -ErrInval);
	CHECKEQ(mu_unmap(mu_task, 0, 1), -ErrInval);
	CHECKEQ(mu_unmap(mu_task, MU_USER_TOP, 1), -ErrInval);
	CHECKEQ(mu_unmap(mu_task, TVA, 0), -ErrInval);
	CHECK(!mapped(TVA));
	mu_close(m);
	CHECKEQ(freepages(), f0);
}

/* One Memory at several addresses: each sees what the others write. */
static void t_alias(void)
{
	volatile long *a = (volatile long *)TVA, *b = (volatile long *)(TVA + 16 * PG),
		      *c = (volatile long *)(TVA + 32 * PG);
	long m, f0;

	settle();
	f0 = freepages();
	CHECK((m = mu_memalloc(mu_pool, 2, 0)) > 0);
	CHECKEQ(mu_map(mu_task, m, 0, TVA, 2, RRead | RWrite), 0);
	CHECKEQ(mu_map(mu_task, m, 0, TVA + 16 * PG, 2, RRead | RWrite), 0);
	CHECKEQ(mu_map(mu_task, m, 1, TVA + 32 * PG, 1, RRead), 0);
	a[0] = 0x1111;
	CHECKEQ(b[0], 0x1111);
	b[512 + 7] = 0x2222;
	CHECKEQ(a[512 + 7], 0x2222);
	CHECKEQ(c[7], 0x2222);
	b[512 + 8] = 0x3333;
	CHECKEQ(c[8], 0x3333);
	mu_close(m);
	CHECKEQ(mu_unmap(mu_task, TVA, 2), 0);
	CHECKEQ(b[0], 0x1111);
	CHECKEQ(mu_unmap(mu_task, TVA + 16 * PG, 2), 0);
	CHECKEQ(c[8], 0x3333);
	CHECK(f0 - freepages() >= 2); /* c still holds both frames */
	CHECKEQ(mu_unmap(mu_task, TVA + 32 * PG, 1), 0);
	CHECKEQ(backto(f0), f0);
}

static void t_protect(void)
{
	volatile long *p = (volatile long *)TVA;
	long m, f0;

	settle();
	CHECK((m = mapnew(TVA, 2)) > 0);
	mu_close(m);
	CHECKEQ(mu_unmap(mu_task, TVA, 2), 0);
	f0 = freepages();
	CHECK((m = mapnew(TVA, 2)) > 0);
	p[0] = 42;
	p[512] = 43;
	CHECKEQ(mu_protect(mu_task, TVA, 2, RRead), 0);
	CHECKEQ(p[0], 42);
	CHECKEQ(p[512], 43);
	/* the kernel, too, now refuses to write there */
	long th = mu_threadcreate(mu_pool, mu_task);
	CHECK(th > 0);
	CHECKEQ(mu_threadregs(th, (MuRegs *)TVA, 0), -ErrFault);
	mu_close(th);
	/* protect without RRead unmaps */
	CHECKEQ(mu_protect(mu_task, TVA + PG, 1, 0), 0);
	CHECK(!mapped(TVA + PG));
	CHECK(mapped(TVA));
	CHECKEQ(mu_protect(mu_task, TVA + 1, 1, RRead), -ErrInval);
	CHECKEQ(mu_protect(mu_task, 0, 1, RRead), -ErrInval);
	CHECKEQ(mu_protect(mu_task, TVA, 0, RRead), -ErrInval);
	/* pages not mapped are skipped */
	CHECKEQ(mu_protect(mu_task, TVA, 4, RRead | RWrite), 0);
	CHECKEQ(p[0], 42);
	mu_close(m);
	CHECKEQ(mu_unmap(mu_task, TVA, 2), 0);
	CHECKEQ(freepages(), f0);
}

/* A child that writes to a page it made read-only dies of it (the root's
 * pager refuses the fault); bit 1 says it got that far, bit 2 would mean
 * the write went through. */
static void crashchild(const char *role)
{
	long n = newntf(), t, bits, f0, k0;

	CHECK(n > 0);
	settle();
	f0 = freepages();
	k0 = kobj(0);
	CHECK((t = child(role, n)) > 0);
	CHECKEQ(waitdead(t, 5000), 0);
	bits = mu_wait(n, TAG_POLL);
	CHECKEQ(bits, 1);
	mu_close(t);
	/* everything the child had comes back once the root forgets it */
	CHECKEQ(backto(f0), f0);
	for (int i = 0; i < 1000 && kobj(0) != k0; i++)
		mu_sleep(10);
	CHECKEQ(kobj(0), k0);
	mu_close(n);
}

static int role_rowrite(long n)
{
	volatile long *p = (volatile long *)TVA;

	if (mapnew(TVA, 1) < 0)
		return 1;
	p[0] = 1;
	if (mu_protect(mu_task, TVA, 1, RRead) < 0 || p[0] != 1)
		return 1;
	mu_signal(n, 1);
	p[0] = 2;
	mu_signal(n, 2);
	return 0;
}

/* protect never widens: RWrite after RRead leaves the page read-only */
static int role_nowiden(long n)
{
	volatile long *p = (volatile long *)TVA;
	long m = mu_memalloc(mu_pool, 1, 0), r;

	if (m < 0 || mu_map(mu_task, m, 0, TVA, 1, RRead | RWrite) < 0)
		return 1;
	p[0] = 1;
	if (mu_protect(mu_task, TVA, 1, RRead) < 0 || mu_protect(mu_task, TVA, 1, RRead | RWrite) < 0)
		return 1;
	/* and a read-only handle maps only read-only */
	if ((r = mu_dup(m, RRead)) < 0 || mu_map(mu_task, r, 0, TVA + PG, 1, RRead | RWrite) != -ErrPerm)
		return 1;
	mu_signal(n, 1);
	p[0] = 2;
	mu_signal(n, 2);
	return 0;
}

/* Writing to the program's own text or reading page 0 kills it too. */
static int role_textwrite(long n)
{
	mu_signal(n, 1);
	*(volatile char *)(MuWord)role_rowrite = 0;
	mu_signal(n, 2);
	return 0;
}

static int role_unmapped(long n)
{
	volatile long *p = (volatile long *)TVA;

	if (mapnew(TVA, 1) < 0)
		return 1;
	p[0] = 1;
	if (mu_unmap(mu_task, TVA, 1) < 0)
		return 1;
	mu_signal(n, 1);
	p[0] = 2;
	mu_signal(n, 2);
	return 0;
}

static void t_rowrite(void) { crashchild("mem.rowrite"); }
static void t_nowiden(void) { crashchild("mem.nowiden"); }
static void t_textwrite(void) { crashchild("mem.textwrite"); }
static void t_unmapped(void) { crashchild("mem.unmapped"); }

static void t_meminfo(void)
{
	long m = mu_memalloc(mu_pool, 3, 0), r, pa;

	CHECK(m > 0);
	CHECKEQ(mu_meminfo(m, ~0ul), 3);
	pa = mu_meminfo(m, 0);
	CHECK(pa > 0 && (pa & (PG - 1)) == 0);
	CHECKEQ(mu_meminfo(m, 2), pa + 2 * (long)PG);
	CHECKEQ(mu_meminfo(m, 3), -ErrInval);
	CHECKEQ(mu_meminfo(m, 1l << 40), -ErrInval);
	CHECK((r = mu_dup(m, RRead | RWrite | RDup)) > 0);
	CHECKEQ(mu_meminfo(r, ~0ul), 3); /* the size needs no right */
	CHECKEQ(mu_meminfo(r, 0), -ErrPerm);
	mu_close(r);
	mu_close(m);
}

/*
 * Device memory: never RAM, and only with the root's pool.  This task's
 * pool (and any pool made from it) may not name physical addresses.
 */
static void t_phys(void)
{
	long m, pa, p, all0;

	settle();
	all0 = kobj(0);
	CHECK((m = mu_memalloc(mu_pool, 1, 0)) > 0);
	pa = mu_meminfo(m, 0);
	CHECK(pa > 0);
	CHECKEQ(mu_memphys(mu_pool, pa, 1), -ErrPerm);          /* RAM */
	CHECKEQ(mu_memphys(mu_pool, 0xfee00000ul, 1), -ErrPerm); /* the LAPIC */
	CHECKEQ(mu_memphys(mu_pool, 0xfec00000ul, 1), -ErrPerm); /* the I/O APIC */
	CHECKEQ(mu_memphys(mu_pool, 0xfd000000ul, 16), -ErrPerm);
	CHECK((p = mu_poolcreate(mu_pool, 4)) > 0);
	CHECKEQ(mu_memphys(p, 0xfee00000ul, 1), -ErrPerm);
	CHECKEQ(mu_memphys(m, 0xfee00000ul, 1), -ErrType);
	mu_close(p);
	mu_close(m);
	CHECKEQ(kobj(0), all0);
}

/* The kernel checks every user pointer it is given. */
static void t_usercopy(void)
{
	static MuRegs r;
	long m, th;

	settle();
	CHECK((m = mapnew(TVA, 2)) > 0);
	CHECKEQ(mu_protect(mu_task, TVA + PG, 1, RRead), 0);
	CHECKEQ(mu_debugput((void *)(TVA + 2 * PG), 1), -ErrFault);
	CHECKEQ(mu_debugput((void *)(TVA + 2 * PG - 1), 2), -ErrFault);
	CHECKEQ(mu_debugput((void *)0xffff800000000000ul, 1), -ErrFault);
	CHECKEQ(mu_debugput((void *)(MU_USER_TOP - 1), 2), -ErrFault);
	CHECKEQ(mu_debugput((void *)~0ul, 2), -ErrFault);
	CHECKEQ(mu_debugput((void *)TVA, 2ul << 20), -ErrInval);
	CHECK((th = mu_threadcreate(mu_pool, mu_task)) > 0);
	CHECKEQ(mu_threadregs(th, &r, 0), 0);
	CHECKEQ(mu_threadregs(th, (MuRegs *)(TVA + PG), 0), -ErrFault);           /* read-only */
	CHECKEQ(mu_threadregs(th, (MuRegs *)(TVA + PG - 8), 0), -ErrFault);       /* straddles */
	CHECKEQ(mu_threadregs(th, (MuRegs *)(TVA + PG - sizeof r), 0), 0);
	CHECKEQ(mu_threadregs(th, (MuRegs *)(TVA + PG), 1), 0);                   /* reading is fine */
	CHECKEQ(mu_threadregs(th, (MuRegs *)(TVA + 2 * PG), 1), -ErrFault);
	CHECKEQ(mu_threadregs(th, (MuRegs *)0xffff800000000000ul, 1), -ErrFault);
	r.rip = 0x8000000000000000ul; /* not canonical */
	CHECKEQ(mu_threadregs(th, &r, 1), -ErrInval);
	/* the IPC buffer must be a page of ours, writable */
	CHECKEQ(mu_threadset(th, ThrIpcBuf, TVA + 8, 0), -ErrInval);
	CHECKEQ(mu_threadset(th, ThrIpcBuf, TVA + 2 * PG, 0), -ErrFault);
	CHECKEQ(mu_threadset(th, ThrIpcBuf, TVA + PG, 0), -ErrFault);
	CHECKEQ(mu_threadset(th, ThrIpcBuf, MU_USER_TOP, 0), -ErrInval);
	CHECKEQ(mu_threadset(th, ThrIpcBuf, TVA, 0), 0);
	mu_close(m);
	CHECKEQ(mu_unmap(mu_task, TVA, 2), 0);
	/* the registered IPC buffer holds its page until the thread goes */
	long f = freepages();
	mu_close(th);
	CHECK(freepages() >= f + 2);
}

/*
 * User-level pagers.  A thread of this task names an endpoint as its
 * pager and touches an address nothing is mapped at; the test's main
 * thread receives the fault (LabelPageFault, mr0 = address, mr1 = error
 * code, mr2 = rip) and answers it in different ways.
 */
typedef struct PgArg {
	long pager, done;
	MuWord va;
	int write;
	long val;
} PgArg;

static void pgthread(void *arg)
{
	PgArg *a = arg;
	volatile long *p = (volatile long *)a->va;

	if (mu_threadset(mu_tls()->thread, ThrPager, a->pager, 0) < 0) {
		mu_signal(a->done, 0x100);
		return;
	}
	if (a->write)
		*p = a->val;
	else
		a->val = *p;
	mu_threadset(mu_tls()->thread, ThrPager, 0, 0);
	mu_signal(a->done, 1);
}

static PgArg pga;
static long pgth;

/* Start the faulting thread and receive its fault on ep. */
static long pgstart(long ep, long pager, long done, MuWord va, int write, MuMsg *m)
{
	pga = (PgArg){ pager, done, va, write, write ? 0x5eed : 0 };
	if ((pgth = mu_thread_create(pgthread, &pga, 16384, -1, -1)) < 0)
		return pgth;
	m->tag = TAG_WITHMS(0, 3000);
	return mu_recv(ep, m);
}

/* A fresh page at SVA with v where the faulting thread looks; the handle
 * is closed (the mapping holds the page). */
static long pgfill(long v)
{
	long m = mapnew(SVA, 1);

	if (m < 0)
		return m;
	mu_close(m);
	*(volatile long *)(SVA + (pga.va & (PG - 1))) = v;
	return 0;
}

enum { PgGrant, PgShare, PgMap, PgRetry };

static void pager(int how)
{
	MuWord va = PVA + 0x10000 * how + 0x1238, page = va & ~(PG - 1);
	long ep, bep, done, m, nth0 = kobj(ObjThread);
	MuIpcBuf *b = mu_ipcbuf();
	MuMsg msg;

	CHECK((ep = newep()) > 0 && (done = newntf()) > 0);
	CHECK((bep = mu_mint(ep, 0x77, RSend)) > 0);
	CHECKEQ(pgstart(ep, bep, done, va, how == PgMap, &msg), 0);
	CHECKEQ(TAG_LABEL(msg.tag), LabelPageFault);
	CHECKEQ(msg.badge, 0x77);
	CHECKEQ(msg.mr[0], va);
	CHECKEQ(msg.mr[1] & 7, how == PgMap ? 6 : 4); /* user, not present, write? */
	CHECK(msg.mr[2] >= (MuWord)pgthread && msg.mr[2] < (MuWord)pgthread + 0x200);
	switch (how) {
	case PgGrant: /* the page moves from our window to the fault */
		CHECKEQ(pgfill(0xabc), 0);
		b->item[0] = (MuItem){ ItemGrant | ITEM_RIGHTS(RRead | RWrite), SVA, 1 };
		msg.tag = TAG(0, 0, 1);
		CHECKEQ(mu_reply(&msg), 0);
		CHECKEQ(mu_wait(done, TAG_WITHMS(0, 3000)), 1);
		CHECKEQ(pga.val, 0xabc);
		CHECK(!mapped(SVA));
		break;
	case PgShare: /* the page is mapped in both places */
		CHECKEQ(pgfill(0xdef), 0);
		b->item[0] = (MuItem){ ItemMap | ITEM_RIGHTS(RRead), SVA, 1 };
		msg.tag = TAG(0, 0, 1);
		CHECKEQ(mu_reply(&msg), 0);
		CHECKEQ(mu_wait(done, TAG_WITHMS(0, 3000)), 1);
		CHECKEQ(pga.val, 0xdef);
		*(volatile long *)(SVA + 16) = 0x123;
		CHECKEQ(*(volatile long *)(page + 16), 0x123);
		CHECKEQ(mu_unmap(mu_task, SVA, 1), 0);
		break;
	case PgMap: /* the pager maps the page itself and answers with nothing */
		CHECK((m = mu_memalloc(mu_pool, 1, 0)) > 0);
		CHECKEQ(mu_map(mu_task, m, 0, page, 1, RRead | RWrite), 0);
		mu_close(m);
		msg.tag = 0;
		CHECKEQ(mu_reply(&msg), 0);
		CHECKEQ(mu_wait(done, TAG_WITHMS(0, 3000)), 1);
		CHECKEQ(*(volatile long *)va, 0x5eed);
		break;
	case PgRetry: /* an answer that maps nothing: the thread faults again */
		msg.tag = 0;
		CHECKEQ(mu_reply(&msg), 0);
		msg.tag = TAG_WITHMS(0, 3000);
		CHECKEQ(mu_recv(ep, &msg), 0);
		CHECKEQ(TAG_LABEL(msg.tag), LabelPageFault);
		CHECKEQ(msg.mr[0], va);
		CHECKEQ(mu_wait(done, TAG_POLL), 0);
		CHECKEQ(pgfill(0x4e7), 0);
		/* the page lands at the faulting page whatever the item says */
		b->item[0] = (MuItem){ ItemGrant | ITEM_RIGHTS(RRead | RWrite), SVA, 1 };
		msg.tag = TAG(0, 0, 1);
		CHECKEQ(mu_reply(&msg), 0);
		CHECKEQ(mu_wait(done, TAG_WITHMS(0, 3000)), 1);
		CHECKEQ(pga.val, 0x4e7);
		break;
	}
	CHECK(mapped(page));
	CHECKEQ(mu_unmap(mu_task, page, 1), 0);
	mu_close(pgth);
	mu_close(bep);
	mu_close(ep);
	mu_close(done);
	/* the thread ended (a thread of an earlier test may end meanwhile
	 * too, as the other cpu reaps it: fewer is fine, more is a leak) */
	for (int i = 0; i < 2000 && kobj(ObjThread) > nth0; i++) /* 10 s: busy hosts */
		mu_sleep(5);
	CHECK(kobj(ObjThread) <= nth0);
}

static void t_pager_grant(void) { pager(PgGrant); }
static void t_pager_share(void) { pager(PgShare); }
static void t_pager_map(void) { pager(PgMap); }
static void t_pager_retry(void) { pager(PgRetry); }

/*
 * TLBs.  A thread of this task on another cpu reads a page, so that its
 * cpu caches the translation, and waits (its cpu goes idle); we map a
 * different page there: it must see the new one.  Then, while it keeps
 * reading, we map yet another: it must see that soon too.  Its pager is
 * our endpoint, so that a read in the middle of a remap only waits.
 */
#define MS 1000000l
static volatile long tlbv[3];
static long tlbdone, tlbgo, tlbpager;

static void tlbreader(void *arg)
{
	volatile long *p = (volatile long *)TVA;
	long end;

	mu_threadset(mu_tls()->thread, ThrPager, tlbpager, 0);
	tlbv[0] = p[0];
	mu_signal(tlbdone, 1);
	mu_wait(tlbgo, TAG_WITHMS(0, 3000));
	tlbv[1] = p[0];
	mu_signal(tlbdone, 2);
	for (end = mu_time() + 3000 * MS; p[0] != 333 && mu_time() < end;)
		;
	tlbv[2] = p[0];
	mu_threadset(mu_tls()->thread, ThrPager, 0, 0);
	mu_signal(tlbdone, 4);
}

/* Wait for bit on tlbdone, answering page faults of the reader. */
static long tlbwait(long bit)
{
	MuMsg m;

	for (int i = 0; i < 300; i++) {
		m.tag = TAG_POLL;
		if (mu_recv(tlbpager, &m) == 0 && TAG_LABEL(m.tag) == LabelPageFault) {
			m.tag = 0;
			mu_reply(&m); /* try again: the page is there by now */
		}
		if (mu_wait(tlbdone, TAG_WITHMS(0, 10)) == bit)
			return bit;
	}
	return 0;
}

static void t_tlb(void)
{
	long n = mu_info(InfoNCpu, 0), cpu = (mu_info(InfoCpu, 0) + 1) % n, m1, m2, m3, th;
	volatile long *p = (volatile long *)TVA;

	settle();
	CHECK((tlbdone = newntf()) > 0 && (tlbgo = newntf()) > 0 && (tlbpager = newep()) > 0);
	CHECK((m1 = mapnew(TVA, 1)) > 0);
	p[0] = 111;
	tlbv[0] = tlbv[1] = tlbv[2] = 0;
	CHECK((th = mu_thread_create(tlbreader, NULL, 16384, -1, cpu)) > 0);
	CHECKEQ(tlbwait(1), 1);
	CHECKEQ(tlbv[0], 111);
	mu_sleep(10);
	CHECK((m2 = mapnew(TVA, 1)) > 0); /* replaces m1 */
	p[0] = 222;
	CHECKEQ(mu_signal(tlbgo, 1), 0);
	CHECKEQ(tlbwait(2), 2);
	CHECKEQ(tlbv[1], 222);
	mu_sleep(5);
	CHECK((m3 = mapnew(TVA, 1)) > 0);
	p[0] = 333;
	CHECKEQ(tlbwait(4), 4);
	CHECKEQ(tlbv[2], 333);
	CHECKEQ(mu_unmap(mu_task, TVA, 1), 0);
	mu_close(m1);
	mu_close(m2);
	mu_close(m3);
	mu_close(th);
	mu_close(tlbpager);
	mu_close(tlbgo);
	mu_close(tlbdone);
}

/* For handle.give (t_handle.c): op 1 reports on handle mr0 (its info,
 * signalling it with mr1, copying it) ; op 2 ends. */
static int role_hgive(long ep)
{
	MuMsg m = { TAG_WITHMS(0, 10000), 0, { 0 } };

	if (mu_recv(ep, &m) < 0)
		return 1;
	for (;;) {
		long h = m.mr[0], bits = m.mr[1];
		if (TAG_LABEL(m.tag) != 1)
			break;
		m.tag = TAG(0, 3, 0) | TAG_WITHMS(0, 10000);
		m.mr[0] = mu_handleinfo(h);
		m.mr[1] = mu_signal(h, bits);
		if ((long)(m.mr[2] = mu_dup(h, RAll)) > 0)
			mu_close(m.mr[2]);
		if (mu_replyrecv(ep, &m) < 0)
			return 1;
	}
	m.tag = 0;
	mu_reply(&m);
	return 0;
}

const Test mem_tests[] = {
	{ t_alloc, "mem.alloc" },
	{ t_map, "mem.map" },
	{ t_alias, "mem.alias" },
	{ t_protect, "mem.protect" },
	{ t_rowrite, "mem.protect.fault" },
	{ t_nowiden, "mem.protect.nowiden" },
	{ t_textwrite, "mem.textwrite" },
	{ t_unmapped, "mem.unmapped" },
	{ t_meminfo, "mem.meminfo" },
	{ t_phys, "mem.phys" },
	{ t_usercopy, "mem.usercopy" },
	{ t_tlb, "mem.tlb" },
	{ t_pager_grant, "mem.pager.grant" },
	{ t_pager_share, "mem.pager.share" },
	{ t_pager_map, "mem.pager.map" },
	{ t_pager_retry, "mem.pager.retry" },
	{ NULL, NULL },
};

const Role mem_roles[] = {
	{ role_rowrite, "mem.rowrite" },
	{ role_nowiden, "mem.nowiden" },
	{ role_textwrite, "mem.textwrite" },
	{ role_unmapped, "mem.unmapped" },
	{ role_hgive, "hgive" },
	{ NULL, NULL },
};
