/* SPDX-License-Identifier: MIT */
/*
 * Handle tests: close, dup with fewer rights, mint with a badge, bad
 * handle numbers, wrong types and missing rights, handles given to
 * another task, a full handle table, and memory pools with quotas.
 */
#include "ktest.h"

/* What mu_handleinfo says about a live object. */
#define INFO(type, rights) ((long)(type) | (long)(rights) << 8)
#define DEAD (1l << 16)

static long kobj(int type) { return mu_info(InfoKObjects, type); }

/* Let the root finish with children of earlier tests: wait (up to 1 s)
 * until the number of kernel objects holds still for 20 ms. */
static void settle(void)
{
	long k = kobj(0);

	for (int i = 0; i < 50; i++) {
		mu_sleep(20);
		if (kobj(0) == k)
			return;
		k = kobj(0);
	}
}

/* A thread that sends one message (with a timeout) on an endpoint. */
typedef struct Sender {
	long ep;
	MuWord mr0;
	long ret;
} Sender;

static void sender(void *arg)
{
	Sender *s = arg;
	MuMsg m = { TAG_WITHMS(TAG(1, 1, 0), 2000), 0, { s->mr0 } };

	s->ret = mu_send(s->ep, &m);
}

static void t_close(void)
{
	settle();
	long n0 = kobj(ObjEndpoint), all0 = kobj(0), ep = newep();

	CHECK(ep > 0);
	CHECKEQ(kobj(ObjEndpoint), n0 + 1);
	CHECKEQ(kobj(0), all0 + 1);
	CHECKEQ(mu_handleinfo(ep), INFO(ObjEndpoint, RAll));
	CHECKEQ(mu_close(ep), 0);
	CHECKEQ(mu_handleinfo(ep), -ErrBadHandle);
	CHECKEQ(mu_close(ep), -ErrBadHandle);
	CHECKEQ(kobj(ObjEndpoint), n0);
	CHECKEQ(kobj(0), all0);
	/* the fixed handles of a task */
	CHECKEQ(mu_handleinfo(mu_task), INFO(ObjTask, RAll));
	CHECKEQ(mu_handleinfo(mu_thread) & 0xff, ObjThread);
	CHECKEQ(mu_handleinfo(mu_pool) & 0xff, ObjPool);
	CHECKEQ(mu_handleinfo(mu_parent) & 0xff, ObjEndpoint);
	CHECKEQ(kobj(NObj), -ErrInval);
}

static void t_dup(void)
{
	settle();
	long all0 = kobj(0), n = newntf(), s, s2, z, d;

	CHECK(n > 0);
	CHECK((s = mu_dup(n, RSend | RDup)) > 0);
	CHECK(s != n);
	CHECKEQ(mu_handleinfo(s), INFO(ObjNotification, RSend | RDup));
	/* rights only narrow */
	CHECK((s2 = mu_dup(s, RAll)) > 0);
	CHECKEQ(mu_handleinfo(s2), INFO(ObjNotification, RSend | RDup));
	CHECK((z = mu_dup(s2, 0)) > 0);
	CHECKEQ(mu_handleinfo(z), INFO(ObjNotification, 0));
	CHECKEQ(mu_dup(z, RAll), -ErrPerm);
	/* dup makes no kernel object */
	CHECKEQ(kobj(0), all0 + 1);
	/* the copies name the same object, and keep it after the original goes */
	CHECKEQ(mu_signal(s, 4), 0);
	CHECKEQ(mu_wait(n, TAG_POLL), 4);
	CHECK((d = mu_dup(n, RRecv)) > 0);
	CHECKEQ(mu_close(n), 0);
	CHECKEQ(mu_handleinfo(s), INFO(ObjNotification, RSend | RDup));
	CHECKEQ(mu_signal(s2, 8), 0);
	CHECKEQ(mu_wait(d, TAG_POLL), 8);
	CHECKEQ(kobj(0), all0 + 1);
	mu_close(s);
	mu_close(s2);
	mu_close(z);
	CHECKEQ(kobj(0), all0 + 1);
	mu_close(d);
	CHECKEQ(kobj(0), all0);
}

