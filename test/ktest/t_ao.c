/* SPDX-License-Identifier: MIT */
/*
 * Tests of libao, the active objects (lib/libao).  Most tests run twice:
 * against server objects in this task (".local") and against the same
 * server code in a child task, reached through ao_export/ao_attach
 * (".task"); the test code is the same, only the Ao it talks to is a
 * proxy.  The test thread itself is an adopted object (`me`) so that it
 * can receive and wait.  Every TEST's objects, children and proxies are
 * released by done(), also when a check fails; every wait is bounded.
 */
#include "aotest.h"

enum {
	Slots = 8,   /* the servers' mailboxes */
	Wait = 5000, /* ms: bound for what should happen at once */
	MaxSrv = 4,
	MaxObj = 16,
	MaxMb = 4,
	MaxKid = 2,
	MaxPx = 4,
	MaxHold = 8,
};

/* What the test server understands (labels). */
enum {
	LEcho = 1, /* "l" n: a call is answered "l" n + 1; a send or post counts as an item */
	LDelay,    /* "l" ms: sleep, then answer "l" ms (if a call) */
	LHold,     /* never answered */
	LPing,     /* "l" n: post LPong "l" n + 1 to the server's peer */
	LPong,
	LPause,    /* answered; then only synchronous messages from the same
		      sender are received until LResume: posts pile up */
	LResume,
	LItem,     /* "l" seq: counted, and checked to come in order */
	LStat,     /* answered "lll" items, items out of order, bad requests */
	LQuit,     /* answered; the server returns */
	LHello,    /* child to parent: handle = an export of a server */
	LNeed,     /* child to parent: answer with a handle */
	LDone,     /* child to parent: "ll" server index, how its receive ended */
};

typedef struct Srv {
	Ao ao;
	Ao *peer;           /* where LPong goes */
	long items, order, bad, next;
	long last;          /* result that ended the body */
	long held[MaxHold]; /* deferred LHold calls */
	int nheld;
} Srv;

static AoMsg *mk(AoMsg *m, int label, long v)
{
	m->label = label;
	m->handle = 0;
	ao_pack(m, "l", v);
	return m;
}

static long answer(AoMsg *req, long v)
{
	AoMsg r;

	return ao_reply(req, mk(&r, req->label, v));
}

/* One request; returns 0 to go on, else the result that ends the body. */
static long srv1(Srv *s, AoMsg *m)
{
	int64_t v = 0;
	AoId from;
	long e;

	if (m->label == LEcho || m->label == LDelay || m->label == LPing || m->label == LItem) {
		if (ao_unpack(m, "l", &v) < 0) {
			s->bad++;
			ao_replyerr(m, AoEFormat);
			return 0;
		}
	}
	switch (m->label) {
	case LEcho:
		if (m->kind == AoKCall || m->kind == AoKACall)
			answer(m, v + 1);
		else
			s->items++;
		return 0;
	case LDelay:
		if ((e = ao_sleep(v)) < 0)
			return e;
		answer(m, v);
		return 0;
	case LHold:
		if (m->kind == AoKCall && ao_defer(m) == 0 && s->nheld < MaxHold)
			s->held[s->nheld++] = m->rto;
		return 0;
	case LPing:
		if (ao_post(s->peer, mk(m, LPong, v + 1)) < 0)
			s->bad++;
		return 0;
	case LPause:
		answer(m, 0);
		from = m->from;
		do {
			if ((e = ao_recvfrom(m, from, AoForever)) < 0)
				return e;
			if (m->label != LResume)
				s->bad++;
			answer(m, 0);
		} while (m->label != LResume);
		return 0;
	case LItem:
		if (v != s->next)
			s->order++;
		s->next = v + 1;
		s->items++;
		return 0;
	case LStat: {
		AoMsg r = { .label = LStat };
		ao_pack(&r, "lll", s->items, s->order, s->bad);
		ao_reply(m, &r);
		return 0;
	}
	case LQuit:
		answer(m, 0);
		return 1;
	}
	s->bad++;
	ao_replyerr(m, AoEInval);
	return 0;
}

static void srvbody(void *arg)
{
	Srv *s = arg;
	AoMsg m;
	long e;

	while ((e = ao_recv(&m, AoForever)) == 0 && (e = srv1(s, &m)) == 0)
		;
	s->last = e;
	for (int i = 0; i < s->nheld; i++)
		mu_close(s->held[i]); /* the callers, if still there, get AoEGone */
}

/* ---- per-test resources ---- */

static Ao me;
static Srv srvs[MaxSrv];
static Ao pxs[MaxPx];
static Ao *objs[MaxObj];
static AoMbox *mbs[MaxMb];
static long kids[MaxKid];
static int nsrv, npx, nobj, nmb, nkid, adopted;

#define TEST(name) \
	static void name##_body(void); \
	static void name(void) { start(); name##_body(); done(); } \
	static void name##_body(void)

/* The elapsed time since t0 (ns) is about ms (the kernel's timeouts
 * count timer ticks, which may run 1% and a tick apart from mu_time),
 * and not absurdly more (a starved vCPU on a busy host stretches guest
 * time by seconds). */
#define CHECKWAIT(t0, ms) do { long _us = (mu_time() - (t0)) / 1000; \
	if (_us < (ms) * 990L - 1000 || _us > ((ms) + 10000L) * 1000) { \
		tfail(__FILE__, __LINE__, "waited %ld us, want %ld ms", _us, (long)(ms)); return; } } while (0)

