/* SPDX-License-Identifier: MIT */
/*
 * Synchronous messages: call, send, receive (from anyone or one sender),
 * reply, and the wire format that carries an AoMsg over an endpoint (see
 * ao.h).  Every object receives on its own endpoint with its
 * notification bound to its thread, so one kernel receive waits for
 * calls, for posts to its mailbox (mbox.c signals the notification) and
 * for a kill.  Calls go straight to the kernel's IPC fast path: the
 * library adds only the packing of the words.  Posts and takes are in
 * mbox.c.
 */
#include "aoimpl.h"

enum {
	Streak = 64,            /* mailbox messages before the endpoint gets a look */
	MaxStash = 16,          /* messages ao_recvfrom may set aside */
};
#define RtoSlot (1ul << 63) /* AoKCall answered through the kernel reply slot */

/* ---- the wire: the general cases (the usual ones are in aoimpl.h) ---- */

/* Keep the low n bytes of a word (n = 1..7; 0 keeps all). */
static const MuWord wire_keep[8] = {
	~0ul, 0xff, 0xffff, 0xffffff, 0xfffffffful, 0xffffffffffful, 0xffffffffffffful,
	0xffffffffffffff,
};

/* Data word i of m, zero past m->len (no stale bytes leave the task). */
static inline MuWord
dword(const AoMsg *m, size_t i)
{
	size_t off = i * 8;
	MuWord w;

	if (off >= m->len)
		return 0;
	w = ((const AoWord *)m->data)[i];
	if (m->len - off < 8)
		w &= wire_keep[m->len - off];
	return w;
}

/* wire_put, for messages past the registers or with a handle; tag and
 * word 0 are set. */
void
wire_putlong(MuMsg *mm, const AoMsg *m)
{
	MuIpcBuf *b = mu_ipcbuf();
	size_t nw = (m->len + 7) / 8;

	mm->mr[1] = dword(m, 0);
	mm->mr[2] = dword(m, 1);
	mm->mr[3] = dword(m, 2);
	for (size_t i = 3; i < nw; i++)
		b->mr[i + 1] = dword(m, i);
	if (m->handle)
		b->item[0] = (MuItem){ ItemHandle, m->handle, RAll };
}

/* Close the handles that arrived with mm. */
static void
dropitems(const MuMsg *mm)
{
	MuIpcBuf *b = mu_ipcbuf();

	for (unsigned i = 0; i < TAG_ITEMS(mm->tag) && i < MuMaxItems; i++)
		if (b->item[i].kind == ItemHandle)
			mu_close(b->item[i].a);
}

long
wire_getlong(const MuMsg *mm, AoMsg *m)
{
	MuWord tag = mm->tag, h = mm->mr[0];
	size_t nw = TAG_WORDS(tag), len = AO_HDR_LEN(h);
	MuIpcBuf *b = mu_ipcbuf();
	AoWord *d = (AoWord *)m->data;

	if (nw < 1 || len > AoMaxData || nw != 1 + (len + 7) / 8 || TAG_ITEMS(tag) > 1) {
		dropitems(mm);
		return AoEFormat;
	}
	*(AoWord *)m = MSG_W0(TAG_LABEL(tag), len, AO_HDR_KIND(h));
	m->handle = 0;
	if (TAG_ITEMS(tag) && b->item[0].kind == ItemHandle)
		m->handle = b->item[0].a;
	m->from = 0;
	m->rto = 0;
	d[0] = mm->mr[1];
	d[1] = mm->mr[2];
	d[2] = mm->mr[3];
	for (size_t i = 4; i < nw; i++)
		d[i - 1] = b->mr[i];
	return 0;
}

void
wire_replyerr(long rh, long err)
{
	MuMsg mm = { TAG(AoLError, 1, 0), 0, { AO_HDR(0, AoKError, 0, err) } };

	if (rh == 0)
		mu_reply(&mm);
	else if (mu_replyto(rh, &mm) < 0)
		mu_close(rh);
}

static long
replyres(long r)
{
	return r == -ErrNoReply ? AoEGone : r;
}

/* ---- calling ---- */

static inline long
checkout(Ao *self, Ao *to, const AoMsg *m)
{
	if (to == NULL || m == NULL || m->label > AoMaxLabel || m->len > AoMaxData || to == self)
		return AoEInval;
	if (self && self->killed)
		return AoEKilled;
	if (to->state != AoRunning && to->state != AoProxy)
		return AoEGone;
	if (to->ep <= 0)
		return AoEInval; /* a remote mailbox: it only takes posts */
	return 0;
}

