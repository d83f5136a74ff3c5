/* SPDX-License-Identifier: MIT */
/*
 * The root task: the first user program.  It holds all free memory, the
 * boot modules, interrupts and I/O ports (handles from the kernel), starts
 * programs from the modules (loader.c), pages their stacks (pager.c) and
 * learns when they end.  The kernel command line picks what it runs:
 *   mode=test   the in-QEMU test suite (ktest), then power off
 *   mode=bench  the benchmarks (ktest bench), then power off
 *   mode=boot   print one line and power off (boot-time measurement)
 *   mode=run    the system: core, which starts init and the shell (default)
 */
#include "root.h"

Child children[MaxChild];
long rootep, rootdeath;
MuBootInfo *bootinfo = (MuBootInfo *)MU_BOOTINFO_VA;
static long debugexit; /* IoPorts handle for QEMU's isa-debug-exit */
static long npass, nfail = -1; /* totals a test program reported */
static int testdev; /* answer LabelTestDev: the test suite runs */

static const char *mode(void)
{
	const char *m = strstr(bootinfo->cmdline, "mode=");
	static char buf[16];
	size_t i;

	if (m == NULL)
		return "run";
	for (i = 0, m += 5; i < sizeof buf - 1 && m[i] && m[i] != ' '; i++)
		buf[i] = m[i];
	buf[i] = 0;
	return buf;
}

/* Leave QEMU (isa-debug-exit at port 0xf4); on a PC, halt here. */
static void poweroff(int code)
{
	if (debugexit > 0)
		__asm__ volatile("outb %0, %1" ::"a"((unsigned char)code), "Nd"((unsigned short)0xf4));
	for (;;)
		mu_sleep(1000000);
}

static int spawn(const char *a0, const char *a1)
{
	char args[64];
	size_t n = strlen(a0) + 1, m = strlen(a1) + 1;
	int id;
	long t;

	memcpy(args, a0, n);
	memcpy(args + n, a1, m);
	if ((t = load_program(2, args, n + m, NULL, 0, &id)) < 0) {
		print("root: cannot start %s: %s\n", a0, mu_errstr(t));
		return -1;
	}
	return id;
}

/*
 * Start core with what it needs: memory, the console's ports and IRQ
 * control, the clock's ports and the boot archive (module "bootfs").
 * Words of the kernel command line other than mode= go to init.
 */
static int startcore(void)
{
	char args[400], initargs[200];
	size_t n = 0;
	long size = 0, mod = -1;
	Pass pass[6];
	int np = 0, id;
	long t;

	for (MuWord i = 0; i < bootinfo->nmodule; i++)
		if (strcmp(bootinfo->module[i].name, "bootfs") == 0) {
			mod = HFirstModule + i;
			size = bootinfo->module[i].size;
		}
	initargs[0] = 0;
	for (const char *c = bootinfo->cmdline; *c;) {
		while (*c == ' ')
			c++;
		const char *e = c;
		while (*e && *e != ' ')
			e++;
		if (e > c && strncmp(c, "mode=", 5) != 0) {
			size_t l = strlen(initargs);
			if (l + (e - c) + 2 < sizeof initargs) {
				if (l)
					initargs[l++] = ',';
				memcpy(initargs + l, c, e - c);
				initargs[l + (e - c)] = 0;
			}
		}
		c = e;
	}
	n += snprint(args + n, sizeof args - n, "core") + 1;
	n += snprint(args + n, sizeof args - n, "bootfslen=%ld", size) + 1;
	n += snprint(args + n, sizeof args - n, "initargs=%s", initargs) + 1;
	pass[np++] = (Pass){ "pool", mu_dup(HRootPool, RAll) };
	pass[np++] = (Pass){ "irqctl", mu_dup(HIrqCtl, RAll) };
	pass[np++] = (Pass){ "com1", mu_iocreate(HIoAll, 0x3f8, 8) };
	pass[np++] = (Pass){ "rtc", mu_iocreate(HIoAll, 0x70, 2) };
	if (mod > 0)
		pass[np++] = (Pass){ "bootfs", mod };
	if ((t = load_program(3, args, n, pass, np, &id)) < 0) {
		print("root: cannot start core: %s\n", mu_errstr(t));
		return -1;
	}
	return id;
}

/* A child's spawn request: start a program, reply with its task handle. */
static void dospawn(MuMsg *m)
{
	MuIpcBuf *b = mu_ipcbuf();
	size_t len = m->mr[1];
	char args[SpawnMaxArgs + 1];
	long passh = 0, t, h;
	int id;

	if (TAG_ITEMS(m->tag) >= 1 && b->item[0].kind == ItemHandle)
		passh = b->item[0].a;
	if (len == 0 || len > SpawnMaxArgs || len > (TAG_WORDS(m->tag) - 4) * 8 || m->mr[0] < 1 ||
	    m->mr[0] > 16) {
		t = -ErrInval;
		goto bad;
	}
	memcpy(args, &b->mr[4], len);
	args[len] = 0;
	Pass p = { "h", passh };
	t = load_program(m->mr[0], args, len, &p, passh != 0, &id);
	if (passh)
		mu_close(passh);
	if (t < 0)
		goto bad;
	if ((h = mu_dup(t, RAll)) < 0) {
		t = h;
		goto bad;
	}
	b->item[0] = (MuItem){ ItemHandle | ITEM_MOVE, h, RAll };
	m->tag = TAG(0, 1, 1);
	m->mr[0] = id;
	mu_reply(m);
	return;
bad:
	m->tag = TAG(LabelError, 1, 0);
	m->mr[0] = t;
	mu_reply(m);
}

