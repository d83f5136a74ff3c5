/* SPDX-License-Identifier: MIT */
/*
 * 9P2000 marshalling: Fcall messages and Dir9 stat records to and from
 * their wire form (intro(5)).  One description of each layout, fields(),
 * is walked by a cursor in three modes (sizing, packing, unpacking), so
 * the three can never disagree about a message.  Pure and freestanding;
 * the debug printer is in fcallfmt.c.
 */
#include "fcall.h"

enum { Sizing, Packing, Unpacking };

/*
 * Every step below is inlined into the walks (fcall_size, fcall_pack,
 * fcall_unpack, dir_*), each of which starts a cursor with a constant
 * mode: the compiler then drops the other modes' branches, so each walk
 * is straight code for its one job.
 *
 * A position in a message.  Sizing only counts (end is the 4-byte limit);
 * packing writes w and reads the Fcall; unpacking reads r and fills it.
 * The first fault sticks in err and makes every later step a no-op.
 */
typedef struct Cur {
	int mode;
	uchar *w;
	const uchar *r;
	uint off;
	uint end;
	int err;
} Cur;

static const char *errs[NFcallErr] = {
	[FcallOk] = "no error",
	[FcallEShort] = "9P field past the end of the message",
	[FcallESize] = "9P size field does not match the message",
	[FcallEType] = "unknown 9P message type",
	[FcallEWalk] = "too many walk elements",
	[FcallECount] = "9P data count beyond the message",
	[FcallEString] = "bad 9P string",
	[FcallEStat] = "malformed stat record",
	[FcallEBig] = "9P message too big",
};

static const char *names[] = {
	[Tversion - Tversion] = "Tversion", [Rversion - Tversion] = "Rversion",
	[Tauth - Tversion] = "Tauth",       [Rauth - Tversion] = "Rauth",
	[Tattach - Tversion] = "Tattach",   [Rattach - Tversion] = "Rattach",
	[Rerror - Tversion] = "Rerror",     [Tflush - Tversion] = "Tflush",
	[Rflush - Tversion] = "Rflush",     [Twalk - Tversion] = "Twalk",
	[Rwalk - Tversion] = "Rwalk",       [Topen - Tversion] = "Topen",
	[Ropen - Tversion] = "Ropen",       [Tcreate - Tversion] = "Tcreate",
	[Rcreate - Tversion] = "Rcreate",   [Tread - Tversion] = "Tread",
	[Rread - Tversion] = "Rread",       [Twrite - Tversion] = "Twrite",
	[Rwrite - Tversion] = "Rwrite",     [Tclunk - Tversion] = "Tclunk",
	[Rclunk - Tversion] = "Rclunk",     [Tremove - Tversion] = "Tremove",
	[Rremove - Tversion] = "Rremove",   [Tstat - Tversion] = "Tstat",
	[Rstat - Tversion] = "Rstat",       [Twstat - Tversion] = "Twstat",
	[Rwstat - Tversion] = "Rwstat",
};

const char *
fcall_errstr(int e)
{
	if (e < 0)
		e = -e;
	if (e >= NFcallErr)
		return "unknown 9P error";
	return errs[e];
}

const char *
fcall_typename(int type)
{
	if (type < Tversion || type > Rwstat)
		return NULL;
	return names[type - Tversion];
}

Fstr
fstr(const char *s)
{
	Fstr f = {"", 0};

	if (s != NULL) {
		f.s = s;
		f.len = strlen(s);
	}
	return f;
}

static void
fail(Cur *c, int e)
{
	if (c->err == 0)
		c->err = e;
}

