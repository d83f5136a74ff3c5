# SPDX-License-Identifier: MIT
# Musubi top-level build.  `make` builds the kernel (build/mu.elf) and the
# user programs that boot with it as multiboot modules; `make run` boots it,
# `make test` runs every test, `make bench` the benchmarks.  Sources are
# listed explicitly: adding a file means adding it here.

B := build
# `make V=1` shows the commands; by default one short line per step.
ifeq ($(V),1)
Q :=
else
Q := @
endif
CC := gcc
LD := ld
HOSTCC := gcc
NPROC := $(shell nproc 2>/dev/null || echo 2)

WARN := -std=gnu11 -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter
FREE := -ffreestanding -fno-stack-protector -fno-pic -fno-pie -nostdinc \
	-fno-builtin -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-isystem $(shell $(CC) -print-file-name=include)

# The kernel: higher half, no red zone, no SSE.
KCFLAGS := $(WARN) $(FREE) -O2 -g -mcmodel=kernel -mno-red-zone -mno-sse \
	-mno-mmx -mno-sse2 -mgeneral-regs-only -I. -Ikern
KASFLAGS := -g -I. -Ikern -I$(B) -D__ASSEMBLY__

KSRC_AMD64 := kern/amd64/boot.S kern/amd64/entry.S kern/amd64/trampoline.S \
	kern/amd64/cpu.c kern/amd64/trap.c kern/amd64/mmu.c kern/amd64/serial.c \
	kern/amd64/acpi.c kern/amd64/apic.c kern/amd64/smp.c kern/amd64/multiboot.c
KSRC_PORT := kern/port/main.c kern/port/print.c kern/port/frame.c kern/port/kalloc.c \
	kern/port/obj.c kern/port/handle.c kern/port/task.c kern/port/thread.c \
	kern/port/sched.c kern/port/ipc.c kern/port/fastpath.c kern/port/notify.c \
	kern/port/mem.c kern/port/vm.c kern/port/fault.c kern/port/irq.c \
	kern/port/syscall.c kern/port/timer.c kern/port/boot.c lib/libc/string.c lib/libc/fmt.c \
	lib/libelf/elf.c
KOBJ := $(patsubst %,$(B)/k/%.o,$(KSRC_AMD64) $(KSRC_PORT))

# User programs: freestanding, static, linked at 0x400000.
# System programs use no FPU/SSE registers, so switching between them never
# saves FPU state (a program that wants floating point drops the flag).
UCFLAGS := $(WARN) $(FREE) -O2 -g -mno-red-zone -mgeneral-regs-only -I. -Ilib/libc -Ilib/libmu -Ilib/libelf
ULIB_SRC := lib/libmu/crt0.S lib/libmu/mu.c lib/libmu/errstr.c lib/libmu/spawn.c \
	lib/libc/string.c lib/libc/fmt.c lib/libc/print.c lib/libc/ctype.c \
	lib/libc/malloc.c lib/libc/cleanname.c lib/libc/regexp.c lib/libelf/elf.c \
	lib/libao/ao.c lib/libao/sync.c lib/libao/mbox.c lib/libao/tally.c \
	lib/libao/chan.c lib/libao/pack.c lib/libao/remote.c lib/lib9p/fcall.c lib/lib9p/fcallfmt.c

PROGS := root ktest
root_SRC := srv/root/root.c srv/root/loader.c srv/root/pager.c
ktest_SRC := test/ktest/main.c test/ktest/t_ipc.c test/ktest/t_handle.c \
	test/ktest/t_mem.c test/ktest/t_fault.c test/ktest/t_sched.c \
	test/ktest/t_irq.c test/ktest/t_fuzz.c test/ktest/bench.c \
	test/ktest/t_ao.c test/ktest/bench_ao.c

# Host unit tests: pure code compiled for the host, run by `make test`.
HOSTTESTS := test_string test_fmt test_elf test_frame test_pack test_9p test_cleanname test_regexp test_rcparse
HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -g -O1 -I. -Ilib/libc -Ilib/libelf \
	-Ikern -fsanitize=address,undefined -DHOSTTEST
