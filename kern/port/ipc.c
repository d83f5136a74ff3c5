/* SPDX-License-Identifier: MIT */
/*
 * Synchronous IPC on endpoints, the general path: send, receive, call,
 * reply, reply-and-receive, forward (the reply right travels with the
 * request, so the last server answers the first caller: direct return),
 * saved Reply objects, transfer of words, handles and pages, timeouts.
 * fastpath.c short-cuts the common call/reply-receive; notify.c has
 * notifications; fault.c turns faults into messages.
 */
#include "kern.h"
#include "ipc.h"

#define PTE_ADDR 0x000ffffffffff000ul
#define PTE_DEV 0x200ul

/* t blocks on e; if it is the running thread, leave through the full exit. */
static void epq_add(Endpoint *e, Thread *t, int state)
{
	epq_push(e, t, state);
	if (t == curthread())
		thiscpu()->slow = 1;
}

static void epq_remove(Endpoint *e, Thread *t)
{
	if (t->qprev)
		t->qprev->qnext = t->qnext;
	else
		e->head = t->qnext;
	if (t->qnext)
		t->qnext->qprev = t->qprev;
	else
		e->tail = t->qprev;
	if (e->head == NULL)
		e->state = EpIdle;
	t->qnext = t->qprev = NULL;
	t->waiton = NULL;
}

/* A blocked thread stops waiting on its endpoint (timeout, kill). */
void ep_dequeue(Thread *t)
{
	if (t->waiton)
		epq_remove(t->waiton, t);
	if (t->state == TSend && t->sendkind == SendForward && t->fwdcaller) {
		/* the forward did not happen: the reply right comes back */
		t->caller = t->fwdcaller;
		t->caller->replyholder = &t->caller;
		t->fwdcaller = NULL;
	}
	t->recvh_pending = 0;
}

void ep_destroy(Endpoint *e)
{
	while (e->head)
		thread_unblock(e->head, -ErrGone);
}

/* The caller lost its reply right (timeout, kill): forget where it was. */
void reply_cancel(Thread *caller)
{
	if (caller->replyholder && *caller->replyholder == caller)
		*caller->replyholder = NULL;
	caller->replyholder = NULL;
}

void reply_destroy(Reply *r)
{
	if (r->caller) {
		Thread *c = r->caller;
		r->caller = NULL;
		thread_unblock(c, -ErrGone);
	}
}

/* r will answer c. */
static void set_caller(Thread *r, Thread *c)
{
	if (r->caller) /* r never answered its previous caller */
		thread_unblock(r->caller, -ErrNoReply);
	r->caller = c;
	c->replyholder = &r->caller;
}

/* Page items: move or share n pages of src at sva into dst at dva. */
static int xfer_pages(Task *src, u64 sva, Task *dst, u64 dva, u64 n, u64 rights, int grant)
{
	for (u64 i = 0; i < n; i++) {
		u64 *pte = vm_pte(src, sva + i * PGSIZE, 0);
		if (pte == NULL || !(*pte & PTE_P))
			return 0;
	}
	vm_unmap_range(dst, dva, n, 1);
	for (u64 i = 0; i < n; i++) {
		u64 *pte = vm_pte(src, sva + i * PGSIZE, 0);
		u64 e = *pte, flags = e & (PTE_W | PTE_NX | PTE_DEV | PTE_PCD | PTE_PWT);
		if (!(rights & RWrite))
			flags &= ~(u64)PTE_W;
		if (!(rights & RExec))
			flags |= PTE_NX;
		if (grant)
			*pte = 0;
		else if (!(e & PTE_DEV))
			mem_ref_frame(e & PTE_ADDR);
		if (vm_map(dst, dva + i * PGSIZE, e & PTE_ADDR, flags) < 0) {
			if (!(e & PTE_DEV))
				mem_unref_frame(e & PTE_ADDR);
			return 0;
		}
	}
	if (grant)
		tlb_shootdown(src);
	return 1;
}

/*
 * Copy the message of s (tag, words w[0..3], rest and items in its IPC
 * buffer) to d.  Items d has no room for arrive empty (kind 0).  Page
 * items land in d's receive window, or at winbase for a fault reply.
 * Returns the tag d receives.
 */
