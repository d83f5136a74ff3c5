/* SPDX-License-Identifier: MIT */
/*
 * Active objects: their life (create, adopt, kill, end, join), their
 * threads, deadlines and the one place where a thread of the library
 * sleeps (ao_park).  Messages are in sync.c and mbox.c, futures in
 * tally.c, channels in chan.c, other tasks in remote.c.
 *
 * An object's thread is made here rather than by mu_thread_create so
 * that ao_join can give back its stack: pages [guard][stack][IPC
 * buffer][MuTls], the guard unmapped.  MuTls.user[4] points at the
 * thread's Ao (ao_self); user[0..2] are libmu's (mu.c).
 */
#include "aoimpl.h"

enum {
	DefaultStack = 64 * 1024,
	TlsAo = 4,          /* MuTls.user slot: the thread's Ao */
	TlsSleepNtf = 2,    /* mu.c's slot: mu_sleep's notification */
	MaxStack = 64 << 20,
};

static long nextid;

long
ao_newid(void)
{
	return __atomic_add_fetch(&nextid, 1, __ATOMIC_RELAXED);
}

__attribute__((no_caller_saved_registers)) void
lk_spin(AoLock *l)
{
	int n = 0;

	do {
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED)) {
			__asm__ volatile("pause");
			/* the holder may be preempted on our cpu: let it run */
			if (++n % 64 == 0)
				mu_yield();
		}
	} while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE));
}

/* ---- deadlines ---- */

void
dl_start(AoDl *d, long ms)
{
	d->ms = ms < 0 ? AoForever : ms;
	d->end = ms > 0 ? mu_nsec() + (unsigned long)ms * 1000000 : 0;
}

long
dl_left(AoDl *d)
{
	unsigned long now;

	if (d->ms <= 0)
		return d->ms;
	now = mu_nsec();
	if (now >= d->end)
		return 0;
	return (d->end - now + 999999) / 1000000;
}

MuWord
dl_tag(AoDl *d, MuWord tag)
{
	long ms = dl_left(d);

	if (ms < 0)
		return tag;
	if (ms == 0)
		return tag | TAG_POLL;
	return TAG_WITHMS(tag, ms);
}

/*
 * The only sleep of the library.  Returns 0 when woken for whatever
 * reason, or when the kernel's timeout ended the wait (the caller looks
 * at its condition again and comes back); AoETimeout once d is over.
 */
long
ao_park(Ao *self, AoDl *d)
{
	long ms = dl_left(d), r;

	if (ms == 0)
		return AoETimeout;
	r = mu_wait(self->ntf, ms < 0 ? 0 : TAG_WITHMS(0, ms));
	if (r < 0 && r != -ErrTimeout)
		return r;
	return 0;
}

/* ---- setting up and tearing down ---- */

/* The kernel objects and mailbox of a new object. */
static long
setup(Ao *a, int slots)
{
	long r;

	memset(a, 0, sizeof *a);
	if ((r = ao_mbox_init(&a->mbox, slots)) < 0)
		return r;
	if ((a->ep = mu_objcreate(mu_pool, ObjEndpoint)) < 0) {
		r = a->ep;
		goto bad;
	}
	if ((a->ntf = mu_objcreate(mu_pool, ObjNotification)) < 0) {
		r = a->ntf;
		goto bad;
	}
	a->mbox.ownerntf = a->ntf;
	a->id = ao_newid();
	a->callhdr = AO_HDR(0, AoKCall, 0, a->id);
	a->rnd = 0x9e3779b9u * (unsigned)a->id | 1;
	return 0;
bad:
	if (a->ep > 0)
		mu_close(a->ep);
	ao_mbox_destroy(&a->mbox);
	a->ep = a->ntf = a->callep = 0;
	return r;
}

/* What setup made, once the thread no longer runs the object. */
static void
release(Ao *a)
{
	mu_close(a->ep);
	mu_close(a->ntf);
	ao_mbox_destroy(&a->mbox);
	free(a->stash);
	a->stash = NULL;
	a->ep = a->ntf = 0;
}

/*
 * The object's body has returned (or its thread leaves it): nothing more
 * reaches it.  Runs in the object's own thread.
 */
static void
ao_end(Ao *a)
{
	a->callep = 0;
	if (a->mbox.exslot)
		unexport(a->mbox.exslot - 1);
	mbox_drain(&a->mbox);
	sync_end(a);
	tally_end(a);
}

_Noreturn static void
aoentry(Ao *a)
{
	MuTls *t = mu_tls();
	Ao *j;

	a->fn(a);
	ao_end(a);
	if (t->user[TlsSleepNtf]) {
		mu_close(t->user[TlsSleepNtf]);
		t->user[TlsSleepNtf] = 0;
	}
	/* From here on the joiner may look at the thread, never at the stack. */
	__atomic_store_n(&a->state, AoEnded, __ATOMIC_SEQ_CST);
	j = __atomic_exchange_n(&a->joiner, NULL, __ATOMIC_SEQ_CST);
	if (j)
		mu_signal(j->ntf, 1);
	mu_threadexit();
}

