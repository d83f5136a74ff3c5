/* SPDX-License-Identifier: MIT */
/*
 * The mu system-call ABI, shared by the kernel and user space.
 * This header holds call numbers, errors, rights, object types and the
 * message tag; abi/mu/ipc.h holds the IPC buffer and boot-info layouts.
 *
 * Calling convention (the `syscall` instruction):
 *   in:  rax = call number; arguments a0..a5 in rdi, rsi, rdx, r10, r8, r9
 *   out: rax = result (>= 0) or a negated MuErr;
 *        IPC calls also return rdi = badge, rsi = tag, rdx r10 r8 r9 = mr0..mr3
 *   rcx and r11 are clobbered; rbx, rbp, rsp, r12-r15 are preserved.
 *   Every other general register is either an output or zeroed.
 */
#ifndef MU_SYSCALL_H
#define MU_SYSCALL_H

enum MuSys {
	/* The two calls of the IPC fast path come first: entry.S picks them
	 * out with one comparison. */
	SysCall,        /* (ep, tag, mr0..mr3) -> badge, tag, mr0..mr3 of the reply */
	SysReplyRecv,   /* (ep, tag, mr0..mr3): reply, then receive on ep */
	SysForwardRecv, /* (ep, tag, mr0..mr3): forward, then receive on the
			   endpoint named by TAG_RECVH(tag) */

	SysNull,        /* () -> 0: the cheapest kernel entry, for benchmarks */
	SysDebugPut,    /* (buf, len) -> len: write to the kernel debug console */
	SysDebugGet,    /* () -> byte or -ErrAgain: poll the debug console input */
	SysInfo,        /* (key) -> value: see enum MuInfo */
	SysTime,        /* () -> nanoseconds since boot */
	SysYield,       /* () -> 0 */

	SysClose,       /* (h) -> 0 */
	SysDup,         /* (h, rights) -> new handle with rights & old rights */
	SysMint,        /* (h, badge, rights) -> badged handle (ep/ntf, unbadged only) */
	SysHandleInfo,  /* (h) -> type | rights << 8 */
	SysHandleGive,  /* (task, h, rights, move) -> handle number in task */

	SysPoolCreate,  /* (pool, pages) -> sub-pool capped at that many pages;
			   what it uses counts in every pool above it too */
	SysObjCreate,   /* (pool, MuObj type) -> handle (Task, Endpoint, Notification) */
	SysThreadCreate,/* (pool, task) -> thread handle, not yet running */
	SysThreadStart, /* (thread, rip, rsp, arg in rdi) -> 0 */
	SysThreadSet,   /* (thread, MuThreadKey, v0, v1) -> 0 */
	SysThreadExit,  /* () -> does not return */
	SysThreadRegs,  /* (thread, MuRegs *buf, write) -> 0; thread must be stopped */
	SysTaskKill,    /* (task) -> 0: destroy the task and all it holds */
	SysTaskSet,     /* (task, MuTaskKey, v0, v1) -> 0 */

	SysSend,        /* (ep, tag, mr0..mr3) */
	SysRecv,        /* (ep, tag) -> badge, tag, mr0..mr3 */
	SysReply,       /* (tag, mr0..mr3): answer the caller in the reply slot */
	SysForward,     /* (ep, tag, mr0..mr3): send, passing on the reply slot
			   (TAG_POLL and TAG_TIMEOUT apply; ForwardRecv: TAG_POLL) */
	SysReplySave,   /* () -> Reply handle taken from the reply slot */
	SysReplyTo,     /* (reply, tag, mr0..mr3): answer through a Reply handle */

	SysSignal,      /* (ntf, bits) -> 0 */
	SysWait,        /* (ntf, tag with timeout flags) -> bits */

	SysMemAlloc,    /* (pool, pages, MuMemFlags) -> Memory handle */
	SysMemPhys,     /* (pool, paddr, pages) -> Memory handle for device memory */
	SysMemInfo,     /* (mem, page index) -> physical address (needs RCtl) */
	SysMap,         /* (task, mem, page offset, vaddr, pages, rights) -> 0 */
	SysUnmap,       /* (task, vaddr, pages) -> 0 */
	SysProtect,     /* (task, vaddr, pages, rights) -> 0 */

	SysIrqCreate,   /* (irqctl, line, ntf, bits) -> Irq handle */
	SysIrqAck,      /* (irq) -> 0: unmask the line again */
	SysIoCreate,    /* (ioports, base, count) -> IoPorts handle for a sub-range */
	SysIoEnable,    /* (ioports) -> 0: allow the range in the caller's task */
	SysThreadCancel,/* (thread) -> 0: end its current blocking wait with -ErrGone
			   (no effect on a thread that does not wait) */

	NSys
};

