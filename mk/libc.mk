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

# The same sources as one archive, for linking with a main file built
# otherwise (the host tests below: their main files define HOSTP9
# themselves and are built with HOST_CFLAGS like every host test).
HOSTP9_LIB := $(B)/host/libp9.a
HOSTP9_OBJ := $(patsubst %.c,$(B)/host/p9/%.o,$(HOSTP9_SRC))
$(B)/host/p9/%.o: %.c lib/libc/libc.h lib/libc/host/p9names.h mk/libc.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC $< (p9)"
	$(Q)$(HOSTCC) $(HOSTP9_CFLAGS) -c $< -o $@
$(HOSTP9_LIB): $(HOSTP9_OBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@; ar rcs $@ $^

HOSTTESTS += test_bio test_conv9 test_str9 test_posix
test_bio_SRC := test/host/test_bio.c $(HOSTP9_LIB)
test_conv9_SRC := test/host/test_conv9.c $(HOSTP9_LIB)
test_str9_SRC := test/host/test_str9.c $(HOSTP9_LIB)
test_posix_SRC := test/host/test_posix.c $(HOSTP9_LIB)
