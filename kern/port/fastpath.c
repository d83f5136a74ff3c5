/* SPDX-License-Identifier: MIT */
/*
 * The IPC fast path: call and reply-and-receive when the message is only
 * register words, the partner waits on this cpu and nothing unusual is
 * pending (timeouts, items, notifications).  Everything else falls
 * through to the general code in ipc.c, which gives the same result.
 */
#include "kern.h"


/* Tags the fast path takes: at most 4 words, no items, no timeout. */
#define FASTTAG(tag) ((tag) < (5ul << 16))

kerr sys_call_fast(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	Cpu *c = thiscpu();
	Thread *t = c->cur, *r;
	Handle *hd;
	Endpoint *e;

	if (unlikely(h >= MuMaxHandles || !FASTTAG(tag)))
		goto slow;
	hd = &t->task->handles[h];
	e = (Endpoint *)hd->obj;
	if (unlikely(e == NULL || e->o.type != ObjEndpoint || !(hd->rights & RSend) ||
		     e->state != EpRecv))
		goto slow;
	r = e->head;
	if (unlikely(r->cpu != c->id || r->deadline || r->caller || r->prio < t->prio))
		goto slow;
	e->head = r->qnext;
	if (e->head)
		e->head->qprev = NULL;
	else {
		e->tail = NULL;
		e->state = EpIdle;
	}
	r->qnext = NULL;
	r->waiton = NULL;
	r->regs.rax = 0;
	r->regs.rdi = hd->badge;
	r->regs.rsi = tag;
	r->regs.rdx = m0;
	r->regs.r10 = m1;
	r->regs.r8 = m2;
	r->regs.r9 = m3;
	r->caller = t;
	t->replyholder = &r->caller;
	t->state = TReply;
	t->sendkind = SendCall;
	r->state = TReady;
	sched_switch(r);
	return 0;
slow:
	return sys_call_slow(h, tag, m0, m1, m2, m3);
}

kerr sys_replyrecv_fast(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
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
		     r->cpu != c->id || r->deadline || (t->bound && t->bound->bits)))
		goto slow;
	t->caller = NULL;
	r->replyholder = NULL;
	r->regs.rax = 0;
	r->regs.rdi = 0;
	r->regs.rsi = tag;
	r->regs.rdx = m0;
	r->regs.r10 = m1;
	r->regs.r8 = m2;
	r->regs.r9 = m3;
	r->state = TReady;
	t->state = TRecv;
	t->waiton = e;
	t->qnext = NULL;
	t->qprev = e->tail;
	if (e->tail)
		e->tail->qnext = t;
	else
		e->head = t;
	e->tail = t;
	e->state = EpRecv;
	sched_switch(r);
	return 0;
slow:
	return sys_replyrecv_slow(h, tag, m0, m1, m2, m3);
}
