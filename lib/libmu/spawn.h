/* SPDX-License-Identifier: MIT */
/*
 * The root task's program-loader protocol, and the client side of it.
 * A program asks its parent (the root task) to start a boot module as a
 * new task; the reply carries the new task's handle.  srv/root/ serves it.
 *
 *   call  label LabelSpawn, mr0 = argc, mr1 = bytes of args,
 *         mr[4..] = args (NUL-separated strings, argv[0] is the module name),
 *         optional item 0: a handle the child receives (named "h=N" in its
 *         last argument)
 *   reply label 0, mr0 = child id, item 0 = the child's task handle;
 *         or label LabelError, mr0 = -Err
 */
#ifndef LIBMU_SPAWN_H
#define LIBMU_SPAWN_H

enum { LabelSpawn = 0x5350, LabelError = 0x4552 };
/* A test program's totals, sent to the root before it exits: mr0 passed,
 * mr1 failed (the root prints them in its MUSUBI-DONE line). */
enum { LabelResult = 0x5253 };
enum { SpawnMaxArgs = (MuMaxWords - 4) * 8 };
/*
 * ktest's interrupt tests (only while the root runs the test suite): call
 * with label LabelTestDev; the reply carries item 0 = a copy of the root's
 * IrqCtl handle and item 1 = an IoPorts handle for the PIT, ports
 * 0x40-0x43; or label LabelError, mr0 = -Err.
 */
enum { LabelTestDev = 0x5444 };

/*
 * Start module argv[0] with arguments argv[0..argc-1] and, if passh is
 * nonzero, a copy of handle passh.  Returns the child's task handle (with
 * RCtl) or -err.
 */
long mu_spawn(int argc, const char **argv, long passh);
/* The handle passed by the spawner ("h=N" argument), or 0. */
long mu_spawned_handle(void);

#endif
