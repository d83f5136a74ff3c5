/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/libao/pack.c, the packing of message arguments.
 * Built with -DHOSTTEST and the sanitizers: buffers are allocated at
 * their exact size, so any read or write past a bound is caught.  The
 * in-QEMU tests (test/ktest/t_ao.c) check the same code in messages.
 */
#include "hosttest.h"
#include <stdio.h>
#include <stdlib.h>

#include "lib/libao/ao.h"


/* A heap copy of n bytes of p, exactly n long (NULL-safe for n = 0). */
static uint8_t *
dupn(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	if (n)
		memcpy(q, p, n);
	return q;
}

static void
test_roundtrip(void)
{
	uint8_t buf[200];
	uint8_t c;
	int32_t i;
	int64_t l;
	const char *s;
	const void *p;
	size_t n;
	long len;

	len = ao_packbuf(buf, sizeof buf, "cilsb", 0xab, -123456, -0x123456789abcdefl, "hello",
			 "\0\1\2", (size_t)3);
	CHECK(len == 2 + 5 + 9 + (3 + 6) + (3 + 3));
	CHECK(ao_unpackbuf(buf, len, "cilsb", &c, &i, &l, &s, &p, &n) == 0);
	CHECK(c == 0xab && i == -123456 && l == -0x123456789abcdefl);
	CHECK(strcmp(s, "hello") == 0);
	CHECK(n == 3 && memcmp(p, "\0\1\2", 3) == 0);
	/* the encoding is little-endian with a type byte per field */
	CHECK(buf[0] == 'c' && buf[1] == 0xab);
	CHECK(buf[2] == 'i' && buf[3] == 0xc0 && buf[4] == 0x1d && buf[5] == 0xfe && buf[6] == 0xff);
	CHECK(buf[16] == 's' && buf[17] == 6 && buf[18] == 0 && buf[24] == 0);
	/* empty things */
	CHECK(ao_packbuf(buf, sizeof buf, "") == 0);
	CHECK(ao_unpackbuf(buf, 0, "") == 0);
	len = ao_packbuf(buf, sizeof buf, "sb", "", NULL, (size_t)0);
	CHECK(len == 4 + 3);
	CHECK(ao_unpackbuf(buf, len, "sb", &s, &p, &n) == 0);
	CHECK(s[0] == 0 && n == 0);
}

static void
test_packlimits(void)
{
	uint8_t buf[64], *big = malloc(70000);
	char *str = malloc(70000);
	long len;

	/* every prefix of the room: too small fails cleanly, never overruns */
	len = ao_packbuf(buf, sizeof buf, "ilsb", 1, 2l, "abc", "xyz", (size_t)3);
	CHECK(len > 0);
	for (long cap = 0; cap < len; cap++) {
		uint8_t *b = malloc(cap ? cap : 1);
		CHECK(ao_packbuf(b, cap, "ilsb", 1, 2l, "abc", "xyz", (size_t)3) == AoEFull);
		free(b);
	}
	/* lengths that do not fit the 16-bit field */
	memset(str, 'x', 70000);
	str[65535] = 0;
	CHECK(ao_packbuf(big, 70000, "s", str) == AoEFull);
	str[65534] = 0;
	CHECK(ao_packbuf(big, 70000, "s", str) == 3 + 65535);
	CHECK(ao_packbuf(big, 70000, "b", big, (size_t)65536) == AoEFull);
	CHECK(ao_packbuf(big, 70000, "b", big, (size_t)65535) == 3 + 65535);
	/* bad formats and arguments */
	CHECK(ao_packbuf(buf, sizeof buf, "x", 1) == AoEInval);
	CHECK(ao_packbuf(buf, sizeof buf, "s", (char *)NULL) == AoEInval);
	CHECK(ao_packbuf(buf, sizeof buf, "b", NULL, (size_t)1) == AoEInval);
	CHECK(ao_packbuf(buf, sizeof buf, NULL) == AoEInval);
	free(big);
	free(str);
}

static void
test_mismatch(void)
{
	uint8_t buf[64];
	int32_t i;
	int64_t l;
	const char *s;
	const void *p;
	size_t n;
	long len = ao_packbuf(buf, sizeof buf, "is", 7, "ab");

	CHECK(len == 5 + 6);
	CHECK(ao_unpackbuf(buf, len, "li", &l, &i) == AoEFormat);
	CHECK(ao_unpackbuf(buf, len, "i", &i) == AoEFormat);           /* trailing field */
	CHECK(ao_unpackbuf(buf, len, "isi", &i, &s, &i) == AoEFormat); /* missing field */
	CHECK(ao_unpackbuf(buf, len, "ib", &i, &p, &n) == AoEFormat);  /* wrong type */
	CHECK(ao_unpackbuf(buf, len, "iq", &i, &s) == AoEInval);
	/* nothing after the bad field is written */
	l = 99;
	CHECK(ao_unpackbuf(buf, len, "sl", &s, &l) == AoEFormat && l == 99);
}

