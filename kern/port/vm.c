/* SPDX-License-Identifier: MIT */
/*
 * User address spaces: four-level page tables walked and filled here,
 * unmapping with TLB shootdown, and the checks that let the kernel touch
 * user memory safely (every page is looked up before it is read or
 * written; the kernel lock keeps the answer true while we copy).
 */
#include "kern.h"

#define PTE_ADDR 0x000ffffffffff000ul
#define PTE_DEV 0x200ul /* software bit: device memory, not counted */

/* The page-table entry for va in t, building missing tables if create. */
u64 *vm_pte(Task *t, u64 va, int create)
{
	u64 *tab;

	if (t->pml4 == 0 || va >= MU_USER_TOP)
		return NULL;
	tab = P2V(t->pml4);
	for (int lvl = 3; lvl > 0; lvl--) {
		u64 *e = &tab[(va >> (12 + 9 * lvl)) & 511];
		if (!(*e & PTE_P)) {
			u64 pa;
			/* page tables are charged to the pool the task came from */
			if (!create || pool_charge(t->o.pool, PGSIZE) < 0)
				return NULL;
			if ((pa = frame_alloc(1, 0)) == 0) {
				pool_refund(t->o.pool, PGSIZE);
				return NULL;
			}
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		tab = P2V(*e & PTE_ADDR);
	}
	return &tab[(va >> 12) & 511];
}

/*
 * The page-table entry for va in t, building nothing.  Where a table on
 * the way is missing, NULL, and *span is the number of pages from va to
 * the end of what that table would map: a loop over a sparse range skips
 * them instead of looking each one up (a range may be 2^24 pages).
 */
u64 *vm_pte_span(Task *t, u64 va, u64 *span)
{
	u64 *tab;

	*span = 1;
	if (t->pml4 == 0 || va >= MU_USER_TOP)
		return NULL;
	tab = P2V(t->pml4);
	for (int lvl = 3; lvl > 0; lvl--) {
		u64 *e = &tab[(va >> (12 + 9 * lvl)) & 511];
		if (!(*e & PTE_P)) {
			u64 size = 1ul << (12 + 9 * lvl);
			*span = (size - (va & (size - 1))) / PGSIZE;
			return NULL;
		}
		tab = P2V(*e & PTE_ADDR);
	}
	return &tab[(va >> 12) & 511];
}

/* Map one page; the caller has already taken the frame's reference. */
kerr vm_map(Task *t, u64 va, u64 pa, u64 flags)
{
	u64 *pte = vm_pte(t, va, 1);

	if (pte == NULL)
		return -ErrNoMem;
	assert(!(*pte & PTE_P));
	*pte = pa | flags | PTE_P | PTE_U;
	return 0;
}

/* Ask every cpu that has t loaded to forget its translations. */
void tlb_shootdown(Task *t)
{
	Cpu *me = thiscpu();
	u32 mask = t->cpus;

	/* cpus that have t's PCID but not t loaded flush when they load it */
	t->stale |= ~mask;
	if (mask & (1u << me->id))
		arch_flush_tlb();
	for (u32 i = 0; i < ncpu; i++)
		if (i != me->id && (mask & (1u << i))) {
			cpus[i].flushreq = 1;
			arch_ipi(i, VecTlb);
		}
	for (u32 i = 0; i < ncpu; i++)
		if (i != me->id && (mask & (1u << i)))
			while (cpus[i].flushreq)
				asm volatile("pause");
}

/*
 * Remove n pages at va from t.  With release, each frame's reference is
 * dropped once no cpu can still reach it; without, the caller takes the
 * frames (grant) and must have read them first.
 */
kerr vm_unmap_range(Task *t, u64 va, u64 n, int release)
{
	u64 batch[64], span;
	int nb = 0;

	for (u64 i = 0; i < n; i += span) {
		u64 *pte = vm_pte_span(t, va + i * PGSIZE, &span);
		if (pte == NULL || !(*pte & PTE_P))
			continue;
		if (release && !(*pte & PTE_DEV))
			batch[nb++] = *pte & PTE_ADDR;
		*pte = 0;
		if (nb == nelem(batch) || i == n - 1) {
			tlb_shootdown(t);
			while (nb > 0)
				mem_unref_frame(batch[--nb]);
		}
	}
	tlb_shootdown(t);
	while (nb > 0)
		mem_unref_frame(batch[--nb]);
	return 0;
}

/* Is [uva, uva+len) mapped user memory of the running task (writable if
 * write)? */
kerr user_check(u64 uva, u64 len, int write)
{
	Task *t = thiscpu()->cur->task;

	if (uva >= MU_USER_TOP || len > MU_USER_TOP - uva)
		return -ErrFault;
	for (u64 p = uva & ~(PGSIZE - 1); p < uva + len; p += PGSIZE) {
		u64 *pte = vm_pte(t, p, 0);
		if (pte == NULL || !(*pte & PTE_P) || (write && !(*pte & PTE_W)))
			return -ErrFault;
	}
	return 0;
}

kerr copyin(void *dst, u64 usrc, u64 len)
{
	kerr e = user_check(usrc, len, 0);

	if (e == 0)
		memcpy(dst, (void *)usrc, len);
	return e;
}

kerr copyout(u64 udst, const void *src, u64 len)
{
	kerr e = user_check(udst, len, 1);

	if (e == 0)
		memcpy((void *)udst, src, len);
	return e;
}
