/* SPDX-License-Identifier: MIT */
/*
 * Interrupt controllers and clocks: the local APIC of each cpu (EOI, IPIs,
 * the periodic tick), the I/O APIC that routes ISA interrupts, the legacy
 * 8259 PICs (only to silence them) and the TSC clock behind arch_ns().
 * Where the controllers are comes from acpi.c; waking the other cpus is
 * smp.c.  Everything runs in xAPIC (MMIO) mode through the physmap.
 */
#include "port/kern.h"
#include "amd64/machine.h"

/* Local APIC registers: byte offsets into its MMIO page. */
enum {
	LId = 0x20, LVer = 0x30, LTpr = 0x80, LEoi = 0xb0, LSvr = 0xf0,
	LEsr = 0x280, LIcrLo = 0x300, LIcrHi = 0x310, LTimer = 0x320,
	LThermal = 0x330, LPerf = 0x340, LLint0 = 0x350, LLint1 = 0x360,
	LError = 0x370, LTicr = 0x380, LTccr = 0x390, LTdcr = 0x3e0,
};
enum {
	SvrEnable = 0x100,
	LvtNmi = 0x400, LvtExtint = 0x700, LvtMasked = 1 << 16, LvtPeriodic = 1 << 17,
	IcrPending = 1 << 12,
	TdcrDiv16 = 0x3,
};
#define MSR_APICBASE 0x1b
#define APICBASE_BSP (1u << 8)
#define APICBASE_X2 (1u << 10)
#define APICBASE_EN (1u << 11)

/* I/O APIC: index and data window, version register, redirection table. */
enum { IoSel = 0x00, IoWin = 0x10, IoVer = 0x01, IoRed = 0x10 };
enum { RedActLow = 1 << 13, RedLevel = 1 << 15, RedMasked = 1 << 16 };

enum { PitHz = 1193182, CalMs = 10, CalSpinMax = 10000000 };

u64 lapic_eoi_reg;
static u32 nredir;        /* I/O APIC redirection entries */
static u32 lapic_count;   /* LAPIC timer counts (divide 16) per tick */
static u64 tschz;         /* TSC ticks per second, 0 until calibrated */
static u64 tsc0, nsmult;  /* arch_ns() = (tsc - tsc0) * nsmult >> 32 */

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

/* Disable interrupts on this cpu; the result says whether they were on. */
static inline u64 intr_save(void)
{
	u64 fl;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(fl)::"memory");
	return fl & 0x200;
}

static inline void intr_restore(u64 on)
{
	if (on)
		__asm__ volatile("sti" ::: "memory");
}

static u32 lapic_rd(u32 off) { return *(volatile u32 *)P2V(mach.lapic + off); }
static void lapic_wr(u32 off, u32 v) { *(volatile u32 *)P2V(mach.lapic + off) = v; }

/* This cpu's local APIC id; valid from boot (the firmware enables the APIC). */
u32 lapic_id(void)
{
	return lapic_rd(LId) >> 24;
}

/*
 * Per cpu, before its first interrupt: enable the local APIC, accept every
 * priority, mask what we do not use.  LINT0 (the 8259's ExtINT) is masked
 * everywhere; LINT1 stays NMI on the boot cpu, as the PC wires it.
 */
void lapic_init(void)
{
	u64 base = rdmsr(MSR_APICBASE);

	if (base & APICBASE_X2)
		panic("lapic: firmware left x2APIC mode on; only xAPIC is supported");
	if (!(base & APICBASE_EN))
		wrmsr(MSR_APICBASE, base | APICBASE_EN);
	lapic_eoi_reg = (u64)P2V(mach.lapic + LEoi);
	lapic_wr(LSvr, SvrEnable | VecSpurious);
	lapic_wr(LTdcr, TdcrDiv16);
	lapic_wr(LTimer, LvtMasked | VecTimer);
	lapic_wr(LLint0, LvtMasked | LvtExtint);
	lapic_wr(LLint1, (base & APICBASE_BSP) ? LvtNmi : LvtMasked);
	u32 maxlvt = (lapic_rd(LVer) >> 16) & 0xff;
	if (maxlvt >= 4)
		lapic_wr(LPerf, LvtMasked | VecSpurious);
	if (maxlvt >= 5)
		lapic_wr(LThermal, LvtMasked | VecSpurious);
	lapic_wr(LError, LvtMasked | VecSpurious);
	lapic_wr(LEsr, 0); /* two writes clear the error status */
	lapic_wr(LEsr, 0);
	lapic_wr(LEoi, 0); /* anything left in service from the firmware */
	lapic_wr(LTpr, 0);
}

