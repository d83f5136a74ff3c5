/* SPDX-License-Identifier: MIT */
/*
 * What the files of libao share and callers do not see: user-level
 * locks, waiter records and queues, deadlines, message copying and the
 * functions one file offers another.  The public interface is ao.h.
 *
 * Blocking, in one place: a thread that must wait links a waiter record
 * (AoWaiter) into the queue of each object it waits on, under that
 * object's lock, then sleeps on its own notification (Ao.ntf).  Whoever
 * makes the wait end takes the record off the queue, claims its AoSel
 * with one compare-and-swap (so that of several objects only one wins),
 * hands over the data while still holding the lock, and only then
 * signals.  So the kernel is entered only when somebody really sleeps,
 * and a waiter that times out or is killed can tell, under the same
 * locks, whether it was taken after all.  One exception: an object
 * waiting in ao_recv sleeps in the kernel's receive on its endpoint and
 * only raises its mailbox's `sleeper` flag (sync.c, inbox).
 */
#ifndef LIBAO_IMPL_H
#define LIBAO_IMPL_H

#include "ao.h"

/* ---- locks: spinlocks for short sections.  A few rare paths make a
 * system call that cannot block while holding one (a signal, a close, a
 * mint in the porter); none ever sleeps holding a lock. ---- */

/*
 * ao.c: wait for a lock that was taken.  It saves every register it
 * uses, and lk_lock calls it from inline assembly that clobbers none,
 * so the fast paths around a lock need no registers saved for it.
 */
__attribute__((no_caller_saved_registers)) void lk_spin(AoLock *l);

static inline void
lk_lock(AoLock *l)
{
	if (__builtin_expect(__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE), 0))
		__asm__ volatile("call lk_spin" : : "D"(l) : "memory", "cc");
}

