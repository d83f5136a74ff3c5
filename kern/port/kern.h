/* SPDX-License-Identifier: MIT */
/*
 * Everything the portable kernel shares: basic types, the kernel objects
 * (Task, Thread, Endpoint, Reply, Notification, Memory, Pool, Irq, IoPorts),
 * handles, per-cpu state and the functions each file exports.  The machine
 * is reached only through arch.h.
 */
#ifndef KERN_H
#define KERN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "abi/mu/syscall.h"
#include "abi/mu/ipc.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t i64;
typedef uintptr_t uptr;

#define nelem(a) (sizeof(a) / sizeof((a)[0]))
#define PGSIZE 4096ul
#define PGROUND(x) (((x) + PGSIZE - 1) & ~(PGSIZE - 1))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define MAXCPU 16
#define HZ 1000 /* scheduler tick */

typedef struct Obj Obj;
typedef struct Pool Pool;
typedef struct Task Task;
typedef struct Thread Thread;
typedef struct Endpoint Endpoint;
typedef struct Reply Reply;
typedef struct Ntf Ntf;
typedef struct Memory Memory;
typedef struct Irq Irq;
typedef struct IoPorts IoPorts;
typedef struct Cpu Cpu;

/* Kernel-internal error: the negated MuErr a system call returns. */
typedef long kerr;

/*
 * Every object starts with an Obj.  ref counts handles plus internal
 * references (mappings of a Memory, the IPC buffer, a charged object's
 * pool); at zero obj_free() calls the type's destructor.
 */
struct Obj {
	u8 type;     /* MuObj */
	u8 dead;     /* destroyed, memory kept while referenced */
	u32 ref;
	u32 nhandles; /* how many of the references are handles */
	u32 charge;  /* bytes charged to pool */
	Pool *pool;
};

typedef struct Handle {
	Obj *obj;
	u64 badge : 56;
	u64 rights : 8;
} Handle;

struct Pool {
	Obj o;
	u64 limit, used; /* bytes */
};

/* Registers of a user thread; layout fixed by asm.h R_* offsets. */
typedef struct Regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rip, rflags, rsp;
	u64 full; /* restore all registers with iretq, not sysret */
} Regs;

enum ThreadState {
	TInactive,   /* created, not started */
	TReady,      /* on a run queue or running */
	TSend,       /* blocked sending on ep (call, forward, fault: see kind) */
	TRecv,       /* blocked receiving on ep */
	TReply,      /* waiting for the reply to a call */
	TNtf,        /* waiting on a notification */
	TSleep,      /* waiting for a timeout only */
	TFault,      /* stopped after an exception with no one to tell */
	TDead,
};

enum SendKind { SendPlain, SendCall, SendForward, SendFault };

struct Thread {
	Regs regs;           /* first: entry.S addresses it directly */
	Obj o;
	Task *task;
	u8 state;
	u8 prio;
	u8 cpu;              /* the cpu whose run queue it belongs to */
	u8 sendkind;         /* while TSend */
	u8 fpu_used;
	u8 recvh_pending;    /* ForwardRecv: receive after the send completes */
	u8 oncpu;            /* some cpu's cur: memory kept until it leaves */
	u16 slice;
	u64 msgtag, msg[4];  /* message of a blocked sender (tag, mr0..mr3) */
	u64 faultva;         /* page-fault address while waiting for the pager */
	Thread *qnext, *qprev; /* run queue or wait queue */
	void *waiton;          /* Endpoint or Ntf while blocked */
	u64 deadline;          /* tick to time out at, 0 = none */
	Thread *tnext;         /* timeout list */
	u64 sendbadge;         /* badge of the handle being sent on */
	u64 recvh;             /* receive handle for ForwardRecv */
	Thread *caller;        /* reply slot: who waits for our reply */
	Thread **replyholder;  /* while TReply: the slot holding our reply right */
	Thread *fwdcaller;     /* while TSend forward: the caller passed on */
	MuIpcBuf *ipcbuf;      /* kernel address of the registered IPC buffer */
	Memory *ipcmem;        /* held while registered */
	Endpoint *pager;       /* page faults go here */
	u64 pagerbadge;
	Endpoint *exch;        /* exceptions go here */
	u64 exchbadge;
	Ntf *bound;            /* notification delivered by receive */
	u64 fsbase;
	u8 *fpu;               /* 512-byte fxsave area, allocated on first use */
	Thread *tasknext;      /* the task's thread list */
};