static void start(void)
{
	if (ao_adopt(&me, Slots) == 0)
		adopted = 1;
}

static void done(void)
{
	for (int i = 0; i < nkid; i++) {
		mu_taskkill(kids[i]);
		if (waitdead(kids[i], Wait) < 0)
			tfail(__FILE__, __LINE__, "child %d did not die", i);
		mu_close(kids[i]);
	}
	for (int i = 0; i < npx; i++)
		ao_detach(&pxs[i]);
	for (int i = 0; i < nobj; i++) {
		if (objs[i]->stack == NULL)
			continue; /* joined by the test */
		ao_kill(objs[i]);
		if (ao_join(objs[i], Wait) < 0)
			tfail(__FILE__, __LINE__, "object %d did not end", i);
	}
	for (int i = 0; i < nmb; i++)
		ao_mbox_destroy(mbs[i]);
	if (adopted)
		ao_leave(&me);
	nkid = npx = nsrv = nobj = nmb = adopted = 0;
}

/* ao_mbox_init, and done() destroys it. */
static long mbox(AoMbox *mb, int slots)
{
	if (nmb == MaxMb)
		return AoENoMem;
	mbs[nmb++] = mb;
	return ao_mbox_init(mb, slots);
}

/* A proxy that done() detaches. */
static Ao *proxy(void)
{
	return npx < MaxPx ? &pxs[npx++] : NULL;
}

/* ao_create, and done() kills and joins it if the test did not. */
static long spawn(void *obj, void (*fn)(void *), int slots)
{
	int i;

	for (i = 0; i < nobj && objs[i] != obj; i++)
		;
	if (i == nobj && nobj == MaxObj)
		return AoENoMem;
	objs[i] = obj;
	nobj += i == nobj;
	return ao_create(obj, fn, 0, slots);
}

/* A server object in this task. */
static Ao *localsrv(void)
{
	Srv *s;

	if (!adopted || nsrv >= MaxSrv)
		return NULL;
	s = &srvs[nsrv];
	*s = (Srv){ .peer = &me };
	if (spawn(s, srvbody, Slots) < 0)
		return NULL;
	nsrv++;
	return &s->ao;
}

/* Start a child task in role, passing an export of me; 0 or -err. */
static long kid(const char *role)
{
	long h, t;

	if (!adopted || nkid >= MaxKid || (h = ao_export(&me, 0)) < 0)
		return AoEInval;
	t = child(role, h);
	mu_close(h);
	if (t < 0)
		return t;
	kids[nkid++] = t;
	return 0;
}

/* The next message to me with this label (others are dropped). */
static long expect(AoMsg *m, int label)
{
	long r;

	while ((r = ao_recv(m, Wait)) == 0 && m->label != label) {
		if (m->handle)
			mu_close(m->handle);
		ao_replyerr(m, AoEInval);
	}
	return r;
}

