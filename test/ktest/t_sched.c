/* SPDX-License-Identifier: MIT */
/*
 * Scheduling and notification tests: threads pinned to each cpu and moved
 * between them, strict priorities and the priority limit, yield, round
 * robin between busy threads, FPU registers kept per thread, sleeping and
 * timeouts; notifications (signal, wait, poll, several waiters, timeouts)
 * and a notification bound to a thread that receives on an endpoint.
 */
#include "ktest.h"

#define MS 1000000l

static long kobj(int type) { return mu_info(InfoKObjects, type); }
static long ncpus(void) { return mu_info(InfoNCpu, 0); }
static long mycpu(void) { return mu_info(InfoCpu, 0); }

/* A small-stacked thread; prio or cpu < 0: the default. */
static long thread(void (*fn)(void *), void *arg, int prio, int cpu)
{
	return mu_thread_create(fn, arg, 16384, prio, cpu);
}

/* Wait (bounded) for all of `want` on ntf; returns the bits seen. */
static long waitall(long ntf, long want, long ms)
{
	long bits = 0, end = mu_time() + ms * MS, b;

	while ((bits & want) != want && mu_time() < end) {
		b = mu_wait(ntf, TAG_WITHMS(0, (end - mu_time()) / MS + 1));
		if (b > 0)
			bits |= b;
	}
	return bits;
}

/* Wait (bounded) until the number of live threads is n again. */
static long threadsback(long n)
{
	for (int i = 0; i < 2000 && kobj(ObjThread) != n; i++)
		mu_sleep(5);
	return kobj(ObjThread);
}

static long ntf_done, fpuwake;

/* ---- cpus ---- */

static volatile long oncpu[8];

static void reportcpu(void *arg)
{
	long i = (long)arg;

	oncpu[i] = mycpu();
	mu_signal(ntf_done, 1l << i);
}

/* Moves itself to every cpu in turn and back to 0. */
static volatile long moved[9];

static void mover(void *arg)
{
	long n = (long)arg, i;

	for (i = 0; i < n; i++) {
		if (mu_threadset(mu_tls()->thread, ThrCpu, (n - 1 - i), 0) < 0)
			break;
		moved[i] = mycpu();
	}
	mu_signal(ntf_done, 1 << 8);
}

static void t_cpus(void)
{
	long n = ncpus(), nth = kobj(ObjThread), th[8], want = 0, bits, i;

	CHECK(n >= 1 && n <= 16);
	CHECKEQ(n, mu_info(InfoNCpu, 0));
	CHECK(mycpu() >= 0 && mycpu() < n);
	CHECK((ntf_done = newntf()) > 0);
	if (n > 8)
		n = 8;
	for (i = 0; i < n; i++) {
		oncpu[i] = -1;
		CHECK((th[i] = thread(reportcpu, (void *)i, -1, i)) > 0);
		want |= 1l << i;
	}
	bits = waitall(ntf_done, want, 3000);
	CHECKEQ(bits, want);
	for (i = 0; i < n; i++) {
		CHECKEQ(oncpu[i], i);
		mu_close(th[i]);
	}
	/* a thread moves itself */
	for (i = 0; i < 9; i++)
		moved[i] = -1;
	CHECK((th[0] = thread(mover, (void *)n, -1, 0)) > 0);
	CHECKEQ(waitall(ntf_done, 1 << 8, 3000), 1 << 8);
	for (i = 0; i < n; i++)
		CHECKEQ(moved[i], n - 1 - i);
	mu_close(th[0]);
	/* and no cpu beyond the last */
	CHECK((th[0] = mu_threadcreate(mu_pool, mu_task)) > 0);
	CHECKEQ(mu_threadset(th[0], ThrCpu, ncpus(), 0), -ErrInval);
	CHECKEQ(mu_threadset(th[0], ThrCpu, -1, 0), -ErrInval);
	CHECKEQ(mu_threadset(th[0], ThrCpu, 0, 0), 0);
	mu_close(th[0]);
	mu_close(ntf_done);
	CHECKEQ(threadsback(nth), nth);
}