/* May k more bytes follow?  Sets err if not. */
static inline __attribute__((always_inline)) int
room(Cur *c, uint k)
{
	if (c->err)
		return 0;
	if (k > c->end - c->off) {
		fail(c, c->mode == Sizing ? FcallEBig : FcallEShort);
		return 0;
	}
	return 1;
}

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "num() copies integers as they lie in memory: 9P's byte order is little-endian"
#endif
/* A little-endian integer of k bytes. */
static inline __attribute__((always_inline)) void
num(Cur *c, uvlong *v, int k)
{
	uvlong x = 0;

	if (!room(c, k))
		return;
	/* k is a constant at every call: these are single moves */
	if (c->mode == Packing) {
		x = *v;
		__builtin_memcpy(c->w + c->off, &x, k);
	} else if (c->mode == Unpacking) {
		__builtin_memcpy(&x, c->r + c->off, k);
		*v = x;
	}
	c->off += k;
}

static inline __attribute__((always_inline)) void
u8(Cur *c, uchar *p)
{
	uvlong v = *p;

	num(c, &v, 1);
	*p = v;
}

static inline __attribute__((always_inline)) void
u16(Cur *c, ushort *p)
{
	uvlong v = *p;

	num(c, &v, 2);
	*p = v;
}

static inline __attribute__((always_inline)) void
u32(Cur *c, uint *p)
{
	uvlong v = *p;

	num(c, &v, 4);
	*p = v;
}

static inline __attribute__((always_inline)) void
u64(Cur *c, uvlong *p)
{
	num(c, p, 8);
}

static inline __attribute__((always_inline)) void
qid(Cur *c, Qid *q)
{
	u8(c, &q->type);
	u32(c, &q->vers);
	u64(c, &q->path);
}

static int
hasnul(const char *s, uint n)
{
	for (uint i = 0; i < n; i++)
		if (s[i] == 0)
			return 1;
	return 0;
}

/* len[2] then the bytes; NUL is illegal in every 9P string (intro(5)). */
static inline __attribute__((always_inline)) void
str(Cur *c, Fstr *s)
{
	ushort len = 0;
	const char *p;

	if (c->mode != Unpacking) {
		if (s->len > 0xffff || (s->len > 0 && s->s == NULL)) {
			fail(c, FcallEString);
			return;
		}
		len = s->len;
	}
	u16(c, &len);
	if (!room(c, len))
		return;
	p = c->mode == Unpacking ? (const char *)c->r + c->off : s->s;
	if (hasnul(p, len)) {
		fail(c, FcallEString);
		return;
	}
	if (c->mode == Packing && len > 0)
		memcpy(c->w + c->off, p, len);
	if (c->mode == Unpacking) {
		s->s = p;
		s->len = len;
	}
	c->off += len;
}

/* count bytes at *p, moved as they are. */
static inline __attribute__((always_inline)) void
bytes(Cur *c, uint count, const uchar **p, int e)
{
	if (c->err)
		return;
	if (c->mode == Unpacking && count > c->end - c->off) {
		fail(c, e);
		return;
	}
	if (c->mode != Unpacking && count > 0 && *p == NULL) {
		fail(c, e);
		return;
	}
	if (!room(c, count))
		return;
	if (c->mode == Packing && count > 0)
		memcpy(c->w + c->off, *p, count);
	if (c->mode == Unpacking)
		*p = c->r + c->off;
	c->off += count;
}

/* count[4] data[count]: Rread, Twrite. */
static inline __attribute__((always_inline)) void
data(Cur *c, uint *count, const uchar **p)
{
	u32(c, count);
	bytes(c, *count, p, FcallECount);
}

/* n[2] stat[n]: Rstat, Twstat.  The record must be exactly one good Dir9. */
static inline __attribute__((always_inline)) void
statfield(Cur *c, ushort *n, const uchar **p)
{
	Dir9 d;

	u16(c, n);
	bytes(c, *n, p, FcallEShort);
	if (c->err == 0 && dir_unpack(*p, *n, &d) != (int)*n)
		fail(c, FcallEStat);
}

/* Up to MAXWELEM names (Twalk) or qids (Rwalk), checked before any is read. */
static inline __attribute__((always_inline)) void
walkn(Cur *c, ushort *n)
{
	if (c->mode != Unpacking && *n > MAXWELEM)
		fail(c, FcallEWalk);
	u16(c, n);
	if (c->err == 0 && *n > MAXWELEM)
		fail(c, FcallEWalk);
}

