/* SPDX-License-Identifier: MIT */
/*
 * Locks and sleeping of srv/core/dev.h for a servant hosted alone in a
 * single-threaded 9P server (devsrv.c): nothing runs concurrently, so
 * locks only mark, and a sleep whose condition is false would never end:
 * rsleep fails at once with "would block".  Core links its own versions
 * (srv/core), which block clerk threads; this file is never in core.
 */
#include "srv/core/dev.h"
#ifdef HOSTTEST
#include "test/host/9psrv_host.h" /* werrstr, nsec: hidden from host builds by libc.h */
#endif

static const char Ewouldblock[] = "would block";

/* A held lock here is a lock taken twice: no other thread can free it,
 * so waiting would hang.  Stop with a trap (the fault names the place). */
void
lockwait(Lock *l)
{
	(void)l;
	__builtin_trap();
}

/* Likewise a QLock found held, or given back when it was not held. */
void
qlockwait(QLock *q)
{
	(void)q;
	__builtin_trap();
}

void
qunlockwake(QLock *q)
{
	(void)q;
	__builtin_trap();
}

int
rsleep(Rendez *r, int (*fn)(void *), void *arg)
{
	(void)r;
	if (fn(arg))
		return 0;
	werrstr("%s", Ewouldblock);
	return -1;
}

int
rsleepms(Rendez *r, int (*fn)(void *), void *arg, long ms)
{
	(void)ms;
	return rsleep(r, fn, arg);
}

void
rwakeup(Rendez *r)
{
	(void)r;
}
