/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and I/O-port tests with the PIT (ISA IRQ 0, ports 0x40-0x43),
 * which the kernel leaves alone (it schedules with the LAPIC timer).  The
 * authority comes from the root task (LabelTestDev in spawn.h): a copy of
 * its IrqCtl and an IoPorts handle for the PIT.  An interrupt signals the
 * notification of its Irq object and masks the line until mu_irqack.
 * Port I/O without mu_ioenable, or outside the enabled range, faults.
 */
#include "ktest.h"

#define MS 1000000l
enum { PitHz = 1193182, Bit = 0x10 };

static long irqctl, pitio;

static long kobj(int type) { return mu_info(InfoKObjects, type); }

/* Ask the root for IrqCtl and the PIT's ports. */
static long getdev(void)
{
	MuIpcBuf *b = mu_ipcbuf();
	MuMsg m = { TAG_WITHMS(TAG(LabelTestDev, 0, 0), 3000), 0, { 0 } };
	long e;

	irqctl = pitio = 0;
	if ((e = mu_call(mu_parent, &m)) < 0)
		return e;
	if (TAG_LABEL(m.tag) != 0)
		return (long)m.mr[0] < 0 ? (long)m.mr[0] : -ErrInval;
	if (TAG_ITEMS(m.tag) != 2 || b->item[0].kind != ItemHandle || b->item[1].kind != ItemHandle)
		return -ErrInval;
	irqctl = b->item[0].a;
	pitio = b->item[1].a;
	return 0;
}

static void putdev(void)
{
	if (irqctl > 0)
		mu_close(irqctl);
	if (pitio > 0)
		mu_close(pitio);
	irqctl = pitio = 0;
}

static inline void outb(unsigned port, unsigned char v)
{
	__asm__ volatile("outb %0, %w1" ::"a"(v), "Nd"(port));
}

/* Channel 0 in mode (0: one shot, 2: rate), then the count, low byte
 * first.  A new mode takes effect with the count (QEMU keeps counting
 * the old way until then). */
static void pitmode(int mode) { outb(0x43, 0x30 | mode << 1); }

static void pitcount(unsigned n)
{
	outb(0x40, n & 0xff);
	outb(0x40, n >> 8);
}

/* One interrupt ms from now: mode 0 raises the line at the end of the
 * count and leaves it up. */
static void pitshot(unsigned ms)
{
	pitmode(0);
	pitcount(PitHz / 1000 * ms);
}

/* Quiet: one last shot (the BIOS left a rate running), then no edges. */
static void pitquiet(void)
{
	pitshot(1);
	mu_sleep(5);
}

static long irq;

static void irqtest(long ntf)
{
	long t0, dt, got;

	CHECKEQ(mu_ioenable(pitio), 0);
	pitquiet();
	CHECK((irq = mu_irqcreate(irqctl, 0, ntf, Bit)) > 0);
	CHECKEQ(mu_handleinfo(irq), ObjIrq | RAll << 8);
	/* the line is quiet: no interrupt */
	mu_sleep(20);
	CHECKEQ(mu_wait(ntf, TAG_POLL), 0);
	/* one shot after 5 ms */
	t0 = mu_time();
	pitshot(5);
	got = mu_wait(ntf, TAG_WITHMS(0, 2000));
	dt = mu_time() - t0;
	CHECKEQ(got, Bit);
	/* no lower bound on dt: when the host starves QEMU, its PIT can fire
	 * "early" by the guest's TSC clock */
	(void)dt;
	/* masked until acknowledged: another shot stays unseen */
	pitshot(2);
	mu_sleep(30);
	CHECKEQ(mu_wait(ntf, TAG_POLL), 0);
	CHECKEQ(mu_irqack(irq), 0);
	mu_sleep(5);
	mu_wait(ntf, TAG_POLL); /* the edge while masked may or may not be kept */
	pitshot(2);
	CHECKEQ(mu_wait(ntf, TAG_WITHMS(0, 2000)), Bit);
	/* a rate: one interrupt per period, each after an ack */
	CHECKEQ(mu_irqack(irq), 0);
	pitmode(2);
	pitcount(PitHz / 500); /* 2 ms */
	t0 = mu_time();
	for (int i = 0; i < 10; i++) {
		got = mu_wait(ntf, TAG_WITHMS(0, 2000));
		if (got != Bit) {
			tfail(__FILE__, __LINE__, "interrupt %d: %ld", i, got);
			return;
		}
		CHECKEQ(mu_irqack(irq), 0);
	}
	dt = mu_time() - t0;
	pitquiet();
	CHECK(dt >= 9 * 2 * MS / 2); /* allow for a late timer */
	/* closing the Irq masks the line: nothing more arrives */
	CHECKEQ(mu_close(irq), 0);
	irq = 0;
	mu_sleep(5);
	mu_wait(ntf, TAG_POLL);
	pitshot(1);
	mu_sleep(20);
	CHECKEQ(mu_wait(ntf, TAG_POLL), 0);
}

