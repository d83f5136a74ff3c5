/* SPDX-License-Identifier: MIT */
/*
 * Default pager: a child's stack grows on demand.  A fault inside the
 * stack region gets a fresh zeroed page, granted from the root task's
 * scratch window straight to the faulting address; any other fault
 * kills the child (root.c reports it).
 */
#include "root.h"

/* Returns 1 if the fault was answered (the reply is sent). */
int pager_fault(Child *c, MuMsg *m)
{
	MuWord addr = m->mr[0];
	MuIpcBuf *b = mu_ipcbuf();
	long mem;

	if (addr >= ChildStackTop || addr < ChildStackTop - ChildStackMax * 4096ul)
		return 0;
	if ((mem = mu_memalloc(mu_pool, 1, MemZero)) < 0)
		return 0;
	if (mu_map(mu_task, mem, 0, ScratchVa, 1, RRead | RWrite) < 0) {
		mu_close(mem);
		return 0;
	}
	mu_close(mem); /* the mapping keeps the page; the grant moves it */
	b->item[0] = (MuItem){ ItemGrant | ITEM_RIGHTS(RRead | RWrite), ScratchVa, 1 };
	m->tag = TAG(0, 0, 1);
	mu_reply(m);
	(void)c;
	return 1;
}
