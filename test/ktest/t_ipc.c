/* SPDX-License-Identifier: MIT */
/*
 * IPC tests: send, receive, call, reply, reply-receive, forward with
 * direct return, saved replies, timeouts, badges, words in the IPC buffer,
 * handle and page transfer, between threads of one task and between tasks,
 * across cpus.
 *
 * Most tests talk to `serve`, a small server driven by the label of each
 * request (enum below); it runs as a thread of the suite task or, for the
 * cross-task versions, as a child task in role "srv".  Each test is a TEST
 * whose resources (handles, threads, children, page windows) are released
 * by done() even when a check fails.  Helper threads record their first
 * failed TCHECK in `bad`, which done() reports.
 */
#include "ktest.h"

/* Receive windows for page items: servers and clients (main thread). */
#define WINSRV 0x500000000000ul
#define WINCLI 0x500000100000ul
enum { WinPages = 4 };

/* ---- per-test resources ---- */

enum { MaxRes = 32, MaxThr = 16, MaxKid = 4, MaxOp = 12, MaxSrv = 4 };
static long res[MaxRes], thr[MaxThr], kids[MaxKid];
static char isserver[MaxThr]; /* thr[i] is a server: it ends in done() */
static int nres, nthr, nkid;
static volatile int bad; /* line of the first failed TCHECK in a helper */

#define TCHECK(c) do { if (!(c)) { if (!bad) bad = __LINE__; return; } } while (0)

/* A handle closed by done(). */
static long keep(long h)
{
	if (h > 0 && nres < MaxRes)
		res[nres++] = h;
	return h;
}

/* Close a kept handle now. */
static long drop(long h)
{
	for (int i = 0; i < nres; i++)
		if (res[i] == h)
			res[i] = res[--nres];
	return mu_close(h);
}

static long ep(void) { return keep(newep()); }

/* A thread that done() waits for. */
static long thread(void (*fn)(void *), void *arg, int cpu)
{
	long th = nthr < MaxThr ? spawnthread(fn, arg, cpu) : -ErrNoSpace;

	if (th > 0) {
		isserver[nthr] = 0;
		thr[nthr++] = th;
	}
	return th;
}

/* A child task in role; done() kills it. */
static long kid(const char *role, long h)
{
	long t = nkid < MaxKid ? child(role, h) : -ErrNoSpace;

	if (t > 0)
		kids[nkid++] = t;
	return t;
}

/* Wait (bounded) until thread th blocks in the kernel (or ends). */
static int waitblocked(long th)
{
	MuRegs r;

	for (int i = 0; i < 2000; i++) {
		long e = mu_threadregs(th, &r, 0);
		if (e == 0 || e == -ErrGone)
			return 0;
		mu_sleep(1);
	}
	return -1;
}

/* Wait until every helper thread but the servers has ended; 0 if they did. */
static int join(unsigned long ms)
{
	int r = 0;

	for (int i = 0; i < nthr; i++)
		if (!isserver[i] && waitdead(thr[i], ms) < 0)
			r = -1;
	return r;
}

/*
 * The elapsed time since t0 (ns) is at least ms, and not absurdly more.
 * Timeouts count timer ticks, mu_time the TSC; under TCG the two differ
 * by a fraction of a percent, so allow 1% and a tick less.  The upper
 * bound only catches a wait that never ends: on a busy host a starved
 * vCPU stretches guest time by seconds.
 */
#define CHECKWAIT(t0, ms) do { long _us = (mu_time() - (t0)) / 1000; \
	if (_us < (ms) * 990L - 1000 || _us > ((ms) + 10000L) * 1000) { \
		tfail(__FILE__, __LINE__, "waited %ld us, want %ld ms", _us, (long)(ms)); return; } } while (0)

/* ---- one IPC operation in a thread of its own ---- */

enum { Pending = 1 }; /* Op.r until the operation returns */

typedef struct Op {
	long sys, h, delay; /* delay: ms to sleep first */
	MuMsg m;
	volatile long r;
} Op;
static Op ops[MaxOp];
static int nop;

static void opfn(void *a)
{
	Op *o = a;

	if (o->delay)
		mu_sleep(o->delay);
	switch (o->sys) {
	case SysSend: o->r = mu_send(o->h, &o->m); break;
	case SysCall: o->r = mu_call(o->h, &o->m); break;
	case SysRecv: o->r = mu_recv(o->h, &o->m); break;
	}
}

/* Start sys(h, tag, mr0) after delay ms; without delay, return once it
 * blocks (or is done).  NULL if the thread cannot start. */
static Op *opat(long delay, long sys, long h, MuWord tag, MuWord mr0)
{
	Op *o;
	long th;

	if (nop >= MaxOp)
		return NULL;
	o = &ops[nop++];
	*o = (Op){ sys, h, delay, { tag, 0, { mr0 } }, Pending };
	if ((th = thread(opfn, o, -1)) < 0)
		return NULL;
	if (!delay && waitblocked(th) < 0)
		return NULL;
	return o;
}

static Op *op(long sys, long h, MuWord tag, MuWord mr0) { return opat(0, sys, h, tag, mr0); }

/* ---- the server ---- */

enum {
	CEcho = 1, /* reply CEcho, every word (all TAG_WORDS) + 1 */
	CBadge,    /* mr0 = the badge, mr1..3 + 1 */
	CHold,     /* no reply: receive the next message */
	CLate,     /* sleep mr0 ms, then reply; the result is kept for CLast */
	CLast,     /* mr0 = result of the last CLate reply */
	CItem,     /* mr0 = kind of item 0, mr1 = its b, mr2 = handle info or
		      first word of the page, mr3 = signal(handle, req mr0);
		      writes req mr0 (if not 0) to the page; closes the handle */
	CPeek,     /* mr0 = word at the window; if mr1, then write mr0 there */
	CGive,     /* reply with a new page holding mr0 as item kind mr1;
		      mr0 = its address here */
	CRegive,   /* reply granting the page at mr0 again */
	CSave,     /* save the reply; no answer yet */
	CAnswer,   /* answer the saved reply with label CSave, mr0, twice:
		      mr0, mr1 = the results */
	CDrop,     /* close the saved reply unanswered: mr0 = result */
	CSetup,    /* item 0: the endpoint to forward or relay to */
	CFwd1,     /* mr1 += 0x10, forward as CFwd, check the reply slot is empty */
	CFwd,      /* mr2 += 0x20, forward-receive as CEcho */
	CRelay1,   /* call on as CRelay, then mr1 += 0x100, reply CRelay1 */
	CRelay,    /* call on as CEcho, then mr2 += 0x200, reply CRelay */
	CCpu,      /* if mr1, move to cpu mr0; mr0 = the cpu it runs on */
	CStat,     /* mr0 = messages so far (this one too), mr1 = failures */
	CQuit,     /* end without replying */
	CExit,     /* reply, then end */
};
enum { ARecv, AReply, AFwd, AQuit, AExit };

typedef struct Srv {
	long ep, fwd, saved, last, n, bad;
} Srv;
static Srv srvs[MaxSrv];
static int nsrv;

static int useitem(Srv *s, MuMsg *m)
{
	MuItem it = mu_ipcbuf()->item[0];
	MuWord *p = (MuWord *)it.a;
	MuWord arg = m->mr[0]; /* bits to signal, or a word to write */

	m->tag = TAG(CItem, 4, 0);
	m->mr[0] = it.kind;
	m->mr[1] = it.b;
	m->mr[2] = m->mr[3] = 0;
	if (it.kind == ItemHandle) {
		m->mr[2] = mu_handleinfo(it.a);
		m->mr[3] = mu_signal(it.a, arg);
		mu_close(it.a);
	} else if (it.kind == ItemMap || it.kind == ItemGrant) {
		m->mr[2] = p[0];
		if (arg)
			p[0] = arg;
	}
	return AReply;
}