static void t_dead(void)
{
	long n0 = kobj(ObjTask), t = mu_objcreate(mu_pool, ObjTask), t2;

	CHECK(t > 0);
	CHECKEQ(kobj(ObjTask), n0 + 1);
	CHECKEQ(mu_handleinfo(t), INFO(ObjTask, RAll));
	CHECK((t2 = mu_dup(t, RCtl)) > 0);
	CHECKEQ(mu_taskkill(t2), 0);
	CHECKEQ(mu_handleinfo(t), INFO(ObjTask, RAll) | DEAD);
	CHECKEQ(mu_handleinfo(t2), INFO(ObjTask, RCtl) | DEAD);
	CHECKEQ(mu_taskkill(t), 0); /* idempotent */
	CHECKEQ(mu_threadcreate(mu_pool, t), -ErrGone);
	mu_close(t);
	CHECKEQ(kobj(ObjTask), n0 + 1); /* t2 still names it */
	mu_close(t2);
	CHECKEQ(kobj(ObjTask), n0);
}

static void t_mint(void)
{
	long nep0 = kobj(ObjEndpoint), nntf0 = kobj(ObjNotification), nth0 = kobj(ObjThread), n = newntf(), b, d, mx, ep, be, th, mem;
	static Sender s;
	MuMsg m;

	CHECK(n > 0);
	CHECK((b = mu_mint(n, 0x10, RSend | RDup)) > 0);
	CHECKEQ(mu_handleinfo(b), INFO(ObjNotification, RSend | RDup));
	CHECKEQ(mu_signal(b, 1), 0);
	CHECKEQ(mu_wait(n, TAG_POLL), 0x11);
	/* a badge stays with copies, and cannot be changed */
	CHECKEQ(mu_mint(b, 0x20, RAll), -ErrInval);
	CHECK((d = mu_dup(b, RAll)) > 0);
	CHECKEQ(mu_mint(d, 0x20, RAll), -ErrInval);
	CHECKEQ(mu_signal(d, 0), 0);
	CHECKEQ(mu_wait(n, TAG_POLL), 0x10);
	CHECKEQ(mu_mint(n, 0, RAll), -ErrInval);
	CHECKEQ(mu_mint(n, 1ul << 56, RAll), -ErrInval);
	CHECKEQ(mu_mint(n, ~0ul, RAll), -ErrInval);
	CHECK((mx = mu_mint(n, (1ul << 56) - 1, RSend)) > 0);
	CHECKEQ(mu_signal(mx, 0), 0);
	CHECKEQ(mu_wait(n, TAG_POLL), (1l << 56) - 1);
	CHECKEQ(mu_mint(mx, 1, RAll), -ErrPerm); /* no RDup */
	/* only endpoints and notifications */
	CHECK((mem = mu_memalloc(mu_pool, 1, 0)) > 0);
	CHECKEQ(mu_mint(mem, 1, RAll), -ErrInval);
	CHECKEQ(mu_mint(mu_task, 1, RAll), -ErrInval);
	mu_close(mem);
	/* an endpoint's badge reaches the receiver */
	CHECK((ep = newep()) > 0);
	CHECK((be = mu_mint(ep, 0x1234567, RSend)) > 0);
	s = (Sender){ be, 77, 1 };
	CHECK((th = mu_thread_create(sender, &s, 16384, -1, -1)) > 0);
	m.tag = TAG_WITHMS(0, 2000);
	CHECKEQ(mu_recv(ep, &m), 0);
	CHECKEQ(m.badge, 0x1234567);
	CHECKEQ(TAG_LABEL(m.tag), 1);
	CHECKEQ(m.mr[0], 77);
	mu_close(th);
	s = (Sender){ ep, 78, 1 };
	CHECK((th = mu_thread_create(sender, &s, 16384, -1, -1)) > 0);
	m.tag = TAG_WITHMS(0, 2000);
	CHECKEQ(mu_recv(ep, &m), 0);
	CHECKEQ(m.badge, 0);
	CHECKEQ(m.mr[0], 78);
	mu_close(th);
	mu_close(be);
	mu_close(ep);
	mu_close(b);
	mu_close(d);
	mu_close(mx);
	mu_close(n);
	for (int i = 0; i < 2000 && kobj(ObjThread) > nth0; i++)
		mu_sleep(5); /* the senders end (an earlier test's thread may too: fewer is fine) */
	CHECK(kobj(ObjThread) <= nth0);
	CHECKEQ(kobj(ObjEndpoint), nep0);
	CHECKEQ(kobj(ObjNotification), nntf0);
}

