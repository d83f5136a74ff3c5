/* SPDX-License-Identifier: MIT */
/*
 * Mailboxes and asynchronous posts.  A mailbox is a ring of messages
 * under a user-level lock, plus a queue of waiting takers.  A post hands
 * its message straight to the first waiting taker (and signals it: the
 * only kernel entry, and only when someone sleeps), else queues it, else
 * fails with AoEFull.  A taker that finds it empty waits in its queue
 * (takewait here, or chan.c's alt_run when the mailbox is one branch of
 * an alternative).  The owning object waiting in ao_recv is the
 * exception: it sleeps in the kernel and posts wake it through
 * `sleeper` (sync.c, inbox).  Posts to another task go through that
 * task's porter (remote.c).
 */
#include "aoimpl.h"

enum { DefaultSlots = 16, MaxSlots = 4096 };

static size_t
ringpages(int cap)
{
	return ((size_t)cap * sizeof(AoMsg) + MuPageSize - 1) / MuPageSize;
}

long
ao_mbox_init(AoMbox *mb, int slots)
{
	if (mb == NULL || slots < 0 || slots > MaxSlots)
		return AoEInval;
	memset(mb, 0, sizeof *mb);
	mb->cap = slots ? slots : DefaultSlots;
	if ((mb->ring = mu_pages(ringpages(mb->cap))) == NULL)
		return AoENoMem;
	return 0;
}

/*
 * Queue m (as kind, from, rto, with handle h instead of m->handle) or
 * hand it to a waiting taker.  The handle is the mailbox's on success.
 */
long
mbox_put(AoMbox *mb, const AoMsg *m, int kind, AoId from, MuWord rto, long h)
{
	AoWaiter *w;
	AoMsg *d;
	long ntf = 0;

	lk_lock(&mb->lk);
	if (unlikely(mb->dead)) {
		lk_unlock(&mb->lk);
		return AoEGone;
	}
	if (unlikely((w = q_claim(&mb->takers, 0)) != NULL)) {
		d = w->v;
		ntf = w->sel->ntf;
	} else if (unlikely(mb->n == mb->cap)) {
		lk_unlock(&mb->lk);
		return AoEFull;
	} else {
		int i = mb->head + mb->n++;
		d = &mb->ring[i >= mb->cap ? i - mb->cap : i];
	}
	/* msg_copy, but the header is new */
	*(AoWord *)d = MSG_W0(m->label, m->len, kind);
	d->handle = h;
	d->from = from;
	d->rto = rto;
	msg_words((AoWord *)d->data, (const AoWord *)m->data, (m->len + 7) / 8);
	lk_unlock(&mb->lk);
	/* a locked instruction, after the queueing: see inbox() in sync.c */
	if (ntf == 0 && __atomic_exchange_n(&mb->sleeper, 0, __ATOMIC_SEQ_CST))
		ntf = mb->ownerntf;
	if (ntf)
		mu_signal(ntf, 1);
	return 0;
}

/* The oldest message, with mb locked: 0, or AoETimeout if there is none
 * (AoEGone if there never will be). */
long
mbox_takelocked(AoMbox *mb, AoMsg *m)
{
	if (mb->n == 0)
		return mb->dead ? AoEGone : AoETimeout;
	msg_copy(m, &mb->ring[mb->head]);
	mb->n--;
	if (++mb->head == mb->cap)
		mb->head = 0;
	return 0;
}

long
mbox_trytake(AoMbox *mb, AoMsg *m)
{
	long r;

	lk_lock(&mb->lk);
	r = mbox_takelocked(mb, m);
	lk_unlock(&mb->lk);
	return r;
}

long
ao_mbox_post(AoMbox *mb, const AoMsg *m)
{
	Ao *self = ao_self();
	long h = 0, r;

	if (mb == NULL || m == NULL || m->label > AoMaxLabel || m->len > AoMaxData)
		return AoEInval;
	if (m->handle && (h = mu_dup(m->handle, RAll)) < 0)
		return h;
	r = mbox_put(mb, m, AoKPost, self ? self->id : 0, 0, h);
	if (r < 0 && h)
		mu_close(h);
	return r;
}

/*
 * The usual post: to a local object, no handle, nobody waiting in
 * ao_take, room in the ring.  mbox_put inlined and cut to that.
 */
