/* SPDX-License-Identifier: MIT */
/*
 * ktest's entry: `ktest test` runs every test table, `ktest bench` the
 * benchmarks, `ktest child ROLE [h=N]` a child role that a test started.
 * Tests run one after another in the main thread; a test fails by
 * CHECK, which prints the file and line.  The last check is that free
 * memory and the number of kernel objects are back where they started.
 */
#include "ktest.h"

int tfailed;
static const Test *current;

void tfail(const char *file, int line, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprint(buf, sizeof buf, fmt, ap);
	va_end(ap);
	print("%s: FAILED (%s:%d: %s)\n", current ? current->name : "?", file, line, buf);
	tfailed = 1;
}

long newep(void) { return mu_objcreate(mu_pool, ObjEndpoint); }
long newntf(void) { return mu_objcreate(mu_pool, ObjNotification); }

long child(const char *role, long h)
{
	const char *argv[] = { "ktest", "child", role };
	return mu_spawn(3, argv, h);
}

int waitdead(long t, unsigned long ms)
{
	for (unsigned long i = 0; i < ms; i += 5) {
		long info = mu_handleinfo(t);
		if (info < 0 || (info >> 16) & 1)
			return 0;
		mu_sleep(5);
	}
	return -1;
}

long spawnthread(void (*fn)(void *), void *arg, int cpu)
{
	return mu_thread_create(fn, arg, 0, -1, cpu);
}

static const Test *const tables[] = { ipc_tests, handle_tests, mem_tests, fault_tests,
				      sched_tests, irq_tests, fuzz_tests, ao_tests };
static const Role *const roles[] = { ipc_roles, mem_roles, fault_roles, fuzz_roles, bench_roles,
				     ao_roles };

static int runchild(const char *name)
{
	long h = mu_spawned_handle();

	for (size_t i = 0; i < nelem(roles); i++)
		for (const Role *r = roles[i]; r->fn; r++)
			if (strcmp(r->name, name) == 0)
				return r->fn(h);
	print("ktest: no role %s\n", name);
	return 1;
}

/* The suite child: every test table; signals h with 2 (all passed) or 1. */
static int suite(long h)
{
	int nfail = 0, npass = 0;

	for (size_t i = 0; i < nelem(tables); i++)
		for (const Test *t = tables[i]; t->fn; t++) {
			current = t;
			tfailed = 0;
			t->fn();
			if (tfailed)
				nfail++;
			else {
				npass++;
				print("%s: OK\n", t->name);
			}
		}
	print("ktest: suite %d passed, %d failed\n", npass, nfail);
	mu_signal(h, (nfail ? 1 : 2) | (long)npass << 8 | (long)nfail << 32);
	return nfail ? 1 : 0;
}

/*
 * The suite runs in a child task, so that afterwards every page and
 * kernel object it and its own children used must be back.
 */
static int runsuite(void)
{
	static const Test memtest = { NULL, "mem.restored" };
	long typ0[NObj], npass, nfail;
	long ntf = newntf(), free0, obj0, free1 = 0, obj1 = 0, t, bits = 0;

	mu_sleep(1); /* creates this thread's sleep notification now */
	free0 = mu_info(InfoFreePages, 0);
	obj0 = mu_info(InfoKObjects, 0);
	for (int ty = 1; ty < NObj; ty++)
		typ0[ty] = mu_info(InfoKObjects, ty);
	if (ntf < 0 || (t = child("suite", ntf)) < 0) {
		print("ktest: cannot start the suite\n");
		return 1;
	}
	mu_taskset(t, TaskDeathNtf, ntf, 4);
	while (!(bits & 4)) {
		long b = mu_wait(ntf, TAG_WITHMS(0, 600000));
		if (b <= 0) {
			print("ktest.suite: FAILED (no end after 600 s)\n");
			MuMsg m = { TAG(LabelResult, 2, 0) | TAG_POLL, 0, { 0, 1 } };
			mu_send(mu_parent, &m);
			return 1;
		}
		bits |= b;
	}
	npass = (bits >> 8) & 0xffffff;
	nfail = (bits >> 32) & 0xffffff;
	if (!(bits & 3)) {
		print("ktest.suite: FAILED (the suite task died)\n");
		nfail++;
	}
	mu_close(t);
	current = &memtest;
	tfailed = 0;
	for (int i = 0; i < 1000; i++) {
		free1 = mu_info(InfoFreePages, 0);
		obj1 = mu_info(InfoKObjects, 0);
		if (free1 == free0 && obj1 == obj0)
			break;
		mu_sleep(10);
	}
	for (int ty = 1; ty < NObj && obj1 != obj0; ty++)
		if (typ0[ty] != mu_info(InfoKObjects, ty))
			print("ktest: kernel objects of type %d: %ld -> %ld\n", ty, typ0[ty], mu_info(InfoKObjects, ty));
	if (free1 != free0 || obj1 != obj0)
		tfail(__FILE__, __LINE__, "free pages %ld -> %ld, kernel objects %ld -> %ld", free0,
		      free1, obj0, obj1);
	else
		print("mem.restored: OK\n");
	mu_close(ntf);
	npass += !tfailed;
	nfail += tfailed;
	MuMsg m = { TAG(LabelResult, 2, 0) | TAG_POLL, 0, { npass, nfail } };
	mu_send(mu_parent, &m);
	return nfail ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "child") == 0) {
		if (strcmp(argv[2], "suite") == 0)
			return suite(mu_spawned_handle());
		return runchild(argv[2]);
	}
	if (argc >= 2 && strncmp(argv[1], "bench", 5) == 0) {
		bench_all(strcmp(argv[1], "benchwall") == 0);
		MuMsg m = { TAG(LabelResult, 2, 0) | TAG_POLL, 0, { 0, 0 } };
		mu_send(mu_parent, &m);
		return 0;
	}
	return runsuite();
}
