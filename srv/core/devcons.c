/* SPDX-License-Identifier: MIT */
/*
 * "#c": the console and the small files of /dev: cons, consctl, time,
 * bintime, pid, null, zero, random, sysname, user, and kmesg, the log
 * that klog() writes.  Also bootepoch(), the wall clock at boot from the
 * CMOS clock.  The line editing of cooked mode is consline.c (pure);
 * this file owns the serial port, the input queue and the clocks.
 *
 * Input: a thread of core (kbdproc) waits for IRQ 4 from COM1, drains
 * the UART and feeds each byte to the line discipline (cooked mode) or
 * straight to the input queue (raw mode).  Output to cons goes to the
 * kernel console (mu_debugput), so it stays in order with the kernel's
 * own messages.
 *
 * Locks: kbd.l (spin) guards the keyboard state and queue; kbd.rd (a
 * QLock) lets one reader at a time sleep on kbd.r, since a Rendez holds
 * one sleeper.  kmesg.l guards the log ring.  rng.l the generator.
 */
#include "dev.h"
#include "consline.h"
#include "mu.h"

enum {
	Qdir,
	Qcons,
	Qconsctl,
	Qtime,
	Qbintime,
	Qpid,
	Qnull,
	Qzero,
	Qrandom,
	Qsysname,
	Quser,
	Qkmesg,
};

static Dirtab constab[] = {
	{".", {Qdir, 0, QTDIR}, 0, DMDIR | 0555},
	{"cons", {Qcons, 0, QTFILE}, 0, 0660},
	{"consctl", {Qconsctl, 0, QTFILE}, 0, 0220},
	{"time", {Qtime, 0, QTFILE}, 0, 0444},
	{"bintime", {Qbintime, 0, QTFILE}, 0, 0444},
	{"pid", {Qpid, 0, QTFILE}, 0, 0444},
	{"null", {Qnull, 0, QTFILE}, 0, 0666},
	{"zero", {Qzero, 0, QTFILE}, 0, 0444},
	{"random", {Qrandom, 0, QTFILE}, 0, 0444},
	{"sysname", {Qsysname, 0, QTFILE}, 0, 0444},
	{"user", {Quser, 0, QTFILE}, 0, 0444},
	{"kmesg", {Qkmesg, 0, QTFILE}, 0, 0440},
};

static inline void outb(unsigned port, uchar v) { __asm__ volatile("outb %0, %w1" ::"a"(v), "Nd"(port)); }

static inline uchar inb(unsigned port)
{
	uchar v;

	__asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uvlong rdtsc(void)
{
	uint lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uvlong)hi << 32 | lo;
}

/*
 * ---- The log (/dev/kmesg) ----
 * A ring of the last KmesgSize bytes; the file is the ring's current
 * window, oldest byte at offset 0.
 */
enum { KmesgSize = 16384, KlogLine = 256 };

static struct {
	Lock l;
	char buf[KmesgSize];
	uvlong n; /* bytes ever logged */
} kmesg;