/* Every truncation of a valid message, and every one-byte change,
 * unpacks to an error or to fields inside the buffer. */
static void
test_corrupt(void)
{
	uint8_t buf[64];
	int32_t i;
	int64_t l;
	const char *s;
	const void *p;
	size_t n;
	long len = ao_packbuf(buf, sizeof buf, "islb", 5, "str", 9l, "bytes", (size_t)5);

	CHECK(len > 0);
	for (long k = 0; k < len; k++) {
		uint8_t *b = dupn(buf, k);
		CHECK(ao_unpackbuf(b, k, "islb", &i, &s, &l, &p, &n) == AoEFormat);
		free(b);
	}
	for (long k = 0; k < len; k++)
		for (int v = 0; v < 256; v++) {
			uint8_t *b = dupn(buf, len);
			long r;
			b[k] = v;
			r = ao_unpackbuf(b, len, "islb", &i, &s, &l, &p, &n);
			if (r == 0) {
				CHECK(s >= (char *)b && s + strlen(s) < (char *)b + len);
				CHECK((const uint8_t *)p >= b && (const uint8_t *)p + n <= b + len);
			} else
				CHECK(r == AoEFormat);
			free(b);
		}
}

/* Random bytes under random formats: an error or fields in bounds. */
static void
test_random(void)
{
	static const char *const fmts[] = { "c", "i", "l", "s", "b", "ss", "bb", "sb", "cilsb" };
	unsigned x = 1;

	for (int k = 0; k < 200000; k++) {
		const char *f = fmts[k % nelem(fmts)];
		size_t len = (x = x * 1103515245 + 12345) % 48;
		uint8_t *b = malloc(len ? len : 1);
		uint8_t c;
		int32_t i;
		int64_t l;
		const char *s[2] = { NULL, NULL };
		const void *p[2] = { NULL, NULL };
		size_t n[2] = { 0, 0 };
		long r;

		for (size_t j = 0; j < len; j++) {
			x = x * 1103515245 + 12345;
			b[j] = j % 3 == 0 ? (uint8_t)"cilsb"[(x >> 16) % 5] : (x >> 16) % 6 == 0 ? 0 : (uint8_t)(x >> 8);
		}
		switch (k % nelem(fmts)) {
		case 0: r = ao_unpackbuf(b, len, f, &c); break;
		case 1: r = ao_unpackbuf(b, len, f, &i); break;
		case 2: r = ao_unpackbuf(b, len, f, &l); break;
		case 3: r = ao_unpackbuf(b, len, f, &s[0]); break;
		case 4: r = ao_unpackbuf(b, len, f, &p[0], &n[0]); break;
		case 5: r = ao_unpackbuf(b, len, f, &s[0], &s[1]); break;
		case 6: r = ao_unpackbuf(b, len, f, &p[0], &n[0], &p[1], &n[1]); break;
		case 7: r = ao_unpackbuf(b, len, f, &s[0], &p[0], &n[0]); break;
		default: r = ao_unpackbuf(b, len, f, &c, &i, &l, &s[0], &p[0], &n[0]); break;
		}
		CHECK(r == 0 || r == AoEFormat);
		for (int j = 0; r == 0 && j < 2; j++) {
			if (s[j])
				CHECK(s[j] + strlen(s[j]) < (char *)b + len);
			if (p[j])
				CHECK((const uint8_t *)p[j] + n[j] <= b + len);
		}
		free(b);
	}
}

/* The AoMsg forms: bounds of AoMaxData. */
static void
test_msg(void)
{
	static AoMsg m;
	static uint8_t big[AoMaxData];
	int64_t l;
	const void *p;
	size_t n;

	CHECK(ao_pack(&m, "b", big, (size_t)(AoMaxData - 3)) == AoMaxData);
	CHECK(m.len == AoMaxData);
	CHECK(ao_unpack(&m, "b", &p, &n) == 0 && n == AoMaxData - 3);
	CHECK(ao_pack(&m, "b", big, (size_t)(AoMaxData - 2)) == AoEFull);
	CHECK(m.len == AoMaxData); /* unchanged by a failed pack */
	CHECK(ao_pack(&m, "l", 5l) == 9 && m.len == 9);
	CHECK(ao_unpack(&m, "l", &l) == 0 && l == 5);
	m.len = AoMaxData + 1;
	CHECK(ao_unpack(&m, "l", &l) == AoEFormat);
}

static const HostTest tests[] = {
	{test_roundtrip, "pack.roundtrip"},
	{test_packlimits, "pack.limits"},
	{test_mismatch, "pack.mismatch"},
	{test_corrupt, "pack.corrupt"},
	{test_random, "pack.random"},
	{test_msg, "pack.msg"},
};

int
main(void)
{
	return hosttest_run(tests, nelem(tests));
}