/* Everything after type[1] tag[2], by type (intro(5) and the pages it lists). */
static inline __attribute__((always_inline)) void
fields(Cur *c, Fcall *f)
{
	switch (f->type) {
	case Tversion:
	case Rversion:
		u32(c, &f->msize);
		str(c, &f->version);
		break;
	case Tauth:
		u32(c, &f->afid);
		str(c, &f->uname);
		str(c, &f->aname);
		break;
	case Rauth:
		qid(c, &f->aqid);
		break;
	case Tattach:
		u32(c, &f->fid);
		u32(c, &f->afid);
		str(c, &f->uname);
		str(c, &f->aname);
		break;
	case Rattach:
		qid(c, &f->qid);
		break;
	case Rerror:
		str(c, &f->ename);
		break;
	case Tflush:
		u16(c, &f->oldtag);
		break;
	case Twalk:
		u32(c, &f->fid);
		u32(c, &f->newfid);
		walkn(c, &f->nwname);
		for (int i = 0; i < f->nwname && c->err == 0; i++)
			str(c, &f->wname[i]);
		break;
	case Rwalk:
		walkn(c, &f->nwqid);
		for (int i = 0; i < f->nwqid && c->err == 0; i++)
			qid(c, &f->wqid[i]);
		break;
	case Topen:
		u32(c, &f->fid);
		u8(c, &f->mode);
		break;
	case Ropen:
	case Rcreate:
		qid(c, &f->qid);
		u32(c, &f->iounit);
		break;
	case Tcreate:
		u32(c, &f->fid);
		str(c, &f->name);
		u32(c, &f->perm);
		u8(c, &f->mode);
		break;
	case Tread:
		u32(c, &f->fid);
		u64(c, &f->offset);
		u32(c, &f->count);
		break;
	case Rread:
		data(c, &f->count, &f->data);
		break;
	case Twrite:
		u32(c, &f->fid);
		u64(c, &f->offset);
		data(c, &f->count, &f->data);
		break;
	case Rwrite:
		u32(c, &f->count);
		break;
	case Tclunk:
	case Tremove:
	case Tstat:
		u32(c, &f->fid);
		break;
	case Rstat:
		statfield(c, &f->nstat, &f->stat);
		break;
	case Twstat:
		u32(c, &f->fid);
		statfield(c, &f->nstat, &f->stat);
		break;
	case Rflush:
	case Rclunk:
	case Rremove:
	case Rwstat:
		break;
	default: /* Terror too: it does not exist */
		fail(c, FcallEType);
	}
}

/*
 * The cursor only reads the Fcall when sizing or packing, so it is safe
 * to drop const for the one walker shared with unpacking.
 */
uint
fcall_size(const Fcall *f)
{
	Cur c = {.mode = Sizing, .off = 4, .end = 0xffffffffu};
	Fcall *m = (Fcall *)f;

	u8(&c, &m->type);
	u16(&c, &m->tag);
	fields(&c, m);
	return c.err ? 0 : c.off;
}

/* One walk: the size field is written last, once the length is known. */
uint
fcall_packwalk(const Fcall *f, uchar *buf, uint n)
{
	Fcall *m = (Fcall *)f;
	Cur c = {.mode = Packing, .w = buf, .off = 4, .end = n};
	uint size;

	if (n < 4)
		return 0;
	u8(&c, &m->type);
	u16(&c, &m->tag);
	fields(&c, m);
	if (c.err)
		return 0;
	size = c.off;
	__builtin_memcpy(buf, &size, 4);
	return size;
}

int
fcall_unpackwalk(const uchar *buf, uint n, Fcall *f)
{
	Cur c = {.mode = Unpacking, .r = buf, .end = n};
	uint size = 0;

	/* only the header: fields() sets every field of the message's type */
	f->type = 0;
	f->tag = 0;
	f->fid = 0;
	u32(&c, &size);
	if (c.err)
		return -c.err;
	if (size < 7)
		return -FcallESize;
	if (size > n)
		return -FcallEShort;
	c.end = size;
	u8(&c, &f->type);
	u16(&c, &f->tag);
	fields(&c, f);
	if (c.err || c.off != size) {
		f->type = 0; /* half decoded: let no one read its fields (fcall_fmt ...) */
		return c.err ? -c.err : -FcallESize;
	}
	return size;
}

