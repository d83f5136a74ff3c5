/* SPDX-License-Identifier: MIT */
/*
 * Where an application processor starts: smp.c copies the bytes between
 * trampoline_start and trampoline_end to physical TRAMPOLINE and sends it
 * a STARTUP IPI with vector TRAMPOLINE >> 12, so it begins here in real
 * mode with %cs = TRAMPOLINE >> 4, %ip = 0.  We only reach 32-bit
 * protected mode with a flat GDT of our own and jump to enter_long in
 * boot.S with %edi = 0, which does the rest exactly as for the boot cpu
 * (boot GDT, boot_pml4, long mode) and then calls ap_main() in smp.c on the
 * stack in ap_stack.  Nothing here needs a stack.
 *
 * The code runs at TRAMPOLINE, not where it was linked, so every address
 * it uses is formed by T() from its offset in the trampoline.
 */
#include "amd64/asm.h"

#define T(x) (TRAMPOLINE + ((x) - trampoline_start))
#define PHYS(x) ((x) - KERNBASE)
#define TCODE 0x08
#define TDATA 0x10

	.section .rodata
	.balign 16                      /* keeps tgdt 8-aligned after the copy */
	.globl trampoline_start, trampoline_end
	.code16
trampoline_start:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds                   /* T() addresses are physical */
	lgdtl T(tgdtr)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $TCODE, $T(tramp32)

	.code32
tramp32:
	movw $TDATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	xorl %edi, %edi                 /* tells high64 this is an AP */
	movl $PHYS(enter_long), %eax
	jmp *%eax

	.balign 8
tgdt:
	.quad 0
	.quad 0x00cf9a000000ffff        /* TCODE: 32-bit flat code, ring 0 */
	.quad 0x00cf92000000ffff        /* TDATA: 32-bit flat data */
tgdtr:
	.word tgdtr - tgdt - 1
	.long T(tgdt)
trampoline_end:
