/* SPDX-License-Identifier: MIT */
/*
 * Notifications: a word of signal bits.  signal ORs bits in and never
 * blocks; wait takes and clears them, blocking (or with a timeout, or
 * polling) while there are none.  Each signal wakes the first waiter with
 * every pending bit.  A notification bound to a thread also reaches it
 * while it receives on an endpoint (label TAG_NOTIFY, bits as the badge),
 * so a server takes interrupts and results before new requests.
 */
#include "kern.h"

static void nq_add(Ntf *n, Thread *t)
{
	t->state = TNtf;
	t->waiton = n;
	t->qnext = NULL;
	t->qprev = n->tail;
	if (n->tail)
		n->tail->qnext = t;
	else
		n->head = t;
	n->tail = t;
	if (t == curthread())
		thiscpu()->slow = 1;
}

void ntf_dequeue(Thread *t)
{
	Ntf *n = t->waiton;

	if (n == NULL)
		return;
	if (t->qprev)
		t->qprev->qnext = t->qnext;
	else
		n->head = t->qnext;
	if (t->qnext)
		t->qnext->qprev = t->qprev;
	else
		n->tail = t->qprev;
	t->qnext = t->qprev = NULL;
	t->waiton = NULL;
}

/* Give the pending bits to t, which waits in wait() or receive(). */
static void give(Ntf *n, Thread *t, int viaep)
{
	if (viaep) {
		ep_dequeue(t);
		t->regs.rax = 0;
		t->regs.rdi = n->bits;
		t->regs.rsi = TAG(TAG_NOTIFY, 0, 0);
		t->regs.rdx = t->regs.r10 = t->regs.r8 = t->regs.r9 = 0;
	} else {
		ntf_dequeue(t);
		t->regs.rax = n->bits;
	}
	n->bits = 0;
	timeout_cancel(t);
	sched_ready(t);
}

void ntf_signal(Ntf *n, u64 bits)
{
	Thread *b = n->boundto;

	n->bits |= bits;
	if (n->bits == 0)
		return;
	if (n->head)
		give(n, n->head, 0);
	else if (b && b->state == TRecv)
		give(n, b, 1);
}

void ntf_destroy(Ntf *n)
{
	while (n->head)
		thread_unblock(n->head, -ErrGone);
	if (n->boundto) {
		n->boundto->bound = NULL;
		n->boundto = NULL;
	}
}

kerr sys_signal(u64 h, u64 bits, u64 a2, u64 a3, u64 a4, u64 a5)
{
	Handle *hd;
	kerr e;

	if ((e = handle_get(curthread()->task, h, ObjNotification, RSend, &hd)) < 0)
		return e;
	if (bits >> 63)
		return -ErrInval;
	ntf_signal((Ntf *)hd->obj, bits | hd->badge);
	return 0;
}

/* Returns the bits (never bit 63); 0 from a poll that found none. */
kerr sys_wait(u64 h, u64 tag, u64 a2, u64 a3, u64 a4, u64 a5)
{
	Thread *t = curthread();
	Handle *hd;
	Ntf *n;
	kerr e;

	if ((e = handle_get(t->task, h, ObjNotification, RRecv, &hd)) < 0)
		return e;
	n = (Ntf *)hd->obj;
	if (n->bits) {
		u64 b = n->bits;
		n->bits = 0;
		return b;
	}
	if (tag & TAG_POLL)
		return 0;
	nq_add(n, t);
	if (tag & TAG_TIMEOUT)
		timeout_add(t, TAG_MS(tag));
	return 0;
}
