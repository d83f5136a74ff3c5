/* SPDX-License-Identifier: MIT */
/*
 * libmu: the mu system calls as inline stubs (one per enum MuSys), and the
 * task runtime of mu.c: start-up state, page allocation, threads, exits.
 * The ABI itself (numbers, errors, tags, layouts) is in abi/mu/.
 */
#ifndef LIBMU_H
#define LIBMU_H

#include <stddef.h>

#include "abi/mu/ipc.h"

/*
 * Raw system calls with 0..6 arguments.  The kernel preserves rbx, rbp,
 * rsp, r12-r15 and clobbers rcx and r11; every other argument register
 * comes back as an output or zero, so those a call does not pass are
 * declared clobbered and those it passes are in-out.
 */
#define MU_CLOB "rcx", "r11", "memory"

static inline long
mu_sys0(long n)
{
	__asm__ volatile("syscall"
			 : "+a"(n)
			 :
			 : "rdi", "rsi", "rdx", "r10", "r8", "r9", MU_CLOB);
	return n;
}

static inline long
mu_sys1(long n, MuWord a0)
{
	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(a0)
			 :
			 : "rsi", "rdx", "r10", "r8", "r9", MU_CLOB);
	return n;
}

static inline long
mu_sys2(long n, MuWord a0, MuWord a1)
{
	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(a0), "+S"(a1)
			 :
			 : "rdx", "r10", "r8", "r9", MU_CLOB);
	return n;
}

static inline long
mu_sys3(long n, MuWord a0, MuWord a1, MuWord a2)
{
	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(a0), "+S"(a1), "+d"(a2)
			 :
			 : "r10", "r8", "r9", MU_CLOB);
	return n;
}

static inline long
mu_sys4(long n, MuWord a0, MuWord a1, MuWord a2, MuWord a3)
{
	register MuWord r10 __asm__("r10") = a3;

	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10)
			 :
			 : "r8", "r9", MU_CLOB);
	return n;
}

static inline long
mu_sys5(long n, MuWord a0, MuWord a1, MuWord a2, MuWord a3, MuWord a4)
{
	register MuWord r10 __asm__("r10") = a3;
	register MuWord r8 __asm__("r8") = a4;

	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8)
			 :
			 : "r9", MU_CLOB);
	return n;
}

static inline long
mu_sys6(long n, MuWord a0, MuWord a1, MuWord a2, MuWord a3, MuWord a4, MuWord a5)
{
	register MuWord r10 __asm__("r10") = a3;
	register MuWord r8 __asm__("r8") = a4;
	register MuWord r9 __asm__("r9") = a5;

	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8), "+r"(r9)
			 :
			 : MU_CLOB);
	return n;
}

/* Plain calls: the result, >= 0, or -MuErr.  See enum MuSys. */
static inline long mu_null(void) { return mu_sys0(SysNull); }
static inline long mu_debugput(const void *buf, size_t len) { return mu_sys2(SysDebugPut, (MuWord)buf, len); }
static inline long mu_debugget(void) { return mu_sys0(SysDebugGet); }
static inline long mu_info(long key, long arg) { return mu_sys2(SysInfo, key, arg); }
static inline long mu_time(void) { return mu_sys0(SysTime); }
static inline long mu_yield(void) { return mu_sys0(SysYield); }

static inline long mu_close(long h) { return mu_sys1(SysClose, h); }
static inline long mu_dup(long h, long rights) { return mu_sys2(SysDup, h, rights); }
static inline long mu_mint(long h, MuWord badge, long rights) { return mu_sys3(SysMint, h, badge, rights); }
static inline long mu_handleinfo(long h) { return mu_sys1(SysHandleInfo, h); }
static inline long mu_handlegive(long task, long h, long rights, int move) { return mu_sys4(SysHandleGive, task, h, rights, move); }

