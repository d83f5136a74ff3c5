/* SPDX-License-Identifier: MIT */
/*
 * Memory layouts shared by the kernel and user space: the per-thread IPC
 * buffer, transfer items, the register block of SysThreadRegs and the boot
 * information page the kernel gives the root task.  Call numbers and the
 * tag format are in abi/mu/syscall.h.
 */
#ifndef MU_IPC_H
#define MU_IPC_H

#include "syscall.h"

typedef unsigned long MuWord;

/* Transfer items, in IpcBuf.item[0 .. TAG_ITEMS(tag)-1] of the sender. */
enum MuItemKind {
	ItemHandle = 1, /* a = handle, b = rights kept (masked with the handle's) */
	ItemMap = 2,    /* a = vaddr, b = pages; shared, rights = flags >> 8 */
	ItemGrant = 3,  /* a = vaddr, b = pages; moved out of the sender */
};
#define ITEM_MOVE (1u << 4)         /* ItemHandle: move instead of copy */
#define ITEM_RIGHTS(r) ((MuWord)(r) << 8)

typedef struct MuItem {
	MuWord kind;    /* MuItemKind | flags */
	MuWord a;
	MuWord b;
} MuItem;

/*
 * The IPC buffer: one page per thread, registered with ThrIpcBuf.
 * mr[0..3] travel in registers and are not read from here; mr[4..63] are.
 * On receive the kernel rewrites item[] to say what arrived: a handle item
 * gets a = the new handle number in the receiver, a page item gets
 * a = where the pages landed and b = how many.
 */
typedef struct MuIpcBuf {
	MuWord mr[MuMaxWords];
	MuItem item[MuMaxItems];
	MuWord winbase;   /* receive window for page items: page-aligned base */
	MuWord winpages;  /* and size in pages; 0 = accept no pages */
	MuWord user[8];   /* free for the user library (thread pointer etc.) */
} MuIpcBuf;

/* The register block read and written by SysThreadRegs. */
typedef struct MuRegs {
	MuWord rax, rbx, rcx, rdx, rsi, rdi, rbp;
	MuWord r8, r9, r10, r11, r12, r13, r14, r15;
	MuWord rip, rflags, rsp, fsbase;
} MuRegs;

/* Fixed handles in the root task's table. */
enum MuRootHandle {
	HNone = 0,      /* never a valid handle */
	HSelfTask = 1,  /* every task created by SysObjCreate has itself here */
	HRootThread = 2,
	HRootPool = 3,  /* all free memory */
	HIrqCtl = 4,
	HIoAll = 5,     /* ports 0..0xffff */
	HFirstModule = 8,
};

enum { MuMaxModules = 32 };

/* Mapped read-only in the root task at MU_BOOTINFO_VA. */
typedef struct MuBootInfo {
	MuWord magic;          /* MU_BOOTINFO_MAGIC */
	MuWord ncpu;
	MuWord totalpages, freepages;
	MuWord nmodule;
	struct {
		MuWord handle;  /* Memory handle holding the module */
		MuWord size;    /* bytes */
		MuWord vaddr;   /* where the kernel mapped it in the root task */
		char name[40];  /* the module's command line */
	} module[MuMaxModules];
	char cmdline[256];     /* the kernel command line */
} MuBootInfo;

/*
 * What a program finds at start: rdi points at this block (near the top of
 * its stack), built by whoever started it.  The root task gets rdi = 0 and
 * uses the fixed handles above instead.
 */
typedef struct MuStart {
	MuWord magic;          /* MU_START_MAGIC */
	MuWord task;           /* handle of its own task */
	MuWord thread;         /* handle of its first thread */
	MuWord pool;           /* memory pool to allocate from */
	MuWord parent;         /* endpoint to the starter (exit status etc.), or 0 */
	MuWord ipcbuf;         /* address of the first thread's IPC buffer, registered */
	MuWord flags;          /* MuStartCore: a Plan 9 process of core (abi/core/sys.h) */
	MuWord xargs;          /* if not 0: the args are here (xargslen bytes), not in args[] */
	MuWord xargslen;
	MuWord argc;
	char args[512];        /* argc NUL-terminated strings, one after another */
} MuStart;
#define MU_START_MAGIC 0x5452415453554d00ul
#define MuStartCore 1ul

/*
 * Thread-local block: a thread's fs base points here.  The user library
 * owns it; the kernel knows nothing of it.
 */
typedef struct MuTls {
	struct MuTls *self;
	MuIpcBuf *ipcbuf;
	MuWord thread;         /* the thread's own handle */
	MuWord user[5];
} MuTls;

#define MU_BOOTINFO_MAGIC 0x4f464e49544f4f42ul /* "BOOTINFO" */
#define MU_BOOTINFO_VA 0x7f0000000000ul
#define MU_ROOTIPC_VA 0x7f0000001000ul  /* root thread's IPC buffer */
#define MU_MODULES_VA 0x7f0000100000ul   /* modules, one after another */
#define MU_ROOTSTACK_TOP 0x7ffffffff000ul /* root task's initial stack */
#define MU_USER_TOP 0x800000000000ul      /* first non-user address */

#endif
