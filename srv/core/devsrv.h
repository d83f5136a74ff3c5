/* SPDX-License-Identifier: MIT */
/* "#s" (devsrv.c): the posted Chan behind an opened /srv entry. */
#ifndef CORE_DEVSRV_H
#define CORE_DEVSRV_H

#include "dev.h"

/*
 * If c is an opened "#s" entry that had a Chan posted when it was
 * opened, a new reference to that Chan, which open(2) returns in place
 * of c (Plan 9's srv open replaces the Chan).  NULL for any other Chan.
 */
Chan *srvchan(Chan *c);

extern Dev srvdevtab;

#endif