static MuWord
timeout(MuWord tag, long ms)
{
	if (ms == 0)
		return tag | TAG_POLL;
	return ms > 0 ? TAG_WITHMS(tag, ms) : tag;
}

/* A reply in mm whose wire_get gave r: the error it carries, if any. */
static long
replyslow(const MuMsg *mm, AoMsg *rep, long r)
{
	if (r < 0)
		return r;
	if (rep->handle && rep->kind != AoKReply) {
		mu_close(rep->handle);
		rep->handle = 0;
	}
	if (rep->kind == AoKError) {
		r = AO_HDR_AUX(mm->mr[0]);
		return r < 0 ? r : AoEFormat;
	}
	return rep->kind == AoKReply ? 0 : AoEFormat;
}

long
wire_reply(const MuMsg *mm, AoMsg *rep)
{
	return replyslow(mm, rep, wire_get(mm, rep));
}

/* ao_call in general: timeouts, long messages, handles, errors. */
static long
call_slow(Ao *to, const AoMsg *req, AoMsg *rep, long ms)
{
	Ao *self = ao_self();
	MuMsg mm;
	long r;

	if ((r = checkout(self, to, req)) < 0)
		return r;
	wire_put(&mm, req, AoKCall, self ? (long)self->id : 0);
	if (ms >= 0)
		mm.tag = timeout(mm.tag, ms);
	if ((r = mu_call(to->ep, &mm)) < 0)
		return self && self->killed ? AoEKilled : r == -ErrNoReply ? AoENoReply : r;
	return replyslow(&mm, rep, wire_get(&mm, rep));
}

/*
 * The usual call: no timeout, at most 24 bytes, no handle, and the reply
 * alike.  wire_put and wire_get with everything in registers; anything
 * else goes to call_slow (before the call) or replyslow (after).
 * to->callep is 0 unless `to` can be called; self->callhdr is 0 once
 * the caller is killed.
 */
HOT long
ao_call(Ao *to, const AoMsg *req, AoMsg *rep, long ms)
{
	Ao *self = ao_self();
	const AoWord *q = (const AoWord *)req;
	AoWord *p = (AoWord *)rep;
	MuWord w0, len, h, tag, hdr, d0, d1, d2;
	long n;

	if (unlikely(to == NULL))
		return AoEInval;
	w0 = q[0];
	len = (w0 >> 16) & 0xffff;
	hdr = self ? self->callhdr : AO_HDR(0, AoKCall, 0, 0);
	h = to->callep;
	if (unlikely((long)h <= 0 || len > 24 || q[1] || (w0 & 0xffff) > AoMaxLabel || ms >= 0 ||
		     hdr == 0 || to == self))
		return call_slow(to, req, rep, ms);
	tag = (w0 & 0xffff) | (MuWord)wire_words[len] << 16;
	hdr |= len;
	d0 = q[4] & wire_mask[len][0];
	d1 = q[5] & wire_mask[len][1];
	d2 = q[6] & wire_mask[len][2];
	if (unlikely((n = ipc_regs(SysCall, &h, &tag, &hdr, &d0, &d1, &d2)) < 0))
		return self && self->killed ? AoEKilled : n == -ErrNoReply ? AoENoReply : n;
	len = AO_HDR_LEN(hdr);
	if (unlikely(len > 24 || (tag >> 16) != wire_words[len] || AO_HDR_KIND(hdr) != AoKReply)) {
		MuMsg mm = { tag, h, { hdr, d0, d1, d2 } };
		return replyslow(&mm, rep, wire_get(&mm, rep));
	}
	p[0] = MSG_W0(TAG_LABEL(tag), len, AoKReply);
	p[1] = 0;
	p[2] = 0;
	p[3] = 0;
	p[4] = d0;
	p[5] = d1;
	p[6] = d2;
	return 0;
}

long
ao_send(Ao *to, const AoMsg *m, long ms)
{
	Ao *self = ao_self();
	MuMsg mm;
	long r;

	if ((r = checkout(self, to, m)) < 0)
		return r;
	wire_put(&mm, m, AoKSend, self ? (long)self->id : 0);
	mm.tag = timeout(mm.tag, ms);
	return mu_send(to->ep, &mm);
}

/* ---- receiving ---- */

/*
 * A message received on a's endpoint, into m: 0, or AoEFormat after
 * answering it so (then the caller receives again).
 */
