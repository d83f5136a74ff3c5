#!/bin/bash
# SPDX-License-Identifier: MIT
# cmdtest.sh: exercise the commands of cmd/ built for the host with the
# POSIX shim (`make cmdtest` builds them and runs this).  Each check runs
# in a fresh temporary directory's tree and prints one line,
# "cmd.NAME.WHAT: OK" or "cmd.NAME.WHAT: FAILED (why)"; the last line is
# the sum, and the exit status is 0 only when nothing failed.
#
# Usage: tools/cmdtest.sh [BINDIR]	(default build/host/cmd)
set -u
BIN=$(cd "${1:-build/host/cmd}" && pwd) || exit 1
T=$(mktemp -d "${TMPDIR:-/tmp}/cmdtest.XXXXXX") || exit 1
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1
pass=0 fail=0

ok() { echo "cmd.$1: OK"; pass=$((pass + 1)); }
bad() { echo "cmd.$1: FAILED ($2)"; fail=$((fail + 1)); }

# out NAME WANT CMD...: CMD succeeds and prints exactly WANT (plus newline).
out() {
	local name=$1 want=$2 got st
	shift 2
	got=$("$@" 2>"$T/.err"); st=$?
	if [ $st -ne 0 ]; then
		bad "$name" "exit $st: $(head -c 200 "$T/.err")"
	elif [ "$got" != "$want" ]; then
		bad "$name" "got '$(printf %s "$got" | head -c 300 | tr '\n' '|')' want '$(printf %s "$want" | tr '\n' '|')'"
	else
		ok "$name"
	fi
}

# yes NAME CMD...: CMD succeeds.  no NAME CMD...: CMD fails.
yes() {
	local name=$1 st
	shift
	"$@" >/dev/null 2>"$T/.err"; st=$?
	if [ $st -eq 0 ]; then ok "$name"; else bad "$name" "exit $st: $(head -c 200 "$T/.err")"; fi
}
no() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then bad "$name" "succeeded"; else ok "$name"; fi
}

# err NAME PREFIX CMD...: CMD fails, and its standard error starts PREFIX.
err() {
	local name=$1 prefix=$2 e
	shift 2
	if "$@" >/dev/null 2>"$T/.err"; then
		bad "$name" "succeeded"
		return
	fi
	e=$(head -n 1 "$T/.err")
	case $e in
	"$prefix"*) ok "$name" ;;
	*) bad "$name" "stderr '$e' want '$prefix...'" ;;
	esac
}

# usage NAME ARGS...: a bad flag makes NAME print its usage line and fail.
usage() {
	local name=$1
	shift
	err "$name.usage" "usage: $name" "$BIN/$name" "$@"
}

# true NAME COND: the shell condition COND holds.
true_() {
	if eval "$2"; then ok "$1"; else bad "$1" "not true: $2"; fi
}

B=$BIN

# echo
out echo.args 'a b  c' "$B/echo" a b '' c
out echo.n 'x' "$B/echo" -n x
out echo.dashx '-x y' "$B/echo" -x y
true_ echo.nonl '[ "$("$B/echo" -n x | od -An -c | tr -d " ")" = x ]'

# cat
printf 'one\ntwo\n' >f1
printf 'three' >f2
out cat.files "$(printf 'one\ntwo\nthree')" "$B/cat" f1 f2
out cat.stdin 'one' sh -c "printf 'one\n' | '$B/cat'"
err cat.missing "cat: nope: " "$B/cat" nope
usage cat -z f1

# basename
out basename.plain x.c "$B/basename" /a/b/x.c
out basename.suffix x "$B/basename" /a/b/x.c .c
out basename.slash b "$B/basename" /a/b/
out basename.whole .c "$B/basename" .c .c
out basename.d /a/b "$B/basename" -d /a/b/x.c
out basename.dnone . "$B/basename" -d x.c
usage basename -q x

# mkdir
yes mkdir.one "$B/mkdir" d1
true_ mkdir.isdir '[ -d d1 ]'
err mkdir.exists "mkdir: d1: " "$B/mkdir" d1
yes mkdir.p "$B/mkdir" -p d2/x/y
true_ mkdir.pdeep '[ -d d2/x/y ]'
yes mkdir.pexists "$B/mkdir" -p d2/x
err mkdir.noparent "mkdir: d3/x: " "$B/mkdir" d3/x
yes mkdir.mode "$B/mkdir" -m 700 d4
true_ mkdir.modebits '[ "$(stat -c %a d4)" = 700 ]'
usage mkdir -z d5

