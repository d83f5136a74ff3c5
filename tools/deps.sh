#!/bin/bash
# SPDX-License-Identifier: MIT
# deps.sh: make sure the host tools that Musubi needs are installed.  `make`
# calls it before every build, so it is quiet and takes a few milliseconds
# (shell built-ins only) when nothing is missing.  When something is missing,
# as root it installs the Debian packages with apt-get; as anyone else it
# prints the command to run and exits 1.
#
# Usage: tools/deps.sh [GROUP...]		(default: test)
#	build	gcc, ld, ar, make			Makefile
#	run	qemu-system-x86_64			tools/qemu.sh, tools/accel.sh
#	iso	grub-mkrescue, xorriso, mformat and
#		GRUB's BIOS files (grub-pc-bin)		tools/mkiso.sh
#	test	build + run + iso, 9base (rc for the rc
#		corpus), python3 (the console driver)	tools/runtests.sh, tools/bench.sh
#	debug	run + gdb				tools/qemu.sh debug
#	fuzz	clang and its libFuzzer runtime		make fuzz
#		(clang, libclang-rt-dev)
set -eu

# Every package the project uses.  If anything is missing, all of them are
# installed at once, so that a fresh machine needs a single apt-get run.
PACKAGES="gcc make binutils qemu-system-x86 grub-pc-bin grub-common xorriso mtools 9base python3"

# need PACKAGE THING...: note PACKAGE if a THING (a program in $PATH, or an
# absolute path) is missing.
need() {
	local pkg=$1 f
	shift
	for f; do
		case $f in
		/*) [ -e "$f" ] ;;
		*) command -v "$f" >/dev/null ;;
		esac || { notfound="$notfound $f"; pkgs="$pkgs $pkg"; }
	done
}

check() {
	case $1 in
	build) need gcc gcc; need binutils ld ar; need make make ;;
	run) need qemu-system-x86 qemu-system-x86_64 ;;
	iso) need grub-common grub-mkrescue; need grub-pc-bin /usr/lib/grub/i386-pc
		need xorriso xorriso; need mtools mformat ;;
	test) check build; check run; check iso
		need 9base /usr/lib/plan9/bin/rc; need python3 python3 ;;
	debug) check run; need gdb gdb ;;
	fuzz) check build; need clang clang
		# the runtime's path depends on clang's version; ask clang (only
		# when it is there: a fresh machine installs both anyway)
		if command -v clang >/dev/null; then
			need libclang-rt-dev "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)"
		fi ;;
	*) echo "deps.sh: unknown group '$1' (build, run, iso, test, debug, fuzz)" >&2; exit 2 ;;
	esac
}

checkall() {
	local g
	notfound="" pkgs=""
	for g in "${@:-test}"; do check "$g"; done
}

checkall "$@"
[ -z "$notfound" ] && exit 0

case " $pkgs " in
*" gdb "*) PACKAGES="$PACKAGES gdb" ;;	# only wanted for `make debug`
esac
case " $pkgs " in
*" clang "* | *" libclang-rt-dev "*) PACKAGES="$PACKAGES clang libclang-rt-dev" ;; # `make fuzz`
esac
install="DEBIAN_FRONTEND=noninteractive apt-get install -y $PACKAGES"
echo "deps.sh: not found:$notfound" >&2
if [ "$EUID" -ne 0 ]; then
	echo "deps.sh: install the Debian packages as root:" >&2
	echo "	apt-get update && $install" >&2
	exit 1
fi
echo "deps.sh: installing: $PACKAGES" >&2
apt-get update
env $install

hash -r
checkall "$@"
if [ -n "$notfound" ]; then
	echo "deps.sh: still not found after apt-get:$notfound" >&2
	exit 1
fi