/* Call on with label l; the reply comes back with words[w] += add. */
static int relay(Srv *s, MuMsg *m, int l, int w, MuWord add, int replyl)
{
	m->tag = TAG(l, 4, 0);
	if (mu_call(s->fwd, m) < 0)
		s->bad++;
	m->mr[w] += add;
	m->tag = TAG(replyl, 4, 0);
	return AReply;
}

static int serve1(Srv *s, MuMsg *m)
{
	MuIpcBuf *b = mu_ipcbuf();
	MuWord *win = (MuWord *)WINSRV, *p;
	MuMsg x = { 0 };

	s->n++;
	switch (TAG_LABEL(m->tag)) {
	case CEcho:
		for (int i = 0; i < 4; i++)
			m->mr[i]++;
		for (unsigned i = 4; i < TAG_WORDS(m->tag); i++)
			b->mr[i]++;
		m->tag = TAG(CEcho, TAG_WORDS(m->tag), 0);
		return AReply;
	case CBadge:
		m->mr[0] = m->badge;
		m->mr[1]++, m->mr[2]++, m->mr[3]++;
		m->tag = TAG(CBadge, 4, 0);
		return AReply;
	case CHold:
		return ARecv;
	case CLate:
		mu_sleep(m->mr[0]);
		m->tag = TAG(CLate, 0, 0);
		s->last = mu_reply(m);
		return ARecv;
	case CLast:
		m->mr[0] = s->last;
		m->tag = TAG(CLast, 1, 0);
		return AReply;
	case CItem:
		return useitem(s, m);
	case CPeek:
		x.mr[0] = win[0];
		if (m->mr[1])
			win[0] = m->mr[0];
		*m = (MuMsg){ TAG(CPeek, 1, 0), 0, { x.mr[0] } };
		return AReply;
	case CGive:
		if ((p = mu_pages(1)) == NULL) {
			s->bad++;
			return AReply;
		}
		p[0] = m->mr[0];
		b->item[0] = (MuItem){ m->mr[1], (MuWord)p, 1 };
		*m = (MuMsg){ TAG(CGive, 1, 1), 0, { (MuWord)p } };
		return AReply;
	case CRegive:
		b->item[0] = (MuItem){ ItemGrant | ITEM_RIGHTS(RRead | RWrite), m->mr[0], 1 };
		m->tag = TAG(CRegive, 0, 1);
		return AReply;
	case CSave:
		if (s->saved)
			s->bad++;
		s->saved = mu_replysave();
		return ARecv;
	case CAnswer:
		x = (MuMsg){ TAG(CSave, 1, 0), 0, { m->mr[0] } };
		m->mr[0] = mu_replyto(s->saved, &x);
		m->mr[1] = mu_replyto(s->saved, &x);
		s->saved = 0;
		m->tag = TAG(CAnswer, 2, 0);
		return AReply;
	case CDrop:
		m->mr[0] = mu_close(s->saved);
		s->saved = 0;
		m->tag = TAG(CDrop, 1, 0);
		return AReply;
	case CSetup:
		if (s->fwd)
			mu_close(s->fwd);
		s->fwd = b->item[0].kind == ItemHandle ? (long)b->item[0].a : 0;
		*m = (MuMsg){ TAG(CSetup, 1, 0), 0, { b->item[0].kind } };
		return AReply;
	case CFwd1:
		m->mr[1] += 0x10;
		m->tag = TAG(CFwd, 4, 0);
		if (mu_forward(s->fwd, m) < 0 || mu_reply(&x) != -ErrNoReply)
			s->bad++;
		return ARecv;
	case CFwd:
		m->mr[2] += 0x20;
		m->tag = TAG(CEcho, 4, 0);
		return AFwd;
	case CRelay1:
		return relay(s, m, CRelay, 1, 0x100, CRelay1);
	case CRelay:
		return relay(s, m, CEcho, 2, 0x200, CRelay);
	case CCpu:
		if (m->mr[1] && mu_threadset(mu_tls()->thread, ThrCpu, m->mr[0], 0) < 0)
			s->bad++;
		mu_yield();
		*m = (MuMsg){ TAG(CCpu, 1, 0), 0, { mu_info(InfoCpu, 0) } };
		return AReply;
	case CStat:
		*m = (MuMsg){ TAG(CStat, 2, 0), 0, { s->n, s->bad } };
		return AReply;
	case CQuit:
		return AQuit;
	case CExit:
		m->tag = TAG(CExit, 0, 0);
		return AExit;
	}
	s->bad++;
	m->tag = 0;
	return AReply;
}

/* Serve s->ep until it is gone or told to end. */
static void serve(Srv *s)
{
	MuIpcBuf *b = mu_ipcbuf();
	MuMsg m = { 0 };
	int act = ARecv;
	long r = 0;

	b->winbase = WINSRV;
	b->winpages = WinPages;
	for (;;) {
		if (act == AReply) {
			r = mu_replyrecv(s->ep, &m);
		} else if (act == AFwd) {
			m.tag = TAG_WITHRECV(m.tag, s->ep);
			r = mu_forwardrecv(s->fwd, &m);
		} else if (act == AExit) {
			mu_reply(&m);
			break;
		} else if (act == AQuit) {
			break;
		} else {
			m.tag = 0;
			r = mu_recv(s->ep, &m);
		}
		if (r < 0 && act == ARecv)
			break;
		if (r < 0) {
			s->bad++;
			act = ARecv;
			continue;
		}
		act = serve1(s, &m);
	}
	if (s->fwd)
		mu_close(s->fwd);
	if (s->saved)
		mu_close(s->saved);
}

static void srvthread(void *a) { serve(a); }

static int role_srv(long h)
{
	static Srv s;

	s.ep = h;
	serve(&s);
	return 0;
}

/* A server on ep: a thread (task 0) or a child task; on cpu if >= 0.
 * Returns the thread or task handle. */
static long startsrv(int task, long e, int cpu)
{
	MuMsg m = { TAG(CCpu, 2, 0), 0, { cpu, 1 } };
	long h;

	if (!task) {
		if (nsrv >= MaxSrv)
			return -ErrNoSpace;
		srvs[nsrv] = (Srv){ .ep = e };
		if ((h = thread(srvthread, &srvs[nsrv++], cpu)) > 0)
			isserver[nthr - 1] = 1;
		return h;
	}
	if ((h = kid("srv", e)) < 0 || cpu < 0)
		return h;
	if (mu_call(e, &m) < 0 || m.mr[0] != (MuWord)cpu)
		return -ErrInval;
	return h;
}

/* Simple requests to the server. */
static long req(long e, MuWord label, MuWord mr0, MuWord mr1, MuMsg *m)
{
	*m = (MuMsg){ TAG(label, 2, 0), 0, { mr0, mr1 } };
	return mu_call(e, m);
}

/* Send handle h (rights b) as item 0 of a CSetup or CItem request. */
static long sendh(long e, MuWord label, MuWord kind, long h, MuWord b, MuWord mr0, MuMsg *m)
{
	mu_ipcbuf()->item[0] = (MuItem){ kind, h, b };
	*m = (MuMsg){ TAG(label, 2, 1), 0, { mr0 } };
	return mu_call(e, m);
}

/* Fail the test, unless it failed already: then just say more. */
static void note(int line, const char *what)
{
	if (!tfailed)
		tfail(__FILE__, line, "%s", what);
	else
		print("    (and %s:%d: %s)\n", __FILE__, line, what);
}

