/* SPDX-License-Identifier: MIT */
/* "#d" (devdup.c): the fd behind an opened /fd/N, and the text of an fd's line. */
#ifndef CORE_DEVDUP_H
#define CORE_DEVDUP_H

#include "dev.h"

/*
 * If c is an opened "#d/N" (not N"ctl"), a new reference to the Chan of
 * fd N as it was when c was opened; open(2) returns it in place of c, so
 * opening /fd/N duplicates fd N.  NULL for any other Chan.
 */
Chan *dupchan(Chan *c);

/*
 * One line describing fd's Chan c, as in /proc/N/fd and /fd/Nctl:
 * "%3d %s %c %08llux %5u %8lld %s\n": fd, open mode ("r ", " w", "rw",
 * "x "), servant letter, qid path, qid version, offset, path.
 */
void fdline(Fmt *f, int fd, Chan *c);

extern Dev dupdevtab;

#endif
