/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of lib/lib9p (fcall.c, fcallfmt.c): 9P2000 messages
 * and stat records to and from the wire.  Built with -DHOSTTEST and the
 * sanitizers; every message is unpacked from a heap copy of exactly its
 * length, so any read past a bound is caught.
 */
#include "hosttest.h"
#include <stdio.h>
#include <stdlib.h>

#include "lib/lib9p/fcall.h"

#define CHECKMSG(c, i)                                                                \
	do {                                                                          \
		if (!(c)) {                                                           \
			snprintf(failmsg, sizeof failmsg, "%s:%d: %s (sample %d, %s)", __FILE__, \
				 __LINE__, #c, (int)(i), fcall_typename(samples[i].type)); \
			return;                                                       \
		}                                                                     \
	} while (0)

static uchar statbuf[128];
static uint nstatbuf;
static const uchar payload[40] = "some data\0with a nul and more bytes...";

static Dir9
sampledir(void)
{
	Dir9 d = {
		.type = 'M',
		.dev = 7,
		.qid = {.path = 0x0123456789abcdefull, .vers = 3, .type = QTDIR},
		.mode = DMDIR | 0755,
		.atime = 1000,
		.mtime = 2000,
		.length = 0,
		.name = fstr("usr"),
		.uid = fstr("glenda"),
		.gid = fstr("sys"),
		.muid = fstr(""),
	};
	return d;
}

/* One of every message type (two walks: empty and full). */
static Fcall samples[48];
static int nsamples;

static Fcall *
add(int type, int tag)
{
	Fcall *f;

	if (nsamples == nelem(samples)) {
		fprintf(stderr, "test_9p: more samples than samples[] holds\n");
		exit(1);
	}
	f = &samples[nsamples++];
	memset(f, 0, sizeof *f);
	f->type = type;
	f->tag = tag;
	return f;
}

static void
mksamples(void)
{
	static const char *names[MAXWELEM] = {"a", "bb", "ccc", "", "e", "f", "g", "h",
					       "i", "j", "k", "l", "m", "n", "o", "p"};
	Dir9 d = sampledir();
	Fcall *f;

	if (nsamples)
		return;
	nstatbuf = dir_pack(&d, statbuf, sizeof statbuf);
	f = add(Tversion, NOTAG), f->msize = 8192, f->version = fstr("9P2000");
	f = add(Rversion, NOTAG), f->msize = 4096, f->version = fstr("9P2000");
	f = add(Tauth, 1), f->afid = 5, f->uname = fstr("glenda"), f->aname = fstr("");
	f = add(Rauth, 1), f->aqid = (Qid){1, 2, QTAUTH};
	f = add(Tattach, 2), f->fid = 0, f->afid = NOFID, f->uname = fstr("glenda"),
	f->aname = fstr("/");
	f = add(Rattach, 2), f->qid = (Qid){~0ull, ~0u, QTDIR};
	f = add(Rerror, 3), f->ename = fstr("file does not exist");
	f = add(Tflush, 4), f->oldtag = 3;
	f = add(Rflush, 4);
	f = add(Twalk, 5), f->fid = 0, f->newfid = 1, f->nwname = 0;
	f = add(Twalk, 5), f->fid = 0, f->newfid = 1, f->nwname = MAXWELEM;
	for (int i = 0; i < MAXWELEM; i++)
		f->wname[i] = fstr(names[i]);
	f = add(Rwalk, 5), f->nwqid = MAXWELEM;
	for (int i = 0; i < MAXWELEM; i++)
		f->wqid[i] = (Qid){i * 1000ull, i, i & 1 ? QTDIR : QTFILE};
	f = add(Rwalk, 6), f->nwqid = 0;
	f = add(Topen, 7), f->fid = 1, f->mode = ORDWR | OTRUNC;
	f = add(Ropen, 7), f->qid = (Qid){9, 1, QTFILE}, f->iounit = 8168;
	f = add(Tcreate, 8), f->fid = 1, f->name = fstr("new"), f->perm = 0644,
	f->mode = OWRITE;
	f = add(Rcreate, 8), f->qid = (Qid){10, 0, QTAPPEND}, f->iounit = 0;
	f = add(Tread, 9), f->fid = 1, f->offset = 1ull << 40, f->count = 8192;
	f = add(Rread, 9), f->count = sizeof payload, f->data = payload;
	f = add(Rread, 10), f->count = 0, f->data = NULL;
	f = add(Twrite, 11), f->fid = 1, f->offset = 17, f->count = 9, f->data = payload;
	f = add(Rwrite, 11), f->count = 9;
	f = add(Tclunk, 12), f->fid = 1;
	f = add(Rclunk, 12);
	f = add(Tremove, 13), f->fid = 2;
	f = add(Rremove, 13);
	f = add(Tstat, 14), f->fid = 3;
	f = add(Rstat, 14), f->nstat = nstatbuf, f->stat = statbuf;
	f = add(Twstat, 15), f->fid = 3, f->nstat = nstatbuf, f->stat = statbuf;
	f = add(Rwstat, 15);
	/* walks of one element, as core sends them (fcall.c's short cut) */
	f = add(Twalk, 16), f->fid = 4, f->newfid = 5, f->nwname = 1, f->wname[0] = fstr("usr");
	f = add(Twalk, 16), f->fid = 4, f->newfid = 4, f->nwname = 1, f->wname[0] = fstr("");
	f = add(Rwalk, 16), f->nwqid = 1, f->wqid[0] = (Qid){0x1122334455667788ull, 7, QTDIR};
}

/* The index of the first sample of this type. */
static int
first(int type)
{
	for (int i = 0; i < nsamples; i++)
		if (samples[i].type == type)
			return i;
	return 0;
}

/* A heap block of exactly n bytes (1 for n = 0) holding p. */
static uchar *
dupn(const uchar *p, size_t n)
{
	uchar *q = malloc(n ? n : 1);

	if (n)
		memcpy(q, p, n);
	return q;
}

/* Pack samples[i] into a fresh exact-size heap block; *n gets its length. */
static uchar *
packed(int i, uint *n)
{
	uint size = fcall_size(&samples[i]);
	uchar *b = malloc(size ? size : 1);

	*n = fcall_pack(&samples[i], b, size);
	return b;
}

/*
 * Unpack a heap copy of exactly n bytes of p.  f points into the copy, so
 * it lives until the next call.
 */
static int
unpackn(const uchar *p, uint n, Fcall *f)
{
	static uchar *copy;

	free(copy);
	copy = dupn(p, n);
	return fcall_unpack(copy, n, f);
}

static int
streq(Fstr a, const char *b)
{
	return a.len == strlen(b) && memcmp(a.s, b, a.len) == 0;
}

static void
test_types(void)
{
	int seen[256] = {0};

	mksamples();
	CHECK(nstatbuf == STATFIXLEN + 3 + 6 + 3);
	for (int i = 0; i < nsamples; i++)
		seen[samples[i].type] = 1;
	for (int t = Tversion; t <= Rwstat; t++)
		if (t != Terror)
			CHECK(seen[t] && fcall_typename(t) != NULL);
	CHECK(fcall_typename(99) == NULL && fcall_typename(128) == NULL);
	CHECK(fcall_errstr(-FcallEWalk) == fcall_errstr(FcallEWalk));
	CHECK(fcall_errstr(1000) != NULL && fcall_errstr(-1000) != NULL);
}

/* Every sample packs, unpacks to the same message and repacks to the same bytes. */
static void
test_roundtrip(void)
{
	mksamples();
	for (int i = 0; i < nsamples; i++) {
		uint n, n2;
		uchar *b = packed(i, &n), *b2;
		Fcall f;

		CHECKMSG(n >= 7 && n == fcall_size(&samples[i]), i);
		CHECKMSG((uint)(b[0] | b[1] << 8 | b[2] << 16 | (uint)b[3] << 24) == n, i);
		CHECKMSG(b[4] == samples[i].type, i);
		CHECKMSG((b[5] | b[6] << 8) == samples[i].tag, i);
		CHECKMSG(unpackn(b, n, &f) == (int)n, i);
		CHECKMSG(f.type == samples[i].type && f.tag == samples[i].tag, i);
		b2 = malloc(n);
		n2 = fcall_pack(&f, b2, n);
		CHECKMSG(n2 == n && memcmp(b, b2, n) == 0, i);
		free(b);
		free(b2);
	}
}

/* Spot checks of decoded fields and of a few exact encodings from intro(5). */
static void
test_fields(void)
{
	uchar b[512];
	Fcall f, g;
	Dir9 d;
	int n;

	mksamples();
	memset(&f, 0, sizeof f);
	f.type = Tversion, f.tag = NOTAG, f.msize = 8192, f.version = fstr("9P2000");
	CHECK(fcall_pack(&f, b, sizeof b) == 19);
	CHECK(memcmp(b, "\x13\0\0\0\x64\xff\xff\0\x20\0\0\x06\0" "9P2000", 19) == 0);
	CHECK(fcall_unpack(b, 19, &g) == 19);
	CHECK(g.msize == 8192 && streq(g.version, "9P2000") && g.version.s == (char *)b + 13);

	n = fcall_pack(&samples[first(Twalk) + 1], b, sizeof b); /* full Twalk */
	CHECK(n > 0 && fcall_unpack(b, n, &g) == n);
	CHECK(g.fid == 0 && g.newfid == 1 && g.nwname == MAXWELEM);
	CHECK(streq(g.wname[0], "a") && streq(g.wname[2], "ccc") && streq(g.wname[3], ""));
	CHECK(streq(g.wname[15], "p"));

	n = fcall_pack(&samples[first(Rwalk)], b, sizeof b); /* full Rwalk */
	CHECK(n == 7 + 2 + MAXWELEM * QIDSZ && fcall_unpack(b, n, &g) == n);
	CHECK(g.nwqid == MAXWELEM && g.wqid[15].path == 15000 && g.wqid[15].vers == 15);
	CHECK(g.wqid[15].type == QTDIR && g.wqid[14].type == QTFILE);

	n = fcall_pack(&samples[first(Rread)], b, sizeof b); /* Rread */
	CHECK(n == 7 + 4 + (int)sizeof payload && fcall_unpack(b, n, &g) == n);
	CHECK(g.count == sizeof payload && g.data == b + 11);
	CHECK(memcmp(g.data, payload, sizeof payload) == 0);

	n = fcall_pack(&samples[first(Tread)], b, sizeof b); /* Tread */
	CHECK(n == 23 && fcall_unpack(b, n, &g) == n);
	CHECK(g.fid == 1 && g.offset == 1ull << 40 && g.count == 8192);

	n = fcall_pack(&samples[first(Rattach)], b, sizeof b); /* Rattach */
	CHECK(n == 7 + QIDSZ && fcall_unpack(b, n, &g) == n);
	CHECK(g.qid.path == ~0ull && g.qid.vers == ~0u && g.qid.type == QTDIR);

	n = fcall_pack(&samples[first(Twstat)], b, sizeof b); /* Twstat */
	CHECK(n == 7 + 4 + 2 + (int)nstatbuf && fcall_unpack(b, n, &g) == n);
	CHECK(g.fid == 3 && g.nstat == nstatbuf && g.stat == b + 13);
	CHECK(dir_unpack(g.stat, g.nstat, &d) == (int)nstatbuf);
	CHECK(streq(d.name, "usr") && streq(d.uid, "glenda") && streq(d.muid, ""));
	CHECK(d.mode == (DMDIR | 0755) && d.qid.path == 0x0123456789abcdefull);
}

/* Packing into any smaller room fails and writes nothing past it. */
static void
test_packroom(void)
{
	mksamples();
	for (int i = 0; i < nsamples; i++) {
		uint size = fcall_size(&samples[i]);

		for (uint n = 0; n < size; n++) {
			uchar *b = malloc(n ? n : 1);

			CHECKMSG(fcall_pack(&samples[i], b, n) == 0, i);
			free(b);
		}
	}
}

/* What cannot go on the wire is refused by size and pack alike. */
static void
test_packbad(void)
{
	static char big[70000];
	uchar b[256];
	Fcall f;

	memset(&f, 0, sizeof f);
	f.type = Terror;
	CHECK(fcall_size(&f) == 0 && fcall_pack(&f, b, sizeof b) == 0);
	f.type = 200;
	CHECK(fcall_size(&f) == 0);
	f.type = Twalk, f.nwname = MAXWELEM + 1;
	CHECK(fcall_size(&f) == 0 && fcall_pack(&f, b, sizeof b) == 0);
	f.type = Rwalk, f.nwqid = MAXWELEM + 1;
	CHECK(fcall_size(&f) == 0);
	memset(big, 'x', sizeof big - 1);
	memset(&f, 0, sizeof f);
	f.type = Rerror, f.ename = fstr(big);
	CHECK(fcall_size(&f) == 0);
	f.ename.len = 0xffff;
	CHECK(fcall_size(&f) == 7 + 2 + 0xffff);
	f.ename = (Fstr){"a\0b", 3};
	CHECK(fcall_size(&f) == 0 && fcall_pack(&f, b, sizeof b) == 0);
	f.ename = (Fstr){NULL, 2};
	CHECK(fcall_size(&f) == 0);
	f.ename = fstr(NULL);
	CHECK(fcall_size(&f) == 9);
	memset(&f, 0, sizeof f);
	f.type = Rread, f.count = 5, f.data = NULL;
	CHECK(fcall_size(&f) == 0);
	f.type = Twrite, f.count = 0xfffffff0u, f.data = (const uchar *)big;
	CHECK(fcall_size(&f) == 0); /* over 4 GiB with the header */
	f.type = Rstat, f.nstat = 3, f.stat = (const uchar *)"\1\0\0";
	CHECK(fcall_size(&f) == 0); /* not a stat record */
	mksamples();
	f.nstat = nstatbuf - 1, f.stat = statbuf;
	CHECK(fcall_size(&f) == 0);
	f.nstat = 0, f.stat = NULL;
	CHECK(fcall_size(&f) == 0);
}

/* Every prefix of a valid message is refused, with or without its size fixed. */
static void
test_truncate(void)
{
	mksamples();
	for (int i = 0; i < nsamples; i++) {
		uint size;
		uchar *b = packed(i, &size);
		Fcall f;

		for (uint n = 0; n < size; n++) {
			CHECKMSG(unpackn(b, n, &f) < 0, i);
			if (n < 4)
				continue;
			b[0] = n, b[1] = n >> 8, b[2] = n >> 16, b[3] = n >> 24;
			CHECKMSG(unpackn(b, n, &f) < 0, i);
			b[0] = size, b[1] = size >> 8, b[2] = size >> 16, b[3] = size >> 24;
		}
		free(b);
	}
}

/* Build a raw message: hdr type tag then the bytes given; size is filled in. */
static uint
raw(uchar *b, int type, const char *body, uint nbody)
{
	uint n = 7 + nbody;

	b[0] = n, b[1] = n >> 8, b[2] = n >> 16, b[3] = n >> 24;
	b[4] = type, b[5] = 1, b[6] = 0;
	memcpy(b + 7, body, nbody);
	return n;
}

static void
test_malformed(void)
{
	uchar b[512], *p;
	uint n;
	Fcall f;

	/* header faults */
	n = raw(b, Rflush, "", 0);
	CHECK(unpackn(b, n, &f) == (int)n);
	b[0] = 6;
	CHECK(unpackn(b, n, &f) == -FcallESize);
	b[0] = 0;
	CHECK(unpackn(b, n, &f) == -FcallESize);
	b[0] = 8; /* more than the buffer */
	CHECK(unpackn(b, n, &f) == -FcallEShort);
	b[0] = 7, b[3] = 0x80;
	CHECK(unpackn(b, n, &f) == -FcallEShort);
	/* a message shorter than the buffer is fine: another may follow */
	n = raw(b, Rflush, "", 0);
	b[7] = 0x55;
	CHECK(unpackn(b, n + 1, &f) == (int)n);
	/* but fields must fill it exactly */
	n = raw(b, Rflush, "x", 1);
	CHECK(unpackn(b, n, &f) == -FcallESize);
	n = raw(b, Tclunk, "\1\0\0\0\0", 5);
	CHECK(unpackn(b, n, &f) == -FcallESize);
	/* unknown types */
	for (int t = 0; t < 256; t++) {
		n = raw(b, t, "", 0);
		if (t < Tversion || t > Rwstat || t == Terror)
			CHECK(unpackn(b, n, &f) == -FcallEType);
	}
	/* walks of 17 */
	n = raw(b, Twalk, "\0\0\0\0\1\0\0\0\x11\0", 10);
	for (int i = 0; i < 17; i++)
		b[n++] = 1, b[n++] = 0, b[n++] = 'a';
	b[0] = n;
	CHECK(unpackn(b, n, &f) == -FcallEWalk);
	b[15] = 0x10; /* 16 names, one left over */
	CHECK(unpackn(b, n, &f) == -FcallESize);
	n -= 3, b[0] = n;
	CHECK(unpackn(b, n, &f) == (int)n && f.nwname == 16);
	n = raw(b, Rwalk, "\x11\0", 2);
	memset(b + n, 0, 17 * QIDSZ), n += 17 * QIDSZ, b[0] = n, b[1] = n >> 8;
	CHECK(unpackn(b, n, &f) == -FcallEWalk);
	n = raw(b, Rwalk, "\xff\xff", 2);
	CHECK(unpackn(b, n, &f) == -FcallEWalk);
	/* strings: past the end, holding a NUL */
	n = raw(b, Rerror, "\5\0abcd", 6);
	CHECK(unpackn(b, n, &f) == -FcallEShort);
	n = raw(b, Rerror, "\xff\xff" "abcd", 6);
	CHECK(unpackn(b, n, &f) == -FcallEShort);
	n = raw(b, Rerror, "\4\0ab\0d", 6);
	CHECK(unpackn(b, n, &f) == -FcallEString);
	n = raw(b, Rerror, "\4\0abcd", 6);
	CHECK(unpackn(b, n, &f) == (int)n && streq(f.ename, "abcd"));
	n = raw(b, Tversion, "\0\x20\0\0\6\0" "9P2000", 12);
	CHECK(unpackn(b, n, &f) == (int)n);
	b[n - 1] = 0;
	CHECK(unpackn(b, n, &f) == -FcallEString);
	/* counts beyond the message */
	n = raw(b, Rread, "\4\0\0\0abc", 7);
	CHECK(unpackn(b, n, &f) == -FcallECount);
	n = raw(b, Rread, "\xff\xff\xff\xff" "abc", 7);
	CHECK(unpackn(b, n, &f) == -FcallECount);
	n = raw(b, Twrite, "\1\0\0\0" "\0\0\0\0\0\0\0\0" "\4\0\0\0abc", 19);
	CHECK(unpackn(b, n, &f) == -FcallECount);
	n = raw(b, Rread, "\3\0\0\0abc", 7);
	CHECK(unpackn(b, n, &f) == (int)n && f.count == 3 && memcmp(f.data, "abc", 3) == 0);
	/* stat records: nstat past the end, not a stat, inner size wrong */
	mksamples();
	n = raw(b, Rstat, "", 0);
	b[n++] = nstatbuf + 1, b[n++] = 0;
	memcpy(b + n, statbuf, nstatbuf), n += nstatbuf, b[0] = n;
	CHECK(unpackn(b, n, &f) == -FcallEShort);
	b[7] = nstatbuf - 1, b[0] = n - 1;
	CHECK(unpackn(b, n - 1, &f) == -FcallEStat);
	b[7] = nstatbuf, b[0] = n + 1, b[n] = 0;
	CHECK(unpackn(b, n + 1, &f) == -FcallESize);
	b[0] = n;
	CHECK(unpackn(b, n, &f) == (int)n && f.nstat == nstatbuf);
	p = b + 9; /* the record's own size: too big, too small */
	p[0]++;
	CHECK(unpackn(b, n, &f) == -FcallEStat);
	p[0] -= 2;
	CHECK(unpackn(b, n, &f) == -FcallEStat);
	p[0]++;
	p[2 + 39 + 2] = 0; /* a NUL in the name */
	CHECK(unpackn(b, n, &f) == -FcallEStat);
	n = raw(b, Twstat, "\3\0\0\0\0\0", 6);
	CHECK(unpackn(b, n, &f) == -FcallEStat);
}

static void
test_dir(void)
{
	Dir9 d = sampledir(), e;
	uchar b[256], *q;
	uint n = dir_pack(&d, b, sizeof b), m;

	CHECK(n == dir_size(&d) && n == STATFIXLEN + 12);
	CHECK(b[0] + (b[1] << 8) == (int)n - 2);
	CHECK(dir_unpack(b, n, &e) == (int)n);
	CHECK(e.type == 'M' && e.dev == 7 && e.qid.vers == 3 && e.qid.type == QTDIR);
	CHECK(e.atime == 1000 && e.mtime == 2000 && e.length == 0);
	CHECK(streq(e.name, "usr") && streq(e.gid, "sys") && e.name.s == (char *)b + 2 + 39 + 2);
	CHECK(dir_pack(&e, b + 100, n) == n && memcmp(b, b + 100, n) == 0);
	/* two records back to back, as a directory read returns them */
	CHECK(dir_pack(&d, b + n, sizeof b - n) == n);
	CHECK(dir_unpack(b, 2 * n, &e) == (int)n && dir_unpack(b + n, n, &e) == (int)n);
	for (m = 0; m < n; m++) {
		q = dupn(b, m);
		CHECK(dir_unpack(q, m, &e) < 0);
		if (m >= 2) {
			q[0] = m - 2, q[1] = 0;
			CHECK(dir_unpack(q, m, &e) < 0);
		}
		free(q);
		q = malloc(m ? m : 1);
		CHECK(dir_pack(&d, q, m) == 0);
		free(q);
	}
	d.name = (Fstr){"a\0", 2};
	CHECK(dir_size(&d) == 0 && dir_pack(&d, b, sizeof b) == 0);
	d.name = (Fstr){(char *)b, 0xffff}; /* record over 65535 bytes */
	CHECK(dir_size(&d) == 0);
	memset(&d, 0, sizeof d);
	CHECK(dir_pack(&d, b, sizeof b) == STATFIXLEN);
}

/* Messages back to back in a stream come apart at their size fields. */
static void
test_stream(void)
{
	uchar b[1024];
	uint off = 0, n;
	int i, r;
	Fcall f;

	mksamples();
	for (i = 0; i < nsamples && off < sizeof b; i++) {
		n = fcall_pack(&samples[i], b + off, sizeof b - off);
		if (n == 0)
			break;
		off += n;
	}
	CHECK(i > 10);
	n = off, off = 0;
	for (int j = 0; j < i; j++) {
		r = fcall_unpack(b + off, n - off, &f);
		CHECK(r > 0 && f.type == samples[j].type);
		off += r;
	}
	CHECK(off == n);
}

static void
test_fmt(void)
{
	char buf[512];
	Fmt fmt;

	mksamples();
	for (int i = 0; i < nsamples; i++) {
		fmtinit(&fmt, buf, sizeof buf - 1, NULL, NULL);
		fcall_fmt(&fmt, &samples[i]);
		*fmt.p = 0;
		CHECKMSG(strncmp(buf, fcall_typename(samples[i].type), 5) == 0, i);
	}
	fmtinit(&fmt, buf, sizeof buf - 1, NULL, NULL);
	fcall_fmt(&fmt, &samples[first(Twalk) + 1]);
	*fmt.p = 0;
	CHECK(strstr(buf, "Twalk tag 5 fid 0 newfid 1 nwname 16 0:a 1:bb 2:ccc 3: 4:e") == buf);
	fmtinit(&fmt, buf, sizeof buf - 1, NULL, NULL);
	fcall_fmt(&fmt, &samples[first(Rstat)]);
	*fmt.p = 0;
	CHECK(strstr(buf, "Rstat tag 14 stat 'usr' 'glenda' 'sys' ''") == buf);
	fmtinit(&fmt, buf, sizeof buf - 1, NULL, NULL);
	fcall_fmt(&fmt, &samples[first(Rerror)]);
	*fmt.p = 0;
	CHECK(strcmp(buf, "Rerror tag 3 ename 'file does not exist'") == 0);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint
rnd(uint n)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return n ? rng % n : 0;
}

/*
 * Random mutations of valid messages never crash, and whatever unpacks
 * repacks to exactly the bytes it came from (the size field included).
 */
static void
test_mutate(void)
{
	uchar m[600], out[600];
	Fcall f;
	int nok = 0;

	mksamples();
	for (int iter = 0; iter < 200000; iter++) {
		int i = rnd(nsamples);
		uint n = fcall_pack(&samples[i], m, sizeof m);
		int k = 1 + rnd(4), r;

		for (int j = 0; j < k; j++) {
			switch (rnd(4)) {
			case 0: m[rnd(n)] ^= 1 << rnd(8); break;
			case 1: m[rnd(n)] = rnd(256); break;
			case 2: if (n > 1) n -= 1 + rnd(n < 8 ? n - 1 : 8); break;
			case 3: if (n < sizeof m - 8) n += rnd(8); break;
			}
		}
		r = unpackn(m, n, &f);
		CHECK(r <= (int)n && r > -NFcallErr && r != 0);
		if (r < 0)
			continue;
		nok++;
		CHECK(fcall_pack(&f, out, sizeof out) == (uint)r && memcmp(out, m, r) == 0);
	}
	CHECK(nok > 1000);
}

/*
 * The short cut for small messages against the general walks: every
 * sample, and every mutation of one byte of each (value 0..255 at each
 * position, and the input cut at each length), packs and unpacks the
 * same either way.
 */
static void
test_small(void)
{
	mksamples();
	for (int i = 0; i < nsamples; i++) {
		uint n;
		uchar *b = packed(i, &n), bw[1024];
		int bad = fcall_packwalk(&samples[i], bw, sizeof bw) != n || memcmp(b, bw, n) != 0;

		for (uint at = 0; at < n && at < 32 && !bad; at++)
			for (int v = 0; v < 256 && !bad; v++) {
				uchar save = b[at];
				Fcall f, w;
				b[at] = (uchar)v;
				for (uint len = at; len <= n && !bad; len += n - at > 8 ? n - at : 1) {
					int r = fcall_unpack(b, len, &f), rw = fcall_unpackwalk(b, len, &w);
					uchar o1[64], o2[64];
					bad = r != rw;
					if (r > 0 && !bad)
						bad = f.type != w.type || f.tag != w.tag || f.fid != w.fid;
					if (r > 0 && !bad && (uint)r <= sizeof o1)
						bad = fcall_pack(&f, o1, sizeof o1) != (uint)r ||
						      fcall_packwalk(&w, o2, sizeof o2) != (uint)r ||
						      memcmp(o1, o2, r) != 0 || memcmp(o1, b, r) != 0;
				}
				b[at] = save;
			}
		free(b);
		CHECKMSG(!bad, i);
	}
}

int
main(void)
{
	static const HostTest tests[] = {
		{test_small, "9p_small"},
		{test_types, "9p_types"},         {test_roundtrip, "9p_roundtrip"},
		{test_fields, "9p_fields"},       {test_packroom, "9p_packroom"},
		{test_packbad, "9p_packbad"},     {test_truncate, "9p_truncate"},
		{test_malformed, "9p_malformed"}, {test_dir, "9p_dir"},
		{test_stream, "9p_stream"},       {test_fmt, "9p_fmt"},
		{test_mutate, "9p_mutate"},
	};

	return hosttest_run(tests, sizeof tests / sizeof tests[0]);
}
