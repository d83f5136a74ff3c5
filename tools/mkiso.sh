#!/bin/bash
# SPDX-License-Identifier: MIT
# mkiso.sh: build a BIOS-bootable ISO image with GRUB (grub-mkrescue) that
# boots the kernel and its modules with the same command lines as
# tools/qemu.sh passes with -kernel/-initrd/-append.  GRUB talks on the serial
# port too, so a GRUB error shows in the same log as Musubi's output.
#
# Usage: tools/mkiso.sh OUT.iso [MODE]	MODE goes to the kernel as mode=MODE
#					(default run; tools/runtests.sh uses test)
# Env:	MU_KERNEL, MU_MODULES as in tools/qemu.sh.  grub-mkrescue's output goes
#	to build/mkiso.log.
set -eu
cd "$(dirname "$0")/.."

out=${1:?usage: tools/mkiso.sh OUT.iso [MODE]}
mode=${2:-run}
kernel=${MU_KERNEL:-build/mu.elf}
modules=${MU_MODULES:-build/root.elf root,build/ktest.elf ktest}

tools/deps.sh iso
mkdir -p build
dir=$(mktemp -d build/iso.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"

cp "$kernel" "$dir/boot/"
{
	echo "serial --unit=0 --speed=115200"
	echo "terminal_input serial console"
	echo "terminal_output serial"
	echo "set timeout=0"
	echo "set timeout_style=hidden"
	echo "menuentry \"Musubi mode=$mode\" {"
	echo "	multiboot /boot/${kernel##*/} mode=$mode"
	IFS=, read -ra mods <<<"$modules"
	for m in "${mods[@]}"; do
		path=${m%% *}
		cp "$path" "$dir/boot/"
		echo "	module /boot/${path##*/}${m#"$path"}"
	done
	echo "}"
} >"$dir/boot/grub/grub.cfg"

# Only GRUB's BIOS platform: one boot path to test, and a faster build.
if ! grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out" "$dir" >build/mkiso.log 2>&1; then
	cat build/mkiso.log >&2
	echo "mkiso.sh: grub-mkrescue failed" >&2
	exit 1
fi