/* ---- priorities ---- */

static volatile long order[4], norder;
static volatile long counter, stop;

static void logrun(void *arg)
{
	order[__atomic_fetch_add(&norder, 1, __ATOMIC_SEQ_CST)] = (long)arg;
	mu_signal(ntf_done, 1l << (long)arg);
}

static void count(void *arg)
{
	while (!stop)
		counter++;
	mu_signal(ntf_done, 1l << (long)arg);
}

/* Our own priority: the highest a new thread may be given. */
static long ourprio(void)
{
	long th = mu_threadcreate(mu_pool, mu_task), p;

	if (th < 0)
		return th;
	for (p = MuMaxPrio - 1; p >= 0; p--)
		if (mu_threadset(th, ThrPriority, p, 0) == 0)
			break;
	mu_close(th);
	return p;
}

static void t_prio(void)
{
	long me = mycpu(), prio = ourprio(), nth = kobj(ObjThread), lo, hi, t0, c;

	CHECK(prio >= 3);
	CHECK((ntf_done = newntf()) > 0);
	/* neither runs while we do; then the higher one first */
	norder = 0;
	CHECK((lo = thread(logrun, (void *)1, prio - 2, me)) > 0);
	CHECK((hi = thread(logrun, (void *)2, prio - 1, me)) > 0);
	CHECKEQ(norder, 0);
	CHECKEQ(waitall(ntf_done, 6, 3000), 6);
	CHECKEQ(norder, 2);
	CHECKEQ(order[0], 2);
	CHECKEQ(order[1], 1);
	mu_close(lo);
	mu_close(hi);
	/* a lower thread on our cpu gets nothing while we are busy */
	counter = stop = 0;
	CHECK((lo = thread(count, (void *)3, prio - 1, me)) > 0);
	for (t0 = mu_time(); mu_time() - t0 < 50 * MS;)
		;
	c = counter;
	mu_sleep(20);
	stop = 1;
	CHECKEQ(waitall(ntf_done, 8, 3000), 8);
	CHECKEQ(c, 0);
	CHECK(counter > 0);
	mu_close(lo);
	mu_close(ntf_done);
	CHECKEQ(threadsback(nth), nth);
}

static void t_prio_limit(void)
{
	long th = mu_threadcreate(mu_pool, mu_task), prio = ourprio();

	CHECK(th > 0);
	CHECK(prio > 0 && prio < MuMaxPrio);
	CHECKEQ(mu_threadset(th, ThrPriority, prio + 1, 0), -ErrInval);
	CHECKEQ(mu_threadset(th, ThrPriority, MuMaxPrio, 0), -ErrInval);
	CHECKEQ(mu_threadset(th, ThrPriority, -1, 0), -ErrInval);
	CHECKEQ(mu_threadset(th, ThrPriority, prio, 0), 0);
	CHECKEQ(mu_threadset(th, ThrPriority, 0, 0), 0);
	CHECKEQ(mu_thread_create(logrun, NULL, 16384, prio + 1, -1), -ErrInval);
	mu_close(th);
}

/* ---- yield, round robin, FPU ---- */

static volatile long turn, turns[2], nyield[2], started;

/*
 * Two threads on one cpu take turns by yielding; each keeps its own value
 * in xmm15 across the switches.  A yield that lets the other thread run
 * makes one turn cost about one yield; without it a thread would yield
 * on and on until its time slice ended.
 */
static void taketurns(void *arg)
{
	long me = (long)arg, v = 0x1111111111111111l * (me + 1), got;

	__asm__ volatile("movq %0, %%xmm15" ::"r"(v));
	__atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
	for (long n = 0; started < 2 && n < 10000000; n++)
		mu_yield();
	for (int i = 0; i < 50; i++) {
		while (turn != me) {
			mu_yield();
			if (++nyield[me] > 1000000) {
				turns[me] = -1;
				goto out;
			}
		}
		__asm__ volatile("movq %%xmm15, %0" : "=r"(got));
		if (got != v) {
			turns[me] = -2;
			goto out;
		}
		turns[me]++;
		turn = 1 - me;
	}
out:
	mu_signal(ntf_done, 1l << me);
}