# ls
mkdir -p L/sub && : >L/b && printf 12345 >L/a
out ls.dir "$(printf 'L/a\nL/b\nL/sub')" "$B/ls" L
out ls.dot "$(printf 'a\nb\nsub')" sh -c "cd L && '$B/ls'"
out ls.d L "$B/ls" -d L
out ls.p "$(printf 'a\nb\nsub')" "$B/ls" -p L
out ls.file L/a "$B/ls" L/a
true_ ls.l '"$B/ls" -l L/a | grep -Eq "^--rw.* 5 [A-Z][a-z][a-z] [ 0-9][0-9] .* L/a$"'
true_ ls.ldir '"$B/ls" -ld L | grep -q "^d-rwx"'
true_ ls.q '"$B/ls" -q L/a | grep -Eq "^\([0-9a-f]{16} [0-9]+ 00\) L/a$"'
true_ ls.sorted '[ "$("$B/ls" L/b L/a | tr "\n" " ")" = "L/a L/b " ]'
err ls.missing "ls: /nope: " "$B/ls" /nope
usage ls -z

# rm
: >r1
yes rm.file "$B/rm" r1
true_ rm.gone '[ ! -e r1 ]'
err rm.missing "rm: r1: " "$B/rm" r1
no rm.f.status "$B/rm" -f r1
true_ rm.f.quiet '[ -z "$("$B/rm" -f r1 2>&1)" ]'
mkdir -p R/a/b && : >R/a/b/f && : >R/g
err rm.dir "rm: R: " "$B/rm" R
yes rm.r "$B/rm" -r R
true_ rm.rgone '[ ! -e R ]'
: >r2 && : >r3
err rm.r.missing "rm: nope: " "$B/rm" -r r2 nope r3
true_ rm.r.others '[ ! -e r2 ] && [ ! -e r3 ]'
usage rm -z x

# cp
printf 'data\n' >c1 && chmod 640 c1
yes cp.file "$B/cp" c1 c2
true_ cp.same.content 'cmp -s c1 c2'
true_ cp.mode '[ "$(stat -c %a c2)" = 640 ]'
mkdir -p CD
yes cp.todir "$B/cp" c1 c2 CD
true_ cp.todir.content 'cmp -s c1 CD/c1 && cmp -s c2 CD/c2'
err cp.notdir "cp: " "$B/cp" c1 c2 c1
err cp.self "cp: " "$B/cp" c1 ./c1
err cp.dir "cp: CD: " "$B/cp" CD CE
yes cp.r "$B/cp" -r CD CE
true_ cp.r.content 'cmp -s CE/c1 c1 && cmp -s CE/c2 c2'
touch -d @1000000 c1
yes cp.x "$B/cp" -x c1 c3
true_ cp.x.mtime '[ "$(stat -c %Y c3)" = 1000000 ]'
err cp.missing "cp: nope: " "$B/cp" nope c4
usage cp -z a b

# mv
printf 'm\n' >m1
yes mv.rename "$B/mv" m1 m2
true_ mv.renamed '[ ! -e m1 ] && [ "$(cat m2)" = m ]'
mkdir -p MD
yes mv.todir "$B/mv" m2 MD
true_ mv.moved '[ ! -e m2 ] && [ "$(cat MD/m2)" = m ]'
yes mv.back "$B/mv" MD/m2 m3
true_ mv.back.moved '[ ! -e MD/m2 ] && [ "$(cat m3)" = m ]'
printf 'old\n' >m4
yes mv.replace "$B/mv" m3 m4
true_ mv.replaced '[ ! -e m3 ] && [ "$(cat m4)" = m ]'
yes mv.dirrename "$B/mv" MD ME
true_ mv.dirrenamed '[ -d ME ] && [ ! -e MD ]'
err mv.missing "mv: nope: " "$B/mv" nope x
usage mv -z a b

# pwd
out pwd.cwd "$(pwd -P)" "$B/pwd"
out pwd.sub "$(cd d1 && pwd -P)" sh -c "cd d1 && '$B/pwd'"
usage pwd -z

# wc
printf 'a b\nc\n' >w1
out wc.all "$(printf '%7d %7d %7d w1' 2 3 6)" "$B/wc" w1
out wc.l "$(printf '%7d w1' 2)" "$B/wc" -l w1
out wc.w "$(printf '%7d' 3)" sh -c "'$B/wc' -w <w1"
out wc.c "$(printf '%7d w1' 6)" "$B/wc" -c w1
out wc.total "$(printf '%7d w1\n%7d w1\n%7d total' 2 2 4)" "$B/wc" -l w1 w1
err wc.missing "wc: nope: " "$B/wc" nope
usage wc -z

