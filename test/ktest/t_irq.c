/* SPDX-License-Identifier: MIT */
/* irq tests: see ktest.h. */
#include "ktest.h"

const Test irq_tests[] = {
	{ NULL, NULL },
};