static u64 transfer(Thread *s, Thread *d, u64 tag, u64 winbase, u64 winpages)
{
	u64 nw = TAG_WORDS(tag), ni = TAG_ITEMS(tag), used = 0;
	MuIpcBuf *sb = s->ipcbuf, *db = d->ipcbuf;

	if (sb == NULL) {
		nw = nw > 4 ? 4 : nw;
		ni = 0;
	}
	if (db == NULL) {
		nw = nw > 4 ? 4 : nw;
		if (d->sendkind != SendFault)
			ni = 0;
	}
	if (nw > 4)
		memcpy(&db->mr[4], &sb->mr[4], (nw - 4) * sizeof(MuWord));
	for (u64 i = 0; i < ni; i++) {
		MuItem it = sb->item[i], out = { 0 };
		Handle *hd;
		u64 kind = it.kind & 0xf;
		if (kind == ItemHandle && handle_get(s->task, it.a, 0, RDup, &hd) == 0) {
			u32 rights = hd->rights & it.b;
			Obj *o = hd->obj;
			obj_ref(o);
			kerr h = handle_install(d->task, o, hd->badge, rights);
			if (h >= 0) {
				out = (MuItem){ ItemHandle, h, rights };
				if (it.kind & ITEM_MOVE)
					handle_clear(s->task, hd);
			}
		} else if ((kind == ItemMap || kind == ItemGrant) && !(it.a & (PGSIZE - 1)) &&
			   it.b > 0 && it.b <= winpages - used && it.a < MU_USER_TOP &&
			   it.b <= (MU_USER_TOP - it.a) / PGSIZE) {
			u64 dva = winbase + used * PGSIZE;
			if (xfer_pages(s->task, it.a, d->task, dva, it.b, it.kind >> 8, kind == ItemGrant)) {
				out = (MuItem){ kind, dva, it.b };
				used += it.b;
			}
		}
		if (db && d->sendkind != SendFault) /* a faulted thread's buffer is its own */
			db->item[i] = out;
	}
	return TAG(TAG_LABEL(tag), nw, ni);
}

/* Hand s's message to the receiver r; r becomes ready (not switched to). */
static void deliver(Thread *s, Thread *r, u64 badge, int kind)
{
	u64 win = r->ipcbuf ? r->ipcbuf->winbase : 0, wn = r->ipcbuf ? r->ipcbuf->winpages : 0;

	if (wn > (1ul << 24) || (win & (PGSIZE - 1)) || win >= MU_USER_TOP ||
	    wn > (MU_USER_TOP - win) / PGSIZE)
		wn = 0;
	msg_to(r, badge, transfer(s, r, s->msgtag, win, wn), s->msg[0], s->msg[1], s->msg[2],
	       s->msg[3]);
	if (kind == SendCall || kind == SendFault) {
		set_caller(r, s);
		s->state = TReply;
		s->sendkind = kind;
		if (s == curthread())
			thiscpu()->slow = 1; /* blocked: leave through exit_prepare */
	} else if (kind == SendForward) {
		Thread *c = s->fwdcaller ? s->fwdcaller : s->caller;
		s->fwdcaller = s->caller = NULL;
		if (c && c->state == TReply)
			set_caller(r, c);
	}
}

static kerr do_recv(Thread *t, Endpoint *e, u64 tag);

/* A blocked sender's send has completed. */
static void send_done(Thread *s)
{
	if (s->state == TReply)
		return; /* a call: now waits for the reply */
	timeout_cancel(s);
	s->regs.rax = 0;
	if (s->recvh_pending) {
		Handle *hd;
		s->recvh_pending = 0;
		s->state = TReady;
		if (handle_get(s->task, s->recvh, ObjEndpoint, RRecv, &hd) < 0)
			s->regs.rax = -ErrBadHandle;
		else if (do_recv(s, (Endpoint *)hd->obj, 0) == 0 && s->state == TRecv)
			return;
	}
	sched_ready(s);
}

/* Make r runnable; switch to it at once if the current thread just
 * blocked and r belongs to this cpu. */
static void wake(Thread *r)
{
	Cpu *c = thiscpu();

	if (c->cur && c->cur->state != TReady && r->cpu == c->id) {
		sched_remove(r);
		r->state = TReady;
		sched_switch(r);
	} else {
		sched_ready(r);
	}
}

/*
 * t sends the message in t->msgtag/msg on e; kind says what t does after.
 * Blocks t unless a receiver waits or TAG_POLL.
 */
static kerr send_common(Thread *t, Endpoint *e, u64 badge, int kind, u64 tag)
{
	if (e->state == EpRecv) {
		Thread *r = e->head;
		epq_remove(e, r);
		timeout_cancel(r);
		deliver(t, r, badge, kind);
		if (t != curthread())
			send_done(t);
		wake(r);
		return 0;
	}
	if (tag & TAG_POLL)
		return -ErrTimeout;
	t->sendkind = kind;
	t->sendbadge = badge;
	if (kind == SendForward) {
		t->fwdcaller = t->caller;
		t->caller = NULL;
		t->fwdcaller->replyholder = &t->fwdcaller;
	}
	epq_add(e, t, TSend);
	if (tag & TAG_TIMEOUT)
		timeout_add(t, TAG_MS(tag));
	return 0;
}

