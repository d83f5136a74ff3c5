/* SPDX-License-Identifier: MIT */
/*
 * Active objects seen from other tasks.  Synchronous messages need no
 * help: a remote caller holds a copy of the object's endpoint, minted
 * with a badge that names its connection (AoRemote | n), and calls it
 * like a local one.  Posts cannot write into another address space, so
 * each task that exports something runs one porter thread: it receives
 * AoLPost calls on the task's porter endpoint, puts the message in the
 * mailbox the badge names, and answers at once (0, AoEFull, AoEGone...).
 * The sender waits for the porter, never for the object.
 *
 * Porter badges (56 bits): bits 0-7 export slot, 8-23 its generation,
 * 24-47 the connection, 48-51 AoExp flags, 55 (AoRemote) set.  The slot table maps a slot
 * to the Ao or mailbox; when that ends its slot's generation moves on
 * and old handles get AoEGone.  A new attacher says AoLHello and gets
 * its own endpoint and porter handles (items 0 and 1).
 *
 * Lock order: exlk, then a mailbox's lock (mbox_put under exlk keeps the
 * mailbox from being destroyed while the porter uses it).
 */
#include "aoimpl.h"

enum {
	MaxExports = 256,
	PostMs = 2000,       /* a porter that does not answer by then is stuck or gone */
};

#define BADGE(slot, gen, conn, flags) \
	((MuWord)(slot) | (MuWord)((gen) & 0xffff) << 8 | (MuWord)(conn) << 24 | \
	 (MuWord)(flags) << 48 | AoRemote)
#define B_SLOT(b) ((b) & 0xff)
#define B_GEN(b) (((b) >> 8) & 0xffff)
#define B_CONN(b) (((b) >> 24) & 0xffffff)
#define B_FLAGS(b) (((b) >> 48) & 0xf)

typedef struct Export {
	unsigned gen;
	Ao *a;
	AoMbox *mb;
} Export;

static AoLock exlk;
static Export exports[MaxExports];
static long portep;
static unsigned long nconn;
static int porterstate; /* 0 none, 1 starting, 2 running, -1 failed */

/* ---- the porter ---- */

static void
answer(MuMsg *mm, long err)
{
	if (err < 0)
		*mm = (MuMsg){ TAG(AoLError, 1, 0), 0, { AO_HDR(0, AoKError, 0, err) } };
	else
		*mm = (MuMsg){ TAG(0, 1, 0), 0, { AO_HDR(0, AoKReply, 0, 0) } };
}

/* The export a badge names, with exlk held; NULL if it has ended. */
static Export *
exportof(MuWord badge)
{
	Export *x = &exports[B_SLOT(badge)];

	if ((x->gen & 0xffff) != B_GEN(badge) || (x->a == NULL && x->mb == NULL))
		return NULL;
	return x;
}

/* AoLHello: a new connection; the reply moves out two fresh handles. */
static void
hello(MuMsg *mm, Export *x, MuWord badge)
{
	MuIpcBuf *b = mu_ipcbuf();
	unsigned long conn = ++nconn & 0xffffff;
	long ep = 0, post;

	if (x->a && (ep = mu_mint(x->a->ep, AoRemote | conn, RSend | RGrant | RDup)) < 0) {
		answer(mm, ep);
		return;
	}
	post = mu_mint(portep, BADGE(B_SLOT(badge), B_GEN(badge), conn, B_FLAGS(badge)),
		       RSend | RGrant | RDup);
	if (post < 0) {
		if (ep > 0)
			mu_close(ep);
		answer(mm, post);
		return;
	}
	b->item[0] = (MuItem){ ep ? ItemHandle | ITEM_MOVE : 0, ep, RAll };
	b->item[1] = (MuItem){ ItemHandle | ITEM_MOVE, post, RAll };
	*mm = (MuMsg){ TAG(0, 1, 2), 0, { AO_HDR(0, AoKReply, 0, 0) } };
}

/* One request to the porter, answered in place in mm. */
static void
porter1(MuMsg *mm, AoMsg *m)
{
	MuWord badge = mm->badge;
	int label = TAG_LABEL(mm->tag);
	long r = wire_get(mm, m);
	Export *x;

	if (r == 0 && label != AoLPost && m->handle) {
		mu_close(m->handle);
		m->handle = 0;
	}
	lk_lock(&exlk);
	if (r < 0) {
		/* malformed: answered below */
	} else if ((x = exportof(badge)) == NULL) {
		r = AoEGone;
	} else if (label == AoLHello) {
		hello(mm, x, badge);
		lk_unlock(&exlk);
		return;
	} else if (label == AoLPost) {
		m->label = (uint16_t)AO_HDR_AUX(mm->mr[0]);
		if (m->kind != AoKPost || m->label > AoMaxLabel)
			r = AoEFormat;
		else
			r = mbox_put(x->mb, m, AoKPost, AoRemote | B_CONN(badge), 0,
				     m->handle);
		if (r == 0)
			m->handle = 0;
	} else if (label == AoLKill) {
		r = !(B_FLAGS(badge) & AoExpKill) ? AoEPerm : x->a ? ao_kill(x->a) : AoEInval;
	} else {
		r = AoEInval;
	}
	lk_unlock(&exlk);
	if (r < 0 && m->handle)
		mu_close(m->handle);
	answer(mm, r);
}

static void
porter(void *arg)
{
	static AoMsg m; /* one porter per task */
	MuMsg mm = { 0 };
	long r;

	(void)arg;
	for (;;) {
		mm.tag = 0;
		r = mu_recv(portep, &mm);
		while (r == 0) {
			porter1(&mm, &m);
			r = mu_replyrecv(portep, &mm);
		}
	}
}

