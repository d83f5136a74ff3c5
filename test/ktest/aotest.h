/* SPDX-License-Identifier: MIT */
/*
 * What the tests of libao (t_ao.c) and its benchmarks (bench_ao.c)
 * share: the benchmark's child role, which t_ao.c lists in ao_roles.
 */
#ifndef AOTEST_H
#define AOTEST_H

#include "ktest.h"
#include "lib/libao/ao.h"

/* Child role "benchao": an echo object for ao.sync.remote. */
int role_benchao(long h);

#endif
