/* SPDX-License-Identifier: MIT */
/*
 * Declarations private to kern/amd64: what entry.S, cpu.c, trap.c, mmu.c,
 * serial.c and multiboot.c export to each other (machine.h has the
 * interrupt controllers and processor start-up).
 */
#ifndef AMD64_H
#define AMD64_H

#include "amd64/machine.h"

/* The TSS's I/O map base when a task's port bitmap is in force: the
 * offset of the bitmap in the TSS (cpu.c checks it). */
#define TSS_IOMAP_ON 104

typedef struct TrapFrame {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 vec, err, rip, cs, rflags, rsp, ss;
} TrapFrame;

extern u64 boot_pml4[512];
extern u64 kernel_pml4;
extern u64 lapic_eoi_reg;
void tlb_flush_local(void);
int fpu_first_use(Thread *t);
void arch_set_fsbase(u64 v);
void trap_user(TrapFrame *f);
void trap_kernel(TrapFrame *f);
_Noreturn void exit_to_user(Thread *t);
Thread *exit_prepare(void);
void idle_enter(void);
void serial_init(void);
void multiboot_parse(u32 magic, u64 info);


#endif