static void t_bad(void)
{
	static const long bad[] = { 0, 1023, 1024, 1l << 40, -1, -1024, (long)(~0ul >> 1) };
	MuMsg m;

	for (size_t i = 0; i < nelem(bad); i++) {
		long h = bad[i];
		if (h == 1023 && mu_handleinfo(h) >= 0)
			continue;
		CHECKEQ(mu_handleinfo(h), -ErrBadHandle);
		CHECKEQ(mu_close(h), -ErrBadHandle);
		CHECKEQ(mu_dup(h, RAll), -ErrBadHandle);
		CHECKEQ(mu_mint(h, 1, RAll), -ErrBadHandle);
		CHECKEQ(mu_signal(h, 1), -ErrBadHandle);
		CHECKEQ(mu_wait(h, TAG_POLL), -ErrBadHandle);
		m = (MuMsg){ TAG(1, 0, 0) | TAG_POLL, 0, { 0 } };
		CHECKEQ(mu_send(h, &m), -ErrBadHandle);
		m = (MuMsg){ TAG(1, 0, 0) | TAG_POLL, 0, { 0 } };
		CHECKEQ(mu_call(h, &m), -ErrBadHandle);
		m.tag = TAG_POLL;
		CHECKEQ(mu_recv(h, &m), -ErrBadHandle);
		CHECKEQ(mu_memalloc(h, 1, 0), -ErrBadHandle);
		CHECKEQ(mu_objcreate(h, ObjEndpoint), -ErrBadHandle);
		CHECKEQ(mu_map(h, h, 0, 0x500000000000ul, 1, RRead), -ErrBadHandle);
		CHECKEQ(mu_threadset(h, ThrPriority, 1, 0), -ErrBadHandle);
		CHECKEQ(mu_taskkill(h), -ErrBadHandle);
		CHECKEQ(mu_handlegive(h, h, RAll, 0), -ErrBadHandle);
		CHECKEQ(mu_handlegive(mu_task, h, RAll, 0), -ErrBadHandle);
		CHECKEQ(mu_info(InfoPoolFree, h), -ErrBadHandle);
		CHECKEQ(mu_irqack(h), -ErrBadHandle);
		CHECKEQ(mu_meminfo(h, ~0ul), -ErrBadHandle);
	}
}

static void t_type(void)
{
	long ep = newep(), n = newntf(), mem = mu_memalloc(mu_pool, 1, 0), th;
	MuMsg m;

	CHECK(ep > 0 && n > 0 && mem > 0);
	CHECKEQ(mu_signal(ep, 1), -ErrType);
	CHECKEQ(mu_wait(ep, TAG_POLL), -ErrType);
	m = (MuMsg){ TAG(1, 0, 0) | TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_send(n, &m), -ErrType);
	m = (MuMsg){ TAG(1, 0, 0) | TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_call(n, &m), -ErrType);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(n, &m), -ErrType);
	CHECKEQ(mu_memalloc(ep, 1, 0), -ErrType);
	CHECKEQ(mu_objcreate(n, ObjEndpoint), -ErrType);
	CHECKEQ(mu_poolcreate(mem, 1), -ErrType);
	CHECKEQ(mu_map(mu_task, n, 0, 0x500000000000ul, 1, RRead), -ErrType);
	CHECKEQ(mu_map(ep, mem, 0, 0x500000000000ul, 1, RRead), -ErrType);
	CHECKEQ(mu_unmap(n, 0x500000000000ul, 1), -ErrType);
	CHECKEQ(mu_meminfo(ep, ~0ul), -ErrType);
	CHECKEQ(mu_threadset(ep, ThrPriority, 1, 0), -ErrType);
	CHECKEQ(mu_taskkill(ep), -ErrType);
	CHECKEQ(mu_taskset(mu_task, TaskDeathNtf, ep, 1), -ErrType);
	CHECKEQ(mu_irqack(n), -ErrType);
	CHECKEQ(mu_irqcreate(n, 0, n, 1), -ErrType);
	CHECKEQ(mu_iocreate(mem, 0, 1), -ErrType);
	CHECKEQ(mu_ioenable(ep), -ErrType);
	CHECKEQ(mu_info(InfoPoolFree, ep), -ErrBadHandle);
	CHECK((th = mu_threadcreate(mu_pool, mu_task)) > 0);
	CHECKEQ(mu_threadset(th, ThrPager, n, 0), -ErrType);
	CHECKEQ(mu_threadset(th, ThrExcHandler, mem, 0), -ErrType);
	CHECKEQ(mu_threadset(th, ThrBindNtf, ep, 0), -ErrType);
	CHECKEQ(mu_objcreate(mu_pool, ObjMemory), -ErrInval);
	CHECKEQ(mu_objcreate(mu_pool, 99), -ErrInval);
	mu_close(th);
	mu_close(ep);
	mu_close(n);
	mu_close(mem);
}

