/* SPDX-License-Identifier: MIT */
/*
 * What happens when a user thread faults: a page fault goes to the
 * thread's pager as a message (the reply maps the page and resumes the
 * thread), any other exception to its exception handler; with no one to
 * tell, the whole task is destroyed and its resources freed.
 */
#include "kern.h"

/*
 * Say that a task died, but not so often that a program crashing tasks in
 * a loop floods the console: a burst of 10, then one a second, with a
 * count of the lines left out.
 */
static int sayok(void)
{
	static u64 last, burst, skipped;

	if (ticks - last >= HZ) {
		if (skipped)
			kprintf("mu: (%lu more task faults not shown)\n", skipped);
		last = ticks;
		burst = skipped = 0;
	}
	if (burst < 10) {
		burst++;
		return 1;
	}
	skipped++;
	return 0;
}

void fault_user(Thread *t, u64 vec, u64 err, u64 addr)
{
	Endpoint *e = vec == 14 && t->pager ? t->pager : t->exch;

	if (e == NULL || e->o.nhandles == 0) { /* no one could ever answer */
		if (sayok())
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
