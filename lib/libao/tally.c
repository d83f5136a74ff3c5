/* SPDX-License-Identifier: MIT */
/*
 * Asynchronous calls and their tallies (future replies).  Each call in
 * flight has an entry in one table of the task; the request names it by
 * index and generation (the `rto` of the message), never by address, so
 * a reply that comes after the caller gave up (timeout, cancel) finds a
 * newer generation and is dropped, whatever became of the tally.
 *
 * To a local object the request is posted to its mailbox as AoKACall;
 * its ao_reply completes the entry.  To a remote object (a proxy) a
 * helper thread of this task makes an ordinary synchronous call on the
 * caller's behalf, bounded by the call's deadline; up to MaxHelpers such
 * calls run at once, others queue.  The caller sleeps in ao_waitany on
 * its own notification, signalled by the completer only while it waits.
 */
#include "aoimpl.h"

enum {
	MaxTallies = 256,
	MaxHelpers = 4,
};

enum { Free, Posted, Queued, Calling, Done };

typedef struct Entry {
	unsigned gen;
	int state;
	AoTally *t;
	Ao *owner;
	long ep;                 /* Queued, Calling: the remote object */
	unsigned long deadline;  /* ns; 0: none */
	struct Entry *next;      /* Queued: the helpers' queue */
} Entry;

static AoLock tlk;           /* the table, the queue, the helpers */
static Entry tab[MaxTallies];
static Entry *qhead, *qtail;
static int nhelpers, idle, hint;
static long bell;            /* helpers sleep on it */

static MuWord
rtoof(Entry *e)
{
	return (MuWord)e->gen << 16 | (MuWord)(e - tab);
}

/* The entry rto names, if it is still that call; with tlk held. */
static Entry *
lookup(MuWord rto)
{
	Entry *e;

	if ((rto & 0xffff) >= MaxTallies)
		return NULL;
	e = &tab[rto & 0xffff];
	return e->gen == (unsigned)(rto >> 16) && e->state != Free ? e : NULL;
}

/* Forget e; with tlk held.  A queued call leaves the queue. */
static void
release(Entry *e)
{
	if (e->state == Queued) {
		Entry **pp;
		/* the copy of the request's handle made for the helper */
		if (e->t->msg.handle)
			mu_close(e->t->msg.handle);
		for (pp = &qhead; *pp != e; pp = &(*pp)->next)
			;
		*pp = e->next;
		if (qtail == e)
			for (qtail = qhead; qtail && qtail->next; qtail = qtail->next)
				;
	}
	if (e->t)
		e->t->slot = -1;
	e->gen++;
	e->state = Free;
	e->t = NULL;
	e->owner = NULL;
	e->next = NULL;
}

long
tally_complete(MuWord rto, const AoMsg *rep, long h, long status)
{
	Entry *e;
	Ao *owner;

	lk_lock(&tlk);
	if ((e = lookup(rto)) == NULL || e->state == Done || e->state == Queued) {
		lk_unlock(&tlk);
		return AoEGone;
	}
	if (rep) {
		msg_copy(&e->t->msg, rep);
		e->t->msg.kind = AoKReply;
		e->t->msg.handle = h;
	}
	e->t->status = status;
	e->state = Done;
	owner = e->owner;
	lk_unlock(&tlk);
	/* the owner set tallywait before it looked at its entries */
	if (__atomic_load_n(&owner->tallywait, __ATOMIC_SEQ_CST))
		mu_signal(owner->ntf, 1);
	return 0;
}

void
tally_end(Ao *self)
{
	lk_lock(&tlk);
	for (int i = 0; i < MaxTallies; i++)
		if (tab[i].state != Free && tab[i].owner == self)
			release(&tab[i]);
	lk_unlock(&tlk);
}

/* ---- helpers: synchronous calls for tallies of remote objects ---- */

/* Take the next queued call, with tlk held; copy out what the call needs
 * while the tally is sure to be there. */
