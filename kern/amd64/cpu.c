/* SPDX-License-Identifier: MIT */
/*
 * Per-cpu machine state: descriptor tables (GDT with TSS, IDT), the
 * syscall MSRs, control registers, FPU switching, the kernel lock and the
 * small arch_ helpers.  Traps themselves are in trap.c, page tables in mmu.c.
 */
#include "port/kern.h"
#include "amd64/amd64.h"

typedef struct __attribute__((packed)) Tss {
	u32 rsvd0;
	u64 rsp0, rsp1, rsp2;
	u64 rsvd1;
	u64 ist[7];
	u64 rsvd2;
	u16 rsvd3;
	u16 iomap;
	u8 iobitmap[8192 + 1]; /* last byte all ones, as the SDM asks */
} Tss;
_Static_assert(offsetof(Tss, iobitmap) == TSS_IOMAP_ON, "TSS_IOMAP_ON");

typedef struct __attribute__((packed)) Gate {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, rsvd;
} Gate;

typedef struct CpuTables {
	u64 gdt[8];
	Tss tss __attribute__((aligned(16)));
	u8 dfstack[4096] __attribute__((aligned(16)));
} CpuTables;

static Gate idt[256];
extern char vectors_start[];
extern char syscall_entry[];
extern u64 kernel_lock;
u64 kernel_pml4;      /* physical: kernel half only, loaded when idle */
extern int has_pcid;