test_string_SRC := test/host/test_string.c lib/libc/string.c
test_fmt_SRC := test/host/test_fmt.c lib/libc/fmt.c lib/libc/string.c
test_elf_SRC := test/host/test_elf.c lib/libelf/elf.c lib/libc/string.c
test_frame_SRC := test/host/test_frame.c kern/port/frame.c
test_pack_SRC := test/host/test_pack.c lib/libao/pack.c lib/libc/string.c
test_9p_SRC := test/host/test_9p.c lib/lib9p/fcall.c lib/lib9p/fcallfmt.c lib/libc/fmt.c lib/libc/string.c
test_cleanname_SRC := test/host/test_cleanname.c lib/libc/cleanname.c lib/libc/string.c
test_regexp_SRC := test/host/test_regexp.c lib/libc/regexp.c lib/libc/string.c
test_rcparse_SRC := test/host/test_rcparse.c cmd/rc/lex.c cmd/rc/parse.c cmd/rc/tree.c lib/libc/fmt.c lib/libc/string.c

# Each component may keep its part of the build in mk/NAME.mk: it appends
# to ULIB_SRC (the user library), PROGS (user programs, with NAME_SRC),
# BINPROGS (programs that go into /bin of the boot file system),
# HOSTTESTS (host unit tests, with NAME_SRC) and FUZZERS, and may add rules.
.DEFAULT_GOAL := all
BINPROGS :=
FUZZERS :=
include $(sort $(wildcard mk/*.mk))

ULIB_OBJ := $(patsubst %,$(B)/u/%.o,$(ULIB_SRC))
PROG_ELF := $(patsubst %,$(B)/%.elf,$(PROGS))
HOSTBIN := $(patsubst %,$(B)/host/%,$(HOSTTESTS))

.PHONY: all run test bench iso debug clean deps hosttest qemutest format fuzz
all: deps $(B)/mu.elf $(PROG_ELF)

deps:
	@tools/deps.sh build

# Every object is rebuilt when the flags here change.
$(B)/k/%.c.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(KCFLAGS) -MMD -c $< -o $@
$(B)/k/%.S.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "  AS    $<"
	$(Q)$(CC) $(KASFLAGS) -MMD -c $< -o $@
# Structure offsets for assembly, taken from the compiler (kern/amd64/asmoffs.c).
$(B)/asmoffs.h: kern/amd64/asmoffs.c kern/port/kern.h kern/port/arch.h abi/mu/syscall.h Makefile
	@mkdir -p $(B)
	@echo "  GEN   $@"
	$(Q)$(CC) $(KCFLAGS) -S -o - $< | sed -n 's/.*->\([A-Z_0-9]*\) \$$*\([0-9-]*\).*/#define \1 \2/p' > $@
$(B)/k/kern/amd64/entry.S.o: $(B)/asmoffs.h

$(B)/mu.elf: $(KOBJ) kern/amd64/kernel.ld
	@echo "  LD    $@"
	$(Q)$(LD) -n -z noexecstack --no-warn-rwx-segments -T kern/amd64/kernel.ld -o $@ $(KOBJ)

$(B)/u/%.c.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC    $< (user)"
	$(Q)$(CC) $(UCFLAGS) -MMD -c $< -o $@
$(B)/u/%.S.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "  AS    $< (user)"
	$(Q)$(CC) $(KASFLAGS) -MMD -c $< -o $@
$(B)/libu.a: $(ULIB_OBJ)
	@echo "  AR    $@"
	$(Q)rm -f $@; ar rcs $@ $^

define PROG_RULE
$(B)/$(1).elf: $$(patsubst %,$(B)/u/%.o,$$($(1)_SRC)) $(B)/libu.a lib/user.ld
	@echo "  LD    $$@"
	$(Q)$(LD) -n -z noexecstack --no-warn-rwx-segments -T lib/user.ld -o $$@ $$(filter %.o,$$^) $(B)/libu.a
endef
$(foreach p,$(PROGS),$(eval $(call PROG_RULE,$(p))))

define HOST_RULE
$(B)/host/$(1): $$($(1)_SRC) test/host/hosttest.h
	@mkdir -p $(B)/host
	@echo "  HOSTCC $$@"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -o $$@ $$^
endef
$(foreach t,$(HOSTTESTS),$(eval $(call HOST_RULE,$(t))))

run: all
	tools/qemu.sh run

debug: all
	tools/qemu.sh debug

iso: all
	tools/mkiso.sh $(B)/musubi.iso

# Every test: host unit tests, then the in-QEMU tests; the last line is the sum.
test: all $(HOSTBIN)
	@tools/runtests.sh $(HOSTBIN)

bench: all
	@tools/bench.sh

# Host fuzzing with libFuzzer (clang): `make fuzz` runs each target of
# test/fuzz/ for FUZZTIME seconds, from the seeds test/fuzz/mkseeds.c
# makes plus what earlier runs found (build/fuzz/corpus/).  A crash or a
# broken promise stops it, with the input in build/fuzz/crash-*.
# FUZZTIME=0 fuzzes until stopped.
FUZZTIME ?= 30
FUZZCC := clang
FUZZ_CFLAGS := -std=c11 -Wall -Wextra -Werror -Wno-unknown-pragmas -g -O1 -I. -Ilib/libc -Ilib/libelf \
	-DHOSTTEST -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZERS += fuzz_elf fuzz_strtol fuzz_9p
fuzz_elf_SRC := test/fuzz/fuzz_elf.c lib/libelf/elf.c
fuzz_strtol_SRC := test/fuzz/fuzz_strtol.c lib/libc/string.c
fuzz_9p_SRC := test/fuzz/fuzz_9p.c lib/lib9p/fcall.c lib/lib9p/fcallfmt.c lib/libc/fmt.c lib/libc/string.c
FUZZBIN := $(patsubst %,$(B)/fuzz/%,$(FUZZERS)) $(B)/fuzz/mkseeds

define FUZZ_RULE
$(B)/fuzz/$(1): $$($(1)_SRC) lib/libc/libc.h lib/libelf/elf.h Makefile
	@mkdir -p $(B)/fuzz
	@echo "  FUZZCC $$@"
	$(Q)$(FUZZCC) $(FUZZ_CFLAGS) -o $$@ $$($(1)_SRC)
endef
$(foreach f,$(FUZZERS),$(eval $(call FUZZ_RULE,$(f))))
$(B)/fuzz/mkseeds: test/fuzz/mkseeds.c lib/libelf/elf.h Makefile
	@mkdir -p $(B)/fuzz
	@echo "  FUZZCC $@"
	$(Q)$(FUZZCC) -std=c11 -Wall -Wextra -Werror -g -Ilib/libelf -o $@ $<

fuzz:
	@tools/deps.sh fuzz
	@$(MAKE) --no-print-directory $(if $(Q),-s) $(FUZZBIN)
	$(Q)$(B)/fuzz/mkseeds $(B)/fuzz/seed
	$(Q)for f in $(FUZZERS); do \
		mkdir -p $(B)/fuzz/corpus/$$f; \
		echo "  FUZZ  $$f for $(FUZZTIME) s, log in $(B)/fuzz/$$f.log"; \
		$(B)/fuzz/$$f -max_total_time=$(FUZZTIME) -artifact_prefix=$(B)/fuzz/ \
			$(B)/fuzz/corpus/$$f $(B)/fuzz/seed/$${f#fuzz_} >$(B)/fuzz/$$f.log 2>&1 || \
			{ tail -n 40 $(B)/fuzz/$$f.log; echo "fuzz: $$f FAILED"; exit 1; }; \
		echo "  $$f: $$(grep -a '^#[0-9]*.*DONE' $(B)/fuzz/$$f.log | tail -n 1)"; \
	done

clean:
	rm -rf $(B)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

-include $(shell find $(B) -name '*.d' 2>/dev/null)
