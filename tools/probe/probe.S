/* SPDX-License-Identifier: MIT */
/*
 * probe.S: a tiny 32-bit multiboot1 kernel that tells tools/accel.sh how fast
 * the accelerator runs guest ring-0 code.  It prints the multiboot command
 * lines it was given (handy for checking QEMU's and GRUB's boot paths), then
 * times a dec/jnz loop of LOOPS iterations with rdtsc, prints the tick count
 * on COM1 and leaves QEMU through isa-debug-exit (port 0xf4), so QEMU exits
 * with status (0x2a<<1)|1 = 85.  Output, one line each:
 *
 *	probe: cmdline=<kernel command line>
 *	probe: module=<module command line>		(one per module)
 *	probe: loop start
 *	probe: loop end loops=0x<8 hex> ticks=0x<16 hex>
 *
 * Built by tools/accel.sh: gcc -m32 -c, ld -m elf_i386 -Ttext=0x100000.
 */

#ifndef LOOPS
#define LOOPS 10000000
#endif

	.set MB_MAGIC, 0x1BADB002
	.set MB_FLAGS, 0		/* ELF kernel: no a.out kludge needed */
	.set COM1, 0x3f8
	.set EXIT_PORT, 0xf4
	.set EXIT_CODE, 0x2a

	.text
	.code32
	.align 4
mbheader:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.globl _start
_start:
	cli
	cld
	mov $stack_top, %esp
	mov %ebx, %ebp			/* multiboot information */
	call serial_init

	mov $s_cmdline, %esi
	call puts
	testl $(1 << 2), (%ebp)		/* cmdline valid? */
	jz 1f
	mov 16(%ebp), %esi
	call puts
1:	call newline

	testl $(1 << 3), (%ebp)		/* modules valid? */
	jz 3f
	mov 20(%ebp), %ebx		/* mods_count */
	mov 24(%ebp), %edi		/* mods_addr: {start, end, string, 0} */
2:	test %ebx, %ebx
	jz 3f
	mov $s_module, %esi
	call puts
	mov 8(%edi), %esi
	call puts
	call newline
	add $16, %edi
	dec %ebx
	jmp 2b

3:	mov $s_start, %esi		/* the host timestamps this line... */
	call puts
	rdtsc
	mov %eax, t0
	mov %edx, t0 + 4
	mov $LOOPS, %ecx
	.align 16
4:	dec %ecx
	jnz 4b
	rdtsc
	sub t0, %eax
	sbb t0 + 4, %edx
	mov %eax, t0
	mov %edx, t0 + 4

	mov $s_end, %esi		/* ...and this one */
	call puts
	mov $LOOPS, %eax
	call hex32
	mov $s_ticks, %esi
	call puts
	mov t0 + 4, %eax
	call hex32
	mov t0, %eax
	call hex32
	call newline

	mov $EXIT_CODE, %al
	out %al, $EXIT_PORT
5:	hlt				/* not in QEMU: stay here */
	jmp 5b

/* 115200 baud, 8N1, FIFO on.  QEMU does not need it; real UARTs do. */
serial_init:
	mov $COM1 + 1, %dx
	mov $0x00, %al			/* no interrupts */
	out %al, %dx
	mov $COM1 + 3, %dx
	mov $0x80, %al			/* DLAB: set the divisor */
	out %al, %dx
	mov $COM1, %dx
	mov $1, %al
	out %al, %dx
	mov $COM1 + 1, %dx
	mov $0, %al
	out %al, %dx
	mov $COM1 + 3, %dx
	mov $0x03, %al			/* 8N1, DLAB off */
	out %al, %dx
	mov $COM1 + 2, %dx
	mov $0xc7, %al
	out %al, %dx
	ret

/* putc: write %al to COM1 once the transmitter is free.  Clobbers %edx. */
putc:
	push %eax
	mov $COM1 + 5, %dx
1:	in %dx, %al
	test $0x20, %al
	jz 1b
	pop %eax
	mov $COM1, %dx
	out %al, %dx
	ret

/* puts: write the NUL-terminated string at %esi (none if %esi is 0). */
puts:
	test %esi, %esi
	jz 2f
1:	lodsb
	test %al, %al
	jz 2f
	call putc
	jmp 1b
2:	ret

newline:
	mov $'\n', %al
	jmp putc

/* hex32: write %eax as 8 hex digits.  Clobbers %ecx, %edx. */
hex32:
	mov $8, %ecx
1:	rol $4, %eax
	push %eax
	and $0xf, %eax
	mov hexdigits(%eax), %al
	call putc
	pop %eax
	loop 1b
	ret

	.section .rodata
hexdigits:	.ascii "0123456789abcdef"
s_cmdline:	.asciz "probe: cmdline="
s_module:	.asciz "probe: module="
s_start:	.asciz "probe: loop start\n"
s_end:		.asciz "probe: loop end loops=0x"
s_ticks:	.asciz " ticks=0x"

	.bss
	.align 16
t0:	.space 8
stack:	.space 4096
stack_top:
