# SPDX-License-Identifier: MIT
# lib9p's server framework (srv.c, devsrv.c; doc/9p.md), ramfs as its own
# server (srv/ramfs, doc/ramfs.md), the hostile 9P server of the system
# tests, and the host test of the request handling.  devlock1.c (locks
# for a single-threaded server) is linked into standalone servers only:
# core brings its own.
ULIB_SRC += lib/lib9p/srv.c lib/lib9p/devsrv.c
PROGS += ramfs hostile9p
BINPROGS += ramfs hostile9p
ramfs_SRC := srv/ramfs/main.c srv/ramfs/ramfs.c srv/core/dev.c lib/lib9p/devlock1.c
hostile9p_SRC := test/sys/hostile9p.c srv/ramfs/ramfs.c srv/core/dev.c lib/lib9p/devlock1.c

HOSTTESTS += test_9psrv
test_9psrv_SRC := test/host/test_9psrv.c srv/core/dev.c lib/lib9p/srv.c lib/lib9p/devsrv.c \
	lib/lib9p/devlock1.c srv/ramfs/ramfs.c lib/lib9p/fcall.c lib/lib9p/fcallfmt.c \
	lib/libc/fmt.c lib/libc/string.c