static void t_rights(void)
{
	settle();
	long all0 = kobj(0), ep = newep(), n = newntf(), mem = mu_memalloc(mu_pool, 1, 0);
	long r, s, ns, nr, mr, p, t, tk, th, thd;
	MuMsg m;

	CHECK(ep > 0 && n > 0 && mem > 0);
	/* an endpoint without RSend cannot send, without RRecv cannot receive */
	CHECK((r = mu_dup(ep, RRecv | RDup)) > 0);
	CHECK((s = mu_dup(ep, RSend)) > 0);
	m = (MuMsg){ TAG(1, 0, 0) | TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_send(r, &m), -ErrPerm);
	m = (MuMsg){ TAG(1, 0, 0) | TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_send(s, &m), -ErrTimeout); /* allowed; nobody receives */
	m = (MuMsg){ TAG(1, 0, 0) | TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_call(r, &m), -ErrPerm);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(s, &m), -ErrPerm);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(r, &m), -ErrTimeout);
	/* items need RGrant */
	mu_ipcbuf()->item[0] = (MuItem){ ItemHandle, n, RAll };
	m = (MuMsg){ TAG(1, 0, 1) | TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_send(s, &m), -ErrPerm);
	m = (MuMsg){ TAG(1, 0, 1) | TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_send(ep, &m), -ErrTimeout);
	/* notifications: RSend to signal, RRecv to wait */
	CHECK((ns = mu_dup(n, RSend)) > 0);
	CHECK((nr = mu_dup(n, RRecv)) > 0);
	CHECKEQ(mu_wait(ns, TAG_POLL), -ErrPerm);
	CHECKEQ(mu_signal(nr, 1), -ErrPerm);
	CHECKEQ(mu_signal(ns, 1), 0);
	CHECKEQ(mu_wait(nr, TAG_POLL), 1);
	CHECKEQ(mu_dup(ns, RAll), -ErrPerm); /* no RDup */
	/* memory: map no more than the handle allows */
	CHECK((mr = mu_dup(mem, RRead | RDup)) > 0);
	CHECKEQ(mu_map(mu_task, mr, 0, 0x500000000000ul, 1, RRead | RWrite), -ErrPerm);
	CHECKEQ(mu_map(mu_task, mr, 0, 0x500000000000ul, 1, RRead | RExec), -ErrPerm);
	CHECKEQ(mu_map(mu_task, mem, 0, 0x500000000000ul, 1, RWrite), -ErrPerm); /* no RRead */
	CHECKEQ(mu_map(mu_task, mr, 0, 0x500000000000ul, 1, RRead), 0);
	CHECKEQ(mu_unmap(mu_task, 0x500000000000ul, 1), 0);
	CHECKEQ(mu_meminfo(mr, 0), -ErrPerm);
	/* a pool without RCtl gives nothing */
	CHECK((p = mu_dup(mu_pool, RRead | RDup)) > 0);
	CHECKEQ(mu_memalloc(p, 1, 0), -ErrPerm);
	CHECKEQ(mu_objcreate(p, ObjEndpoint), -ErrPerm);
	CHECKEQ(mu_poolcreate(p, 1), -ErrPerm);
	CHECKEQ(mu_threadcreate(p, mu_task), -ErrPerm);
	/* a task without RCtl cannot be changed or killed */
	CHECK((t = mu_objcreate(mu_pool, ObjTask)) > 0);
	CHECK((tk = mu_dup(t, RSend | RRecv | RDup)) > 0);
	CHECKEQ(mu_taskkill(tk), -ErrPerm);
	CHECKEQ(mu_map(tk, mem, 0, 0x500000000000ul, 1, RRead), -ErrPerm);
	CHECKEQ(mu_threadcreate(mu_pool, tk), -ErrPerm);
	CHECKEQ(mu_handlegive(tk, n, RAll, 0), -ErrPerm);
	CHECKEQ(mu_taskset(tk, TaskDeathNtf, n, 1), -ErrPerm);
	CHECKEQ(mu_handleinfo(t) & DEAD, 0);
	/* a thread without RCtl cannot be configured */
	CHECK((th = mu_threadcreate(mu_pool, t)) > 0);
	CHECK((thd = mu_dup(th, RDup)) > 0);
	CHECKEQ(mu_threadset(thd, ThrPriority, 1, 0), -ErrPerm);
	CHECKEQ(mu_threadstart(thd, 0x400000, 0x7fff00000000ul, 0), -ErrPerm);
	CHECKEQ(mu_threadset(th, ThrPriority, 1, 0), 0);
	CHECKEQ(mu_taskkill(t), 0);
	CHECKEQ(mu_threadset(th, ThrPriority, 1, 0), -ErrGone);
	long h[] = { r, s, ns, nr, mr, p, t, tk, th, thd, ep, n, mem };
	for (size_t i = 0; i < nelem(h); i++)
		CHECKEQ(mu_close(h[i]), 0);
	CHECKEQ(kobj(0), all0);
}