static void t_pit(void)
{
	long nirq = kobj(ObjIrq), nio = kobj(ObjIoPorts), ntf;

	CHECKEQ(getdev(), 0);
	CHECKEQ(mu_handleinfo(irqctl), ObjIrqCtl | RAll << 8);
	CHECKEQ(mu_handleinfo(pitio), ObjIoPorts | RAll << 8);
	irq = 0;
	if ((ntf = newntf()) > 0)
		irqtest(ntf);
	if (pitio > 0 && mu_ioenable(pitio) == 0)
		pitquiet();
	if (irq > 0)
		mu_close(irq);
	mu_close(ntf);
	putdev();
	if (tfailed)
		return;
	CHECK(ntf > 0);
	CHECKEQ(kobj(ObjIrq), nirq);
	CHECKEQ(kobj(ObjIoPorts), nio);
}

/* An interrupt reaches a thread that receives on an endpoint with the
 * notification bound to it. */
static void t_bound(void)
{
	long ntf = 0, ep = 0;
	MuMsg m = { 0 };

	CHECKEQ(getdev(), 0);
	irq = 0;
	if ((ntf = newntf()) > 0 && (ep = newep()) > 0 && mu_ioenable(pitio) == 0 &&
	    (irq = mu_irqcreate(irqctl, 0, ntf, Bit)) > 0 &&
	    mu_threadset(mu_thread, ThrBindNtf, ntf, 0) == 0) {
		pitshot(3);
		m.tag = TAG_WITHMS(0, 2000);
		m.badge = 0;
		m.mr[0] = mu_recv(ep, &m);
		mu_threadset(mu_thread, ThrBindNtf, 0, 0);
	} else
		m.mr[0] = -1;
	pitquiet();
	if (irq > 0)
		mu_close(irq);
	if (ep > 0)
		mu_close(ep);
	if (ntf > 0)
		mu_close(ntf);
	putdev();
	CHECK(irq > 0);
	CHECKEQ(m.mr[0], 0);
	CHECKEQ(TAG_LABEL(m.tag), TAG_NOTIFY);
	CHECKEQ(m.badge, Bit);
}

