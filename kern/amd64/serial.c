/* SPDX-License-Identifier: MIT */
/* The kernel debug console: COM1 at 115200 8N1, polled.  print.c formats. */
#include "port/kern.h"
#include "amd64/amd64.h"

#define COM1 0x3f8

static inline void outb(u16 port, u8 v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

void serial_init(void)
{
	outb(COM1 + 1, 0);    /* no interrupts */
	outb(COM1 + 3, 0x80); /* divisor latch */
	outb(COM1 + 0, 1);    /* 115200 */
	outb(COM1 + 1, 0);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFO */
	outb(COM1 + 4, 0x03);
}

void arch_putc(int c)
{
	if (c == '\n')
		arch_putc('\r');
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		;
	outb(COM1, c);
}

/* A byte from the console, or -1 when none is waiting. */
int arch_getc(void)
{
	if (!(inb(COM1 + 5) & 1))
		return -1;
	return inb(COM1);
}
