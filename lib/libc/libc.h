/* SPDX-License-Identifier: MIT */
/*
 * The small C library of Musubi user programs: basic types, string and
 * memory functions (string.c), ctype (ctype.c), formatting (fmt.c, pure),
 * console printing and panic (print.c), malloc (malloc.c), path cleaning
 * (cleanname.c).  Regular expressions are in regexp.h.  System calls
 * are in lib/libmu/mu.h.  string.c and fmt.c also build into the kernel.
 */
#ifndef LIBC_H
#define LIBC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;
typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;
typedef long long vlong;
typedef unsigned long long uvlong;

#define nelem(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Host unit tests (test/host) link these sources into a normal hosted
 * program.  There the C library already owns the standard names, and the
 * sanitizers intercept them, so ours take a mu_ prefix instead.  Musubi
 * builds use the plain names: gcc itself emits calls to memcpy, memset,
 * memmove and memcmp.  Programs built with the POSIX shim (HOSTP9) link
 * string.c and ctype.c the same way.
 */
#if defined(HOSTTEST) || defined(HOSTP9)
#undef isdigit
#undef isxdigit
#undef isalpha
#undef isalnum
#undef isspace
#undef isupper
#undef islower
#undef isprint
#undef tolower
#undef toupper
#define memcpy mu_memcpy
#define memmove mu_memmove
#define memset mu_memset
#define memcmp mu_memcmp
#define strlen mu_strlen
#define strnlen mu_strnlen
#define strcmp mu_strcmp
#define strncmp mu_strncmp
#define strcpy mu_strcpy
#define strlcpy mu_strlcpy
#define strlcat mu_strlcat
#define strchr mu_strchr
#define strrchr mu_strrchr
#define strstr mu_strstr
#define strtoul mu_strtoul
#define strtol mu_strtol
#define atoi mu_atoi
#define isdigit mu_isdigit
#define isxdigit mu_isxdigit
#define isalpha mu_isalpha
#define isalnum mu_isalnum
#define isspace mu_isspace
#define isupper mu_isupper
#define islower mu_islower
#define isprint mu_isprint
#define tolower mu_tolower
#define toupper mu_toupper
#endif

/* string.c: pure, no state; the usual C meanings. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
/* Copy/append into dst of size n, always NUL-terminated when n > 0;
 * return the length of the string they tried to create (BSD). */