/* The Thread of an Obj (a Thread starts with its registers, not its Obj). */
#define OBJTHREAD(op) ((Thread *)((char *)(op) - offsetof(Thread, o)))

struct Task {
	Obj o;
	Handle *handles;       /* MuMaxHandles entries */
	u32 nhandles;          /* lowest possibly free slot, a search hint */
	u32 hmax;              /* one past the highest slot ever used */
	u64 pml4;              /* physical address of the top page table */
	u64 cr3;               /* what to load: pml4 | PCID | no-flush bit */
	u32 stale;             /* cpus whose TLB may hold old entries of our PCID */
	Thread *threads;
	u32 nthreads;          /* live threads */
	u32 started;           /* a thread was started: last exit destroys */
	u8 *iobitmap;          /* 8 KiB I/O permission bitmap or nil */
	u32 cpus;              /* bitmask of cpus with this address space loaded */
	struct {
		Ntf *ntf;
		u64 bits;
	} death[4];            /* signalled when the task dies */
};

enum EpState { EpIdle, EpSend, EpRecv };
struct Endpoint {
	Obj o;
	u8 state;
	Thread *head, *tail;   /* senders or receivers, by state */
};

struct Reply {
	Obj o;
	Thread *caller;        /* one-shot: cleared by the reply */
};

struct Ntf {
	Obj o;
	u64 bits;
	Thread *head, *tail;   /* waiters */
	Thread *boundto;       /* thread that receives it through an endpoint */
};

struct Memory {
	Obj o;
	u64 base;              /* physical address, contiguous */
	u64 npages;
	u8 device;             /* device memory: not RAM, not freed */
};

struct Irq {
	Obj o;
	u32 line;              /* legacy ISA IRQ */
	Ntf *ntf;
	u64 bits;
	u8 masked;
};

struct IoPorts {
	Obj o;
	u32 base, count;
};

/* Per-cpu state, reached through arch_cpu(); layout of the first fields
 * fixed by asm.h CPU_*. */
struct Cpu {
	Cpu *self;
	u64 kstack;            /* top of this cpu's kernel stack */
	u64 usp;
	Thread *cur;           /* running thread, nil when idle */
	u64 slow;              /* leave the kernel through the full exit path */
	u64 kentries, switches;
	volatile u64 flushreq; /* another cpu asks for a TLB flush */
	u32 id;
	u32 apicid;
	Task *as;              /* address space loaded, nil = kernel only */
	Thread *runq[MuMaxPrio];
	Thread *runtail[MuMaxPrio];
	u32 readymask;
	u8 resched;
	u8 ts;                 /* CR0.TS is set */
	u8 iopb;               /* the TSS's I/O bitmap is in force (iomap on) */
	u8 iopbreload;         /* the loaded task's bitmap changed: reload it */
	Task *iopbtask;        /* whose bitmap the TSS holds a copy of, or nil */
	u16 *iomap;            /* the TSS's I/O map base field */
	u64 fsbase;            /* fs base loaded */
	Thread *reap;          /* dead thread to free once we are off it */
	void *tss, *gdt;
};

extern Cpu cpus[MAXCPU];
extern u32 ncpu;
extern volatile u64 ticks;

/* print.c */
void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
_Noreturn void panic(const char *fmt, ...);
#define assert(c) do { if (unlikely(!(c))) panic("assert %s at %s:%d", #c, __FILE__, __LINE__); } while (0)

/* lib/libc string functions the kernel uses */
void *memcpy(void *, const void *, size_t);
void *memset(void *, int, size_t);
void *memmove(void *, const void *, size_t);
int memcmp(const void *, const void *, size_t);
size_t strlen(const char *);
size_t strlcpy(char *, const char *, size_t);
int strncmp(const char *, const char *, size_t);

