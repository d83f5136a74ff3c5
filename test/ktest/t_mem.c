/* SPDX-License-Identifier: MIT */
/* mem tests: see ktest.h. */
#include "ktest.h"

const Test mem_tests[] = {
	{ NULL, NULL },
};
const Role mem_roles[] = { { NULL, NULL } };
