/* SPDX-License-Identifier: MIT */
/* sched tests: see ktest.h. */
#include "ktest.h"

const Test sched_tests[] = {
	{ NULL, NULL },
};
