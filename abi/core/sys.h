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
 *   call  label = CoreSys number, mr0..mr3 = integer arguments,
 *         strings and data in the buffer (layout below)
 *   reply label 0, mr0 = result (>= 0) or -1;
 *         mr1 = CoreRNote if a note is pending (libc then calls SysNoteGet);
 *         on failure the error string is at CoreBufErr (NUL-terminated)
 *
 * Buffer layout: names (paths, NUL-terminated) at CoreBufName and
 * CoreBufName2; data for read/write/stat/exec arguments at CoreBufData,
 * at most CoreBufDataMax bytes.  Only one thread per process calls core
 * (Plan 9 processes have one thread), so the buffer needs no locking.
 *
 * 9P over IPC.  A server calls SysIpcSrv: core creates an endpoint and a
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
	SysNop = 1,     /* () -> 0: the cheapest call into core */
	SysOpen,        /* (mode) name -> fd */
	SysCreate,      /* (mode, perm) name -> fd */
	SysRead,        /* (fd, n) -> n, data; n <= CoreBufDataMax */
	SysPread,       /* (fd, n, offset) -> n, data */
	SysWrite,       /* (fd, n) data -> n */
	SysPwrite,      /* (fd, n, offset) data -> n */
	SysSeek,        /* (fd, offset, whence) -> new offset */
	SysClose,       /* (fd) -> 0 */
	SysDup,         /* (oldfd, newfd or -1) -> fd */
	SysPipe,        /* () -> 0, mr1 = fd0, mr2 = fd1 */
	SysStat,        /* (n) name -> n, stat record in data */
	SysFstat,       /* (fd, n) -> n, stat record in data */
	SysWstat,       /* (n) name, stat record in data -> 0 */
	SysFwstat,      /* (fd, n) stat record in data -> 0 */
	SysRemove,      /* () name -> 0 */
	SysChdir,       /* () name -> 0 */
	SysFd2path,     /* (fd) -> length, path in data */
	SysBind,        /* (flag) name, name2 = old -> 0 */
	SysMount,       /* (fd, afd, flag) name2 = old, name = aname -> 0 */
	SysUnmount,     /* (hasname) name (if hasname), name2 = old -> 0 */
	SysRfork,       /* (flags, rsp, brk) -> pid in parent, 0 in child */
	SysExec,        /* (argc, argbytes) name, args in data -> no return */
	SysExits,       /* () status in data -> no return */
	SysAwait,       /* (n) -> n, "pid user sys real 'status'" in data */
	SysSleep,       /* (ms) -> 0 */
	SysNsec,        /* () -> nanoseconds since the epoch */
	SysPostnote,    /* (group, pid) note in data -> 0 */
	SysNoteGet,     /* () -> length, the oldest pending note in data (0: none) */
	SysNotify,      /* (on) -> 0: 1 = the process handles notes itself */
	SysBrk,         /* (pages) -> address of pages more heap, zeroed */
	SysIpcSrv,      /* () -> fd, mr1 = endpoint handle, mr2 = slot region VA */
	SysErrstr,      /* () -> 0: nothing; errors come back with each call */
	SysGetpid,      /* () -> pid, mr1 = parent's pid */
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