/* A thread of a new task cannot take a pager it may not send to. */
static void t_rights_pager(void)
{
	long ep = newep(), r, th;

	CHECK(ep > 0);
	CHECK((r = mu_dup(ep, RRecv)) > 0);
	CHECK((th = mu_threadcreate(mu_pool, mu_task)) > 0);
	CHECKEQ(mu_threadset(th, ThrPager, r, 0), -ErrPerm);
	CHECKEQ(mu_threadset(th, ThrExcHandler, r, 0), -ErrPerm);
	CHECKEQ(mu_threadset(th, ThrPager, ep, 0), 0);
	CHECKEQ(mu_threadset(th, ThrPager, 0, 0), 0);
	mu_close(th);
	mu_close(r);
	mu_close(ep);
}

/* Handles given into a child task ("hgive" role, t_mem.c). */
static long askchild(long ep, long op, long h, long bits, MuMsg *m)
{
	*m = (MuMsg){ TAG_WITHMS(TAG(op, 2, 0), 3000), 0, { h, bits } };
	return mu_call(ep, m);
}

static void t_give(void)
{
	settle();
	long all0 = kobj(0), ep = newep(), n = newntf(), t, hn, n2, d, hm, nd, td;
	MuMsg m;

	CHECK(ep > 0 && n > 0);
	CHECK((t = child("hgive", ep)) > 0);
	/* a copy with fewer rights */
	CHECK((hn = mu_handlegive(t, n, RSend, 0)) > 1);
	CHECKEQ(mu_handleinfo(n), INFO(ObjNotification, RAll));
	CHECKEQ(askchild(ep, 1, hn, 8, &m), 0);
	CHECKEQ(m.mr[0], INFO(ObjNotification, RSend));
	CHECKEQ(m.mr[1], 0); /* the child's signal */
	CHECKEQ(m.mr[2], -ErrPerm); /* nor copy it */
	CHECKEQ(mu_wait(n, TAG_WITHMS(0, 1000)), 8);
	/* moved: gone from here */
	CHECK((n2 = newntf()) > 0);
	CHECK((d = mu_dup(n2, RAll)) > 0);
	CHECK((hm = mu_handlegive(t, d, RAll, 1)) > 1);
	CHECK(hm != hn);
	CHECKEQ(mu_handleinfo(d), -ErrBadHandle);
	CHECKEQ(askchild(ep, 1, hm, 2, &m), 0);
	CHECKEQ(m.mr[0], INFO(ObjNotification, RAll));
	CHECK((long)m.mr[2] > 1);
	CHECKEQ(mu_wait(n2, TAG_WITHMS(0, 1000)), 2);
	/* the rights the giver needs: RDup on the handle, RCtl on the task */
	CHECK((nd = mu_dup(n, RSend)) > 0);
	CHECKEQ(mu_handlegive(t, nd, RAll, 0), -ErrPerm);
	CHECK((td = mu_dup(t, RDup)) > 0);
	CHECKEQ(mu_handlegive(td, n, RAll, 0), -ErrPerm);
	CHECKEQ(askchild(ep, 2, 0, 0, &m), 0); /* quit */
	CHECKEQ(waitdead(t, 5000), 0);
	CHECKEQ(mu_handlegive(t, n, RAll, 0), -ErrGone);
	/* into a task we made */
	long k = mu_objcreate(mu_pool, ObjTask), ep2 = newep(), nep = kobj(ObjEndpoint);
	CHECK(k > 0 && ep2 > 0);
	CHECKEQ(mu_handlegive(k, ep2, RAll, 1), 2); /* the first free slot after HSelfTask */
	CHECKEQ(kobj(ObjEndpoint), nep);            /* k holds it now */
	CHECKEQ(mu_taskkill(k), 0);
	CHECKEQ(kobj(ObjEndpoint), nep - 1);
	mu_close(k);
	mu_close(td);
	mu_close(nd);
	mu_close(n2);
	mu_close(t);
	mu_close(n);
	mu_close(ep);
	for (int i = 0; i < 1000 && kobj(0) != all0; i++)
		mu_sleep(10); /* the root forgets the child */
	CHECKEQ(kobj(0), all0);
}

