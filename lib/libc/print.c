/* SPDX-License-Identifier: MIT */
/*
 * print and panic for user programs: format with fmt.c into a stack
 * buffer and write it to the kernel debug console (SysDebugPut), a piece
 * at a time when it is long.  Output of one call is not atomic with
 * respect to other threads beyond one piece.
 */
#include "libc.h"
#include "mu.h"

enum { PrintBuf = 256 };

/* A process of core prints on its fd 1; anything else on the debug console. */
static int
debugflush(Fmt *f)
{
	if (f->p == f->buf)
		return 0;
	if (mu_incore())
		return write(1, f->buf, f->p - f->buf) < 0 ? -1 : 0;
	if (mu_debugput(f->buf, f->p - f->buf) < 0)
		return -1;
	return 0;
}

int
vprint(const char *fmt, va_list ap)
{
	char buf[PrintBuf];
	Fmt f;
	int n;

	fmtinit(&f, buf, sizeof buf, debugflush, NULL);
	n = fmtvprint(&f, fmt, ap);
	debugflush(&f);
	return n;
}

int
print(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprint(fmt, ap);
	va_end(ap);
	return n;
}

_Noreturn void
panic(const char *fmt, ...)
{
	char buf[PrintBuf];
	Fmt f;
	va_list ap;

	fmtinit(&f, buf, sizeof buf, debugflush, NULL);
	fmtprint(&f, "panic: ");
	va_start(ap, fmt);
	fmtvprint(&f, fmt, ap);
	va_end(ap);
	fmtprint(&f, "\n");
	debugflush(&f);
	exits("panic");
}
