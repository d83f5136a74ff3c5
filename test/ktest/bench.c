/* SPDX-License-Identifier: MIT */
/*
 * Kernel benchmarks (`ktest bench`, run by `make bench`).  Under TCG with
 * -icount shift=0,sleep=off the time stamp counter counts executed guest
 * instructions, so each figure is guest instructions per operation: the
 * median over batches, each batch's rdtsc delta divided by its size.
 * Servers run in their own tasks (address spaces) pinned to the client's
 * cpu unless the figure is about crossing cpus.  Prints
 * `bench: NAME VALUE UNIT` lines.
 */
#include "ktest.h"

enum { Batches = 15, Batch = 200 };

unsigned long median(unsigned long *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			unsigned long t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static void report(const char *name, unsigned long v, const char *unit)
{
	print("bench: %s %lu %s\n", name, v, unit);
}

/* Median cost per operation of op(), in TSC ticks. */
static unsigned long measure(void (*op)(void *), void *arg, int batch)
{
	unsigned long v[Batches];

	for (int b = 0; b < Batches; b++) {
		unsigned long t0 = rdtsc();
		for (int i = 0; i < batch; i++)
			op(arg);
		v[b] = (rdtsc() - t0) / batch;
	}
	return median(v, Batches);
}

static void op_null(void *a)
{
	(void)a;
	mu_null();
}

static void op_loop(void *a)
{
	(void)a;
	__asm__ volatile("" ::: "memory");
}

static void op_call(void *a)
{
	MuMsg m = { TAG(1, 2, 0), 0, { 1, 2 } };
	mu_call((long)a, &m);
}

/* Server roles: answer every call, forever (the task is killed after). */
static int role_server(long ep)
{
	MuMsg m = { 0 };

	mu_threadset(mu_thread, ThrCpu, 0, 0);
	mu_recv(ep, &m);
	for (;;) {
		m.tag = TAG(0, 2, 0);
		mu_replyrecv(ep, &m);
	}
	return 0;
}

static int role_server1(long ep)
{
	MuMsg m = { 0 };

	mu_threadset(mu_thread, ThrCpu, 1, 0);
	mu_recv(ep, &m);
	for (;;) {
		m.tag = TAG(0, 2, 0);
		mu_replyrecv(ep, &m);
	}
	return 0;
}

/* A chain stage: first message carries the next stage's endpoint (or
 * none: the last stage); mr0 = 1 means forward (direct return), 0 call. */
static int role_stage(long ep)
{
	MuIpcBuf *b = mu_ipcbuf();
	MuMsg m = { 0 };
	long next = 0;

	mu_threadset(mu_thread, ThrCpu, 0, 0);
	mu_recv(ep, &m);
	if (TAG_ITEMS(m.tag) && b->item[0].kind == ItemHandle)
		next = b->item[0].a;
	m.tag = 0;
	mu_replyrecv(ep, &m);
	for (;;) {
		if (next == 0) {
			m.tag = TAG(0, 2, 0);
			mu_replyrecv(ep, &m);
		} else if (m.mr[0] == 1) {
			m.tag = TAG_WITHRECV(TAG(0, 2, 0), ep);
			mu_forwardrecv(next, &m);
		} else {
			m.tag = TAG(0, 2, 0);
			mu_call(next, &m);
			m.tag = TAG(0, 2, 0);
			m.mr[0] = 0;
			mu_replyrecv(ep, &m);
		}
	}
	return 0;
}

/* Grant server: takes the page the client grants and grants it back. */
static int role_grant(long ep)
{
	MuIpcBuf *b = mu_ipcbuf();
	MuWord win = (MuWord)mu_pages(1);
	MuMsg m = { 0 };

	mu_pages_free((void *)win, 1);
	b->winbase = win;
	b->winpages = 1;
	mu_threadset(mu_thread, ThrCpu, 0, 0);
	mu_recv(ep, &m);
	for (;;) {
		b->item[0] = (MuItem){ ItemGrant | ITEM_RIGHTS(RRead | RWrite), win, 1 };
		m.tag = TAG(0, 0, 1);
		mu_replyrecv(ep, &m);
	}
	return 0;
}

static long server(const char *role, long *ep)
{
	long t;

	*ep = newep();
	if (*ep < 0 || (t = child(role, *ep)) < 0)
		return -1;
	/* the first call waits until the server is receiving */
	op_call((void *)*ep);
	return t;
}

static void b_syscall(void)
{
	unsigned long loop = measure(op_loop, NULL, 1000);
	unsigned long v = measure(op_null, NULL, 1000);

	report("syscall.null", v > loop ? v - loop : 0, "instructions");
}

static void b_ipc(void)
{
	long ep, t = server("benchsrv", &ep);
	unsigned long k0, s0, k1, s1;

	if (t < 0)
		return;
	report("ipc.roundtrip", measure(op_call, (void *)ep, Batch), "instructions");
	k0 = mu_info(InfoKEntries, 0);
	s0 = mu_info(InfoSwitches, 0);
	for (int i = 0; i < 1000; i++)
		op_call((void *)ep);
	k1 = mu_info(InfoKEntries, 0);
	s1 = mu_info(InfoSwitches, 0);
	/* the two info calls in between add one kernel entry */
	print("bench: ipc.roundtrip.kentries %lu.%02lu per-roundtrip\n", (k1 - k0 - 1) / 1000,
	      (k1 - k0 - 1) % 1000 / 10);
	print("bench: ipc.roundtrip.switches %lu.%02lu per-roundtrip\n", (s1 - s0) / 1000,
	      (s1 - s0) % 1000 / 10);
	mu_taskkill(t);
	mu_close(t);
	mu_close(ep);
}

static long grantpage;

static void op_grant(void *a)
{
	MuIpcBuf *b = mu_ipcbuf();
	MuMsg m = { TAG(1, 0, 1), 0, { 0 } };

	b->item[0] = (MuItem){ ItemGrant | ITEM_RIGHTS(RRead | RWrite), grantpage, 1 };
	mu_call((long)a, &m);
}

static void b_grant(void)
{
	MuIpcBuf *b = mu_ipcbuf();
	long ep, t = server("benchgrant", &ep);

	if (t < 0)
		return;
	grantpage = (long)mu_pages(1);
	b->winbase = grantpage;
	b->winpages = 1;
	report("ipc.grant4k", measure(op_grant, (void *)ep, Batch), "instructions");
	b->winpages = 0;
	mu_taskkill(t);
	mu_close(t);
	mu_close(ep);
}

static long ntfa, ntfb;

static void notifier(void *a)
{
	(void)a;
	for (;;) {
		if (mu_wait(ntfa, 0) < 0)
			return;
		mu_signal(ntfb, 1);
	}
}

static void op_notify(void *a)
{
	(void)a;
	mu_signal(ntfa, 1);
	mu_wait(ntfb, 0);
}

static void b_notify(void)
{
	ntfa = newntf();
	ntfb = newntf();
	mu_thread_create(notifier, NULL, 0, -1, 0);
	op_notify(NULL);
	report("notify.roundtrip", measure(op_notify, NULL, Batch), "instructions");
}

static long chain_ep;

static void op_chain(void *a)
{
	MuMsg m = { TAG(1, 2, 0), 0, { (MuWord)a, 0 } };
	mu_call(chain_ep, &m);
}

/* Three stages in three tasks: client -> S1 -> S2 -> S3. */
static void b_chain(void)
{
	MuIpcBuf *b = mu_ipcbuf();
	long ep[3], t[3];
	int n = 0;

	for (int i = 2; i >= 0; i--, n++) {
		MuMsg m = { TAG(0, 0, i < 2), 0, { 0 } };
		long e;
		if ((ep[i] = newep()) < 0 || (t[i] = child("benchstage", ep[i])) < 0) {
			print("bench: chain: cannot start stage %d\n", i);
			goto out;
		}
		if (i < 2)
			b->item[0] = (MuItem){ ItemHandle, ep[i + 1], RSend | RDup };
		if ((e = mu_call(ep[i], &m)) < 0) { /* setup: tells the stage its successor */
			print("bench: chain: setup of stage %d: %s\n", i, mu_errstr(e));
			n++;
			goto out;
		}
	}
	chain_ep = ep[0];
	op_chain((void *)0);
	op_chain((void *)1);
	report("ipc.chain3.sequential", measure(op_chain, (void *)0, Batch), "instructions");
	report("ipc.chain3.direct", measure(op_chain, (void *)1, Batch), "instructions");
	for (long mode = 0; mode < 2; mode++) {
		unsigned long k0 = mu_info(InfoKEntries, 0), s0 = mu_info(InfoSwitches, 0), k1, s1;
		for (int i = 0; i < 1000; i++)
			op_chain((void *)mode);
		k1 = mu_info(InfoKEntries, 0);
		s1 = mu_info(InfoSwitches, 0);
		print("bench: ipc.chain3.%s.kentries %lu.%02lu per-request\n", mode ? "direct" : "sequential",
		      (k1 - k0 - 1) / 1000, (k1 - k0 - 1) % 1000 / 10);
		print("bench: ipc.chain3.%s.switches %lu.%02lu per-request\n", mode ? "direct" : "sequential",
		      (s1 - s0) / 1000, (s1 - s0) % 1000 / 10);
	}
out:
	for (int i = 3 - n; i < 3; i++) {
		mu_taskkill(t[i]);
		mu_close(t[i]);
		mu_close(ep[i]);
	}
}

/* Median wall ns of a round trip to a server started as `role`. */
static unsigned long wallrt(const char *role)
{
	long ep = newep(), t;
	unsigned long v[Batches];

	if (ep < 0 || (t = child(role, ep)) < 0)
		return 0;
	op_call((void *)ep);
	for (int b = 0; b < Batches; b++) {
		unsigned long t0 = mu_nsec();
		for (int i = 0; i < Batch; i++)
			op_call((void *)ep);
		v[b] = (mu_nsec() - t0) / Batch;
	}
	mu_taskkill(t);
	mu_close(t);
	mu_close(ep);
	return median(v, Batches);
}

/* Wall time under TCG without icount: only the ratio of the two means
 * anything (cross-cpu wakes go through IPIs and a halted cpu). */
static void b_xcpu(void)
{
	unsigned long same = wallrt("benchsrv"), x = wallrt("benchsrv1");

	report("ipc.samecpu.roundtrip.wall", same, "ns");
	report("ipc.xcpu.roundtrip", x, "ns");
}

void bench_all(int wall)
{
	mu_threadset(mu_thread, ThrCpu, 0, 0);
	if (wall) {
		b_xcpu();
		return;
	}
	b_syscall();
	b_ipc();
	b_grant();
	b_notify();
	b_chain();
	bench_ao();
}

const Role bench_roles[] = {
	{ role_server, "benchsrv" },
	{ role_server1, "benchsrv1" },
	{ role_stage, "benchstage" },
	{ role_grant, "benchgrant" },
	{ NULL, NULL },
};
