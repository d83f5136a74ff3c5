/* SPDX-License-Identifier: MIT */
/*
 * Fault tests.  An exception of a thread with an exception handler
 * (ThrExcHandler) becomes a message to it (LabelException, mr0 = vector,
 * mr1 = error code, mr2 = rip, mr3 = fault address); the handler may read
 * and change the stopped thread's registers and resumes it by replying.
 * Without a handler the whole task dies: child tasks crash in every way
 * and all they held comes back.  Tasks also end by exiting and when their
 * last thread exits.
 */
#include "ktest.h"

#define PG 4096ul
#define MAGIC 0x600dcafe12345678l

/*
 * The faulting code: fx_NAME sets up, executes one faulting instruction
 * at fx_NAME_at and returns rax from fx_NAME_end.  The handler resumes a
 * thread at fx_NAME_end with rax = MAGIC.  fx_nx calls its argument.
 */
#define FX(n, setup, insn) \
	".globl fx_" n "\n.type fx_" n ", @function\nfx_" n ":\n\t" setup "\n" \
	".globl fx_" n "_at\nfx_" n "_at:\n\t" insn "\n" \
	".globl fx_" n "_end\nfx_" n "_end:\n\tret\n"
__asm__(".pushsection .text\n"
	FX("ud2", "xor %eax, %eax", "ud2")
	FX("div0", "xor %eax, %eax; xor %edx, %edx; xor %ecx, %ecx", "div %rcx")
	FX("int3", "xor %eax, %eax", "int3")
	FX("kread", "movabs $0xffff800000100000, %rcx; xor %eax, %eax", "mov (%rcx), %rax")
	FX("kwrite", "movabs $0xffffffff80100000, %rcx; xor %eax, %eax", "mov %rax, (%rcx)")
	FX("noncanon", "movabs $0x8000000000000000, %rcx; xor %eax, %eax", "mov (%rcx), %rax")
	FX("null", "xor %ecx, %ecx; xor %eax, %eax", "mov 8(%rcx), %rax")
	FX("textwrite", "lea fx_textwrite(%rip), %rcx; xor %eax, %eax", "movb %al, (%rcx)")
	FX("nx", "mov %rdi, %rcx; xor %eax, %eax", "call *%rcx")
	FX("hlt", "xor %eax, %eax", "hlt")
	FX("cli", "xor %eax, %eax", "cli")
	FX("out", "mov $0x80, %edx; xor %eax, %eax", "outb %al, %dx")
	FX("in", "mov $0x61, %edx; xor %eax, %eax", "inb %dx, %al")
	FX("rdmsr", "mov $0x1b, %ecx; xor %eax, %eax", "rdmsr")
	FX("cr3", "xor %eax, %eax", "mov %cr3, %rax")
	FX("lgdt", "xor %eax, %eax", "lgdt (%rsp)")
	/* registers that must survive a fault and a handler that dies */
	".globl fx_regs\nfx_regs:\n\tpush %rbx\n\tmov $0xbbbb, %ebx\n\tmov $0x1111, %edi\n"
	"\tmov $0x2222, %esi\n\tmov $0x3333, %edx\n\tmov $0x8888, %r8\n\tmov $0x9999, %r9\n"
	"\tmov $0x1010, %r10\n\tmov $0x7777, %eax\n"
	".globl fx_regs_at\nfx_regs_at:\n\tud2\n"
	".globl fx_regs_end\nfx_regs_end:\n\tpop %rbx\n\tret\n"
	".popsection\n");

typedef long Fxfn(MuWord);
#define FXDECL(n) extern Fxfn fx_##n; extern char fx_##n##_at[], fx_##n##_end[];
FXDECL(ud2) FXDECL(div0) FXDECL(int3) FXDECL(kread) FXDECL(kwrite) FXDECL(noncanon)
FXDECL(null) FXDECL(textwrite) FXDECL(nx) FXDECL(hlt) FXDECL(cli) FXDECL(out) FXDECL(in)
FXDECL(rdmsr) FXDECL(cr3) FXDECL(lgdt) FXDECL(regs)