size_t strlcpy(char *dst, const char *src, size_t n);
size_t strlcat(char *dst, const char *src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
/* No errno: out-of-range values saturate (ULONG_MAX, LONG_MAX, LONG_MIN). */
unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
int atoi(const char *s);

/* ctype.c: ASCII only; arguments outside 0..127 are in no class. */
int isdigit(int c);
int isxdigit(int c);
int isalpha(int c);
int isalnum(int c);
int isspace(int c);
int isupper(int c);
int islower(int c);
int isprint(int c);
int tolower(int c);
int toupper(int c);

/*
 * fmt.c: printf-style formatting, pure (no system calls, no state).
 * Verbs %d %i %u %x %X %o %p %s %c %%; flags - 0 + space #; width and
 * precision (or *); length hh h l ll z j t.  No floating point.
 *
 * A Fmt is an output buffer; when it fills, flush (if set) is called to
 * write out buf..p and returns 0 to go on (the formatter then reuses the
 * buffer) or -1 to stop (the rest is dropped).  Without flush the output
 * is truncated at the end of the buffer.
 */
typedef struct Fmt Fmt;
struct Fmt {
	char *buf;             /* start of the buffer */
	char *p;               /* next free byte */
	char *end;             /* one past the last usable byte */
	int (*flush)(Fmt *f);  /* write out buf..p; may be NULL */
	void *farg;            /* for flush */
	size_t nout;           /* bytes flushed so far */
	bool stop;             /* output is being dropped */
};
/* Set f up on buf[0..n-1]; nothing is NUL-terminated. */
void fmtinit(Fmt *f, char *buf, size_t n, int (*flush)(Fmt *f), void *farg);
/* Format into f; return the number of bytes this call gave f. */
int fmtvprint(Fmt *f, const char *fmt, va_list ap);
int fmtprint(Fmt *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Format into buf of size n; always NUL-terminated when n > 0.  Returns the
 * number of bytes stored, excluding the NUL: unlike C's snprintf, a
 * truncated result returns the truncated length.
 */
int vsnprint(char *buf, size_t n, const char *fmt, va_list ap);
int snprint(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* print.c: to the kernel debug console; return the bytes written. */
int print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprint(const char *fmt, va_list ap);
/* Print "panic: msg" and end the whole task. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * malloc.c: thread-safe; blocks are 16-byte aligned.  Small blocks
 * (<= 2 KiB) are never returned to the system, only reused.
 * realloc(p, 0) frees p and returns NULL.
 */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t n);

/*
 * cleanname.c: pure.  Lexically clean a path name in place, as Plan 9's
 * cleanname: "//" -> "/", drop "." elements and "name/.." pairs, "/.." ->
 * "/", keep leading ".." of a relative name, no trailing "/" (but "/"),
 * empty -> ".".  Returns path.  isclean: path is rooted and cleanname
 * would not change it.
 */
char *cleanname(char *path);
bool isclean(const char *path);


/*
 * ---------------------------------------------------------------------
 * The Plan 9 program interface: what programs running under core (rc,
 * the commands in cmd/, servers) call.  The system calls are IPC calls
 * to core (lib/libc/sys.c; the protocol is abi/core/sys.h).  The
 * semantics are Plan 9's (see the Plan 9 manual, section 2); differences
 * are noted.  Every call that fails returns -1 (or NULL) and sets the
 * error string, read with errstr/rerrstr, set with werrstr.
 * ---------------------------------------------------------------------
 */

/* Qid types (the top byte of a mode). */
enum {
	QTDIR = 0x80,
	QTAPPEND = 0x40,
	QTEXCL = 0x20,
	QTMOUNT = 0x10,
	QTAUTH = 0x08,
	QTTMP = 0x04,
	QTFILE = 0x00,
};
/* Open modes (Topen/Tcreate and open/create). */
enum {
	OREAD = 0,
	OWRITE = 1,
	ORDWR = 2,
	OEXEC = 3,
	OTRUNC = 0x10,
	OCEXEC = 0x20,  /* close on exec */
	ORCLOSE = 0x40, /* remove on close */
	OEXCL = 0x1000, /* create: fail if the file exists */
};
/* Dir.mode bits besides the permissions 0777. */
#define DMDIR 0x80000000u
#define DMAPPEND 0x40000000u
#define DMEXCL 0x20000000u
#define DMMOUNT 0x10000000u
#define DMTMP 0x04000000u
#define DMREAD 0x4
#define DMWRITE 0x2
#define DMEXEC 0x1

typedef struct Qid {
	uvlong path;
	uint vers;
	uchar type;
} Qid;

/* A file's metadata, as dirstat returns it: one malloc'd block. */
typedef struct Dir {
	ushort type;   /* servant character ('M' for a mount) */
	uint dev;      /* servant instance */
	Qid qid;
	ulong mode;
	ulong atime;
	ulong mtime;
	vlong length;
	char *name;
	char *uid;
	char *gid;
	char *muid;
} Dir;

/* bind/mount flags. */
enum {
	MREPL = 0x0000,   /* replace the old file */
	MBEFORE = 0x0001, /* union: new before old */
	MAFTER = 0x0002,  /* union: new after old */
	MORDER = 0x0003,
	MCREATE = 0x0004, /* create in this member of a union */
	MCACHE = 0x0010,  /* accepted, ignored */
	MMASK = 0x0017,
};
/* rfork flags. */
enum {
	RFNAMEG = 1 << 0,   /* copy the namespace */
	RFENVG = 1 << 1,    /* copy the environment */
	RFFDG = 1 << 2,     /* copy the fd table */
	RFNOTEG = 1 << 3,   /* new note group */
	RFPROC = 1 << 4,    /* a new process */
	RFMEM = 1 << 5,     /* share memory: refused (no threads this way) */
	RFNOWAIT = 1 << 6,  /* the child is not waited for */
	RFCNAMEG = 1 << 10, /* a clean namespace (#c, #e, #| ... only) */
	RFCENVG = 1 << 11,  /* an empty environment */
	RFCFDG = 1 << 12,   /* an empty fd table */
	RFREND = 1 << 13,   /* accepted, ignored */
	RFNOMNT = 1 << 14,  /* no more mounts, and no #x names but #| #e #c #p #s */
};
/* seek whence. */
enum { SEEKSET = 0, SEEKCUR = 1, SEEKEND = 2 };

enum {
	ERRMAX = 128,    /* longest error string, NUL included */
	KNAMELEN = 28,
	NAMELEN = 256,   /* longest path element */
	IOUNIT = 8192,   /* most bytes one read or write moves */
	STATMAX = 65535,
};

/* What wait returns: malloc'd; free it. */
typedef struct Waitmsg {
	int pid;
	ulong time[3];  /* user, system, real milliseconds (user = system = 0 now) */
	char *msg;      /* exit status, "" for success */
} Waitmsg;

/*
 * Host builds: unit tests (HOSTTEST) see only the types above.  Programs
 * built for the host with the POSIX shim (HOSTP9, lib/libc/host/) see
 * everything, under p9_ names where POSIX has the same name (the list is
 * in lib/libc/host/p9names.h).
 */
#if !defined(HOSTTEST) || defined(HOSTP9)
#ifdef HOSTP9
#include "host/p9names.h"
#endif
/* Files and directories. */
int open(const char *name, int mode);
int create(const char *name, int mode, ulong perm);
long read(int fd, void *buf, long n);
long readn(int fd, void *buf, long n);  /* read until n or end of file */
long write(int fd, const void *buf, long n);
long pread(int fd, void *buf, long n, vlong off);
long pwrite(int fd, const void *buf, long n, vlong off);
vlong seek(int fd, vlong off, int whence);
int close(int fd);
int dup(int oldfd, int newfd);  /* newfd -1: the lowest free */
int pipe(int fd[2]);
int remove(const char *name);
int chdir(const char *dir);
int fd2path(int fd, char *buf, int n);
int access(const char *name, int mode);  /* mode: 0 exists, 4 read, 2 write, 1 exec (AEXIST...) */
enum { AEXIST = 0, AEXEC = 1, AWRITE = 2, AREAD = 4 };
/* Raw stat records (9P format). */
int stat(const char *name, uchar *buf, int n);
int fstat(int fd, uchar *buf, int n);
int wstat(const char *name, const uchar *buf, int n);
int fwstat(int fd, const uchar *buf, int n);
/* Dir helpers: the result is one malloc'd block; free() it. */
Dir *dirstat(const char *name);
Dir *dirfstat(int fd);
int dirwstat(const char *name, const Dir *d);
int dirfwstat(int fd, const Dir *d);
void nulldir(Dir *d);  /* "don't touch" values for dirwstat */
/* Read a whole directory (or one read's worth) into *d, an array of n
 * Dirs in one malloc'd block; returns n, 0 at end, -1 on error. */
long dirread(int fd, Dir **d);
long dirreadall(int fd, Dir **d);
/* Stat records <-> Dir. */
uint convD2M(const Dir *d, uchar *buf, uint n);  /* 0 if it does not fit (BIT16SZ) */
uint convM2D(const uchar *buf, uint n, Dir *d, char *strs);
uint sizeD2M(const Dir *d);
int statcheck(const uchar *buf, uint n);

/* Namespaces. */
int bind(const char *name, const char *old, int flag);
int mount(int fd, int afd, const char *old, int flag, const char *aname);
int unmount(const char *name, const char *old);  /* name NULL: everything on old */

/* Processes. */
int rfork(int flags);
int fork(void);  /* rfork(RFFDG|RFREND|RFPROC) */
int exec(const char *name, char *const argv[]);
int execl(const char *name, ...);
_Noreturn void exits(const char *status);  /* also in libmu: same function */
_Noreturn void _exits(const char *status);
Waitmsg *wait(void);
int waitpid(void);
int await(char *buf, int n);
int getpid(void);
int getppid(void);
int sleep(long ms);
long time(long *tp);      /* seconds since the epoch */
vlong nsec(void);         /* nanoseconds since the epoch */
/* Notes. */
int postnote(int group, int pid, const char *note);  /* group: PNPROC or PNGROUP */
enum { PNPROC = 1, PNGROUP = 2 };
/* A handler for notes: it is called with the note text; it returns
 * NCONT to resume, NDFLT to die as if it were not set.  Notes arrive
 * while the process waits in a system call (that call then fails with
 * "interrupted") or at its next system call. */
int notify(void (*fn)(void *ureg, char *note));
int noted(int v);
enum { NCONT = 0, NDFLT = 1, NSAVE = 2, NRSTR = 3 };
int atnotify(int (*fn)(void *ureg, char *note), int in);

/*
 * A 9P server's channel to core (abi/core/sys.h, "9P over IPC"): returns
 * the client-side fd (post it in /srv), the endpoint to receive
 * requests on and the shared slot region.
 */
int ipcsrv(long *ep, void **region);

/* Errors. */
int errstr(char *buf, uint n);  /* swap buf with the error string */
void rerrstr(char *buf, uint n);
void werrstr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Environment (/env). */
char *getenv(const char *name);  /* malloc'd, or NULL */
int putenv(const char *name, const char *val);

/* Formatted output to a file descriptor (print above goes to fd 1 in
 * programs under core; to the debug console elsewhere). */
int fprint(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprint(int fd, const char *fmt, va_list ap);
char *smprint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));  /* malloc'd */
char *vsmprint(const char *fmt, va_list ap);
void sysfatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
extern char *argv0;  /* set by ARGBEGIN */

/* Strings. */
char *strdup(const char *s);
int tokenize(char *s, char **args, int maxargs);
int getfields(char *s, char **args, int maxargs, int multiflag, const char *delims);
char *utfrune(const char *s, int c);  /* = strchr: ASCII only */
long strtoll(const char *s, char **end, int base);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* Time as text: the date command and ls -l. */
typedef struct Tm {
	int sec, min, hour, mday, mon, year, wday, yday;  /* year: since 1900, mon 0..11 */
	char zone[4];
} Tm;
Tm *gmtime(long t);
char *asctime(const Tm *tm);  /* "Sat Nov 21 12:00:00 GMT 2026\n", static buffer */
char *ctime(long t);

/*
 * Argument parsing, Plan 9 style:
 *	ARGBEGIN { case 'l': lflag++; break; case 'o': out = EARGF(usage()); break;
 *	default: usage(); } ARGEND
 * after which argc/argv hold the operands.
 */
#define ARGBEGIN                                                                  \
	for ((argv0 ? 0 : (argv0 = *argv)), argv++, argc--;                           \
	     argv[0] && argv[0][0] == '-' && argv[0][1]; argc--, argv++) {            \
		char *_args, *_argt;                                                  \
		char _argc;                                                           \
		_args = &argv[0][1];                                                  \
		if (_args[0] == '-' && _args[1] == 0) {                               \
			argc--;                                                       \
			argv++;                                                       \
			break;                                                        \
		}                                                                     \
		_argc = 0;                                                            \
		while (*_args && (_argc = *_args++))                                  \
			switch (_argc)
#define ARGEND                                                                    \
	(void)_argt;                                                              \
	(void)_argc;                                                              \
	}
#define ARGF() (_argt = _args, _args = "", (*_argt ? _argt : argv[1] ? (argc--, *++argv) : 0))
#define EARGF(x) (_argt = _args, _args = "", (*_argt ? _argt : argv[1] ? (argc--, *++argv) : ((x), abort(), (char *)0)))
#define ARGC() _argc
_Noreturn void abort(void);

/*
 * Buffered I/O (bio.c), as Plan 9's bio(2), on any file descriptor.
 */
enum { Bsize = 8192, Bungetsize = 4 };
typedef struct Biobuf {
	int fd;
	int mode;      /* OREAD or OWRITE */
	int icount;    /* read: -(bytes left); write: -(room left) */
	int eof;       /* 1: the last read met end of file; 2: that end was un-got */
	int flag;      /* Bmalloced: Bterm closes fd and frees */
	long rdline;   /* length of the last Brdline */
	vlong offset;  /* of the next byte in the file */
	uchar *bbuf, *ebuf, *gbuf;
	uchar b[Bungetsize + Bsize];
} Biobuf;
int Binit(Biobuf *bp, int fd, int mode);
Biobuf *Bopen(const char *name, int mode);
Biobuf *Bfdopen(int fd, int mode);
int Bterm(Biobuf *bp);   /* flush; close and free if Bopen'd or Bfdopen'd */
int Bflush(Biobuf *bp);
int Bgetc(Biobuf *bp);   /* -1 (Beof) at end */
int Bungetc(Biobuf *bp);
long Bread(Biobuf *bp, void *buf, long n);
long Bwrite(Biobuf *bp, const void *buf, long n);
int Bputc(Biobuf *bp, int c);
char *Brdline(Biobuf *bp, int delim);     /* not NUL-terminated; Blinelen */
char *Brdstr(Biobuf *bp, int delim, int nulldelim);  /* malloc'd */
int Blinelen(Biobuf *bp);
int Bprint(Biobuf *bp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int Bvprint(Biobuf *bp, const char *fmt, va_list ap);
vlong Bseek(Biobuf *bp, vlong off, int whence);
vlong Boffset(Biobuf *bp);
int Bfildes(Biobuf *bp);
enum { Beof = -1 };

#endif /* !HOSTTEST || HOSTP9 */

#endif