/* Fill the handle table, see calls that need a slot fail cleanly, empty it. */
static void t_exhaust(void)
{
	settle();
	static long hs[MuMaxHandles];
	long all0 = kobj(0), ep = newep(), free0, h = 0, e1, e2, e3, e4, k1, free1, hb, rmem;
	int n = 0;

	CHECK(ep > 0);
	mu_sleep(1);
	/* warm up what a failed memalloc touches */
	CHECK((rmem = mu_memalloc(mu_pool, 4, 0)) > 0);
	mu_close(rmem);
	free0 = mu_info(InfoFreePages, 0);
	while (n < MuMaxHandles && (h = mu_dup(ep, RAll)) > 0)
		hs[n++] = h;
	e1 = newep();
	e2 = mu_memalloc(mu_pool, 4, 0);
	e3 = mu_poolcreate(mu_pool, 1);
	e4 = mu_threadcreate(mu_pool, mu_task);
	k1 = kobj(0);
	free1 = mu_info(InfoFreePages, 0);
	hb = mu_handlegive(mu_task, ep, RAll, 0);
	for (int i = 0; i < n; i++)
		if (mu_close(hs[i]) != 0) {
			tfail(__FILE__, __LINE__, "close %ld", hs[i]);
			return;
		}
	CHECKEQ(h, -ErrNoSpace);
	CHECK(n > 900 && n < MuMaxHandles);
	CHECKEQ(e1, -ErrNoSpace);
	CHECKEQ(e2, -ErrNoSpace);
	CHECKEQ(e3, -ErrNoSpace);
	CHECKEQ(e4, -ErrNoSpace);
	CHECKEQ(hb, -ErrNoSpace);
	CHECKEQ(k1, all0 + 1); /* failed creations left no object */
	CHECKEQ(free1, free0); /* nor memory */
	CHECK((h = mu_dup(ep, RAll)) > 0);
	mu_close(h);
	mu_close(ep);
	CHECKEQ(kobj(0), all0);
}

/*
 * Pools: caps in pages, charged for memory and kernel objects; a pool's
 * use counts in every pool above it, and each cap holds.
 */