static char nxpage[PG] __attribute__((aligned(4096))); /* data: not executable */

/* How an exception looks to the handler. */
typedef struct Fx {
	const char *name;
	Fxfn *fn;
	char *at, *end;
	MuWord vec;
	int trap;            /* rip is after the instruction (int3) */
	MuWord errmask, err; /* (mr1 & errmask) == err */
	MuWord addr;         /* mr3 */
} Fx;

#define F(n) #n, fx_##n, fx_##n##_at, fx_##n##_end
static const Fx fxs[] = {
	{ F(ud2), 6, 0, ~0ul, 0, 0 },
	{ F(div0), 0, 0, ~0ul, 0, 0 },
	{ F(int3), 3, 1, ~0ul, 0, 0 },
	{ F(kread), 14, 0, 6, 4, 0xffff800000100000ul },           /* user read */
	{ F(kwrite), 14, 0, 6, 6, 0xffffffff80100000ul },          /* user write */
	{ F(noncanon), 13, 0, ~0ul, 0, 0 },
	{ F(null), 14, 0, 7, 4, 8 },                               /* not present */
	{ F(textwrite), 14, 0, 7, 7, (MuWord)fx_textwrite },      /* present, write */
	{ F(nx), 14, 0, 0x15, 0x15, (MuWord)nxpage },             /* instruction fetch */
	{ F(hlt), 13, 0, ~0ul, 0, 0 },
	{ F(cli), 13, 0, ~0ul, 0, 0 },
	{ F(out), 13, 0, ~0ul, 0, 0 },
	{ F(in), 13, 0, ~0ul, 0, 0 },
	{ F(rdmsr), 13, 0, ~0ul, 0, 0 },
	{ F(cr3), 13, 0, ~0ul, 0, 0 },
	{ F(lgdt), 13, 0, ~0ul, 0, 0 },
};

/* The thread that faults: takes ep as its exception handler, runs fn. */
typedef struct FxArg {
	long ep, done;
	Fxfn *fn;
	MuWord arg;
	long ret;
} FxArg;

static FxArg fxa;
static long fxth;
static MuMsg helpermsg;

static void fxthread(void *p)
{
	FxArg *a = p;

	if (mu_threadset(mu_tls()->thread, ThrExcHandler, a->ep, 0) == 0)
		a->ret = a->fn(a->arg);
	mu_threadset(mu_tls()->thread, ThrExcHandler, 0, 0);
	mu_signal(a->done, 1);
}

/* Start fn(arg) in a thread whose exception handler is ep. */
static long fxstart(long ep, long done, Fxfn *fn, MuWord arg)
{
	fxa = (FxArg){ ep, done, fn, arg, 0 };
	fxth = mu_thread_create(fxthread, &fxa, 16384, -1, -1);
	return fxth;
}

static long recvexc(long ep, MuMsg *m)
{
	m->tag = TAG_WITHMS(0, 3000);
	return mu_recv(ep, m);
}

/* A handler thread that takes one exception and exits without answering. */
static long helperdone;

static void recvexc_exit(void *arg)
{
	recvexc((long)arg, &helpermsg);
	mu_signal(helperdone, 1);
}

static long kobj(int type) { return mu_info(InfoKObjects, type); }

/* Wait (bounded) until the number of threads is back to n. */
static long threadsback(long n)
{
	for (int i = 0; i < 2000 && kobj(ObjThread) != n; i++)
		mu_sleep(5);
	return kobj(ObjThread);
}