/* frame.c: physical frames */
void frame_init(u64 maxpfn);
void frame_add(u64 base, u64 len);     /* mark [base, base+len) free */
void frame_reserve(u64 base, u64 len); /* mark used */
u64 frame_alloc(u64 n, u64 below);     /* physical address of n contiguous zeroed frames, or 0 */
void frame_free(u64 pa, u64 n);
u64 frame_nfree(void);
u64 frame_ntotal(void);
int frame_isram(u64 pa);
#define P2V(pa) ((void *)((uptr)(pa) + PHYSMAP))
#define V2P(va) ((u64)(uptr)(va) - PHYSMAP)

/* kalloc.c: small kernel allocations */
void *kalloc(size_t n);   /* zeroed */
void kfree(void *p, size_t n);

/* obj.c */
kerr obj_new(Pool *pool, int type, size_t size, Obj **out);
void obj_ref(Obj *o);
void obj_unref(Obj *o);
kerr pool_charge(Pool *p, u64 bytes);
void pool_refund(Pool *p, u64 bytes);
extern u64 nkobj, nkobjtype[NObj];

/* handle.c */
kerr handle_get(Task *t, u64 h, int type, u32 rights, Handle **out);
kerr handle_install(Task *t, Obj *o, u64 badge, u32 rights); /* takes a ref */
void handle_clear(Task *t, Handle *hd);
kerr handle_table_new(Task *t);
void handle_table_free(Task *t);

/* task.c */
kerr task_new(Pool *pool, Task **out);
void task_destroy(Task *t);
void task_freeas(Task *t);
void task_unload(Task *t);

/* thread.c */
kerr thread_new(Pool *pool, Task *t, Thread **out);
void thread_kill(Thread *t);
void thread_destroy(Thread *t);
void thread_unblock(Thread *t, kerr err);
void thread_exited(Thread *t);
kerr thread_set_ipcbuf(Thread *t, u64 uva);

/* sched.c */
void sched_ready(Thread *t);
void sched_remove(Thread *t);
void sched_switch(Thread *t);
void schedule(void);
void sched_tick(void);
void sched_block(Thread *t, int state);
Thread *sched_pick(Cpu *c);

/* timer.c */
void timeout_add(Thread *t, u64 ms);
void timeout_cancel(Thread *t);
void timeout_check(void);
u64 time_ns(void);

/* ipc.c, fastpath.c, notify.c */
void ep_destroy(Endpoint *e);
void ep_dequeue(Thread *t);
kerr ipc_transfer(Thread *src, Thread *dst, u64 tag, u64 badge);
void ipc_deliver_fault(Thread *t, u64 label, u64 w0, u64 w1, u64 w2, u64 w3);
void reply_destroy(Reply *r);
void reply_cancel(Thread *caller);
void ntf_signal(Ntf *n, u64 bits);
void ntf_destroy(Ntf *n);
void ntf_dequeue(Thread *t);

/* mem.c, vm.c */
void mem_destroy(Memory *m);
void mem_unref_frame(u64 pa);
void mem_ref_frame(u64 pa);
Memory *mem_owner(u64 pa);
kerr mem_new(Pool *pool, u64 n, u64 base, int device, Memory **out);
kerr mem_adopt(Pool *pool, u64 base, u64 n, Memory **out);
u64 pteflags(u64 rights, int device);
void idle_enter(void);
Thread *exit_prepare(void);
kerr vm_map(Task *t, u64 va, u64 pa, u64 pte_flags);
u64 *vm_pte(Task *t, u64 va, int create);
u64 *vm_pte_span(Task *t, u64 va, u64 *span);
kerr vm_unmap_range(Task *t, u64 va, u64 n, int release);
kerr user_check(u64 uva, u64 len, int write);
kerr copyin(void *dst, u64 usrc, u64 len);
kerr copyout(u64 udst, const void *src, u64 len);
void tlb_shootdown(Task *t);
void page_db_init(u64 maxpfn);

/* fault.c */
void fault_user(Thread *t, u64 vec, u64 err, u64 addr);

/* irq.c */
void irq_init(void);
void irq_fire(u32 line);
void irq_destroy(Irq *q);

/* boot.c */
void boot_root(void);

/* syscall.c */
extern kerr (*const systab[NSys])(u64, u64, u64, u64, u64, u64);
#include "arch.h"
static inline Thread *curthread(void) { return thiscpu()->cur; }
#include "sys.h"

#endif