static void t_pool(void)
{
	settle();
	long all0 = kobj(0), base = mu_info(InfoPoolFree, mu_pool), p, q, big, m1, m3, m4, e, i;
	long eps[600];
	int neps = 0;

	CHECK(base > 100);
	CHECK((p = mu_poolcreate(mu_pool, 8)) > 0);
	CHECKEQ(mu_handleinfo(p), mu_handleinfo(mu_pool)); /* the parent handle's rights */
	CHECKEQ(mu_info(InfoPoolFree, p), 8);
	e = mu_info(InfoPoolFree, mu_pool);
	CHECK(e == base || e == base - 1); /* only the Pool object: a cap reserves nothing */
	CHECK((m1 = mu_memalloc(p, 4, 0)) > 0);
	CHECKEQ(mu_info(InfoPoolFree, p), 3); /* 4 pages and the Memory object */
	e = mu_info(InfoPoolFree, mu_pool);
	CHECK(e <= base - 4 && e >= base - 6); /* and the same above */
	CHECKEQ(mu_memalloc(p, 4, 0), -ErrNoMem);
	CHECK((m3 = mu_memalloc(p, 3, 0)) > 0);
	CHECKEQ(mu_info(InfoPoolFree, p), 0);
	CHECKEQ(mu_memalloc(p, 1, 0), -ErrNoMem);
	/* kernel objects are charged too: the last bytes run out */
	for (i = 0; i < (long)nelem(eps); i++) {
		if ((e = mu_objcreate(p, ObjEndpoint)) < 0)
			break;
		eps[neps++] = e;
	}
	CHECKEQ(e, -ErrNoMem);
	CHECK(neps > 10);
	CHECKEQ(mu_objcreate(p, ObjNotification), -ErrNoMem);
	CHECKEQ(mu_objcreate(p, ObjTask), -ErrNoMem);
	CHECKEQ(mu_poolcreate(p, 1), -ErrNoMem);
	for (i = 0; i < neps; i++)
		mu_close(eps[i]);
	CHECKEQ(mu_info(InfoPoolFree, p), 0);
	mu_close(m3);
	CHECKEQ(mu_info(InfoPoolFree, p), 3);
	/* a pool inside a pool: capped by both */
	CHECK((q = mu_poolcreate(p, 6)) > 0);
	CHECKEQ(mu_info(InfoPoolFree, q), 6);
	CHECKEQ(mu_memalloc(q, 4, 0), -ErrNoMem); /* fits q, not p */
	CHECK((m4 = mu_memalloc(q, 3, 0)) > 0);
	CHECKEQ(mu_info(InfoPoolFree, q), 2);
	CHECKEQ(mu_info(InfoPoolFree, p), 0);
	/* and a smaller cap below holds too */
	long q2 = mu_poolcreate(mu_pool, 1);
	CHECK(q2 > 0);
	CHECKEQ(mu_memalloc(q2, 1, 0), -ErrNoMem);
	mu_close(q2);
	/* objects keep their pool after its handles are closed */
	mu_close(q);
	mu_close(p);
	CHECKEQ(mu_meminfo(m4, ~0ul), 3);
	CHECKEQ(mu_map(mu_task, m4, 0, 0x500000000000ul, 1, RRead | RWrite), 0);
	*(volatile long *)0x500000000000ul = 5;
	CHECKEQ(mu_unmap(mu_task, 0x500000000000ul, 1), 0);
	mu_close(m4);
	CHECK(mu_info(InfoPoolFree, mu_pool) < base - 3);
	mu_close(m1);
	CHECKEQ(mu_info(InfoPoolFree, mu_pool), base);
	/* a cap above the parent's does not lift the parent's */
	CHECK((big = mu_poolcreate(mu_pool, 1l << 30)) > 0);
	CHECKEQ(mu_memalloc(big, base + 1, 0), -ErrNoMem);
	CHECKEQ(mu_memalloc(mu_pool, base + 1, 0), -ErrNoMem);
	mu_close(big);
	/* bad sizes */
	CHECKEQ(mu_poolcreate(mu_pool, 0), -ErrInval);
	CHECKEQ(mu_poolcreate(mu_pool, (1l << 30) + 1), -ErrInval);
	CHECKEQ(mu_poolcreate(mu_pool, -1), -ErrInval);
	CHECKEQ(mu_info(InfoPoolFree, mu_pool), base);
	CHECKEQ(kobj(0), all0);
}

const Test handle_tests[] = {
	{ t_close, "handle.close" },
	{ t_dup, "handle.dup" },
	{ t_dead, "handle.dead" },
	{ t_mint, "handle.mint" },
	{ t_bad, "handle.bad" },
	{ t_type, "handle.type" },
	{ t_rights, "handle.rights" },
	{ t_rights_pager, "handle.rights.pager" },
	{ t_give, "handle.give" },
	{ t_exhaust, "handle.exhaust" },
	{ t_pool, "handle.pool" },
	{ NULL, NULL },
};
