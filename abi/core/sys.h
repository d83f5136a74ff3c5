/* SPDX-License-Identifier: MIT */
/*
 * The protocol between programs and core: how lib/libc/sys.c asks core
 * (srv/core) for a Plan 9 system call, and how 9P servers talk to core
 * over an IPC channel.
 *
 * System calls.  A program's first thread holds an endpoint handle to
 * core (MuStart.parent), minted with the process's badge, and shares a
 * system-call buffer with core: CoreBufPages pages at CoreBufVa, mapped
 * in both address spaces.  A call is one IPC call:
 *
 *   call  label = CoreSys number (CoreOpen ...), mr0..mr3 = integer arguments,
 *         strings and data in the buffer (layout below)
 *   reply label 0, mr0 = result (>= 0) or -1;
 *         mr1 = CoreRNote if a note is pending (libc then calls CoreNoteget);
 *         on failure the error string is at CoreBufErr (NUL-terminated)
 *
 * Buffer layout: names (paths, NUL-terminated) at CoreBufName and
 * CoreBufName2; data for read/write/stat/exec arguments at CoreBufData,
 * at most CoreBufDataMax bytes.  Only one thread per process calls core
 * (Plan 9 processes have one thread), so the buffer needs no locking.
 *
 * 9P over IPC.  A server calls CoreIpcsrv: core creates an endpoint and a
 * region of CoreIpcSlots slots of CoreIpcSlotSize bytes, shared between
 * core and the server, and returns a file descriptor for the client side
 * (post it in /srv, then anyone can mount it).  Core sends a T-message
 * by writing it into slot s and calling the endpoint with label
 * CoreLabel9P, mr0 = s, mr1 = length; the server writes the R-message into
 * the same slot and replies with label CoreLabel9P, mr0 = s, mr1 = length.
 * The slot of a request is its 9P tag, so tags are below CoreIpcSlots
 * (Tversion's NOTAG uses slot 0).  A Tflush travels in its own slot.
 */
#ifndef ABI_CORE_SYS_H
#define ABI_CORE_SYS_H

enum CoreSys {
	CoreNop = 1,     /* () -> 0: the cheapest call into core */
	CoreOpen,        /* (mode) name -> fd */
	CoreCreate,      /* (mode, perm) name -> fd */
	CoreRead,        /* (fd, n) -> n, data; n <= CoreBufDataMax */
	CorePread,       /* (fd, n, offset) -> n, data */
	CoreWrite,       /* (fd, n) data -> n */
	CorePwrite,      /* (fd, n, offset) data -> n */
	CoreSeek,        /* (fd, offset, whence) -> new offset */
	CoreClose,       /* (fd) -> 0 */
	CoreDup,         /* (oldfd, newfd or -1) -> fd */
	CorePipe,        /* () -> 0, mr2 = fd0, mr3 = fd1 */
	CoreStat,        /* (n) name -> n, stat record in data */
	CoreFstat,       /* (fd, n) -> n, stat record in data */
	CoreWstat,       /* (n) name, stat record in data -> 0 */
	CoreFwstat,      /* (fd, n) stat record in data -> 0 */
	CoreRemove,      /* () name -> 0 */
	CoreChdir,       /* () name -> 0 */
	CoreFd2path,     /* (fd) -> length, path in data */
	CoreBind,        /* (flag) name, name2 = old -> 0 */
	CoreMount,       /* (fd, afd, flag) name2 = old, name = aname -> 0 */
	CoreUnmount,     /* (hasname) name (if hasname), name2 = old -> 0 */
	CoreRfork,       /* (flags, ctx, fsbase, entry): with RFPROC the child starts at
			    entry(ctx), ctx being on its copied stack -> pid / 0 */
	CoreExec,        /* (argc, argbytes) name, args in data -> no return */
	CoreExits,       /* () status in data -> no return */
	CoreAwait,       /* (n) -> n, "pid user sys real 'status'" in data */
	CoreSleep,       /* (ms) -> 0 */
	CoreNsec,        /* () -> nanoseconds since the epoch, mr2 = the epoch at boot in seconds */
	CorePostnote,    /* (group, pid) note in data -> 0 */
	CoreNoteget,     /* () -> length, the oldest pending note in data (0: none) */
	CoreNotify,      /* (on) -> 0: 1 = the process handles notes itself */
	CoreBrk,         /* (pages) -> address of pages more heap, zeroed */
	CoreIpcsrv,      /* () -> fd, mr2 = endpoint handle, mr3 = slot region VA */
	CoreErrstr,      /* unused: errors come back with each call */
	CoreGetpid,      /* () -> pid, mr2 = parent's pid */
	NCoreSys
};

enum {
	CoreBufVa = 0x7ef000000000ul,
	CoreBufPages = 5,
	CoreBufName = 0,        /* first path */
	CoreBufName2 = 2048,    /* second path (bind, mount) */
	CoreBufErr = 3968,      /* error string on failure, 128 bytes */
	CoreBufData = 4096,
	CoreBufDataMax = 16384, /* IOUNIT 8192 with room for stat records and exec args */
	CoreNameMax = 2047,     /* longest path, NUL excluded */

	CoreRNote = 1,          /* reply mr1 flag: a note is pending */

	CoreLabel9P = 0x3950,   /* "9P" */
	CoreIpcSlots = 32,
	CoreIpcSlotSize = 12288,  /* three pages: holds a message of CoreIpcMsize */
	CoreIpcMsize = 8192 + 24,
	CoreIpcRegionPages = CoreIpcSlots * 3,
};
#define CoreIpcSlot(base, s) ((unsigned char *)(base) + (unsigned long)(s) * CoreIpcSlotSize)

#endif