/*
 * The small messages of a fixed layout, the commonest after reads (an
 * open is Twalk Topen, Tread, Tclunk): after the header only a fid, a
 * fid and a mode, or a qid and an iounit; and walks of one element.  fcall_pack and fcall_unpack
 * move these by hand and leave the rest to the walk above, which
 * describes them too and is the reference (test_9p and fuzz_9p check
 * that both give the same bytes and the same Fcall).
 */
enum { NotSmall, Hdr, Fid, FidMode, QidIounit };

static inline int
small(int type, uint *size)
{
	switch (type) {
	case Rflush: case Rclunk: case Rremove: case Rwstat:
		*size = 7;
		return Hdr;
	case Tclunk: case Tremove: case Tstat:
		*size = 11;
		return Fid;
	case Topen:
		*size = 12;
		return FidMode;
	case Ropen: case Rcreate:
		*size = 24;
		return QidIounit;
	}
	return NotSmall;
}

/* And the walks core sends, one name at a time: Twalk with one name, Rwalk with one qid. */
enum { Walk1 = 4 + 1 + 2 + 4 + 4 + 2 + 2, Rwalk1 = 4 + 1 + 2 + 2 + QIDSZ };

static inline void
packqid(uchar *p, const Qid *q)
{
	p[0] = q->type;
	__builtin_memcpy(p + 1, &q->vers, 4);
	__builtin_memcpy(p + 5, &q->path, 8);
}

static inline void
unpackqid(const uchar *p, Qid *q)
{
	q->type = p[0];
	__builtin_memcpy(&q->vers, p + 1, 4);
	__builtin_memcpy(&q->path, p + 5, 8);
}

static uint
packwalk1(const Fcall *f, uchar *buf, uint n)
{
	const Fstr *w = &f->wname[0];
	uint size = Walk1 + w->len;
	ushort one = 1;

	if (w->len > 0xffff || (w->len > 0 && w->s == NULL) || n < size || hasnul(w->s, w->len))
		return fcall_packwalk(f, buf, n); /* it finds what is wrong */
	__builtin_memcpy(buf, &size, 4);
	buf[4] = Twalk;
	__builtin_memcpy(buf + 5, &f->tag, 2);
	__builtin_memcpy(buf + 7, &f->fid, 4);
	__builtin_memcpy(buf + 11, &f->newfid, 4);
	__builtin_memcpy(buf + 15, &one, 2);
	__builtin_memcpy(buf + 17, &w->len, 2);
	memcpy(buf + Walk1, w->s, w->len);
	return size;
}

uint
fcall_pack(const Fcall *f, uchar *buf, uint n)
{
	uint size;
	int k = small(f->type, &size);

	if (k == NotSmall) {
		if (f->type == Twalk && f->nwname == 1)
			return packwalk1(f, buf, n);
		if (f->type == Rwalk && f->nwqid == 1 && n >= Rwalk1) {
			size = Rwalk1;
			__builtin_memcpy(buf, &size, 4);
			buf[4] = Rwalk;
			__builtin_memcpy(buf + 5, &f->tag, 2);
			buf[7] = 1;
			buf[8] = 0;
			packqid(buf + 9, &f->wqid[0]);
			return size;
		}
		return fcall_packwalk(f, buf, n);
	}
	if (n < size)
		return fcall_packwalk(f, buf, n);
	__builtin_memcpy(buf, &size, 4);
	buf[4] = f->type;
	__builtin_memcpy(buf + 5, &f->tag, 2);
	if (k == Fid || k == FidMode)
		__builtin_memcpy(buf + 7, &f->fid, 4);
	if (k == FidMode)
		buf[11] = f->mode;
	if (k == QidIounit) {
		packqid(buf + 7, &f->qid);
		__builtin_memcpy(buf + 20, &f->iounit, 4);
	}
	return size;
}