static inline long
accept(Ao *a, const MuMsg *mm, AoMsg *m)
{
	long r = wire_get(mm, m);

	if (unlikely(r == 0 && ((m->kind != AoKCall && m->kind != AoKSend) || m->label > AoMaxLabel))) {
		if (m->handle)
			mu_close(m->handle);
		r = AoEFormat;
	}
	if (unlikely(r < 0)) {
		/* the slot is empty before every receive: this reaches only
		 * the sender of this message, if it is a call */
		wire_replyerr(0, r);
		return r;
	}
	m->from = mm->badge ? mm->badge : (AoId)(uint32_t)AO_HDR_AUX(mm->mr[0]);
	if (m->kind == AoKCall)
		m->rto = a->slotseq = ++a->seq | RtoSlot;
	return 0;
}

/* Before receiving: a call left unanswered in the slot is answered now,
 * so that no later reply can reach the wrong caller. */
static inline void
clearslot(Ao *a)
{
	if (a->slotseq) {
		a->slotseq = 0;
		wire_replyerr(0, AoENoReply);
	}
}

static void
unstash(Ao *a, int i, AoMsg *m)
{
	msg_copy(m, &a->stash[i]);
	a->nstash--;
	for (; i < a->nstash; i++)
		msg_copy(&a->stash[i], &a->stash[i + 1]);
}

/*
 * Wait on the endpoint and the own mailbox together; if out is not NULL
 * it is a reply for the slot, sent in the same kernel entry.  Before
 * sleeping the object sets mbox.sleeper and looks at the mailbox once
 * more; a poster queues, then clears sleeper and signals if it was set
 * (both with locked instructions, so one of the two sees the other).
 * The notification is bound to the thread: the kernel receive returns
 * with TAG_NOTIFY for it.
 */
static long
inbox(Ao *a, MuMsg *out, AoMsg *m, AoDl *d)
{
	AoMbox *mb = &a->mbox;
	MuMsg mm;
	long r;

	for (;;) {
		if (out == NULL && __atomic_load_n(&mb->n, __ATOMIC_RELAXED) > 0) {
			if (a->streak >= Streak) {
				/* the mailbox had its share: one look at the endpoint */
				a->streak = 0;
				mm.tag = TAG_POLL;
				if (mu_recv(a->ep, &mm) == 0 && TAG_LABEL(mm.tag) != TAG_NOTIFY &&
				    accept(a, &mm, m) == 0)
					return 0;
			}
			if (mbox_trytake(mb, m) == 0) {
				a->streak++;
				return 0;
			}
		}
		if (a->killed) {
			if (out)
				mu_reply(out);
			return AoEKilled;
		}
		a->streak = 0; /* the endpoint gets its look now */
		__atomic_store_n(&mb->sleeper, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&mb->n, __ATOMIC_RELAXED) > 0) {
			mb->sleeper = 0;
			if (out) {
				mu_reply(out);
				out = NULL;
			}
			continue;
		}
		if (out) {
			mm = *out;
			mm.tag = dl_tag(d, mm.tag);
			r = mu_replyrecv(a->ep, &mm);
			out = NULL;
		} else {
			mm.tag = dl_tag(d, 0);
			r = mu_recv(a->ep, &mm);
		}
		mb->sleeper = 0;
		if (r == 0 && TAG_LABEL(mm.tag) != TAG_NOTIFY) {
			if (accept(a, &mm, m) == 0) {
				a->streak = 0;
				return 0;
			}
			continue;
		}
		if (r < 0 && r != -ErrTimeout)
			return r;
		if (r == -ErrTimeout && dl_left(d) == 0 && __atomic_load_n(&mb->n, __ATOMIC_RELAXED) == 0)
			return AoETimeout;
	}
}

static long
recv_slow(Ao *a, AoMsg *m, long ms)
{
	AoDl d;

	if (a == NULL || m == NULL)
		return AoEInval;
	if (a->killed)
		return AoEKilled;
	clearslot(a);
	if (a->nstash) {
		unstash(a, 0, m);
		return 0;
	}
	dl_start(&d, ms);
	return inbox(a, NULL, m, &d);
}

/* The usual case first: a stream of posts to take. */
HOT long
ao_recv(AoMsg *m, long ms)
{
	Ao *a = ao_self();

	if (likely(a != NULL && m != NULL && !a->attn && !a->slotseq && a->mbox.n > 0 &&
		   a->streak < Streak) &&
	    mbox_takefast(&a->mbox, m) == 0) {
		a->streak++;
		return 0;
	}
	return recv_slow(a, m, ms);
}