#define FCHECK(c) do { if (!(c)) { tfail(__FILE__, __LINE__, "%s: %s", f->name, #c); return; } } while (0)
#define FCHECKEQ(a, b) do { long _a = (long)(a), _b = (long)(b); if (_a != _b) { \
	tfail(__FILE__, __LINE__, "%s: %s == %#lx, want %#lx", f->name, #a, _a, _b); return; } } while (0)

/* One exception, handled: check the message and the registers, resume. */
static void handled(const Fx *f, long ep, long bep, long done)
{
	static MuRegs r;
	MuWord rip;
	MuMsg m;

	FCHECK(fxstart(bep, done, f->fn, (MuWord)nxpage) > 0);
	FCHECKEQ(recvexc(ep, &m), 0);
	FCHECKEQ(TAG_LABEL(m.tag), LabelException);
	FCHECKEQ(TAG_WORDS(m.tag), 4);
	FCHECKEQ(m.badge, 0x5a);
	FCHECKEQ(m.mr[0], f->vec);
	rip = f->fn == fx_nx ? (MuWord)nxpage : f->trap ? (MuWord)f->end : (MuWord)f->at;
	FCHECKEQ(m.mr[2], rip);
	FCHECKEQ(m.mr[1] & f->errmask, f->err);
	FCHECKEQ(m.mr[3], f->addr);
	/* stopped: its registers can be read and written */
	FCHECKEQ(mu_threadregs(fxth, &r, 0), 0);
	FCHECKEQ(r.rip, rip);
	FCHECKEQ(r.rax, 0);
	FCHECK(r.fsbase != 0);
	r.rip = (MuWord)f->end;
	r.rax = MAGIC;
	FCHECKEQ(mu_threadregs(fxth, &r, 1), 0);
	m.tag = 0;
	FCHECKEQ(mu_reply(&m), 0);
	FCHECKEQ(mu_wait(done, TAG_WITHMS(0, 3000)), 1);
	FCHECKEQ(fxa.ret, MAGIC);
	mu_close(fxth);
}

static void t_exc(void)
{
	long ep = newep(), bep, done = newntf(), nth = kobj(ObjThread);

	CHECK(ep > 0 && done > 0);
	CHECK((bep = mu_mint(ep, 0x5a, RSend)) > 0);
	for (size_t i = 0; i < nelem(fxs) && !tfailed; i++)
		handled(&fxs[i], ep, bep, done);
	mu_close(bep);
	mu_close(ep);
	mu_close(done);
	if (!tfailed)
		CHECKEQ(threadsback(nth), nth);
}

/*
 * The handler may also ignore the fault: a reply that changes nothing
 * makes the thread fault again; a handler that dies before it answers
 * lets the thread fault again too, with its registers as they were.
 */
static void t_exc_again(void)
{
	static MuRegs r;
	long ep = newep(), done = newntf(), th, nth = kobj(ObjThread);
	MuMsg m;

	CHECK(ep > 0 && done > 0);
	CHECK(fxstart(ep, done, fx_regs, 0) > 0);
	CHECKEQ(recvexc(ep, &m), 0);
	CHECKEQ(m.mr[0], 6);
	CHECKEQ(m.mr[2], (MuWord)fx_regs_at);
	m.tag = 0;
	CHECKEQ(mu_reply(&m), 0);
	CHECKEQ(recvexc(ep, &m), 0); /* the same fault again */
	CHECKEQ(m.mr[0], 6);
	CHECKEQ(m.mr[2], (MuWord)fx_regs_at);
	/* a handler thread that takes the fault and exits without answering */
	helpermsg.tag = 0;
	CHECK((helperdone = newntf()) > 0);
	CHECK((th = mu_thread_create(recvexc_exit, (void *)ep, 16384, -1, -1)) > 0);
	mu_sleep(20);
	m.tag = 0;
	CHECKEQ(mu_reply(&m), 0);
	CHECKEQ(mu_wait(helperdone, TAG_WITHMS(0, 3000)), 1);
	CHECKEQ(TAG_LABEL(helpermsg.tag), LabelException);
	CHECKEQ(mu_wait(done, TAG_POLL), 0);
	CHECKEQ(recvexc(ep, &m), 0); /* and once more, to us */
	CHECKEQ(m.mr[0], 6);
	CHECKEQ(mu_threadregs(fxth, &r, 0), 0);
	CHECKEQ(r.rip, (MuWord)fx_regs_at);
	CHECKEQ(r.rax, 0x7777);
	CHECKEQ(r.rdi, 0x1111);
	CHECKEQ(r.rsi, 0x2222);
	CHECKEQ(r.rdx, 0x3333);
	CHECKEQ(r.r8, 0x8888);
	CHECKEQ(r.r9, 0x9999);
	CHECKEQ(r.r10, 0x1010);
	CHECKEQ(r.rbx, 0xbbbb);
	r.rip = (MuWord)fx_regs_end;
	r.rax = MAGIC;
	CHECKEQ(mu_threadregs(fxth, &r, 1), 0);
	m.tag = 0;
	CHECKEQ(mu_reply(&m), 0);
	CHECKEQ(mu_wait(done, TAG_WITHMS(0, 3000)), 1);
	CHECKEQ(fxa.ret, MAGIC);
	mu_close(th);
	mu_close(fxth);
	mu_close(helperdone);
	mu_close(ep);
	mu_close(done);
	CHECKEQ(threadsback(nth), nth);
}

/*
 * Crashes without a handler.  The role (its name is argv[2]) signals
 * bit 1 on the notification it was given, then faults: the kernel (no
 * exception handler) or the root (its pager refuses the page fault)
 * destroys the task, so bit 2 never comes.
 */
static int deep(int n)
{
	volatile char buf[3000];

	buf[0] = n;
	if (n > 1000000)
		return 0;
	return deep(n + 1) + buf[0];
}

static void crashthread(void *arg)
{
	if (arg)
		fx_null(0);
	else
		fx_ud2(0);
}

static int role_crash(long n)
{
	const char *what = mu_argc > 2 ? mu_argv[2] + 6 : "";

	mu_signal(n, 1);
	for (size_t i = 0; i < nelem(fxs); i++)
		if (strcmp(fxs[i].name, what) == 0)
			fxs[i].fn((MuWord)nxpage);
	if (strcmp(what, "stack") == 0)
		deep(0);
	if (strcmp(what, "thread") == 0 || strcmp(what, "thread.pf") == 0) {
		mu_thread_create(crashthread, (void *)(long)(what[6] != 0), 16384, -1, -1);
		mu_sleep(5000);
	}
	if (strcmp(what, "blocked") == 0) {
		/* an exception handler nobody serves: the thread waits in the fault */
		long ep = newep();
		if (mu_threadset(mu_thread, ThrExcHandler, ep, 0) == 0) {
			mu_signal(n, 4);
			fx_ud2(0);
		}
	}
	mu_signal(n, 2);
	return 0;
}

/* Port I/O (irq.io.* in t_irq.c): none enabled, then only the PIT's. */
static inline void outb(unsigned port, unsigned char v)
{
	__asm__ volatile("outb %0, %w1" ::"a"(v), "Nd"(port));
}

static inline unsigned char inb(unsigned port)
{
	unsigned char v;

	__asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static int role_ionone(long n)
{
	mu_signal(n, 1);
	inb(0x40);
	mu_signal(n, 2);
	return 0;
}

static int role_iosome(long n)
{
	long io = 0;

	/* the test gives us the PIT's ports after the start */
	for (int i = 0; i < 400 && io == 0; i++) {
		for (long h = 1; h < 64 && io == 0; h++)
			if ((mu_handleinfo(h) & 0xff) == ObjIoPorts)
				io = h;
		if (io == 0)
			mu_sleep(5);
	}
	if (io == 0 || mu_ioenable(io) < 0)
		return 1;
	inb(0x40);
	outb(0x43, 0x30);
	mu_signal(n, 1);
	inb(0x44);
	mu_signal(n, 2);
	return 0;
}

static int role_exit(long n)
{
	mu_signal(n, 1);
	return 0;
}

static void exitlater(void *arg)
{
	mu_sleep(20);
	mu_signal((long)arg, 2);
}

/* Both threads end with mu_threadexit; the task goes with the last. */
static int role_lastexit(long n)
{
	mu_signal(n, 1);
	if (mu_thread_create(exitlater, (void *)n, 16384, -1, -1) < 0)
		return 1;
	mu_threadexit();
}

static long freepages(void) { return mu_info(InfoFreePages, 0); }

/* Wait until free pages and kernel objects hold still for 20 ms. */
static void settle(void)
{
	long f = freepages(), k = kobj(0);

	for (int i = 0; i < 50; i++) {
		mu_sleep(20);
		if (freepages() == f && kobj(0) == k)
			return;
		f = freepages();
		k = kobj(0);
	}
}

/*
 * Run child `role`; it must signal `want` and die (killed by us if kill),
 * and afterwards free memory and kernel objects must be as before.
 */
static void ending(const char *role, long want, int kill)
{
	long n = newntf(), t, bits = 0, f0, k0, f1 = 0, k1 = 0;

	if (n < 0) {
		tfail(__FILE__, __LINE__, "%s: newntf %ld", role, n);
		return;
	}
	settle();
	f0 = freepages();
	k0 = kobj(0);
	if ((t = child(role, n)) < 0) {
		tfail(__FILE__, __LINE__, "%s: cannot start: %ld", role, t);
		mu_close(n);
		return;
	}
	if (kill) {
		while (bits != want && (bits |= mu_wait(n, TAG_WITHMS(0, 3000))) > 0)
			;
		mu_sleep(10);
		mu_taskkill(t);
	}
	if (waitdead(t, 5000) < 0) {
		tfail(__FILE__, __LINE__, "%s: still alive", role);
		mu_taskkill(t);
	}
	bits |= mu_wait(n, TAG_POLL);
	mu_close(t);
	for (int i = 0; i < 200; i++) {
		f1 = freepages();
		k1 = kobj(0);
		if (f1 == f0 && k1 == k0)
			break;
		mu_sleep(10);
	}
	mu_close(n);
	if (bits != want)
		tfail(__FILE__, __LINE__, "%s: signalled %#lx, want %#lx", role, bits, want);
	else if (f1 != f0 || k1 != k0)
		tfail(__FILE__, __LINE__, "%s: free pages %ld -> %ld, kernel objects %ld -> %ld", role,
		      f0, f1, k0, k1);
}

static void t_crash(void)
{
	char role[32];

	for (size_t i = 0; i < nelem(fxs) && !tfailed; i++) {
		snprint(role, sizeof role, "crash.%s", fxs[i].name);
		ending(role, 1, 0);
	}
}

static void t_crash_stack(void) { ending("crash.stack", 1, 0); }
static void t_crash_thread(void) { ending("crash.thread", 1, 0); }
static void t_crash_thread_pf(void) { ending("crash.thread.pf", 1, 0); }
static void t_kill_blocked(void) { ending("crash.blocked", 5, 1); }
static void t_exit(void) { ending("exit", 1, 0); }
static void t_lastexit(void) { ending("lastexit", 3, 0); }

const Test fault_tests[] = {
	{ t_exc, "fault.exc" },
	{ t_exc_again, "fault.exc.again" },
	{ t_crash, "fault.crash" },
	{ t_crash_stack, "fault.crash.stack" },
	{ t_crash_thread, "fault.crash.thread" },
	{ t_crash_thread_pf, "fault.crash.thread.pf" },
	{ t_kill_blocked, "fault.kill.blocked" },
	{ t_exit, "fault.exit" },
	{ t_lastexit, "fault.exit.lastthread" },
	{ NULL, NULL },
};

#define CRASH(n) { role_crash, "crash." n }
const Role fault_roles[] = {
	CRASH("ud2"), CRASH("div0"), CRASH("int3"), CRASH("kread"), CRASH("kwrite"),
	CRASH("noncanon"), CRASH("null"), CRASH("textwrite"), CRASH("nx"), CRASH("hlt"),
	CRASH("cli"), CRASH("out"), CRASH("in"), CRASH("rdmsr"), CRASH("cr3"), CRASH("lgdt"),
	CRASH("stack"), CRASH("thread"), CRASH("thread.pf"), CRASH("blocked"),
	{ role_ionone, "io.none" },
	{ role_iosome, "io.some" },
	{ role_exit, "exit" },
	{ role_lastexit, "lastexit" },
	{ NULL, NULL },
};
