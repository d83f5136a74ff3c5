/* SPDX-License-Identifier: MIT */
/*
 * Locks and sleeping for core's threads (dev.h): spin locks, sleeping
 * locks and Rendez.  A thread sleeps by waiting on its own notification
 * object (Clerk.ntf); waking it is one signal.  A note for the process a
 * clerk serves sets Clerk.intr and signals, so rsleep can return -1.
 */
#include "dat.h"
#include "fns.h"


static Clerk sysclerks[16];
static int nsysclerk;
static Lock sysclerklock;

/* curclerk (dat.h) in a thread that is no clerk (the console reader ...):
 * give it a Clerk record, for sleeping. */
Clerk *
newsysclerk(void)
{
	MuTls *t = mu_tls();
	Clerk *c;

	lock(&sysclerklock);
	if (nsysclerk == nelem(sysclerks))
		panic("core: too many threads that sleep");
	c = &sysclerks[nsysclerk++];
	unlock(&sysclerklock);
	c->id = -1;
	c->scratch = CoreScratchVa + (MuWord)(NCLERK + (c - sysclerks)) * CoreScratchSize;
	c->thread = mu_thread;
	c->ntf = mu_objcreate(mu_pool, ObjNotification);
	t->user[CoreTlsClerk] = (MuWord)c;
	t->user[CoreTlsErr] = (MuWord)c->err;
	return c;
}

/* Make the calling thread clerk c. */
void
setclerk(Clerk *c)
{
	mu_tls()->user[CoreTlsClerk] = (MuWord)c;
	mu_tls()->user[CoreTlsErr] = (MuWord)c->err;  /* werrstr: per thread */
}

/* Plain lookup that never allocates: NULL for a thread that is no clerk. */
Clerk *
clerkof(void)
{
	return (Clerk *)mu_tls()->user[CoreTlsClerk];
}

/* lock (dev.h) found l held: spin, yielding now and then, until it is ours. */
void
lockwait(Lock *l)
{
	int spins = 0;

	while (!canlock(l)) {
		while (__atomic_load_n(&l->val, __ATOMIC_RELAXED)) {
			if (++spins > 100) {
				mu_yield();
				spins = 0;
			}
			__asm__ volatile("pause");
		}
	}
}

/* A thread waiting for a QLock. */
typedef struct Qwait Qwait;
struct Qwait {
	Qwait *next;
	long ntf;
	int granted;
};

/* Join q's queue of waiters (held: q->use); ntf wakes us when granted. */
static void
qenqueue(QLock *q, Qwait *w, long ntf)
{
	w->next = NULL;
	w->ntf = ntf;
	w->granted = 0;
	if (q->tail)
		((Qwait *)q->tail)->next = w;
	else
		q->head = w;
	q->tail = w;
}

/*
 * Mark q as waited for, under q->use: 0 if it was free and is now ours,
 * 1 if it is held (locked is 2 now, so its holder will look at the queue).
 */