static void t_yield(void)
{
	long cpu = ncpus() - 1, nth = kobj(ObjThread), a, b;

	CHECKEQ(mu_yield(), 0);
	CHECK((ntf_done = newntf()) > 0);
	turn = 0;
	turns[0] = turns[1] = nyield[0] = nyield[1] = started = 0;
	CHECK((a = thread(taketurns, (void *)0, -1, cpu)) > 0);
	CHECK((b = thread(taketurns, (void *)1, -1, cpu)) > 0);
	CHECKEQ(waitall(ntf_done, 3, 10000), 3);
	CHECKEQ(turns[0], 50);
	CHECKEQ(turns[1], 50);
	CHECK(nyield[0] + nyield[1] < 5000); /* time slices: far more */
	mu_close(a);
	mu_close(b);
	mu_close(ntf_done);
	CHECKEQ(threadsback(nth), nth);
}

static volatile long spins[2];

static void spin(void *arg)
{
	long me = (long)arg;

	while (!stop)
		spins[me]++;
	mu_signal(ntf_done, 1l << me);
}

/* Wait (up to 3 s) until both spinners got past s0 and s1. */
static int bothpast(long s0, long s1)
{
	for (int i = 0; i < 300; i++) {
		if (spins[0] > s0 && spins[1] > s1)
			return 1;
		mu_sleep(10);
	}
	return 0;
}

/* Two busy threads of equal priority on one cpu both make progress, again
 * and again: the timer takes the cpu from one and gives it to the other. */
static void t_preempt(void)
{
	long n = ncpus(), me = mycpu(), cpu = n > 1 ? (me + 1) % n : me, prio = ourprio();
	long nth = kobj(ObjThread), a, b, ok = 1;

	CHECK((ntf_done = newntf()) > 0);
	stop = 0;
	spins[0] = spins[1] = 0;
	/* below us, so that we get the cpu back even if it is theirs */
	CHECK((a = thread(spin, (void *)0, prio - 1, cpu)) > 0);
	CHECK((b = thread(spin, (void *)1, prio - 1, cpu)) > 0);
	for (int i = 0; i < 3 && ok; i++) {
		ok = bothpast(spins[0], spins[1]);
		mu_sleep(30);
	}
	stop = 1;
	CHECKEQ(waitall(ntf_done, 3, 3000), 3);
	CHECK(ok);
	mu_close(a);
	mu_close(b);
	mu_close(ntf_done);
	CHECKEQ(threadsback(nth), nth);
}

/*
 * FPU registers across blocking: the thread's cpu goes idle while it
 * sleeps (and it moves to another cpu), yet its registers come back.  A
 * thread's first FPU use sees a clean state, not the registers another
 * thread left behind.
 */
static volatile long fpubad, fpugot, fpuseen;

static long getx(void)
{
	long v;

	__asm__ volatile("movq %%xmm15, %0" : "=r"(v));
	return v;
}

static void setx(long v) { __asm__ volatile("movq %0, %%xmm15" ::"r"(v)); }

static void fpusleeper(void *arg)
{
	long cpu = (long)arg, v = 0x5ec7e75ec7e70000l;

	setx(v);
	mu_signal(ntf_done, 1);
	mu_wait(fpuwake, TAG_WITHMS(0, 3000));
	for (int i = 1; i < 4 && !fpubad; i++) {
		setx(v + i);
		mu_sleep(10);
		if ((fpugot = getx()) != v + i)
			fpubad = i;
	}
	for (long c = 0; c < ncpus() && !fpubad; c++) {
		setx(v + 10 + c);
		mu_threadset(mu_tls()->thread, ThrCpu, (cpu + 1 + c) % ncpus(), 0);
		mu_sleep(5);
		if ((fpugot = getx()) != v + 10 + c)
			fpubad = 10 + c;
	}
	mu_signal(ntf_done, 2);
}