/* Two servers: local ones, or proxies for two in a child task. */
static long servers(int task, Ao **s)
{
	AoMsg m;
	long r;

	if (!task) {
		s[0] = localsrv();
		s[1] = localsrv();
		return s[0] && s[1] ? 0 : AoENoMem;
	}
	if ((r = kid("aopeer")) < 0)
		return r;
	for (int i = 0; i < 2; i++) {
		if ((r = expect(&m, LHello)) < 0)
			return r;
		if ((s[i] = proxy()) == NULL)
			return AoEFull;
		r = ao_attach(s[i], m.handle, Wait);
		mu_close(m.handle);
		answer(&m, r);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The child: two servers, exported to the parent; when each ends, tell
 * the parent how (LDone). */
static int role_peer(long h)
{
	static Ao self, parent;
	static Srv s[2];
	AoMsg m;
	long x;

	if (ao_adopt(&self, Slots) < 0 || ao_attach(&parent, h, Wait) < 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		s[i] = (Srv){ .peer = &parent };
		if (ao_create(&s[i], srvbody, 0, Slots) < 0)
			return 1;
	}
	for (int i = 0; i < 2; i++) {
		if ((x = ao_export(&s[i].ao, AoExpKill)) < 0)
			return 1;
		m.label = LHello;
		m.len = 0;
		m.handle = x;
		if (ao_call(&parent, &m, &m, Wait) < 0)
			return 1;
		mu_close(x);
	}
	for (int i = 0; i < 2; i++) {
		ao_join(&s[i].ao, AoForever);
		m.label = LDone;
		m.handle = 0;
		ao_pack(&m, "ll", i, s[i].last);
		ao_post(&parent, &m);
	}
	return 0;
}

/* The server's counters, once it has taken `items` items (or after Wait). */
static long aostat(Ao *s, long items, int64_t *c)
{
	AoMsg m;
	long r;

	for (int i = 0; i < Wait / 10; i++) {
		if ((r = ao_call(s, mk(&m, LStat, 0), &m, Wait)) < 0)
			return r;
		if ((r = ao_unpack(&m, "lll", &c[0], &c[1], &c[2])) < 0)
			return r;
		if (c[0] >= items)
			break;
		ao_sleep(10);
	}
	return 0;
}

/* Is thread th blocked in the kernel?  Wait (bounded) until it is. */
static int waitblocked(long th)
{
	MuRegs r;

	for (int i = 0; i < 2000; i++) {
		if (mu_threadregs(th, &r, 0) == 0)
			return 0;
		mu_sleep(1);
	}
	return -1;
}

/* ---- ping-pong ---- */

static void pingsync(int task)
{
	Ao *s[2];
	AoMsg m;
	int64_t v, c[3];

	CHECKEQ(servers(task, s), 0);
	for (long i = 0; i < 200; i++) {
		CHECKEQ(ao_call(s[0], mk(&m, LEcho, i), &m, Wait), 0);
		CHECKEQ(m.label, LEcho);
		CHECKEQ(m.kind, AoKReply);
		CHECKEQ(ao_unpack(&m, "l", &v), 0);
		CHECKEQ(v, i + 1);
	}
	/* a send returns once the server has taken it */
	for (long i = 0; i < 20; i++)
		CHECKEQ(ao_send(s[1], mk(&m, LItem, i), Wait), 0);
	CHECKEQ(aostat(s[1], 20, c), 0);
	CHECKEQ(c[0], 20);
	CHECKEQ(c[1], 0);
	CHECKEQ(c[2], 0);
}

TEST(t_pingsync_local) { pingsync(0); }
TEST(t_pingsync_task) { pingsync(1); }

static void pingasync(int task)
{
	Ao *s[2];
	AoMsg m;
	int64_t v;

	CHECKEQ(servers(task, s), 0);
	for (long i = 0; i < 200; i++) {
		CHECKEQ(ao_post(s[0], mk(&m, LPing, 2 * i)), 0);
		CHECKEQ(ao_take(NULL, &m, Wait), 0);
		CHECKEQ(m.label, LPong);
		CHECKEQ(m.kind, AoKPost);
		CHECKEQ(ao_unpack(&m, "l", &v), 0);
		CHECKEQ(v, 2 * i + 1);
		if (task)
			CHECK(m.from & AoRemote);
		else
			CHECKEQ(m.from, ao_id(s[0]));
	}
	/* several in flight, through ao_recv, in order */
	for (long i = 0; i < Slots; i++)
		CHECKEQ(ao_post(s[1], mk(&m, LPing, i)), 0);
	for (long i = 0; i < Slots; i++) {
		CHECKEQ(ao_recv(&m, Wait), 0);
		CHECKEQ(ao_unpack(&m, "l", &v), 0);
		CHECKEQ(v, i + 1);
	}
	CHECKEQ(ao_take(NULL, &m, AoPoll), AoETimeout);
}

TEST(t_pingasync_local) { pingasync(0); }
TEST(t_pingasync_task) { pingasync(1); }

/* ---- producer and consumer: a full mailbox fails, loses nothing ---- */

static void full(int task)
{
	enum { N = 300 };
	Ao *s[2];
	AoMsg m;
	int64_t c[3];
	long next = 0, nfull = 0, r;

	CHECKEQ(servers(task, s), 0);
	CHECKEQ(ao_call(s[0], mk(&m, LPause, 0), &m, Wait), 0);
	for (; next < Slots; next++)
		CHECKEQ(ao_post(s[0], mk(&m, LItem, next)), 0);
	CHECKEQ(ao_post(s[0], mk(&m, LItem, next)), AoEFull);
	CHECKEQ(ao_post(s[0], mk(&m, LItem, next)), AoEFull);
	CHECKEQ(ao_call(s[0], mk(&m, LResume, 0), &m, Wait), 0);
	/* now faster than it takes them: retry what did not fit */
	while (next < Slots + N) {
		r = ao_post(s[0], mk(&m, LItem, next));
		if (r == 0) {
			next++;
			continue;
		}
		CHECKEQ(r, AoEFull);
		CHECK(++nfull < 100000);
		mu_yield();
	}
	CHECKEQ(aostat(s[0], Slots + N, c), 0);
	CHECKEQ(c[0], Slots + N);
	CHECKEQ(c[1], 0);
	CHECKEQ(c[2], 0);
}

TEST(t_full_local) { full(0); }
TEST(t_full_task) { full(1); }

/* ---- futures ---- */

static long tval(AoTally *t)
{
	int64_t v;

	return t->status < 0 ? t->status : ao_unpack(&t->msg, "l", &v) < 0 ? -1 : v;
}

static void futures(int task)
{
	static AoTally t[3], u;
	AoTally *all[3] = { &t[0], &t[1], &t[2] }, *one[1] = { &u };
	Ao *s[2];
	AoMsg m;
	long t0, t1, r;

	CHECKEQ(servers(task, s), 0);
	t0 = mu_time();
	CHECKEQ(ao_acall(s[0], mk(&m, LDelay, 80), &t[0], Wait), 0);
	CHECKEQ(ao_acall(s[1], mk(&m, LDelay, 10), &t[1], Wait), 0);
	CHECKEQ(ao_acall(s[1], mk(&m, LHold, 0), &t[2], 400), 0);
	CHECKEQ(ao_waitany(all, 3, AoPoll), AoETimeout);
	/* they complete in the order of their delays, whatever the order of the array */
	CHECKEQ(ao_waitany(all, 3, Wait), 1);
	CHECKEQ(tval(&t[1]), 10);
	CHECKEQ(t[1].msg.label, LDelay);
	CHECKEQ(ao_waitany(all, 3, Wait), 0);
	CHECKEQ(tval(&t[0]), 80);
	CHECKWAIT(t0, 80);
	/* the one never answered ends at its deadline (a slow host may have
	 * passed it already: then the short wait sees it end) */
	r = ao_waitany(all, 3, 10);
	CHECK(r == AoETimeout || (r == 2 && mu_time() - t0 >= 400 * 1000000L));
	if (r == AoETimeout)
		CHECKEQ(ao_waitany(all, 3, Wait), 2);
	CHECKEQ(t[2].status, AoETimeout);
	CHECKWAIT(t0, 400);
	CHECKEQ(ao_waitany(all, 3, Wait), AoEInval); /* none left */
	/* a wait shorter than the call, then the rest */
	t1 = mu_time();
	CHECKEQ(ao_acall(s[0], mk(&m, LDelay, 200), &u, Wait), 0);
	r = ao_waitany(one, 1, 20);
	CHECK(r == AoETimeout || (r == 0 && mu_time() - t1 >= 200 * 1000000L));
	if (r == AoETimeout)
		CHECKEQ(ao_waitany(one, 1, Wait), 0);
	CHECKEQ(tval(&u), 200);
	/* a cancelled call: its reply goes nowhere, the tally is free */
	CHECKEQ(ao_acall(s[0], mk(&m, LDelay, 20), &u, Wait), 0);
	ao_tally_cancel(&u);
	CHECKEQ(ao_waitany(one, 1, AoPoll), AoEInval);
	CHECKEQ(ao_acall(s[0], mk(&m, LEcho, 41), &u, Wait), 0);
	CHECKEQ(ao_waitany(one, 1, Wait), 0);
	CHECKEQ(tval(&u), 42);
	/* an error answered by the server */
	m.label = LEcho;
	ao_pack(&m, "s", "not a number");
	CHECKEQ(ao_acall(s[0], &m, &u, Wait), 0);
	CHECKEQ(ao_waitany(one, 1, Wait), 0);
	CHECKEQ(u.status, AoEFormat);
}

TEST(t_futures_local) { futures(0); }
TEST(t_futures_task) { futures(1); }

/* ---- timeouts ---- */

static void timeouts(int task)
{
	Ao *s[2];
	AoMsg m;
	int64_t v;
	long t0, tp, r;

	CHECKEQ(servers(task, s), 0);
	/* a call that is received but never answered */
	t0 = mu_time();
	CHECKEQ(ao_call(s[0], mk(&m, LHold, 0), &m, 50), AoETimeout);
	CHECKWAIT(t0, 50);
	CHECKEQ(ao_call(s[0], mk(&m, LEcho, 1), &m, Wait), 0);
	CHECKEQ(ao_unpack(&m, "l", &v), 0);
	CHECKEQ(v, 2);
	/* a call to an object that is busy (300 ms) and does not receive;
	 * if a slow host let the 300 ms pass, an answer is right too */
	tp = mu_time();
	CHECKEQ(ao_post(s[1], mk(&m, LDelay, 300)), 0);
	mu_sleep(20);
	t0 = mu_time();
	r = ao_call(s[1], mk(&m, LEcho, 1), &m, 50);
	CHECK(r == AoETimeout || (r == 0 && mu_time() - tp >= 300 * 1000000L));
	if (r == AoETimeout)
		CHECKWAIT(t0, 50);
	r = ao_call(s[1], mk(&m, LEcho, 1), &m, AoPoll);
	CHECK(r == AoETimeout || (r == 0 && mu_time() - tp >= 300 * 1000000L));
	r = ao_send(s[1], mk(&m, LEcho, 1), AoPoll);
	CHECK(r == AoETimeout || (r == 0 && mu_time() - tp >= 300 * 1000000L));
	/* receives and takes with nothing to come */
	t0 = mu_time();
	CHECKEQ(ao_recv(&m, 30), AoETimeout);
	CHECKWAIT(t0, 30);
	CHECKEQ(ao_recv(&m, AoPoll), AoETimeout);
	t0 = mu_time();
	CHECKEQ(ao_take(NULL, &m, 30), AoETimeout);
	CHECKWAIT(t0, 30);
	CHECKEQ(ao_call(s[1], mk(&m, LEcho, 5), &m, Wait), 0);
}

TEST(t_timeout_local) { timeouts(0); }
TEST(t_timeout_task) { timeouts(1); }

/* ---- kill ---- */

typedef struct Blk {
	Ao ao;
	int how;
	AoChan *c;
	volatile long r;
} Blk;

static void blkbody(void *arg)
{
	static AoTally t;
	AoTally *tp = &t;
	Blk *b = arg;
	AoMsg m;
	long v;

	switch (b->how) {
	case 0:
		b->r = ao_recv(&m, AoForever);
		break;
	case 1:
		b->r = ao_chan_recv(b->c, &v, AoForever);
		break;
	case 2:
		/* `me` never answers */
		if ((v = ao_acall(&me, mk(&m, LHold, 0), &t, AoForever)) == 0)
			v = ao_waitany(&tp, 1, AoForever);
		b->r = v;
		break;
	case 3:
		b->r = ao_sleep(AoForever);
		break;
	case 4:
		b->r = ao_recvfrom(&m, 12345, AoForever);
		break;
	case 5:
		/* a synchronous call `me` never answers: the kill must end it */
		b->r = ao_call(&me, mk(&m, LHold, 0), &m, AoForever);
		break;
	}
}

/* An object blocked in each kind of wait is killed and unwinds. */
TEST(t_kill_local)
{
	static Blk b;
	static AoChan c;
	Srv *x;
	Ao *px;
	AoMsg m;
	long h;

	CHECK(localsrv() != NULL);
	x = &srvs[0];
	CHECKEQ(waitblocked(x->ao.thread), 0);
	CHECKEQ(ao_kill(&x->ao), 0);
	CHECKEQ(ao_join(&x->ao, Wait), 0);
	CHECKEQ(x->last, AoEKilled);
	CHECKEQ(ao_call(&x->ao, mk(&m, LEcho, 1), &m, Wait), AoEGone);
	CHECKEQ(ao_post(&x->ao, mk(&m, LEcho, 1)), AoEGone);
	CHECKEQ(ao_kill(&x->ao), AoEGone);
	ao_chan_init(&c, sizeof(long));
	for (int how = 0; how < 6; how++) {
		b = (Blk){ .how = how, .c = &c, .r = 1 };
		CHECKEQ(spawn(&b, blkbody, 0), 0);
		CHECKEQ(waitblocked(b.ao.thread), 0);
		CHECKEQ(b.r, 1);
		CHECKEQ(ao_kill(&b.ao), 0);
		CHECKEQ(ao_join(&b.ao, Wait), 0);
		CHECKEQ(b.r, AoEKilled);
	}
	/* the async call of case 2 left a message here: its caller is gone */
	CHECKEQ(ao_take(NULL, &m, AoPoll), 0);
	CHECKEQ(m.kind, AoKACall);
	CHECKEQ(ao_reply(&m, &m), AoEGone);
	/* only an export with AoExpKill lets others kill */
	CHECK(localsrv() != NULL);
	CHECK((h = ao_export(&srvs[1].ao, 0)) > 0 && (px = proxy()) != NULL);
	CHECKEQ(ao_attach(px, h, Wait), 0);
	mu_close(h);
	CHECKEQ(ao_kill(px), AoEPerm);
	CHECKEQ(ao_call(px, mk(&m, LEcho, 6), &m, Wait), 0);
}

TEST(t_kill_task)
{
	Ao *s[2];
	AoMsg m;
	int64_t i, last;

	CHECKEQ(servers(1, s), 0);
	CHECKEQ(ao_call(s[0], mk(&m, LEcho, 1), &m, Wait), 0);
	mu_sleep(20); /* it is back in its receive */
	CHECKEQ(ao_kill(s[0]), 0);
	CHECKEQ(expect(&m, LDone), 0);
	CHECKEQ(ao_unpack(&m, "ll", &i, &last), 0);
	CHECKEQ(i, 0);
	CHECKEQ(last, AoEKilled);
	CHECKEQ(ao_post(s[0], mk(&m, LEcho, 1)), AoEGone);
	CHECKEQ(ao_kill(s[0]), AoEGone);
	CHECKEQ(ao_call(s[1], mk(&m, LEcho, 1), &m, Wait), 0);
}

/* ---- malformed messages ---- */

/* A raw call; the error it was answered with, or 0. */
static long rawcall(long h, MuWord tag, MuWord hdr, MuWord w1, MuWord w2)
{
	MuMsg mm = { TAG_WITHMS(tag, Wait), 0, { hdr, w1, w2, 0 } };
	long r;

	if (TAG_ITEMS(tag))
		for (unsigned i = 0; i < TAG_ITEMS(tag); i++)
			mu_ipcbuf()->item[i] = (MuItem){ ItemHandle, me.ntf, RAll };
	if ((r = mu_call(h, &mm)) < 0)
		return r;
	if (TAG_LABEL(mm.tag) == AoLError && AO_HDR_KIND(mm.mr[0]) == AoKError)
		return AO_HDR_AUX(mm.mr[0]);
	return 0;
}

static void malformed(int task)
{
	MuWord ok = AO_HDR(9, AoKCall, 0, 0), w1 = 'l' | 7ul << 8;
	Ao *s[2];
	long ep, post = 0;
	int64_t c[3];

	CHECKEQ(servers(task, s), 0);
	ep = s[0]->ep;
	if (task)
		post = s[0]->post;
	else
		CHECK((post = ao_export(s[0], 0)) > 0);
	/* on the object's endpoint: skipped, the caller told */
	CHECKEQ(rawcall(ep, TAG(LEcho, 0, 0), 0, 0, 0), AoEFormat);
	CHECKEQ(rawcall(ep, TAG(LEcho, 1, 0), AO_HDR(600, AoKCall, 0, 0), 0, 0), AoEFormat);
	CHECKEQ(rawcall(ep, TAG(LEcho, 1, 0), ok, 0, 0), AoEFormat);
	CHECKEQ(rawcall(ep, TAG(LEcho, 4, 0), ok, w1, 0), AoEFormat);
	CHECKEQ(rawcall(ep, TAG(LEcho, 3, 0), AO_HDR(9, AoKPost, 0, 0), w1, 0), AoEFormat);
	CHECKEQ(rawcall(ep, TAG(LEcho, 3, 0), AO_HDR(9, 99, 0, 0), w1, 0), AoEFormat);
	CHECKEQ(rawcall(ep, TAG(LEcho, 3, 2), ok, w1, 0), AoEFormat);
	/* well formed, but the data is not what LEcho unpacks: the server says so */
	CHECKEQ(rawcall(ep, TAG(LEcho, 3, 0), ok, w1 ^ 3, 0), AoEFormat);
	CHECKEQ(rawcall(ep, TAG(LEcho, 3, 0), AO_HDR(10, AoKCall, 0, 0), w1, 0), AoEFormat);
	CHECKEQ(rawcall(ep, TAG(LEcho, 3, 1), ok, w1, 0), 0);
	/* on the porter */
	CHECKEQ(rawcall(post, TAG(AoLPost, 0, 0), 0, 0, 0), AoEFormat);
	CHECKEQ(rawcall(post, TAG(AoLPost, 3, 0), ok, w1, 0), AoEFormat);
	CHECKEQ(rawcall(post, TAG(AoLPost, 3, 0), AO_HDR(9, AoKPost, 0, 0xf123), w1, 0),
		AoEFormat);
	CHECKEQ(rawcall(post, TAG(AoLPost, 3, 1), AO_HDR(99, AoKPost, 0, LItem), w1, 0),
		AoEFormat);
	CHECKEQ(rawcall(post, TAG(0x1234, 1, 0), AO_HDR(0, AoKCall, 0, 0), 0, 0), AoEInval);
	CHECKEQ(rawcall(post, TAG(AoLPost, 3, 0), AO_HDR(9, AoKPost, 0, LItem), 'l', 0), 0);
	/* it still serves; only the two with bad data reached it */
	CHECKEQ(aostat(s[0], 1, c), 0);
	CHECKEQ(c[0], 1);
	CHECKEQ(c[2], 2);
	if (!task)
		mu_close(post);
}

TEST(t_malformed_local) { malformed(0); }
TEST(t_malformed_task) { malformed(1); }

/* Unpacking what does not match is an error, never a crash. */
TEST(t_unpack)
{
	AoMsg m;
	int32_t i;
	int64_t l;
	const char *str;
	const void *p;
	size_t n;
	unsigned x = 12345;

	CHECKEQ(ao_pack(&m, "isb", -5, "abc", "xy", (size_t)2), 1 + 4 + 1 + 2 + 4 + 1 + 2 + 2);
	CHECKEQ(ao_unpack(&m, "isb", &i, &str, &p, &n), 0);
	CHECKEQ(i, -5);
	CHECKEQ(strcmp(str, "abc"), 0);
	CHECKEQ(n, 2);
	CHECKEQ(memcmp(p, "xy", 2), 0);
	CHECKEQ(ao_unpack(&m, "is", &i, &str), AoEFormat);
	CHECKEQ(ao_unpack(&m, "isbl", &i, &str, &p, &n, &l), AoEFormat);
	CHECKEQ(ao_unpack(&m, "lsb", &l, &str, &p, &n), AoEFormat);
	CHECKEQ(ao_unpack(&m, "isz", &i, &str), AoEInval);
	m.len -= 1;
	CHECKEQ(ao_unpack(&m, "isb", &i, &str, &p, &n), AoEFormat);
	m.len = 600;
	CHECKEQ(ao_unpack(&m, "isb", &i, &str, &p, &n), AoEFormat);
	/* random bytes under every format */
	for (int k = 0; k < 3000; k++) {
		static const char *const fmts[] = { "c", "i", "l", "s", "b", "isb", "sss", "lb", "" };
		long r;
		x = x * 1103515245 + 12345;
		m.len = x % 64;
		for (int j = 0; j < m.len; j++) {
			x = x * 1103515245 + 12345;
			m.data[j] = x >> 16;
			if (j % 3 == 0)
				m.data[j] = "cilsb"[(x >> 8) % 5];
		}
		switch (k % 9) {
		case 0: r = ao_unpack(&m, fmts[0], &i); break;
		case 1: r = ao_unpack(&m, fmts[1], &i); break;
		case 2: r = ao_unpack(&m, fmts[2], &l); break;
		case 3: r = ao_unpack(&m, fmts[3], &str); break;
		case 4: r = ao_unpack(&m, fmts[4], &p, &n); break;
		case 5: r = ao_unpack(&m, fmts[5], &i, &str, &p, &n); break;
		case 6: r = ao_unpack(&m, fmts[6], &str, &str, &str); break;
		case 7: r = ao_unpack(&m, fmts[7], &l, &p, &n); break;
		default: r = ao_unpack(&m, fmts[8]); break;
		}
		CHECK(r == 0 || r == AoEFormat);
		if (r == 0 && (k % 9 == 4 || k % 9 == 5 || k % 9 == 7))
			CHECK((const uint8_t *)p + n <= m.data + m.len);
	}
}

/* ---- receive from one sender ---- */

typedef struct Cli {
	Ao ao;
	long n, r;
	int64_t v;
} Cli;

static void clibody(void *arg)
{
	Cli *c = arg;
	AoMsg m;

	if ((c->r = ao_call(&me, mk(&m, LEcho, c->n), &m, Wait)) == 0)
		ao_unpack(&m, "l", &c->v);
}

TEST(t_recvfrom)
{
	static Cli c[2];
	AoMsg m, n;
	int64_t v;

	for (int i = 0; i < 2; i++) {
		c[i] = (Cli){ .n = 10 * (i + 1), .r = 1 };
		CHECKEQ(spawn(&c[i], clibody, 0), 0);
		CHECKEQ(waitblocked(c[i].ao.thread), 0);
	}
	CHECKEQ(ao_recvfrom(&m, ao_id(&c[1].ao), Wait), 0);
	CHECKEQ(m.from, ao_id(&c[1].ao));
	CHECKEQ(m.kind, AoKCall);
	CHECKEQ(ao_unpack(&m, "l", &v), 0);
	CHECKEQ(ao_reply(&m, mk(&n, LEcho, v + 1)), 0);
	CHECKEQ(ao_reply(&m, &n), AoENoReply); /* once */
	CHECKEQ(ao_recvfrom(&n, 12345, AoPoll), AoETimeout);
	/* the other was set aside, and can still be answered */
	CHECKEQ(ao_recv(&m, Wait), 0);
	CHECKEQ(m.from, ao_id(&c[0].ao));
	CHECKEQ(ao_defer(&m), 0);
	CHECKEQ(ao_recv(&n, AoPoll), AoETimeout);
	CHECKEQ(ao_unpack(&m, "l", &v), 0);
	CHECKEQ(ao_reply(&m, mk(&n, LEcho, v + 1)), 0);
	for (int i = 0; i < 2; i++) {
		CHECKEQ(ao_join(&c[i].ao, Wait), 0);
		CHECKEQ(c[i].r, 0);
		CHECKEQ(c[i].v, 10 * (i + 1) + 1);
	}
}

/* ---- channels and alt ---- */

typedef struct Prod {
	Ao ao;
	AoChan *c;
	long n, r;
} Prod;

static void prodbody(void *arg)
{
	Prod *p = arg;

	for (long i = 0;; i++)
		if ((p->r = ao_chan_send(p->c, &i, AoForever)) < 0)
			return;
}

static void recvbody(void *arg)
{
	Prod *p = arg;

	p->r = ao_chan_recv(p->c, &p->n, Wait);
}

TEST(t_alt_local)
{
	static AoChan c1, c2;
	static Prod p, q;
	static AoMbox mb;
	long v = 7, x = 0, t0;
	AoMsg m, got;
	AoAlt a[3] = { { AoAltSend, &c1, NULL, &v, 0 }, { AoAltRecv, &c2, NULL, &x, 0 },
		       { AoAltTake, NULL, &mb, &got, 0 } };

	ao_chan_init(&c1, sizeof(long));
	ao_chan_init(&c2, sizeof(long));
	CHECKEQ(mbox(&mb, 2), 0);
	CHECKEQ(ao_alt(a, 3, AoPoll), AoETimeout);
	t0 = mu_time();
	CHECKEQ(ao_alt(a, 3, 30), AoETimeout);
	CHECKWAIT(t0, 30);
	/* a receiver on c1 takes our send */
	p = (Prod){ .c = &c1, .r = 1 };
	CHECKEQ(spawn(&p, recvbody, 0), 0);
	CHECKEQ(waitblocked(p.ao.thread), 0);
	CHECKEQ(ao_alt(a, 3, Wait), 0);
	CHECKEQ(ao_join(&p.ao, Wait), 0);
	CHECKEQ(p.r, 0);
	CHECKEQ(p.n, 7);
	/* a post to the mailbox */
	CHECKEQ(ao_mbox_post(&mb, mk(&m, LItem, 3)), 0);
	CHECKEQ(ao_alt(a, 3, Wait), 2);
	CHECKEQ(got.label, LItem);
	/* a sender on c2, while we wait */
	q = (Prod){ .c = &c2, .r = 1 };
	CHECKEQ(spawn(&q, prodbody, 0), 0);
	CHECKEQ(ao_alt(&a[1], 2, Wait), 0);
	CHECKEQ(x, 0);
	CHECKEQ(ao_chan_recv(&c2, &x, Wait), 0);
	CHECKEQ(x, 1);
	/* closing wakes the sender; a closed channel is ready, with an error */
	ao_chan_close(&c2);
	CHECKEQ(ao_join(&q.ao, Wait), 0);
	CHECKEQ(q.r, AoEClosed);
	CHECKEQ(ao_alt(&a[1], 1, Wait), 0);
	CHECKEQ(a[1].err, AoEClosed);
	CHECKEQ(ao_chan_send(&c2, &v, AoPoll), AoEClosed);
	/* and a waiting receiver too */
	p = (Prod){ .c = &c1, .r = 1 };
	CHECKEQ(spawn(&p, recvbody, 0), 0);
	CHECKEQ(waitblocked(p.ao.thread), 0);
	ao_chan_close(&c1);
	CHECKEQ(ao_join(&p.ao, Wait), 0);
	CHECKEQ(p.r, AoEClosed);
	/* a destroyed mailbox */
	ao_mbox_destroy(&mb);
	CHECKEQ(ao_mbox_post(&mb, &m), AoEGone);
	CHECKEQ(ao_alt(a, 3, AoPoll), AoEInval);
}

/*
 * Two producers always ready: each branch must win its share.  They run
 * on the consumer's cpu, so that which branches are ready is decided by
 * the alternative, not by how fast another cpu wakes up.
 */
TEST(t_altfair_local)
{
	enum { N = 2000 };
	static AoChan c[2];
	static Prod p[2];
	long cnt[2] = { 0, 0 }, last[2] = { -1, -1 }, v, k;

	for (int i = 0; i < 2; i++) {
		ao_chan_init(&c[i], sizeof(long));
		p[i] = (Prod){ .c = &c[i] };
		CHECKEQ(spawn(&p[i], prodbody, 0), 0);
	}
	for (int i = 0; i < N; i++) {
		AoAlt a[2] = { { AoAltRecv, &c[0], NULL, &v, 0 }, { AoAltRecv, &c[1], NULL, &v, 0 } };
		k = ao_alt(a, 2, Wait);
		CHECK(k == 0 || k == 1);
		CHECKEQ(a[k].err, 0);
		CHECKEQ(v, last[k] + 1);
		last[k] = v;
		cnt[k]++;
	}
	for (int i = 0; i < 2; i++) {
		ao_chan_close(&c[i]);
		CHECKEQ(ao_join(&p[i].ao, Wait), 0);
		CHECKEQ(p[i].r, AoEClosed);
	}
	if (cnt[0] < N / 4 || cnt[1] < N / 4)
		tfail(__FILE__, __LINE__, "unfair: %ld and %ld of %d", cnt[0], cnt[1], N);
}

/* The child of t_altfair_task: two producers posting to two mailboxes of
 * the parent as fast as they are taken, until those go away. */
typedef struct Poster {
	Ao ao;
	Ao px;
} Poster;

static void posterbody(void *arg)
{
	Poster *p = arg;
	AoMsg m;
	long r;

	for (long i = 0;; i++) {
		while ((r = ao_post(&p->px, mk(&m, LItem, i))) == AoEFull)
			if (ao_sleep(1) < 0)
				return;
		if (r < 0)
			return;
	}
}

static int role_posters(long h)
{
	static Ao self, parent;
	static Poster p[2];
	AoMsg m;

	if (ao_adopt(&self, Slots) < 0 || ao_attach(&parent, h, Wait) < 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		m.label = LNeed;
		m.len = 0;
		m.handle = 0;
		if (ao_call(&parent, &m, &m, Wait) < 0 || ao_attach(&p[i].px, m.handle, Wait) < 0)
			return 1;
		mu_close(m.handle);
	}
	for (int i = 0; i < 2; i++)
		if (ao_create(&p[i], posterbody, 0, 0) < 0)
			return 1;
	for (int i = 0; i < 2; i++)
		ao_join(&p[i].ao, AoForever);
	return 0;
}

TEST(t_altfair_task)
{
	enum { N = 600 };
	static AoMbox mb[2];
	AoMsg m[2], r;
	long cnt[2] = { 0, 0 }, last[2] = { -1, -1 }, k, h;
	int64_t v;

	for (int i = 0; i < 2; i++)
		CHECKEQ(mbox(&mb[i], Slots), 0);
	CHECKEQ(kid("aoposters"), 0);
	for (int i = 0; i < 2; i++) {
		CHECKEQ(expect(&r, LNeed), 0);
		CHECK((h = ao_export_mbox(&mb[i])) > 0);
		m[0] = (AoMsg){ .label = LNeed, .handle = h };
		CHECKEQ(ao_reply(&r, &m[0]), 0);
		mu_close(h);
	}
	for (int i = 0; i < N; i++) {
		AoAlt a[2] = { { AoAltTake, NULL, &mb[0], &m[0], 0 },
			       { AoAltTake, NULL, &mb[1], &m[1], 0 } };
		k = ao_alt(a, 2, Wait);
		CHECK(k == 0 || k == 1);
		CHECKEQ(a[k].err, 0);
		CHECKEQ(m[k].label, LItem);
		CHECK(m[k].from & AoRemote);
		CHECKEQ(ao_unpack(&m[k], "l", &v), 0);
		CHECKEQ(v, last[k] + 1);
		last[k] = v;
		cnt[k]++;
	}
	if (cnt[0] < N / 4 || cnt[1] < N / 4)
		tfail(__FILE__, __LINE__, "unfair: %ld and %ld of %d", cnt[0], cnt[1], N);
}

const Test ao_tests[] = {
	{ t_pingsync_local, "ao.pingpong.sync.local" },
	{ t_pingsync_task, "ao.pingpong.sync.task" },
	{ t_pingasync_local, "ao.pingpong.async.local" },
	{ t_pingasync_task, "ao.pingpong.async.task" },
	{ t_full_local, "ao.full.local" },
	{ t_full_task, "ao.full.task" },
	{ t_futures_local, "ao.futures.local" },
	{ t_futures_task, "ao.futures.task" },
	{ t_timeout_local, "ao.timeout.local" },
	{ t_timeout_task, "ao.timeout.task" },
	{ t_kill_local, "ao.kill.local" },
	{ t_kill_task, "ao.kill.task" },
	{ t_malformed_local, "ao.malformed.local" },
	{ t_malformed_task, "ao.malformed.task" },
	{ t_unpack, "ao.unpack" },
	{ t_recvfrom, "ao.recvfrom" },
	{ t_alt_local, "ao.alt.local" },
	{ t_altfair_local, "ao.altfair.local" },
	{ t_altfair_task, "ao.altfair.task" },
	{ NULL, NULL },
};

const Role ao_roles[] = {
	{ role_peer, "aopeer" },
	{ role_posters, "aoposters" },
	{ role_benchao, "benchao" },
	{ NULL, NULL },
};