static int
qmarkwait(QLock *q)
{
	for (;;) {
		int s = __atomic_load_n(&q->locked, __ATOMIC_RELAXED);
		int want = s == 0 ? 1 : 2;
		if (s == 2 || __atomic_compare_exchange_n(&q->locked, &s, want, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return want == 2;
	}
}

/* Has the process this thread serves been interrupted? */
static int
interrupted(Clerk *c)
{
	return __atomic_load_n(&c->intr, __ATOMIC_SEQ_CST);
}

/*
 * qlock found q held: queue up and wait until qunlock hands it over.
 * With intr, a note for the calling clerk's process ends the wait
 * instead: -1 "interrupted", q not taken.
 */
static int
qwait(QLock *q, int intr)
{
	Clerk *c = curclerk();
	Qwait w, **l;

	lock(&q->use);
	if (!qmarkwait(q)) {
		unlock(&q->use);
		return 0;
	}
	qenqueue(q, &w, c->ntf);
	unlock(&q->use);
	c->waits = intr ? "qlockintr" : "qlock";
	while (!__atomic_load_n(&w.granted, __ATOMIC_ACQUIRE)) {
		if (intr && interrupted(c)) {
			c->waits = NULL;
			lock(&q->use);
			if (w.granted) { /* handed over meanwhile: it is ours */
				unlock(&q->use);
				return 0;
			}
			Qwait *prev = NULL;
			for (l = (Qwait **)&q->head; *l != &w; l = &(*l)->next)
				prev = *l;
			*l = w.next;
			if (q->tail == &w)
				q->tail = prev;
			unlock(&q->use);
			werrstr("%s", Einterrupted);
			return -1;
		}
		mu_wait(w.ntf, 0);
	}
	c->waits = NULL;
	return 0;
}

void
qlockwait(QLock *q)
{
	qwait(q, 0);
}

/* qunlock found waiters marked: hand q to the first (it stays held), or free it. */
void
qunlockwake(QLock *q)
{
	Qwait *w;

	lock(&q->use);
	w = q->head;
	if (w == NULL) { /* they left (qlockintr) */
		__atomic_store_n(&q->locked, 0, __ATOMIC_RELEASE);
		unlock(&q->use);
		return;
	}
	q->head = w->next;
	if (q->head == NULL) {
		q->tail = NULL;
		__atomic_store_n(&q->locked, 1, __ATOMIC_RELAXED); /* w's, nobody waits */
	}
	long ntf = w->ntf;
	__atomic_store_n(&w->granted, 1, __ATOMIC_RELEASE); /* w may vanish now */
	unlock(&q->use);
	mu_signal(ntf, 1);
}

/*
 * qlock, but a note for the calling clerk's process ends the wait: -1
 * "interrupted", q not taken.  For locks held across a wait for someone
 * else (a server), so a process stuck behind a holder that waits
 * forever can still be interrupted.
 */
int
qlockintr(QLock *q)
{
	return canqlock(q) ? 0 : qwait(q, 1);
}

static int
sleepms(Rendez *r, int (*fn)(void *), void *arg, long ms)
{
	Clerk *c = curclerk();
	Proc *p = c->proc;
	vlong end = ms > 0 ? (vlong)mu_nsec() + ms * 1000000LL : 0;

	for (;;) {
		lock(&r->l);
		if (fn(arg)) {
			r->sleeper = NULL;
			unlock(&r->l);
			if (p)
				p->r = NULL;
			return 0;
		}
		if (interrupted(c)) {
			r->sleeper = NULL;
			unlock(&r->l);
			if (p)
				p->r = NULL;
			werrstr("%s", Einterrupted);
			return -1;
		}
		r->sleeper = c;
		if (p)
			p->r = r;
		unlock(&r->l);
		if (ms > 0) {
			vlong now = mu_nsec();
			if (now >= end) {
				lock(&r->l);
				r->sleeper = NULL;
				unlock(&r->l);
				if (p)
					p->r = NULL;
				return 0;
			}
			c->waits = "rsleep";
			mu_wait(c->ntf, TAG_WITHMS(0, (end - now + 999999) / 1000000));
		} else {
			c->waits = "rsleep";
			mu_wait(c->ntf, 0);
		}
		c->waits = NULL;
	}
}

int
rsleep(Rendez *r, int (*fn)(void *), void *arg)
{
	return sleepms(r, fn, arg, 0);
}

int
rsleepms(Rendez *r, int (*fn)(void *), void *arg, long ms)
{
	return sleepms(r, fn, arg, ms < 1 ? 1 : ms);
}

void
rwakeup(Rendez *r)
{
	Clerk *c;

	lock(&r->l);
	c = r->sleeper;
	if (c)
		mu_signal(c->ntf, 1);
	unlock(&r->l);
}

/*
 * Interrupt clerk c: its rsleep returns -1, its 9P call is cancelled.
 * A cancel reaches only a thread already blocked in the kernel; a clerk
 * about to call (inipc set, intr seen clear just before this set it)
 * would block after the cancel and miss it, so cancel again until it
 * has left the call.  It leaves at once when a cancel lands: no lock
 * that the caller may hold (p->notelock) is taken on its way out.
 */
void
clerkintr(Clerk *c)
{
	__atomic_store_n(&c->intr, 1, __ATOMIC_SEQ_CST);
	mu_signal(c->ntf, 1);
	clerkcancel(c, NULL);
}

/* Cancel c's 9P call over IPC channel ipc (NULL: any), if it waits in one,
 * until it has left it (see clerkintr). */
void
clerkcancel(Clerk *c, void *ipc)
{
	void *on;

	while ((on = __atomic_load_n(&c->inipc, __ATOMIC_SEQ_CST)) != NULL && (ipc == NULL || on == ipc)) {
		mu_threadcancel(c->thread);
		if (__atomic_load_n(&c->inipc, __ATOMIC_SEQ_CST) != on)
			break;
		mu_yield();
	}
}

/* clerkcancel for the threads that are no clerks. */
void
sysclerkscancel(void *ipc)
{
	int n = __atomic_load_n(&nsysclerk, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		clerkcancel(&sysclerks[i], ipc);
}
