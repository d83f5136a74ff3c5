/* SPDX-License-Identifier: MIT */
/*
 * Stat records, the 9P form of a Dir (stat(5)), and the Dir helpers on
 * top of the stat system calls:
 *
 *	size[2] type[2] dev[4] qid.type[1] qid.vers[4] qid.path[8] mode[4]
 *	atime[4] mtime[4] length[8] name[s] uid[s] gid[s] muid[s]
 *
 * little-endian, each string s a count[2] and that many bytes, no NUL;
 * size counts the bytes after itself.  lib/lib9p has its own copy for
 * servers (Dir9); this one is for programs.
 */
#include "libc.h"

enum {
	BIT16SZ = 2,
	STATFIXLEN = 2 + 2 + 4 + 13 + 4 + 4 + 4 + 8 + 4 * 2,
	DIRSIZE = 256, /* a first guess at a stat record's size */
};

static uchar *
put16(uchar *p, uint v)
{
	p[0] = v;
	p[1] = v >> 8;
	return p + 2;
}

static uchar *
put32(uchar *p, uint v)
{
	p = put16(p, v);
	return put16(p, v >> 16);
}

static uchar *
put64(uchar *p, uvlong v)
{
	p = put32(p, v);
	return put32(p, v >> 32);
}

static uint
get16(const uchar *p)
{
	return p[0] | p[1] << 8;
}

static uint
get32(const uchar *p)
{
	return get16(p) | (uint)get16(p + 2) << 16;
}

static uvlong
get64(const uchar *p)
{
	return get32(p) | (uvlong)get32(p + 4) << 32;
}

static size_t
slen(const char *s)
{
	return s ? strlen(s) : 0;
}

/* The bytes convD2M needs for d, size field included. */
uint
sizeD2M(const Dir *d)
{
	return STATFIXLEN + slen(d->name) + slen(d->uid) + slen(d->gid) + slen(d->muid);
}

static uchar *
putstr(uchar *p, const char *s)
{
	size_t n = slen(s);

	p = put16(p, n);
	if (n > 0)
		memmove(p, s, n);
	return p + n;
}

/*
 * Pack d into buf[0..n-1].  Returns the record's length; BIT16SZ (with
 * the size field set, so the caller knows how much to offer) when n is
 * too small; 0 when n < BIT16SZ or a string is longer than 9P allows.
 */
uint
convD2M(const Dir *d, uchar *buf, uint n)
{
	uint ss = sizeD2M(d);
	uchar *p = buf;

	if (n < BIT16SZ || ss - BIT16SZ > 0xFFFF)
		return 0;
	if (slen(d->name) > 0xFFFF || slen(d->uid) > 0xFFFF || slen(d->gid) > 0xFFFF ||
	    slen(d->muid) > 0xFFFF)
		return 0;
	p = put16(p, ss - BIT16SZ);
	if (ss > n)
		return BIT16SZ;
	p = put16(p, d->type);
	p = put32(p, d->dev);
	*p++ = d->qid.type;
	p = put32(p, d->qid.vers);
	p = put64(p, d->qid.path);
	p = put32(p, d->mode);
	p = put32(p, d->atime);
	p = put32(p, d->mtime);
	p = put64(p, d->length);
	p = putstr(p, d->name);
	p = putstr(p, d->uid);
	p = putstr(p, d->gid);
	p = putstr(p, d->muid);
	return p - buf;
}

/* 0 if buf[0..n-1] is exactly one well-formed stat record, else -1. */
int
statcheck(const uchar *buf, uint n)
{
	const uchar *p, *e = buf + n;

	if (n < STATFIXLEN || get16(buf) != n - BIT16SZ)
		return -1;
	p = buf + STATFIXLEN - 4 * BIT16SZ;
	for (int i = 0; i < 4; i++) {
		if (e - p < BIT16SZ)
			return -1;
		if ((uint)(e - p - BIT16SZ) < get16(p))
			return -1;
		p += BIT16SZ + get16(p);
	}
	return p == e ? 0 : -1;
}

static char nostr[1];

/*
 * Unpack the stat record buf[0..n-1] into d.  The strings are copied,
 * NUL-terminated, into strs, which needs n bytes; with strs NULL they
 * are all "".  Returns n, or 0 if the record is malformed.
 */
uint
convM2D(const uchar *buf, uint n, Dir *d, char *strs)
{
	const uchar *p = buf + BIT16SZ;
	char **sv[4] = {&d->name, &d->uid, &d->gid, &d->muid};

	if (statcheck(buf, n) < 0)
		return 0;
	d->type = get16(p);
	d->dev = get32(p + 2);
	d->qid.type = p[6];
	d->qid.vers = get32(p + 7);
	d->qid.path = get64(p + 11);
	d->mode = get32(p + 19);
	d->atime = get32(p + 23);
	d->mtime = get32(p + 27);
	d->length = get64(p + 31);
	p += 39;
	for (int i = 0; i < 4; i++) {
		uint ns = get16(p);

		p += BIT16SZ;
		if (strs == NULL)
			*sv[i] = nostr;
		else {
			memmove(strs, p, ns);
			strs[ns] = 0;
			*sv[i] = strs;
			strs += ns + 1;
		}
		p += ns;
	}
	return n;
}

