/* SPDX-License-Identifier: MIT */
/* Kernel printing to the debug console (formatting is lib/libc/fmt.c). */
#include "kern.h"

int vsnprint(char *buf, size_t n, const char *fmt, va_list ap);

void kvprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprint(buf, sizeof buf, fmt, ap);

	for (int i = 0; i < n && buf[i]; i++)
		arch_putc(buf[i]);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	kprintf("\npanic: cpu%u: ", ncpu ? thiscpu()->id : 0);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	arch_halt();
	for (;;)
		;
}
