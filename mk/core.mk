# SPDX-License-Identifier: MIT
# core (srv/core): the Plan 9 server; its system-call stubs in libc; init;
# and the boot file system archive (/bin and /lib for #B).
ULIB_SRC += lib/libc/sys.c
PROGS += core init
core_SRC := srv/core/main.c srv/core/lock.c srv/core/chan.c srv/core/mount.c srv/core/fd.c \
	srv/core/proc.c srv/core/syscall.c srv/core/devtab.c srv/core/devmnt.c srv/core/dev.c \
	srv/core/devroot.c srv/core/devcons.c srv/core/consline.c srv/core/devpipe.c \
	srv/core/devenv.c srv/core/env.c srv/core/devsrv.c srv/core/devproc.c srv/core/devdup.c \
	srv/core/devboot.c srv/core/tarfs.c srv/ramfs/ramfs.c
init_SRC := cmd/init.c
BINPROGS += init

# The boot archive: bin/ holds BINPROGS, lib/ the files of lib/root/ and
# the tests.  ustar, sorted, owned by 0, mtime 0: the same bytes every build.
BOOTFS_FILES := $(shell find lib/root test/sys test/rc -type f 2>/dev/null | sort)
# (second expansion: BINPROGS is complete only after every fragment is read)
.SECONDEXPANSION:
$(B)/bootfs.tar: $$(patsubst %,$(B)/%.elf,$$(sort $$(BINPROGS))) $(BOOTFS_FILES) mk/core.mk
	@echo "  TAR   $@"
	$(Q)rm -rf $(B)/bootfs && mkdir -p $(B)/bootfs/bin $(B)/bootfs/lib
	$(Q)for p in $(sort $(BINPROGS)); do strip -o $(B)/bootfs/bin/$$p $(B)/$$p.elf || exit 1; done
	$(Q)[ ! -d lib/root ] || cp -r lib/root/. $(B)/bootfs/lib/
	$(Q)mkdir -p $(B)/bootfs/lib/test && for d in test/sys test/rc; do [ ! -d $$d ] || cp -r $$d $(B)/bootfs/lib/test/; done
	$(Q)tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
		-C $(B)/bootfs -cf $@ bin lib
all: $(B)/bootfs.tar
