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
#include "asmoffs.h"

	.text
/*
 * syscall: rax = number, args rdi rsi rdx r10 r8 r9; rcx = user rip,
 * r11 = user rflags; interrupts are off (FMASK).
 */
	.globl syscall_entry
	.align 64
syscall_entry:
	swapgs
	cmpq $SYS_FORWARDRECV, %rax     /* SysCall, SysReplyRecv, SysForwardRecv */
	jbe fastipc
	movq %rsp, %gs:CPU_USP
	movq %gs:CPU_KSTACK, %rsp
generic:
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
	movq %cr3, %rcx                 /* rcx is saved; a C call would */
	movq %rcx, %cr3                 /* clobber rax and the arguments */
	movq $0, %gs:CPU_FLUSHREQ
	jmp 1b
6:	movq $-ASM_ENOSYS, %rax
	jmp 2b
7:	movq $-ASM_EGONE, %rax            /* killed while it waited for the lock */
	jmp slow_exit


/*
 * The IPC fast path in assembly: SysCall to a thread waiting in receive,
 * and SysReplyRecv answering a caller, when the message is register words
 * only and both threads are ordinary (same cpu, no timed receive, no FPU state,
 * no I/O bitmap to copy, nothing pending).  The message stays in rsi rdx r10 r8
 * r9 from one thread to the other.  Anything else goes back ("bail") to
 * the general path above, which gives the same result more slowly:
 * kern/port/fastpath.c and ipc.c are the reference for these semantics.
 */
/* Checks before switching from t (rax) to r (r13); leaves r's task in r14. */
	.macro SWITCHOK
	movl %gs:CPU_ID, %ecx
	cmpb %cl, T_CPU(%r13)
	jne fast_bail
	cmpq $0, R_FULL(%r13)
	jne fast_bail
	movb T_FPU(%rax), %cl
	orb T_FPU(%r13), %cl
	jnz fast_bail
	movq T_TASK(%r13), %r14
	cmpq %gs:CPU_AS, %r14
	je 9f
	cmpq $0, TK_IOBITMAP(%r14)
	je 8f
	cmpq %gs:CPU_IOPBTASK, %r14     /* r's I/O bitmap must be in the TSS */
	jne fast_bail
8:	cmpb $0, O_DEAD(%r14)
	jne fast_bail
9:
	.endm

/* r13: the first receiver on the endpoint \ep, if it can take a call
 * from t (rax): nobody else's reply pending, priority not below t's, not
 * a receive with a timeout. */
	.macro RECEIVER ep
	cmpb $EP_RECV, EP_STATE(\ep)
	jne fast_bail
	movq EP_HEAD(\ep), %r13
	cmpq $0, T_CALLER(%r13)
	jne fast_bail
	cmpq $0, T_DEADLINE(%r13)
	jne fast_bail
	movb T_PRIO(%rax), %cl
	cmpb %cl, T_PRIO(%r13)
	jb fast_bail
	.endm

/* No notification waits for t (rax): a receive would return it first. */
	.macro NONTF
	movq T_BOUND(%rax), %rcx
	testq %rcx, %rcx
	jz 9f
	cmpq $0, N_BITS(%rcx)
	jne fast_bail
9:
	.endm

/* rdi: the badge of the handle at rbx, its low 56 bits. */
	.macro BADGE
	movq 8(%rbx), %rdi
	shlq $8, %rdi
	shrq $8, %rdi
	.endm

/* Take the first waiter, r13 (RECEIVER found it), off the endpoint \ep. */
	.macro EPQ_POP ep
	movq T_QNEXT(%r13), %rcx
	movq %rcx, EP_HEAD(\ep)
	testq %rcx, %rcx
	jz 7f
	movq $0, T_QPREV(%rcx)
	jmp 8f
7:	movq $0, EP_TAIL(\ep)
	movb $EP_IDLE, EP_STATE(\ep)
8:
	.endm

/* t (rax) waits to receive on the endpoint in \ep; uses rcx. */
	.macro EPQ_PUSH ep
	movb $TS_RECV, T_STATE(%rax)
	movq \ep, T_WAITON(%rax)
	movq $0, T_QNEXT(%rax)
	movq EP_TAIL(\ep), %rcx
	movq %rcx, T_QPREV(%rax)
	testq %rcx, %rcx
	jz 7f
	movq %rax, T_QNEXT(%rcx)
	jmp 8f
7:	movq %rax, EP_HEAD(\ep)
8:	movq %rax, EP_TAIL(\ep)
	movb $EP_RECV, EP_STATE(\ep)
	.endm

/* rbx: t's (rax) handle rdi, r12: its endpoint. */
	.macro EPHANDLE
	movq T_TASK(%rax), %rbx
	movq TK_HANDLES(%rbx), %rbx
	movq %rdi, %rcx
	shlq $4, %rcx
	addq %rcx, %rbx                 /* rbx: the handle */
	movq (%rbx), %r12               /* r12: its endpoint */
	testq %r12, %r12
	jz fast_bail
	cmpb $OBJ_ENDPOINT, (%r12)
	jne fast_bail
	.endm