/* Release everything the test made; report helper failures. */
static void done(void)
{
	MuIpcBuf *b = mu_ipcbuf();

	for (int i = 0; i < nkid; i++) {
		mu_taskkill(kids[i]);
		if (waitdead(kids[i], 5000) < 0)
			note(__LINE__, "a child did not die");
		mu_close(kids[i]);
	}
	for (int i = 0; i < nres; i++)
		mu_close(res[i]);
	for (int i = 0; i < nthr; i++) {
		if (waitdead(thr[i], 10000) < 0)
			note(__LINE__, "a helper thread did not end");
		mu_close(thr[i]);
	}
	if (bad)
		note(bad, "check in a helper thread");
	mu_unmap(mu_task, WINSRV, WinPages);
	mu_unmap(mu_task, WINCLI, WinPages);
	b->winbase = b->winpages = 0;
	nkid = nres = nthr = nop = nsrv = 0;
	bad = 0;
}

#define TEST(name) \
	static void name##_body(void); \
	static void name(void) { name##_body(); done(); } \
	static void name##_body(void)

/* ---- calls to an echo server (the first two tests) ---- */

/* An echo server thread: replies with each word plus one, label + 1. */
static void echo(void *arg)
{
	long e = (long)arg;
	MuMsg m = { 0 };
	long r = mu_recv(e, &m);

	while (r == 0 && TAG_LABEL(m.tag) != 0xdead) {
		m.tag = TAG(TAG_LABEL(m.tag) + 1, 4, 0);
		for (int i = 0; i < 4; i++)
			m.mr[i]++;
		r = mu_replyrecv(e, &m);
	}
	m.tag = 0;
	if (r == 0)
		mu_reply(&m);
}

TEST(t_call_local)
{
	long e = ep();
	MuMsg m = { TAG(7, 4, 0), 0, { 1, 2, 3, 4 } };

	CHECK(e > 0);
	CHECK(thread(echo, (void *)e, -1) > 0);
	CHECKEQ(mu_call(e, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), 8);
	CHECKEQ(m.mr[0], 2);
	CHECKEQ(m.mr[3], 5);
	CHECKEQ(m.badge, 0);
	for (int i = 0; i < 100; i++) {
		m.tag = TAG(i, 4, 0);
		CHECKEQ(mu_call(e, &m), 0);
		CHECKEQ(TAG_LABEL(m.tag), i + 1);
	}
	CHECKEQ(m.mr[0], 102);
	m.tag = TAG(0xdead, 0, 0);
	CHECKEQ(mu_call(e, &m), 0);
	CHECKEQ(join(5000), 0);
}

static int role_echo(long e)
{
	echo((void *)e);
	return 0;
}

TEST(t_call_task)
{
	long e = ep(), t;
	MuMsg m = { TAG(1, 4, 0), 0, { 10, 20, 30, 40 } };

	CHECK(e > 0);
	CHECK((t = kid("echo", e)) > 0);
	CHECKEQ(mu_call(e, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), 2);
	CHECKEQ(m.mr[1], 21);
	m.tag = TAG(0xdead, 0, 0);
	CHECKEQ(mu_call(e, &m), 0);
	CHECKEQ(waitdead(t, 5000), 0);
}

/* ---- send and receive, blocking without a timeout ---- */

TEST(t_send)
{
	long e = ep(), t0;
	MuMsg m = { TAG(5, 2, 0), 0, { 11, 12 } };
	Op *o;

	CHECK(e > 0);
	/* a receiver waits until a send comes */
	CHECK((o = op(SysRecv, e, 0, 0)) != NULL);
	mu_sleep(20);
	CHECKEQ(o->r, Pending);
	CHECKEQ(mu_send(e, &m), 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(o->r, 0);
	CHECKEQ(o->m.tag, TAG(5, 2, 0));
	CHECKEQ(o->m.badge, 0);
	CHECKEQ(o->m.mr[0], 11);
	CHECKEQ(o->m.mr[1], 12);
	/* a sender waits until a receiver comes */
	CHECK((o = op(SysSend, e, TAG(6, 1, 0), 21)) != NULL);
	mu_sleep(20);
	CHECKEQ(o->r, Pending);
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(m.tag, TAG(6, 1, 0));
	CHECKEQ(m.mr[0], 21);
	CHECKEQ(join(5000), 0);
	CHECKEQ(o->r, 0);
	/* our send and receive block as long as it takes */
	t0 = mu_time();
	CHECK(opat(40, SysRecv, e, 0, 0) != NULL);
	m = (MuMsg){ TAG(7, 0, 0), 0, { 0 } };
	CHECKEQ(mu_send(e, &m), 0);
	CHECKWAIT(t0, 40);
	t0 = mu_time();
	CHECK(opat(40, SysSend, e, TAG(8, 1, 0), 31) != NULL);
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKWAIT(t0, 40);
	CHECKEQ(m.tag, TAG(8, 1, 0));
	CHECKEQ(m.mr[0], 31);
	CHECKEQ(join(5000), 0);
}

/* Waiting senders and receivers are served first come, first served. */
TEST(t_order)
{
	long e = ep();
	MuMsg m;
	Op *o[3];

	CHECK(e > 0);
	for (int i = 0; i < 3; i++)
		CHECK((o[i] = op(SysSend, e, TAG(10 + i, 1, 0), i)) != NULL);
	for (int i = 0; i < 3; i++) {
		m.tag = 0;
		CHECKEQ(mu_recv(e, &m), 0);
		CHECKEQ(TAG_LABEL(m.tag), 10 + i);
	}
	for (int i = 0; i < 3; i++)
		CHECK((o[i] = op(SysRecv, e, 0, 0)) != NULL);
	for (int i = 0; i < 3; i++) {
		m = (MuMsg){ TAG(20 + i, 0, 0), 0, { 0 } };
		CHECKEQ(mu_send(e, &m), 0);
	}
	CHECKEQ(join(5000), 0);
	for (int i = 0; i < 3; i++) {
		CHECKEQ(o[i]->r, 0);
		CHECKEQ(TAG_LABEL(o[i]->m.tag), 20 + i);
	}
}

/* ---- polls and timeouts ---- */

TEST(t_poll)
{
	long e = ep();
	MuMsg m = { TAG(1, 0, 0) | TAG_POLL, 0, { 0 } };
	Op *o;

	CHECK(e > 0);
	CHECKEQ(mu_send(e, &m), -ErrTimeout);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(e, &m), -ErrTimeout);
	m.tag = TAG(1, 0, 0) | TAG_POLL;
	CHECKEQ(mu_call(e, &m), -ErrTimeout);
	/* the polls left nothing queued */
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(e, &m), -ErrTimeout);
	/* a waiting receiver takes a polled send */
	CHECK((o = op(SysRecv, e, 0, 0)) != NULL);
	m = (MuMsg){ TAG(2, 1, 0) | TAG_POLL, 0, { 7 } };
	CHECKEQ(mu_send(e, &m), 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(o->r, 0);
	CHECKEQ(o->m.tag, TAG(2, 1, 0));
	CHECKEQ(o->m.mr[0], 7);
	/* a polled receive takes a waiting sender */
	CHECK((o = op(SysSend, e, TAG(3, 1, 0), 8)) != NULL);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(m.tag, TAG(3, 1, 0));
	CHECKEQ(m.mr[0], 8);
	/* reply-receive with a poll: the reply goes out, nothing to receive */
	CHECK((o = op(SysCall, e, TAG(4, 1, 0), 9)) != NULL);
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(m.mr[0], 9);
	m = (MuMsg){ TAG(5, 1, 0) | TAG_POLL, 0, { 10 } };
	CHECKEQ(mu_replyrecv(e, &m), -ErrTimeout);
	CHECKEQ(join(5000), 0);
	CHECKEQ(o->r, 0);
	CHECKEQ(o->m.tag, TAG(5, 1, 0));
	CHECKEQ(o->m.mr[0], 10);
}

/* Finite timeouts on an endpoint nobody serves. */
TEST(t_timeout)
{
	long e = ep(), t0;
	MuMsg m = { 0 };
	Op *o;

	CHECK(e > 0);
	t0 = mu_time();
	m.tag = TAG_WITHMS(TAG(1, 0, 0), 50);
	CHECKEQ(mu_send(e, &m), -ErrTimeout);
	CHECKWAIT(t0, 50);
	m.tag = TAG_POLL; /* the sender left the queue */
	CHECKEQ(mu_recv(e, &m), -ErrTimeout);
	t0 = mu_time();
	m.tag = TAG_WITHMS(0, 30);
	CHECKEQ(mu_recv(e, &m), -ErrTimeout);
	CHECKWAIT(t0, 30);
	m.tag = TAG(1, 0, 0) | TAG_POLL; /* so did the receiver */
	CHECKEQ(mu_send(e, &m), -ErrTimeout);
	t0 = mu_time();
	m.tag = TAG_WITHMS(TAG(1, 0, 0), 60);
	CHECKEQ(mu_call(e, &m), -ErrTimeout);
	CHECKWAIT(t0, 60);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(e, &m), -ErrTimeout);
	/* reply-receive: the reply goes out, the receive times out */
	CHECK((o = op(SysCall, e, TAG(2, 0, 0), 0)) != NULL);
	CHECKEQ(mu_recv(e, &m), 0);
	t0 = mu_time();
	m.tag = TAG_WITHMS(TAG(3, 0, 0), 40);
	CHECKEQ(mu_replyrecv(e, &m), -ErrTimeout);
	CHECKWAIT(t0, 40);
	CHECKEQ(join(5000), 0);
	CHECKEQ(o->r, 0);
	CHECKEQ(TAG_LABEL(o->m.tag), 3);
	/* a timeout that was not needed does not fire later */
	CHECK(opat(10, SysSend, e, TAG(4, 0, 0), 0) != NULL);
	m.tag = TAG_WITHMS(0, 60);
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), 4);
	t0 = mu_time();
	CHECK(opat(150, SysSend, e, TAG(5, 0, 0), 0) != NULL);
	m.tag = 0;
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), 5);
	CHECKWAIT(t0, 150);
	CHECKEQ(join(5000), 0);
}

