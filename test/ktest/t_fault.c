/* SPDX-License-Identifier: MIT */
/* fault tests: see ktest.h. */
#include "ktest.h"

const Test fault_tests[] = {
	{ NULL, NULL },
};
const Role fault_roles[] = { { NULL, NULL } };
