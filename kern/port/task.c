/* SPDX-License-Identifier: MIT */
/*
 * Tasks: an address space, a handle table and threads.  Killing a task
 * kills its threads, closes its handles and tears down its address space
 * (later, once no cpu has it loaded).  The Task itself stays, marked dead,
 * while handles to it remain.
 */
#include "kern.h"

#define PTE_ADDR 0x000ffffffffff000ul
#define PTE_DEV 0x200ul

/* Besides the Task itself, a task costs its handle table and top table. */
enum { TaskExtra = MuMaxHandles * sizeof(Handle) + PGSIZE };

kerr task_new(Pool *pool, Task **out)
{
	Task *t;
	kerr e;

	if ((e = obj_new(pool, ObjTask, sizeof(Task), (Obj **)&t)) < 0)
		return e;
	if ((e = pool_charge(pool, TaskExtra)) < 0) {
		obj_unref(&t->o);
		return e;
	}
	t->o.charge += TaskExtra;
	if ((t->pml4 = arch_new_as(t)) == 0 || handle_table_new(t) < 0) {
		obj_unref(&t->o);
		return -ErrNoMem;
	}
	t->handles[HSelfTask] = (Handle){ .obj = &t->o, .rights = RAll };
	t->o.nhandles++;
	t->nhandles = t->hmax = HSelfTask + 1;
	*out = t;
	return 0;
}

/* Free a table and what it maps; tables below the top were charged to
 * the task's pool (vm.c), the top one is part of TaskExtra. */
static void freetable(Task *t, u64 pa, int lvl)
{
	u64 *tab = P2V(pa);

	for (int i = 0; i < (lvl == 3 ? 256 : 512); i++) {
		/* most entries are empty: pass eight at a time (i stays 8-aligned) */
		if (!(i & 7) && (tab[i] | tab[i + 1] | tab[i + 2] | tab[i + 3] | tab[i + 4] |
				 tab[i + 5] | tab[i + 6] | tab[i + 7]) == 0) {
			i += 7;
			continue;
		}
		u64 e = tab[i];
		if (!(e & PTE_P))
			continue;
		if (lvl > 0)
			freetable(t, e & PTE_ADDR, lvl - 1);
		else if (!(e & PTE_DEV))
			mem_unref_frame(e & PTE_ADDR);
	}
	frame_free(pa, 1);
	if (lvl < 3)
		pool_refund(t->o.pool, PGSIZE);
}

/* Free the user half and the top table: no cpu may have it loaded. */
void task_freeas(Task *t)
{
	assert(t->cpus == 0);
	if (t->pml4) {
		u64 pa = t->pml4;
		t->pml4 = 0;
		arch_free_as(t);
		freetable(t, pa, 3);
	}
}

/* A cpu stopped using t's address space. */
void task_unload(Task *t)
{
	if (t->o.dead && t->cpus == 0)
		task_freeas(t);
}

/*
 * Kill everything t holds.  Idempotent.  The caller holds a reference to t
 * (a handle, or a thread of t that is still on a cpu).
 */
void task_destroy(Task *t)
{
	if (t->o.dead)
		return;
	t->o.dead = 1;
	while (t->threads)
		thread_kill(t->threads);
	handle_table_free(t);
	if (t->cpus == 0)
		task_freeas(t);
	if (t->iobitmap) {
		arch_iopb_forget(t);
		kfree(t->iobitmap, 8192);
		t->iobitmap = NULL;
	}
	for (size_t i = 0; i < nelem(t->death); i++)
		if (t->death[i].ntf) {
			ntf_signal(t->death[i].ntf, t->death[i].bits);
			obj_unref(&t->death[i].ntf->o);
			t->death[i].ntf = NULL;
		}
}
