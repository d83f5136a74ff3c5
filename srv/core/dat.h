/* SPDX-License-Identifier: MIT */
/*
 * core's own data structures: processes and their groups (namespace,
 * file descriptors, environment), mount tables, clerks.  Servants see
 * only dev.h; this header is for the parts of core that implement the
 * system calls (proc.c, sysfile.c, chan.c, mount.c, devmnt.c ...).
 */
#ifndef CORE_DAT_H
#define CORE_DAT_H

#include "dev.h"
#include "mu.h"
#include "abi/core/sys.h"

typedef struct Proc Proc;
typedef struct Pgrp Pgrp;
typedef struct Fgrp Fgrp;
typedef struct Egrp Egrp;
typedef struct Evalue Evalue;
typedef struct Mount Mount;
typedef struct Clerk Clerk;
typedef struct Region Region;
typedef struct Waitq Waitq;
typedef struct Image Image;

enum {
	NPROC = 256,         /* most processes at once */
	NFD = 100,           /* file descriptors per process */
	MNTHASH = 32,
	NNOTE = 5,           /* pending notes per process */
	NCLERK = 64,         /* most clerk threads */
	NREGION = 48,        /* memory regions per process */
	ProcStackTop = 0x7fff00000000ul,
	ProcStackPages = 64, /* 256 KiB at most: ProcStackInit pages at exec, */
	ProcStackInit = 8,   /* the rest ProcStackGrow pages at a time as the */
	ProcStackGrow = 8,   /* program faults below it (growstack in proc.c) */
	ProcIpcVa = 0x7fff00000000ul,  /* the program thread's IPC buffer page */
	ProcHeapBase = 0x100000000ul,  /* SysBrk hands out pages from here */
	ProcPrio = 10,
	/* core's own address space */
	CoreProcBufVa = 0x500000000000ul,  /* each process's system-call buffer: slot * 64 KiB */
	CoreScratchVa = 0x510000000000ul,  /* per clerk: 1 GiB windows for copying pages */
	CoreScratchSize = 1ul << 30,
	CoreIpcRegionVa = 0x520000000000ul, /* 9P-over-IPC slot regions: 1 MiB each */
	CoreBootfsVa = 0x530000000000ul,
};

/* A mount point: from is the file covered; the Mounts are the members, in order. */
struct Mhead {
	long ref;
	Chan *from;
	Mount *mount;
	Mhead *hash;
};
struct Mount {
	Mount *next;
	ulong id;            /* order of making (copies keep it): /proc/N/ns lists by it */
	Chan *to;
	int mflag;           /* MCREATE, MBEFORE ... as given */
	char *spec;          /* for /proc/N/ns */
	char *srcname;       /* what was bound or mounted (text, for /proc/N/ns) */
	int ismount;
};

struct Pgrp {
	long ref;
	QLock ns;            /* guards the hash table and the Mheads */
	Mhead *mnt[MNTHASH];
	int noattach;        /* RFNOMNT */
};

struct Fgrp {
	long ref;
	Lock l;
	Chan *fd[NFD];
	int maxfd;
};

struct Evalue {
	Evalue *next;
	char *name;
	uchar *val;
	long len;
	uint vers;
	uvlong path;
};
struct Egrp {
	long ref;
	QLock l;
	Evalue *vars;
	uint vers;
};

/* A memory region of a process's address space. */
struct Region {
	MuWord va;
	long pages;
	long mem;            /* Memory handle in core */
	int rights;
	int shared;          /* text/rodata: map the same Memory in a fork */
};

struct Waitq {
	Waitq *next;
	int pid;
	ulong time[3];
	char msg[ERRMAX];
};

/* Cached program text: shared by every process running the same file. */
struct Image {
	Image *next;
	ushort type;
	uint dev;
	Qid qid;
	int nseg;
	struct {
		MuWord va, pages, filesz, off, memsz, voff;  /* voff: vaddr - va */
		int rights;
		long mem;        /* read-only segments: shared Memory, else -1 */
	} seg[4];
	MuWord entry;
	uchar *file;         /* the file's bytes (for writable segments) */
	long filelen;
};

enum { Pfree, Pready, Prunning, Pwait, Psleep, Pexit, Pdead };

struct Proc {
	int pid;
	int slot;
	int state;           /* Pfree ... */
	char name[32];
	char *args;          /* argv joined by spaces, for /proc/N/args */
	int ppid;
	Proc *parent;
	int noteid;
	long task;           /* the mu task (RCtl) */
	long thread;         /* its thread */
	long ep;             /* core endpoint minted for it (badge = slot | gen << 16) */
	MuWord badge;
	long hthread, htask, hep;  /* handle numbers inside its task */
	Pgrp *pgrp;
	Fgrp *fgrp;
	Egrp *egrp;
	Chan *slash;         /* root of the namespace */
	char *dot;           /* current directory, cleaned absolute path */
	char *user;
	uchar *buf;          /* its system-call buffer, mapped in core */
	long bufmem;
	Region region[NREGION];
	int nregion;
	MuWord brk;          /* next heap address */
	MuWord entry, startarg;  /* where exec starts it */
	/* exits and wait */
	char exitmsg[ERRMAX];
	Waitq *waitq;        /* children that have exited */
	int nchild;          /* live children that will report */
	int nowait;          /* the parent does not wait for this one */
	Rendez waitr;
	vlong start;         /* nsec at creation */
	/* notes */
	Lock notelock;
	char note[NNOTE][ERRMAX];
	int nnote;
	int notify;          /* it handles notes itself */
	int killed;          /* a kill arrived */
	Clerk *clerk;        /* the clerk serving it now, or NULL */
	Rendez *r;           /* the Rendez its clerk sleeps on */
	Rendez sleepr;       /* for sleep() */
};

/* A thread of core that serves system calls. */
struct Clerk {
	int id;
	long thread;
	long ntf;            /* its notification: rwakeup signals it */
	Proc *proc;          /* the process being served */
	MuWord scratch;      /* its window for copying pages */
	char err[ERRMAX];
	int intr;            /* an interrupt was posted while it served */
	void *inipc;         /* the IPC channel (Ipc) whose 9P call it waits in: cancel to interrupt */
	int call;            /* the system call it serves (for procdump) */
	const char *waits;   /* what it is blocked in, or NULL (for procdump) */
};

extern Proc proctab[NPROC];
extern Lock proclock;
extern long corepool;        /* pool for programs */
extern long coreep;          /* endpoint programs call */
extern long faultep;         /* endpoint for program faults */
extern int consnoteid;
extern int coredebug;         /* print every system call (initargs has "coredebug") */

/* The clerk running this code and the process it serves (NULL in other
 * threads).  MuTls.user[CoreTlsClerk] holds it; lock.c's newsysclerk
 * gives threads that are no clerks one on first use. */
enum { CoreTlsClerk = 3, CoreTlsErr = 4 };  /* CoreTlsErr as in lib/libc/sys.c */
Clerk *newsysclerk(void);
static inline Clerk *
curclerk(void)
{
	Clerk *c = (Clerk *)mu_tls()->user[CoreTlsClerk];
	return c != NULL ? c : newsysclerk();
}
#define up (curclerk()->proc)

#endif
