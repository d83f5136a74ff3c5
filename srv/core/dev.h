/* SPDX-License-Identifier: MIT */
/*
 * The servant interface: what a file tree linked into core (a "#x"
 * servant, devXXX.c) implements, and the helpers it may use.  The same
 * interface is hosted outside core by lib/lib9p/devsrv.c, which turns 9P
 * requests into these calls; a servant that uses only this header (no
 * Proc, no core internals) can run either way.  ramfs does.
 *
 * Conventions:
 *   - Errors: a call fails by calling werrstr("...") and returning -1
 *     (NULL for attach).  The strings are Plan 9's where one exists
 *     (Enonexist "file does not exist", Eperm "permission denied" ...).
 *   - A Chan names one file of one servant: type (index in devtab), dev
 *     (instance), qid, and aux, the servant's own per-Chan pointer.
 *   - walk moves a Chan in place by one name; the caller has cloned it
 *     first (clone hook, if set, lets the servant take references on
 *     aux).  ".." at the root stays at the root.
 *   - open sets c->mode and c->flag |= COPEN and may change c->qid;
 *     create turns c (a directory) into the new file, opened.
 *   - close is called once for every Chan the servant has seen (from
 *     attach, clone or walk), opened or not; remove does not close.
 *   - read and write on a directory: read returns whole stat records
 *     (never split one); offsets on directories are the servant's own
 *     business (devdirread handles the common case).
 *   - A call may block (a pipe read).  Servants running in core block
 *     with rsleep (below), which returns -1 when the process is
 *     interrupted by a note: return -1 with werrstr("interrupted").
 */
#ifndef CORE_DEV_H
#define CORE_DEV_H

#include "libc.h"

typedef struct Chan Chan;
typedef struct Dev Dev;
typedef struct Dirtab Dirtab;
typedef struct Lock Lock;
typedef struct QLock QLock;
typedef struct Rendez Rendez;
typedef struct Mhead Mhead;

/* Chan.flag */
enum {
	COPEN = 0x0001,   /* open for I/O */
	CMSG = 0x0002,    /* a mount point's Chan (used internally by core) */
	CCEXEC = 0x0008,  /* close on exec */
	CRCLOSE = 0x0020, /* remove on close */
	CFREE = 0x0010,
};

struct Chan {
	long ref;          /* core's reference count (atomic) */
	ushort type;       /* index of the servant in devtab */
	uint dev;          /* servant instance */
	Qid qid;
	vlong offset;      /* for read/write without an offset */
	int mode;          /* open mode: OREAD... */
	int flag;          /* COPEN ... */
	void *aux;         /* the servant's */
	ulong auxn;        /* the servant's, a number */
	/* Core's own, servants leave alone: */
	char *path;        /* the name it was reached by (fd2path) */
	Mhead *umh;        /* union being read */
	Chan *umc;         /* member of the union being read */
	vlong uoff;        /* offset within umc */
	int uri;           /* index of umc in the union */
	Chan *mchan;       /* for 'M' Chans: the channel to the server */
	uint fid;          /* for 'M' Chans: the 9P fid */
	uint iounit;
	Chan *next;        /* free list */
};

struct Dev {
	int dc;            /* the letter after '#' */
	const char *name;
	void (*init)(void);
	Chan *(*attach)(const char *spec);
	void (*clone)(Chan *from, Chan *to);  /* may be NULL */
	int (*walk)(Chan *c, const char *name);
	int (*stat)(Chan *c, uchar *buf, int n);
	int (*open)(Chan *c, int mode);
	int (*create)(Chan *c, const char *name, int mode, ulong perm);
	void (*close)(Chan *c);
	long (*read)(Chan *c, void *buf, long n, vlong off);
	long (*write)(Chan *c, const void *buf, long n, vlong off);
	int (*remove)(Chan *c);
	int (*wstat)(Chan *c, const uchar *buf, int n);
};

/*
 * Static directory tables, for servants whose files are fixed: name,
 * qid, length, permissions.  A gen function yields entry i of the
 * directory c as a Dir (strings may point to static storage); it returns
 * 1 for an entry, 0 past the end, -1 to skip i.  devgen serves a Dirtab.
 */
struct Dirtab {
	const char *name;
	Qid qid;
	vlong length;
	ulong perm;
};
typedef int Devgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d);
int devgen(Chan *c, Dirtab *tab, int ntab, int i, Dir *d);
/* Fill d; name and owner strings are referenced, not copied.  d->type is
 * c->type, core's index: core puts the letter in the record (dirfix). */
void devdir(Chan *c, Qid qid, const char *name, vlong length, const char *user, ulong perm, Dir *d);
Qid mkqid(uvlong path, uint vers, int type);
/* Generic operations on a gen function; devdirread keeps its place in c->auxn
 * only when off is 0 or continues the previous read. */