/* Start this task's porter, once. */
static long
porterup(void)
{
	int s = 0;

	if (__atomic_load_n(&porterstate, __ATOMIC_ACQUIRE) == 2)
		return 0;
	if (__atomic_compare_exchange_n(&porterstate, &s, 1, 0, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		long r = portep = mu_objcreate(mu_pool, ObjEndpoint);
		if (r > 0 && (r = mu_thread_create(porter, NULL, 0, -1, -1)) < 0) {
			mu_close(portep);
			portep = 0;
		}
		__atomic_store_n(&porterstate, r > 0 ? 2 : 0, __ATOMIC_RELEASE);
		return r > 0 ? 0 : r;
	}
	while ((s = __atomic_load_n(&porterstate, __ATOMIC_ACQUIRE)) == 1)
		mu_yield();
	return s == 2 ? 0 : AoENoMem;
}

/* ---- exports ---- */

/* The slot of a (or mb), made on first use. */
static long
slotof(Ao *a, AoMbox *mb)
{
	long r = AoEFull;

	lk_lock(&exlk);
	if (mb->exslot) {
		r = mb->exslot - 1;
	} else if (!mb->dead) {
		for (int i = 0; i < MaxExports; i++)
			if (exports[i].a == NULL && exports[i].mb == NULL) {
				exports[i].a = a;
				exports[i].mb = mb;
				mb->exslot = i + 1;
				r = i;
				break;
			}
	} else {
		r = AoEGone;
	}
	lk_unlock(&exlk);
	return r;
}

static long
export(Ao *a, AoMbox *mb, int flags)
{
	long r, slot;

	if ((r = porterup()) < 0)
		return r;
	if ((slot = slotof(a, mb)) < 0)
		return slot;
	return mu_mint(portep, BADGE(slot, exports[slot].gen, 0, flags & AoExpKill),
		       RSend | RGrant | RDup);
}

long
ao_export(Ao *a, int flags)
{
	if (a == NULL || a->state != AoRunning)
		return a ? AoEGone : AoEInval;
	return export(a, &a->mbox, flags);
}

long
ao_export_mbox(AoMbox *mb)
{
	if (mb == NULL || mb->ring == NULL)
		return AoEInval;
	return export(NULL, mb, 0);
}

void
unexport(int slot)
{
	if (slot < 0 || slot >= MaxExports)
		return;
	lk_lock(&exlk);
	if (exports[slot].mb)
		exports[slot].mb->exslot = 0;
	exports[slot].gen++;
	exports[slot].a = NULL;
	exports[slot].mb = NULL;
	lk_unlock(&exlk);
}

/* ---- proxies ---- */

long
ao_attach(Ao *p, long h, long ms)
{
	MuIpcBuf *b = mu_ipcbuf();
	MuMsg mm = { TAG(AoLHello, 1, 0), 0, { AO_HDR(0, AoKCall, 0, 0) } };
	long r;

	if (p == NULL || h <= 0)
		return AoEInval;
	memset(p, 0, sizeof *p);
	if (ms == 0)
		mm.tag |= TAG_POLL;
	else if (ms > 0)
		mm.tag = TAG_WITHMS(mm.tag, ms);
	if ((r = mu_call(h, &mm)) < 0)
		return r;
	if (TAG_ITEMS(mm.tag) != 2 || TAG_WORDS(mm.tag) != 1 ||
	    AO_HDR_KIND(mm.mr[0]) != AoKReply || b->item[1].kind != ItemHandle) {
		for (unsigned i = 0; i < TAG_ITEMS(mm.tag) && i < MuMaxItems; i++)
			if (b->item[i].kind == ItemHandle)
				mu_close(b->item[i].a);
		r = AO_HDR_AUX(mm.mr[0]);
		if (TAG_LABEL(mm.tag) == AoLError && AO_HDR_KIND(mm.mr[0]) == AoKError && r < 0)
			return r;
		return AoEFormat;
	}
	p->ep = p->callep = b->item[0].kind == ItemHandle ? (long)b->item[0].a : 0;
	p->post = b->item[1].a;
	p->state = AoProxy;
	return 0;
}

void
ao_detach(Ao *p)
{
	if (p == NULL || p->state != AoProxy)
		return;
	if (p->ep > 0)
		mu_close(p->ep);
	mu_close(p->post);
	p->ep = p->post = p->callep = 0;
	p->state = AoNew;
}

/* A call to the porter behind proxy p: 0 or the error it answered. */
static long
portcall(Ao *p, MuMsg *mm)
{
	AoMsg rep;
	long r;

	mm->tag = TAG_WITHMS(mm->tag, PostMs);
	if ((r = mu_call(p->post, mm)) < 0)
		return r == -ErrNoReply ? AoEGone : r;
	return wire_reply(mm, &rep);
}

long
remote_post(Ao *p, const AoMsg *m)
{
	MuMsg mm;

	if (m == NULL || m->label > AoMaxLabel || m->len > AoMaxData)
		return AoEInval;
	/* the porter's label is AoLPost; the message's travels in aux */
	wire_put(&mm, m, AoKPost, m->label);
	mm.tag = (mm.tag & ~0xfffful) | AoLPost;
	return portcall(p, &mm);
}

long
remote_kill(Ao *p)
{
	MuMsg mm = { TAG(AoLKill, 1, 0), 0, { AO_HDR(0, AoKCall, 0, 0) } };

	return portcall(p, &mm);
}
