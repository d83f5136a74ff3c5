/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for lib/lib9p/fcall.c, the 9P2000 unpacker that core
 * and every server run on bytes from other programs: fcall_unpack,
 * dir_unpack and fcall_fmt over arbitrary bytes.  The input is copied
 * into a heap block of exactly its length, so AddressSanitizer catches
 * any read past the end.  Besides not crashing, the results must keep
 * the promises fcall.h makes:
 *   - a message that unpacks takes exactly its size field, at least 7
 *     bytes and no more than the input, and its walk counts are at most
 *     MAXWELEM;
 *   - strings, data and stat point inside the message, strings hold no
 *     NUL, and the stat of Rstat/Twstat is one whole good record;
 *   - packing it again gives back exactly the same bytes (so pack, size
 *     and unpack agree), and the same holds for stat records;
 *   - the read fast path (fcall_unpacktread, fcall_rreadcount) accepts
 *     exactly the Treads and Rreads that fcall_unpack does, with the same
 *     fields;
 *   - fcall_unpack and fcall_pack, with their short cut for small
 *     messages, give what the general walks (fcall_unpackwalk,
 *     fcall_packwalk) give.
 * Built and run by `make fuzz` (seeds: test/fuzz/mkseeds.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/lib9p/fcall.h"

#define MUST(c)                                                                     \
	do {                                                                        \
		if (!(c)) {                                                         \
			fprintf(stderr, "fuzz_9p: %s:%d: broken promise: %s\n", __FILE__, \
				__LINE__, #c);                                      \
			abort();                                                    \
		}                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uchar *lo, *hi;

static void
instr(Fstr s)
{
	MUST(s.len == 0 || ((const uchar *)s.s >= lo && (const uchar *)s.s + s.len <= hi));
	for (uint i = 0; i < s.len; i++)
		MUST(s.s[i] != 0);
}

static void
checkdir(const uchar *p, uint n)
{
	uchar *out = malloc(n ? n : 1);
	Dir9 d;
	int r = dir_unpack(p, n, &d);

	MUST(r > -NFcallErr && r != 0 && r <= (int)n);
	if (r > 0) {
		MUST(r >= STATFIXLEN && r == (p[0] | p[1] << 8) + 2);
		MUST(dir_size(&d) == (uint)r);
		MUST(dir_pack(&d, out, n) == (uint)r && memcmp(out, p, r) == 0);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uchar *m, *out;
	char text[256];
	uint n = size > 1u << 20 ? 1u << 20 : size;
	Fcall f;
	Fmt fmt;
	int r;

	m = malloc(n ? n : 1);
	out = malloc(n ? n : 1);
	if (m == NULL || out == NULL)
		return 0;
	memcpy(m, data, n);
	lo = m, hi = m + n;
	checkdir(m, n);
	r = fcall_unpack(m, n, &f);
	MUST(r > -NFcallErr && r != 0 && r <= (int)n);
	{
		Fcall g;
		int isread = fcall_unpacktread(m, n, &g);
		MUST(isread == (r == (int)n && f.type == Tread));
		if (isread)
			MUST(g.tag == f.tag && g.fid == f.fid && g.offset == f.offset && g.count == f.count);
		ushort tag = n >= 7 ? (ushort)(m[5] | m[6] << 8) : 0;
		long cnt = fcall_rreadcount(m, n, tag, 0xffffffffu);
		MUST((cnt >= 0) == (r == (int)n && f.type == Rread));
		if (cnt >= 0)
			MUST((uint)cnt == f.count && f.data == m + RREADHDR);
	}
	{
		Fcall w;
		int rw = fcall_unpackwalk(m, n, &w);
		MUST(rw == r);
		if (r > 0) {
			MUST(w.type == f.type && w.tag == f.tag && w.fid == f.fid);
			MUST(fcall_packwalk(&w, out, n) == (uint)r && memcmp(out, m, r) == 0);
		}
	}
	if (r > 0) {
		MUST(r >= 7 && (uint)r == (m[0] | m[1] << 8 | m[2] << 16 | (uint)m[3] << 24));
		MUST(f.type == m[4] && fcall_typename(f.type) != NULL && f.type != Terror);
		hi = m + r;
		switch (f.type) {
		case Twalk:
			MUST(f.nwname <= MAXWELEM);
			for (int i = 0; i < f.nwname; i++)
				instr(f.wname[i]);
			break;
		case Rwalk:
			MUST(f.nwqid <= MAXWELEM);
			break;
		case Tversion:
		case Rversion:
			instr(f.version);
			break;
		case Rerror:
			instr(f.ename);
			break;
		case Tauth:
		case Tattach:
			instr(f.uname);
			instr(f.aname);
			break;
		case Tcreate:
			instr(f.name);
			break;
		case Rread:
		case Twrite:
			MUST(f.count == 0 || (f.data >= lo && f.data + f.count <= hi));
			break;
		case Rstat:
		case Twstat:
			MUST(f.stat >= lo && f.stat + f.nstat <= hi);
			MUST(f.nstat >= STATFIXLEN);
			checkdir(f.stat, f.nstat);
			break;
		}
		MUST(fcall_size(&f) == (uint)r);
		MUST(fcall_pack(&f, out, n) == (uint)r && memcmp(out, m, r) == 0);
		MUST(fcall_pack(&f, out, r - 1) == 0);
	}
	fmtinit(&fmt, text, sizeof text, NULL, NULL);
	fcall_fmt(&fmt, &f);
	free(m);
	free(out);
	return 0;
}
