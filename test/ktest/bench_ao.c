/* SPDX-License-Identifier: MIT */
/*
 * Benchmarks of libao (called by bench_all in bench.c), in guest
 * instructions per message under icount, as the rest of bench.c:
 *   ao.async.local   one post between two objects of this task, as a
 *                    stream: Stream posts, then the receiver's one post
 *                    back (so each message also carries 1/Stream of a
 *                    wake-up and a sleep on each side)
 *   ao.sync.local    ao_call and ao_replyrecv between two objects here
 *   ao.sync.remote   the same with the server object in a child task
 * Both objects run on cpu 0 (the caller's).  The messages carry one
 * packed int64 ("l", 9 bytes).
 */
#include "aotest.h"

enum { Batches = 15, Batch = 200, Stream = 32, Quit = 99 };

/* Median cost of op() per message, op doing `per` messages. */
static unsigned long measure(void (*op)(void), int batch, int per)
{
	unsigned long v[Batches];

	for (int b = 0; b < Batches; b++) {
		unsigned long t0 = rdtsc();
		for (int i = 0; i < batch; i++)
			op();
		v[b] = (rdtsc() - t0) / batch / per;
	}
	return median(v, Batches);
}

/* Kernel entries per message over n runs of op. */
static void kentries(const char *name, void (*op)(void), int n, int per)
{
	unsigned long k0 = mu_info(InfoKEntries, 0), k;

	for (int i = 0; i < n; i++)
		op();
	k = mu_info(InfoKEntries, 0) - k0 - 1;
	print("bench: %s.kentries %lu.%02lu per-message\n", name, k / (n * per),
	      k * 100 / (n * per) % 100);
}

static Ao me, *target;
static AoMsg req, rep;

/* ---- synchronous ---- */

/* Answer every call with the request itself, until Quit. */
static void echo(void)
{
	AoMsg m;
	long e = ao_recv(&m, AoForever);

	while (e == 0 && m.label != Quit)
		e = ao_replyrecv(&m, &m, &m, AoForever);
	if (e == 0)
		ao_reply(&m, &m);
}

static void echobody(void *arg)
{
	(void)arg;
	echo();
}

int role_benchao(long h)
{
	static Ao self, parent;
	AoMsg m = { .label = 1 };

	mu_threadset(mu_thread, ThrCpu, 0, 0);
	if (ao_adopt(&self, 4) < 0 || ao_attach(&parent, h, 5000) < 0)
		return 1;
	if ((m.handle = ao_export(&self, 0)) < 0 || ao_call(&parent, &m, &m, 5000) < 0)
		return 1;
	echo();
	return 0;
}

static void op_call(void)
{
	ao_call(target, &req, &rep, AoForever);
}

/* ---- asynchronous ---- */

typedef struct Sink {
	Ao ao;
	long n;
} Sink;

static AoMsg ack = { .label = 2 };

/* Take every post; after each Stream of them post one back. */
static void sinkbody(void *arg)
{
	Sink *s = arg;
	AoMsg m;

	while (ao_recv(&m, AoForever) == 0 && m.label != Quit)
		if (++s->n % Stream == 0)
			ao_post(&me, &ack);
}

static void op_stream(void)
{
	AoMsg m;

	for (int i = 0; i < Stream; i++)
		ao_post(target, &req);
	ao_take(NULL, &m, AoForever);
}

/* End a: ask it, else kill it. */
static void stop(Ao *a)
{
	AoMsg m = { .label = Quit };

	if (ao_post(a, &m) < 0 || ao_join(a, 1000) < 0) {
		ao_kill(a);
		ao_join(a, 5000);
	}
}

static void b_local(void)
{
	static Sink sink;
	static Ao srv;
	AoMsg m;

	if (ao_create(&sink, sinkbody, 0, 2 * Stream) < 0 || ao_create(&srv, echobody, 0, 0) < 0) {
		print("bench: ao: cannot create objects\n");
		return;
	}
	/* a first round with timeouts: the measured ones wait forever */
	target = &sink.ao;
	for (int i = 0; i < Stream; i++)
		ao_post(target, &req);
	if (ao_take(NULL, &m, 5000) == 0) {
		print("bench: ao.async.local %lu instructions\n",
		      measure(op_stream, Batch / 8, Stream));
		kentries("ao.async.local", op_stream, 20, Stream);
	} else
		print("bench: ao: the sink does not answer\n");
	target = &srv;
	if (ao_call(target, &req, &rep, 5000) == 0) {
		print("bench: ao.sync.local %lu instructions\n", measure(op_call, Batch, 1));
		kentries("ao.sync.local", op_call, 1000, 1);
	} else
		print("bench: ao: the echo object does not answer\n");
	stop(&sink.ao);
	stop(&srv);
}

static void b_remote(void)
{
	static Ao px;
	AoMsg m;
	long h = ao_export(&me, 0), t;

	if (h < 0 || (t = child("benchao", h)) < 0) {
		print("bench: ao: cannot start the server task\n");
		return;
	}
	mu_close(h);
	if (ao_recv(&m, 5000) < 0 || ao_attach(&px, m.handle, 5000) < 0) {
		print("bench: ao: no word from the server task\n");
		goto out;
	}
	mu_close(m.handle);
	ao_reply(&m, &m);
	target = &px;
	if (ao_call(target, &req, &rep, 5000) == 0) {
		print("bench: ao.sync.remote %lu instructions\n", measure(op_call, Batch, 1));
		kentries("ao.sync.remote", op_call, 1000, 1);
	} else
		print("bench: ao: the server task does not answer\n");
	ao_detach(&px);
out:
	mu_taskkill(t);
	mu_close(t);
}

void bench_ao(void)
{
	if (ao_adopt(&me, 2 * Stream) < 0) {
		print("bench: ao: cannot adopt\n");
		return;
	}
	req.label = 1;
	ao_pack(&req, "l", 12345L);
	b_local();
	b_remote();
	ao_leave(&me);
}