/* The register and cpu offsets entry.S uses must match the structs. */
_Static_assert(offsetof(Thread, regs) == 0, "regs first");
_Static_assert(offsetof(Regs, rax) == R_RAX && offsetof(Regs, r15) == R_R15, "regs");
_Static_assert(offsetof(Regs, rip) == R_RIP && offsetof(Regs, rsp) == R_RSP, "regs");
_Static_assert(offsetof(Regs, full) == R_FULL, "regs");
_Static_assert(offsetof(Thread, o.dead) == T_DEAD, "thread");
_Static_assert(ASM_NSYS == NSys && ASM_ENOSYS == ErrNoSys && ASM_EGONE == ErrGone, "abi");
_Static_assert(offsetof(Cpu, kstack) == CPU_KSTACK && offsetof(Cpu, cur) == CPU_CUR, "cpu");
_Static_assert(offsetof(Cpu, slow) == CPU_SLOW && offsetof(Cpu, usp) == CPU_USP, "cpu");
_Static_assert(offsetof(Cpu, kentries) == CPU_KENTRIES, "cpu");
_Static_assert(offsetof(Cpu, switches) == CPU_SWITCHES, "cpu");
_Static_assert(offsetof(Cpu, flushreq) == CPU_FLUSHREQ, "cpu");

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u64 rdcr0(void) { u64 v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline void wrcr0(u64 v) { asm volatile("mov %0, %%cr0" ::"r"(v)); }
static inline u64 rdcr4(void) { u64 v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void wrcr4(u64 v) { asm volatile("mov %0, %%cr4" ::"r"(v)); }

static void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static void setgate(int v, void *fn, int ist, int dpl)
{
	u64 a = (u64)fn;
	idt[v] = (Gate){ .off0 = a, .sel = KCODE, .ist = ist, .type = 0x8e | dpl << 5,
			 .off1 = a >> 16, .off2 = a >> 32 };
}

/* Called once on the boot cpu, before anything else uses the machine. */
void arch_init(void)
{
	u32 r[4];

	for (int v = 0; v < 256; v++)
		setgate(v, vectors_start + 16 * v, v == 8 ? 1 : 0, v == 3 ? 3 : 0); /* int3 from user: #BP */
	cpuid(1, 0, r);
	has_pcid = (r[2] >> 17) & 1;
	kernel_pml4 = (u64)boot_pml4 - KERNBASE;
}

/* Per cpu: descriptor tables, gs base, syscall entry, control registers. */
void arch_cpu_init(Cpu *c)
{
	CpuTables *t = kalloc(sizeof *t);
	struct __attribute__((packed)) { u16 lim; u64 base; } gdtr, idtr;
	u64 tss = (u64)&t->tss;

	if (t == NULL)
		panic("no memory for cpu tables");
	c->self = c;
	c->tss = &t->tss;
	c->iomap = (u16 *)((u8 *)&t->tss + offsetof(Tss, iomap)); /* 2-aligned */
	c->gdt = t->gdt;
	t->gdt[1] = 0x00209a0000000000; /* KCODE */
	t->gdt[2] = 0x0000920000000000; /* KDATA */
	t->gdt[3] = 0x00cffa000000ffff; /* UCODE32, unused */
	t->gdt[4] = 0x0000f20000000000; /* UDATA */
	t->gdt[5] = 0x0020fa0000000000; /* UCODE */
	u64 lim = sizeof(Tss) - 1;
	t->gdt[6] = (lim & 0xffff) | (tss & 0xffffff) << 16 | 0x89ul << 40 |
		    ((lim >> 16) & 0xf) << 48 | ((tss >> 24) & 0xff) << 56;
	t->gdt[7] = tss >> 32;
	t->tss.rsp0 = c->kstack;
	t->tss.ist[0] = (u64)t->dfstack + sizeof t->dfstack;
	t->tss.iomap = 0xffff; /* beyond the limit: every port denied */
	memset(t->tss.iobitmap, 0xff, sizeof t->tss.iobitmap);

	gdtr.lim = sizeof t->gdt - 1;
	gdtr.base = (u64)t->gdt;
	idtr.lim = sizeof idt - 1;
	idtr.base = (u64)idt;
	asm volatile("lgdt %0; lidt %1" ::"m"(gdtr), "m"(idtr));
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" ::"r"(KDATA));
	asm volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:" ::"i"(KCODE) : "rax", "memory");
	asm volatile("ltr %w0" ::"r"(TSSSEL));
	asm volatile("mov %0, %%fs; mov %0, %%gs" ::"r"(0));
	wrmsr(MSR_GSBASE, (u64)c);
	wrmsr(MSR_KGSBASE, 0);
	wrmsr(MSR_STAR, (u64)KCODE << 32 | (u64)UCODE32 << 48);
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_FMASK, 0x47700); /* IF TF DF AC NT IOPL cleared on entry */
	wrcr4(rdcr4() | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT | (has_pcid ? CR4_PCIDE : 0));
	wrcr0((rdcr0() | CR0_MP | CR0_TS) & ~(u64)CR0_EM);
	c->ts = 1;
}

/* Kernel lock: taken on every entry, released on every exit. */
void arch_lock(void)
{
	while (__atomic_fetch_or(&kernel_lock, 1, __ATOMIC_ACQUIRE) & 1) {
		asm volatile("pause");
		if (thiscpu()->flushreq)
			tlb_flush_local();
	}
}

void arch_unlock(void)
{
	__atomic_store_n(&kernel_lock, 0, __ATOMIC_RELEASE);
}

void tlb_flush_local(void)
{
	arch_flush_tlb();
	thiscpu()->flushreq = 0;
}

/*
 * FPU state follows a thread only once it has used the FPU (its first use
 * traps with #NM, see trap.c); threads that never do cost nothing here.
 */
void arch_fpu_switch(Thread *from, Thread *to)
{
	Cpu *c = thiscpu();

	if (from && from->fpu_used && !from->o.dead)
		asm volatile("fxsave64 (%0)" ::"r"(from->fpu) : "memory");
	if (to && to->fpu_used) {
		if (c->ts) {
			asm volatile("clts");
			c->ts = 0;
		}
		asm volatile("fxrstor64 (%0)" ::"r"(to->fpu) : "memory");
	} else if (!c->ts) {
		wrcr0(rdcr0() | CR0_TS);
		c->ts = 1;
	}
}

/* #NM: the running thread touches the FPU for the first time. */
int fpu_first_use(Thread *t)
{
	Cpu *c = thiscpu();

	if (t->fpu == NULL && (t->fpu = kalloc(512)) == NULL)
		return -1;
	asm volatile("clts");
	c->ts = 0;
	if (!t->fpu_used) {
		/* A clean state: fninit alone would leave the XMM registers of
		 * whoever used them last.  kalloc zeroed the area. */
		*(u16 *)(t->fpu + 0) = 0x37f;     /* fcw */
		*(u32 *)(t->fpu + 24) = 0x1f80;   /* mxcsr */
	}
	asm volatile("fxrstor64 (%0)" ::"r"(t->fpu) : "memory");
	t->fpu_used = 1;
	return 0;
}

/*
 * Put t's I/O permission bitmap in force on this cpu, or deny all ports.
 * The TSS keeps the copy of the last task whose bitmap it held
 * (Cpu.iopbtask): switching back to that task only turns the map on
 * again, without copying 8 KiB.  So a task with ports (core, a driver)
 * is as cheap to switch to as any other, and the IPC fast path
 * (entry.S, fastpath.c) takes it when the copy is current.
 */
void arch_set_iopb(Task *t)
{
	Cpu *c = thiscpu();
	Tss *tss = c->tss;

	if (t && t->iobitmap) {
		if (c->iopbtask != t) {
			memcpy(tss->iobitmap, t->iobitmap, 8192);
			c->iopbtask = t;
		}
		tss->iomap = TSS_IOMAP_ON;
		c->iopb = 1;
	} else {
		tss->iomap = 0xffff;
		c->iopb = 0;
	}
}

/* t's bitmap changed or goes away: no cpu may keep using its copy. */
void arch_iopb_forget(Task *t)
{
	for (u32 i = 0; i < ncpu; i++)
		if (cpus[i].iopbtask == t)
			cpus[i].iopbtask = NULL;
}

void arch_thread_init(Thread *t, u64 rip, u64 rsp, u64 arg)
{
	memset(&t->regs, 0, sizeof t->regs);
	t->regs.rip = rip;
	t->regs.rsp = rsp;
	t->regs.rdi = arg;
	t->regs.rflags = 0x202;
	t->regs.full = 1;
}

void arch_set_fsbase(u64 v)
{
	wrmsr(MSR_FSBASE, v);
}

int arch_canonical(u64 va)
{
	return va < MU_USER_TOP;
}

u64 arch_rdtsc(void)
{
	u32 lo, hi;
	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

void arch_halt(void)
{
	for (;;)
		asm volatile("cli; hlt");
}
