/* SPDX-License-Identifier: MIT */
/*
 * Multiboot entry: the loader jumps here in 32-bit protected mode with paging
 * off.  We build boot page tables (identity and physmap of the first 4 GiB,
 * the kernel image in the top 2 GiB), enter long mode and call kmain().
 * The application processors take the same road in trampoline.S.
 */
#include "amd64/asm.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010003 /* page-align modules, memory map, a.out kludge */
#define PHYS(x) ((x) - KERNBASE)

	.section .multiboot, "a"
	.align 4
mbheader:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.long PHYS(mbheader), PHYS(kern_start), PHYS(kern_edata), PHYS(kern_end)
	.long PHYS(start32)

	.section .text.boot, "ax"
	.code32
	.globl start32
start32:
	cli
	movl %eax, %edi                 /* multiboot magic */
	movl %ebx, %esi                 /* multiboot info (physical) */
	movl $PHYS(boot_stack_top), %esp

	/* pd[0..3]: 2048 entries of 2 MiB mapping 0..4 GiB */
	movl $PHYS(boot_pd), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%ebx, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax                  /* high dword: bits 32+ of i*2MiB */
	movl %eax, 4(%ebx, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b
	/* pdpt_low[0..3] -> pd[0..3] */
	movl $PHYS(boot_pdpt_low), %ebx
	movl $PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	movl %eax, 0(%ebx)
	addl $4096, %eax
	movl %eax, 8(%ebx)
	addl $4096, %eax
	movl %eax, 16(%ebx)
	addl $4096, %eax
	movl %eax, 24(%ebx)
	/* pdpt_high[510] -> pd[0]: KERNBASE maps physical 0..1 GiB */
	movl $PHYS(boot_pdpt_high), %ebx
	movl $PHYS(boot_pd) + (PTE_P | PTE_W), %eax
	movl %eax, 510*8(%ebx)
	/* pml4: [0] identity, [256] physmap, [511] kernel */
	movl $PHYS(boot_pml4), %ebx
	movl $PHYS(boot_pdpt_low) + (PTE_P | PTE_W), %eax
	movl %eax, 0(%ebx)
	movl %eax, 256*8(%ebx)
	movl $PHYS(boot_pdpt_high) + (PTE_P | PTE_W), %eax
	movl %eax, 511*8(%ebx)

	.globl enter_long
enter_long:                             /* also used by trampoline.S */
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_PGE), %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE | EFER_SCE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0
	lgdt PHYS(boot_gdtr)
	ljmp $KCODE, $PHYS(start64)

	.code64
start64:
	movabs $high64, %rax
	jmp *%rax
high64:
	movl $KDATA, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	testl %edi, %edi                /* APs arrive with edi = 0 */
	jz ap_start
	movabs $boot_stack_top, %rsp
	call kmain                      /* (magic, mbinfo) */
1:	hlt
	jmp 1b

ap_start:
	/* trampoline.S left the stack pointer for this cpu in ap_stack */
	movabs $ap_stack, %rax
	movq (%rax), %rsp
	call ap_main
1:	hlt
	jmp 1b

	.section .rodata
	.align 16
	.globl boot_gdt
boot_gdt:
	.quad 0
	.quad 0x00209a0000000000        /* KCODE: 64-bit code, ring 0 */
	.quad 0x0000920000000000        /* KDATA */
boot_gdtr:
	.word 3*8 - 1
	.long PHYS(boot_gdt)

	.section .bss
	.align 4096
	.globl boot_pml4
boot_pml4: .space 4096
boot_pdpt_low: .space 4096
boot_pdpt_high: .space 4096
boot_pd: .space 4*4096
	.globl boot_stack_top, ap_stack
boot_stack: .space 16384
boot_stack_top:
ap_stack: .quad 0