long
ao_recvfrom(AoMsg *m, AoId from, long ms)
{
	Ao *a = ao_self();
	MuMsg mm;
	AoDl d;
	long r;

	if (a == NULL || m == NULL)
		return AoEInval;
	if (a->killed)
		return AoEKilled;
	clearslot(a);
	for (int i = 0; i < a->nstash; i++)
		if (a->stash[i].from == from) {
			unstash(a, i, m);
			return 0;
		}
	if (a->stash == NULL && (a->stash = malloc(MaxStash * sizeof(AoMsg))) == NULL)
		return AoENoMem;
	dl_start(&d, ms);
	for (;;) {
		if (a->nstash == MaxStash)
			return AoEFull;
		mm.tag = dl_tag(&d, 0);
		r = mu_recv(a->ep, &mm);
		if (r == 0 && TAG_LABEL(mm.tag) != TAG_NOTIFY) {
			if (accept(a, &mm, m) < 0)
				continue;
			if (m->from == from)
				return 0;
			if (m->kind == AoKCall) {
				a->slotseq = 0;
				if ((long)(m->rto = mu_replysave()) < 0) {
					if (m->handle)
						mu_close(m->handle);
					wire_replyerr(0, AoENoMem);
					continue;
				}
			}
			msg_copy(&a->stash[a->nstash++], m);
			continue;
		}
		if (r < 0 && r != -ErrTimeout)
			return r;
		if (a->killed)
			return AoEKilled;
		if (r == -ErrTimeout && dl_left(&d) == 0)
			return AoETimeout;
	}
}

/* ---- answering ---- */

long
ao_reply(AoMsg *req, const AoMsg *rep)
{
	Ao *a = ao_self();
	MuWord rto = req->rto;
	MuMsg mm;
	long r, h;

	if (rep->label > AoMaxLabel || rep->len > AoMaxData)
		return AoEInval;
	req->rto = 0;
	switch (req->kind) {
	case AoKCall:
		if (rto == 0)
			return AoENoReply;
		wire_put(&mm, rep, AoKReply, 0);
		if (rto & RtoSlot) {
			if (a == NULL || a->slotseq != rto)
				return AoENoReply;
			a->slotseq = 0;
			return replyres(mu_reply(&mm));
		}
		if ((r = mu_replyto(rto, &mm)) < 0)
			mu_close(rto);
		return replyres(r);
	case AoKACall:
		if (rto == 0)
			return AoENoReply;
		h = rep->handle ? mu_dup(rep->handle, RAll) : 0;
		if (h < 0)
			return h;
		if ((r = tally_complete(rto, rep, h, 0)) < 0 && h)
			mu_close(h);
		return r;
	}
	return AoENoReply;
}

long
ao_replyerr(AoMsg *req, long err)
{
	Ao *a = ao_self();
	MuWord rto = req->rto;

	if (err >= 0)
		return AoEInval;
	req->rto = 0;
	if (rto == 0 || (req->kind != AoKCall && req->kind != AoKACall))
		return AoENoReply;
	if (req->kind == AoKACall)
		return tally_complete(rto, NULL, 0, err);
	if (rto & RtoSlot) {
		if (a == NULL || a->slotseq != rto)
			return AoENoReply;
		a->slotseq = 0;
		rto = 0;
	}
	wire_replyerr(rto, err);
	return 0;
}

long
ao_defer(AoMsg *req)
{
	Ao *a = ao_self();
	long h;

	if (req->rto && (req->kind == AoKACall || (req->kind == AoKCall && !(req->rto & RtoSlot))))
		return 0; /* answerable at any time already */
	if (req->kind != AoKCall || req->rto == 0)
		return AoENoReply;
	if (a == NULL || a->slotseq != req->rto)
		return AoENoReply;
	if ((h = mu_replysave()) < 0)
		return h;
	a->slotseq = 0;
	req->rto = h;
	return 0;
}

/* ao_replyrecv in general. */
static long
replyrecv_slow(Ao *a, AoMsg *req, const AoMsg *rep, AoMsg *m, long ms)
{
	MuMsg mm;
	AoDl d;

	if (a == NULL || m == NULL || rep->label > AoMaxLabel || rep->len > AoMaxData)
		return AoEInval;
	if (req->kind != AoKCall || !(req->rto & RtoSlot) || a->slotseq != req->rto ||
	    a->nstash || a->mbox.n || a->killed) {
		ao_reply(req, rep);
		return ao_recv(m, ms);
	}
	req->rto = 0;
	a->slotseq = 0;
	wire_put(&mm, rep, AoKReply, 0);
	dl_start(&d, ms);
	return inbox(a, &mm, m, &d);
}

