/* SPDX-License-Identifier: MIT */
/*
 * Robustness: every system call with random numbers.  The test starts a
 * child task in the "fuzz" role; two of its threads, one pinned to each
 * cpu, make FuzzCalls random system calls between them: random call
 * numbers (valid, just past the table, huge, negative), handles (0, the
 * ones it made, random, negative, huge), pointers (NULL, kernel, not
 * canonical, unmapped, misaligned), lengths, tags and transfer items.
 * The random stream is a fixed-seed xorshift, printed, so a run can be
 * repeated (the interleaving of the two threads differs run to run).
 *
 * The child must not end itself on purpose or block for ever, so a few
 * arguments are filtered before each call (see guard()):
 *   - "protected" handles (its own task, its threads, the pool it was
 *     given, the parent endpoint, the report notification, the sleep
 *     notification) are never closed, moved, killed, written, waited on
 *     or named where a handle is handed out; SysThreadExit is skipped;
 *   - its own address space is changed only inside a sandbox window, and
 *     user pointers the kernel writes through lie in the sandbox, in a
 *     scratch page or in unmapped space, never in live memory;
 *   - every IPC tag on a live endpoint polls or has a timeout of 0-1 ms;
 *   - a task handle is only copied, never moved, and closed only after
 *     the task is killed (otherwise a task of its making, blocked on
 *     one of its endpoints, could outlive it and its memory leak);
 *   - device memory avoids the APICs and other MMIO.
 * Objects come from a small sub-pool and are closed every SweepEvery
 * calls (tasks killed first).  What can still block without limit (a
 * forward, the receive half of a forward-receive) is undone by the
 * main thread: when a thread makes no progress for StuckMs, it closes
 * every object the fuzzer made, which wakes its waiters with ErrGone.
 * The child prints the calls that never succeeded (coverage) and the
 * slowest call (a kernel that holds its lock too long shows there).
 *
 * The parent checks that the child reports its count in time, that no
 * valid call number came back -ErrNoSys (the kernel lost it on the way
 * in), that the kernel still answers, and that free memory and the
 * kernel objects come back once the child is gone.
 */
#include "ktest.h"

typedef unsigned long u64;

enum {
	FuzzCalls = 1000000,   /* random system calls in all */
	FuzzThreads = 2,
	SweepEvery = 8192,     /* a thread's calls between two sweeps */
	FuzzPoolPages = 128,   /* quota of the objects the fuzzer makes */
	NOwned = 32,           /* recently made handles, reused as arguments */
	StuckMs = 20,          /* a thread waits this long: main sweeps */
	FuzzLimitMs = 60000,   /* the child gives up after this */
};

#define SEED 0x6d75737562692121ul    /* "mubi!!" */
#define SANDBOX 0x500000000000ul     /* own mappings change only here */
#define SBPAGES 1024ul
#define SBEND (SANDBOX + SBPAGES * MuPageSize)
#define SCRATCH 0x510000000000ul     /* one page; nothing mapped after it */
#define UNMAPPED 0x300000000000ul    /* never mapped in the fuzz task */
#define KTEXT 0xffffffff80100000ul
#define KPHYS 0xffff800000000000ul
#define NONCANON 0x0000800000000000ul

/*
 * What the child signals: bit 0 (it reports), the calls it made in bits
 * 1..39, the valid calls that came back -ErrNoSys in bits 40..61; bit 62
 * is the parent's own, for the child's death.
 */
#define RPT_CALLS(b) (((b) >> 1) & ((1ul << 39) - 1))
#define RPT_NOSYS(b) (((b) >> 40) & ((1ul << 22) - 1))
#define RPT_DEATH (1ul << 62)

typedef struct Fz {
	u64 s;                 /* xorshift64* state */
	long ncalls;           /* calls to make */
	volatile long calls;   /* calls made */
	volatile int done;
	int id;
	long owned[NOwned];
	signed char ownty[NOwned]; /* their types when made */
	int follow;            /* a receive worked: answer it next, maybe */
	u64 ok[NSys];          /* successes per call */
	long nosys;            /* valid calls that said -ErrNoSys */
	volatile u64 beat;     /* calls made, as the watchdog last saw it */
	u64 slowcyc;           /* the slowest call: its time stamp cycles, */
	long slown;            /* number */
	u64 slowa[6];          /* and arguments */
	long sweeps, tasks, blocked;
} Fz;