HOT long
ao_post(Ao *to, const AoMsg *m)
{
	const AoWord *sw = (const AoWord *)m;
	AoMbox *mb;
	MuWord w0, len;
	Ao *self = ao_self();
	AoWord *dw;
	int i;

	if (unlikely(to == NULL || m == NULL))
		return AoEInval;
	mb = &to->mbox;
	w0 = sw[0];
	len = (w0 >> 16) & 0xffff;
	if (unlikely(to->state != AoRunning || sw[1] || (w0 & 0xffff) > AoMaxLabel ||
		     len > AoMaxData))
		goto slow;
	lk_lock(&mb->lk);
	if (unlikely(mb->dead || mb->takers.head || mb->n == mb->cap)) {
		lk_unlock(&mb->lk);
		goto slow;
	}
	i = mb->head + mb->n++;
	dw = (AoWord *)&mb->ring[i >= mb->cap ? i - mb->cap : i];
	dw[0] = (w0 & 0xffffffff) | (MuWord)AoKPost << 32;
	dw[1] = 0;
	dw[2] = self ? self->id : 0;
	dw[3] = 0;
	msg_words(dw + 4, sw + 4, (len + 7) / 8);
	lk_unlock(&mb->lk);
	/* a locked instruction, after the queueing: see inbox() in sync.c */
	if (__atomic_exchange_n(&mb->sleeper, 0, __ATOMIC_SEQ_CST))
		mu_signal(mb->ownerntf, 1);
	return 0;
slow:
	if (to->state != AoRunning)
		return to->state == AoProxy ? remote_post(to, m) : AoEGone;
	return ao_mbox_post(&to->mbox, m);
}

/* Wait in mb's queue of takers until a post hands m over (ao_alt's
 * wait cut to one mailbox). */
static long
takewait(Ao *self, AoMbox *mb, AoMsg *m, long ms)
{
	AoSel sel = { 0, self->ntf };
	AoWaiter w = { &sel, 0, m, NULL, NULL, NULL };
	AoDl d;
	long r;

	lk_lock(&mb->lk);
	if ((r = mbox_takelocked(mb, m)) != AoETimeout || ms == 0) {
		lk_unlock(&mb->lk);
		return r;
	}
	q_add(&mb->takers, &w);
	lk_unlock(&mb->lk);
	dl_start(&d, ms);
	r = 0;
	while (__atomic_load_n(&sel.fired, __ATOMIC_ACQUIRE) == 0) {
		if (self->killed) {
			r = AoEKilled;
			break;
		}
		if ((r = ao_park(self, &d)) < 0)
			break;
	}
	lk_lock(&mb->lk);
	if (__atomic_load_n(&sel.fired, __ATOMIC_ACQUIRE) == 0)
		sel_fire(&w, SelCancel);
	q_del(&w);
	lk_unlock(&mb->lk);
	if (sel.fired & SelCancel)
		return r < 0 ? r : AoETimeout;
	return sel.fired & SelGone ? AoEGone : 0;
}

long
ao_take(AoMbox *mb, AoMsg *m, long ms)
{
	Ao *self = ao_self();

	if (mb == NULL) {
		if (self == NULL)
			return AoEInval;
		mb = &self->mbox;
	}
	if (m == NULL || mb->ring == NULL)
		return AoEInval;
	if (self && self->killed)
		return AoEKilled;
	if (mbox_takefast(mb, m) == 0)
		return 0;
	if (self == NULL)
		return ms == 0 ? mbox_trytake(mb, m) : AoEInval;
	return takewait(self, mb, m, ms);
}

/* A message nobody will take: let its handle and its caller go. */
static void
dropmsg(AoMsg *m)
{
	if (m->handle)
		mu_close(m->handle);
	if (m->kind == AoKACall)
		tally_complete(m->rto, NULL, 0, AoEGone);
}

void
mbox_drain(AoMbox *mb)
{
	AoMsg m;
	AoWaiter *w;
	long ntf[8];
	int n;

	if (mb->ring == NULL)
		return;
	do {
		lk_lock(&mb->lk);
		mb->dead = 1;
		for (n = 0; n < 8 && (w = q_claim(&mb->takers, SelGone)) != NULL; n++)
			ntf[n] = w->sel->ntf;
		lk_unlock(&mb->lk);
		for (int i = 0; i < n; i++)
			mu_signal(ntf[i], 1);
	} while (n == 8);
	while (mbox_trytake(mb, &m) == 0)
		dropmsg(&m);
}

void
ao_mbox_destroy(AoMbox *mb)
{
	if (mb == NULL || mb->ring == NULL)
		return;
	if (mb->exslot)
		unexport(mb->exslot - 1);
	mbox_drain(mb);
	mu_pages_free(mb->ring, ringpages(mb->cap));
	mb->ring = NULL;
}
