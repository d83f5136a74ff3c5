#!/bin/bash
# SPDX-License-Identifier: MIT
# runtests.sh: run every test and add them up; `make test` calls it.
#   1. each host unit test binary given as an argument (log: BIN.log);
#   2. the in-QEMU tests, `tools/qemu.sh test` (log: build/test-qemu.log);
#   3. the system tests (tools/systest.py: core, init and rc on the serial
#      console), twice: ramfs as a server and inside core (logs:
#      build/test-sys*.log);
#   4. the kernel tests booted through GRUB from build/test.iso, made by
#      `tools/mkiso.sh build/test.iso test` (log: build/test-iso.log).
# Every line matching ^[A-Za-z0-9_.:/-]+: (OK|FAILED) is one pass or one
# failure, and is printed as it arrives.  One more failure is counted for a
# test binary that exits nonzero without printing a FAILED line, for a boot
# that does not print "MUSUBI-DONE pass=N fail=M" (hang, panic, crash), and
# for a boot whose N and M differ from the lines in its log.  The failed
# lines are listed again at the end.  The last line of output is
# "N passed, M failed"; the exit status is 0 only if M is 0 and
# N is not.
#
# Usage: tools/runtests.sh HOSTBIN...
# Env:	MU_TEST_TIMEOUT	seconds allowed per boot (default 900); the boots
#			normally end by themselves well before
set -eu
shopt -s extglob
cd "$(dirname "$0")/.."

TEST_RE='^[A-Za-z0-9_.:/-]+: (OK|FAILED)( |$)'
LIMIT=${MU_TEST_TIMEOUT:-900}
pass=0 fail=0 failures=()

# tally LINE: if LINE is a test line, print and count it.
tally() {
	[[ $1 =~ $TEST_RE ]] || return 0
	echo "$1"
	if [ "${BASH_REMATCH[1]}" = OK ]; then
		pass=$((pass + 1)) npass=$((npass + 1))
	else
		fail=$((fail + 1)) nfail=$((nfail + 1))
		failures+=("$1")
	fi
}

# failed NAME WHY LOG: count a failure found by this script, and show the
# end of LOG, indented so that none of its lines reads as a test line.
failed() {
	tally "$1: FAILED ($2)"
	[ -f "$3" ] && tail -n 30 "$3" | sed 's/^/    | /'
	return 0
}

# run LOG CMD...: run CMD with its output (stdout and stderr) kept in LOG,
# tallying test lines as they come.  Sets rc (CMD's exit status), done (the
# MUSUBI-DONE line, if any), npass and nfail (lines counted from CMD).  After
# a "panic:" line, CMD is stopped once its output has been quiet for 3 s.
run() {
	local log=$1 line wait="" st
	shift
	rc=0 done="" npass=0 nfail=0
	exec 3>"$log"
	while :; do
		IFS= read -r $wait line && st=0 || st=$?
		if [ $st -gt 128 ]; then	# quiet after a panic
			kill $! 2>/dev/null || true
			wait=""
			continue
		fi
		[ $st -eq 0 ] || [ -n "$line" ] || break
		# GRUB writes "\n\r" and clears the screen: drop both.
		line=${line//$'\r'/}
		line=${line//$'\e['*([0-9;?])[A-Za-z]/}
		echo "$line" >&3
		case $line in
		*"MUSUBI-DONE pass="*) done=$line ;;
		panic:*) wait="-t 3" ;;
		esac
		tally "$line"
	done < <(exec timeout --foreground -k 10 "$LIMIT" "$@" </dev/null 2>&1)
	wait $! || rc=$?
	exec 3>&-
}

# boot NAME LOG CMD...: a QEMU boot; judge its MUSUBI-DONE line.
boot() {
	local name=$1 log=$2 want
	shift 2
	echo "runtests: $name boot, log in $log"
	run "$log" "$@"
	if [ -z "$done" ]; then
		failed "$name.boot" "no MUSUBI-DONE, qemu exit status $rc; see $log" "$log"
		return 0
	fi
	want="pass=$npass fail=$nfail"
	case " ${done#*MUSUBI-DONE } " in
	*" $want "*) ;;
	*) failed "$name.count" "guest says '$done', log has $want; see $log" "$log" ;;
	esac
}

tools/deps.sh test
tools/accel.sh >/dev/null	# a first run probes KVM here, not inside a log

for bin; do
	run "$bin.log" "$bin"
	if [ $rc -ne 0 ] && [ $nfail -eq 0 ]; then
		failed "host.${bin##*/}" "exit status $rc; see $bin.log" "$bin.log"
	fi
done

boot qemu.test build/test-qemu.log tools/qemu.sh test

# The system: core, init, rc on the console, driven by tools/systest.py;
# then again with /tmp served by ramfs inside core (#r) instead of the
# ramfs process: the same tests against both hostings of the servant.
boot sys build/test-sys.log tools/systest.py build/test-sys-console.log
MU_APPEND=ramfs=core MU_SYSTEST_NAME=.incore boot sys.incore build/test-sys-incore.log \
	tools/systest.py build/test-sys-incore-console.log

echo "runtests: making build/test.iso"
if tools/mkiso.sh build/test.iso test; then
	MU_ISO=build/test.iso boot qemu.iso build/test-iso.log tools/qemu.sh iso
else
	failed qemu.iso.make "tools/mkiso.sh failed; see build/mkiso.log" build/mkiso.log
fi

# The failures again, so that the end of the output names them.
if [ $fail -gt 0 ]; then
	echo "runtests: the failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