static void fpufresh(void *arg)
{
	fpuseen = getx();
	mu_signal(ntf_done, 4);
}

static void t_fpu(void)
{
	long n = ncpus(), cpu = n > 1 ? (mycpu() + 1) % n : mycpu(), nth = kobj(ObjThread), a, b;

	CHECK((ntf_done = newntf()) > 0 && (fpuwake = newntf()) > 0);
	fpubad = 0;
	fpuseen = -1;
	CHECK((a = thread(fpusleeper, (void *)cpu, -1, cpu)) > 0);
	CHECKEQ(waitall(ntf_done, 1, 3000), 1);
	/* while it waits, a new thread on its cpu looks at the registers */
	mu_sleep(10);
	CHECK((b = thread(fpufresh, NULL, -1, cpu)) > 0);
	CHECKEQ(waitall(ntf_done, 4, 3000), 4);
	mu_signal(fpuwake, 1);
	CHECKEQ(waitall(ntf_done, 2, 3000), 2);
	mu_close(a);
	mu_close(b);
	mu_close(fpuwake);
	mu_close(ntf_done);
	CHECKEQ(threadsback(nth), nth);
	if (fpubad)
		tfail(__FILE__, __LINE__, "registers lost at step %ld: xmm15 %#lx", fpubad, fpugot);
	else
		CHECKEQ(fpuseen, 0);
}

/* ---- time ---- */

static void t_sleep(void)
{
	long t0, dt, n;

	t0 = mu_time();
	CHECK(t0 > 0);
	mu_sleep(20);
	dt = mu_time() - t0;
	CHECK(dt >= 20 * MS);
	CHECK(dt < 10000 * MS); /* only: not forever (busy hosts stretch time) */
	CHECK((n = newntf()) > 0);
	t0 = mu_time();
	CHECKEQ(mu_wait(n, TAG_WITHMS(0, 30)), -ErrTimeout);
	dt = mu_time() - t0;
	CHECK(dt >= 30 * MS);
	CHECK(dt < 10000 * MS); /* only: not forever (busy hosts stretch time) */
	/* a zero timeout is a poll */
	t0 = mu_time();
	CHECKEQ(mu_wait(n, TAG_WITHMS(0, 0)), -ErrTimeout);
	CHECK(mu_time() - t0 < 10000 * MS);
	/* time only goes forward */
	for (int i = 0; i < 1000; i++) {
		long t = mu_time();
		CHECK(t >= t0);
		t0 = t;
	}
	mu_close(n);
}

/* ---- notifications ---- */

static void t_ntf(void)
{
	long n = newntf(), t0;

	CHECK(n > 0);
	CHECKEQ(mu_wait(n, TAG_POLL), 0);
	/* signal never blocks, bits accumulate */
	t0 = mu_time();
	for (int i = 0; i < 1000; i++)
		CHECKEQ(mu_signal(n, 1l << (i % 40)), 0);
	CHECK(mu_time() - t0 < 10000 * MS);
	CHECKEQ(mu_wait(n, TAG_POLL), (1l << 40) - 1);
	CHECKEQ(mu_wait(n, TAG_POLL), 0);
	/* wait takes and clears */
	CHECKEQ(mu_signal(n, 5), 0);
	CHECKEQ(mu_wait(n, 0), 5);
	CHECKEQ(mu_wait(n, TAG_POLL), 0);
	CHECKEQ(mu_signal(n, 0), 0); /* no bits: nothing */
	CHECKEQ(mu_wait(n, TAG_POLL), 0);
	CHECKEQ(mu_signal(n, 1ul << 62), 0);
	CHECKEQ(mu_wait(n, TAG_WITHMS(0, 10)), 1l << 62);
	CHECKEQ(mu_signal(n, 1ul << 63), -ErrInval);
	CHECKEQ(mu_wait(n, TAG_POLL), 0);
	mu_close(n);
}

