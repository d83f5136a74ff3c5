/* SPDX-License-Identifier: MIT */
/*
 * Machine constants shared by the assembly files and C in kern/amd64:
 * memory layout, segment selectors, control-register and page-table bits,
 * and the offsets of the per-cpu block and thread registers that entry.S
 * uses (checked against the C structs in cpu.c).
 */
#ifndef AMD64_ASM_H
#define AMD64_ASM_H

#ifdef __ASSEMBLY__
#define UL(x) x
#else
#define UL(x) x##ul
#endif

#define KERNBASE UL(0xffffffff80000000)
#define PHYSMAP UL(0xffff800000000000)   /* all RAM below PHYSMAX, 2 MiB pages */
#define PHYSMAX UL(0x100000000)          /* 4 GiB */

/* GDT: the order syscall/sysret need (STAR). */
#define KCODE 0x08
#define KDATA 0x10
#define UCODE32 0x18
#define UDATA (0x20 | 3)
#define UCODE (0x28 | 3)
#define TSSSEL 0x30

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_U 0x4
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_A 0x20
#define PTE_D 0x40
#define PTE_PS 0x80
#define PTE_G 0x100
#define PTE_NX (UL(1) << 63)

#define CR0_PE 0x1
#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_TS 0x8
#define CR0_WP 0x10000
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define CR4_PGE 0x80
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define CR4_FSGSBASE 0x10000
#define CR4_PCIDE 0x20000

#define MSR_EFER 0xc0000080
#define EFER_SCE 0x1
#define EFER_LME 0x100
#define EFER_NXE 0x800
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FSBASE 0xc0000100
#define MSR_GSBASE 0xc0000101
#define MSR_KGSBASE 0xc0000102

/* Per-cpu block (struct Cpu), reached through %gs in the kernel. */
#define CPU_SELF 0
#define CPU_KSTACK 8      /* top of this cpu's kernel stack */
#define CPU_USP 16        /* user rsp during a system call */
#define CPU_CUR 24        /* running thread */
#define CPU_SLOW 32       /* nonzero: leave through the full exit path */
#define CPU_KENTRIES 40
#define CPU_SWITCHES 48
#define CPU_FLUSHREQ 56

/* Thread registers (struct Regs) at the start of struct Thread. */
#define R_RAX 0
#define R_RBX 8
#define R_RCX 16
#define R_RDX 24
#define R_RSI 32
#define R_RDI 40
#define R_RBP 48
#define R_R8 56
#define R_R9 64
#define R_R10 72
#define R_R11 80
#define R_R12 88
#define R_R13 96
#define R_R14 104
#define R_R15 112
#define R_RIP 120
#define R_RFLAGS 128
#define R_RSP 136
#define R_FULL 144        /* nonzero: restore every register with iretq */
#define T_DEAD 153        /* offsetof(Thread, o.dead) */

/* Interrupt vectors (kern/port/arch.h names them for C). */
#define VEC_IRQ0 32
#define VEC_TIMER 0xf0
#define VEC_RESCHED 0xf1
#define VEC_TLB 0xf2
#define VEC_SPURIOUS 0xff

/* ABI numbers entry.S needs (checked against abi/mu/syscall.h in cpu.c). */
#define ASM_NSYS 42
#define ASM_ENOSYS 1
#define ASM_EGONE 9

#define TRAMPOLINE 0x8000 /* physical page where application processors start */

#endif
