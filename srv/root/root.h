/* SPDX-License-Identifier: MIT */
/*
 * The root task's parts: root.c (start-up, the service loop, what each
 * boot mode runs), loader.c (ELF programs from boot modules into new
 * tasks), pager.c (page faults of the tasks it started).
 */
#ifndef ROOT_H
#define ROOT_H

#include "libc.h"
#include "mu.h"
#include "spawn.h"
#include "elf.h"

enum {
	MaxChild = 256,
	ChildStackTop = 0x7fff00000000ul,  /* stacks grow down from here */
	ChildStackMax = 256,               /* pages the pager serves below it */
	ChildIpcVa = 0x7fff00000000ul,     /* the first thread's IPC buffer */
	ChildPoolPages = 16384,            /* 64 MiB quota per program */
	ScratchVa = 0x600000000000ul,      /* root's window for filling pages */
};

typedef struct Child {
	int used;
	long task;      /* handle in root, RCtl */
	long ep;        /* root's minted endpoint for it (badge = id) */
	char name[32];
	int exited;     /* sent its exit message */
	long status;
} Child;

extern Child children[MaxChild];
extern long rootep;     /* endpoint all children talk to the root on */
extern MuBootInfo *bootinfo;
extern long rootdeath;  /* notification signalled when a child dies */

/* loader.c: a handle to give the child, named in its arguments as name=N */
typedef struct Pass {
	const char *name;
	long h;
} Pass;
long load_program(int argc, char *args, size_t len, const Pass *pass, int npass, int *id);
/* pager.c */
int pager_fault(Child *c, MuMsg *m);

#endif
