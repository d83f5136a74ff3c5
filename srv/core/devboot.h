/* SPDX-License-Identifier: MIT */
/* "#B", the boot file system (devboot.c): what core tells it at start. */
#ifndef CORE_DEVBOOT_H
#define CORE_DEVBOOT_H

/*
 * The boot archive: a ustar tar of /bin and /lib, mapped read-only at
 * tar[0..len) for the life of core.  Core calls this once, before the
 * servants' init; it indexes the archive (bad entries are skipped with
 * a klog line).  Without it #B is an empty directory.
 */
void bootfsinit(const void *tar, long len);

#endif