# xd
printf 'hello\n' >x1
out xd.default "$(printf '0000000  68656c6c 6f0a\n0000006')" "$B/xd" x1
out xd.b "$(printf '0000000  68 65 6c 6c 6f 0a\n0000006')" "$B/xd" -b x1
out xd.c "$(printf '0000000    h   e   l   l   o  \\n\n0000006')" "$B/xd" -c x1
out xd.x1 "$(printf '0000000  68 65 6c 6c 6f 0a\n0000006')" "$B/xd" -1x x1
out xd.stdin "$(printf '0000000  61\n0000001')" sh -c "printf a | '$B/xd'"
printf '0123456789abcdefg' >x2
out xd.lines "$(printf '0000000  30313233 34353637 38396162 63646566\n0000010  67\n0000011')" "$B/xd" x2
out xd.ad "$(printf '0000000  30313233 34353637 38396162 63646566\n0000016  67\n0000017')" "$B/xd" -ad x2
err xd.missing "xd: nope: " "$B/xd" nope
usage xd -z

# cmp
printf 'abcdef' >p1
printf 'abcdef' >p2
printf 'abXdeY' >p3
printf 'abc' >p4
yes cmp.same "$B/cmp" p1 p2
out cmp.differ "p1 p3 differ: char 3" sh -c "'$B/cmp' p1 p3; true"
no cmp.differ.status "$B/cmp" p1 p3
out cmp.l "$(printf '     3 0x63 0x58\n     6 0x66 0x59')" sh -c "'$B/cmp' -l p1 p3; true"
true_ cmp.s '[ -z "$("$B/cmp" -s p1 p3 2>&1)" ] && ! "$B/cmp" -s p1 p3'
err cmp.eof "cmp: EOF on p4" "$B/cmp" p1 p4
printf 'xyzdef' >p5
yes cmp.offsets "$B/cmp" p1 p5 3 3
no cmp.offsets.differ "$B/cmp" p1 p5 3 2
err cmp.missing "cmp: nope: " "$B/cmp" p1 nope
usage cmp -z p1 p2

# test
yes test.e "$B/test" -e f1
no test.e.missing "$B/test" -e nope
yes test.f "$B/test" -f f1
no test.f.dir "$B/test" -f d1
yes test.d "$B/test" -d d1
no test.d.file "$B/test" -d f1
yes test.r "$B/test" -r f1
yes test.w "$B/test" -w f1
chmod 755 f2
yes test.x "$B/test" -x f2
no test.x.not "$B/test" -x f1
yes test.s "$B/test" -s f1
: >empty
no test.s.empty "$B/test" -s empty
yes test.z "$B/test" -z ''
yes test.n "$B/test" -n x
yes test.str "$B/test" x
no test.emptystr "$B/test" ''
no test.noargs "$B/test"
yes test.eq "$B/test" a = a
yes test.ne "$B/test" a != b
yes test.numeq "$B/test" 10 -eq 010
yes test.lt "$B/test" -3 -lt 2
no test.gt "$B/test" 2 -gt 3
yes test.le "$B/test" 2 -le 2
yes test.ge "$B/test" 3 -ge 2
yes test.not "$B/test" ! -e nope
yes test.and "$B/test" -e f1 -a -d d1
no test.and.false "$B/test" -e f1 -a -d f1
yes test.or "$B/test" -d f1 -o -e f1
yes test.paren "$B/test" '(' -d f1 -o -e f1 ')' -a x
err test.syntax "test: " "$B/test" 1 -eq x
err test.paren.missing "test: " "$B/test" '(' x

# seq
out seq.last "$(printf '1\n2\n3')" "$B/seq" 3
out seq.first "$(printf '2\n3')" "$B/seq" 2 3
out seq.incr "$(printf '1\n4\n7\n10')" "$B/seq" 1 3 10
out seq.down "$(printf '3\n2\n1')" "$B/seq" 3 -1 1
out seq.neg "$(printf -- '-5\n-7\n-9')" "$B/seq" -5 -2 -10
out seq.none "" "$B/seq" 5 1
out seq.w "$(printf '08\n09\n10')" "$B/seq" -w 8 10
out seq.f "$(printf 'n001\nn002')" "$B/seq" -f 'n%03d' 2
out seq.fg "$(printf '1\n2')" "$B/seq" -f '%g' 2
err seq.badfmt "seq: " "$B/seq" -f '%s' 2
err seq.float "seq: " "$B/seq" 1.5
usage seq -z 3

# tee
out tee.stdout "hi" sh -c "echo hi | '$B/tee' t1 t2"
true_ tee.files '[ "$(cat t1)" = hi ] && [ "$(cat t2)" = hi ]'
yes tee.a sh -c "echo ho | '$B/tee' -a t1"
true_ tee.appended '[ "$(cat t1 | tr "\n" " ")" = "hi ho " ]'
yes tee.trunc sh -c "echo x | '$B/tee' t2"
true_ tee.truncated '[ "$(cat t2)" = x ]'
usage tee -z

