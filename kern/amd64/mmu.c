/* SPDX-License-Identifier: MIT */
/*
 * Address spaces on the machine: a fresh top-level table that shares the
 * kernel half, loading one into CR3, and TLB invalidation.  Walking and
 * filling page tables is portable and lives in kern/port/vm.c.
 */
#include "port/kern.h"
#include "amd64/amd64.h"

/*
 * Process-context identifiers: with PCID each task's TLB entries are
 * tagged, so a switch need not flush them.  A task's entries on a cpu are
 * flushed when it is next loaded there if its `stale` bit for that cpu is
 * set (by a shootdown, or because the PCID is new to the task).  Without
 * PCID every CR3 load flushes and these bits change nothing.
 */
int has_pcid;
static u64 pcidmap[4096 / 64] = { 1 }; /* PCID 0: the kernel's, and the fallback */
#define NOFLUSH (1ul << 63)

static u32 pcid_alloc(void)
{
	for (u32 i = 0; has_pcid && i < nelem(pcidmap); i++)
		if (pcidmap[i] != ~0ul) {
			u32 b = __builtin_ctzl(~pcidmap[i]);
			pcidmap[i] |= 1ul << b;
			return i * 64 + b;
		}
	return 0;
}

/* Give t a fresh top table sharing the kernel half, and a PCID. */
u64 arch_new_as(Task *t)
{
	u64 pa = frame_alloc(1, 0);
	u32 pcid;
	u64 *pml4;

	if (pa == 0)
		return 0;
	pml4 = P2V(pa);
	memcpy(pml4 + 256, boot_pml4 + 256, 256 * sizeof(u64));
	pcid = pcid_alloc();
	t->cr3 = pa | pcid | (pcid ? NOFLUSH : 0);
	t->stale = ~0u;
	return pa;
}

void arch_free_as(Task *t)
{
	u32 pcid = t->cr3 & 0xfff;

	if (pcid)
		pcidmap[pcid / 64] &= ~(1ul << (pcid % 64));
	t->cr3 = 0;
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
	if (t == NULL) {
		asm volatile("mov %0, %%cr3" ::"r"(kernel_pml4) : "memory");
		return;
	}
	arch_load_task(c, t);
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