static inline long mu_poolcreate(long pool, long pages) { return mu_sys2(SysPoolCreate, pool, pages); }
static inline long mu_objcreate(long pool, long type) { return mu_sys2(SysObjCreate, pool, type); }
static inline long mu_threadcreate(long pool, long task) { return mu_sys2(SysThreadCreate, pool, task); }
static inline long mu_threadstart(long th, MuWord rip, MuWord rsp, MuWord arg) { return mu_sys4(SysThreadStart, th, rip, rsp, arg); }
static inline long mu_threadset(long th, long key, MuWord v0, MuWord v1) { return mu_sys4(SysThreadSet, th, key, v0, v1); }
static inline long mu_threadregs(long th, MuRegs *buf, int write) { return mu_sys3(SysThreadRegs, th, (MuWord)buf, write); }
static inline long mu_taskkill(long task) { return mu_sys1(SysTaskKill, task); }
static inline long mu_threadcancel(long th) { return mu_sys1(SysThreadCancel, th); }
static inline long mu_taskset(long task, long key, MuWord v0, MuWord v1) { return mu_sys4(SysTaskSet, task, key, v0, v1); }

_Noreturn static inline void
mu_threadexit(void)
{
	mu_sys0(SysThreadExit);
	__builtin_unreachable();
}

static inline long mu_replysave(void) { return mu_sys0(SysReplySave); }
static inline long mu_signal(long ntf, MuWord bits) { return mu_sys2(SysSignal, ntf, bits); }
/* tag carries only TAG_POLL or TAG_WITHMS; returns the bits (as long) or -err. */
static inline long mu_wait(long ntf, MuWord tag) { return mu_sys2(SysWait, ntf, tag); }

static inline long mu_memalloc(long pool, long pages, long flags) { return mu_sys3(SysMemAlloc, pool, pages, flags); }
static inline long mu_memphys(long pool, MuWord paddr, long pages) { return mu_sys3(SysMemPhys, pool, paddr, pages); }
static inline long mu_meminfo(long mem, long page) { return mu_sys2(SysMemInfo, mem, page); }
static inline long mu_map(long task, long mem, long off, MuWord va, long pages, long rights) { return mu_sys6(SysMap, task, mem, off, va, pages, rights); }
static inline long mu_unmap(long task, MuWord va, long pages) { return mu_sys3(SysUnmap, task, va, pages); }
static inline long mu_protect(long task, MuWord va, long pages, long rights) { return mu_sys4(SysProtect, task, va, pages, rights); }

static inline long mu_irqcreate(long irqctl, long line, long ntf, MuWord bits) { return mu_sys4(SysIrqCreate, irqctl, line, ntf, bits); }
static inline long mu_irqack(long irq) { return mu_sys1(SysIrqAck, irq); }
static inline long mu_iocreate(long io, long base, long count) { return mu_sys3(SysIoCreate, io, base, count); }
static inline long mu_ioenable(long io) { return mu_sys1(SysIoEnable, io); }

/*
 * IPC.  A message is a tag, the sender's badge (on receive) and the four
 * register words; words 4.. and transfer items are in mu_ipcbuf().
 * The stubs pass the endpoint or Reply handle in rdi, the tag in rsi and
 * mr0..3 in rdx r10 r8 r9; only mu_reply, which names no handle, shifts
 * them down by one (the arguments a0..a4 of SysReply).  Calls that
 * receive overwrite the whole MuMsg, also when they fail (then its
 * contents mean nothing).
 */
typedef struct MuMsg {
	MuWord tag;
	MuWord badge;
	MuWord mr[4];
} MuMsg;

/* Send m, then (for the receiving calls) fill m with what arrives. */
static inline long
mu_ipc_(long n, MuWord h, MuMsg *m, int recv)
{
	register MuWord r10 __asm__("r10") = m->mr[1];
	register MuWord r8 __asm__("r8") = m->mr[2];
	register MuWord r9 __asm__("r9") = m->mr[3];
	MuWord tag = m->tag, mr0 = m->mr[0];

	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(h), "+S"(tag), "+d"(mr0), "+r"(r10), "+r"(r8), "+r"(r9)
			 :
			 : MU_CLOB);
	if (recv) {
		m->badge = h;
		m->tag = tag;
		m->mr[0] = mr0;
		m->mr[1] = r10;
		m->mr[2] = r8;
		m->mr[3] = r9;
	}
	return n;
}