/* Make and start a's thread with `stack` bytes of stack. */
static long
startthread(Ao *a, size_t stack)
{
	size_t sp = (stack + MuPageSize - 1) / MuPageSize, n = sp + 2;
	char *p = mu_pages(n + 1);
	MuWord top;
	MuTls *tls;
	long th, r;

	if (p == NULL)
		return AoENoMem;
	mu_pages_free(p, 1); /* the guard */
	p += MuPageSize;
	top = (MuWord)p + sp * MuPageSize;
	tls = (MuTls *)(top + MuPageSize);
	tls->self = tls;
	tls->ipcbuf = (MuIpcBuf *)top;
	tls->user[TlsAo] = (MuWord)a;
	if ((th = mu_threadcreate(mu_pool, mu_task)) < 0) {
		r = th;
		goto bad;
	}
	tls->thread = th;
	if ((r = mu_threadset(th, ThrIpcBuf, top, 0)) < 0 ||
	    (r = mu_threadset(th, ThrFsBase, (MuWord)tls, 0)) < 0 ||
	    (r = mu_threadset(th, ThrBindNtf, a->ntf, 0)) < 0)
		goto bad;
	a->thread = th;
	a->stack = p;
	a->stackpages = n;
	a->state = AoRunning;
	a->callep = a->ep;
	/* rsp as just after a call: 8 below a 16-byte boundary */
	if ((r = mu_threadstart(th, (MuWord)aoentry, top - 8, (MuWord)a)) < 0) {
		a->state = AoNew;
		goto bad;
	}
	return 0;
bad:
	if (th > 0)
		mu_close(th);
	a->thread = 0;
	mu_pages_free(p, n);
	return r;
}

long
ao_create(void *obj, void (*fn)(void *obj), size_t stack, int slots)
{
	Ao *a = obj;
	long r;

	if (a == NULL || fn == NULL || stack > MaxStack)
		return AoEInval;
	if ((r = setup(a, slots)) < 0)
		return r;
	a->fn = fn;
	if ((r = startthread(a, stack ? stack : DefaultStack)) < 0)
		release(a);
	return r;
}

long
ao_join(Ao *a, long ms)
{
	Ao *self = ao_self();
	AoDl d;
	long r;

	if (a == NULL || a == self || a->stack == NULL)
		return AoEInval;
	dl_start(&d, ms);
	while (__atomic_load_n(&a->state, __ATOMIC_SEQ_CST) != AoEnded) {
		if (self == NULL) {
			if (dl_left(&d) == 0)
				return AoETimeout;
			mu_sleep(1);
			continue;
		}
		__atomic_store_n(&a->joiner, self, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&a->state, __ATOMIC_SEQ_CST) == AoEnded)
			break;
		r = self->killed ? AoEKilled : ao_park(self, &d);
		if (r < 0) {
			__atomic_store_n(&a->joiner, NULL, __ATOMIC_SEQ_CST);
			return r;
		}
	}
	/* It has ended and is on its way out of the kernel: a few steps. */
	for (int i = 0;; i++) {
		long info = mu_handleinfo(a->thread);
		if (info < 0 || (info >> 16 & 1))
			break;
		if (i < 100)
			mu_yield();
		else
			mu_sleep(1);
	}
	mu_close(a->thread);
	mu_pages_free(a->stack, a->stackpages);
	a->stack = NULL;
	a->thread = 0;
	release(a);
	a->state = AoNew;
	return 0;
}

long
ao_kill(Ao *a)
{
	if (a == NULL)
		return AoEInval;
	if (a->state == AoProxy)
		return remote_kill(a);
	if (a->state != AoRunning)
		return AoEGone;
	__atomic_store_n(&a->killed, 1, __ATOMIC_SEQ_CST);
	a->callhdr = 0;
	mu_signal(a->ntf, 1);
	/* and out of a kernel wait the signal does not reach (a call) */
	if (a->thread > 0)
		mu_threadcancel(a->thread);
	return 0;
}

long
ao_adopt(Ao *a, int slots)
{
	MuTls *t = mu_tls();
	long r;

	if (a == NULL || t->user[TlsAo] != 0)
		return AoEInval;
	if ((r = setup(a, slots)) < 0)
		return r;
	if ((r = mu_threadset(t->thread, ThrBindNtf, a->ntf, 0)) < 0) {
		release(a);
		return r;
	}
	a->thread = t->thread;
	a->state = AoRunning;
	a->callep = a->ep;
	t->user[TlsAo] = (MuWord)a;
	return 0;
}

void
ao_leave(Ao *a)
{
	MuTls *t = mu_tls();

	if (a == NULL || t->user[TlsAo] != (MuWord)a)
		return;
	ao_end(a);
	a->state = AoEnded;
	mu_threadset(t->thread, ThrBindNtf, 0, 0);
	t->user[TlsAo] = 0;
	a->thread = 0;
	release(a);
	a->state = AoNew;
}

long
ao_sleep(long ms)
{
	Ao *self = ao_self();
	AoDl d;

	if (self == NULL) {
		if (ms > 0)
			mu_sleep(ms);
		return 0;
	}
	dl_start(&d, ms);
	while (!self->killed)
		if (ao_park(self, &d) == AoETimeout)
			return 0;
	return AoEKilled;
}

const char *
ao_errstr(long err)
{
	switch (err) {
	case 0:
		return "no error";
	case AoEKilled:
		return "object killed";
	case AoEFormat:
		return "malformed message";
	case AoEClosed:
		return "channel closed";
	case AoEFull:
		return "full";
	}
	return mu_errstr(err);
}
