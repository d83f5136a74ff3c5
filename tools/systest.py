#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""systest.py: the in-QEMU system tests, driven through rc on the serial
console, as a user would type them.

Boots Musubi (tools/qemu.sh run, with extra kernel words from MU_APPEND),
waits for rc's prompt, then runs:
  1. test/sys/*.rc scripts (their "name: OK/FAILED" lines are the results);
  2. the rc corpus: each test/rc/X.rc under Musubi's rc, its output
     compared with test/rc/X.out (made by Debian's 9base rc on the host);
  3. checks typed here: namespace isolation after rfork, /srv posting,
     ramfs on /tmp, pipes, process life cycle, /proc/N/ns replayed, Ctrl-C
     (sleep, pipe read, a 9P server that never answers).
Prints one "name: OK" or "name: FAILED (why)" line per check and ends with
"MUSUBI-DONE pass=N fail=M", like the kernel test boot.

Usage: tools/systest.py [LOG]   (LOG: the whole console transcript)
Env: MU_APPEND (kernel words, e.g. ramfs=core), MU_SYSTEST_TIMEOUT (s per step, 120)
"""
import os, re, select, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEP = float(os.environ.get("MU_SYSTEST_TIMEOUT", "120"))
suffix = os.environ.get("MU_SYSTEST_NAME", "")
log = open(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/systest.log"), "w")
npass = nfail = 0


# Checks that fail today, with the reason; they print SKIPPED (not counted)
# until fixed.  Each is a known bug recorded in doc/core.md.
KNOWN = {
}


def result(name, ok, why=""):
    global npass, nfail
    if not ok and name in KNOWN:
        print(f"{name + suffix}: SKIPPED (known bug: {KNOWN[name]}; {why})", flush=True)
        return
    name = name + suffix
    if ok:
        npass += 1
        print(f"{name}: OK", flush=True)
    else:
        nfail += 1
        print(f"{name}: FAILED ({why})", flush=True)


q = subprocess.Popen([os.path.join(ROOT, "tools/qemu.sh"), "run"], cwd=ROOT,
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
buf = b""


def readuntil(pat, timeout=STEP):
    """Read console output until regex pat (bytes) matches; return the text before it."""
    global buf
    end = time.time() + timeout
    rx = re.compile(pat)
    while True:
        m = rx.search(buf)
        if m:
            out = buf[:m.start()]
            buf = buf[m.end():]
            return out
        left = end - time.time()
        if left <= 0 or q.poll() is not None:
            return None
        r, _, _ = select.select([q.stdout], [], [], min(left, 1.0))
        if r:
            data = os.read(q.stdout.fileno(), 65536)
            if not data:
                return None
            log.write(data.decode("latin-1"))
            log.flush()
            buf += data


def send(s):
    q.stdin.write(s.encode())
    q.stdin.flush()


def dump():
    """Something hangs: Ctrl-T makes core print its processes and what
    each waits in; give it a few seconds to reach the log."""
    send("\x14")
    readuntil(rb"(?!)", 5)


n = 0


def run(cmd, timeout=STEP):
    """Type cmd at the prompt; return its output (lines, \\r removed) or None."""
    global n
    n += 1
    mark = f"MARK{n}"
    # the marker is split in the typed line so its echo never matches
    send(f"{cmd}; echo MA^RK{n}\n")
    out = readuntil(rb"\n" + mark.encode() + rb"\r?\n", timeout)
    if out is None:
        dump()
        return None
    # take rc's next prompt too: typed-ahead input is echoed at once, so a
    # prompt still to come would land inside the next command's output
    readuntil(rb"% ", timeout)
    text = out.decode("latin-1").replace("\r", "")
    lines = text.split("\n")
    # drop the echo of the typed command (the first line)
    return "\n".join(lines[1:]) + ("\n" if len(lines) > 1 else "")


def main():
    if readuntil(rb"% ", 300) is None:
        result("sys.boot.prompt", False, "no prompt")
        return
    result("sys.boot.prompt", True)
    # 1. scripts
    for f in sorted(os.listdir(os.path.join(ROOT, "test/sys"))):
        if not f.endswith(".rc"):
            continue
        out = run(f"rc /lib/test/sys/{f}", 600)
        if out is None:
            result(f"sys.{f}", False, "no end")
            continue
        for line in out.split("\n"):
            m = re.match(r"^([A-Za-z0-9_.:/-]+): (OK|FAILED)( |$)(.*)", line)
            if m:
                result(m.group(1), m.group(2) == "OK", m.group(4))
    # 2. the rc corpus
    d = os.path.join(ROOT, "test/rc")
    for f in sorted(os.listdir(d)):
        if not f.endswith(".rc") or not os.path.exists(os.path.join(d, f[:-3] + ".out")):
            continue
        want = open(os.path.join(d, f[:-3] + ".out"), encoding="latin-1").read()
        name = f[:-3]
        # each script in a copy of the shell's environment (rfork e), as on
        # the host: a child rc shares its parent's /env, and the scripts'
        # exports would otherwise reach the next one
        out = run(f"mkdir -p /tmp/rc.{name}; cd /tmp/rc.{name}; @{{rfork e; rc /lib/test/rc/{f} >[2]/dev/null}}; cd /", 120)
        if out is None:
            result(f"rc.corpus.{name}", False, "no end")
        elif out == want:
            result(f"rc.corpus.{name}", True)
        else:
            result(f"rc.corpus.{name}", False, f"got {out[:80]!r} want {want[:80]!r}")
    # 3. typed checks
    checks = [
        ("sys.ns.isolation",
         "mkdir -p /tmp/iso/a /tmp/iso/b; echo x > /tmp/iso/b/f; "
         "rfork n; bind /tmp/iso/b /tmp/iso/a; ls /tmp/iso/a; rc -c 'rfork n; unmount /tmp/iso/a; ls /tmp/iso/a; echo inner'; ls /tmp/iso/a",
         "/tmp/iso/a/f\ninner\n/tmp/iso/a/f\n"),
        ("sys.bind.after", "mkdir -p /tmp/u1 /tmp/u2; touch /tmp/u1/one /tmp/u2/two; bind -a /tmp/u2 /tmp/u1; ls /tmp/u1 | wc -l",
         None),
        ("sys.bind.create", "mkdir -p /tmp/c1 /tmp/c2; bind -bc /tmp/c2 /tmp/c1; echo hi > /tmp/c1/new; cat /tmp/c2/new", "hi\n"),
        ("sys.srv.post", "ls /srv", None),
        ("sys.ramfs.tmp", "echo data > /tmp/rf; cat /tmp/rf; rm /tmp/rf; test -e /tmp/rf || echo gone", "data\ngone\n"),
        ("sys.pipe", "echo a b c | wc -w", None),
        ("sys.proc.self", "cat /proc/$pid/status | wc -l", None),
        ("sys.env", "x=(1 2 3); rc -c 'echo $#x'", "3\n"),
        ("sys.exec.missing", "/bin/nonexistent >[2]/dev/null || echo failed", "failed\n"),
        ("sys.wait.status", "rc -c 'exit 3'; ~ $status *3* && echo yes", "yes\n"),
        # a job of & that ends while rc waits for another command: wait PID still has it
        ("sys.wait.bg", "rc -c 'exit 7' & p=$apid; sleep 1; wait $p; ~ $status *7* && echo kept", "kept\n"),
        # /proc/N/ns run as rc commands in a clean namespace builds the same one
        ("sys.ns.replay",
         "ns > /tmp/ns1; {echo rfork N; echo 'path=''#B/bin'''; cat /tmp/ns1; echo ns} | rc > /tmp/ns2; "
         "cmp /tmp/ns1 /tmp/ns2 && echo same; rm /tmp/ns1 /tmp/ns2",
         "same\n"),
    ]
    for name, cmd, want in checks:
        out = run(cmd)
        if out is None:
            result(name, False, "no end")
        elif want is None:
            ok = {"sys.bind.after": out.strip() == "2", "sys.srv.post": "ramfs" in out,
                  "sys.pipe": out.strip() == "3", "sys.proc.self": out.strip() == "1"}[name]
            result(name, ok, repr(out[:80]))
        else:
            result(name, out == want, f"got {out[:80]!r}")
    # Ctrl-C: interrupt a foreground command that waits (a sleep, a pipe
    # read, a 9P server that never answers); the shell must come back
    ctrlc("sys.note.interrupt", "sleep 1000")
    ctrlc("sys.note.interrupt.pipe", "{sleep 100 &} | cat")
    for name, flags, mode in (("ipc", "", "silent"), ("pipe", "-p ", "hang")):
        run(f"hostile9p {flags}{mode} c9p & srvpid=$apid; while(! test -e /srv/c9p) sleep 0.1; "
            "mkdir -p /tmp/c9p; mount /srv/c9p /tmp/c9p")
        ctrlc(f"sys.note.interrupt.9p.{name}", "cat /tmp/c9p/data",
              "unmount /tmp/c9p; kill $srvpid; rm -f /srv/c9p")


def ctrlc(name, cmd, cleanup=None):
    """Type cmd, which blocks; Ctrl-C must end it and bring the prompt
    back, and then the shell must still run commands (after cleanup)."""
    send(cmd + "\n")
    readuntil(re.escape(cmd).encode() + rb"\r?\n", 30)
    time.sleep(3)  # let it block
    t = time.time()
    send("\x03")
    out = run("echo back", 60)
    if out is None or "back" not in out or time.time() - t >= 60:
        result(name, False, "shell did not come back")
        dump()
        return
    if cleanup:
        run(cleanup)
    out = run("echo alive")
    result(name, out is not None and "alive" in out, "no answer after the interrupt")


try:
    main()
finally:
    print(f"MUSUBI-DONE pass={npass} fail={nfail}", flush=True)
    q.kill()
    q.wait()