/* Append one line (a newline is added if missing).  Any thread, any time. */
void
klog(const char *fmt, ...)
{
	char line[KlogLine];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprint(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	lock(&kmesg.l);
	for (int i = 0; i < n; i++)
		kmesg.buf[kmesg.n++ % KmesgSize] = line[i];
	unlock(&kmesg.l);
}

static long
kmesgread(void *buf, long n, vlong off)
{
	uvlong start, len;
	uchar *p = buf;
	long i;

	lock(&kmesg.l);
	start = kmesg.n > KmesgSize ? kmesg.n - KmesgSize : 0;
	len = kmesg.n - start;
	if (off < 0 || (uvlong)off >= len)
		n = 0;
	else if ((uvlong)n > len - (uvlong)off)
		n = (long)(len - (uvlong)off);
	for (i = 0; i < n; i++)
		p[i] = (uchar)kmesg.buf[(start + (uvlong)off + (uvlong)i) % KmesgSize];
	unlock(&kmesg.l);
	return n;
}

/*
 * ---- Clocks ----
 * The CMOS clock gives the date at boot, read once; after that the
 * kernel's nanoseconds since boot (mu_time) carry the time.
 */
enum { RtcAddr = 0x70, RtcData = 0x71, NsPerSec = 1000000000 };

static struct {
	Lock l;
	int done;
	vlong epoch; /* seconds since 1970 when mu_time() was 0 */
} boot;

static int
cmosread(int reg)
{
	outb(RtcAddr, (uchar)reg); /* bit 7 clear: NMIs stay enabled */
	return inb(RtcData);
}

static int bcd(int v) { return (v & 0x0f) + (v >> 4) * 10; }

/* Seconds since the epoch of a UTC date; year >= 1970, mon 1..12. */
static vlong
epochsecs(int year, int mon, int day, int hour, int min, int sec)
{
	static const short before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	vlong days = 0;

	for (int y = 1970; y < year; y++)
		days += (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365;
	days += before[mon - 1] + day - 1;
	if (mon > 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		days++;
	return ((days * 24 + hour) * 60 + min) * 60 + sec;
}

/* The CMOS date as seconds since the epoch, or -1 (no ports, nonsense). */
static vlong
rtcread(void)
{
	int r[6], prev[6], regb, pm, tries;
	static const uchar regs[6] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09};
	long h = hwhandle(HwRtc);

	if (h < 0 || mu_ioenable(h) < 0)
		return -1;
	/* Read until two readings agree, each outside an update cycle. */
	for (tries = 0; tries < 10; tries++) {
		for (int i = 0; i < 100000 && (cmosread(0x0a) & 0x80); i++)
			;
		for (int i = 0; i < 6; i++)
			r[i] = cmosread(regs[i]);
		if (tries > 0 && memcmp(r, prev, sizeof r) == 0)
			break;
		memcpy(prev, r, sizeof r);
	}
	regb = cmosread(0x0b);
	pm = r[2] & 0x80;
	r[2] &= 0x7f;
	if (!(regb & 0x04)) /* BCD */
		for (int i = 0; i < 6; i++)
			r[i] = bcd(r[i]);
	if (!(regb & 0x02)) /* 12-hour clock */
		r[2] = r[2] % 12 + (pm ? 12 : 0);
	r[5] += r[5] < 70 ? 2000 : 1900;
	if (r[0] > 59 || r[1] > 59 || r[2] > 23 || r[3] < 1 || r[3] > 31 || r[4] < 1 || r[4] > 12)
		return -1;
	return epochsecs(r[5], r[4], r[3], r[2], r[1], r[0]);
}

/* Seconds since the epoch at boot; the CMOS clock is read on the first call. */
vlong
bootepoch(void)
{
	vlong t;

	lock(&boot.l);
	if (!boot.done) {
		unlock(&boot.l);
		/* Outside the lock: the port reads take a while. */
		t = rtcread();
		if (t < 0) {
			klog("cons: no usable CMOS clock; the time starts at 1970");
			t = 0;
		} else
			t -= mu_time() / NsPerSec;
		lock(&boot.l);
		if (!boot.done) {
			boot.epoch = t;
			boot.done = 1;
		}
	}
	t = boot.epoch;
	unlock(&boot.l);
	return t;
}

static vlong nsecnow(void) { return bootepoch() * NsPerSec + mu_time(); }

/* Plan 9's /dev/time: seconds, nanoseconds, ticks and ticks per second,
 * each 11 wide and a blank.  Our ticks are nanoseconds since boot. */
static long
timeread(void *buf, long n, vlong off)
{
	char s[4 * 12 + 1];
	vlong ns = nsecnow();

	snprint(s, sizeof s, "%11lld %11lld %11lld %11lld ", ns / NsPerSec, ns, (vlong)mu_time(),
		(vlong)NsPerSec);
	return readstr(off, buf, n, s);
}

/* Plan 9's /dev/bintime: big-endian nanoseconds since the epoch, then
 * (if n allows) ticks and ticks per second, 8 bytes each. */
static long
bintimeread(void *buf, long n)
{
	uvlong v[3] = {(uvlong)nsecnow(), (uvlong)mu_time(), NsPerSec};
	uchar *p = buf;
	long i, got = 0;

	for (i = 0; i < 3 && n - got >= 8; i++, got += 8)
		for (int j = 0; j < 8; j++)
			p[got + j] = (uchar)(v[i] >> (56 - 8 * j));
	return got;
}

/*
 * ---- /dev/random ----
 * xorshift64*, seeded from the time stamp counter: fast and well mixed
 * but predictable, not for keys.
 */
static struct {
	Lock l;
	uvlong s;
} rng;

static long
randomread(void *buf, long n)
{
	uchar *p = buf;
	uvlong x;

	lock(&rng.l);
	x = rng.s ? rng.s : rdtsc() | 1;
	for (long i = 0; i < n; i++) {
		if (i % 8 == 0) {
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
		}
		p[i] = (uchar)((x * 0x2545f4914f6cdd1dull) >> (8 * (i % 8)));
	}
	rng.s = x;
	unlock(&rng.l);
	return n;
}

/*
 * ---- The keyboard ----
 * Typed input waits in a ring.  In cooked mode only finished lines
 * reach it; a line that ends without a newline (^D, or a full line) is
 * followed by a ^D byte, and ^D alone stands for end of file.  Raw-mode
 * bytes go in as they are.
 */
enum { KbdQSize = 8192, CtlD = 0x04, Com1 = 0x3f8, Com1Irq = 4 };

static struct {
	Lock l;
	ConsLine line;
	char q[KbdQSize];
	ulong qr, qw; /* read and write counts: bytes queued = qw - qr */
	int raw;      /* raw mode */
	int nctl;     /* open consctl Chans */
	Rendez r;     /* the reader holding rd waits here for input */
	QLock rd;
} kbd;

/* Queue s[0..n) whole, or nothing if it does not fit (input is dropped
 * when nobody reads).  Called with kbd.l held; returns whether it did. */
static int
kbdqput(const char *s, int n)
{
	if (n > (long)(KbdQSize - (kbd.qw - kbd.qr)))
		return 0;
	for (int i = 0; i < n; i++)
		kbd.q[kbd.qw++ % KbdQSize] = s[i];
	return n > 0;
}

/* One byte from the UART: in the reader thread, no locks held. */
static void
kbdputc(int c)
{
	char echo[ConsEchoMax], ch = (char)c;
	int necho = 0, r = ConsMore, wake = 0, n;

	lock(&kbd.l);
	if (kbd.raw)
		wake = kbdqput(&ch, 1);
	else {
		r = consline_input(&kbd.line, c, echo, &necho);
		if (r == ConsDeliver) {
			n = kbd.line.n;
			/* The delimiter goes in with the line or not at all. */
			if (kbd.line.line[n - 1] == '\n')
				wake = kbdqput(kbd.line.line, n);
			else if ((long)(KbdQSize - (kbd.qw - kbd.qr)) > n) {
				wake = kbdqput(kbd.line.line, n);
				kbdqput("\x04", 1);
			}
		} else if (r == ConsEof)
			wake = kbdqput("\x04", 1);
	}
	unlock(&kbd.l);
	if (necho > 0)
		mu_debugput(echo, (size_t)necho);
	if (r == ConsIntr)
		postconsnote("interrupt");
	if (r == ConsDump)
		procdump();
	if (wake)
		rwakeup(&kbd.r);
}

static void
kbddrain(void)
{
	/* LSR bit 0: a byte is waiting; bound the loop should the port babble */
	for (int i = 0; i < 4096 && (inb(Com1 + 5) & 1); i++)
		kbdputc(inb(Com1));
}

/*
 * The reader thread.  An interrupt masks its line until mu_irqack; we
 * acknowledge before draining, so a byte that arrives after the drain
 * raises a fresh interrupt.  Without the interrupt (root gave no
 * IrqCtl, or it failed) we poll every 20 ms instead.
 */
static void
kbdproc(void *arg)
{
	long com = hwhandle(HwCom1), irqctl = hwhandle(HwIrqCtl), ntf = -1, irq = -1;

	(void)arg;
	if (com < 0 || mu_ioenable(com) < 0) {
		klog("cons: no COM1 ports; polling the kernel console for input");
		for (;;) {
			long c = mu_debugget();
			if (c >= 0)
				kbdputc((int)c);
			else
				mu_sleep(20);
		}
	}
	if (irqctl >= 0 && (ntf = mu_objcreate(mu_pool, ObjNotification)) > 0)
		irq = mu_irqcreate(irqctl, Com1Irq, ntf, 1);
	if (irq <= 0) {
		klog("cons: no IRQ %d (%ld); polling COM1", Com1Irq, irq);
		for (;;) {
			kbddrain();
			mu_sleep(20);
		}
	}
	outb(Com1 + 1, 0x01);                 /* IER: interrupt on received data */
	outb(Com1 + 4, inb(Com1 + 4) | 0x08); /* MCR: OUT2 routes the interrupt to the PIC */
	for (;;) {
		inb(Com1 + 2); /* IIR: clear whatever is pending */
		kbddrain();
		mu_wait(ntf, 0);
		mu_irqack(irq);
	}
}

static int kbdready(void *arg) { return kbd.qw != kbd.qr; }

/*
 * A read of cons: in cooked mode at most one line (a ^D delimiter is
 * eaten; alone it gives 0, end of file), in raw mode whatever is queued.
 * Blocks until there is input; -1 "interrupted" if a note comes first.
 */
static long
kbdread(void *buf, long n)
{
	char *p = buf;
	long got = 0;

	if (n <= 0)
		return 0;
	qlock(&kbd.rd);
	if (rsleep(&kbd.r, kbdready, NULL) < 0) {
		qunlock(&kbd.rd);
		werrstr("%s", Einterrupted);
		return -1;
	}
	lock(&kbd.l);
	while (got < n && kbd.qr != kbd.qw) {
		char c = kbd.q[kbd.qr++ % KbdQSize];
		if (!kbd.raw && c == CtlD)
			break;
		p[got++] = c;
		if (!kbd.raw && c == '\n')
			break;
	}
	/* A read that ends just before a line's ^D takes it too: otherwise
	 * the next read would see a false end of file. */
	if (!kbd.raw && got == n && kbd.qr != kbd.qw && kbd.q[kbd.qr % KbdQSize] == CtlD)
		kbd.qr++;
	unlock(&kbd.l);
	qunlock(&kbd.rd);
	return got;
}

/* Raw mode on: the line being typed goes to the queue as it is. */
static void
setraw(int on)
{
	int n, wake = 0;

	lock(&kbd.l);
	if (on && !kbd.raw) {
		n = consline_flush(&kbd.line);
		wake = kbdqput(kbd.line.line, n);
	}
	kbd.raw = on;
	unlock(&kbd.l);
	if (wake)
		rwakeup(&kbd.r);
}

/* consctl takes "rawon" and "rawoff", one or more, separated by blanks. */
static long
consctlwrite(const void *buf, long n)
{
	char msg[64], *p, *q;

	if (n >= (long)sizeof msg) {
		werrstr("bad control message");
		return -1;
	}
	memcpy(msg, buf, (size_t)n);
	msg[n] = 0;
	for (p = msg; *p; p = q) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == 0)
			break;
		for (q = p; *q && *q != ' ' && *q != '\t' && *q != '\n'; q++)
			;
		if (q - p == 5 && strncmp(p, "rawon", 5) == 0)
			setraw(1);
		else if (q - p == 6 && strncmp(p, "rawoff", 6) == 0)
			setraw(0);
		else {
			werrstr("bad control message");
			return -1;
		}
	}
	return n;
}