static Entry *
nextjob(MuMsg *mm, MuWord *rto, long *ep, long *h, unsigned long *deadline)
{
	Entry *e = qhead;

	if (e == NULL)
		return NULL;
	qhead = e->next;
	if (qhead == NULL)
		qtail = NULL;
	e->next = NULL;
	e->state = Calling;
	wire_put(mm, &e->t->msg, AoKCall, 0);
	*h = e->t->msg.handle;
	e->t->msg.handle = 0;
	*rto = rtoof(e);
	*ep = e->ep;
	*deadline = e->deadline;
	return e;
}

static void
helper(void *arg)
{
	MuMsg mm;
	AoMsg rep;
	MuWord rto;
	unsigned long deadline, now;
	long ep, h, r;

	(void)arg;
	for (;;) {
		lk_lock(&tlk);
		if (nextjob(&mm, &rto, &ep, &h, &deadline) == NULL) {
			idle++;
			lk_unlock(&tlk);
			mu_wait(bell, 0);
			lk_lock(&tlk);
			idle--;
			lk_unlock(&tlk);
			continue;
		}
		lk_unlock(&tlk);
		r = 0;
		rep.handle = 0;
		if (deadline) {
			now = mu_nsec();
			if (now >= deadline)
				r = AoETimeout;
			else
				mm.tag = TAG_WITHMS(mm.tag, (deadline - now + 999999) / 1000000);
		}
		if (r == 0 && (r = mu_call(ep, &mm)) == 0)
			r = wire_reply(&mm, &rep);
		if (h)
			mu_close(h);
		if (tally_complete(rto, r == 0 ? &rep : NULL, rep.handle, r) < 0 && rep.handle)
			mu_close(rep.handle);
	}
}

/* Queue e for a helper; start one if none is free. */
static long
enqueue(Entry *e)
{
	int wake, start = 0;

	lk_lock(&tlk);
	if (bell == 0) {
		lk_unlock(&tlk);
		return AoEInval;
	}
	e->state = Queued;
	e->next = NULL;
	if (qtail)
		qtail->next = e;
	else
		qhead = e;
	qtail = e;
	wake = idle > 0;
	if (!wake && nhelpers < MaxHelpers) {
		nhelpers++;
		start = 1;
	}
	lk_unlock(&tlk);
	if (wake)
		mu_signal(bell, 1);
	if (start && mu_thread_create(helper, NULL, 0, -1, -1) < 0) {
		lk_lock(&tlk);
		nhelpers--;
		lk_unlock(&tlk);
	}
	return 0;
}

/* The bell the helpers sleep on, made once. */
static long
mkbell(void)
{
	static AoLock once;
	long n;

	if (__atomic_load_n(&bell, __ATOMIC_ACQUIRE))
		return 0;
	lk_lock(&once);
	if (bell == 0) {
		if ((n = mu_objcreate(mu_pool, ObjNotification)) < 0) {
			lk_unlock(&once);
			return n;
		}
		__atomic_store_n(&bell, n, __ATOMIC_RELEASE);
	}
	lk_unlock(&once);
	return 0;
}

/* ---- the interface ---- */