# grep
printf 'apple\nBanana\ncherry\napricot\n' >g1
printf 'grape\n' >g2
out grep.plain "$(printf 'apple\napricot')" "$B/grep" '^ap' g1
out grep.re "$(printf 'Banana\ncherry')" "$B/grep" 'an|rr' g1
out grep.i "Banana" "$B/grep" -i banana g1
out grep.v "$(printf 'Banana\ncherry')" "$B/grep" -v '^ap' g1
out grep.n "$(printf '1:apple\n4:apricot')" "$B/grep" -n '^ap' g1
out grep.c "2" "$B/grep" -c '^ap' g1
out grep.l "g2" "$B/grep" -l grape g1 g2
out grep.names "$(printf 'g1:apple\ng2:grape')" "$B/grep" 'pe$|ple' g1 g2
out grep.h "$(printf 'apple\ngrape')" "$B/grep" -h 'pe$|ple' g1 g2
out grep.stdin "x" sh -c "printf 'x\ny' | '$B/grep' x"
out grep.nonl "y" sh -c "printf 'x\ny' | '$B/grep' y"
no grep.nomatch "$B/grep" zzz g1
err grep.badre "grep: " "$B/grep" 'a(' g1
err grep.missing "grep: nope: " "$B/grep" x nope
usage grep -z x

# touch
yes touch.create "$B/touch" n1
true_ touch.created '[ -f n1 ] && [ ! -s n1 ]'
touch -d @1000000 n1
yes touch.update "$B/touch" n1
true_ touch.updated '[ "$(stat -c %Y n1)" -gt 1000000 ]'
yes touch.t "$B/touch" -t 2000000 n1
true_ touch.t.time '[ "$(stat -c %Y n1)" = 2000000 ]'
yes touch.c "$B/touch" -c n2
true_ touch.c.nocreate '[ ! -e n2 ]'
err touch.fail "touch: nodir/x: " "$B/touch" nodir/x
usage touch -z n1

# chmod
: >h1
yes chmod.octal "$B/chmod" 640 h1
true_ chmod.octal.mode '[ "$(stat -c %a h1)" = 640 ]'
yes chmod.plusx "$B/chmod" +x h1
true_ chmod.plusx.mode '[ "$(stat -c %a h1)" = 751 ]'
yes chmod.gominus "$B/chmod" go-rwx h1
true_ chmod.gominus.mode '[ "$(stat -c %a h1)" = 700 ]'
yes chmod.eq "$B/chmod" u=r,g+w h1
true_ chmod.eq.mode '[ "$(stat -c %a h1)" = 420 ]'
yes chmod.minusw "$B/chmod" 644 h1
yes chmod.minusw2 "$B/chmod" -w h1
true_ chmod.minusw.mode '[ "$(stat -c %a h1)" = 444 ]'
err chmod.badmode "usage: chmod" "$B/chmod" 999 h1
err chmod.missing "chmod: nope: " "$B/chmod" 644 nope

# du
mkdir -p U/v && head -c 1500 /dev/zero >U/a && head -c 10 /dev/zero >U/v/b
out du.tree "$(printf '1\tU/v\n3\tU')" "$B/du" U
out du.s "$(printf '3\tU')" "$B/du" -s U
out du.a "$(printf '1\tU/v\n1\tU/v/b\n2\tU/a\n3\tU' | sort)" sh -c "'$B/du' -a U | sort"
out du.file "$(printf '2\tU/a')" "$B/du" U/a
err du.missing "du: nope: " "$B/du" nope
usage du -z

# date
true_ date.n '[ $(( $("$B/date" -n) - $(date +%s) )) -ge -2 ] && [ $(( $("$B/date" -n) - $(date +%s) )) -le 2 ]'
out date.epoch "Thu Jan 01 00:00:00 GMT 1970" "$B/date" 0
out date.fixed "Sun Sep 09 01:46:40 GMT 2001" "$B/date" -u 1000000000
true_ date.default '"$B/date" | grep -Eq "^[A-Z][a-z]{2} [A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT [0-9]{4}$"'
usage date -z

# sleep
yes sleep.frac "$B/sleep" 0.1
true_ sleep.long 's=$(date +%s%N); "$B/sleep" 0.3; e=$(date +%s%N); [ $(( (e - s) / 1000000 )) -ge 290 ]'
err sleep.bad "sleep: " "$B/sleep" 1x
usage sleep -z 1

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
