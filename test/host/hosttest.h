/* SPDX-License-Identifier: MIT */
/*
 * What every host unit test shares: the table of tests and the runner
 * that prints `name: OK` or `name: FAILED (why)` for each and sets the
 * exit status.  A test fails by writing the reason into failmsg (each
 * file's CHECK macros do).  Include it before lib headers: it pulls in
 * the host's stdio.
 */
#ifndef HOSTTEST_H
#define HOSTTEST_H

#include <stddef.h>
#include <stdio.h>

static char failmsg[512];

/* Fail the running test with the file, line and condition. */
#define CHECK(c)                                                                           \
	do {                                                                               \
		if (!(c)) {                                                                \
			snprintf(failmsg, sizeof failmsg, "%s:%d: %s", __FILE__, __LINE__, #c); \
			return;                                                            \
		}                                                                          \
	} while (0)

/* The same with a formatted reason. */
#define CHECKF(c, ...)                                                                     \
	do {                                                                               \
		if (!(c)) {                                                                \
			int o_ = snprintf(failmsg, sizeof failmsg, "%s:%d: ", __FILE__, __LINE__); \
			snprintf(failmsg + o_, sizeof failmsg - o_, __VA_ARGS__);          \
			return;                                                            \
		}                                                                          \
	} while (0)

typedef struct HostTest {
	void (*fn)(void);
	const char *name;
} HostTest;

static int hosttest_run(const HostTest *t, size_t n)
{
	int nfail = 0;

	for (size_t i = 0; i < n; i++) {
		failmsg[0] = 0;
		t[i].fn();
		if (failmsg[0]) {
			printf("%s: FAILED (%s)\n", t[i].name, failmsg);
			nfail++;
		} else
			printf("%s: OK\n", t[i].name);
	}
	return nfail != 0;
}

#endif
