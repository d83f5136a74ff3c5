/* SPDX-License-Identifier: MIT */
/*
 * printf-style formatting into a Fmt buffer, with snprint on top.  Pure:
 * no system calls, no state, no floating point, so the kernel can use it
 * too; print.c adds a Fmt that flushes to the debug console.
 */
#include "libc.h"

enum {
	FMinus = 1 << 0, /* left-justify */
	FZero = 1 << 1,  /* pad numbers with zeros */
	FPlus = 1 << 2,  /* + on non-negative numbers */
	FSpace = 1 << 3, /* space on non-negative numbers */
	FAlt = 1 << 4,   /* # : 0x for %x, leading 0 for %o */
	FUpper = 1 << 5, /* %X */
	FPtr = 1 << 6,   /* %p: always 0x */
};

/* Widths and precisions are clamped: padding has to end somewhere. */
enum { MaxWidth = 1 << 20 };

/* One conversion specification, everything between % and the verb. */
typedef struct Spec {
	int flags;
	int width;
	int prec;      /* -1: none given */
	char len;      /* 0, 'H' (hh), 'h', 'l', 'L' (ll), 'z', 'j', 't' */
} Spec;

void
fmtinit(Fmt *f, char *buf, size_t n, int (*flush)(Fmt *), void *farg)
{
	f->buf = buf;
	f->p = buf;
	f->end = buf + n;
	f->flush = flush;
	f->farg = farg;
	f->nout = 0;
	f->stop = false;
}

static void
fmtputc(Fmt *f, char c)
{
	if (f->p >= f->end) {
		if (f->stop || f->flush == NULL || f->flush(f) < 0) {
			f->stop = true;
			return;
		}
		f->nout += f->p - f->buf;
		f->p = f->buf;
		if (f->p >= f->end) { /* a zero-sized buffer cannot make progress */
			f->stop = true;
			return;
		}
	}
	*f->p++ = c;
}

static void
fmtpad(Fmt *f, char c, int n)
{
	for (; n > 0 && !f->stop; n--)
		fmtputc(f, c);
}

/* Bytes taken so far, flushed and buffered. */
static size_t
fmtcount(Fmt *f)
{
	return f->nout + (f->p - f->buf);
}

/* n bytes of s, padded to the width. */
static void
fmtbytes(Fmt *f, const char *s, int n, Spec *sp)
{
	if (!(sp->flags & FMinus))
		fmtpad(f, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		fmtputc(f, s[i]);
	if (sp->flags & FMinus)
		fmtpad(f, ' ', sp->width - n);
}

static void
fmtstr(Fmt *f, const char *s, Spec *sp)
{
	int n = 0;

	if (s == NULL)
		s = "<nil>";
	while ((sp->prec < 0 || n < sp->prec) && s[n])
		n++;
	fmtbytes(f, s, n, sp);
}

static void
fmtint(Fmt *f, unsigned long long v, bool neg, int base, Spec *sp)
{
	const char *digits = sp->flags & FUpper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24]; /* 22 octal digits hold 64 bits */
	const char *prefix = "";
	int n = 0, zeros, plen, pad;

	if (sp->flags & FPtr || (sp->flags & FAlt && base == 16 && v != 0))
		prefix = sp->flags & FUpper ? "0X" : "0x";
	else if (neg)
		prefix = "-";
	else if (sp->flags & FPlus)
		prefix = "+";
	else if (sp->flags & FSpace)
		prefix = " ";
	plen = prefix[0] == 0 ? 0 : prefix[1] == 0 ? 1 : 2;

	/* Precision 0 prints no digits for 0 (C), except for %#o and %p. */
	if (v != 0 || sp->prec != 0 || sp->flags & FPtr)
		do {
			buf[n++] = digits[v % base];
			v /= base;
		} while (v != 0);
	if (sp->flags & FAlt && base == 8 && (n == 0 || buf[n - 1] != '0') && sp->prec <= n)
		sp->prec = n + 1;

	zeros = sp->prec > n ? sp->prec - n : 0;
	if ((sp->flags & (FZero | FMinus)) == FZero && sp->prec < 0 && sp->width > plen + n)
		zeros = sp->width - plen - n;
	pad = sp->width - plen - zeros - n;

	if (!(sp->flags & FMinus))
		fmtpad(f, ' ', pad);
	for (int i = 0; i < plen; i++)
		fmtputc(f, prefix[i]);
	fmtpad(f, '0', zeros);
	while (n > 0)
		fmtputc(f, buf[--n]);
	if (sp->flags & FMinus)
		fmtpad(f, ' ', pad);
}

/* Parse flags and the length modifier; width and precision need ap. */
static const char *
fmtflags(const char *p, Spec *sp)
{
	for (;; p++) {
		switch (*p) {
		case '-': sp->flags |= FMinus; continue;
		case '0': sp->flags |= FZero; continue;
		case '+': sp->flags |= FPlus; continue;
		case ' ': sp->flags |= FSpace; continue;
		case '#': sp->flags |= FAlt; continue;
		}
		return p;
	}
}