/* A Twalk of one name or an Rwalk of one qid in buf (size bytes, n >= size >= 7): 1 if so. */
static int
unpackwalk1(const uchar *buf, uint size, Fcall *f)
{
	ushort nw, len;

	if (buf[4] == Rwalk) {
		if (size != Rwalk1 || buf[7] != 1 || buf[8] != 0)
			return 0;
		f->nwqid = 1;
		unpackqid(buf + 9, &f->wqid[0]);
	} else {
		if (size < Walk1)
			return 0;
		__builtin_memcpy(&nw, buf + 15, 2);
		__builtin_memcpy(&len, buf + 17, 2);
		if (nw != 1 || size != (uint)Walk1 + len || hasnul((const char *)buf + Walk1, len))
			return 0;
		__builtin_memcpy(&f->fid, buf + 7, 4);
		__builtin_memcpy(&f->newfid, buf + 11, 4);
		f->nwname = 1;
		f->wname[0].s = (const char *)buf + Walk1;
		f->wname[0].len = len;
	}
	f->type = buf[4];
	__builtin_memcpy(&f->tag, buf + 5, 2);
	return 1;
}

int
fcall_unpack(const uchar *buf, uint n, Fcall *f)
{
	uint size, want;
	int k;

	if (n < 7)
		return fcall_unpackwalk(buf, n, f);
	__builtin_memcpy(&size, buf, 4);
	k = small(buf[4], &want);
	if (k == NotSmall && (buf[4] == Twalk || buf[4] == Rwalk) && size >= 7 && size <= n) {
		f->fid = 0;
		if (unpackwalk1(buf, size, f))
			return size;
	}
	if (k == NotSmall || size != want || size > n)
		return fcall_unpackwalk(buf, n, f); /* it finds what is wrong */
	f->type = buf[4];
	__builtin_memcpy(&f->tag, buf + 5, 2);
	f->fid = 0;
	if (k == Fid || k == FidMode)
		__builtin_memcpy(&f->fid, buf + 7, 4);
	if (k == FidMode)
		f->mode = buf[11];
	if (k == QidIounit) {
		unpackqid(buf + 7, &f->qid);
		__builtin_memcpy(&f->iounit, buf + 20, 4);
	}
	return size;
}

/* Stat records: size[2] then these (stat(5)). */
static inline __attribute__((always_inline)) void
dirfields(Cur *c, Dir9 *d)
{
	u16(c, &d->type);
	u32(c, &d->dev);
	qid(c, &d->qid);
	u32(c, &d->mode);
	u32(c, &d->atime);
	u32(c, &d->mtime);
	u64(c, &d->length);
	str(c, &d->name);
	str(c, &d->uid);
	str(c, &d->gid);
	str(c, &d->muid);
}

uint
dir_size(const Dir9 *d)
{
	Cur c = {.mode = Sizing, .off = 2, .end = 0xffff + 2};

	dirfields(&c, (Dir9 *)d);
	return c.err ? 0 : c.off;
}

uint
dir_pack(const Dir9 *d, uchar *buf, uint n)
{
	uint size = dir_size(d);
	ushort inner = size - 2;
	Cur c = {.mode = Packing, .w = buf, .end = size};

	if (size == 0 || size > n)
		return 0;
	u16(&c, &inner);
	dirfields(&c, (Dir9 *)d);
	return c.err == 0 && c.off == size ? size : 0;
}

int
dir_unpack(const uchar *buf, uint n, Dir9 *d)
{
	Cur c = {.mode = Unpacking, .r = buf, .end = n};
	ushort inner = 0;
	uint size;

	memset(d, 0, sizeof *d);
	u16(&c, &inner);
	if (c.err)
		return -c.err;
	size = inner + 2u;
	if (size > n)
		return -FcallEShort;
	c.end = size;
	dirfields(&c, d);
	if (c.err)
		return -c.err;
	if (c.off != size)
		return -FcallESize;
	return size;
}