/* Call the C function fn(arg0, arg1) (timer.c) keeping t (rax) and the
 * message (rsi rdx r10 r8 r9); the stack stays 16-byte aligned. */
	.macro CCALL fn arg0 arg1
	pushq %rax
	pushq %rsi
	pushq %rdx
	pushq %r10
	pushq %r8
	pushq %r9
	subq $8, %rsp
	movq \arg0, %rdi
	movq \arg1, %rsi
	call \fn
	addq $8, %rsp
	popq %r9
	popq %r8
	popq %r10
	popq %rdx
	popq %rsi
	popq %rax
	.endm

/* SysCall: hand the message to the first receiver on r12 (rbx the
 * handle); with \tmo, t's wait for the reply is bounded by r15 ms. */
	.macro CALLTO tmo
	testb $R_SEND, HANDLE_RIGHTS(%rbx)
	jz fast_bail
	RECEIVER %r12                   /* r13: r, the receiver */
	SWITCHOK
	EPQ_POP %r12                    /* r leaves the endpoint's queue */
	movq %rax, T_CALLER(%r13)       /* r will answer t */
	leaq T_CALLER(%r13), %rcx
	movq %rcx, T_REPLYHOLDER(%rax)
	movb $TS_REPLY, T_STATE(%rax)
	movb $SEND_CALL, T_SENDKIND(%rax)
	movb $TS_READY, T_STATE(%r13)
	.if \tmo
	CCALL timeout_add %rax %r15
	movl %esi, %esi                 /* r sees the tag without the timeout */
	btrl $TAG_TIMEOUT_BIT, %esi
	.endif
	BADGE
	jmp fast_switch
	.endm

fastipc:
	movq %rsp, %gs:CPU_USP
	movq %gs:CPU_KSTACK, %rsp
	lock btsq $0, kernel_lock(%rip)
	jc generic                      /* busy: the general path waits */
	pushq %rax                      /* the call number, for a bail */
	movq %gs:CPU_CUR, %rax          /* rax: t, the calling thread */
	movq %rcx, R_RIP(%rax)
	movq %r11, R_RFLAGS(%rax)
	movq %gs:CPU_USP, %rcx
	movq %rcx, R_RSP(%rax)
	movq %rbx, R_RBX(%rax)
	movq %rbp, R_RBP(%rax)
	movq %r12, R_R12(%rax)
	movq %r13, R_R13(%rax)
	movq %r14, R_R14(%rax)
	movq %r15, R_R15(%rax)
	cmpb $0, T_DEAD(%rax)
	jne fast_bail
	cmpq $MAXHANDLES - 1, %rdi
	ja fast_bail
	cmpq $SYS_FORWARDRECV, (%rsp)
	je fast_fr
	cmpq $0x4ffff, %rsi             /* <= 4 words, no items, no timeout */
	ja fast_tmo
	EPHANDLE
	cmpq $0, (%rsp)
	jne fast_rr
	CALLTO 0

	/* SysCall whose wait for the reply has a timeout (a clunk's, say) */
fast_tmo:
	cmpq $0, (%rsp)
	jne fast_bail
	movl %esi, %ecx
	btrl $TAG_TIMEOUT_BIT, %ecx
	jnc fast_bail
	cmpl $0x4ffff, %ecx
	ja fast_bail
	movq %rsi, %r15
	shrq $32, %r15                  /* r15: the timeout in ms */
	EPHANDLE
	CALLTO 1

	/* SysReplyRecv: answer the caller, then wait on the endpoint */
fast_rr:
	movq T_CALLER(%rax), %r13       /* r13: r, the caller */
	testq %r13, %r13
	jz fast_bail
	testb $R_RECV, HANDLE_RIGHTS(%rbx)
	jz fast_bail
	cmpb $EP_SEND, EP_STATE(%r12)
	je fast_bail
	cmpb $TS_REPLY, T_STATE(%r13)
	jne fast_bail
	cmpb $SEND_CALL, T_SENDKIND(%r13)
	jne fast_bail
	NONTF
	SWITCHOK
	cmpq $0, T_DEADLINE(%r13)       /* r's wait for this reply had a */
	jne 5f                          /*  timeout: cancel it */
6:	movq $0, T_CALLER(%rax)
	movq $0, T_REPLYHOLDER(%r13)
	movb $TS_READY, T_STATE(%r13)
	EPQ_PUSH %r12                   /* t joins the endpoint's queue */
	xorl %edi, %edi                 /* a reply has no badge */
	jmp fast_switch
5:	CCALL timeout_cancel %r13 %r13
	jmp 6b

	/* SysForwardRecv: pass the request and our caller on to the next
	 * server (it will answer the caller), then wait on TAG_RECVH(tag) */
