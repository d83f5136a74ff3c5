/* SPDX-License-Identifier: MIT */
/*
 * Threads: creation, start, configuration, exit and kill.  A started
 * thread holds one reference on itself ("alive") until it is dead and no
 * cpu runs it; its handles hold the others.  Blocking and waking are in
 * sched.c and the IPC files.
 */
#include "kern.h"

enum { DefaultPrio = 10 };

kerr thread_new(Pool *pool, Task *task, Thread **out)
{
	Thread *t;
	kerr e;

	if (task->o.dead)
		return -ErrGone;
	Obj *o;

	if ((e = obj_new(pool, ObjThread, sizeof(Thread), &o)) < 0)
		return e;
	t = OBJTHREAD(o);
	t->task = task;
	obj_ref(&task->o);
	t->state = TInactive;
	t->prio = DefaultPrio;
	t->cpu = thiscpu()->id;
	t->tasknext = task->threads;
	task->threads = t;
	task->nthreads++;
	*out = t;
	return 0;
}

/* Take t off whatever it waits on; returns 0 if it was not waiting. */
static int wait_cancel(Thread *t)
{
	switch (t->state) {
	case TSend:
	case TRecv:
		ep_dequeue(t);
		break;
	case TNtf:
		ntf_dequeue(t);
		break;
	case TReply:
		reply_cancel(t);
		break;
	case TSleep:
	case TFault:
		break;
	default:
		return 0;
	}
	timeout_cancel(t);
	return 1;
}

/*
 * Wake t from whatever it waits on, with result err (0 or -Err).  A thread
 * stopped by a fault was in no system call: its registers stay as they
 * were, and it runs the faulting instruction again.
 */
void thread_unblock(Thread *t, kerr err)
{
	int fault = (t->state == TSend || t->state == TReply) && t->sendkind == SendFault;

	if (!wait_cancel(t))
		return;
	if (fault) {
		t->sendkind = SendPlain;
	} else {
		t->regs.rax = err;
		t->regs.rdi = t->regs.rsi = t->regs.rdx = 0;
		t->regs.r8 = t->regs.r9 = t->regs.r10 = 0;
	}
	sched_ready(t);
}

static void unlinktask(Thread *t)
{
	Thread **pp;

	for (pp = &t->task->threads; *pp; pp = &(*pp)->tasknext)
		if (*pp == t) {
			*pp = t->tasknext;
			t->task->nthreads--;
			return;
		}
}

static void dropref(void *pp)
{
	Obj **o = pp;
	if (*o) {
		obj_unref(*o);
		*o = NULL;
	}
}

/* Make t dead and let go of what it holds.  Idempotent. */
static void teardown(Thread *t)
{
	if (t->state == TDead)
		return;
	if (t->state == TReady && !t->oncpu)
		sched_remove(t);
	else
		wait_cancel(t);
	timeout_cancel(t);
	if (t->caller) {
		Thread *c = t->caller;
		t->caller = NULL;
		thread_unblock(c, -ErrGone);
	}
	if (t->fwdcaller) {
		Thread *c = t->fwdcaller;
		t->fwdcaller = NULL;
		thread_unblock(c, -ErrGone);
	}
	t->state = TDead;
	t->o.dead = 1;
	dropref(&t->pager);
	dropref(&t->exch);
	if (t->bound) {
		t->bound->boundto = NULL;
		dropref(&t->bound);
	}
	dropref(&t->ipcmem);
	t->ipcbuf = NULL;
	unlinktask(t);
}

/*
 * Kill t.  Its memory stays while handles name it or a cpu still runs it
 * (that cpu frees it when it switches away: sched_switch/exit_prepare).
 */
void thread_kill(Thread *t)
{
	int started = t->state != TInactive;
	Task *task = t->task;

	if (t->state == TDead)
		return;
	teardown(t);
	if (t->oncpu) {
		Cpu *c = &cpus[t->oncpu - 1];
		c->resched = 1;
		if (c != thiscpu())
			arch_ipi(c->id, VecResched);
		else
			c->slow = 1;
	} else if (started) {
		obj_unref(&t->o);
	}
	if (task->started && task->nthreads == 0)
		task_destroy(task);
}

/* The last reference is gone. */
void thread_destroy(Thread *t)
{
	teardown(t);
	if (t->fpu)
		kfree(t->fpu, 512);
	obj_unref(&t->task->o);
}

kerr thread_set_ipcbuf(Thread *t, u64 uva)
{
	u64 *pte;
	u64 pa;

	if (uva == 0) {
		dropref(&t->ipcmem);
		t->ipcbuf = NULL;
		return 0;
	}
	if ((uva & (PGSIZE - 1)) || uva >= MU_USER_TOP)
		return -ErrInval;
	pte = vm_pte(t->task, uva, 0);
	if (pte == NULL || (*pte & 0x7) != 0x7) /* present, writable, user */
		return -ErrFault;
	pa = *pte & 0x000ffffffffff000ul;
	if (!frame_isram(pa))
		return -ErrInval;
	dropref(&t->ipcmem);
	if ((t->ipcmem = mem_owner(pa)) == NULL)
		return -ErrInval;
	obj_ref(&t->ipcmem->o);
	t->ipcbuf = P2V(pa);
	return 0;
}
