/* SPDX-License-Identifier: MIT */
/*
 * 9P2000 messages: the Fcall and Dir9 structures and their conversion to
 * and from the wire format (fcall.c), plus a debug printer (fcallfmt.c).
 * Pure and freestanding: no allocation, no system calls, no state, so
 * core, servers and host tests all link the same code.  The server
 * framework (requests, fids, respond) lives elsewhere in lib9p.
 * doc/9p.md describes the wire format and this interface.
 */
#ifndef LIB9P_FCALL_H
#define LIB9P_FCALL_H

#include "libc.h"

/* Plan 9 names; C11 allows repeating a typedef of the same type. */

enum {
	MAXWELEM = 16,       /* most names in a Twalk, qids in an Rwalk */
	IOHDRSZ = 24,        /* Twrite/Rread header: what msize holds besides data */
	STATFIXLEN = 49,     /* a stat record with four empty strings */
	NOTAG = 0xffff,      /* the tag of Tversion */
	NOFID = 0xffffffffu, /* afid of an unauthenticated Tattach */
	QIDSZ = 13,          /* type[1] vers[4] path[8] */
};

/* Message types, with the numbers of the Plan 9 fcall.h. */
enum {
	Tversion = 100,
	Rversion,
	Tauth = 102,
	Rauth,
	Tattach = 104,
	Rattach,
	Terror = 106, /* illegal: never sent, rejected */
	Rerror,
	Tflush = 108,
	Rflush,
	Twalk = 110,
	Rwalk,
	Topen = 112,
	Ropen,
	Tcreate = 114,
	Rcreate,
	Tread = 116,
	Rread,
	Twrite = 118,
	Rwrite,
	Tclunk = 120,
	Rclunk,
	Tremove = 122,
	Rremove,
	Tstat = 124,
	Rstat,
	Twstat = 126,
	Rwstat,
};


/*
 * fcall_unpack and dir_unpack return one of these, negated; fcall_pack,
 * fcall_size, dir_pack and dir_size refuse the same faults by returning 0.
 */
enum {
	FcallOk,
	FcallEShort,  /* a field runs past the end of the buffer or message */
	FcallESize,   /* size field below the header, or not what the fields fill */
	FcallEType,   /* unknown message type */
	FcallEWalk,   /* more than MAXWELEM names or qids */
	FcallECount,  /* data count beyond the message */
	FcallEString, /* string holds a NUL, is longer than 65535, or is missing */
	FcallEStat,   /* the stat record inside Rstat/Twstat is malformed */
	FcallEBig,    /* the message would not fit its 4-byte size field */
	NFcallErr,
};

/*
 * A 9P string: len bytes at s, no NUL inside and none required after.
 * Unpacked strings point into the message buffer, which is const, so they
 * cannot be NUL-terminated in place as Plan 9's convM2S does; print them
 * with "%.*s" or copy them out.  fstr makes one from a C string.
 */
typedef struct Fstr {
	const char *s;
	uint len;
} Fstr;


/*
 * One message.  type, tag and (in T-messages that name a file) fid are
 * common; the rest overlap, each group used by the types named beside it.
 */
typedef struct Fcall {
	uchar type;
	ushort tag;
	uint fid;
	union {
		struct { /* Tversion, Rversion */
			uint msize;
			Fstr version;
		};
		struct { /* Tflush */
			ushort oldtag;
		};
		struct { /* Rerror */
			Fstr ename;
		};
		struct { /* Rattach, Ropen, Rcreate (iounit: the last two) */
			Qid qid;
			uint iounit;
		};
		struct { /* Rauth */
			Qid aqid;
		};
		struct { /* Tauth, Tattach */
			uint afid;
			Fstr uname;
			Fstr aname;
		};
		struct { /* Tcreate (all), Topen (mode) */
			uint perm;
			Fstr name;
			uchar mode;
		};
		struct { /* Twalk */
			uint newfid;
			ushort nwname;
			Fstr wname[MAXWELEM];
		};
		struct { /* Rwalk */
			ushort nwqid;
			Qid wqid[MAXWELEM];
		};
		struct { /* Tread (offset, count), Rread, Twrite, Rwrite (count) */
			uvlong offset;
			uint count;
			const uchar *data;
		};
		struct { /* Rstat, Twstat: one packed stat record (dir_pack) */
			ushort nstat;
			const uchar *stat;
		};
	};
} Fcall;

/* A stat record, as read by Tstat and directory reads, written by Twstat. */
typedef struct Dir9 {
	ushort type; /* for kernel use */
	uint dev;    /* for kernel use */
	Qid qid;
	uint mode; /* permissions, DMDIR etc. */
	uint atime;
	uint mtime;
	uvlong length;
	Fstr name;
	Fstr uid;
	Fstr gid;
	Fstr muid; /* last modifier */
} Dir9;

