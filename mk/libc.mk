# SPDX-License-Identifier: MIT
# The Plan 9 program interface of lib/libc beyond the system calls:
# buffered I/O, printing to fds, Plan 9 string helpers, stat records and
# Dir helpers, time as text.
ULIB_SRC += lib/libc/bio.c lib/libc/fmtfd.c lib/libc/str9.c lib/libc/conv9.c \
	lib/libc/time9.c

# Host builds of Plan 9 programs (rc, commands, servers) with the POSIX
# shim: $(HOSTCC) $(HOSTP9_CFLAGS) -o prog prog.c ... $(HOSTP9_SRC).
# They get all of libc.h, the calls glibc also has renamed p9_*
# (lib/libc/host/p9names.h), the string and ctype functions from
# string.c/ctype.c as mu_*, and glibc's malloc.
HOSTP9_LIBSRC := lib/libc/bio.c lib/libc/fmtfd.c lib/libc/str9.c lib/libc/conv9.c \
	lib/libc/time9.c lib/libc/fmt.c lib/libc/string.c lib/libc/ctype.c \
	lib/libc/cleanname.c lib/libc/regexp.c
HOSTP9_SRC := $(HOSTP9_LIBSRC) lib/libc/host/posix.c
HOSTP9_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -g -O1 -I. -Ilib/libc -DHOSTP9 -fsanitize=address,undefined

# Host unit tests of the pure parts (built with HOST_CFLAGS, -DHOSTTEST,
# so they cannot call the Plan 9 calls: those that need a file go
# through the shim, built with HOSTP9_CFLAGS below).
