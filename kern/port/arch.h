/* SPDX-License-Identifier: MIT */
/*
 * The one door from kern/port to the machine: every arch_ function the
 * portable kernel calls.  kern/amd64 implements them.
 */
#ifndef ARCH_H
#define ARCH_H

#include "amd64/asm.h"

/* Boot information gathered by the machine layer (multiboot.c). */
typedef struct BootMod {
	u64 start, end;  /* physical */
	char name[40];
} BootMod;
typedef struct BootMem {
	u64 base, len;
} BootMem;
extern BootMod bootmods[MuMaxModules];
extern u32 nbootmod;
extern BootMem bootmem[64];
extern u32 nbootmem;
extern char bootcmdline[256];

/* This cpu's Cpu block: %gs points at it in the kernel. */
static inline Cpu *thiscpu(void)
{
	Cpu *c;
	__asm__("movq %%gs:0, %0" : "=r"(c));
	return c;
}

void arch_init(void);              /* bsp: gdt, idt, syscall msrs, fpu */
void arch_cpu_init(Cpu *c);        /* every cpu: its gdt/tss/gs base */
void arch_start_aps(void);
void arch_timer_start(void);
void arch_ipi(u32 cpu, int vec);
void arch_eoi(void);
u64 arch_new_as(Task *t);          /* physical address of a fresh top table */
void arch_free_as(Task *t);
void arch_switch_as(Task *t);      /* load t's address space (nil = kernel) */
void arch_invlpg(u64 va);
/*
 * Load task t's page tables on cpu c, keeping its PCID-tagged TLB entries
 * unless they may be stale there (mmu.c explains the scheme).
 */
static inline void arch_load_task(Cpu *c, Task *t)
{
	u64 cr3 = t->cr3;

	if (t->stale & (1u << c->id)) {
		t->stale &= ~(1u << c->id);
		cr3 &= ~(1ul << 63);
	}
	__asm__ volatile("mov %0, %%cr3" ::"r"(cr3) : "memory");
}
void arch_flush_tlb(void);
_Noreturn void arch_exit_user(Thread *t);
_Noreturn void arch_idle(void);
void arch_thread_init(Thread *t, u64 rip, u64 rsp, u64 arg);
void arch_fpu_switch(Thread *from, Thread *to);
void arch_set_iopb(Task *t);
void arch_iopb_forget(Task *t);
void arch_ioapic_mask(u32 line, int masked);
void arch_ioapic_route(u32 line, int vec);
u64 arch_rdtsc(void);
void arch_lock(void);
void arch_unlock(void);
u64 arch_ns(void);
void arch_halt(void);
int arch_canonical(u64 va);
void arch_putc(int c);
void arch_set_fsbase(u64 v);
int arch_getc(void);  /* -1: nothing waiting */

enum { VecIrq0 = VEC_IRQ0, VecTimer = VEC_TIMER, VecResched = VEC_RESCHED, VecTlb = VEC_TLB,
	VecSpurious = VEC_SPURIOUS };

#endif
