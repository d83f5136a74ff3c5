/* SPDX-License-Identifier: MIT */
/*
 * Address spaces on the machine: a fresh top-level table that shares the
 * kernel half, loading one into CR3, and TLB invalidation.  Walking and
 * filling page tables is portable and lives in kern/port/vm.c.
 */
#include "port/kern.h"
#include "amd64/amd64.h"

u64 arch_new_as(void)
{
	u64 pa = frame_alloc(1, 0);
	u64 *pml4;

	if (pa == 0)
		return 0;
	pml4 = P2V(pa);
	memcpy(pml4 + 256, boot_pml4 + 256, 256 * sizeof(u64));
	return pa;
}

/* Make t's address space current on this cpu (nil: the kernel's alone). */
void arch_switch_as(Task *t)
{
	Cpu *c = thiscpu();

	if (c->as == t)
		return;
	/* plain updates: every reader holds the kernel lock */
	if (c->as)
		c->as->cpus &= ~(1u << c->id);
	if (t)
		t->cpus |= 1u << c->id;
	if ((t && t->iobitmap) || c->iopb)
		arch_set_iopb(t);
	c->as = t;
	c->switches++;
	asm volatile("mov %0, %%cr3" ::"r"(t ? t->pml4 : kernel_pml4) : "memory");
}

void arch_invlpg(u64 va)
{
	asm volatile("invlpg (%0)" ::"r"(va) : "memory");
}

void arch_flush_tlb(void)
{
	u64 v;
	asm volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(v)::"memory");
}