/* t receives on e (or takes its bound notification). */
static kerr do_recv(Thread *t, Endpoint *e, u64 tag)
{
	if (t->bound && t->bound->bits) {
		t->regs.rax = 0;
		t->regs.rdi = t->bound->bits;
		t->regs.rsi = TAG(TAG_NOTIFY, 0, 0);
		t->regs.rdx = t->regs.r10 = t->regs.r8 = t->regs.r9 = 0;
		t->bound->bits = 0;
		thiscpu()->slow = 1;
		return 0;
	}
	if (e->state == EpSend) {
		Thread *s = e->head;
		int kind = s->sendkind;
		epq_remove(e, s);
		deliver(s, t, s->sendbadge, kind);
		if (kind != SendCall && kind != SendFault)
			send_done(s);
		if (t == curthread())
			thiscpu()->slow = 1;
		return 0;
	}
	if (tag & TAG_POLL)
		return -ErrTimeout;
	epq_add(e, t, TRecv);
	if (tag & TAG_TIMEOUT)
		timeout_add(t, TAG_MS(tag));
	return 0;
}

/* s answers c; returns 0 if c no longer waits.  c is not yet ready. */
static int do_reply(Thread *s, Thread *c, u64 tag)
{
	u64 win, wn;

	if (c->state != TReply)
		return 0;
	timeout_cancel(c);
	c->replyholder = NULL;
	if (c->sendkind == SendFault) {
		/* page items land at the faulting page; registers stay */
		transfer(s, c, tag, c->faultva & ~(PGSIZE - 1), 16);
		c->sendkind = SendPlain;
		return 1;
	}
	win = c->ipcbuf ? c->ipcbuf->winbase : 0;
	wn = c->ipcbuf ? c->ipcbuf->winpages : 0;
	if (wn > (1ul << 24) || (win & (PGSIZE - 1)) || win >= MU_USER_TOP ||
	    wn > (MU_USER_TOP - win) / PGSIZE)
		wn = 0;
	msg_to(c, 0, transfer(s, c, tag, win, wn), s->msg[0], s->msg[1], s->msg[2], s->msg[3]);
	return 1;
}

/* Sender-side checks of a message, before anything happens. */
static kerr check_msg(Thread *t, u64 tag, Handle *via)
{
	if (TAG_WORDS(tag) > MuMaxWords || TAG_ITEMS(tag) > MuMaxItems)
		return -ErrInval;
	if ((TAG_WORDS(tag) > 4 || TAG_ITEMS(tag)) && t->ipcbuf == NULL)
		return -ErrInval;
	if (TAG_ITEMS(tag) && via && !(via->rights & RGrant))
		return -ErrPerm;
	return 0;
}

static void save_msg(Thread *t, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	t->msgtag = tag;
	t->msg[0] = m0;
	t->msg[1] = m1;
	t->msg[2] = m2;
	t->msg[3] = m3;
}

static kerr lookup_ep(Thread *t, u64 h, u32 rights, Handle **hd)
{
	kerr e = handle_get(t->task, h, ObjEndpoint, rights, hd);
	if (e == 0 && (*hd)->obj->dead)
		return -ErrGone;
	return e;
}

kerr sys_send(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	Thread *t = curthread();
	Handle *hd;
	kerr e;

	if ((e = lookup_ep(t, h, RSend, &hd)) < 0 || (e = check_msg(t, tag, hd)) < 0)
		return e;
	save_msg(t, tag, m0, m1, m2, m3);
	return send_common(t, (Endpoint *)hd->obj, hd->badge, SendPlain, tag);
}

kerr sys_call_slow(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	Thread *t = curthread();
	Handle *hd;
	kerr e;

	if ((e = lookup_ep(t, h, RSend, &hd)) < 0 || (e = check_msg(t, tag, hd)) < 0)
		return e;
	save_msg(t, tag, m0, m1, m2, m3);
	e = send_common(t, (Endpoint *)hd->obj, hd->badge, SendCall, tag);
	if (e == 0 && t->state == TReply && (tag & TAG_TIMEOUT) && !t->deadline)
		timeout_add(t, TAG_MS(tag));
	return e;
}

kerr sys_recv(u64 h, u64 tag, u64 a2, u64 a3, u64 a4, u64 a5)
{
	Thread *t = curthread();
	Handle *hd;
	kerr e;

	if ((e = lookup_ep(t, h, RRecv, &hd)) < 0)
		return e;
	return do_recv(t, (Endpoint *)hd->obj, tag);
}

