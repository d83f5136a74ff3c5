#!/bin/sh
# SPDX-License-Identifier: MIT
# The rc compatibility corpus on the host: each test/rc/X.rc runs under
# Debian's 9base rc and under our host-built rc (make hostrc); their
# standard outputs and whether they exited with success must agree.
# Prints "rc.corpus.X: OK" or "rc.corpus.X: FAILED (...)" per script and
# a total.  The 9base output is also kept as test/rc/X.out when run with
# -u, for the run of the same corpus inside Musubi.  Each script starts
# in an empty directory; the scripts use files under /tmp/rc.corpus.*.
#
#	tools/rccorpus.sh [-u] [path/to/our/rc] [X ...]
set -u
update=0
if [ "${1:-}" = -u ]; then update=1; shift; fi
ours=${1:-build/host/rc}
[ $# -gt 0 ] && shift
rc9=${RC9:-/usr/lib/plan9/bin/rc}
p9bin=$(dirname "$rc9")
top=$(cd "$(dirname "$0")/.." && pwd)
case $ours in /*) ;; *) ours=$top/$ours ;; esac
if [ ! -x "$rc9" ]; then
	echo "rccorpus: no 9base rc at $rc9 (apt-get install 9base)" >&2
	exit 1
fi
if [ ! -x "$ours" ]; then
	echo "rccorpus: no rc at $ours (make hostrc)" >&2
	exit 1
fi
tmp=$(mktemp -d /tmp/rccorpus.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if [ $# -gt 0 ]; then
	names=$*
else
	names=$(cd "$top/test/rc" && ls *.rc | sed 's/\.rc$//')
fi
pass=0
fail=0
for n in $names; do
	t=$top/test/rc/$n.rc
	# Both see the same commands: 9base's echo and cat first, then the
	# system's (rm, mkdir).  Our rc makes $path from $PATH on the host.
	# Each starts in an empty directory, so that a stray pattern
	# matches nothing.
	rm -rf "$tmp/cwd"; mkdir "$tmp/cwd"
	(cd "$tmp/cwd" && PATH=$p9bin:/bin:/usr/bin timeout 20 "$rc9" "$t" </dev/null >"$tmp/want" 2>"$tmp/want.err")
	want=$?
	rm -rf "$tmp/cwd"; mkdir "$tmp/cwd"
	(cd "$tmp/cwd" && PATH=$p9bin:/bin:/usr/bin timeout 20 "$ours" "$t" </dev/null >"$tmp/got" 2>"$tmp/got.err")
	got=$?
	[ $update = 1 ] && cp "$tmp/want" "$top/test/rc/$n.out"
	why=
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		why="diff: $(diff "$tmp/want" "$tmp/got" | head -n 6 | tr '\n' '|')"
	elif [ $want = 0 ] && [ $got != 0 ] || [ $want != 0 ] && [ $got = 0 ]; then
		why="exit status: 9base $want, ours $got"
	fi
	if [ -z "$why" ]; then
		echo "rc.corpus.$n: OK"
		pass=$((pass + 1))
	else
		echo "rc.corpus.$n: FAILED ($why)"
		fail=$((fail + 1))
	fi
done
echo "rc.corpus: $pass passed, $fail failed"
[ $fail = 0 ]
