/* SPDX-License-Identifier: MIT */
/* Benchmarks: see bench_all. */
#include "ktest.h"

void bench_all(int wall)
{
	(void)wall;
}
