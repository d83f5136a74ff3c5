/* SPDX-License-Identifier: MIT */
/*
 * Forced (-include) into every source of the test_9psrv host test: the
 * parts of the Plan 9 program interface that dev.c, ramfs.c and lib9p's
 * server use, which libc.h hides from HOSTTEST builds.  test_9psrv.c
 * implements them on the host.
 */
#ifndef HOST_9PSRV_H
#define HOST_9PSRV_H

typedef long long p9vlong_;
void werrstr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rerrstr(char *buf, unsigned int n);
p9vlong_ nsec(void);

#endif