static void errors(long ntf)
{
	long i2, nr, cd, id, sub;

	CHECKEQ(mu_irqcreate(irqctl, 16, ntf, 1), -ErrInval);
	CHECKEQ(mu_irqcreate(irqctl, -1, ntf, 1), -ErrInval);
	CHECKEQ(mu_irqcreate(irqctl, 0, ntf, 0), -ErrInval);
	CHECKEQ(mu_irqcreate(irqctl, 0, ntf, 1ul << 63), -ErrInval);
	CHECKEQ(mu_irqcreate(ntf, 0, ntf, 1), -ErrType);
	CHECKEQ(mu_irqcreate(irqctl, 0, irqctl, 1), -ErrType);
	CHECK((nr = mu_dup(ntf, RRecv | RDup)) > 0);
	CHECKEQ(mu_irqcreate(irqctl, 0, nr, 1), -ErrPerm);
	CHECK((cd = mu_dup(irqctl, RDup)) > 0);
	CHECKEQ(mu_irqcreate(cd, 0, ntf, 1), -ErrPerm);
	/* one Irq per line */
	CHECK((irq = mu_irqcreate(irqctl, 0, ntf, 1)) > 0);
	CHECKEQ(mu_irqcreate(irqctl, 0, ntf, 2), -ErrBusy);
	CHECK((id = mu_dup(irq, RDup)) > 0);
	CHECKEQ(mu_irqack(id), -ErrPerm);
	CHECKEQ(mu_irqack(ntf), -ErrType);
	CHECKEQ(mu_irqack(irq), 0);
	mu_close(id);
	CHECKEQ(mu_close(irq), 0);
	irq = 0;
	/* the line is free again */
	CHECK((i2 = mu_irqcreate(irqctl, 0, ntf, 2)) > 0);
	CHECKEQ(mu_close(i2), 0);
	/* I/O port ranges: only inside, only with the rights */
	CHECK((sub = mu_iocreate(pitio, 0x41, 2)) > 0);
	CHECKEQ(mu_handleinfo(sub), ObjIoPorts | RAll << 8);
	CHECKEQ(mu_iocreate(sub, 0x40, 1), -ErrInval);
	CHECKEQ(mu_iocreate(sub, 0x42, 2), -ErrInval);
	CHECKEQ(mu_iocreate(sub, 0x41, 0), -ErrInval);
	CHECKEQ(mu_iocreate(sub, 0x43, 1), -ErrInval);
	CHECKEQ(mu_iocreate(pitio, 0x3f, 2), -ErrInval);
	CHECKEQ(mu_iocreate(pitio, 0x40, 5), -ErrInval);
	CHECKEQ(mu_iocreate(pitio, 0x40, -1), -ErrInval);
	CHECKEQ(mu_iocreate(pitio, 0x44, 1), -ErrInval);
	mu_close(sub);
	CHECK((sub = mu_dup(pitio, RCtl)) > 0);
	CHECKEQ(mu_iocreate(sub, 0x40, 1), -ErrPerm);
	mu_close(sub);
	CHECK((sub = mu_dup(pitio, RDup)) > 0);
	CHECKEQ(mu_ioenable(sub), -ErrPerm);
	mu_close(sub);
	mu_close(cd);
	mu_close(nr);
}

static void t_errors(void)
{
	long nirq = kobj(ObjIrq), nio = kobj(ObjIoPorts), ntf;

	CHECKEQ(getdev(), 0);
	irq = 0;
	if ((ntf = newntf()) > 0)
		errors(ntf);
	if (irq > 0)
		mu_close(irq);
	mu_close(ntf);
	putdev();
	if (tfailed)
		return;
	CHECK(ntf > 0);
	CHECKEQ(kobj(ObjIrq), nirq);
	CHECKEQ(kobj(ObjIoPorts), nio);
}

/*
 * Port I/O in child tasks (roles "io.none" and "io.some", in t_fault.c):
 * without mu_ioenable any port faults and the task dies; with the PIT's
 * ports enabled they work and any other port faults.  The child signals
 * bit 1 when it got as far as it should.
 */
static void iochild(const char *role, int give)
{
	long n = newntf(), t, bits;

	CHECK(n > 0);
	CHECK((t = child(role, n)) > 0);
	if (give) {
		CHECKEQ(getdev(), 0);
		long h = mu_handlegive(t, pitio, RAll, 0);
		putdev();
		CHECK(h > 0);
	}
	CHECKEQ(waitdead(t, 5000), 0);
	bits = mu_wait(n, TAG_POLL);
	mu_close(t);
	mu_close(n);
	CHECKEQ(bits, 1);
}

static void t_ionone(void) { iochild("io.none", 0); }
static void t_iosome(void) { iochild("io.some", 1); }

/* Without the root's help this task holds no IrqCtl or IoPorts, and
 * cannot make them. */
static void t_noauth(void)
{
	for (long h = 1; h < MuMaxHandles; h++) {
		long ty = mu_handleinfo(h) & 0xff;
		if (mu_handleinfo(h) < 0)
			continue;
		CHECK(ty != ObjIrqCtl && ty != ObjIoPorts);
	}
	CHECKEQ(mu_objcreate(mu_pool, ObjIrqCtl), -ErrInval);
	CHECKEQ(mu_objcreate(mu_pool, ObjIoPorts), -ErrInval);
	CHECKEQ(mu_objcreate(mu_pool, ObjIrq), -ErrInval);
}

const Test irq_tests[] = {
	{ t_noauth, "irq.noauth" },
	{ t_pit, "irq.pit" },
	{ t_bound, "irq.bound" },
	{ t_errors, "irq.errors" },
	{ t_ionone, "irq.io.none" },
	{ t_iosome, "irq.io.some" },
	{ NULL, NULL },
};

