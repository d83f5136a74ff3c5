# SPDX-License-Identifier: MIT
# rc, the shell (cmd/rc/, doc/rc.md).  On Musubi a user program in /bin;
# with the POSIX shim (mk/libc.mk) the same sources build for the host
# as $(B)/host/rc, which tools/rccorpus.sh compares with Debian's 9base
# rc over the scripts of test/rc/: `make rccorpus` (after the parser's
# host tests, test_rcparse, which the top Makefile lists).
RC_SRC := cmd/rc/main.c cmd/rc/exec.c cmd/rc/word.c cmd/rc/var.c cmd/rc/builtin.c \
	cmd/rc/lex.c cmd/rc/parse.c cmd/rc/tree.c
rc_SRC := $(RC_SRC)
# Like the commands (mk/cmd.mk), rc links only once the system-call
# layer (lib/libc/sys.c) is there.
ifneq ($(wildcard lib/libc/sys.c),)
PROGS += rc
BINPROGS += rc
endif

$(B)/host/rc: $(RC_SRC) cmd/rc/rc.h $(HOSTP9_SRC) lib/libc/libc.h Makefile mk/rc.mk
	@mkdir -p $(B)/host
	@echo "  HOSTCC $@"
	$(Q)$(HOSTCC) $(HOSTP9_CFLAGS) -o $@ $(RC_SRC) $(HOSTP9_SRC)

.PHONY: hostrc rccorpus
hostrc: $(B)/host/rc
rccorpus: $(B)/host/rc $(B)/host/test_rcparse
	@$(B)/host/test_rcparse
	@tools/rccorpus.sh $(B)/host/rc