static Fz fz[FuzzThreads];
static volatile int go;
static unsigned char prot[MuMaxHandles]; /* 1: never touch; 2: fuzz pool */
static long fpool;

/* Milliseconds since boot.  SysTime cannot fail, but a kernel bug could
 * make any call say -ErrNoSys; fuzz.syscalls counts those elsewhere. */
static u64 now_ms(void)
{
	long t;

	while ((t = mu_time()) < 0)
		;
	return t / 1000000;
}

static u64 rnd(Fz *f)
{
	u64 x = f->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->s = x;
	return x * 0x2545f4914f6cdd1dul;
}

static int isprot(u64 h) { return h < MuMaxHandles && prot[h] == 1; }
static int noclose(u64 h) { return h < MuMaxHandles && prot[h] != 0; }

static long htype(u64 h)
{
	long i = mu_handleinfo(h);
	return i < 0 ? -1 : (i & 0xff);
}

/* A number of any kind. */
static u64 rnum(Fz *f)
{
	u64 r = rnd(f);

	switch (r % 16) {
	case 0: return 0;
	case 1: return 1;
	case 2: return (r >> 8) % 64;
	case 3: return -1ul;
	case 4: return 1ul << 63;
	case 5: return rnd(f);
	case 6: return (unsigned int)rnd(f);
	case 7: return 1ul << ((r >> 8) % 64);
	case 8: return (1ul << ((r >> 8) % 64)) - 1;
	case 9: return ((r >> 8) % 1024) * MuPageSize;
	case 10: return MuMaxHandles;
	case 11: return -1ul - (r >> 8) % 16;
	case 12: return (r >> 8) & 0xffff;
	default: return (r >> 8) % 16;
	}
}

static u64 rhandle(Fz *f)
{
	u64 r = rnd(f);

	switch (r % 16) {
	case 0: return 0;
	case 1: case 2: return 1 + (r >> 8) % 31;
	case 3: return rnd(f);
	case 4: return -1ul - (r >> 8) % 4;
	case 5: return (r >> 8) & 1 ? MuMaxHandles + (r >> 9) % 4 : 1ul << (32 + (r >> 9) % 32);
	case 6: return fpool;
	default: return f->owned[(r >> 8) % NOwned];
	}
}

/* A handle, half the time one the fuzzer made of type ty (if any). */
static u64 rh(Fz *f, int ty)
{
	u64 r = rnd(f);

	if (r & 1) {
		if (ty == ObjTask && r & 2)
			return HSelfTask;
		if (ty == ObjPool && r & 2)
			return fpool;
		for (int i = 0, j = (r >> 8) % NOwned; i < NOwned; i++, j = (j + 1) % NOwned)
			if (f->ownty[j] == ty)
				return f->owned[j];
	}
	return rhandle(f);
}

/* A user or kernel address: mostly bad, sometimes in the sandbox. */
static u64 rptr(Fz *f)
{
	u64 r = rnd(f), lo = (r >> 8) & 0xfff, pg = ((r >> 20) % 4096) * MuPageSize;

	switch (r % 14) {
	case 0: return 0;
	case 1: return lo;
	case 2: return KTEXT + pg + lo;
	case 3: return KPHYS + pg + lo;
	case 4: return NONCANON + pg + lo;
	case 5: return rnd(f);
	case 6: return UNMAPPED + pg + lo;
	case 7: return SCRATCH + lo;
	case 8: return SCRATCH + MuPageSize - 1 - (lo & 0xff);
	case 9: return SANDBOX + pg % (SBPAGES * MuPageSize);
	case 10: return SANDBOX + pg % (SBPAGES * MuPageSize) + lo;
	case 11: return MU_USER_TOP - MuPageSize;
	case 12: return -1ul - lo;
	default: return (r >> 8) & 1 ? 1ul << 63 : -(u64)MuPageSize;
	}
}

/* A length or count: 0, small, a page's worth, or huge. */
static u64 rlen(Fz *f)
{
	u64 r = rnd(f);

	switch (r % 10) {
	case 0: return 0;
	case 1: case 2: return 1 + (r >> 8) % 8;
	case 3: return 1 + (r >> 8) % 600;
	case 4: return 1ul << 20;
	case 5: return (1ul << 20) + 1;
	case 6: return 1ul << 24;
	case 7: return 1ul << ((r >> 8) % 64);
	case 8: return -1ul - (r >> 8) % 2;
	default: return rnd(f);
	}
}