static inline void
lk_unlock(AoLock *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

/* ---- waiter records ---- */

enum {
	SelCancel = 1 << 20,  /* the waiter gave up (timeout, kill) */
	SelClosed = 1 << 21,  /* fired by a close: the branch failed */
	SelGone = 1 << 22,    /* fired by a mailbox destroy */
	SelBranch = 0xffff,   /* fired & SelBranch = branch + 1 */
};

typedef struct AoSel {
	volatile int fired;   /* 0 while waiting */
	long ntf;             /* signalled once fired */
} AoSel;

struct AoWaiter {
	AoSel *sel;
	int branch;
	void *v;              /* the element or message buffer */
	AoQ *q;               /* the queue it is on, or NULL */
	AoWaiter *next, *prev;
};

static inline void
q_add(AoQ *q, AoWaiter *w)
{
	w->q = q;
	w->next = NULL;
	w->prev = q->tail;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
}

static inline void
q_del(AoWaiter *w)
{
	AoQ *q = w->q;

	if (q == NULL)
		return;
	if (w->prev)
		w->prev->next = w->next;
	else
		q->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		q->tail = w->prev;
	w->q = NULL;
}

/* Claim w for how (branch + 1 and flags); 0 if someone else has it. */
static inline int
sel_fire(AoWaiter *w, int how)
{
	int zero = 0;

	return __atomic_compare_exchange_n(&w->sel->fired, &zero, how, 0, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/*
 * Take the first waiter of q that can still be claimed, claim it with
 * flags and return it (off the queue); NULL if none.  Call with q's
 * lock; signal the winner's sel->ntf after dropping the lock, reading it
 * first (the record lives on the waiter's stack).
 */
static inline AoWaiter *
q_claim(AoQ *q, int flags)
{
	AoWaiter *w;

	while ((w = q->head) != NULL) {
		q_del(w);
		if (sel_fire(w, (w->branch + 1) | flags))
			return w;
	}
	return NULL;
}

/* ---- deadlines ---- */

typedef struct AoDl {
	long ms;              /* as given: AoForever, AoPoll or > 0 */
	unsigned long end;    /* ns, when ms > 0 */
} AoDl;

void dl_start(AoDl *d, long ms);
/* Milliseconds left: -1 forever, 0 none left, else >= 1. */
long dl_left(AoDl *d);
/* A kernel tag with d's timeout (TAG_POLL or TAG_WITHMS) added to tag. */
MuWord dl_tag(AoDl *d, MuWord tag);

/*
 * Sleep on self's notification until signalled or d runs out: 0 when
 * woken (for any reason: callers look again), AoETimeout.
 */
long ao_park(Ao *self, AoDl *d);

/* ---- messages ---- */

enum { AoMsgHdr = __builtin_offsetof(AoMsg, data) };
_Static_assert(AoMsgHdr == 32 && sizeof(AoMsg) == 32 + AoMaxData, "AoMsg layout");

/* A word that may alias anything: messages are copied a word at a time. */
typedef MuWord AoWord __attribute__((may_alias));

/* The few functions every message goes through: no frame pointer. */
#define HOT __attribute__((optimize("omit-frame-pointer")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Copy n words (rep movsb would run bytewise under QEMU and on some
 * cpus; most messages are a few words). */
static inline void
msg_words(AoWord *dw, const AoWord *sw, size_t n)
{
	switch (n) {
	case 3:
		dw[2] = sw[2];
		/* fall through */
	case 2:
		dw[1] = sw[1];
		/* fall through */
	case 1:
		dw[0] = sw[0];
		/* fall through */
	case 0:
		return;
	}
	for (size_t i = 0; i < n; i++) {
		__asm__("" : "+r"(i)); /* keep gcc from calling memcpy */
		dw[i] = sw[i];
	}
}

/* Copy the header and the used part of the data. */
static inline void
msg_copy(AoMsg *d, const AoMsg *s)
{
	const AoWord *sw = (const AoWord *)s;
	AoWord *dw = (AoWord *)d;

	dw[0] = sw[0];
	dw[1] = sw[1];
	dw[2] = sw[2];
	dw[3] = sw[3];
	msg_words(dw + 4, sw + 4, (s->len + 7) / 8);
}

/*
 * Take the oldest message of mb into m if there is one, without waiting:
 * 0, or -1 (empty).  The fast path of ao_recv and ao_take.
 */
static inline int
mbox_takefast(AoMbox *mb, AoMsg *m)
{
	int h;

	lk_lock(&mb->lk);
	if (unlikely(mb->n == 0)) {
		lk_unlock(&mb->lk);
		return -1;
	}
	h = mb->head;
	msg_copy(m, &mb->ring[h]);
	mb->head = h + 1 == mb->cap ? 0 : h + 1;
	mb->n--;
	lk_unlock(&mb->lk);
	return 0;
}

/* The first word of an AoMsg: label, len, kind; flags and pad 0. */
#define MSG_W0(label, len, kind) ((MuWord)(label) | (MuWord)(len) << 16 | (MuWord)(kind) << 32)

/* The words on the wire (header included) of a message of len <= 24. */
static const uint8_t wire_words[25] = {
	1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4,
};

/* The bytes of data words 0..2 that a message of len <= 24 uses. */
static const MuWord wire_mask[25][3] = {
	{ 0, 0, 0 },
	{ 0xfful, 0, 0 },
	{ 0xfffful, 0, 0 },
	{ 0xfffffful, 0, 0 },
	{ 0xfffffffful, 0, 0 },
	{ 0xfffffffffful, 0, 0 },
	{ 0xfffffffffffful, 0, 0 },
	{ 0xfffffffffffffful, 0, 0 },
	{ 0xfffffffffffffffful, 0, 0 },
	{ 0xfffffffffffffffful, 0xfful, 0 },
	{ 0xfffffffffffffffful, 0xfffful, 0 },
	{ 0xfffffffffffffffful, 0xfffffful, 0 },
	{ 0xfffffffffffffffful, 0xfffffffful, 0 },
	{ 0xfffffffffffffffful, 0xfffffffffful, 0 },
	{ 0xfffffffffffffffful, 0xfffffffffffful, 0 },
	{ 0xfffffffffffffffful, 0xfffffffffffffful, 0 },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0 },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0xfful },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0xfffful },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0xfffffful },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0xfffffffful },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0xfffffffffful },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0xfffffffffffful },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0xfffffffffffffful },
	{ 0xfffffffffffffffful, 0xfffffffffffffffful, 0xfffffffffffffffful },
};

/*
 * An IPC system call with the whole message in registers (h, tag, words
 * w0..w3 in, badge, tag, words out), for the fast paths that never touch
 * a MuMsg in memory.
 */
