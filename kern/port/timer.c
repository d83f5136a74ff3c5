/* SPDX-License-Identifier: MIT */
/*
 * Timeouts of blocking calls: one list sorted by deadline (in ticks of
 * 1 ms), checked by cpu 0's timer tick.  A thread that times out wakes
 * with -ErrTimeout.
 */
#include "kern.h"

volatile u64 ticks;
static Thread *timeouts;

void timeout_add(Thread *t, u64 ms)
{
	Thread **pp;

	timeout_cancel(t);
	t->deadline = ticks + ms + 1;
	for (pp = &timeouts; *pp && (*pp)->deadline <= t->deadline; pp = &(*pp)->tnext)
		;
	t->tnext = *pp;
	*pp = t;
}

void timeout_cancel(Thread *t)
{
	Thread **pp;

	if (t->deadline == 0)
		return;
	for (pp = &timeouts; *pp; pp = &(*pp)->tnext)
		if (*pp == t) {
			*pp = t->tnext;
			break;
		}
	t->deadline = 0;
	t->tnext = NULL;
}

void timeout_check(void)
{
	while (timeouts && timeouts->deadline <= ticks) {
		Thread *t = timeouts;
		timeouts = t->tnext;
		t->deadline = 0;
		t->tnext = NULL;
		thread_unblock(t, -ErrTimeout);
	}
}

u64 time_ns(void)
{
	return arch_ns();
}