/* A tag with random label, words, items and flags. */
static u64 rtag(Fz *f)
{
	u64 r = rnd(f), words, items;

	words = r & 1 ? (r >> 1) % 5 : r & 2 ? (r >> 2) % 65 : (r >> 2) % 128;
	items = r & 4 ? 0 : (r >> 3) % 8;
	return (r >> 16 & 0xffff) | words << 16 | items << 24 | (rnd(f) & 0xfffffffff0000000ul);
}

/* Pointers the kernel writes through (or prints from): never live memory. */
static u64 safeptr(u64 p)
{
	if (p >= MU_USER_TOP || (p >= SANDBOX && p < SBEND) || (p >= SCRATCH && p < SCRATCH + MuPageSize) ||
	    (p >= UNMAPPED && p < UNMAPPED + (1ul << 40)))
		return p;
	return UNMAPPED + (p & 0xffffffffful);
}

/* Readable user memory is never given to SysDebugPut with a length. */
static u64 badptr(u64 p)
{
	if (p >= MU_USER_TOP || (p >= UNMAPPED && p < UNMAPPED + (1ul << 40)))
		return p;
	return UNMAPPED + (p & 0xffffffffful);
}

/* A page range of the fuzz task itself: inside the sandbox if the kernel
 * might accept it at all. */
static void sandbox(u64 *va, u64 *n)
{
	if ((*va & (MuPageSize - 1)) || *va >= MU_USER_TOP || *n == 0 || *n > (1ul << 24))
		return;
	*va = SANDBOX + (*va % (SBPAGES * MuPageSize) & ~(MuPageSize - 1));
	if (*n > (SBEND - *va) / MuPageSize)
		*n = (SBEND - *va) / MuPageSize;
}

/* The receive window of this thread: in the sandbox if the kernel would
 * use it. */
static void rwindow(Fz *f, MuIpcBuf *b)
{
	u64 r = rnd(f), win = r & 1 ? rptr(f) : SANDBOX + (r >> 8) % SBPAGES * MuPageSize;
	u64 wn = r & 2 ? rlen(f) : (r >> 20) % 32;

	if (wn <= (1ul << 24) && !(win & (MuPageSize - 1)) && win < MU_USER_TOP &&
	    wn <= (MU_USER_TOP - win) / MuPageSize) {
		if (win < SANDBOX || win >= SBEND)
			win = SANDBOX + (win % (SBPAGES * MuPageSize) & ~(MuPageSize - 1));
		if (wn > (SBEND - win) / MuPageSize)
			wn = (SBEND - win) / MuPageSize;
	}
	b->winbase = win;
	b->winpages = wn;
}

/* Transfer items and the words past mr3 of the next message. */
static void ritems(Fz *f, MuIpcBuf *b, u64 tag)
{
	u64 r = rnd(f);

	if (r % 8 == 0)
		for (int i = 4; i < MuMaxWords; i++)
			b->mr[i] = rnum(f);
	if (r % 16 == 1)
		rwindow(f, b);
	if (TAG_ITEMS(tag) == 0)
		return;
	for (int i = 0; i < MuMaxItems; i++) {
		MuItem *it = &b->item[i];
		u64 k = rnd(f);
		it->kind = (k % 8 < 6 ? 1 + k % 3 : k % 16) | (k & 0x100 ? ITEM_MOVE : 0) |
			   ITEM_RIGHTS(k >> 16 & 0xff);
		if (k & 0x200)
			it->kind = rnum(f);
		switch (it->kind & 0xf) {
		case ItemHandle:
			it->a = rhandle(f);
			it->b = k & 0x400 ? RAll : rnum(f);
			if (noclose(it->a) && ((it->kind & ITEM_MOVE) || isprot(it->a)))
				it->a = 0;
			else if (htype(it->a) == ObjTask)
				it->kind &= ~(MuWord)ITEM_MOVE;
			break;
		case ItemMap:
		case ItemGrant:
			it->a = k & 0x800 ? rptr(f) : SANDBOX + (k >> 24) % SBPAGES * MuPageSize;
			it->b = k & 0x1000 ? rlen(f) : 1 + (k >> 40) % 16;
			sandbox(&it->a, &it->b);
			break;
		default:
			it->a = rnum(f);
			it->b = rnum(f);
		}
	}
}

