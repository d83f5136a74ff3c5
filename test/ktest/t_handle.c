/* SPDX-License-Identifier: MIT */
/* handle tests: see ktest.h. */
#include "ktest.h"

const Test handle_tests[] = {
	{ NULL, NULL },
};
