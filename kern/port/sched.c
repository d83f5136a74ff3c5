/* SPDX-License-Identifier: MIT */
/*
 * Scheduling: per-cpu run queues by priority (round robin within one),
 * the switch to another thread (address space, FPU, fs base), the way out
 * of the kernel (exit_prepare) and the idle entry.  A thread runs on the
 * cpu named by its `cpu` field; waking it elsewhere sends an IPI.
 * The running thread of a cpu is never on a run queue.
 */
#include "kern.h"

enum { Slice = 10 }; /* ticks */

static void enqueue(Cpu *c, Thread *t)
{
	t->qnext = NULL;
	t->qprev = c->runtail[t->prio];
	if (t->qprev)
		t->qprev->qnext = t;
	else
		c->runq[t->prio] = t;
	c->runtail[t->prio] = t;
	c->readymask |= 1u << t->prio;
}

void sched_remove(Thread *t)
{
	Cpu *c = &cpus[t->cpu];

	if (t->qprev)
		t->qprev->qnext = t->qnext;
	else if (c->runq[t->prio] == t)
		c->runq[t->prio] = t->qnext;
	else
		return; /* not queued */
	if (t->qnext)
		t->qnext->qprev = t->qprev;
	else
		c->runtail[t->prio] = t->qprev;
	if (c->runq[t->prio] == NULL)
		c->readymask &= ~(1u << t->prio);
	t->qnext = t->qprev = NULL;
}

static int highest(Cpu *c)
{
	return c->readymask ? 31 - __builtin_clz(c->readymask) : -1;
}

/* t can run: queue it on its cpu and ask that cpu to look again if t
 * outranks what it runs. */
void sched_ready(Thread *t)
{
	Cpu *c = &cpus[t->cpu], *me = thiscpu();

	t->state = TReady;
	if (t->oncpu)
		return; /* still some cpu's current thread: it keeps running */
	enqueue(c, t);
	if (c->cur == NULL || t->prio > c->cur->prio) {
		if (c == me) {
			c->resched = 1;
			c->slow = 1;
		} else {
			arch_ipi(c->id, VecResched);
		}
	}
}

/* Load t's address space; a cpu holds a reference on the task it has
 * loaded, so a dead task's page tables outlive their last use. */
static inline void as_load(Cpu *c, Task *t)
{
	Task *old = c->as;

	if (old == t)
		return;
	if (t)
		t->o.ref++;
	arch_switch_as(t);
	if (old) {
		if (unlikely(old->o.dead))
			task_unload(old);
		if (unlikely(--old->o.ref == 0)) {
			old->o.ref = 1;
			obj_unref(&old->o);
		}
	}
}

/* Make t (nil: nobody) this cpu's running thread. */
void sched_switch(Thread *t)
{
	Cpu *c = thiscpu();
	Thread *old = c->cur;

	if (old == t)
		return;
	c->slow = 1;
	c->cur = t;
	if (old) {
		old->oncpu = 0;
		if (old->state == TDead) {
			old->qnext = c->reap;
			c->reap = old;
		}
	}
	if (t == NULL) {
		/* going idle: keep old's FPU state, trap the next first use */
		if (old && old->fpu_used)
			arch_fpu_switch(old->state != TDead ? old : NULL, NULL);
		return;
	}
	t->oncpu = c->id + 1;
	if (t->slice == 0)
		t->slice = Slice;
	as_load(c, t->task);
	if ((old && old->fpu_used) || t->fpu_used)
		arch_fpu_switch(old && old->state != TDead ? old : NULL, t);
	if (t->fsbase != c->fsbase) {
		arch_set_fsbase(t->fsbase);
		c->fsbase = t->fsbase;
	}
}

/* Pick what this cpu runs next; the current thread stays if it is still
 * ready and nothing outranks it (or, on a yield, nothing equals it). */
void schedule(void)
{
	Cpu *c = thiscpu();
	Thread *cur = c->cur, *next;
	int yield = c->resched, hp = highest(c);

	c->resched = 0;
	if (cur && cur->state == TReady) {
		if (cur->cpu != c->id) {
			cur->oncpu = 0;
			sched_ready(cur); /* moved to another cpu */
			cur->oncpu = c->id + 1;
		} else if (hp < cur->prio || (hp == cur->prio && !yield)) {
			return;
		} else {
			enqueue(c, cur);
		}
	}
	hp = highest(c);
	next = NULL;
	if (hp >= 0) {
		next = c->runq[hp];
		sched_remove(next);
	}
	sched_switch(next);
}

/* Timer interrupt on this cpu. */
void sched_tick(void)
{
	Cpu *c = thiscpu();

	if (c->id == 0) {
		ticks++;
		timeout_check();
	}
	if (c->cur && --c->cur->slice == 0) {
		c->cur->slice = Slice;
		c->resched = 1;
	}
}

static void reap(Cpu *c)
{
	while (c->reap) {
		Thread *t = c->reap;
		c->reap = t->qnext;
		t->qnext = NULL;
		obj_unref(&t->o); /* the alive reference */
	}
}

/*
 * Last step of every kernel exit (syscall slow path, traps): choose the
 * thread to run, free threads that died here, drop the lock.  Returns the
 * thread to load, or goes idle.
 */
Thread *exit_prepare(void)
{
	Cpu *c = thiscpu();

	if (unlikely(c->resched || c->cur == NULL || c->cur->state != TReady || c->cur->cpu != c->id))
		schedule();
	c->slow = 0;
	if (unlikely(c->reap != NULL))
		reap(c);
	if (unlikely(c->iopbreload)) {
		c->iopbreload = 0;
		arch_set_iopb(c->as);
	}
	if (c->cur == NULL)
		arch_idle();
	if (unlikely(c->cur->fsbase != c->fsbase)) {
		arch_set_fsbase(c->cur->fsbase);
		c->fsbase = c->cur->fsbase;
	}
	arch_unlock();
	return c->cur;
}

/* From arch_idle: nothing to run, leave the address space and the lock. */
void idle_enter(void)
{
	Cpu *c = thiscpu();

	as_load(c, NULL);
	reap(c);
	arch_unlock();
}