/* IPC flags: mostly poll, else a timeout of 0..1 ms (a call always has
 * a timeout, which also bounds its wait for the reply). */
static u64 ipcflags(Fz *f, u64 tag, int call)
{
	u64 r = rnd(f);

	tag &= 0x0ffffffful;
	if (r % 8 != 0)
		return call ? TAG_WITHMS(tag | TAG_POLL, (r >> 8) % 2) : tag | TAG_POLL;
	return TAG_WITHMS(tag | (r & 8 ? TAG_POLL : 0), (r >> 8) % 2);
}

/* Kill the tasks and close every handle the fuzzer made. */
static void sweep(Fz *f)
{
	for (long h = 1; h < MuMaxHandles; h++) {
		if (noclose(h))
			continue;
		long i = mu_handleinfo(h);
		if (i < 0)
			continue;
		if ((i & 0xff) == ObjTask)
			mu_taskkill(h);
		mu_close(h);
	}
	if (f)
		f->sweeps++;
}

/* Adjust a's arguments for call n; returns 0 to skip the call. */
static int guard(Fz *f, long n, u64 *a)
{
	long ty;

	switch (n) {
	case SysDebugPut:
		if (a[1] != 0 && a[1] <= (1ul << 20))
			a[0] = badptr(a[0]);
		break;
	case SysClose:
		if (noclose(a[0]))
			a[0] = 0;
		else if (htype(a[0]) == ObjTask)
			mu_taskkill(a[0]);
		break;
	case SysDup:
	case SysMint:
	case SysThreadStart:
	case SysThreadRegs:
	case SysTaskKill:
	case SysSignal:
	case SysIrqAck:
	case SysIoCreate:
	case SysIoEnable:
		if (isprot(a[0]))
			a[0] = 0;
		if (n == SysThreadRegs)
			a[1] = safeptr(a[1]);
		break;
	case SysHandleGive:
		if (isprot(a[1]) || (noclose(a[1]) && a[3]))
			a[1] = 0;
		else if ((ty = htype(a[1])) == ObjTask)
			a[3] = 0;
		break;
	case SysPoolCreate:
	case SysObjCreate:
	case SysMemAlloc:
	case SysMemPhys:
		if (isprot(a[0]))
			a[0] = fpool;
		if (n == SysMemPhys && !(a[1] & (MuPageSize - 1)) && a[2] && a[2] <= (1ul << 20) &&
		    a[1] + a[2] * MuPageSize <= (1ul << 46)) {
			/* no APIC, HPET or PCI windows; no huge page tables */
			if (a[2] > 64)
				a[2] = 1 + a[2] % 64;
			if (a[1] < 0x100000000ul && a[1] + a[2] * MuPageSize > 0xc0000000ul)
				a[1] += 0x100000000ul;
		}
		break;
	case SysThreadCreate:
		if (isprot(a[0]))
			a[0] = fpool;
		if (isprot(a[1]))
			a[1] = 0;
		break;
	case SysThreadSet:
		if (isprot(a[0]))
			a[0] = 0;
		if ((a[1] == ThrPager || a[1] == ThrExcHandler || a[1] == ThrBindNtf) && isprot(a[2]))
			a[2] = 0;
		break;
	case SysThreadExit:
		return 0;
	case SysTaskSet:
		if (isprot(a[0]) && a[0] != HSelfTask)
			a[0] = 0;
		if (isprot(a[2]))
			a[2] = 0;
		break;
	case SysMap:
		if (isprot(a[1]))
			a[1] = 0;
		/* fall through */
	case SysUnmap:
	case SysProtect:
		if (a[0] == HSelfTask) {
			if (n == SysMap)
				sandbox(&a[3], &a[4]);
			else
				sandbox(&a[1], &a[2]);
		} else if (isprot(a[0]))
			a[0] = 0;
		break;
	case SysIrqCreate:
		if (isprot(a[2]))
			a[2] = 0;
		break;
	case SysWait:
		if (isprot(a[0]))
			a[0] = 0;
		a[1] = ipcflags(f, a[1], 0);
		break;
	case SysSend:
	case SysRecv:
	case SysCall:
	case SysReplyRecv:
	case SysForward:
	case SysForwardRecv:
	case SysReplyTo:
		if (isprot(a[0]))
			a[0] = 0;
		ty = htype(a[0]);
		if (n == SysForwardRecv) {
			u64 rh = (a[1] >> 32) & 0xffff;
			if (isprot(rh))
				a[1] &= ~(0xfffful << 32);
		} else if (n != SysReplyTo && (ty == ObjEndpoint || rnd(f) % 4 != 0)) {
			/* a live endpoint (or by chance): never wait for ever */
			a[1] = ipcflags(f, a[1], n == SysCall);
		}
		ritems(f, mu_ipcbuf(), a[1]);
		break;
	case SysReply:
		ritems(f, mu_ipcbuf(), a[0]);
		break;
	}
	return 1;
}

