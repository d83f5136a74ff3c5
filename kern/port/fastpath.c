/* SPDX-License-Identifier: MIT */
/*
 * The IPC fast path: call and reply-and-receive when the message is only
 * register words, the partner waits on this cpu and nothing unusual is
 * pending (timeouts, items, notifications).  Everything else falls
 * through to the general code in ipc.c, which gives the same result.
 */
#include "kern.h"
#include "ipc.h"


/* Tags the fast path takes: at most 4 words, no items, no timeout. */
#define FASTTAG(tag) ((tag) < (5ul << 16))

/*
 * Can the fast switch from t to r be done here?  Not when anything
 * unusual needs the general switch (sched.c): a dead task, or an I/O
 * bitmap that must be copied into the TSS (a current copy is fine).
 * A timeout r waits with is cancelled by the caller (wakeable), as the
 * general path does.
 */
static inline int fastok(Cpu *c, Thread *t, Thread *r)
{
	Task *nt = r->task;
	return r->cpu == c->id &&
	       (nt == c->as || !(nt->o.dead || (nt->iobitmap && c->iopbtask != nt)));
}

static inline void wakeable(Thread *r)
{
	if (unlikely(r->deadline))
		timeout_cancel(r);
}

/*
 * The general sched_switch cut to what a switch between two live threads
 * of this cpu needs.  Tells entry.S to leave straight to r (CPU_SLOW 2).
 */
static inline void fastswitch(Cpu *c, Thread *t, Thread *r)
{
	Task *nt = r->task, *ot = c->as;

	c->cur = r;
	t->oncpu = 0;
	r->oncpu = c->id + 1;
	if (nt != ot) {
		ot->cpus &= ~(1u << c->id);
		nt->cpus |= 1u << c->id;
		nt->o.ref++;
		ot->o.ref--; /* never the last: t's task, and t lives */
		c->as = nt;
		c->switches++;
		arch_load_task(c, nt);
		if (unlikely(nt->iobitmap || c->iopb))
			arch_set_iopb(nt); /* no copy: fastok saw it current */
	}
	if (unlikely(t->fpu_used | r->fpu_used))
		arch_fpu_switch(t, r);
	if (r->fsbase != c->fsbase) {
		arch_set_fsbase(r->fsbase);
		c->fsbase = r->fsbase;
	}
	c->slow = 2;
}

/* No frame pointer here: these two are the hottest code in the kernel. */
#define HOT __attribute__((optimize("omit-frame-pointer")))

HOT kerr sys_call_fast(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	Cpu *c = thiscpu();
	Thread *t = c->cur, *r;
	Handle *hd;
	Endpoint *e;
	u64 rtag = tag & 0xffffffffu & ~TAG_TIMEOUT; /* what the receiver sees */

	/* a timeout bounds the wait for the reply: taken here too */
	if (unlikely(h >= MuMaxHandles || !FASTTAG(rtag)))
		goto slow;
	hd = &t->task->handles[h];
	e = (Endpoint *)hd->obj;
	if (unlikely(e == NULL || e->o.type != ObjEndpoint || !(hd->rights & RSend) ||
		     e->state != EpRecv))
		goto slow;
	r = e->head;
	if (unlikely(!fastok(c, t, r) || r->caller || r->prio < t->prio))
		goto slow;
	epq_pop(e);
	wakeable(r);
	msg_to(r, hd->badge, rtag, m0, m1, m2, m3);
	r->caller = t;
	t->replyholder = &r->caller;
	t->state = TReply;
	t->sendkind = SendCall;
	r->state = TReady;
	if (unlikely(tag & TAG_TIMEOUT))
		timeout_add(t, TAG_MS(tag));
	fastswitch(c, t, r);
	return 0;
slow:
	return sys_call_slow(h, tag, m0, m1, m2, m3);
}

HOT kerr sys_replyrecv_fast(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	Cpu *c = thiscpu();
	Thread *t = c->cur, *r = t->caller;
	Handle *hd;
	Endpoint *e;

	if (unlikely(r == NULL || h >= MuMaxHandles || !FASTTAG(tag)))
		goto slow;
	hd = &t->task->handles[h];
	e = (Endpoint *)hd->obj;
	if (unlikely(e == NULL || e->o.type != ObjEndpoint || !(hd->rights & RRecv) ||
		     e->state == EpSend || r->state != TReply || r->sendkind != SendCall ||
		     !fastok(c, t, r) || (t->bound && t->bound->bits)))
		goto slow;
	t->caller = NULL;
	r->replyholder = NULL;
	wakeable(r);
	msg_to(r, 0, tag, m0, m1, m2, m3);
	r->state = TReady;
	epq_push(e, t, TRecv);
	fastswitch(c, t, r);
	return 0;
slow:
	return sys_replyrecv_slow(h, tag, m0, m1, m2, m3);
}

/*
 * Forward-and-receive, the step of a server in a chain with direct
 * return: the request goes on to the next server, which inherits our
 * caller; we wait for the next request on the endpoint in TAG_RECVH.
 */
HOT kerr sys_forwardrecv_fast(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	Cpu *c = thiscpu();
	Thread *t = c->cur, *caller = t->caller, *r;
	Handle *hd, *rh;
	Endpoint *e, *re;
	u64 rhn = TAG_RECVH(tag);

	tag &= 0xffffffffu;
	if (unlikely(caller == NULL || h >= MuMaxHandles || rhn >= MuMaxHandles || !FASTTAG(tag)))
		goto slow;
	hd = &t->task->handles[h];
	rh = &t->task->handles[rhn];
	e = (Endpoint *)hd->obj;
	re = (Endpoint *)rh->obj;
	if (unlikely(e == NULL || e->o.type != ObjEndpoint || !(hd->rights & RSend) ||
		     e->state != EpRecv || re == NULL || re->o.type != ObjEndpoint ||
		     !(rh->rights & RRecv) || re->state == EpSend || (t->bound && t->bound->bits)))
		goto slow;
	r = e->head;
	if (unlikely(!fastok(c, t, r) || r->caller || r->prio < t->prio || r == caller))
		goto slow;
	epq_pop(e);
	wakeable(r);
	msg_to(r, hd->badge, tag, m0, m1, m2, m3);
	r->caller = caller;
	caller->replyholder = &r->caller;
	t->caller = NULL;
	r->state = TReady;
	epq_push(re, t, TRecv);
	fastswitch(c, t, r);
	return 0;
slow:
	return sys_forwardrecv(h, tag | rhn << 32, m0, m1, m2, m3);
}
