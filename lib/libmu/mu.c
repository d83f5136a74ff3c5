/* SPDX-License-Identifier: MIT */
/*
 * The task runtime: start-up state from MuStart (crt0.S calls mu_init,
 * then main), pages for the heap, threads, sleeping and exits.  The
 * system-call stubs themselves are inline in mu.h.
 */
#include "libc.h"
#include "mu.h"
#include "abi/core/sys.h"

MuStart *mu_start;
long mu_task, mu_thread, mu_pool, mu_parent;
int mu_argc;
char **mu_argv;

/* The heap region: mu_pages hands out address space from here upward. */
#define HEAP_BASE 0x100000000ul     /* 4 GiB */
#define HEAP_TOP 0x7e0000000000ul   /* well below MU_BOOTINFO_VA */

enum {
	MaxArgs = sizeof(((MuStart *)0)->args) / 2, /* "a\0" each at least */
	DefaultStack = 64 * 1024,
	/* MuTls.user slots the library uses */
	TlsFn = 0,
	TlsArg = 1,
	TlsSleepNtf = 2,
};

static MuTls maintls;
static char *sargv[MaxArgs + 1];
static char **argv = sargv;
static int maxargs = MaxArgs;
static char rootname[] = "root";
static MuWord heapnext = HEAP_BASE;

/* Split MuStart.args into argv; a block without enough strings is cut short. */
static void
parseargs(MuStart *s)
{
	char *p = s->args, *end = s->args + sizeof s->args;
	int n = 0;

	if (s->xargs != 0) {
		p = (char *)s->xargs;
		end = p + s->xargslen;
	}

	if (s->xargs != 0 && s->argc > MaxArgs) {
		/* the big argument block of a core process: room for its pointers
		 * lies right after the strings (core leaves it there) */
		argv = (char **)(((MuWord)end + 7) & ~7ul);
		maxargs = s->argc;
	}
	while ((MuWord)n < s->argc && n < maxargs && p < end) {
		size_t len = strnlen(p, end - p);
		if (len == (size_t)(end - p))
			break; /* unterminated */
		argv[n++] = p;
		p += len + 1;
	}
	argv[n] = NULL;
	mu_argc = n;
	mu_argv = argv;
}

/* Called by _start before anything else; s is NULL in the root task. */
void
mu_init(MuStart *s)
{
	MuWord ipcbuf;

	if (s == NULL) {
		mu_task = HSelfTask;
		mu_thread = HRootThread;
		mu_pool = HRootPool;
		mu_parent = 0;
		ipcbuf = MU_ROOTIPC_VA;
		argv[0] = rootname;
		argv[1] = NULL;
		mu_argc = 1;
		mu_argv = argv;
	} else {
		if (s->magic != MU_START_MAGIC) {
			static const char msg[] = "mu_init: bad MuStart block\n";
			mu_debugput(msg, sizeof msg - 1);
			mu_taskkill(HSelfTask);
			mu_threadexit();
		}
		mu_start = s;
		mu_task = s->task;
		mu_thread = s->thread;
		mu_pool = s->pool;
		mu_parent = s->parent;
		ipcbuf = s->ipcbuf;
		parseargs(s);
	}
	maintls.self = &maintls;
	maintls.ipcbuf = (MuIpcBuf *)ipcbuf;
	maintls.thread = mu_thread;
	mu_threadset(mu_thread, ThrFsBase, (MuWord)&maintls, 0);
}