/* Errors: results are -Err. Closed set; user space turns them into strings. */
enum MuErr {
	ErrNone,
	ErrNoSys,       /* no such system call */
	ErrBadHandle,   /* handle number not in use */
	ErrType,        /* handle names the wrong kind of object */
	ErrPerm,        /* handle lacks a right the call needs */
	ErrInval,       /* argument out of range or inconsistent */
	ErrFault,       /* user address not mapped or not accessible */
	ErrNoMem,       /* kernel memory or pool quota exhausted */
	ErrTimeout,     /* timeout expired, or poll found nothing */
	ErrGone,        /* the object or peer was destroyed while waiting */
	ErrNoSpace,     /* handle table full, or no receive window for pages */
	ErrBusy,        /* already bound, already in use */
	ErrAgain,       /* nothing available now */
	ErrNoReply,     /* no caller in the reply slot */
	NErr
};

/* Object types, as returned by SysHandleInfo. */
enum MuObj {
	ObjNone,
	ObjTask,
	ObjThread,
	ObjEndpoint,
	ObjReply,
	ObjNotification,
	ObjMemory,
	ObjPool,
	ObjIrq,
	ObjIrqCtl,
	ObjIoPorts,
	NObj
};

/* Rights on a handle. */
enum MuRights {
	RSend = 1 << 0,   /* send/call on an endpoint, signal a notification */
	RRecv = 1 << 1,   /* receive on an endpoint, wait on a notification */
	RGrant = 1 << 2,  /* messages through this endpoint may carry items */
	RRead = 1 << 3,   /* map memory readable */
	RWrite = 1 << 4,  /* map memory writable */
	RExec = 1 << 5,   /* map memory executable */
	RCtl = 1 << 6,    /* control: configure/kill task or thread, allocate
			     from a pool, physical address of memory, ack irq */
	RDup = 1 << 7,    /* the handle may be duplicated or transferred */
	RAll = 0xff
};

/* Message tag: rsi on IPC calls. */
#define TAG(label, nwords, nitems) \
	((unsigned long)(label) | (unsigned long)(nwords) << 16 | (unsigned long)(nitems) << 24)
#define TAG_LABEL(t) ((t) & 0xffff)
#define TAG_WORDS(t) (((t) >> 16) & 0x7f)  /* 0..MuMaxWords */
#define TAG_ITEMS(t) (((t) >> 24) & 0x7)   /* 0..MuMaxItems */
#define TAG_POLL (1ul << 28)               /* timeout 0: never block */
#define TAG_TIMEOUT (1ul << 29)            /* finite timeout in TAG_MS */
#define TAG_MS(t) ((t) >> 32)
#define TAG_WITHMS(t, ms) ((t) | TAG_TIMEOUT | (unsigned long)(ms) << 32)
#define TAG_RECVH(t) (((t) >> 32) & 0xffff) /* SysForwardRecv only */
#define TAG_WITHRECV(t, h) ((t) | (unsigned long)(h) << 32)
#define TAG_NOTIFY 0xffff /* label of a message from a bound notification */

enum {
	MuMaxWords = 64,  /* message words: mr0..3 in registers, the rest in IpcBuf */
	MuMaxItems = 4,   /* transfer items per message */
	MuMaxHandles = 1024,
	MuPageSize = 4096,
};

/* Labels of messages the kernel sends on a thread's behalf. */
enum MuFaultLabel {
	LabelPageFault = 0xfff0, /* mr0 = address, mr1 = error code, mr2 = rip */
	LabelException = 0xfff1, /* mr0 = vector, mr1 = error code, mr2 = rip,
				    mr3 = address (cr2) or 0 */
};

/* SysThreadSet keys. */
enum MuThreadKey {
	ThrPager,       /* v0 = endpoint handle for page-fault messages (0: none) */
	ThrExcHandler,  /* v0 = endpoint handle for exception messages (0: none) */
	ThrIpcBuf,      /* v0 = page-aligned user address of the IPC buffer */
	ThrPriority,    /* v0 = 0..MuMaxPrio-1 (not above the caller's) */
	ThrCpu,         /* v0 = cpu number the thread runs on */
	ThrBindNtf,     /* v0 = notification handle (0: unbind) */
	ThrFsBase,      /* v0 = fs base for thread-local storage */
};
enum { MuMaxPrio = 32 };

/* SysTaskSet keys. */
enum MuTaskKey {
	TaskDeathNtf,   /* v0 = notification handle, v1 = bits signalled at death;
			   up to 4 watchers, each adds its own */
};

/* SysInfo keys. */
enum MuInfo {
	InfoFreePages,  /* free physical pages */
	InfoTotalPages,
	InfoNCpu,
	InfoCpu,        /* the calling thread's cpu */
	InfoKEntries,   /* kernel entries on this cpu since boot */
	InfoSwitches,   /* address-space switches on this cpu since boot */
	InfoKObjects,   /* live kernel objects (argument: MuObj type, 0 = all) */
	InfoPoolFree,   /* pages left in the pool passed as argument 1 */
};

/* SysMemAlloc flags. */
enum MuMemFlags {
	MemZero = 1 << 0,    /* zero-filled (always true today) */
	MemContig = 1 << 1,  /* physically contiguous */
	MemDma32 = 1 << 2,   /* below 4 GiB */
};

#endif
