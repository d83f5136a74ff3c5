#!/bin/bash
# SPDX-License-Identifier: MIT
# accel.sh: print the QEMU accelerator flags for tools/qemu.sh:
# "-accel kvm -cpu host" only if KVM really runs guest code natively, else
# "-accel tcg -cpu max".  A /dev/kvm may be a software nested hypervisor
# (kvm_pvm) that runs a guest's ring-0 code ~100 times slower than TCG, so
# we boot tools/probe/probe.S under KVM once, and keep KVM only if
#   - QEMU finished within 20 s with the probe's exit status (85),
#   - its dec/jnz loop took < 5 TSC ticks per iteration (native ~1,
#     TCG ~10, kvm_pvm ~1000), and
#   - the host saw the loop take < 250 ms of wall time (native ~5 ms), which
#     guards against a guest time stamp counter that does not tell the truth.
# The verdict and the figures go to build/accel.txt (first line: the flags);
# delete it, or `make clean`, to probe again.
#
# Usage: tools/accel.sh		print the flags
#	 tools/accel.sh -p	probe again, ignoring the cache and MU_ACCEL
# Env:	 MU_ACCEL=tcg|kvm	force the choice, no probe
set -eu
cd "$(dirname "$0")/.."

KVM="-accel kvm -cpu host"
TCG="-accel tcg -cpu max"
CACHE=build/accel.txt
PROBE=build/probe.elf

if [ "${1:-}" != -p ]; then
	case ${MU_ACCEL:-} in
	tcg) echo "$TCG"; exit 0 ;;
	kvm) echo "$KVM"; exit 0 ;;
	"") ;;
	*) echo "accel.sh: MU_ACCEL must be tcg or kvm" >&2; exit 2 ;;
	esac
	if [ -s $CACHE ]; then
		head -n 1 $CACHE
		exit 0
	fi
fi

# build_probe: (re)build build/probe.elf from tools/probe/probe.S.
build_probe() {
	[ $PROBE -nt tools/probe/probe.S ] && return 0
	mkdir -p build
	gcc -m32 -c tools/probe/probe.S -o build/probe.o
	ld -m elf_i386 -z noseparate-code -Ttext-segment=0x100000 -e _start \
		--build-id=none -o $PROBE build/probe.o
}

# probe: boot the probe under KVM.  Sets $why to what was seen; succeeds if
# KVM ran it natively.
probe() {
	local line t1=0 t2=0 loops=0 ticks="" rc tenths
	if ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
		why="no usable /dev/kvm"
		return 1
	fi
	tools/deps.sh build run
	build_probe
	echo "accel.sh: probing KVM (once; up to 20 s)" >&2
	# Timestamp the lines as they arrive: the two around the loop give
	# its wall time, independent of the guest's TSC.
	while IFS= read -r line; do
		case $line in
		"probe: loop start"*) t1=${EPOCHREALTIME//[.,]/} ;;
		"probe: loop end"*)
			t2=${EPOCHREALTIME//[.,]/}
			loops=${line#*loops=0x}
			loops=$((16#${loops%% *}))
			ticks=$((16#${line#*ticks=0x})) ;;
		esac
	done < <(exec timeout -k 5 20 qemu-system-x86_64 $KVM -m 32M -nodefaults \
		-display none -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel $PROBE </dev/null 2>&1)
	wait $! && rc=0 || rc=$?
	if [ $rc -ne 85 ] || [ -z "$ticks" ] || [ $loops -eq 0 ]; then
		why="KVM probe failed (qemu exit status $rc)"
		return 1
	fi
	tenths=$((ticks * 10 / loops))
	why="KVM probe: $((tenths / 10)).$((tenths % 10)) TSC ticks/iteration,"
	why="$why loop $(((t2 - t1) / 1000)) ms wall (native: ~1 tick, ~5 ms)"
	[ $tenths -lt 50 ] && [ $((t2 - t1)) -lt 250000 ]
}

if probe; then flags=$KVM; else flags=$TCG; fi
echo "accel.sh: $why: using $flags" >&2
mkdir -p build
printf '%s\n# %s\n' "$flags" "$why" >$CACHE.$$
mv $CACHE.$$ $CACHE
echo "$flags"