/* ktest's IRQ tests: a copy of IrqCtl and the PIT's ports (spawn.h). */
static void dotestdev(MuMsg *m)
{
	MuIpcBuf *b = mu_ipcbuf();
	long ctl = testdev ? mu_dup(HIrqCtl, RAll) : -ErrPerm, io = -ErrPerm;

	if (ctl >= 0 && (io = mu_iocreate(HIoAll, 0x40, 4)) >= 0) {
		b->item[0] = (MuItem){ ItemHandle, ctl, RAll };
		b->item[1] = (MuItem){ ItemHandle, io, RAll };
		m->tag = TAG(0, 0, 2);
	} else {
		m->tag = TAG(LabelError, 1, 0);
		m->mr[0] = ctl < 0 ? ctl : io;
	}
	mu_reply(m);
	if (ctl >= 0)
		mu_close(ctl);
	if (io >= 0)
		mu_close(io);
}

/* Forget children that are gone; returns 1 if `watch` is one of them. */
static int reapdead(int watch)
{
	int hit = 0;

	for (int i = 1; i < MaxChild; i++) {
		Child *c = &children[i];
		if (!c->used || !((mu_handleinfo(c->task) >> 16) & 1))
			continue;
		if (!c->exited)
			print("root: %s (task %d) died without exiting\n", c->name, i);
		if (i == watch)
			hit = 1;
		mu_close(c->task);
		mu_close(c->ep);
		c->used = 0;
	}
	return hit;
}

/* Serve children until `watch` ends; returns its exit status. */
static long serve(int watch)
{
	MuMsg m;

	for (;;) {
		m.tag = 0;
		if (mu_recv(rootep, &m) < 0)
			continue;
		Child *c = m.badge < MaxChild && children[m.badge].used ? &children[m.badge] : NULL;
		switch (TAG_LABEL(m.tag)) {
		case TAG_NOTIFY:
			if (reapdead(watch))
				return -1;
			break;
		case LabelPageFault:
			if (c && !pager_fault(c, &m)) {
				print("root: %s: page fault at %lx (rip %lx, error %lx): killed\n", c->name,
				      m.mr[0], m.mr[2], m.mr[1]);
				mu_taskkill(c->task);
			}
			break;
		case LabelException:
			if (c) {
				print("root: %s: exception %lu at rip %lx: killed\n", c->name, m.mr[0], m.mr[2]);
				mu_taskkill(c->task);
			}
			break;
		case LabelSpawn:
			dospawn(&m);
			break;
		case LabelTestDev:
			if (c)
				dotestdev(&m);
			break;
		case LabelResult:
			npass = m.mr[0];
			nfail = m.mr[1];
			break;
		case LabelExit:
			if (c) {
				c->exited = 1;
				c->status = m.mr[0];
				if (m.badge == (MuWord)watch)
					return c->status;
			}
			break;
		default:
			if (m.badge)
				mu_reply(&(MuMsg){ .tag = TAG(LabelError, 1, 0), .mr = { -ErrNoSys } });
		}
	}
}

int main(int argc, char **argv)
{
	const char *md = mode();
	long st = 0;
	int id;

	print("root: Musubi root task: %lu cpus, %lu MiB free, mode=%s\n", bootinfo->ncpu,
	      bootinfo->freepages / 256, md);
	if ((debugexit = mu_iocreate(HIoAll, 0xf4, 4)) > 0)
		mu_ioenable(debugexit);
	if (strcmp(md, "boot") == 0)
		poweroff(0);
	rootep = mu_objcreate(mu_pool, ObjEndpoint);
	rootdeath = mu_objcreate(mu_pool, ObjNotification);
	if (rootep < 0 || rootdeath < 0 || (st = mu_threadset(mu_thread, ThrBindNtf, rootdeath, 0)) < 0) {
		print("root: cannot create its endpoint\n");
		poweroff(1);
	}
	if (strcmp(md, "run") == 0) { /* the system: core, init, a shell */
		if ((id = startcore()) < 0)
			poweroff(1);
		st = serve(id);
		print("root: core ended (status %ld)\n", st);
		poweroff(1);
	}
	testdev = strcmp(md, "test") == 0;
	id = spawn("ktest", strcmp(md, "bench") == 0 ? "bench" : strcmp(md, "benchwall") == 0 ? "benchwall" : "test");
	st = id < 0 ? -1 : serve(id);
	if (nfail < 0) { /* the test program died before it reported */
		print("ktest: FAILED (it ended without reporting results)\n");
		npass = 0;
		nfail = 1;
	}
	print("MUSUBI-DONE pass=%ld fail=%ld\n", npass, nfail);
	poweroff(st == 0 && nfail == 0 ? 0 : 1);
	return 0;
}
