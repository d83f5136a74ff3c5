/* SPDX-License-Identifier: MIT */
/*
 * CSP channels and the alternative (alt): wait on several channel
 * receives, channel sends and mailbox takes, and do the one that can go
 * first.  Channels are unbuffered: a send and a receive meet, and the
 * element is copied from one to the other by whichever arrives second.
 * alt_run is also how a mailbox taker waits (mbox.c).
 *
 * The method is Go's select: lock every object of the alternative (in
 * address order, so two alternatives never deadlock), look at the
 * branches starting from a random one and do the first that is ready;
 * if none is, leave a waiter record on each, unlock, and sleep.  The
 * partner that comes later claims the records with a compare-and-swap,
 * so only one branch happens.  The random start is what makes the
 * choice fair when several branches are ready at once.
 */
#include "aoimpl.h"

void
ao_chan_init(AoChan *c, size_t size)
{
	memset(c, 0, sizeof *c);
	c->size = size;
}

static AoLock *
lockof(AoAlt *b)
{
	return b->op == AoAltTake ? &b->mb->lk : &b->c->lk;
}

static AoQ *
queueof(AoAlt *b)
{
	switch (b->op) {
	case AoAltRecv:
		return &b->c->recvq;
	case AoAltSend:
		return &b->c->sendq;
	}
	return &b->mb->takers;
}

/* The distinct locks of the branches, sorted by address. */
static int
sortlocks(AoAlt *a, int n, AoLock **l)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		AoLock *x = lockof(&a[i]);
		int j = k;
		while (j > 0 && l[j - 1] > x)
			j--;
		if (j > 0 && l[j - 1] == x)
			continue;
		memmove(&l[j + 1], &l[j], (k - j) * sizeof *l);
		l[j] = x;
		k++;
	}
	return k;
}

static void
lockall(AoLock **l, int k)
{
	for (int i = 0; i < k; i++)
		lk_lock(l[i]);
}

static void
unlockall(AoLock **l, int k)
{
	for (int i = k - 1; i >= 0; i--)
		lk_unlock(l[i]);
}

/*
 * Try branch b with its lock held: 1 if it is done (b->err says how;
 * *ntf is a partner to signal), 0 if it has to wait.
 */
static int
try1(AoAlt *b, long *ntf)
{
	AoWaiter *w;
	long r;

	switch (b->op) {
	case AoAltRecv:
		if ((w = q_claim(&b->c->sendq, 0)) != NULL) {
			memcpy(b->v, w->v, b->c->size);
			*ntf = w->sel->ntf;
			b->err = 0;
			return 1;
		}
		if (b->c->closed) {
			b->err = AoEClosed;
			return 1;
		}
		return 0;
	case AoAltSend:
		if (b->c->closed) {
			b->err = AoEClosed;
			return 1;
		}
		if ((w = q_claim(&b->c->recvq, 0)) != NULL) {
			memcpy(w->v, b->v, b->c->size);
			*ntf = w->sel->ntf;
			b->err = 0;
			return 1;
		}
		return 0;
	}
	if ((r = mbox_takelocked(b->mb, b->v)) == AoETimeout)
		return 0;
	b->err = r;
	return 1;
}

static unsigned
rnd(Ao *self)
{
	static unsigned shared = 1;
	unsigned *s = self ? &self->rnd : &shared, x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

long
alt_run(AoAlt *a, int n, long ms)
{
	Ao *self = ao_self();
	AoLock *l[AoMaxAlt];
	AoWaiter w[AoMaxAlt];
	AoSel sel = { 0, 0 };
	long ntf = 0, r = 0;
	int k, start, done = -1, f;
	AoDl d;

	if (self && self->killed)
		return AoEKilled;
	k = sortlocks(a, n, l);
	start = n > 1 ? (int)(rnd(self) % n) : 0;
	lockall(l, k);
	for (int j = 0; j < n && done < 0; j++) {
		int i = start + j < n ? start + j : start + j - n;
		if (try1(&a[i], &ntf))
			done = i;
	}
	if (done >= 0 || ms == 0 || self == NULL) {
		unlockall(l, k);
		if (ntf)
			mu_signal(ntf, 1);
		if (done >= 0)
			return done;
		return ms == 0 ? AoETimeout : AoEInval;
	}
	sel.ntf = self->ntf;
	for (int i = 0; i < n; i++) {
		w[i] = (AoWaiter){ &sel, i, a[i].v, NULL, NULL, NULL };
		q_add(queueof(&a[i]), &w[i]);
	}
	unlockall(l, k);

	dl_start(&d, ms);
	while (__atomic_load_n(&sel.fired, __ATOMIC_ACQUIRE) == 0) {
		if (self->killed) {
			r = AoEKilled;
			break;
		}
		if ((r = ao_park(self, &d)) < 0)
			break;
	}
	/* Under the locks again, the answer is final: taken, or given up. */
	lockall(l, k);
	if (__atomic_load_n(&sel.fired, __ATOMIC_ACQUIRE) == 0)
		sel_fire(&w[0], SelCancel);
	for (int i = 0; i < n; i++)
		q_del(&w[i]);
	unlockall(l, k);
	f = sel.fired;
	if (f & SelCancel)
		return r < 0 ? r : AoETimeout;
	done = (f & SelBranch) - 1;
	a[done].err = f & SelClosed ? AoEClosed : f & SelGone ? AoEGone : 0;
	return done;
}

long
ao_alt(AoAlt *a, int n, long ms)
{
	if (a == NULL || n < 1 || n > AoMaxAlt)
		return AoEInval;
	for (int i = 0; i < n; i++) {
		a[i].err = 0;
		if (a[i].op == AoAltTake ? a[i].mb == NULL || a[i].mb->ring == NULL
					 : (a[i].op != AoAltRecv && a[i].op != AoAltSend) ||
						   a[i].c == NULL)
			return AoEInval;
		if (a[i].v == NULL && (a[i].op == AoAltTake || a[i].c->size))
			return AoEInval;
	}
	return alt_run(a, n, ms);
}

long
ao_chan_send(AoChan *c, const void *v, long ms)
{
	AoAlt b = { AoAltSend, c, NULL, (void *)v, 0 };
	long r = ao_alt(&b, 1, ms);

	return r < 0 ? r : b.err;
}

long
ao_chan_recv(AoChan *c, void *v, long ms)
{
	AoAlt b = { AoAltRecv, c, NULL, v, 0 };
	long r = ao_alt(&b, 1, ms);

	return r < 0 ? r : b.err;
}

void
ao_chan_close(AoChan *c)
{
	AoWaiter *w;
	long ntf[8];
	int n;

	do {
		lk_lock(&c->lk);
		c->closed = 1;
		for (n = 0; n < 8 && ((w = q_claim(&c->recvq, SelClosed)) != NULL ||
				      (w = q_claim(&c->sendq, SelClosed)) != NULL);
		     n++)
			ntf[n] = w->sel->ntf;
		lk_unlock(&c->lk);
		for (int i = 0; i < n; i++)
			mu_signal(ntf[i], 1);
	} while (n == 8);
}
