/* SPDX-License-Identifier: MIT */
/*
 * _start, where every user program begins: rdi = MuStart * (0 in the root
 * task).  Sets up the runtime with mu_init (mu.c), runs main(argc, argv)
 * and hands its result to exits: 0 is success, anything else "error".
 */
	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp                 /* end of the frame-pointer chain */
	andq $-16, %rsp                 /* the ABI's alignment at a call */
	call mu_init
	movl mu_argc(%rip), %edi
	movq mu_argv(%rip), %rsi
	call main
	xorl %edi, %edi
	testl %eax, %eax
	jz 1f
	leaq errstatus(%rip), %rdi
1:	call exits
	ud2                             /* exits does not return */
	.size _start, . - _start

	.section .rodata
errstatus:
	.asciz "error"

	.section .note.GNU-stack, "", @progbits