/* ---- The servant ---- */

/* At core's start, before any attach: clock, generator, reader thread. */
static void
consinit(void)
{
	long th;

	bootepoch();
	lock(&rng.l);
	rng.s = rdtsc() | 1;
	unlock(&rng.l);
	if ((th = mu_thread_create(kbdproc, NULL, 32768, -1, -1)) < 0)
		klog("cons: no reader thread: %s", mu_errstr(th));
}

static Chan *consattach(const char *spec) { return devattach('c', spec); }

static int conswalk(Chan *c, const char *name) { return devwalk(c, name, constab, nelem(constab), devgen); }

static int
consstat(Chan *c, uchar *buf, int n)
{
	return devstat(c, buf, n, constab, nelem(constab), devgen);
}

static int
consopen(Chan *c, int mode)
{
	if (devopen(c, mode, constab, nelem(constab), devgen) < 0)
		return -1;
	if (c->qid.path == Qconsctl) {
		lock(&kbd.l);
		kbd.nctl++;
		unlock(&kbd.l);
	}
	return 0;
}

/* Should core clone an open consctl, the copy counts as open too. */
static void
consclone(Chan *from, Chan *to)
{
	if (to->qid.path == Qconsctl && (to->flag & COPEN)) {
		lock(&kbd.l);
		kbd.nctl++;
		unlock(&kbd.l);
	}
}