static const char *
fmtlen(const char *p, Spec *sp)
{
	sp->len = 0;
	switch (*p) {
	case 'h':
	case 'l':
		sp->len = *p++;
		if (*p == sp->len) { /* hh, ll */
			sp->len = sp->len == 'h' ? 'H' : 'L';
			p++;
		}
		break;
	case 'z':
	case 'j':
	case 't':
		sp->len = *p++;
		break;
	}
	return p;
}

static int
fmtnum(const char **pp)
{
	const char *p = *pp;
	int n = 0;

	for (; *p >= '0' && *p <= '9'; p++)
		if ((n = n * 10 + (*p - '0')) > MaxWidth)
			n = MaxWidth;
	*pp = p;
	return n;
}

/* The argument of an integer verb, widened as its length says. */
static long long
argsigned(Spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': case 'z': case 't': return va_arg(*ap, long);
	case 'L': case 'j': return va_arg(*ap, long long);
	default: return va_arg(*ap, int);
	}
}

static unsigned long long
argunsigned(Spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': case 'z': case 't': return va_arg(*ap, unsigned long);
	case 'L': case 'j': return va_arg(*ap, unsigned long long);
	default: return va_arg(*ap, unsigned);
	}
}

/*
 * Parse the specification after the % at spec into *sp, taking * widths
 * and precisions from ap; returns a pointer to the verb.
 */
static const char *
fmtspec(const char *spec, Spec *sp, va_list *ap)
{
	const char *p;

	sp->flags = 0;
	p = fmtflags(spec + 1, sp);
	if (*p == '*') {
		p++;
		sp->width = va_arg(*ap, int);
		if (sp->width > MaxWidth)
			sp->width = MaxWidth;
		if (sp->width < 0) {
			sp->flags |= FMinus;
			sp->width = sp->width < -MaxWidth ? MaxWidth : -sp->width;
		}
	} else
		sp->width = fmtnum(&p);
	sp->prec = -1;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			p++;
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
			if (sp->prec > MaxWidth)
				sp->prec = MaxWidth;
		} else
			sp->prec = fmtnum(&p);
	}
	return fmtlen(p, sp);
}

/* Convert one argument for the verb at p (specification at spec). */
static void
fmtverb(Fmt *f, const char *spec, const char *p, Spec *sp, va_list *ap)
{
	long long s;

	switch (*p) {
	case 'd':
	case 'i':
		s = argsigned(sp, ap);
		fmtint(f, s < 0 ? -(unsigned long long)s : (unsigned long long)s, s < 0, 10, sp);
		break;
	case 'u':
		sp->flags &= ~(FPlus | FSpace);
		fmtint(f, argunsigned(sp, ap), false, 10, sp);
		break;
	case 'X':
		sp->flags |= FUpper;
		/* fall through */
	case 'x':
		sp->flags &= ~(FPlus | FSpace);
		fmtint(f, argunsigned(sp, ap), false, 16, sp);
		break;
	case 'o':
		sp->flags &= ~(FPlus | FSpace);
		fmtint(f, argunsigned(sp, ap), false, 8, sp);
		break;
	case 'p':
		sp->flags = (sp->flags & FMinus) | FPtr;
		fmtint(f, (uintptr_t)va_arg(*ap, void *), false, 16, sp);
		break;
	case 's':
		fmtstr(f, va_arg(*ap, const char *), sp);
		break;
	case 'c':
		fmtbytes(f, (char[1]){(char)va_arg(*ap, int)}, 1, sp);
		break;
	case '%':
		fmtputc(f, '%');
		break;
	default: /* unknown verb: show the whole specification */
		for (; spec <= p; spec++)
			fmtputc(f, *spec);
		break;
	}
}

int
fmtvprint(Fmt *f, const char *fmt, va_list ap)
{
	size_t start = fmtcount(f);
	const char *p;
	va_list aq;
	Spec sp;

	/* A copy, so that helpers can take its address (va_list is an array). */
	va_copy(aq, ap);
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			fmtputc(f, *p);
			continue;
		}
		const char *spec = p;
		p = fmtspec(spec, &sp, &aq);
		if (*p == 0) /* the format ends inside a specification */
			break;
		fmtverb(f, spec, p, &sp, &aq);
	}
	va_end(aq);
	return (int)(fmtcount(f) - start);
}

int
fmtprint(Fmt *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmtvprint(f, fmt, ap);
	va_end(ap);
	return n;
}

int
vsnprint(char *buf, size_t n, const char *fmt, va_list ap)
{
	Fmt f;

	if (n == 0)
		return 0;
	fmtinit(&f, buf, n - 1, NULL, NULL);
	fmtvprint(&f, fmt, ap);
	*f.p = 0;
	return (int)(f.p - buf);
}

int
snprint(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprint(buf, n, fmt, ap);
	va_end(ap);
	return r;
}