static inline long
mu_recv(long ep, MuMsg *m)
{
	register MuWord r10 __asm__("r10");
	register MuWord r8 __asm__("r8");
	register MuWord r9 __asm__("r9");
	MuWord h = ep, tag = m->tag, mr0;
	long n = SysRecv;

	__asm__ volatile("syscall"
			 : "+a"(n), "+D"(h), "+S"(tag), "=d"(mr0), "=r"(r10), "=r"(r8), "=r"(r9)
			 :
			 : MU_CLOB);
	m->badge = h;
	m->tag = tag;
	m->mr[0] = mr0;
	m->mr[1] = r10;
	m->mr[2] = r8;
	m->mr[3] = r9;
	return n;
}

static inline long mu_send(long ep, MuMsg *m) { return mu_ipc_(SysSend, ep, m, 0); }
static inline long mu_call(long ep, MuMsg *m) { return mu_ipc_(SysCall, ep, m, 1); }
/* SysReply has no handle argument: its tag is a0 (rdi) and mr0..3 follow in rsi rdx r10 r8. */
static inline long mu_reply(MuMsg *m) { return mu_sys5(SysReply, m->tag, m->mr[0], m->mr[1], m->mr[2], m->mr[3]); }
static inline long mu_replyrecv(long ep, MuMsg *m) { return mu_ipc_(SysReplyRecv, ep, m, 1); }
static inline long mu_forward(long ep, MuMsg *m) { return mu_ipc_(SysForward, ep, m, 0); }
/* m->tag names the endpoint to receive on: TAG_WITHRECV(tag, h). */
static inline long mu_forwardrecv(long ep, MuMsg *m) { return mu_ipc_(SysForwardRecv, ep, m, 1); }
static inline long mu_replyto(long reply, MuMsg *m) { return mu_ipc_(SysReplyTo, reply, m, 0); }

/* The calling thread's IPC buffer, from its MuTls (fs base). */
static inline MuIpcBuf *
mu_ipcbuf(void)
{
	MuIpcBuf *b;

	__asm__("mov %%fs:8, %0" : "=r"(b));
	return b;
}

/* The calling thread's MuTls. */
static inline MuTls *
mu_tls(void)
{
	MuTls *t;

	__asm__("mov %%fs:0, %0" : "=r"(t));
	return t;
}

static inline unsigned long mu_nsec(void) { return (unsigned long)mu_time(); }

/* errstr.c: "bad handle" etc. for -Err or Err; never NULL. */
const char *mu_errstr(long err);

/*
 * mu.c.  Set up by mu_init from the MuStart block before main; the root
 * task (no MuStart) gets the fixed handles of enum MuRootHandle.
 */
extern MuStart *mu_start;  /* NULL in the root task */
extern long mu_task, mu_thread, mu_pool, mu_parent;
extern int mu_argc;
extern char **mu_argv;

void mu_init(MuStart *s);
/*
 * n zeroed, writable pages at a fresh address in the heap region, or NULL.
 * Thread-safe.  Address space is never reused; mu_pages_free unmaps.
 */
void *mu_pages(size_t n);
/* 1 in a Plan 9 process started by core (then mu_pages asks core, exits tells core). */
int mu_incore(void);
void mu_pages_free(void *p, size_t n);
/*
 * Run fn(arg) in a new thread of this task with a stack of stacksize
 * bytes (0: a default), priority prio and cpu (either < 0: the default).
 * Returns the thread handle or -err.  A thread ends when fn returns; its
 * stack and IPC buffer are not reclaimed.
 */
long mu_thread_create(void (*fn)(void *), void *arg, size_t stacksize, int prio, int cpu);
void mu_sleep(unsigned long ms);
/* Tell the parent (if any) the status, NULL or "" for success; end the task. */
_Noreturn void exits(const char *status);

/* The label of the exit message exits() sends to mu_parent. */
enum { LabelExit = 0x4558 };

#endif