/*
 * The usual case of a server's loop: answer a short call and wait for
 * the next one, with nothing in the mailbox and no timeout; inbox() cut
 * short, and the wire in registers as in ao_call.  A notification, a
 * long message or anything odd falls to accept() and inbox().
 */
HOT long
ao_replyrecv(AoMsg *req, const AoMsg *rep, AoMsg *m, long ms)
{
	Ao *a = ao_self();
	const AoWord *q = (const AoWord *)rep;
	AoWord *p = (AoWord *)m;
	MuWord w0, len, h, tag, hdr, d0, d1, d2, kind, seq;
	AoMbox *mb;
	AoDl d;
	long n;

	if (unlikely(a == NULL))
		return AoEInval;
	w0 = q[0];
	len = (w0 >> 16) & 0xffff;
	seq = a->slotseq;
	mb = &a->mbox;
	if (unlikely(len > 24 || q[1] || (w0 & 0xffff) > AoMaxLabel || ms >= 0 || req->rto != seq ||
		     !(seq & RtoSlot) || a->attn || mb->n || m == NULL))
		return replyrecv_slow(a, req, rep, m, ms);
	req->rto = 0;
	a->slotseq = 0;
	h = a->ep;
	tag = (w0 & 0xffff) | (MuWord)wire_words[len] << 16;
	hdr = AO_HDR(len, AoKReply, 0, 0);
	d0 = q[4] & wire_mask[len][0];
	d1 = q[5] & wire_mask[len][1];
	d2 = q[6] & wire_mask[len][2];
	/* the sleeper protocol of inbox() */
	__atomic_store_n(&mb->sleeper, 1, __ATOMIC_SEQ_CST);
	if (unlikely(__atomic_load_n(&mb->n, __ATOMIC_RELAXED) > 0)) {
		mb->sleeper = 0;
		ipc_regs(SysReply, &tag, &hdr, &d0, &d1, &d2, &h);
		return ao_recv(m, AoForever);
	}
	n = ipc_regs(SysReplyRecv, &h, &tag, &hdr, &d0, &d1, &d2);
	mb->sleeper = 0;
	if (unlikely(n < 0))
		return n;
	len = AO_HDR_LEN(hdr);
	kind = AO_HDR_KIND(hdr);
	/* (a notification has no words: it fails the second test) */
	if (unlikely(len > 24 || (tag >> 16) != wire_words[len] || TAG_LABEL(tag) > AoMaxLabel ||
		     (kind != AoKCall && kind != AoKSend))) {
		MuMsg mm = { tag, h, { hdr, d0, d1, d2 } };
		if (TAG_LABEL(tag) != TAG_NOTIFY && accept(a, &mm, m) == 0) {
			a->streak = 0;
			return 0;
		}
		dl_start(&d, AoForever);
		return inbox(a, NULL, m, &d);
	}
	p[0] = MSG_W0(TAG_LABEL(tag), len, kind);
	p[1] = 0;
	p[2] = h ? h : (MuWord)(uint32_t)AO_HDR_AUX(hdr);
	seq = 0;
	if (kind == AoKCall)
		a->slotseq = seq = ++a->seq | RtoSlot;
	p[3] = seq;
	p[4] = d0;
	p[5] = d1;
	p[6] = d2;
	a->streak = 0;
	return 0;
}

/* The object ends: whoever still waits for it is told AoEGone. */
void
sync_end(Ao *a)
{
	MuMsg mm;
	AoMsg m;

	if (a->slotseq) {
		a->slotseq = 0;
		wire_replyerr(0, AoEGone);
	}
	for (int i = 0; i < a->nstash; i++) {
		if (a->stash[i].handle)
			mu_close(a->stash[i].handle);
		if (a->stash[i].kind == AoKCall)
			wire_replyerr(a->stash[i].rto, AoEGone);
	}
	a->nstash = 0;
	for (;;) {
		mm.tag = TAG_POLL;
		if (mu_recv(a->ep, &mm) < 0)
			break;
		if (TAG_LABEL(mm.tag) == TAG_NOTIFY)
			continue;
		if (wire_get(&mm, &m) == 0 && m.handle)
			mu_close(m.handle);
		wire_replyerr(0, AoEGone);
	}
}