/* A 9P string for the C string s (NULL gives the empty string). */
Fstr fstr(const char *s);

/*
 * The bytes f takes on the wire, or 0 if it cannot be packed (unknown
 * type, too many walk elements, a bad string or stat, over 4 GiB).
 */
uint fcall_size(const Fcall *f);
/*
 * Write f into buf[0..n-1]; return the bytes written, or 0 if f cannot be
 * packed or does not fit (buf's contents are then undefined).  Only the
 * fields of f's type are read.
 */
uint fcall_pack(const Fcall *f, uchar *buf, uint n);
/*
 * Read the message at the start of buf[0..n-1] into f; return the bytes
 * it takes (its size field: more messages may follow) or -FcallEx.  Every
 * malformed message is refused; strings, data and stat point into buf,
 * which must outlive f.  Only the header and the fields of the message's
 * type are set; the rest of f is left as it was.  On error f's type is 0
 * and it holds nothing of use.
 */
int fcall_unpack(const uchar *buf, uint n, Fcall *f);
/*
 * The same two by the general walk alone.  fcall_pack and fcall_unpack
 * take a short cut for the small fixed-layout messages (Topen, Tclunk,
 * Ropen ...); these are the reference the tests compare it with.
 */
uint fcall_packwalk(const Fcall *f, uchar *buf, uint n);
int fcall_unpackwalk(const uchar *buf, uint n, Fcall *f);

/* Likewise for stat records, with their own 2-byte size prefix. */
uint dir_size(const Dir9 *d);
uint dir_pack(const Dir9 *d, uchar *buf, uint n);
int dir_unpack(const uchar *buf, uint n, Dir9 *d);

/* The text of an error number (either sign); never NULL. */
const char *fcall_errstr(int e);
/* The name of a message type ("Twalk"), or NULL if unknown. */
const char *fcall_typename(int type);

/*
 * fcallfmt.c: print f, or d, on one line for debugging, in the style of
 * Plan 9's fcallfmt ("Twalk tag 3 fid 1 newfid 2 nwname 1 0:usr").
 * Return the bytes given to fmt.
 */
int fcall_fmt(Fmt *fmt, const Fcall *f);
int dir_fmt(Fmt *fmt, const Dir9 *d);

/*
 * The read fast path: Tread and the Rread header have a fixed layout, so
 * the hot path of every file read (core's mount driver, lib9p's server)
 * writes and checks them with a few moves instead of the general walk.
 * The results are exactly fcall_pack's and fcall_unpack's.
 */
enum {
	TREADSZ = 4 + 1 + 2 + 4 + 8 + 4,  /* size type tag fid offset count */
	RREADHDR = 4 + 1 + 2 + 4,         /* size type tag count, then the data */
};
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the read fast path copies integers as they lie in memory"
#endif
/* Write a Tread into buf (TREADSZ bytes). */
static inline void
fcall_packtread(uchar *buf, ushort tag, uint fid, uvlong offset, uint count)
{
	uint size = TREADSZ;

	__builtin_memcpy(buf, &size, 4);
	buf[4] = Tread;
	__builtin_memcpy(buf + 5, &tag, 2);
	__builtin_memcpy(buf + 7, &fid, 4);
	__builtin_memcpy(buf + 11, &offset, 8);
	__builtin_memcpy(buf + 19, &count, 4);
}
/* If buf[0..n-1] is exactly one Tread, set f's type, tag, fid, offset and
 * count (nothing else) and return 1; otherwise 0. */
static inline int
fcall_unpacktread(const uchar *buf, uint n, Fcall *f)
{
	uint size;

	if (n != TREADSZ || buf[4] != Tread)
		return 0;
	__builtin_memcpy(&size, buf, 4);
	if (size != TREADSZ)
		return 0;
	f->type = Tread;
	__builtin_memcpy(&f->tag, buf + 5, 2);
	__builtin_memcpy(&f->fid, buf + 7, 4);
	__builtin_memcpy(&f->offset, buf + 11, 8);
	__builtin_memcpy(&f->count, buf + 19, 4);
	return 1;
}
/* If buf[0..n-1] is exactly one Rread with this tag and at most max bytes
 * of data, return its count (the data follow RREADHDR); otherwise -1. */
static inline long
fcall_rreadcount(const uchar *buf, uint n, ushort tag, uint max)
{
	uint size, count;
	ushort t;

	if (n < RREADHDR || buf[4] != Rread)
		return -1;
	__builtin_memcpy(&size, buf, 4);
	__builtin_memcpy(&t, buf + 5, 2);
	__builtin_memcpy(&count, buf + 7, 4);
	if (size != n || t != tag || count > max || count != n - RREADHDR)
		return -1;
	return count;
}

#endif