/* Closing the last open consctl ends raw mode. */
static void
consclose(Chan *c)
{
	if (c->qid.path == Qconsctl && (c->flag & COPEN)) {
		lock(&kbd.l);
		if (--kbd.nctl == 0)
			kbd.raw = 0;
		unlock(&kbd.l);
	}
}

static long
readpid(vlong off, void *buf, long n)
{
	char s[16];

	snprint(s, sizeof s, "%11d ", curpid());
	return readstr(off, buf, n, s);
}

static long
consread(Chan *c, void *buf, long n, vlong off)
{
	if (c->qid.type & QTDIR)
		return devdirread(c, buf, n, off, constab, nelem(constab), devgen);
	switch (c->qid.path) {
	case Qcons: return kbdread(buf, n);
	case Qtime: return timeread(buf, n, off);
	case Qbintime: return bintimeread(buf, n);
	case Qpid: return readpid(off, buf, n);
	case Qnull: return 0;
	case Qzero:
		if (n > 0)
			memset(buf, 0, (size_t)n);
		return n > 0 ? n : 0;
	case Qrandom: return randomread(buf, n);
	case Qsysname: return readstr(off, buf, n, sysname ? sysname : "musubi");
	case Quser: return readstr(off, buf, n, eve);
	case Qkmesg: return kmesgread(buf, n, off);
	}
	werrstr("%s", Eperm);
	return -1;
}

static long
conswrite(Chan *c, const void *buf, long n, vlong off)
{
	switch (c->qid.path) {
	case Qcons:
		if (n > 0)
			mu_debugput(buf, (size_t)n);
		return n;
	case Qconsctl: return consctlwrite(buf, n);
	case Qnull: return n;
	}
	werrstr("%s", Eperm);
	return -1;
}

Dev consdevtab = {
	.dc = 'c',
	.name = "cons",
	.init = consinit,
	.attach = consattach,
	.clone = consclone,
	.walk = conswalk,
	.stat = consstat,
	.open = consopen,
	.create = devcreate,
	.close = consclose,
	.read = consread,
	.write = conswrite,
	.remove = devremove,
	.wstat = devwstat,
};