kerr sys_reply(u64 tag, u64 m0, u64 m1, u64 m2, u64 m3, u64 a5)
{
	Thread *t = curthread(), *c = t->caller;
	kerr e;

	if (c == NULL)
		return -ErrNoReply;
	if ((e = check_msg(t, tag, NULL)) < 0)
		return e;
	save_msg(t, tag, m0, m1, m2, m3);
	t->caller = NULL;
	if (do_reply(t, c, tag))
		sched_ready(c);
	return 0;
}

kerr sys_replyrecv_slow(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	Thread *t = curthread(), *c = t->caller;
	Handle *hd;
	kerr e;

	if ((e = lookup_ep(t, h, RRecv, &hd)) < 0)
		return e;
	if (c && (e = check_msg(t, tag, NULL)) < 0)
		return e;
	if (c) {
		save_msg(t, tag, m0, m1, m2, m3);
		t->caller = NULL;
		if (!do_reply(t, c, tag))
			c = NULL;
	}
	e = do_recv(t, (Endpoint *)hd->obj, tag & (TAG_POLL | TAG_TIMEOUT | 0xffffffff00000000ul));
	if (c)
		wake(c);
	return e;
}

static kerr forward(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3, int recv)
{
	Thread *t = curthread();
	Handle *hd, *rh = NULL;
	u64 recvh = TAG_RECVH(tag); /* before the tag is masked below */
	kerr e;

	if (t->caller == NULL)
		return -ErrNoReply;
	if ((e = lookup_ep(t, h, RSend, &hd)) < 0 || (e = check_msg(t, tag, hd)) < 0)
		return e;
	if (recv && (e = lookup_ep(t, recvh, RRecv, &rh)) < 0)
		return e;
	/* ForwardRecv's high tag bits name the receive handle: it can poll
	 * but not give a timeout; Forward can do both */
	u64 how = tag & (recv ? TAG_POLL : TAG_POLL | TAG_TIMEOUT | 0xffffffff00000000ul);
	tag &= ~(TAG_POLL | TAG_TIMEOUT | 0xffffffff00000000ul);
	save_msg(t, tag, m0, m1, m2, m3);
	e = send_common(t, (Endpoint *)hd->obj, hd->badge, SendForward, tag | how);
	if (e < 0 || !recv)
		return e;
	if (t->state == TSend) {
		t->recvh_pending = 1;
		t->recvh = recvh;
		return 0;
	}
	return do_recv(t, (Endpoint *)rh->obj, 0);
}

kerr sys_forward(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	return forward(h, tag, m0, m1, m2, m3, 0);
}

kerr sys_forwardrecv(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	return forward(h, tag, m0, m1, m2, m3, 1);
}

kerr sys_replysave(u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	Thread *t = curthread(), *c = t->caller;
	Reply *r;
	kerr e;

	if (c == NULL)
		return -ErrNoReply;
	if ((e = obj_new(NULL, ObjReply, sizeof(Reply), (Obj **)&r)) < 0)
		return e;
	obj_ref(&r->o);	/* kept while we install */
	if ((e = handle_install(t->task, &r->o, 0, RSend | RDup)) >= 0) {
		t->caller = NULL;
		r->caller = c;
		c->replyholder = &r->caller;
	}
	obj_unref(&r->o);
	return e;
}

kerr sys_replyto(u64 h, u64 tag, u64 m0, u64 m1, u64 m2, u64 m3)
{
	Thread *t = curthread(), *c;
	Handle *hd;
	Reply *r;
	kerr e;

	if ((e = handle_get(t->task, h, ObjReply, RSend, &hd)) < 0)
		return e;
	if ((e = check_msg(t, tag, NULL)) < 0)
		return e;
	r = (Reply *)hd->obj;
	if ((c = r->caller) == NULL)
		return -ErrGone;
	r->caller = NULL;
	save_msg(t, tag, m0, m1, m2, m3);
	if (do_reply(t, c, tag))
		sched_ready(c);
	handle_clear(t->task, hd); /* one shot */
	return 0;
}

/* fault.c: t faulted; tell its handler e as if t called it. */
void ipc_deliver_fault(Thread *t, u64 label, u64 w0, u64 w1, u64 w2, u64 w3)
{
	Endpoint *e = label == LabelPageFault && t->pager ? t->pager : t->exch;
	u64 badge = e == t->pager ? t->pagerbadge : t->exchbadge;

	save_msg(t, TAG(label, 4, 0), w0, w1, w2, w3);
	send_common(t, e, badge, SendFault, 0);
}
