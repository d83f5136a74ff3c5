/* SPDX-License-Identifier: MIT */
/*
 * Strings for the kernel's error numbers (enum MuErr in abi/mu/syscall.h),
 * for messages; the numbers themselves stay the interface.
 */
#include "mu.h"

static const char *errs[NErr] = {
	[ErrNone] = "no error",
	[ErrNoSys] = "no such system call",
	[ErrBadHandle] = "bad handle",
	[ErrType] = "wrong object type",
	[ErrPerm] = "permission denied",
	[ErrInval] = "invalid argument",
	[ErrFault] = "bad address",
	[ErrNoMem] = "out of memory",
	[ErrTimeout] = "timed out",
	[ErrGone] = "object gone",
	[ErrNoSpace] = "no space",
	[ErrBusy] = "busy",
	[ErrAgain] = "try again",
	[ErrNoReply] = "no caller to reply to",
};

/* err may be -Err (as system calls return it) or Err. */
const char *
mu_errstr(long err)
{
	if (err < 0)
		err = -(unsigned long)err;
	if (err < 0 || err >= NErr || errs[err] == NULL)
		return "unknown error";
	return errs[err];
}