/* Several waiters: each signal wakes one, with what it signalled. */
enum { NWaiter = 4 };
static volatile long woke[NWaiter], nwoke;
static long wntf;

static void waiter(void *arg)
{
	long i = (long)arg;

	mu_signal(ntf_done, 1l << i);
	woke[i] = mu_wait(wntf, TAG_WITHMS(0, 5000));
	__atomic_fetch_add(&nwoke, 1, __ATOMIC_SEQ_CST);
	mu_signal(ntf_done, 1l << (i + 16));
}

static void t_waiters(void)
{
	long nth = kobj(ObjThread), th[NWaiter], all = 0, want = 0, i;

	CHECK((ntf_done = newntf()) > 0 && (wntf = newntf()) > 0);
	nwoke = 0;
	for (i = 0; i < NWaiter; i++) {
		woke[i] = 0;
		CHECK((th[i] = thread(waiter, (void *)i, -1, i % ncpus())) > 0);
		want |= 1l << i;
	}
	CHECKEQ(waitall(ntf_done, want, 3000), want);
	mu_sleep(20);
	CHECKEQ(nwoke, 0);
	/* each signal wakes one waiter, and only one */
	for (i = 0; i < NWaiter; i++) {
		CHECKEQ(mu_signal(wntf, 1l << (8 + i)), 0);
		for (int j = 0; j < 300 && nwoke < i + 1; j++)
			mu_sleep(10);
		mu_sleep(10);
		CHECKEQ(nwoke, i + 1);
	}
	CHECKEQ(waitall(ntf_done, want << 16, 3000), want << 16);
	for (i = 0; i < NWaiter; i++) {
		CHECK(woke[i] > 0);
		CHECKEQ(woke[i] & (woke[i] - 1), 0); /* one signal each */
		all |= woke[i];
		mu_close(th[i]);
	}
	CHECKEQ(all, want << 8);
	CHECKEQ(mu_wait(wntf, TAG_POLL), 0);
	mu_close(wntf);
	mu_close(ntf_done);
	CHECKEQ(threadsback(nth), nth);
}

/* A waiter whose notification goes away wakes with -ErrGone. */
static volatile long gone;

static void gonewaiter(void *arg)
{
	gone = mu_wait((long)arg, TAG_WITHMS(0, 5000));
	mu_signal(ntf_done, 1);
}

static void t_ntf_gone(void)
{
	long nth = kobj(ObjThread), n, th;

	CHECK((ntf_done = newntf()) > 0 && (n = newntf()) > 0);
	gone = 1;
	CHECK((th = thread(gonewaiter, (void *)n, -1, -1)) > 0);
	mu_sleep(20);
	CHECKEQ(gone, 1);
	mu_close(n);
	CHECKEQ(waitall(ntf_done, 1, 3000), 1);
	CHECKEQ(gone, -ErrGone);
	mu_close(th);
	mu_close(ntf_done);
	CHECKEQ(threadsback(nth), nth);
}

/*
 * A notification bound to a thread reaches it while it receives on an
 * endpoint: label TAG_NOTIFY, the bits as badge, before waiting requests.
 */
typedef struct Caller {
	long ep;
	long ret;
	MuMsg m;
} Caller;

static void caller(void *arg)
{
	Caller *c = arg;

	c->m = (MuMsg){ TAG_WITHMS(TAG(5, 1, 0), 3000), 0, { 55 } };
	c->ret = mu_call(c->ep, &c->m);
	mu_signal(ntf_done, 1);
}

static void signaller(void *arg)
{
	mu_sleep(20);
	mu_signal((long)arg, 0x30);
}

