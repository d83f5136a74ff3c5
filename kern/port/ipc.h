/* SPDX-License-Identifier: MIT */
/*
 * Endpoint queues and message delivery, shared by the general IPC code
 * (ipc.c) and the C fast path (fastpath.c); entry.S has the same steps as
 * the EPQ_POP and EPQ_PUSH macros.
 */
#ifndef IPC_H
#define IPC_H

/* t waits on e (as sender or receiver, by state): append it. */
static inline void epq_push(Endpoint *e, Thread *t, int state)
{
	t->state = state;
	t->waiton = e;
	t->qnext = NULL;
	t->qprev = e->tail;
	if (e->tail)
		e->tail->qnext = t;
	else
		e->head = t;
	e->tail = t;
	e->state = state == TSend ? EpSend : EpRecv;
}

/* Take the first waiter off e (e is not idle).  Its stale links and
 * waiton are not read again while it does not wait. */
static inline Thread *epq_pop(Endpoint *e)
{
	Thread *t = e->head;

	e->head = t->qnext;
	if (e->head)
		e->head->qprev = NULL;
	else {
		e->tail = NULL;
		e->state = EpIdle;
	}
	return t;
}

/* The results of r's receive: a message of register words. */
static inline void msg_to(Thread *r, u64 badge, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	r->regs.rax = 0;
	r->regs.rdi = badge;
	r->regs.rsi = tag;
	r->regs.rdx = m0;
	r->regs.r10 = m1;
	r->regs.r8 = m2;
	r->regs.r9 = m3;
}

#endif