fast_fr:
	movq T_CALLER(%rax), %r15       /* r15: the caller, passed on */
	testq %r15, %r15
	jz fast_bail
	movl %esi, %ecx                 /* the tag proper (rsi stays for a bail) */
	cmpl $0x4ffff, %ecx
	ja fast_bail
	movq %rsi, %rcx
	shrq $32, %rcx                  /* rcx: the receive handle */
	cmpq $MAXHANDLES - 1, %rcx
	ja fast_bail
	movq T_TASK(%rax), %rbx
	movq TK_HANDLES(%rbx), %rbx
	shlq $4, %rcx
	addq %rbx, %rcx                 /* rcx: the receive handle's slot */
	testb $R_RECV, HANDLE_RIGHTS(%rcx)
	jz fast_bail
	movq (%rcx), %r11               /* r11: the endpoint to wait on */
	testq %r11, %r11
	jz fast_bail
	cmpb $OBJ_ENDPOINT, (%r11)
	jne fast_bail
	cmpb $EP_SEND, EP_STATE(%r11)
	je fast_bail
	movq %rdi, %rcx
	shlq $4, %rcx
	addq %rcx, %rbx                 /* rbx: the forward handle */
	movq (%rbx), %r12
	testq %r12, %r12
	jz fast_bail
	cmpb $OBJ_ENDPOINT, (%r12)
	jne fast_bail
	testb $R_SEND, HANDLE_RIGHTS(%rbx)
	jz fast_bail
	RECEIVER %r12                   /* r13: r, the next server (waiting in */
	NONTF                           /*  receive, so not our caller) */
	SWITCHOK
	EPQ_POP %r12                    /* r leaves the endpoint's queue */
	movq %r15, T_CALLER(%r13)       /* r will answer our caller */
	leaq T_CALLER(%r13), %rcx
	movq %rcx, T_REPLYHOLDER(%r15)
	movq $0, T_CALLER(%rax)
	movb $TS_READY, T_STATE(%r13)
	EPQ_PUSH %r11                   /* t joins the receive queue */
	BADGE
	movl %esi, %esi                 /* r gets the tag without the handle */

	/* rax: t, r13: r, r14: r's task; rdi rsi rdx r10 r8 r9: r's results */
fast_switch:
	addq $8, %rsp
	movq $0, R_FULL(%rax)
	movq %r13, %gs:CPU_CUR
	movb $0, T_ONCPU(%rax)
	movl %gs:CPU_ID, %ecx
	leal 1(%rcx), %ebx
	movb %bl, T_ONCPU(%r13)
	movq %gs:CPU_AS, %r15
	cmpq %r15, %r14
	je 1f
	btrl %ecx, TK_CPUS(%r15)
	btsl %ecx, TK_CPUS(%r14)
	incl O_REF(%r14)                /* a cpu holds its loaded task */
	decl O_REF(%r15)                /* never the last: t's task, t lives */
	movq %r14, %gs:CPU_AS
	incq %gs:CPU_SWITCHES
	movq TK_CR3(%r14), %rbx         /* keeps our PCID's TLB entries ... */
	btrl %ecx, TK_STALE(%r14)
	jnc 3f
	btrq $63, %rbx                  /* ... unless they may be stale here */
3:	movq %rbx, %cr3
	cmpq $0, TK_IOBITMAP(%r14)      /* the I/O map on for r's task (its */
	jne 4f                          /*  copy is current: SWITCHOK) ... */
	cmpb $0, %gs:CPU_IOPB
	je 1f
	movq %gs:CPU_IOMAP, %rcx        /* ... or off */
	movw $0xffff, (%rcx)
	movb $0, %gs:CPU_IOPB
	jmp 1f
4:	movq %gs:CPU_IOMAP, %rcx
	movw $IOMAP_ON, (%rcx)
	movb $1, %gs:CPU_IOPB
1:	movq T_FSBASE(%r13), %rcx
	cmpq %gs:CPU_FSBASE, %rcx
	je 2f
	movq %rcx, %gs:CPU_FSBASE
	movq %rdx, %r15
	movl %ecx, %eax
	shrq $32, %rcx
	movl %ecx, %edx
	movl $MSR_FSBASE, %ecx
	wrmsr
	movq %r15, %rdx
2:	incq %gs:CPU_KENTRIES
	movq $0, kernel_lock(%rip)
	movq R_RIP(%r13), %rcx
	movq R_RFLAGS(%r13), %r11
	movq R_RBX(%r13), %rbx
	movq R_RBP(%r13), %rbp
	movq R_R12(%r13), %r12
	movq R_R14(%r13), %r14
	movq R_R15(%r13), %r15
	movq R_RSP(%r13), %rsp
	movq R_R13(%r13), %r13
	xorl %eax, %eax
	swapgs
	sysretq

/* Not for the fast path after all: undo and take the general path. */
fast_bail:
	movq %gs:CPU_CUR, %rax
	movq R_RIP(%rax), %rcx
	movq R_RFLAGS(%rax), %r11
	movq R_RBX(%rax), %rbx
	movq R_RBP(%rax), %rbp
	movq R_R12(%rax), %r12
	movq R_R13(%rax), %r13
	movq R_R14(%rax), %r14
	movq R_R15(%rax), %r15
	popq %rax
	movq $0, kernel_lock(%rip)
	jmp generic

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
	movq $0, R_FULL(%rdx)           /* a system call's state: sysret will do */
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
