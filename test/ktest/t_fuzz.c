/* SPDX-License-Identifier: MIT */
/* fuzz tests: see ktest.h. */
#include "ktest.h"

const Test fuzz_tests[] = {
	{ NULL, NULL },
};
const Role fuzz_roles[] = { { NULL, NULL } };