/* Remember a handle a call made. */
static void note(Fz *f, long n, long r)
{
	switch (n) {
	case SysDup:
	case SysMint:
	case SysHandleGive:
	case SysPoolCreate:
	case SysObjCreate:
	case SysThreadCreate:
	case SysReplySave:
	case SysMemAlloc:
	case SysMemPhys:
	case SysIoCreate:
	case SysIrqCreate:
		if (r > 0 && r < MuMaxHandles) {
			int i = rnd(f) % NOwned;
			f->owned[i] = r;
			f->ownty[i] = htype(r);
			if (n == SysObjCreate && f->ownty[i] == ObjTask)
				f->tasks++;
		}
		break;
	case SysRecv:
	case SysReplyRecv:
	case SysForwardRecv:
		f->follow = r == 0;
	}
}

/* One random system call. */
static void fuzzone(Fz *f)
{
	u64 r = rnd(f), a[6];
	long n, res;

	static const long answer[] = { SysReply, SysReplySave, SysForward, SysForwardRecv, SysReplyRecv };

	if (f->follow && r & 0x100000000ul) {
		/* after a receive: the calls that need a caller */
		n = answer[(r >> 8) % nelem(answer)];
		f->follow = 0;
	} else {
		switch (r % 32) {
		case 0: n = NSys + (r >> 8) % 64; break;
		case 1: n = (long)rnum(f); break;
		default: n = (r >> 8) % NSys;
		}
	}
	/* arguments by what each position usually means, then mixed up */
	a[0] = rhandle(f);
	a[1] = rnum(f);
	a[2] = rnum(f);
	a[3] = rnum(f);
	a[4] = rnum(f);
	a[5] = rnum(f);
	switch (n) {
	case SysDebugPut: a[0] = rptr(f); a[1] = rlen(f); break;
	case SysInfo: a[0] = (r >> 16) % 10; a[1] = rh(f, ObjPool); break;
	case SysDup: a[1] = r & 0x10000 ? RAll : rnum(f); break;
	case SysMint: a[0] = rh(f, r & 0x10000 ? ObjEndpoint : ObjNotification); a[2] = RAll & rnum(f); break;
	case SysHandleGive: a[0] = rh(f, ObjTask); a[1] = rhandle(f); a[2] = r & 0x10000 ? RAll : rnum(f); break;
	case SysPoolCreate: a[0] = rh(f, ObjPool); a[1] = rlen(f); break;
	case SysObjCreate: a[0] = rh(f, ObjPool); a[1] = (r >> 16) % (NObj + 2); break;
	case SysThreadCreate: a[0] = rh(f, ObjPool); a[1] = rh(f, ObjTask); break;
	case SysThreadStart: a[0] = rh(f, ObjThread); a[1] = rptr(f); a[2] = rptr(f); break;
	case SysThreadSet:
		a[0] = rh(f, ObjThread);
		a[1] = (r >> 16) % 9;
		if (a[1] == ThrPager || a[1] == ThrExcHandler)
			a[2] = rh(f, ObjEndpoint);
		else if (a[1] == ThrBindNtf)
			a[2] = rh(f, ObjNotification);
		else if (a[1] == ThrIpcBuf || a[1] == ThrFsBase)
			a[2] = rptr(f);
		break;
	case SysThreadRegs: a[0] = rh(f, ObjThread); a[1] = rptr(f); a[2] = (r >> 16) & 1; break;
	case SysTaskKill: a[0] = rh(f, ObjTask); break;
	case SysTaskSet:
		a[0] = rh(f, ObjTask);
		a[1] = r & 0x10000 ? TaskDeathNtf : rnum(f);
		a[2] = rh(f, ObjNotification);
		a[3] = r & 0x20000 ? 1ul << (r >> 24) % 64 : rnum(f);
		break;
	case SysSend: case SysCall: case SysRecv: case SysReplyRecv: case SysForward:
		a[0] = rh(f, ObjEndpoint); a[1] = rtag(f); break;
	case SysReplyTo: a[0] = rh(f, ObjReply); a[1] = rtag(f); break;
	case SysForwardRecv:
		a[0] = rh(f, ObjEndpoint);
		a[1] = (rtag(f) & 0xfffffffful) | (rh(f, ObjEndpoint) & 0xffff) << 32;
		break;
	case SysReply: a[0] = rtag(f); break;
	case SysSignal: a[0] = rh(f, ObjNotification); break;
	case SysWait: a[0] = rh(f, ObjNotification); a[1] = rtag(f); break;
	case SysMemAlloc: a[0] = rh(f, ObjPool); a[1] = rlen(f); a[2] = (r >> 16) % 8; break;
	case SysMemPhys:
		a[0] = rh(f, ObjPool);
		a[1] = rnd(f) % 2 ? rnum(f) : ((r >> 16) % 0x200000) * MuPageSize;
		a[2] = rlen(f);
		break;
	case SysMemInfo: a[0] = rh(f, ObjMemory); a[1] = r & 0x10000 ? -1ul : rnum(f) % 8; break;
	case SysMap:
		a[0] = rh(f, ObjTask);
		a[1] = rh(f, ObjMemory);
		a[2] = rnum(f) % 4;
		a[3] = rptr(f) & (r & 0x10000 ? -1ul : ~(u64)(MuPageSize - 1));
		a[4] = r & 0x20000 ? 1 + (r >> 24) % 8 : rlen(f);
		a[5] = r & 0x40000 ? rnum(f) : RRead | ((r >> 28) & (RWrite | RExec));
		break;
	case SysUnmap:
	case SysProtect:
		a[0] = rh(f, ObjTask);
		a[1] = rptr(f) & (r & 0x10000 ? -1ul : ~(u64)(MuPageSize - 1));
		a[2] = r & 0x20000 ? 1 + (r >> 24) % 8 : rlen(f);
		break;
	case SysIrqCreate: a[1] = rnum(f); a[2] = rh(f, ObjNotification); break;
	}
	if (r % 64 == 63) /* sometimes anything anywhere */
		for (int i = 0; i < 6; i++)
			if (rnd(f) % 3 == 0)
				a[i] = rnd(f) % 2 ? rnum(f) : rptr(f);
	if (n >= 0 && n < NSys && !guard(f, n, a))
		return;
	u64 c0 = __builtin_ia32_rdtsc();
	res = mu_sys6(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	c0 = __builtin_ia32_rdtsc() - c0;
	if (c0 > f->slowcyc) {
		f->slowcyc = c0;
		f->slown = n;
		memcpy(f->slowa, a, sizeof f->slowa);
	}
	if (n >= 0 && n < NSys) {
		if (res >= 0)
			f->ok[n]++;
		else if (res == -ErrNoSys && f->nosys++ == 0)
			print("fuzz: call %ld said -ErrNoSys (a valid call: the kernel lost its number)\n", n);
		note(f, n, res);
	} else if (res != -ErrNoSys) {
		print("fuzz: call %ld returned %ld, not -ErrNoSys\n", n, res);
	}
}

static void fuzzthread(void *arg)
{
	Fz *f = arg;

	while (!go)
		mu_yield();
	while (f->calls < f->ncalls) {
		fuzzone(f);
		f->calls++;
		if (f->calls % SweepEvery == 0)
			sweep(f);
	}
	f->done = 1;
}

static const char *const sysname[NSys] = {
	[SysNull] = "Null", [SysDebugPut] = "DebugPut", [SysDebugGet] = "DebugGet",
	[SysInfo] = "Info", [SysTime] = "Time", [SysYield] = "Yield", [SysClose] = "Close",
	[SysDup] = "Dup", [SysMint] = "Mint", [SysHandleInfo] = "HandleInfo",
	[SysHandleGive] = "HandleGive", [SysPoolCreate] = "PoolCreate",
	[SysObjCreate] = "ObjCreate", [SysThreadCreate] = "ThreadCreate",
	[SysThreadStart] = "ThreadStart", [SysThreadSet] = "ThreadSet",
	[SysThreadExit] = "ThreadExit", [SysThreadRegs] = "ThreadRegs",
	[SysTaskKill] = "TaskKill", [SysTaskSet] = "TaskSet", [SysSend] = "Send",
	[SysRecv] = "Recv", [SysCall] = "Call", [SysReply] = "Reply",
	[SysReplyRecv] = "ReplyRecv", [SysForward] = "Forward",
	[SysForwardRecv] = "ForwardRecv", [SysReplySave] = "ReplySave",
	[SysReplyTo] = "ReplyTo", [SysSignal] = "Signal", [SysWait] = "Wait",
	[SysMemAlloc] = "MemAlloc", [SysMemPhys] = "MemPhys", [SysMemInfo] = "MemInfo",
	[SysMap] = "Map", [SysUnmap] = "Unmap", [SysProtect] = "Protect",
	[SysIrqCreate] = "IrqCreate", [SysIrqAck] = "IrqAck", [SysIoCreate] = "IoCreate",
	[SysIoEnable] = "IoEnable",
};

/*
 * The child: protect what it lives on, start the threads, watch them,
 * clean up, report the number of calls on notification h.
 */
static int role_fuzz(long h)
{
	long ncpu = mu_info(InfoNCpu, 0), total = 0, scratch;
	u64 t0, c0, ms;
	int stuck[FuzzThreads] = { 0 };
	char line[256];
	int n = 0;

	mu_sleep(1); /* makes this thread's sleep notification now */
	prot[HSelfTask] = prot[mu_thread] = prot[mu_pool] = prot[mu_parent] = 1;
	prot[h] = prot[mu_tls()->user[2]] = 1; /* mu.c keeps it in user[2] */
	if ((fpool = mu_poolcreate(mu_pool, FuzzPoolPages)) < 0 ||
	    (scratch = mu_memalloc(mu_pool, 1, MemZero)) < 0 ||
	    mu_map(HSelfTask, scratch, 0, SCRATCH, 1, RRead | RWrite) < 0) {
		print("fuzz: cannot set up\n");
		return 1;
	}
	mu_close(scratch);
	prot[fpool] = 2;
	for (int i = 0; i < MuPageSize / 8; i++)
		((u64 *)SCRATCH)[i] = SEED * (i + 1);
	print("fuzz: seed %#lx, %d calls on %d threads, %ld cpus\n", SEED, FuzzCalls, FuzzThreads, ncpu);
	for (int i = 0; i < FuzzThreads; i++) {
		Fz *f = &fz[i];
		long th;
		f->id = i;
		f->s = SEED ^ (0x9e3779b97f4a7c15ul * (i + 1));
		f->ncalls = FuzzCalls / FuzzThreads + (i == 0 ? FuzzCalls % FuzzThreads : 0);
		if ((th = spawnthread(fuzzthread, f, ncpu > 0 ? i % ncpu : -1)) < 0) {
			print("fuzz: cannot start thread %d: %s\n", i, mu_errstr(th));
			return 1;
		}
		prot[th] = 1;
	}
	t0 = now_ms();
	c0 = __builtin_ia32_rdtsc();
	go = 1;
	for (;;) {
		int done = 1, unblock = 0;
		total = 0;
		for (int i = 0; i < FuzzThreads; i++) {
			Fz *f = &fz[i];
			long c = f->calls;
			total += c;
			done &= f->done;
			/* a thread that waits too long: sweep, which wakes it */
			if (f->done || (u64)c != f->beat)
				stuck[i] = 0;
			else if ((stuck[i] += 5) >= StuckMs) {
				f->blocked++;
				stuck[i] = 0;
				unblock = 1;
			}
			f->beat = c;
		}
		ms = now_ms() - t0;
		if (done || ms > FuzzLimitMs)
			break;
		if (unblock)
			sweep(NULL);
		mu_sleep(5);
	}
	sweep(NULL);
	long ntask = 0, nsweep = 0, nblock = 0;
	for (int i = 0; i < FuzzThreads; i++) {
		ntask += fz[i].tasks;
		nsweep += fz[i].sweeps;
		nblock += fz[i].blocked;
	}
	print("fuzz: %ld calls in %lu ms, %ld tasks made, %ld sweeps, %ld unblocked by the watchdog\n",
	      total, ms, ntask, nsweep, nblock);
	n = snprint(line, sizeof line, "fuzz: never succeeded:");
	for (int c = 0; c < NSys; c++)
		if (fz[0].ok[c] + fz[1].ok[c] == 0 && c != SysThreadExit)
			n += snprint(line + n, sizeof line - n, " %s", sysname[c] ? sysname[c] : "?");
	print("%s\n", line);
	Fz *sf = fz[0].slowcyc > fz[1].slowcyc ? &fz[0] : &fz[1];
	u64 cps = (__builtin_ia32_rdtsc() - c0) / (ms ? ms : 1); /* cycles per ms */
	print("fuzz: slowest call %ld (%lx %lx %lx %lx %lx %lx) took %lu ms\n", sf->slown, sf->slowa[0],
	      sf->slowa[1], sf->slowa[2], sf->slowa[3], sf->slowa[4], sf->slowa[5], sf->slowcyc / (cps ? cps : 1));
	long nosys = fz[0].nosys + fz[1].nosys;
	if (nosys)
		print("fuzz: %ld valid calls came back -ErrNoSys\n", nosys);
	mu_signal(h, (u64)(nosys < (1l << 22) ? nosys : (1l << 22) - 1) << 40 | (u64)total << 1 | 1);
	return 0;
}

/* Every call number past the table, and some far beyond, is -ErrNoSys. */
static void t_nosys(void)
{
	static const long far[] = { -1, -2, -NSys, 1l << 31, 1l << 32, 1l << 62, -(1l << 62), 0x7fffffffffffffffl,
				    (long)0x8000000000000000ul, 255, 256, 1000 };

	for (long n = NSys; n < NSys + 300; n++)
		CHECKEQ(mu_sys6(n, n, -1, 0, KTEXT, NONCANON, 1), -ErrNoSys);
	for (size_t i = 0; i < nelem(far); i++)
		CHECKEQ(mu_sys6(far[i], 1, 2, 3, 4, 5, 6), -ErrNoSys);
	CHECKEQ(mu_null(), 0);
}

static void t_syscalls(void)
{
	long ntf = newntf(), t, free0, obj0, free1 = 0, obj1 = 0, bits = 0, b;
	u64 t0 = now_ms();

	CHECK(ntf > 0);
	mu_sleep(1);
	free0 = mu_info(InfoFreePages, 0);
	obj0 = mu_info(InfoKObjects, 0);
	CHECK((t = child("fuzz", ntf)) > 0);
	CHECKEQ(mu_taskset(t, TaskDeathNtf, ntf, RPT_DEATH), 0);
	while (!(bits & RPT_DEATH)) {
		u64 left = (FuzzLimitMs + 30000) - (now_ms() - t0);
		if ((long)left <= 0 || (b = mu_wait(ntf, TAG_WITHMS(0, left))) <= 0)
			break;
		bits |= b;
	}
	if (!(bits & RPT_DEATH)) {
		mu_taskkill(t);
		waitdead(t, 5000);
	}
	mu_close(t);
	CHECK(bits & RPT_DEATH);       /* it ended in time */
	CHECK(bits & 1);               /* and reported */
	CHECK(RPT_CALLS(bits) >= FuzzCalls);
	CHECKEQ(RPT_NOSYS(bits), 0);   /* no valid call was lost on the way in */
	/* the kernel still works */
	CHECKEQ(mu_null(), 0);
	CHECK(mu_info(InfoNCpu, 0) >= 1);
	CHECKEQ(mu_signal(ntf, 4), 0);
	CHECKEQ(mu_wait(ntf, TAG_POLL), 4);
	/* and everything the child had comes back (root reaps it soon) */
	for (int i = 0; i < 500; i++) {
		free1 = mu_info(InfoFreePages, 0);
		obj1 = mu_info(InfoKObjects, 0);
		if (free1 >= free0 && obj1 <= obj0)
			break;
		mu_sleep(10);
	}
	mu_close(ntf);
	if (free1 < free0 || obj1 > obj0) {
		for (int ty = 1; ty < NObj; ty++)
			print("fuzz: kernel objects of type %d: %ld\n", ty, mu_info(InfoKObjects, ty));
		tfail(__FILE__, __LINE__, "free pages %ld -> %ld, kernel objects %ld -> %ld", free0, free1, obj0,
		      obj1);
	}
}

const Test fuzz_tests[] = {
	{ t_nosys, "fuzz.nosys" },
	{ t_syscalls, "fuzz.syscalls" },
	{ NULL, NULL },
};

const Role fuzz_roles[] = {
	{ role_fuzz, "fuzz" },
	{ NULL, NULL },
};