static void killer(void *t)
{
	mu_sleep(50);
	mu_taskkill((long)t);
}

/* Timeouts and dead servers, with a server that holds or drops calls. */
static void servertimeout(int task)
{
	long e = ep(), t, t0;
	MuMsg m;

	CHECK(e > 0);
	CHECK((t = startsrv(task, e, -1)) > 0);
	CHECKEQ(req(e, CEcho, 1, 2, &m), 0); /* the server is up */
	CHECKEQ(m.mr[0], 2);
	/* the server takes the call but never answers */
	t0 = mu_time();
	m = (MuMsg){ TAG_WITHMS(TAG(CHold, 0, 0), 50), 0, { 0 } };
	CHECKEQ(mu_call(e, &m), -ErrTimeout);
	CHECKWAIT(t0, 50);
	/* the answer comes too late: the server's reply finds nobody */
	t0 = mu_time();
	m = (MuMsg){ TAG_WITHMS(TAG(CLate, 1, 0), 30), 0, { 100 } };
	CHECKEQ(mu_call(e, &m), -ErrTimeout);
	CHECKWAIT(t0, 30);
	CHECKEQ(req(e, CLast, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], -ErrNoReply);
	/* a timeout that is not reached changes nothing */
	m = (MuMsg){ TAG_WITHMS(TAG(CEcho, 1, 0), 5000), 0, { 5 } };
	CHECKEQ(mu_call(e, &m), 0);
	CHECKEQ(m.mr[0], 6);
	CHECKEQ(req(e, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[1], 0);
	/* the server dies while we wait for the answer */
	if (task) {
		CHECK(thread(killer, (void *)t, -1) > 0);
		m = (MuMsg){ TAG_WITHMS(TAG(CHold, 0, 0), 5000), 0, { 0 } };
	} else {
		m = (MuMsg){ TAG_WITHMS(TAG(CQuit, 0, 0), 5000), 0, { 0 } };
	}
	t0 = mu_time();
	CHECKEQ(mu_call(e, &m), -ErrGone);
	CHECK(mu_time() - t0 < 4000000000l);
}

TEST(t_srvtimeout_local) { servertimeout(0); }
TEST(t_srvtimeout_task) { servertimeout(1); }

/* ---- words, badges, rights ---- */

static void words(int task)
{
	MuIpcBuf *b = mu_ipcbuf();
	long e = ep();
	MuMsg m = { TAG(CEcho, 64, 0), 0, { 0, 1, 2, 3 } };

	CHECK(e > 0);
	CHECK(startsrv(task, e, -1) > 0);
	for (int i = 4; i < 64; i++)
		b->mr[i] = i * 3;
	CHECKEQ(mu_call(e, &m), 0);
	CHECKEQ(m.tag, TAG(CEcho, 64, 0));
	for (int i = 0; i < 4; i++)
		CHECKEQ(m.mr[i], i + 1);
	for (int i = 4; i < 64; i++)
		CHECKEQ(b->mr[i], i * 3 + 1);
	/* only TAG_WORDS words travel */
	b->mr[10] = 0x5a;
	m = (MuMsg){ TAG(CEcho, 10, 0), 0, { 0 } };
	CHECKEQ(mu_call(e, &m), 0);
	CHECKEQ(TAG_WORDS(m.tag), 10);
	CHECKEQ(b->mr[9], 9 * 3 + 2);
	CHECKEQ(b->mr[10], 0x5a);
	m = (MuMsg){ TAG(CEcho, 65, 0), 0, { 0 } };
	CHECKEQ(mu_call(e, &m), -ErrInval);
	m = (MuMsg){ TAG(CEcho, 0, 5), 0, { 0 } };
	CHECKEQ(mu_call(e, &m), -ErrInval);
}

TEST(t_words_local) { words(0); }
TEST(t_words_task) { words(1); }

static void badges(int task)
{
	long e = ep(), b1, b2;
	MuMsg m;

	CHECK(e > 0);
	CHECK(startsrv(task, e, -1) > 0);
	CHECK((b1 = keep(mu_mint(e, 0x1234, RSend | RDup))) > 0);
	CHECK((b2 = keep(mu_mint(e, 0x55, RAll))) > 0);
	CHECKEQ(req(e, CBadge, 0, 7, &m), 0);
	CHECKEQ(m.mr[0], 0);
	CHECKEQ(m.mr[1], 8);
	CHECKEQ(req(b1, CBadge, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 0x1234);
	CHECKEQ(m.badge, 0); /* replies carry no badge */
	CHECKEQ(req(b2, CBadge, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 0x55);
	/* rights are narrowed as asked; a copy keeps the badge */
	CHECKEQ(mu_handleinfo(b1) >> 8 & 0xff, RSend | RDup);
	CHECK(keep(b2 = mu_dup(b1, RAll)) > 0);
	CHECKEQ(req(b2, CBadge, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 0x1234);
	/* a badged handle cannot be minted again; badge 0 is no badge */
	CHECKEQ(mu_mint(b1, 0x99, RAll), -ErrInval);
	CHECKEQ(mu_mint(e, 0, RAll), -ErrInval);
	CHECKEQ(mu_mint(e, 1ul << 56, RAll), -ErrInval);
	CHECKEQ(mu_mint(mu_task, 1, RAll), -ErrInval);
}

TEST(t_badge_local) { badges(0); }
TEST(t_badge_task) { badges(1); }

/* A badged send is seen by a plain receive too (the general path). */
TEST(t_badge_send)
{
	long e = ep(), b1 = keep(mu_mint(e, 0xbeef, RSend));
	MuMsg m = { 0 };
	Op *o;

	CHECK(e > 0 && b1 > 0);
	CHECK((o = op(SysSend, b1, TAG(1, 0, 0), 0)) != NULL);
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(m.badge, 0xbeef);
	CHECK((o = op(SysRecv, e, 0, 0)) != NULL);
	m = (MuMsg){ TAG(2, 0, 0), 0, { 0 } };
	CHECKEQ(mu_send(b1, &m), 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(o->m.badge, 0xbeef);
}

TEST(t_rights)
{
	long e = ep(), ns, nr, n = keep(newntf()), srv, h;
	MuMsg m;

	CHECK(e > 0 && n > 0);
	CHECK((srv = startsrv(0, e, -1)) > 0);
	CHECKEQ(waitblocked(srv), 0);
	CHECK((ns = keep(mu_dup(e, RAll & ~RSend))) > 0);
	CHECK((nr = keep(mu_dup(e, RAll & ~RRecv))) > 0);
	/* no RSend: neither call (with the server waiting) nor send */
	CHECKEQ(req(ns, CEcho, 1, 0, &m), -ErrPerm);
	m = (MuMsg){ TAG(CEcho, 0, 0), 0, { 0 } };
	CHECKEQ(mu_send(ns, &m), -ErrPerm);
	/* no RRecv: neither receive nor reply-receive */
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(nr, &m), -ErrPerm);
	m.tag = TAG_POLL;
	CHECKEQ(mu_replyrecv(nr, &m), -ErrPerm);
	/* the wrong object, no object */
	CHECKEQ(req(n, CEcho, 1, 0, &m), -ErrType);
	m.tag = TAG_POLL;
	CHECKEQ(mu_recv(n, &m), -ErrType);
	CHECKEQ(req(0, CEcho, 1, 0, &m), -ErrBadHandle);
	CHECKEQ(req(MuMaxHandles, CEcho, 1, 0, &m), -ErrBadHandle);
	CHECK((h = mu_dup(e, RAll)) > 0);
	CHECKEQ(mu_close(h), 0);
	CHECKEQ(req(h, CEcho, 1, 0, &m), -ErrBadHandle);
	/* without RDup no copies */
	CHECK((h = keep(mu_dup(e, RSend))) > 0);
	CHECKEQ(mu_dup(h, RSend), -ErrPerm);
	CHECKEQ(mu_mint(h, 1, RSend), -ErrPerm);
	/* the server saw none of it; RSend alone is enough to call */
	CHECKEQ(req(h, CEcho, 1, 0, &m), 0);
	CHECKEQ(m.mr[0], 2);
	CHECKEQ(req(e, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 2);
	CHECKEQ(m.mr[1], 0);
}

/* Reply, reply-save and forward need a caller in the reply slot. */
TEST(t_noreply)
{
	long e = ep();
	MuMsg m = { TAG(1, 0, 0), 0, { 0 } };

	CHECK(e > 0);
	CHECKEQ(mu_reply(&m), -ErrNoReply);
	CHECKEQ(mu_replysave(), -ErrNoReply);
	CHECKEQ(mu_forward(e, &m), -ErrNoReply);
	m.tag = TAG_WITHRECV(TAG(1, 0, 0), e);
	CHECKEQ(mu_forwardrecv(e, &m), -ErrNoReply);
	m.tag = TAG(1, 0, 0) | TAG_POLL;
	CHECKEQ(mu_replyrecv(e, &m), -ErrTimeout); /* nothing to answer: just receives */
}

/* ---- handle transfer ---- */

static void handles(int task)
{
	long e = ep(), n = keep(newntf()), h, g;
	MuMsg m;

	CHECK(e > 0 && n > 0);
	CHECK(startsrv(task, e, -1) > 0);
	/* a copy: the server gets a working handle, ours stays */
	CHECKEQ(sendh(e, CItem, ItemHandle, n, RAll, 0x8, &m), 0);
	CHECKEQ(m.mr[0], ItemHandle);
	CHECKEQ(m.mr[1], RAll);
	CHECKEQ(m.mr[2], ObjNotification | RAll << 8);
	CHECKEQ(m.mr[3], 0);
	CHECKEQ(mu_wait(n, TAG_POLL), 0x8);
	CHECK(mu_handleinfo(n) > 0);
	/* a move, rights narrowed: ours is gone */
	CHECK((h = mu_dup(n, RAll)) > 0);
	CHECKEQ(sendh(e, CItem, ItemHandle | ITEM_MOVE, h, RSend | RDup, 0x10, &m), 0);
	CHECKEQ(m.mr[0], ItemHandle);
	CHECKEQ(m.mr[1], RSend | RDup);
	CHECKEQ(m.mr[2], ObjNotification | (RSend | RDup) << 8);
	CHECKEQ(m.mr[3], 0);
	CHECKEQ(mu_handleinfo(h), -ErrBadHandle);
	CHECKEQ(mu_wait(n, TAG_POLL), 0x10);
	/* rights the receiver did not get are enforced there */
	CHECKEQ(sendh(e, CItem, ItemHandle, n, RRecv | RDup, 0x20, &m), 0);
	CHECKEQ(m.mr[1], RRecv | RDup);
	CHECKEQ(m.mr[3], -ErrPerm);
	CHECKEQ(mu_wait(n, TAG_POLL), 0);
	/* no RDup: nothing arrives, even a move leaves ours alone */
	CHECK((g = keep(mu_dup(n, RAll & ~RDup))) > 0);
	CHECKEQ(sendh(e, CItem, ItemHandle | ITEM_MOVE, g, RAll, 0x40, &m), 0);
	CHECKEQ(m.mr[0], 0);
	CHECKEQ(mu_handleinfo(g) & 0xff, ObjNotification);
	CHECKEQ(sendh(e, CItem, ItemHandle, 999, RAll, 0, &m), 0);
	CHECKEQ(m.mr[0], 0);
	/* items need RGrant on the endpoint */
	CHECK((h = keep(mu_dup(e, RAll & ~RGrant))) > 0);
	CHECKEQ(sendh(h, CItem, ItemHandle, n, RAll, 0x80, &m), -ErrPerm);
	mu_ipcbuf()->item[0] = (MuItem){ ItemHandle, n, RAll };
	m = (MuMsg){ TAG(CItem, 0, 1) | TAG_POLL, 0, { 0 } };
	CHECKEQ(mu_send(h, &m), -ErrPerm);
	CHECKEQ(req(h, CEcho, 1, 0, &m), 0);
	CHECKEQ(mu_wait(n, TAG_POLL), 0);
	CHECKEQ(req(e, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 7);
	CHECKEQ(m.mr[1], 0);
}

TEST(t_handle_local) { handles(0); }
TEST(t_handle_task) { handles(1); }

/* ---- pages ---- */

static void mapped(int task)
{
	long e = ep();
	MuWord *p = mu_pages(2);
	MuMsg m;

	CHECK(e > 0 && p != NULL);
	CHECK(startsrv(task, e, -1) > 0);
	p[0] = 0x1111;
	p[512] = 0x1112;
	CHECKEQ(sendh(e, CItem, ItemMap | ITEM_RIGHTS(RRead | RWrite), (long)p, 2, 0, &m), 0);
	CHECKEQ(m.mr[0], ItemMap);
	CHECKEQ(m.mr[1], 2);
	CHECKEQ(m.mr[2], 0x1111);
	/* both see the same memory, writes go both ways */
	CHECKEQ(req(e, CPeek, 0x2222, 1, &m), 0);
	CHECKEQ(m.mr[0], 0x1111);
	CHECKEQ(p[0], 0x2222);
	p[0] = 0x3333;
	CHECKEQ(req(e, CPeek, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 0x3333);
	/* a map is a share: we can send the pages again */
	p[0] = 0x4444;
	CHECKEQ(sendh(e, CItem, ItemMap | ITEM_RIGHTS(RRead), (long)p + 4096, 1, 0, &m), 0);
	CHECKEQ(m.mr[0], ItemMap);
	CHECKEQ(m.mr[2], 0x1112);
	/* more pages than the window holds, unmapped or unaligned: nothing */
	CHECKEQ(sendh(e, CItem, ItemMap, (long)p, WinPages + 1, 0, &m), 0);
	CHECKEQ(m.mr[0], 0);
	CHECKEQ(sendh(e, CItem, ItemMap, (long)p + 8, 1, 0, &m), 0);
	CHECKEQ(m.mr[0], 0);
	CHECKEQ(sendh(e, CItem, ItemMap, (long)WINCLI, 1, 0, &m), 0);
	CHECKEQ(m.mr[0], 0);
	CHECKEQ(p[0], 0x4444);
}

TEST(t_map_local) { mapped(0); }
TEST(t_map_task) { mapped(1); }

/* A read-only map cannot be written: the child faults and dies. */
TEST(t_map_readonly)
{
	long e = ep();
	MuWord *p = mu_pages(1);
	MuMsg m;

	CHECK(e > 0 && p != NULL);
	CHECK(startsrv(1, e, -1) > 0);
	p[0] = 0x77;
	CHECKEQ(sendh(e, CItem, ItemMap | ITEM_RIGHTS(RRead), (long)p, 1, 0, &m), 0);
	CHECKEQ(m.mr[0], ItemMap);
	CHECKEQ(m.mr[2], 0x77);
	CHECKEQ(req(e, CPeek, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 0x77);
	m = (MuMsg){ TAG_WITHMS(TAG(CPeek, 2, 0), 5000), 0, { 0x88, 1 } };
	CHECKEQ(mu_call(e, &m), -ErrGone);
	CHECKEQ(p[0], 0x77);
}

static void granted(int task)
{
	MuIpcBuf *b = mu_ipcbuf();
	long e = ep();
	MuWord *p = mu_pages(1), *w = (MuWord *)WINCLI, q;
	MuMsg m;

	CHECK(e > 0 && p != NULL);
	CHECK(startsrv(task, e, -1) > 0);
	/* ours to the server: it has the page, we do not */
	p[0] = 0x4444;
	CHECKEQ(sendh(e, CItem, ItemGrant | ITEM_RIGHTS(RRead | RWrite), (long)p, 1, 0x5555, &m), 0);
	CHECKEQ(m.mr[0], ItemGrant);
	CHECKEQ(m.mr[1], 1);
	CHECKEQ(m.mr[2], 0x4444);
	CHECKEQ(sendh(e, CItem, ItemGrant, (long)p, 1, 0, &m), 0);
	CHECKEQ(m.mr[0], 0); /* nothing left to grant */
	CHECKEQ(req(e, CPeek, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 0x5555);
	/* the server's to us: no window, no page (it stays there) */
	CHECKEQ(req(e, CGive, 0x6666, ItemGrant | ITEM_RIGHTS(RRead | RWrite), &m), 0);
	CHECKEQ(TAG_ITEMS(m.tag), 1);
	CHECKEQ(b->item[0].kind, 0);
	q = m.mr[0];
	/* with a window it lands there */
	b->winbase = WINCLI;
	b->winpages = WinPages;
	CHECKEQ(req(e, CRegive, q, 0, &m), 0);
	CHECKEQ(b->item[0].kind, ItemGrant);
	CHECKEQ(b->item[0].a, WINCLI);
	CHECKEQ(b->item[0].b, 1);
	CHECKEQ(w[0], 0x6666);
	w[0] = 0x7777; /* ours now, writable */
	CHECKEQ(req(e, CRegive, q, 0, &m), 0);
	CHECKEQ(b->item[0].kind, 0);
	CHECKEQ(w[0], 0x7777);
}

TEST(t_grant_local) { granted(0); }
TEST(t_grant_task) { granted(1); }

/* ---- forwarding chains and saved replies ---- */

/* client -> S1 -> S2 -> S3; S2 may be a child task.  Direct: S1 and S2
 * forward and S3 answers the client; else each calls the next. */
static void chain(int task, int direct)
{
	long e1 = ep(), e2 = ep(), e3 = ep();
	MuMsg m;

	CHECK(e1 > 0 && e2 > 0 && e3 > 0);
	CHECK(startsrv(0, e1, -1) > 0);
	CHECK(startsrv(task, e2, -1) > 0);
	CHECK(startsrv(0, e3, -1) > 0);
	CHECKEQ(sendh(e1, CSetup, ItemHandle, e2, RSend, 0, &m), 0);
	CHECKEQ(m.mr[0], ItemHandle);
	CHECKEQ(sendh(e2, CSetup, ItemHandle, e3, RSend, 0, &m), 0);
	CHECKEQ(m.mr[0], ItemHandle);
	for (int i = 0; i < 50; i++) {
		m = (MuMsg){ TAG(direct ? CFwd1 : CRelay1, 4, 0), 0, { i, 0, 0, 0 } };
		if (i & 1)
			m.tag = TAG_WITHMS(m.tag, 5000);
		CHECKEQ(mu_call(e1, &m), 0);
		CHECKEQ(m.badge, 0);
		CHECKEQ(TAG_LABEL(m.tag), direct ? CEcho : CRelay1);
		CHECKEQ(m.mr[0], i + 1);
		CHECKEQ(m.mr[1], direct ? 0x11 : 0x101);
		CHECKEQ(m.mr[2], direct ? 0x21 : 0x201);
		CHECKEQ(m.mr[3], 1);
	}
	/* every server saw setup, 50 requests and this; nothing went wrong */
	CHECKEQ(req(e1, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 52);
	CHECKEQ(m.mr[1], 0);
	CHECKEQ(req(e2, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 52);
	CHECKEQ(m.mr[1], 0);
	CHECKEQ(req(e3, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 51);
	CHECKEQ(m.mr[1], 0);
}

TEST(t_forward_local) { chain(0, 1); }
TEST(t_forward_task) { chain(1, 1); }
TEST(t_relay_local) { chain(0, 0); }
TEST(t_relay_task) { chain(1, 0); }

/* Forward-receive when nobody waits on the next endpoint yet: the
 * forwarder waits to send, then receives on its own endpoint. */
TEST(t_forward_wait)
{
	long e2 = ep(), e3 = ep(), fw;
	MuMsg m;
	Op *c, *k;

	CHECK(e2 > 0 && e3 > 0);
	CHECK((fw = startsrv(0, e2, -1)) > 0);
	CHECKEQ(sendh(e2, CSetup, ItemHandle, e3, RSend, 0, &m), 0);
	CHECK((c = op(SysCall, e2, TAG(CFwd, 4, 0), 1)) != NULL);
	CHECKEQ(waitblocked(fw), 0); /* S2 waits to forward */
	CHECKEQ(c->r, Pending);
	m.tag = 0;
	CHECKEQ(mu_recv(e3, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), CEcho);
	CHECKEQ(m.mr[2], 0x20);
	m = (MuMsg){ TAG(CEcho, 1, 0), 0, { 42 } };
	CHECKEQ(mu_reply(&m), 0);
	/* S2 went on to receive: it still serves */
	CHECKEQ(req(e2, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 3);
	CHECKEQ(m.mr[1], 0);
	CHECK((k = op(SysCall, e2, TAG(CFwd, 4, 0), 2)) != NULL);
	m.tag = 0;
	CHECKEQ(mu_recv(e3, &m), 0);
	m = (MuMsg){ TAG(CEcho, 1, 0), 0, { 43 } };
	CHECKEQ(mu_reply(&m), 0);
	CHECKEQ(drop(e2), 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(c->r, 0);
	CHECKEQ(c->m.mr[0], 42);
	CHECKEQ(k->r, 0);
	CHECKEQ(k->m.mr[0], 43);
}

/* Saved replies, answered later, in any order, once. */
static void saved(int task)
{
	long e = ep();
	MuMsg m;
	Op *a, *c;

	CHECK(e > 0);
	CHECK(startsrv(task, e, -1) > 0);
	CHECK((a = op(SysCall, e, TAG(CSave, 1, 0), 0)) != NULL);
	CHECKEQ(req(e, CAnswer, 77, 0, &m), 0);
	CHECKEQ(m.mr[0], 0);
	CHECKEQ(m.mr[1], -ErrBadHandle); /* one shot: the handle is closed */
	CHECK((c = op(SysCall, e, TAG(CSave, 1, 0), 0)) != NULL);
	CHECKEQ(req(e, CDrop, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(a->r, 0);
	CHECKEQ(a->m.tag, TAG(CSave, 1, 0));
	CHECKEQ(a->m.mr[0], 77);
	CHECKEQ(c->r, -ErrGone); /* closed unanswered */
	CHECKEQ(req(e, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[1], 0);
}

TEST(t_replysave_local) { saved(0); }
TEST(t_replysave_task) { saved(1); }

/* Our own saved replies; a server that receives a new call without
 * answering the last one drops that caller. */
TEST(t_replysave_order)
{
	long e = ep(), ra, rb;
	MuMsg m = { 0 };
	Op *a, *b;

	CHECK(e > 0);
	CHECK((a = op(SysCall, e, TAG(1, 1, 0), 10)) != NULL);
	CHECK((b = op(SysCall, e, TAG(2, 1, 0), 20)) != NULL);
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(m.mr[0], 10);
	CHECK((ra = mu_replysave()) > 0);
	CHECKEQ(mu_handleinfo(ra) & 0xff, ObjReply);
	CHECKEQ(mu_reply(&m), -ErrNoReply);
	CHECKEQ(mu_replysave(), -ErrNoReply);
	m.tag = 0;
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(m.mr[0], 20);
	CHECK((rb = mu_replysave()) > 0);
	m = (MuMsg){ TAG(22, 1, 0), 0, { 21 } };
	CHECKEQ(mu_replyto(rb, &m), 0);
	m = (MuMsg){ TAG(11, 1, 0), 0, { 11 } };
	CHECKEQ(mu_replyto(ra, &m), 0);
	CHECKEQ(mu_replyto(ra, &m), -ErrBadHandle);
	CHECKEQ(mu_handleinfo(rb), -ErrBadHandle);
	CHECKEQ(join(5000), 0);
	CHECKEQ(a->m.tag, TAG(11, 1, 0));
	CHECKEQ(a->m.mr[0], 11);
	CHECKEQ(b->m.tag, TAG(22, 1, 0));
	CHECKEQ(b->m.mr[0], 21);
	/* an unanswered caller is dropped by the next call received */
	CHECK((a = op(SysCall, e, TAG(3, 0, 0), 0)) != NULL);
	CHECK((b = op(SysCall, e, TAG(4, 0, 0), 0)) != NULL);
	m.tag = 0;
	CHECKEQ(mu_recv(e, &m), 0);
	m.tag = 0;
	CHECKEQ(mu_recv(e, &m), 0);
	CHECKEQ(TAG_LABEL(m.tag), 4);
	m.tag = TAG(5, 0, 0);
	CHECKEQ(mu_reply(&m), 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(a->r, -ErrNoReply);
	CHECKEQ(b->r, 0);
	CHECKEQ(TAG_LABEL(b->m.tag), 5);
}

/* ---- endpoint destruction ---- */

TEST(t_ep_destroy)
{
	long e1 = ep(), e2 = ep(), e3 = ep(), e4 = ep(), d4;
	MuMsg m = { 0 };
	Op *r, *s, *c, *c3, *r4;

	CHECK(e1 > 0 && e2 > 0 && e3 > 0 && e4 > 0);
	CHECK((r = op(SysRecv, e1, 0, 0)) != NULL);
	CHECK((s = op(SysSend, e2, TAG(1, 0, 0), 0)) != NULL);
	CHECK((c = op(SysCall, e2, TAG(2, 0, 0), 0)) != NULL);
	CHECK((c3 = op(SysCall, e3, TAG(3, 0, 0), 0)) != NULL);
	CHECKEQ(mu_recv(e3, &m), 0); /* c3 now waits for our reply */
	CHECKEQ(drop(e1), 0);
	CHECKEQ(drop(e2), 0);
	CHECKEQ(drop(e3), 0);
	m.tag = TAG(4, 0, 0);
	CHECKEQ(mu_reply(&m), 0); /* the reply right outlives the endpoint */
	CHECKEQ(req(e1, CEcho, 0, 0, &m), -ErrBadHandle);
	/* the endpoint lives while some handle does */
	CHECK((d4 = keep(mu_dup(e4, RAll))) > 0);
	CHECK((r4 = op(SysRecv, e4, 0, 0)) != NULL);
	CHECKEQ(drop(e4), 0);
	mu_sleep(20);
	CHECKEQ(r4->r, Pending);
	m = (MuMsg){ TAG(5, 0, 0), 0, { 0 } };
	CHECKEQ(mu_send(d4, &m), 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(r->r, -ErrGone);
	CHECKEQ(s->r, -ErrGone);
	CHECKEQ(c->r, -ErrGone);
	CHECKEQ(c3->r, 0);
	CHECKEQ(TAG_LABEL(c3->m.tag), 4);
	CHECKEQ(r4->r, 0);
	CHECKEQ(TAG_LABEL(r4->m.tag), 5);
}

/* The last handle is in another task: it goes when that task dies. */
TEST(t_ep_destroy_task)
{
	long e = ep(), t;
	Op *r;

	CHECK(e > 0);
	CHECK((t = kid("srv", e)) > 0);
	CHECK((r = op(SysRecv, e, 0, 0)) != NULL);
	CHECKEQ(drop(e), 0);
	mu_sleep(20);
	CHECKEQ(r->r, Pending);
	CHECKEQ(mu_taskkill(t), 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(r->r, -ErrGone);
}

/* ---- notifications bound to a receiving thread ---- */

typedef struct Bound {
	long ep, ntf;
	MuMsg m[3];
	long r[3];
} Bound;

static void boundfn(void *a)
{
	Bound *b = a;

	TCHECK(mu_threadset(mu_tls()->thread, ThrBindNtf, b->ntf, 0) == 0);
	for (int i = 0; i < 3; i++) {
		b->m[i].tag = TAG_WITHMS(0, 5000);
		b->r[i] = mu_recv(b->ep, &b->m[i]);
	}
}

TEST(t_notify_bound)
{
	static Bound b;
	long th;
	MuMsg m = { TAG(9, 1, 0), 0, { 99 } };

	memset(&b, 0, sizeof b);
	b.ep = ep();
	b.ntf = keep(newntf());
	CHECK(b.ep > 0 && b.ntf > 0);
	CHECK((th = thread(boundfn, &b, -1)) > 0);
	CHECKEQ(waitblocked(th), 0);
	CHECKEQ(mu_signal(b.ntf, 0x5), 0);
	CHECKEQ(mu_signal(b.ntf, 0x30), 0); /* pending for the next receive */
	CHECKEQ(mu_send(b.ep, &m), 0);
	CHECKEQ(join(5000), 0);
	CHECKEQ(b.r[0], 0);
	CHECKEQ(TAG_LABEL(b.m[0].tag), TAG_NOTIFY);
	CHECKEQ(b.r[1], 0);
	CHECKEQ(TAG_LABEL(b.m[1].tag), TAG_NOTIFY);
	CHECKEQ(b.m[0].badge, 0x5);
	CHECKEQ(b.m[1].badge, 0x30);
	CHECKEQ(b.r[2], 0);
	CHECKEQ(b.m[2].tag, TAG(9, 1, 0));
	CHECKEQ(b.m[2].mr[0], 99);
}

/* ---- across cpus, and many round trips ---- */

typedef struct Ping {
	long ep, cpu, srvcpu, n, badge;
	volatile long done, err; /* calls that worked; the error of one that did not */
} Ping;

static void pingfn(void *a)
{
	Ping *p = a;
	MuMsg m;

	TCHECK(p->cpu < 0 || mu_info(InfoCpu, 0) == p->cpu);
	for (long i = 0; i < p->n; i++) {
		m = (MuMsg){ TAG(CBadge, 4, 0), 0, { 0, i, ~i, p->cpu } };
		if (i & 1)
			m.tag = TAG_WITHMS(m.tag, 10000);
		TCHECK((p->err = mu_call(p->ep, &m)) == 0);
		TCHECK(m.tag == TAG(CBadge, 4, 0) && m.badge == 0);
		TCHECK(m.mr[0] == (MuWord)p->badge && m.mr[1] == (MuWord)i + 1);
		TCHECK(m.mr[2] == ~(MuWord)i + 1 && m.mr[3] == (MuWord)p->cpu + 1);
		p->done++;
	}
	m = (MuMsg){ TAG(CCpu, 2, 0), 0, { 0, 0 } };
	TCHECK(mu_call(p->ep, &m) == 0);
	TCHECK(p->srvcpu < 0 || m.mr[0] == (MuWord)p->srvcpu);
	TCHECK(p->cpu < 0 || mu_info(InfoCpu, 0) == p->cpu);
}

/* Client on cpu 0, server on cpu 1. */
static void crosscpu(int task)
{
	static Ping p;
	long e = ep();
	MuMsg m;

	if (mu_info(InfoNCpu, 0) < 2)
		return;
	CHECK(e > 0);
	CHECK(startsrv(task, e, 1) > 0);
	CHECKEQ(req(e, CCpu, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], 1);
	p = (Ping){ e, 0, 1, 500, 0, 0, 0 };
	CHECK(thread(pingfn, &p, 0) > 0);
	CHECKEQ(join(30000), 0);
	CHECKEQ(p.err, 0);
	CHECKEQ(p.done, 500);
}

TEST(t_cpu_local) { crosscpu(0); }
TEST(t_cpu_task) { crosscpu(1); }

/* Several clients on both cpus, one server, badges told apart. */
TEST(t_stress)
{
	enum { N = 4, Calls = 1000 };
	static Ping p[N];
	long e = ep(), ncpu = mu_info(InfoNCpu, 0);
	MuMsg m;

	CHECK(e > 0);
	CHECK(startsrv(0, e, -1) > 0);
	for (int i = 0; i < N; i++) {
		p[i] = (Ping){ keep(mu_mint(e, i + 1, RSend)), i % ncpu, -1, Calls, i + 1, 0, 0 };
		CHECK(p[i].ep > 0);
		CHECK(thread(pingfn, &p[i], i % ncpu) > 0);
	}
	CHECKEQ(join(60000), 0);
	for (int i = 0; i < N; i++) {
		CHECKEQ(p[i].err, 0);
		CHECKEQ(p[i].done, Calls);
	}
	CHECKEQ(req(e, CStat, 0, 0, &m), 0);
	CHECKEQ(m.mr[0], N * (Calls + 1) + 1);
	CHECKEQ(m.mr[1], 0);
}

/* ---- cancelling a wait ---- */

static long cancel_ep;
static volatile long cancel_r;

static void cancel_waiter(void *how)
{
	MuMsg m = { TAG(1, 0, 0), 0, { 0 } };

	cancel_r = how ? mu_call(cancel_ep, &m) : mu_recv(cancel_ep, &m);
}

/* Wait (bounded) until thread th is blocked in the kernel. */
static int blocked(long th)
{
	MuRegs r;

	for (int i = 0; i < 2000; i++) {
		if (mu_threadregs(th, &r, 0) == 0)
			return 1;
		mu_sleep(1);
	}
	return 0;
}

/* SysThreadCancel ends a receive and a call (nobody receives) with
 * -ErrGone; the endpoint is left as it was. */
static void t_cancel(void)
{
	for (long how = 0; how < 2; how++) {
		long th;
		MuMsg m = { TAG_POLL, 0, { 0 } };

		cancel_r = 1;
		CHECK((cancel_ep = newep()) > 0);
		CHECK((th = spawnthread(cancel_waiter, (void *)how, -1)) > 0);
		CHECK(blocked(th));
		CHECKEQ(cancel_r, 1);
		CHECKEQ(mu_threadcancel(th), 0);
		for (int i = 0; i < 2000 && cancel_r == 1; i++)
			mu_sleep(1);
		CHECKEQ(cancel_r, -ErrGone);
		/* no one waits on the endpoint any more */
		CHECKEQ(mu_recv(cancel_ep, &m), -ErrTimeout);
		m.tag = TAG_POLL;
		CHECKEQ(mu_send(cancel_ep, &m), -ErrTimeout);
		CHECKEQ(mu_threadcancel(0), -ErrBadHandle);
		CHECKEQ(mu_threadcancel(cancel_ep), -ErrType);
		mu_close(th);
		mu_close(cancel_ep);
	}
}

const Test ipc_tests[] = {
	{ t_cancel, "ipc.cancel" },
	{ t_call_local, "ipc.call.local" },
	{ t_call_task, "ipc.call.task" },
	{ t_send, "ipc.send" },
	{ t_order, "ipc.order" },
	{ t_poll, "ipc.poll" },
	{ t_timeout, "ipc.timeout" },
	{ t_srvtimeout_local, "ipc.srvtimeout.local" },
	{ t_srvtimeout_task, "ipc.srvtimeout.task" },
	{ t_words_local, "ipc.words.local" },
	{ t_words_task, "ipc.words.task" },
	{ t_badge_local, "ipc.badge.local" },
	{ t_badge_task, "ipc.badge.task" },
	{ t_badge_send, "ipc.badge.send" },
	{ t_rights, "ipc.rights" },
	{ t_noreply, "ipc.noreply" },
	{ t_handle_local, "ipc.handle.local" },
	{ t_handle_task, "ipc.handle.task" },
	{ t_map_local, "ipc.map.local" },
	{ t_map_task, "ipc.map.task" },
	{ t_map_readonly, "ipc.map.readonly" },
	{ t_grant_local, "ipc.grant.local" },
	{ t_grant_task, "ipc.grant.task" },
	{ t_forward_local, "ipc.forward.local" },
	{ t_forward_task, "ipc.forward.task" },
	{ t_forward_wait, "ipc.forward.wait" },
	{ t_relay_local, "ipc.relay.local" },
	{ t_relay_task, "ipc.relay.task" },
	{ t_replysave_local, "ipc.replysave.local" },
	{ t_replysave_task, "ipc.replysave.task" },
	{ t_replysave_order, "ipc.replysave.order" },
	{ t_ep_destroy, "ipc.epdestroy.local" },
	{ t_ep_destroy_task, "ipc.epdestroy.task" },
	{ t_notify_bound, "ipc.notify.bound" },
	{ t_cpu_local, "ipc.cpu.local" },
	{ t_cpu_task, "ipc.cpu.task" },
	{ t_stress, "ipc.stress" },
	{ NULL, NULL },
};

const Role ipc_roles[] = {
	{ role_echo, "echo" },
	{ role_srv, "srv" },
	{ NULL, NULL },
};
