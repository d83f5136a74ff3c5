#!/bin/bash
# SPDX-License-Identifier: MIT
# qemu.sh: the one place that builds QEMU's command line for Musubi.  The
# Makefile, tools/runtests.sh and tools/bench.sh all boot through it; the
# accelerator comes from tools/accel.sh, the ISO from tools/mkiso.sh.
#
# Usage: tools/qemu.sh MODE [QEMU ARGS...]	(extra args go last)
#   run		boot interactively, serial console on this terminal
#		(Ctrl-A x quits QEMU, Ctrl-A c switches to the QEMU monitor)
#   test	headless, mode=test: the root task runs the tests, exits QEMU
#   bench	headless, TCG with -icount shift=0,sleep=off (the guest TSC
#		counts guest instructions), mode=bench
#   bench-wall	headless, TCG without icount, mode=benchwall
#   boot	headless, TCG, mode=boot: the root task exits after its first line
#   sysbench	headless, TCG with icount like bench, the whole system with
#		init=/bin/sysbench (test/bench/sysbench.c)
#   sysboot	headless, TCG, the whole system up to rc's prompt (mode=run)
#   debug	like run, halted at the first instruction with a gdb stub on
#		:1234; QEMU runs in the background, its serial output goes to
#		build/debug-serial.log, and gdb runs here; leaving gdb ends QEMU
#   iso		boot $MU_ISO (default build/musubi.iso) through GRUB, -cdrom
# Env:	MU_KERNEL	kernel (default build/mu.elf)
#	MU_MODULES	modules in -initrd syntax: comma-separated "path cmdline"
#			(default: root, core and the boot archive for run/debug/iso,
#			root and ktest for the others)
#	MU_APPEND	extra kernel command line words (after mode=...)
#	MU_ACCEL	tcg|kvm, see tools/accel.sh
#	MU_QEMUFLAGS	extra QEMU arguments for every mode, e.g. "-icount
#			shift=0" makes a TCG guest's clock count its instructions
#			(1 GHz), pacing it against its timers about as KVM does
# Exit status is QEMU's: (V<<1)|1 when the guest wrote V to port 0xf4.
set -eu
cd "$(dirname "$0")/.."

mode=${1:-}
case $mode in
run | test | bench | bench-wall | boot | sysbench | sysboot | debug | iso) shift ;;
*)
	echo "usage: tools/qemu.sh run|test|bench|bench-wall|boot|sysbench|sysboot|debug|iso [qemu args]" >&2
	exit 2 ;;
esac
kernel=${MU_KERNEL:-build/mu.elf}
# The system (core, init, the shell) boots with run, debug, iso, sysbench
# and sysboot; the kernel tests with test, bench, bench-wall and boot.
case $mode in
run | debug | iso | sysbench | sysboot) defmods="build/root.elf root,build/core.elf core,build/bootfs.tar bootfs" ;;
*) defmods="build/root.elf root,build/ktest.elf ktest" ;;
esac
modules=${MU_MODULES:-$defmods}
TCG="-accel tcg -cpu max"

if [ "$mode" = debug ]; then tools/deps.sh debug; else tools/deps.sh run; fi
case $mode in
bench | bench-wall | boot | sysbench | sysboot) accel=$TCG ;;	# comparable across machines
*) accel=$(tools/accel.sh) ;;
esac

q=(qemu-system-x86_64 -smp 2 -m 256M -nodefaults -display none -no-reboot
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 ${MU_QEMUFLAGS:-})
boot=(-kernel "$kernel" -initrd "$modules")

case $mode in
run)
	echo "qemu.sh: Musubi on the serial console; Ctrl-A x quits, Ctrl-A c: monitor" >&2
	exec "${q[@]}" $accel -serial mon:stdio "${boot[@]}" -append "mode=run ${MU_APPEND:-}" "$@" ;;
test)
	exec "${q[@]}" $accel -serial stdio "${boot[@]}" -append mode=test "$@" ;;
bench)
	exec "${q[@]}" $accel -icount shift=0,sleep=off -serial stdio "${boot[@]}" \
		-append mode=bench "$@" ;;
bench-wall)
	exec "${q[@]}" $accel -serial stdio "${boot[@]}" -append mode=benchwall "$@" ;;
boot)
	exec "${q[@]}" $accel -serial stdio "${boot[@]}" -append mode=boot "$@" ;;
sysbench)
	exec "${q[@]}" $accel -icount shift=0,sleep=off -serial stdio "${boot[@]}" \
		-append "mode=run init=/bin/sysbench ${MU_APPEND:-}" "$@" ;;
sysboot)
	exec "${q[@]}" $accel -serial stdio "${boot[@]}" -append "mode=run ${MU_APPEND:-}" "$@" ;;
iso)
	exec "${q[@]}" $accel -serial mon:stdio -cdrom "${MU_ISO:-build/musubi.iso}" "$@" ;;
debug)
	# -daemonize returns once the gdb stub listens, and puts QEMU in its
	# own session, so Ctrl-C in gdb interrupts the guest, not QEMU.
	log=build/debug-serial.log pid=build/qemu-debug.pid
	mkdir -p build
	rm -f $pid
	"${q[@]}" $accel -serial file:$log "${boot[@]}" -append mode=run \
		-s -S -daemonize -pidfile $pid "$@"
	trap '[ -f $pid ] && kill "$(cat $pid)" 2>/dev/null; true' EXIT
	echo "qemu.sh: QEMU halted, gdb stub on :1234; guest serial output: tail -f $log" >&2
	gdb "$kernel" -ex 'set architecture i386:x86-64' -ex 'target remote :1234' ;;
esac