static inline long
ipc_regs(long n, MuWord *h, MuWord *tag, MuWord *w0, MuWord *w1, MuWord *w2, MuWord *w3)
{
	register MuWord r10 __asm__("r10") = *w1;
	register MuWord r8 __asm__("r8") = *w2;
	register MuWord r9 __asm__("r9") = *w3;

	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(*h), "+S"(*tag), "+d"(*w0), "+r"(r10), "+r"(r8), "+r"(r9)
			 :
			 : "rcx", "r11", "memory");
	*w1 = r10;
	*w2 = r8;
	*w3 = r9;
	return n;
}

/* sync.c: the general cases of wire_put and wire_get. */
void wire_putlong(MuMsg *mm, const AoMsg *m);
long wire_getlong(const MuMsg *mm, AoMsg *m);

/*
 * Put m on the wire as kind (see ao.h): mm's tag and words, and the IPC
 * buffer when it needs more than the registers.  Bytes of the last word
 * past len are zeroed, so no stale memory leaves the task.
 */
static inline void
wire_put(MuMsg *mm, const AoMsg *m, int kind, long aux)
{
	size_t len = m->len, nw = (len + 7) >> 3;
	const AoWord *d = (const AoWord *)m->data;

	mm->tag = TAG(m->label, 1 + nw, m->handle != 0);
	mm->mr[0] = AO_HDR(len, kind, 0, aux);
	if (unlikely(nw > 3 || m->handle)) {
		wire_putlong(mm, m);
		return;
	}
	mm->mr[1] = d[0] & wire_mask[len][0];
	mm->mr[2] = d[1] & wire_mask[len][1];
	mm->mr[3] = d[2] & wire_mask[len][2];
}

/*
 * Check a message received in mm and fill m: 0, or AoEFormat (then any
 * handle that came with it is closed).  m's kind is the sender's claim;
 * from and rto are 0.  Call before the IPC buffer is used again.
 */
static inline long
wire_get(const MuMsg *mm, AoMsg *m)
{
	MuWord tag = mm->tag, h = mm->mr[0], len = AO_HDR_LEN(h);
	AoWord *d = (AoWord *)m->data;

	/* the usual case: at most 4 words, no items */
	if (unlikely(((tag >> 16) & 0x7ff) > 4 || TAG_WORDS(tag) != 1 + ((len + 7) >> 3)))
		return wire_getlong(mm, m);
	*(AoWord *)m = MSG_W0(TAG_LABEL(tag), len, AO_HDR_KIND(h));
	m->handle = 0;
	m->from = 0;
	m->rto = 0;
	d[0] = mm->mr[1];
	d[1] = mm->mr[2];
	d[2] = mm->mr[3];
	return 0;
}

/* ---- what the files offer one another ---- */

/* ao.c */
long ao_newid(void);

/* sync.c */
/* A reply received in mm, into rep: 0, or the error it carries. */
long wire_reply(const MuMsg *mm, AoMsg *rep);
/* Answer the kernel reply slot (or Reply handle rh if > 0) with err. */
void wire_replyerr(long rh, long err);
/* At the end of self: answer callers still waiting with AoEGone. */
void sync_end(Ao *self);

/* mbox.c */
/* Queue m as kind, from, rto and with handle h (the mailbox's on
 * success), or hand it to a waiting taker: 0, AoEFull, AoEGone. */
long mbox_put(AoMbox *mb, const AoMsg *m, int kind, AoId from, MuWord rto, long h);
/* Take the oldest message: 0, AoETimeout (empty), AoEGone (destroyed);
 * the first with mb's lock held. */
long mbox_takelocked(AoMbox *mb, AoMsg *m);
long mbox_trytake(AoMbox *mb, AoMsg *m);
/* Drop what is queued in mb (handles closed, tallies told AoEGone). */
void mbox_drain(AoMbox *mb);

/* tally.c */
/* Complete the tally named by rto with rep (its handle replaced by h)
 * or with status; AoEGone if it is no longer waited for. */
long tally_complete(MuWord rto, const AoMsg *rep, long h, long status);
/* self ends: drop the tallies it owns. */
void tally_end(Ao *self);

/* chan.c: the general wait behind ao_alt and the channels. */
long alt_run(AoAlt *a, int n, long ms);

/* remote.c */
void unexport(int slot);
long remote_post(Ao *proxy, const AoMsg *m);
long remote_kill(Ao *proxy);

#endif