/* Acknowledge the interrupt being handled.  Not for VecSpurious. */
void arch_eoi(void)
{
	*(volatile u32 *)lapic_eoi_reg = 0;
}

static void lapic_icr_wait(void)
{
	for (u32 n = 0; lapic_rd(LIcrLo) & IcrPending; n++) {
		if (n == 1000000) {
			kprintf("lapic: IPI stays pending\n");
			return;
		}
		__asm__ volatile("pause");
	}
}

/*
 * Send cmd (IcrFixed|vector, IcrInit, IcrStartup|page, with IcrAssert/
 * IcrLevel) to the cpu with APIC id apicid, physical destination, and wait
 * until it is delivered.  Interrupts are off meanwhile, so a handler cannot
 * interleave its own ICR writes.
 */
void lapic_icr(u32 apicid, u32 cmd)
{
	u64 on = intr_save();

	lapic_icr_wait();
	lapic_wr(LIcrHi, apicid << 24);
	lapic_wr(LIcrLo, cmd);
	lapic_icr_wait();
	intr_restore(on);
}

/* Interrupt cpus[cpu] with vector vec.  Any context; does not block. */
void arch_ipi(u32 cpu, int vec)
{
	assert(cpu < ncpu && vec >= 32 && vec < 256);
	lapic_icr(cpus[cpu].apicid, IcrFixed | IcrAssert | vec);
}

/*
 * Once, on the boot cpu after lapic_init(): count LAPIC timer ticks and TSC
 * ticks over ~10 ms of PIT channel 2 (mode 0, polled through port 0x61).
 * Sets the tick count and starts the arch_ns() clock.
 */
void timer_calibrate(void)
{
	const u32 latch = PitHz * CalMs / 1000;
	u64 on, t0, t1, lapichz;
	u32 left, n;
	u8 p61;

	if (tschz != 0)
		return;
	on = intr_save();
	p61 = inb(0x61);
	outb(0x61, (p61 & ~0x02) | 0x01); /* speaker off, channel 2 gate on */
	outb(0x43, 0xb0);                 /* channel 2, lo/hi byte, mode 0 */
	outb(0x42, latch & 0xff);
	outb(0x42, latch >> 8);           /* counting starts now */
	lapic_wr(LTimer, LvtMasked | VecTimer);
	lapic_wr(LTdcr, TdcrDiv16);
	lapic_wr(LTicr, 0xffffffff);
	t0 = arch_rdtsc();
	for (n = 0; !(inb(0x61) & 0x20) && n < CalSpinMax; n++)
		;
	t1 = arch_rdtsc();
	left = lapic_rd(LTccr);
	lapic_wr(LTicr, 0);
	outb(0x61, p61);
	intr_restore(on);

	if (n == CalSpinMax || t1 - t0 < 10000 || 0xffffffff - left < 1000) {
		/* No PIT (or a broken one): guess, loudly, rather than hang. */
		kprintf("timer: PIT calibration failed, assuming 1 GHz TSC and LAPIC\n");
		tschz = 1000000000;
		lapichz = 1000000000 / 16;
	} else {
		tschz = (t1 - t0) * PitHz / latch;
		lapichz = (u64)(0xffffffff - left) * PitHz / latch;
	}
	lapic_count = lapichz / HZ;
	nsmult = (1000000000ull << 32) / tschz;
	tsc0 = t0;
	kprintf("timer: tsc %lu kHz, lapic timer %lu kHz (/16)\n", tschz / 1000, lapichz / 1000);
}

/* Periodic tick, HZ per second on VecTimer, on this cpu. */
void arch_timer_start(void)
{
	timer_calibrate();
	lapic_wr(LTdcr, TdcrDiv16);
	lapic_wr(LTimer, LvtPeriodic | VecTimer);
	lapic_wr(LTicr, lapic_count);
}

/* Nanoseconds since calibration (0 before); assumes TSCs in step across cpus. */
u64 arch_ns(void)
{
	i64 d = (i64)(arch_rdtsc() - tsc0);

	if (nsmult == 0 || d < 0)
		return 0;
	return (u64)(((unsigned __int128)(u64)d * nsmult) >> 32);
}

