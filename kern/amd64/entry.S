/* SPDX-License-Identifier: MIT */
/*
 * Every way into and out of the kernel: the syscall entry with its short
 * exit for calls that neither block nor switch, the full exit that loads a
 * thread from its saved registers (sysret or iretq), interrupt and
 * exception stubs, the TLB-shootdown IPI and the idle loop.  The C side of
 * traps is trap.c; the system-call table is kern/port/syscall.c.
 *
 * The kernel runs under one lock (kernel_lock).  A cpu spinning for it
 * still answers TLB-flush requests, so a cpu holding it may wait for them.
 */
#include "amd64/asm.h"

	.text
/*
 * syscall: rax = number, args rdi rsi rdx r10 r8 r9; rcx = user rip,
 * r11 = user rflags; interrupts are off (FMASK).
 */
	.globl syscall_entry
	.align 64
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_USP
	movq %gs:CPU_KSTACK, %rsp
	pushq %rcx
	pushq %r11
	pushq %gs:CPU_CUR
1:	lock btsq $0, kernel_lock(%rip)
	jc 5f
	incq %gs:CPU_KENTRIES
	movq %gs:CPU_CUR, %rcx
	cmpb $0, T_DEAD(%rcx)
	jne 7f
	cmpq $ASM_NSYS, %rax
	jae 6f
	movq %r10, %rcx
	call *systab(, %rax, 8)
	cmpq $0, %gs:CPU_SLOW
	jne slow_exit
2:	movq $0, kernel_lock(%rip)
	addq $8, %rsp
	popq %r11
	popq %rcx
	xorl %edi, %edi
	xorl %esi, %esi
	xorl %edx, %edx
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	movq %gs:CPU_USP, %rsp
	swapgs
	sysretq

5:	pause                           /* lock busy: answer flush requests */
	cmpq $0, %gs:CPU_FLUSHREQ
	je 1b
	call tlb_flush_local
	jmp 1b
6:	movq $-ASM_ENOSYS, %rax
	jmp 2b
7:	movq $-ASM_EGONE, %rax            /* killed while it waited for the lock */
	jmp slow_exit

/*
 * The call switched threads, blocked, or left results in the saved
 * registers: save the calling thread completely, then leave through
 * exit_prepare() and exit_to_user.
 */
slow_exit:
	cmpq $2, %gs:CPU_SLOW           /* 2: the IPC fast path switched */
	movq $0, %gs:CPU_SLOW
	popq %rdx                       /* the thread that entered */
	popq %r11
	popq %rcx
	movq %rax, R_RAX(%rdx)
	movq %rbx, R_RBX(%rdx)
	movq %rbp, R_RBP(%rdx)
	movq %r12, R_R12(%rdx)
	movq %r13, R_R13(%rdx)
	movq %r14, R_R14(%rdx)
	movq %r15, R_R15(%rdx)
	movq %rcx, R_RIP(%rdx)
	movq %r11, R_RFLAGS(%rdx)
	movq %gs:CPU_USP, %rcx
	movq %rcx, R_RSP(%rdx)
	jne 4f
	movq %gs:CPU_CUR, %rdi          /* fast path: nothing else to decide */
	movq $0, kernel_lock(%rip)
	jmp exit_to_user
4:	call exit_prepare               /* unlocks; returns the thread to run */
	movq %rax, %rdi
	/* fall through */

/* exit_to_user(Thread *t): load t's registers and return to user mode. */
	.globl exit_to_user
exit_to_user:
	cmpq $0, R_FULL(%rdi)
	jne 3f
	movq R_RBX(%rdi), %rbx
	movq R_RBP(%rdi), %rbp
	movq R_R12(%rdi), %r12
	movq R_R13(%rdi), %r13
	movq R_R14(%rdi), %r14
	movq R_R15(%rdi), %r15
	movq R_RIP(%rdi), %rcx
	movq R_RFLAGS(%rdi), %r11
	movq R_RAX(%rdi), %rax
	movq R_RSI(%rdi), %rsi
	movq R_RDX(%rdi), %rdx
	movq R_R10(%rdi), %r10
	movq R_R8(%rdi), %r8
	movq R_R9(%rdi), %r9
	movq R_RSP(%rdi), %rsp
	movq R_RDI(%rdi), %rdi
	swapgs
	sysretq
3:	movq %gs:CPU_KSTACK, %rsp
	pushq $UDATA
	pushq R_RSP(%rdi)
	pushq R_RFLAGS(%rdi)
	pushq $UCODE
	pushq R_RIP(%rdi)
	movq R_RAX(%rdi), %rax
	movq R_RBX(%rdi), %rbx
	movq R_RCX(%rdi), %rcx
	movq R_RDX(%rdi), %rdx
	movq R_RSI(%rdi), %rsi
	movq R_RBP(%rdi), %rbp
	movq R_R8(%rdi), %r8
	movq R_R9(%rdi), %r9
	movq R_R10(%rdi), %r10
	movq R_R11(%rdi), %r11
	movq R_R12(%rdi), %r12
	movq R_R13(%rdi), %r13
	movq R_R14(%rdi), %r14
	movq R_R15(%rdi), %r15
	movq R_RDI(%rdi), %rdi
	swapgs
	iretq

/*
 * Interrupts and exceptions.  Each vector's stub pushes an error code (0
 * when the cpu pushes none) and the vector number, then:
 *   from user mode: all registers go on the kernel stack as a TrapFrame and
 *   trap_user() saves them in the thread and never returns;
 *   from kernel mode: trap_kernel() returns, and we go back with iretq.
 */
#define ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.macro VEC v
	.align 16
vec\v:
	.if !ERRCODE(\v)
	pushq $0
	.endif
	pushq $\v
	jmp trap_common
	.endm

	.altmacro
	.align 16
	.globl vectors_start
vectors_start:
	.set i, 0
	.rept 256
	.if i != VEC_TLB
	VEC %i
	.else
	.align 16
	jmp tlb_entry
	.endif
	.set i, i + 1
	.endr

trap_common:
	testb $3, 24(%rsp)              /* cs of the interrupted code */
	jz 1f
	swapgs
1:	pushq %r15
	pushq %r14
	pushq %r13
	pushq %r12
	pushq %r11
	pushq %r10
	pushq %r9
	pushq %r8
	pushq %rbp
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rbx
	pushq %rax
	movq %rsp, %rdi
	testb $3, 18*8(%rsp)
	jz 2f
	cld
	call trap_user                  /* does not return */
2:	cld
	call trap_kernel
	popq %rax
	popq %rbx
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	popq %rbp
	popq %r8
	popq %r9
	popq %r10
	popq %r11
	popq %r12
	popq %r13
	popq %r14
	popq %r15
	addq $16, %rsp
	iretq

/* TLB shootdown: flush, acknowledge, return; never takes the lock. */
tlb_entry:
	testb $3, 8(%rsp)
	jz 1f
	swapgs
1:	pushq %rax
	movq %cr3, %rax
	movq %rax, %cr3
	movq $0, %gs:CPU_FLUSHREQ
	movq lapic_eoi_reg(%rip), %rax
	movl $0, (%rax)
	popq %rax
	testb $3, 8(%rsp)
	jz 2f
	swapgs
2:	iretq

/* arch_idle: this cpu has nothing to run; wait for an interrupt. */
	.globl arch_idle
arch_idle:
	movq %gs:CPU_KSTACK, %rsp
	call idle_enter                 /* C: kernel page tables, unlock */
1:	sti
	hlt
	cli
	jmp 1b

	.data
	.align 64
	.globl kernel_lock
kernel_lock: .quad 0
	.space 56
