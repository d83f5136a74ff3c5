#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bootprompt.py: the boot.prompt benchmark (tools/bench.sh runs it).

Boots the whole system RUNS times (tools/qemu.sh sysboot: TCG, headless)
and measures, on the host, the wall time from starting QEMU to rc's first
prompt ("% " at the start of a line) on the serial console.  Prints each
run, then "bench: boot.prompt MEDIAN ms".  Exit status 1 if a boot shows
no prompt within LIMIT seconds.

Usage: tools/bootprompt.py LOG [RUNS]	(LOG: the consoles of every run)
Env: MU_BOOT_LIMIT (seconds per boot, default 120)
"""
import os, select, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIMIT = float(os.environ.get("MU_BOOT_LIMIT", "120"))
log = open(sys.argv[1], "wb")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3


def boot():
    """One boot: milliseconds to the prompt, or None."""
    t0 = time.monotonic()
    q = subprocess.Popen([os.path.join(ROOT, "tools/qemu.sh"), "sysboot"], cwd=ROOT,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    buf = b""
    ms = None
    try:
        while time.monotonic() - t0 < LIMIT:
            r, _, _ = select.select([q.stdout], [], [], 1.0)
            if not r:
                continue
            data = os.read(q.stdout.fileno(), 4096)
            if not data:
                break
            log.write(data)
            buf += data
            if buf.startswith(b"% ") or b"\n% " in buf:
                ms = int((time.monotonic() - t0) * 1000)
                break
    finally:
        q.kill()
        q.wait()
    log.write(b"\n--- end of boot ---\n")
    return ms


all_ms = [boot() for _ in range(runs)]
print("bootprompt.py: boot.prompt runs (ms): " + " ".join(str(m) for m in all_ms), flush=True)
if None in all_ms:
    print("bootprompt.py: a boot showed no prompt; see " + sys.argv[1])
    sys.exit(1)
print(f"bench: boot.prompt {sorted(all_ms)[runs // 2]} ms")