/* Spin for at least us microseconds (calibrates on first use). */
void tsc_delay(u64 us)
{
	timer_calibrate();
	u64 t0 = arch_rdtsc(), n = us * tschz / 1000000;

	while (arch_rdtsc() - t0 < n)
		__asm__ volatile("pause");
}

/* Remap the two 8259s away from the exception vectors, then mask them for good. */
void pic_disable(void)
{
	static const u8 seq[][2] = {
		{ 0x20, 0x11 }, { 0xa0, 0x11 },           /* ICW1: init, ICW4 follows */
		{ 0x21, VecIrq0 }, { 0xa1, VecIrq0 + 8 }, /* ICW2: vector base */
		{ 0x21, 0x04 }, { 0xa1, 0x02 },           /* ICW3: slave on IRQ2 */
		{ 0x21, 0x01 }, { 0xa1, 0x01 },           /* ICW4: 8086 mode */
		{ 0x21, 0xff }, { 0xa1, 0xff },           /* mask everything */
	};

	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	for (u32 i = 0; i < nelem(seq); i++) {
		outb(seq[i][0], seq[i][1]);
		outb(0x80, 0); /* a short delay for old chips */
	}
}

static u32 ioapic_rd(u32 reg)
{
	volatile u32 *io = P2V(mach.ioapic);
	io[IoSel / 4] = reg;
	return io[IoWin / 4];
}

static void ioapic_wr(u32 reg, u32 v)
{
	volatile u32 *io = P2V(mach.ioapic);
	io[IoSel / 4] = reg;
	io[IoWin / 4] = v;
}

/* Once, on the boot cpu: mask every redirection entry. */
void ioapic_init(void)
{
	u32 ver = ioapic_rd(IoVer);

	if (ver == 0xffffffff) {
		kprintf("ioapic: none at 0x%lx\n", mach.ioapic);
		return;
	}
	nredir = ((ver >> 16) & 0xff) + 1;
	for (u32 i = 0; i < nredir; i++) {
		ioapic_wr(IoRed + 2 * i, RedMasked);
		ioapic_wr(IoRed + 2 * i + 1, 0);
	}
}

/*
 * The I/O APIC pin of a line and its polarity/trigger bits, or -1.  Lines
 * 0-15 are ISA IRQs, mapped by the MADT overrides (default: same number,
 * edge, active high); a larger line is taken as a GSI wired like PCI
 * (level, active low).
 */
static int ioapic_pin(u32 line, u32 *mode)
{
	u32 gsi = line;
	u16 fl = IntiPolLow | IntiTrigLevel;

	if (line < 16) {
		gsi = mach.isagsi[line];
		fl = mach.isaflags[line];
	}
	*mode = 0;
	if ((fl & IntiPolMask) == IntiPolLow)
		*mode |= RedActLow;
	if ((fl & IntiTrigMask) == IntiTrigLevel)
		*mode |= RedLevel;
	if (gsi < mach.gsibase || gsi - mach.gsibase >= nredir) {
		kprintf("ioapic: line %u (gsi %u) not on the I/O APIC\n", line, gsi);
		return -1;
	}
	return gsi - mach.gsibase;
}

/*
 * Route line to vector vec on the boot cpu, left masked.  Caller holds the
 * kernel lock (the I/O APIC's index/data pair is shared by all cpus).
 */
void arch_ioapic_route(u32 line, int vec)
{
	u32 mode;
	int pin = ioapic_pin(line, &mode);
	u64 on;

	if (pin < 0)
		return;
	on = intr_save();
	ioapic_wr(IoRed + 2 * pin, RedMasked | mode | (vec & 0xff));
	ioapic_wr(IoRed + 2 * pin + 1, cpus[0].apicid << 24);
	intr_restore(on);
}

/* Mask (masked != 0) or unmask line.  Caller holds the kernel lock. */
void arch_ioapic_mask(u32 line, int masked)
{
	u32 mode, lo;
	int pin = ioapic_pin(line, &mode);
	u64 on;

	if (pin < 0)
		return;
	on = intr_save();
	lo = ioapic_rd(IoRed + 2 * pin);
	lo = masked ? lo | RedMasked : lo & ~(u32)RedMasked;
	ioapic_wr(IoRed + 2 * pin, lo);
	intr_restore(on);
}
