/* SPDX-License-Identifier: MIT */
/*
 * core: start-up, the manager thread and the clerks.
 *
 * Programs call core's endpoint (coreep), where the idle clerks wait; the
 * kernel hands each call to one of them (the endpoint's receive queue is
 * the hand-off: no extra message, and the caller's badge, which names
 * the process, arrives intact).  The clerk runs the system call and
 * replies straight to the program.  A clerk that blocks (a pipe read, a
 * slow server) blocks only itself: the manager thread sees to it that
 * an idle clerk is always waiting.  (Forwarding each call from the
 * manager would cost a kernel entry per call and, since a forwarded
 * message carries the forwarder's badge, a word to say who called.)
 *
 * Arguments (from root): pool=H irqctl=H com1=H rtc=H bootfs=H
 * bootfslen=N init=PATH [sysname=NAME].
 */
#include "dat.h"
#include "fns.h"
#include "devboot.h"

long corepool = -1;
long coreep = -1, faultep = -1;
int consnoteid;
int coredebug;
const char *sysname = "musubi";
static long hw[NHw] = { -1, -1, -1 };

static Clerk clerks[NCLERK];
static int nclerk;
static int idle; /* clerks waiting for work (atomic) */


long
hwhandle(int which)
{
	return which >= 0 && which < NHw ? hw[which] : -1;
}

int
curpid(void)
{
	Clerk *c = clerkof();
	return c && c->proc ? c->proc->pid : 0;
}

static long managerntf = -1;

/* Cancel every call that waits in IPC channel ipc (its server is gone). */
void
clerkscancel(void *ipc)
{
	int n = __atomic_load_n(&nclerk, __ATOMIC_ACQUIRE);

	for (int i = 0; i < n; i++)
		clerkcancel(&clerks[i], ipc);
	sysclerkscancel(ipc);
}

/* A clerk: take the next call from a program, serve it, reply. */
static void
clerkloop(void *arg)
{
	Clerk *c = arg;
	MuMsg m;
	Proc *p;
	long r;

	setclerk(c);
	m.tag = 0;
	__atomic_add_fetch(&idle, 1, __ATOMIC_RELAXED);
	r = mu_recv(coreep, &m);
	for (;;) {
		if (__atomic_sub_fetch(&idle, 1, __ATOMIC_RELAXED) <= 0)
			mu_signal(managerntf, 1); /* the last idle clerk is busy now */
		if (r < 0) {
			m.tag = 0;
			__atomic_add_fetch(&idle, 1, __ATOMIC_RELAXED);
			r = mu_recv(coreep, &m);
			continue;
		}
		/* claim the process under proclock, so a kill cannot end it
		 * while this clerk works for it (procnote checks p->clerk) */
		lock(&proclock);
		p = procbybadge(m.badge);
		if (p) {
			lock(&p->notelock);
			p->clerk = c;
			c->intr = p->killed || p->nnote > 0; /* a note came first */
			unlock(&p->notelock);
		}
		unlock(&proclock);
		int reply = p != NULL && syscall(p, &m);
		__atomic_add_fetch(&idle, 1, __ATOMIC_RELAXED);
		if (reply)
			r = mu_replyrecv(coreep, &m);
		else {
			m.tag = 0;
			r = mu_recv(coreep, &m);
		}
	}
}

static int
newclerk(void)
{
	Clerk *c;
	long th;

	if (nclerk == NCLERK)
		return -1;
	c = &clerks[nclerk];
	c->id = nclerk;
	c->scratch = CoreScratchVa + (MuWord)nclerk * CoreScratchSize;
	if ((c->ntf = mu_objcreate(mu_pool, ObjNotification)) < 0)
		return -1;
	if ((th = mu_thread_create(clerkloop, c, 64 * 1024, -1, -1)) < 0)
		return -1;
	c->thread = th;
	nclerk++;
	return 0;
}

/*
 * The manager keeps an idle clerk waiting on core's endpoint, so a call
 * never waits behind one that blocks: the kernel hands each call to a
 * waiting clerk, and when the last idle clerk takes one, it signals the
 * manager, which starts another (up to NCLERK).
 */
static void
manager(void)
{
	for (;;) {
		mu_wait(managerntf, 0);
		while (__atomic_load_n(&idle, __ATOMIC_RELAXED) <= 0 && nclerk < NCLERK)
			if (newclerk() < 0)
				break;
	}
}

/* The value of argument key=value, or def. */
static const char *
sarg(const char *key, const char *def)
{
	size_t n = strlen(key);

	for (int i = 1; i < mu_argc; i++)
		if (strncmp(mu_argv[i], key, n) == 0 && mu_argv[i][n] == '=')
			return mu_argv[i] + n + 1;
	return def;
}

static long
arg(const char *key)
{
	const char *v = sarg(key, NULL);

	return v ? strtol(v, NULL, 0) : -1;
}

int
main(int argc, char **argv)
{
	long bootfs = arg("bootfs"), bootfslen = arg("bootfslen");
	char *initargv[8];
	int ninit = 0;

	corepool = arg("pool");
	hw[HwIrqCtl] = arg("irqctl");
	hw[HwCom1] = arg("com1");
	hw[HwRtc] = arg("rtc");
	sysname = sarg("sysname", "musubi");
	if (corepool < 0)
		corepool = mu_pool;
	coreep = mu_objcreate(mu_pool, ObjEndpoint);
	faultep = mu_objcreate(mu_pool, ObjEndpoint);
	managerntf = mu_objcreate(mu_pool, ObjNotification);
	if (coreep < 0 || faultep < 0 || managerntf < 0)
		panic("core: cannot create endpoints");
	if (bootfs > 0 && bootfslen > 0) {
		long pages = (bootfslen + 4095) / 4096, e;
		if ((e = mu_map(mu_task, bootfs, 0, CoreBootfsVa, pages, RRead)) < 0)
			print("core: cannot map the boot file system: %s\n", mu_errstr(e));
		else
			bootfsinit((const void *)CoreBootfsVa, bootfslen);
	} else
		print("core: no boot file system\n");
	devinit();
	for (int i = 0; i < 4; i++)
		newclerk();
	if (mu_thread_create(faultloop, NULL, 32 * 1024, -1, -1) < 0)
		panic("core: cannot start the fault thread");
	initargv[ninit++] = "init";
	const char *ia = sarg("initargs", "");
	coredebug = strstr(ia, "coredebug") != NULL;
	static char iabuf[128];
	strlcpy(iabuf, ia, sizeof iabuf);
	for (char *s = iabuf; *s && ninit < 7;) {
		initargv[ninit++] = s;
		char *e = strchr(s, ',');
		if (e == NULL)
			break;
		*e = 0;
		s = e + 1;
	}
	initargv[ninit] = NULL;
	int pid = procstart(sarg("init", "#B/bin/init"), initargv, ninit);
	if (pid < 0)
		print("core: no init: the system has no programs\n");
	else
		consnoteid = pid;
	if (coredebug)
		print("core: init is pid %d; manager running\n", pid);
	manager();
	return 0;
}
