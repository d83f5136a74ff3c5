# SPDX-License-Identifier: MIT
# The standard commands (cmd/NAME.c, one file each; pages in doc/cmd/).
# Each is a user program that goes into /bin of the boot file system.
# With the POSIX shim (mk/libc.mk: HOSTP9_SRC, HOSTP9_CFLAGS) the same
# sources also build for the host as $(B)/host/cmd/NAME, which
# tools/cmdtest.sh exercises: `make cmdtest`.
CMDS := ls cat echo mkdir rm cp mv pwd bind mount unmount ns ps kill sleep \
	date wc xd cmp test seq tee grep touch chmod basename du
# Until the system-call layer (lib/libc/sys.c) is there they cannot
# link, so they join the build only with it.
ifneq ($(wildcard lib/libc/sys.c),)
PROGS += $(CMDS)
BINPROGS += $(CMDS)
endif
$(foreach c,$(CMDS),$(eval $(c)_SRC := cmd/$(c).c))

# Commands that make sense on the host (the rest talk to core's /proc
# or to the namespace calls).
HOSTCMDS := ls cat echo mkdir rm cp mv pwd wc xd cmp test seq tee grep \
	touch chmod basename du date sleep
HOSTCMDBIN := $(patsubst %,$(B)/host/cmd/%,$(HOSTCMDS))

define HOSTCMD_RULE
$(B)/host/cmd/$(1): cmd/$(1).c $$(HOSTP9_SRC) lib/libc/libc.h Makefile mk/cmd.mk
	@mkdir -p $(B)/host/cmd
	@echo "  HOSTCC $$@"
	$(Q)$(HOSTCC) $$(HOSTP9_CFLAGS) -o $$@ cmd/$(1).c $$(HOSTP9_SRC)
endef
$(foreach c,$(HOSTCMDS),$(eval $(call HOSTCMD_RULE,$(c))))

.PHONY: hostcmds cmdtest
hostcmds: $(HOSTCMDBIN)
cmdtest: $(HOSTCMDBIN)
	@tools/cmdtest.sh $(B)/host/cmd
