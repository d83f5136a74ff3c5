/* SPDX-License-Identifier: MIT */
/*
 * What happens when a user thread faults: a page fault goes to the
 * thread's pager as a message (the reply maps the page and resumes the
 * thread), any other exception to its exception handler; with no one to
 * tell, the whole task is destroyed and its resources freed.
 */
#include "kern.h"

void fault_user(Thread *t, u64 vec, u64 err, u64 addr)
{
	Endpoint *e = vec == 14 && t->pager ? t->pager : t->exch;

	if (e == NULL) {
		kprintf("mu: task %p thread %p: unhandled exception %lu err %lx rip %lx addr %lx; task destroyed\n",
				t->task, t, vec, err, t->regs.rip, addr);
		task_destroy(t->task);
		return;
	}
	t->faultva = addr;
	if (vec == 14 && e == t->pager)
		ipc_deliver_fault(t, LabelPageFault, addr, err, t->regs.rip, 0);
	else
		ipc_deliver_fault(t, LabelException, vec, err, t->regs.rip, addr);
}