/* Take n pages of heap address space; 0 if it is used up.  Lock-free. */
static MuWord
heapreserve(size_t n)
{
	MuWord size, va;

	if (n == 0 || n > (HEAP_TOP - HEAP_BASE) / MuPageSize)
		return 0;
	size = (MuWord)n * MuPageSize;
	va = __atomic_load_n(&heapnext, __ATOMIC_RELAXED);
	do {
		if (size > HEAP_TOP - va)
			return 0;
	} while (!__atomic_compare_exchange_n(&heapnext, &va, va + size, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return va;
}

/* Back n pages at va with fresh zeroed memory. */
static long
heapback(MuWord va, size_t n, long rights)
{
	long mem, r;

	mem = mu_memalloc(mu_pool, n, MemZero);
	if (mem < 0)
		return mem;
	r = mu_map(mu_task, mem, 0, va, n, rights);
	mu_close(mem); /* the mapping holds the frames */
	return r;
}

/* A call to core (abi/core/sys.h) for the few things libmu does itself. */
static long
corecall(int sys, MuWord a0)
{
	MuMsg m = { .tag = TAG(sys, 1, 0), .mr = { a0 } };

	if (mu_call(mu_parent, &m) < 0)
		return -1;
	return (long)m.mr[0];
}

int
mu_incore(void)
{
	return mu_start != NULL && (mu_start->flags & MuStartCore);
}

void *
mu_pages(size_t n)
{
	MuWord va;

	if (mu_incore()) {	/* core owns the address space: ask it */
		long a = corecall(CoreBrk, n);
		return a == -1 ? NULL : (void *)a;
	}
	va = heapreserve(n);

	if (va == 0 || heapback(va, n, RRead | RWrite) < 0)
		return NULL;
	return (void *)va;
}

void
mu_pages_free(void *p, size_t n)
{
	if (mu_incore())
		return; /* core keeps the heap; pages are reused by malloc */
	if (p != NULL && n > 0)
		mu_unmap(mu_task, (MuWord)p, n);
}

/* A new thread starts here with rdi = its MuTls, fs base already set. */
static void
threadentry(MuTls *t)
{
	void (*fn)(void *) = (void (*)(void *))t->user[TlsFn];

	fn((void *)t->user[TlsArg]);
	mu_threadexit();
}

/*
 * Layout of a thread's pages: an unmapped guard page, the stack, the
 * IPC buffer page, the MuTls page.  The guard turns a stack overflow into
 * a page fault instead of silent corruption.
 */
long
mu_thread_create(void (*fn)(void *), void *arg, size_t stacksize, int prio, int cpu)
{
	size_t spages, n;
	MuWord va, stacktop;
	MuTls *t;
	long th, r;

	if (fn == NULL)
		return -ErrInval;
	if (stacksize == 0)
		stacksize = DefaultStack;
	if (stacksize > (HEAP_TOP - HEAP_BASE) / 2)
		return -ErrInval;
	spages = (stacksize + MuPageSize - 1) / MuPageSize;
	n = spages + 2;
	va = heapreserve(n + 1);
	if (va == 0)
		return -ErrNoMem;
	va += MuPageSize; /* the guard */
	if ((r = heapback(va, n, RRead | RWrite)) < 0)
		return r;
	stacktop = va + spages * MuPageSize;
	t = (MuTls *)(stacktop + MuPageSize);
	t->self = t;
	t->ipcbuf = (MuIpcBuf *)stacktop;
	t->user[TlsFn] = (MuWord)fn;
	t->user[TlsArg] = (MuWord)arg;

	if ((th = mu_threadcreate(mu_pool, mu_task)) < 0) {
		r = th;
		goto bad;
	}
	t->thread = th;
	if ((r = mu_threadset(th, ThrIpcBuf, (MuWord)t->ipcbuf, 0)) < 0 ||
	    (r = mu_threadset(th, ThrFsBase, (MuWord)t, 0)) < 0 ||
	    (prio >= 0 && (r = mu_threadset(th, ThrPriority, prio, 0)) < 0) ||
	    (cpu >= 0 && (r = mu_threadset(th, ThrCpu, cpu, 0)) < 0))
		goto bad;
	/* rsp as just after a call: 8 below a 16-byte boundary. */
	if ((r = mu_threadstart(th, (MuWord)threadentry, stacktop - 8, (MuWord)t)) < 0)
		goto bad;
	return th;
bad:
	if (th >= 0)
		mu_close(th);
	mu_pages_free((void *)va, n);
	return r;
}

/*
 * Sleep on a notification nobody signals, with a timeout; each thread
 * makes its own on first use (kept in its MuTls).  If that fails, yield
 * until the time is up.
 */
void
mu_sleep(unsigned long ms)
{
	MuTls *t = mu_tls();
	unsigned long now = mu_nsec(), end, left;
	long ntf = t->user[TlsSleepNtf];

	if (ms == 0) {
		mu_yield();
		return;
	}
	if (ms > (~0ul - now) / 1000000)
		end = ~0ul;
	else
		end = now + ms * 1000000;
	if (ntf == 0 && (ntf = mu_objcreate(mu_pool, ObjNotification)) > 0)
		t->user[TlsSleepNtf] = ntf;
	while ((now = mu_nsec()) < end) {
		if (ntf <= 0) {
			mu_yield();
			continue;
		}
		left = (end - now + 999999) / 1000000;
		if (left > 0xffffffff)
			left = 0xffffffff;
		mu_wait(ntf, TAG_WITHMS(0, left));
	}
}

_Noreturn void
exits(const char *status)
{
	MuMsg m;

	if (mu_incore()) {
		char *b = (char *)CoreBufVa + CoreBufData;
		strlcpy(b, status ? status : "", ERRMAX);
		corecall(CoreExits, 0); /* does not return, unless core is gone */
	}
	if (mu_parent != 0) {
		m.tag = TAG(LabelExit, 1, 0) | TAG_POLL;
		m.mr[0] = status != NULL && status[0] != 0;
		m.mr[1] = m.mr[2] = m.mr[3] = 0;
		mu_send(mu_parent, &m);
	}
	mu_taskkill(mu_task);
	for (;;)
		mu_threadexit();
}
