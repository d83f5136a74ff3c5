/* SPDX-License-Identifier: MIT */
/*
 * Packing message arguments by a format string, and unpacking them with
 * every length checked.  Pure: no system calls, no state, so it also
 * runs in the host unit tests (test/host/test_pack.c).  The encoding is
 * described in ao.h: per field a type byte, then the value little-endian
 * (strings and byte strings: a 16-bit length, then the bytes; a string
 * includes its NUL).  The type bytes make a message that does not match
 * the format fail instead of being misread.
 */
#include "ao.h"

enum { MaxVar = 0xffff }; /* longest string or byte string */

static int
fmtok(const char *fmt)
{
	for (; *fmt; fmt++)
		if (strchr("cilsb", *fmt) == NULL)
			return 0;
	return 1;
}

static void
putle(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = v >> 8 * i;
}

static uint64_t
getle(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << 8 * i;
	return v;
}

long
ao_vpackbuf(uint8_t *buf, size_t cap, const char *fmt, va_list ap)
{
	size_t o = 0, n = 0;

	if (fmt == NULL || !fmtok(fmt))
		return AoEInval;
	for (; *fmt; fmt++) {
		const void *p = NULL;
		uint64_t v = 0;
		size_t w;

		switch (*fmt) {
		case 'c':
			v = (uint8_t)va_arg(ap, int);
			w = 1;
			break;
		case 'i':
			v = (uint32_t)va_arg(ap, int);
			w = 4;
			break;
		case 'l':
			v = (uint64_t)va_arg(ap, long);
			w = 8;
			break;
		case 's':
			if ((p = va_arg(ap, const char *)) == NULL)
				return AoEInval;
			n = strnlen(p, MaxVar) + 1;
			if (n > MaxVar)
				return AoEFull;
			v = n;
			w = 2;
			break;
		default: /* 'b' */
			p = va_arg(ap, const void *);
			n = va_arg(ap, size_t);
			if (p == NULL && n)
				return AoEInval;
			if (n > MaxVar)
				return AoEFull;
			v = n;
			w = 2;
			break;
		}
		if (1 + w > cap - o || (p && n > cap - o - 1 - w))
			return AoEFull;
		buf[o++] = *fmt;
		putle(buf + o, v, (int)w);
		o += w;
		if (p) {
			memcpy(buf + o, p, n);
			o += n;
		}
	}
	return o;
}

long
ao_vunpackbuf(const uint8_t *buf, size_t len, const char *fmt, va_list ap)
{
	size_t o = 0, n;

	if (fmt == NULL || !fmtok(fmt))
		return AoEInval;
	for (; *fmt; fmt++) {
		int w = *fmt == 'c' ? 1 : *fmt == 'i' ? 4 : *fmt == 'l' ? 8 : 2;

		if (o >= len || buf[o] != *fmt || len - o - 1 < (size_t)w)
			return AoEFormat;
		o++;
		switch (*fmt) {
		case 'c':
			*va_arg(ap, uint8_t *) = buf[o];
			break;
		case 'i':
			*va_arg(ap, int32_t *) = (int32_t)getle(buf + o, 4);
			break;
		case 'l':
			*va_arg(ap, int64_t *) = (int64_t)getle(buf + o, 8);
			break;
		case 's':
			n = getle(buf + o, 2);
			if (n == 0 || n > len - o - 2)
				return AoEFormat;
			/* exactly one NUL, at the end */
			if (strnlen((const char *)buf + o + 2, n) != n - 1)
				return AoEFormat;
			*va_arg(ap, const char **) = (const char *)buf + o + 2;
			o += n;
			break;
		default: /* 'b' */
			n = getle(buf + o, 2);
			if (n > len - o - 2)
				return AoEFormat;
			*va_arg(ap, const void **) = buf + o + 2;
			*va_arg(ap, size_t *) = n;
			o += n;
			break;
		}
		o += w;
	}
	return o == len ? 0 : AoEFormat;
}

long
ao_packbuf(uint8_t *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	long r;

	va_start(ap, fmt);
	r = ao_vpackbuf(buf, cap, fmt, ap);
	va_end(ap);
	return r;
}

long
ao_unpackbuf(const uint8_t *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	long r;

	va_start(ap, fmt);
	r = ao_vunpackbuf(buf, len, fmt, ap);
	va_end(ap);
	return r;
}

long
ao_pack(AoMsg *m, const char *fmt, ...)
{
	va_list ap;
	long r;

	va_start(ap, fmt);
	r = ao_vpackbuf(m->data, AoMaxData, fmt, ap);
	va_end(ap);
	if (r >= 0)
		m->len = r;
	return r;
}

long
ao_unpack(const AoMsg *m, const char *fmt, ...)
{
	va_list ap;
	long r;

	if (m->len > AoMaxData)
		return AoEFormat;
	va_start(ap, fmt);
	r = ao_vunpackbuf(m->data, m->len, fmt, ap);
	va_end(ap);
	return r;
}
