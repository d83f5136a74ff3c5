#!/bin/bash
# SPDX-License-Identifier: MIT
# bench.sh: run the benchmarks; `make bench` calls it.  Three kinds of boot,
# all under TCG so that figures compare across machines:
#   1. tools/qemu.sh bench (mode=bench, -icount shift=0,sleep=off): the
#      guest's TSC counts guest instructions, so figures are exact and
#      repeatable.  The main run.			log: build/bench-qemu.log
#   2. tools/qemu.sh bench-wall (mode=benchwall, no icount): benchmarks that
#      need wall-clock time.				log: build/bench-wall.log
#   3. tools/qemu.sh boot (mode=boot), MU_BOOT_RUNS times (default 3): the
#      host timestamps the serial output as it arrives and reports the median
#      wall time from starting QEMU to the root task's first line ("root:")
#      as "bench: boot.firstoutput N ms".		log: build/bench-boot.log
#   4. tools/qemu.sh sysbench: the whole system (core, ramfs, init) under
#      icount, running test/bench/sysbench.c: files through core and the
#      ramfs server, process spawn.			log: build/bench-sys.log
#   5. tools/bootprompt.py: MU_BOOT_RUNS boots of the whole system, the
#      median wall time from starting QEMU to rc's first prompt as
#      "bench: boot.prompt N ms".			log: build/bench-prompt.log
# Every "bench: NAME VALUE UNIT" line is printed and written, under a "#"
# heading per boot, to build/bench.txt.  Exit status 1 if a boot failed.
#
# Env:	MU_BENCH_TIMEOUT  seconds allowed per benchmark boot (default 900)
#	MU_BOOT_RUNS	  boots for boot.firstoutput (default 3)
set -eu
cd "$(dirname "$0")/.."

LIMIT=${MU_BENCH_TIMEOUT:-900}
RUNS=${MU_BOOT_RUNS:-3}
OUT=build/bench.txt
status=0

# usec: the wall clock in microseconds, without forking.
usec() { t=${EPOCHREALTIME//[.,]/}; }

# bench_boot MODE LOG: one benchmark boot; print and keep its bench lines.
# After a "panic:" line, QEMU is stopped once it has been quiet for 3 s.
bench_boot() {
	local mode=$1 log=$2 line wait="" st done="" rc=0
	echo "bench.sh: $mode boot, log in $log"
	exec 3>"$log"
	while :; do
		IFS= read -r $wait line && st=0 || st=$?
		if [ $st -gt 128 ]; then
			kill $! 2>/dev/null || true
			wait=""
			continue
		fi
		[ $st -eq 0 ] || [ -n "$line" ] || break
		line=${line//$'\r'/}
		echo "$line" >&3
		case $line in
		bench:*) echo "$line" | tee -a $OUT.new ;;
		*"MUSUBI-DONE pass="*)	# the last line; a system boot goes on
			done=1
			kill $! 2>/dev/null || true ;;
		panic:*) wait="-t 3" ;;
		esac
	done < <(exec timeout --foreground -k 10 "$LIMIT" tools/qemu.sh "$mode" </dev/null 2>&1)
	wait $! || rc=$?
	exec 3>&-
	if [ -z "$done" ]; then
		echo "bench.sh: $mode boot failed: no MUSUBI-DONE, qemu exit status $rc; end of $log:"
		tail -n 30 "$log" | sed 's/^/    | /'
		status=1
	fi
}

# first_output: one mode=boot boot; sets ms to the wall time from starting
# QEMU (through tools/qemu.sh, a few ms) to the first "root:" line, or "".
first_output() {
	local line t0
	ms=""
	usec; t0=$t
	while IFS= read -r line || [ -n "$line" ]; do
		usec
		line=${line//$'\r'/}
		echo "$line" >&3
		if [ -z "$ms" ] && [ "${line#root:}" != "$line" ]; then
			ms=$(((t - t0) / 1000))
			kill $! 2>/dev/null || true	# in case the guest goes on
		fi
	done < <(exec timeout --foreground -k 5 60 tools/qemu.sh boot </dev/null 2>&1)
	wait $! || true
}

tools/deps.sh test
mkdir -p build
echo "# Musubi benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo 'no commit')" >$OUT.new

echo "# TCG, -icount shift=0,sleep=off: TSC ticks are guest instructions" >>$OUT.new
bench_boot bench build/bench-qemu.log
echo "# TCG, wall clock" >>$OUT.new
bench_boot bench-wall build/bench-wall.log

echo "bench.sh: $RUNS boots for boot.firstoutput, log in build/bench-boot.log"
exec 3>build/bench-boot.log
all=() bad=0
for ((i = 0; i < RUNS; i++)); do
	first_output
	all+=("${ms:-none}")
	[ -n "$ms" ] || bad=1
done
exec 3>&-
echo "bench.sh: boot.firstoutput runs (ms): ${all[*]}"
if [ $bad -eq 0 ]; then
	median=$(printf '%s\n' "${all[@]}" | sort -n | sed -n "$((RUNS / 2 + 1))p")
	echo "# TCG, wall clock measured by the host, median of $RUNS boots" >>$OUT.new
	echo "bench: boot.firstoutput $median ms" | tee -a $OUT.new
else
	echo "bench.sh: a boot printed no 'root:' line; end of build/bench-boot.log:"
	tail -n 30 build/bench-boot.log | sed 's/^/    | /'
	status=1
fi

echo "# the whole system, TCG, -icount shift=0,sleep=off" >>$OUT.new
bench_boot sysbench build/bench-sys.log
echo "bench.sh: $RUNS system boots for boot.prompt, log in build/bench-prompt.log"
echo "# TCG, wall clock measured by the host, median of $RUNS boots to rc's prompt" >>$OUT.new
if out=$(tools/bootprompt.py build/bench-prompt.log "$RUNS"); then
	echo "$out" | grep -v '^bench:'
	echo "$out" | grep '^bench:' | tee -a $OUT.new
else
	echo "$out"
	status=1
fi

mv $OUT.new $OUT
echo "bench.sh: figures in $OUT"
exit $status