/*
 * stat or fstat into one malloc'd block: the Dir, the raw record, then
 * its strings.  If the first guess at the size is too small, the short
 * answer says the real size and the call is made once more.
 */
static Dir *
dirstat1(const char *name, int fd)
{
	uint nd = DIRSIZE;
	Dir *d;
	uchar *buf;
	int n;

	for (int i = 0; i < 2; i++) {
		d = malloc(sizeof *d + 2 * nd);
		if (d == NULL) {
			werrstr("out of memory");
			return NULL;
		}
		buf = (uchar *)(d + 1);
		n = name ? stat(name, buf, nd) : fstat(fd, buf, nd);
		if (n < BIT16SZ) {
			free(d);
			return NULL;
		}
		if (get16(buf) + BIT16SZ <= (uint)n) {
			if (convM2D(buf, n, d, (char *)buf + nd) == 0) {
				free(d);
				werrstr("malformed stat record");
				return NULL;
			}
			return d;
		}
		nd = get16(buf) + BIT16SZ;
		free(d);
	}
	werrstr("stat record keeps growing");
	return NULL;
}

Dir *
dirstat(const char *name)
{
	return dirstat1(name, -1);
}

Dir *
dirfstat(int fd)
{
	return dirstat1(NULL, fd);
}

/* d as a malloc'd stat record, its length in *n; NULL if it cannot be. */
static uchar *
packdir(const Dir *d, uint *n)
{
	uchar *buf;

	*n = sizeD2M(d);
	buf = malloc(*n);
	if (buf == NULL) {
		werrstr("out of memory");
		return NULL;
	}
	if (convD2M(d, buf, *n) != *n) {
		free(buf);
		werrstr("bad arg in system call");
		return NULL;
	}
	return buf;
}

int
dirwstat(const char *name, const Dir *d)
{
	uchar *buf;
	uint n;
	int r;

	buf = packdir(d, &n);
	if (buf == NULL)
		return -1;
	r = wstat(name, buf, n);
	free(buf);
	return r;
}

int
dirfwstat(int fd, const Dir *d)
{
	uchar *buf;
	uint n;
	int r;

	buf = packdir(d, &n);
	if (buf == NULL)
		return -1;
	r = fwstat(fd, buf, n);
	free(buf);
	return r;
}

/* Every field "don't touch": ~0 numbers and empty strings. */
void
nulldir(Dir *d)
{
	memset(d, 0xff, sizeof *d);
	d->name = d->uid = d->gid = d->muid = nostr;
}

/*
 * Turn the ts bytes of stat records at buf into an array of Dirs in one
 * malloc'd block (the Dirs, then their strings) at *dp.  Returns the
 * count, or -1 if a record is malformed.
 */
static long
dirpack(const uchar *buf, long ts, Dir **dp)
{
	long i, n = 0;
	uint m;
	Dir *d;
	char *s;

	*dp = NULL;
	for (i = 0; i < ts; i += m) {
		if (ts - i < BIT16SZ)
			goto bad;
		m = get16(buf + i) + BIT16SZ;
		if (m > ts - i || statcheck(buf + i, m) < 0)
			goto bad;
		n++;
	}
	d = malloc(n * sizeof *d + ts + 1);
	if (d == NULL) {
		werrstr("out of memory");
		return -1;
	}
	s = (char *)(d + n);
	for (i = 0, n = 0; i < ts; i += m, n++) {
		m = get16(buf + i) + BIT16SZ;
		convM2D(buf + i, m, &d[n], s);
		s += m;
	}
	*dp = d;
	return n;
bad:
	werrstr("malformed directory entry");
	return -1;
}

/*
 * One read's worth of directory entries.  Returns the count (0 at the
 * end, with *d NULL) or -1; *d is one malloc'd block.
 */
long
dirread(int fd, Dir **d)
{
	uchar *buf;
	long ts;

	*d = NULL;
	buf = malloc(IOUNIT);
	if (buf == NULL) {
		werrstr("out of memory");
		return -1;
	}
	ts = read(fd, buf, IOUNIT);
	if (ts > 0)
		ts = dirpack(buf, ts, d);
	free(buf);
	return ts;
}

/* The rest of the directory: as dirread, all entries in one block. */
long
dirreadall(int fd, Dir **d)
{
	uchar *buf = NULL, *nbuf;
	long ts = 0, n, size = 0;

	*d = NULL;
	for (;;) {
		if (size - ts < IOUNIT) {
			size = size ? 2 * size : 2 * IOUNIT;
			nbuf = realloc(buf, size);
			if (nbuf == NULL) {
				free(buf);
				werrstr("out of memory");
				return -1;
			}
			buf = nbuf;
		}
		n = read(fd, buf + ts, IOUNIT);
		if (n < 0) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		ts += n;
	}
	n = ts > 0 ? dirpack(buf, ts, d) : 0;
	free(buf);
	return n;
}
