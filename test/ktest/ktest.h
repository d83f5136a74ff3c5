/* SPDX-License-Identifier: MIT */
/*
 * ktest: the in-QEMU kernel tests and benchmarks.  main.c runs the table
 * of tests (each prints "name: OK" or "name: FAILED (file:line: what)"),
 * the benchmarks (bench.c) and, when started as a child by a test, one of
 * the child roles.  The t_*.c files hold the tests by subject.
 */
#ifndef KTEST_H
#define KTEST_H

#include "libc.h"
#include "mu.h"
#include "spawn.h"

typedef struct Test {
	void (*fn)(void);
	const char *name;
} Test;

typedef struct Role {
	int (*fn)(long h); /* h: the handle the spawner passed, or 0 */
	const char *name;
} Role;

extern int tfailed;
void tfail(const char *file, int line, const char *fmt, ...);

/* Fail the running test and leave it. */
#define CHECK(c) do { if (!(c)) { tfail(__FILE__, __LINE__, "%s", #c); return; } } while (0)
#define CHECKEQ(a, b) do { long _a = (long)(a), _b = (long)(b); \
	if (_a != _b) { tfail(__FILE__, __LINE__, "%s == %ld, want %s == %ld", #a, _a, #b, _b); return; } } while (0)

/* Start ktest as a child in `role`, passing handle h; returns its task
 * handle (with a death notification set up by the caller if wanted). */
long child(const char *role, long h);
/* Wait (bounded) until task t is dead; 0 if it died. */
int waitdead(long t, unsigned long ms);
/* A new endpoint / notification from our pool. */
long newep(void);
long newntf(void);
/* Run fn in a thread of this task on cpu (or -1); returns handle. */
long spawnthread(void (*fn)(void *), void *arg, int cpu);

extern const Test ipc_tests[], handle_tests[], mem_tests[], fault_tests[], sched_tests[],
	irq_tests[], fuzz_tests[];
extern const Role ipc_roles[], mem_roles[], fault_roles[], fuzz_roles[], bench_roles[];
void bench_all(int wall);
/* bench.c's tools, for the benchmark files: the time stamp counter (guest
 * instructions under icount) and the median of n samples (sorts v). */
static inline unsigned long rdtsc(void)
{
	unsigned int lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long)hi << 32 | lo;
}
unsigned long median(unsigned long *v, int n);
extern const Test ao_tests[];  /* t_ao.c: libao */
extern const Role ao_roles[];
void bench_ao(void);           /* bench_ao.c, called by bench_all */

#endif