long
ao_acall(Ao *to, const AoMsg *req, AoTally *t, long ms)
{
	Ao *self = ao_self();
	Entry *e = NULL;
	long h = 0, r;

	if (self == NULL || to == NULL || req == NULL || t == NULL || req->label > AoMaxLabel ||
	    req->len > AoMaxData || to == self)
		return AoEInval;
	if (self->killed)
		return AoEKilled;
	if (to->state != AoRunning && (to->state != AoProxy || to->ep <= 0))
		return to->state == AoProxy ? AoEInval : AoEGone;
	if (to->state == AoProxy && (r = mkbell()) < 0)
		return r;
	if (req->handle && (h = mu_dup(req->handle, RAll)) < 0)
		return h;
	t->slot = -1;
	t->status = 0;
	if (to->state == AoProxy) {
		msg_copy(&t->msg, req);
		t->msg.handle = h;
	}
	lk_lock(&tlk);
	for (int i = 0; i < MaxTallies; i++) {
		Entry *x = &tab[(hint + i) % MaxTallies];
		if (x->state == Free) {
			e = x;
			hint = (e - tab) + 1;
			break;
		}
	}
	if (e) {
		if (e->gen == 0)
			e->gen = 1; /* rto 0 means "no answer wanted" */
		e->state = Posted;
		e->t = t;
		e->owner = self;
		e->ep = to->ep;
		e->deadline = ms > 0 ? mu_nsec() + (unsigned long)ms * 1000000 : 0;
		t->slot = e - tab;
		t->gen = e->gen;
	}
	lk_unlock(&tlk);
	if (e == NULL) {
		r = AoEFull;
		goto bad;
	}
	if (to->state == AoProxy)
		r = enqueue(e);
	else
		r = mbox_put(&to->mbox, req, AoKACall, self->id, rtoof(e), h);
	if (r == 0)
		return 0;
	lk_lock(&tlk);
	if (lookup(rtoof(e)))
		release(e);
	lk_unlock(&tlk);
bad:
	if (h)
		mu_close(h);
	t->slot = -1;
	return r;
}

void
ao_tally_cancel(AoTally *t)
{
	lk_lock(&tlk);
	if (t->slot >= 0 && t->slot < MaxTallies && tab[t->slot].gen == t->gen &&
	    tab[t->slot].t == t) {
		if (tab[t->slot].state == Done && t->msg.handle)
			mu_close(t->msg.handle);
		release(&tab[t->slot]);
	}
	lk_unlock(&tlk);
}

/*
 * Look at t[0..n-1] once, with tlk held: the index of one that completed
 * (collected) or passed its deadline (completed with AoETimeout), or -1;
 * *next is the earliest deadline still ahead, *live how many are active.
 */
static long
scan(AoTally **t, int n, unsigned long *now, unsigned long *next, int *live)
{
	*next = 0;
	*live = 0;
	for (int i = 0; i < n; i++) {
		Entry *e;
		if (t[i] == NULL || t[i]->slot < 0 || t[i]->slot >= MaxTallies)
			continue;
		e = &tab[t[i]->slot];
		if (e->gen != t[i]->gen || e->t != t[i])
			continue;
		if (e->state == Done) {
			release(e);
			return i;
		}
		if (e->deadline) {
			if (*now == 0)
				*now = mu_nsec();
			if (*now >= e->deadline) {
				t[i]->status = AoETimeout;
				release(e);
				return i;
			}
			if (*next == 0 || e->deadline < *next)
				*next = e->deadline;
		}
		(*live)++;
	}
	return -1;
}

long
ao_waitany(AoTally **t, int n, long ms)
{
	Ao *self = ao_self();
	unsigned long now, next;
	long r, left;
	int live;
	AoDl d;

	if (self == NULL || t == NULL || n < 0)
		return AoEInval;
	dl_start(&d, ms);
	for (;;) {
		/* before looking: a completer that misses this sees our entries done */
		__atomic_store_n(&self->tallywait, 1, __ATOMIC_SEQ_CST);
		now = 0;
		lk_lock(&tlk);
		r = scan(t, n, &now, &next, &live);
		lk_unlock(&tlk);
		if (r >= 0)
			break;
		if (live == 0) {
			r = AoEInval; /* nothing in flight to wait for */
			break;
		}
		if (self->killed) {
			r = AoEKilled;
			break;
		}
		if ((left = dl_left(&d)) == 0) {
			r = AoETimeout;
			break;
		}
		/* sleep until the wait or the earliest tally runs out */
		if (next) {
			long ms1 = (long)((next - now + 999999) / 1000000);
			if (left < 0 || ms1 < left)
				left = ms1 > 0 ? ms1 : 1;
		}
		r = mu_wait(self->ntf, left < 0 ? 0 : TAG_WITHMS(0, left));
		if (r < 0 && r != -ErrTimeout)
			break;
	}
	__atomic_store_n(&self->tallywait, 0, __ATOMIC_RELAXED);
	return r;
}
