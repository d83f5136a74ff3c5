/* SPDX-License-Identifier: MIT */
/*
 * Programs built for the Linux host with the POSIX shim (-DHOSTP9, see
 * lib/libc/host/posix.c) keep their Plan 9 calls, but the C library of
 * the host already owns many of the names, with other meanings.  libc.h
 * includes this file first, so a program's open() is p9_open() and
 * glibc's open() stays glibc's.  The list is every name of libc.h's Plan 9
 * part that glibc also exports; the rest keep their names.  The string
 * and ctype names take libc.h's mu_ prefix instead (as in host tests).
 */
#ifndef P9NAMES_H
#define P9NAMES_H

#define open p9_open
#define read p9_read
#define write p9_write
#define pread p9_pread
#define pwrite p9_pwrite
#define close p9_close
#define dup p9_dup
#define pipe p9_pipe
#define remove p9_remove
#define chdir p9_chdir
#define access p9_access
#define stat p9_stat
#define fstat p9_fstat
#define bind p9_bind
#define mount p9_mount
#define fork p9_fork
#define execl p9_execl
#define wait p9_wait
#define waitpid p9_waitpid
#define getpid p9_getpid
#define getppid p9_getppid
#define sleep p9_sleep
#define time p9_time
#define getenv p9_getenv
#define putenv p9_putenv
#define strdup p9_strdup
#define strtoll p9_strtoll
#define qsort p9_qsort
#define gmtime p9_gmtime
#define asctime p9_asctime
#define ctime p9_ctime
#define abort p9_abort

#endif