Chan *devattach(int dc, const char *spec);  /* qid (0, 0, QTDIR) */
int devwalk(Chan *c, const char *name, Dirtab *tab, int ntab, Devgen *gen);
int devstat(Chan *c, uchar *buf, int n, Dirtab *tab, int ntab, Devgen *gen);
long devdirread(Chan *c, void *buf, long n, vlong off, Dirtab *tab, int ntab, Devgen *gen);
int devopen(Chan *c, int mode, Dirtab *tab, int ntab, Devgen *gen);  /* checks permissions */
/* Refusals, for the table entries a servant does not support. */
int devcreate(Chan *c, const char *name, int mode, ulong perm);  /* "permission denied" */
int devremove(Chan *c);
int devwstat(Chan *c, const uchar *buf, int n);
void devclose(Chan *c);  /* nothing */
/* Serve a string or buffer as a file's contents from offset off. */
long readstr(vlong off, void *buf, long n, const char *str);
long readbuf(vlong off, void *buf, long n, const void *data, long len);
/* A name a servant may create: not empty, ".", ".." or holding '/', under NAMELEN. */
int devokname(const char *name);
/* Check an open mode against perm for the user (everyone is "eve" today). */
int devpermcheck(ulong perm, int omode);
/* The owner every file has (there are no other users yet). */
extern const char *eve;

/* Errors servants use. */
extern const char Enonexist[], Eperm[], Eexist[], Enotdir[], Eisdir[], Ebadarg[],
	Einuse[], Enomem[], Eio[], Ebadfd[], Einterrupted[], Enotempty[], Eshort[];

/*
 * Locks and sleeping.  In core these block a clerk thread; in a
 * standalone server (one thread) they are trivial.
 *   Lock: a short spin lock (never held across a call that blocks).
 *   QLock: a sleeping lock.
 *   Rendez: one thread waits for a condition; rsleep(r, fn, arg) returns
 *   0 when fn(arg) is true (checked under r's lock, so no wakeup is lost),
 *   -1 if a note interrupted the wait.  rwakeup wakes the sleeper, if any.
 */
struct Lock {
	int val;
};
void lockwait(Lock *l);  /* the hosting's: lock when the first try failed */
static inline int
canlock(Lock *l)
{
	return __atomic_exchange_n(&l->val, 1, __ATOMIC_ACQUIRE) == 0;
}
static inline void
lock(Lock *l)
{
	if (!canlock(l))
		lockwait(l);
}
static inline void
unlock(Lock *l)
{
	__atomic_store_n(&l->val, 0, __ATOMIC_RELEASE);
}
/*
 * QLock.locked is 0 (free), 1 (held) or 2 (held, and threads may wait:
 * unlocking must look at the queue).  Taking a free lock and giving back
 * one nobody waits for are one compare-and-swap, inline; the rest, under
 * use, is the hosting's (qlockwait, qunlockwake).
 */
struct QLock {
	Lock use;
	int locked;
	void *head, *tail;  /* waiting threads */
};
void qlockwait(QLock *q);
void qunlockwake(QLock *q);
/* qlock if q is free: 1 if taken, 0 if someone holds it. */
static inline int
canqlock(QLock *q)
{
	int free = 0;

	return __atomic_compare_exchange_n(&q->locked, &free, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}
static inline void
qlock(QLock *q)
{
	if (!canqlock(q))
		qlockwait(q);
}
static inline void
qunlock(QLock *q)
{
	int held = 1;

	if (!__atomic_compare_exchange_n(&q->locked, &held, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		qunlockwake(q);
}
struct Rendez {
	Lock l;
	void *sleeper;      /* the waiting thread's wait record, or NULL */
};
int rsleep(Rendez *r, int (*fn)(void *), void *arg);
int rsleepms(Rendez *r, int (*fn)(void *), void *arg, long ms);  /* also returns 0 at timeout */
void rwakeup(Rendez *r);

/*
 * What core offers servants that live only in core (devcons and the
 * like); a servant that uses these cannot be hosted outside core.
 */
enum {
	HwIrqCtl,       /* IrqCtl handle (create Irq objects for ISA lines) */
	HwCom1,         /* IoPorts 0x3f8-0x3ff, the serial console */
	HwRtc,          /* IoPorts 0x70-0x71, the CMOS clock */
	NHw,
};
long hwhandle(int which);             /* the handle, or -1 if root gave none */
int curpid(void);                     /* pid of the process being served */
void postconsnote(const char *note);  /* to the console's note group (Ctrl-C) */
void procdump(void);                  /* print every process and what it waits for (Ctrl-T) */
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* devcons keeps it */
extern const char *sysname;
vlong bootepoch(void);                /* seconds since the epoch at boot (devcons, from the RTC) */
extern Dev *devtab[];                 /* the servants, ending with NULL (srv/core/devtab.c) */

#endif
