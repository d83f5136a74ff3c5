/* SPDX-License-Identifier: MIT */
/*
 * Formatted output to file descriptors and into malloc'd strings, and
 * the ways a program gives up (sysfatal, abort).  The formatting itself
 * is fmt.c's; print (to fd 1) is print.c's on Musubi and the shim's on
 * the host.
 */
#include "libc.h"

char *argv0;

enum { FdBuf = 256 };

/* Fmt flush for an fd: farg holds the fd number. */
static int
fdflush(Fmt *f)
{
	int fd = (int)(intptr_t)f->farg;
	long n = f->p - f->buf;

	if (n > 0 && write(fd, f->buf, n) != n)
		return -1;
	return 0;
}

/* Returns the bytes written, or -1 if a write failed. */
int
vfprint(int fd, const char *fmt, va_list ap)
{
	char buf[FdBuf];
	Fmt f;
	int n;

	fmtinit(&f, buf, sizeof buf, fdflush, (void *)(intptr_t)fd);
	n = fmtvprint(&f, fmt, ap);
	if (f.stop || fdflush(&f) < 0)
		return -1;
	return n;
}

int
fprint(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprint(fd, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Fmt flush for a growing malloc'd string, which starts at farg: doubles
 * the block.  The formatter goes on at f->buf, so buf moves past the text
 * kept so far.  One byte past end is always held back for the NUL.
 */
static int
strflush(Fmt *f)
{
	char *s = f->farg;
	size_t have = f->p - s;
	size_t size = f->end - s + 1;
	char *t;

	t = realloc(s, 2 * size);
	if (t == NULL)
		return -1;
	f->farg = t;
	f->buf = t + have;
	f->p = f->buf;
	f->end = t + 2 * size - 1;
	return 0;
}

/* Returns a malloc'd NUL-terminated string, or NULL out of memory. */
char *
vsmprint(const char *fmt, va_list ap)
{
	Fmt f;
	char *s, *t;

	s = malloc(64);
	if (s == NULL)
		return NULL;
	fmtinit(&f, s, 63, strflush, s);
	fmtvprint(&f, fmt, ap);
	s = f.farg;
	if (f.stop) {
		free(s);
		return NULL;
	}
	*f.p = 0;
	t = realloc(s, f.p - s + 1);
	return t ? t : s;
}

char *
smprint(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vsmprint(fmt, ap);
	va_end(ap);
	return s;
}

/* Print "argv0: msg" on fd 2 and exit with msg as the status. */
void
sysfatal(const char *fmt, ...)
{
	char msg[ERRMAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprint(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (argv0)
		fprint(2, "%s: %s\n", argv0, msg);
	else
		fprint(2, "%s\n", msg);
	exits(msg);
}

void
abort(void)
{
	exits("sys: abort");
}