static void bound(long ep, long n, long n2, Caller *c)
{
	MuMsg m;
	long th;

	/* bits waiting and a caller waiting: the bits come first */
	CHECK((th = thread(caller, c, -1, -1)) > 0);
	mu_close(th);
	mu_sleep(20);
	CHECKEQ(mu_signal(n, 6), 0);
	m.tag = TAG_WITHMS(0, 1000);
	CHECKEQ(mu_recv(ep, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), TAG_NOTIFY);
	CHECKEQ(m.badge, 6);
	CHECKEQ(mu_wait(n, TAG_POLL), 0); /* taken */
	m.tag = TAG_WITHMS(0, 1000);
	CHECKEQ(mu_recv(ep, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), 5);
	CHECKEQ(m.mr[0], 55);
	m.tag = TAG(6, 1, 0);
	m.mr[0] = 66;
	CHECKEQ(mu_reply(&m), 0);
	CHECKEQ(waitall(ntf_done, 1, 3000), 1);
	CHECKEQ(c->ret, 0);
	CHECKEQ(TAG_LABEL(c->m.tag), 6);
	CHECKEQ(c->m.mr[0], 66);
	/* a signal while we receive wakes us */
	CHECK((th = thread(signaller, (void *)n, -1, -1)) > 0);
	m.tag = TAG_WITHMS(0, 2000);
	CHECKEQ(mu_recv(ep, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), TAG_NOTIFY);
	CHECKEQ(m.badge, 0x30);
	mu_close(th);
	/* no bits, no sender: a receive times out */
	m.tag = TAG_WITHMS(0, 10);
	CHECKEQ(mu_recv(ep, &m), -ErrTimeout);
	/* one thread per notification */
	CHECKEQ(mu_threadset(mu_thread, ThrBindNtf, n2, 0), 0); /* rebinding replaces */
	CHECKEQ(mu_signal(n, 1), 0);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(ep, &m), -ErrTimeout);
	CHECKEQ(mu_wait(n, TAG_POLL), 1);
	CHECKEQ(mu_signal(n2, 2), 0);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(ep, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), TAG_NOTIFY);
	CHECKEQ(m.badge, 2);
	th = mu_threadcreate(mu_pool, mu_task);
	CHECK(th > 0);
	CHECKEQ(mu_threadset(th, ThrBindNtf, n2, 0), -ErrBusy);
	CHECKEQ(mu_threadset(th, ThrBindNtf, n, 0), 0);
	mu_close(th);
}

static void t_bound(void)
{
	static Caller c;
	long nth = kobj(ObjThread), ep, n, n2;

	CHECK((ntf_done = newntf()) > 0 && (ep = newep()) > 0);
	CHECK((n = newntf()) > 0 && (n2 = newntf()) > 0);
	c.ep = ep;
	CHECKEQ(mu_threadset(mu_thread, ThrBindNtf, n, 0), 0);
	bound(ep, n, n2, &c);
	CHECKEQ(mu_threadset(mu_thread, ThrBindNtf, 0, 0), 0);
	if (tfailed)
		return;
	/* unbound: signals stay in the notification */
	CHECKEQ(mu_signal(n2, 4), 0);
	MuMsg m = { TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_recv(ep, &m), -ErrTimeout);
	CHECKEQ(mu_wait(n2, TAG_POLL), 4);
	CHECKEQ(mu_threadset(mu_thread, ThrBindNtf, ep, 0), -ErrType);
	mu_close(n2);
	mu_close(n);
	mu_close(ep);
	mu_close(ntf_done);
	CHECKEQ(threadsback(nth), nth);
}

const Test sched_tests[] = {
	{ t_cpus, "sched.cpus" },
	{ t_prio, "sched.prio" },
	{ t_prio_limit, "sched.prio.limit" },
	{ t_yield, "sched.yield.fpu" },
	{ t_preempt, "sched.preempt" },
	{ t_fpu, "sched.fpu" },
	{ t_sleep, "sched.sleep" },
	{ t_ntf, "sched.ntf" },
	{ t_waiters, "sched.ntf.waiters" },
	{ t_ntf_gone, "sched.ntf.gone" },
	{ t_bound, "sched.ntf.bound" },
	{ NULL, NULL },
};
