#!/usr/bin/env python3
"""export_checks.py — checks of bimo export that need process control: an export folder is
complete (every file listed in the manifest with the right SHA-256, nothing else), exports
killed at random moments, and two exports at once.

    export_checks.py verify DIR                  exit 0 when DIR is a complete export
    export_checks.py kill BIMO DB DIR N SEED     N exports killed at random points
    export_checks.py concurrent BIMO DB DIR1 DIR2
"""
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time

TEMPLATE = os.environ.get("EXPORT_TEMPLATE", "quartalsexport.md")


def problems(d):
    """What is wrong with export folder d; [] when it is complete."""
    try:
        with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        return [f"no readable manifest: {e}"]
    out = []
    if m.get("format") != "bimo-export/1":
        out.append("manifest format")
    listed = {f["name"]: f for f in m["files"]}
    present = set(os.listdir(d)) - {"manifest.json"}
    if present != set(listed):
        out.append(f"files {sorted(present ^ set(listed))} differ from the manifest")
    for name in sorted(present & set(listed)):
        with open(os.path.join(d, name), "rb") as f:
            data = f.read()
        if hashlib.sha256(data).hexdigest() != listed[name]["sha256"]:
            out.append(f"{name}: SHA-256 differs")
        if len(data) != listed[name]["bytes"]:
            out.append(f"{name}: size differs")
    return out


def leftovers(d):
    parent, base = os.path.split(os.path.abspath(d))
    return [n for n in os.listdir(parent) if n.startswith(f".{base}.bimo-")]


def export(bimo, db, d, period, **kw):
    cmd = [bimo, "--db", db, "export", TEMPLATE, "--period", period, "-o", d,
           "--force", "--quiet"]
    return subprocess.Popen(cmd, **kw)


def kill_loop(bimo, db, d, n, seed):
    """Exports alternate between two periods, so the folder shows which one survived."""
    rnd = random.Random(seed)
    duration = 0.0
    for period in ("2025Q3", "2025Q2"):  # the second replaces the first: the slower path
        t0 = time.monotonic()
        if export(bimo, db, d, period).wait() != 0:
            return ["baseline export failed"]
        duration = max(duration, time.monotonic() - t0)
    fails, seen = [], {}
    for i in range(n):
        period = "2025Q3" if i % 2 == 0 else "2025Q2"
        p = export(bimo, db, d, period)
        time.sleep(rnd.uniform(0, duration * 1.2))
        p.send_signal(signal.SIGKILL)
        p.wait()
        bad = problems(d)
        if bad:
            fails.append(f"kill {i + 1}: {bad}")
            continue
        with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
            got = json.load(f)["period"]
        seen[got] = seen.get(got, 0) + 1
    if export(bimo, db, d, "2025Q3").wait() != 0:
        fails.append("export after the kills failed")
    if problems(d):
        fails.append(f"final export: {problems(d)}")
    if leftovers(d):
        fails.append(f"temporary folders left after the next run: {leftovers(d)}")
    print(f"{n} kills within {duration * 1.2:.3f} s; surviving exports by period: {seen}")
    return fails


def concurrent(bimo, db, d1, d2):
    """A holds the store lock (its first event says so) and is stopped; B must give up."""
    a = subprocess.Popen([bimo, "--db", db, "export", TEMPLATE, "--period", "2025Q3",
                          "-o", d1, "--log-format", "json"], stdout=subprocess.PIPE, text=True)
    first = json.loads(a.stdout.readline())
    a.send_signal(signal.SIGSTOP)
    fails = []
    if first["event"] != "lock":
        fails.append(f"first event {first}")
    b = subprocess.run([bimo, "--db", db, "export", TEMPLATE, "--period", "2025Q3",
                        "-o", d2], capture_output=True, text=True)
    a.send_signal(signal.SIGCONT)
    rest = a.stdout.read()
    if a.wait() != 0:
        fails.append(f"first export exit {a.returncode}")
    if b.returncode != 75:
        fails.append(f"second export exit {b.returncode}, expected 75")
    if "locked by another bimo process" not in b.stderr:
        fails.append(f"second export message: {b.stderr}")
    if os.path.exists(d2) or leftovers(d2):
        fails.append("second export left files")
    if problems(d1) or '"done"' not in rest:
        fails.append(f"first export incomplete: {problems(d1)}")
    return fails


def main():
    what = sys.argv[1]
    if what == "verify":
        fails = problems(sys.argv[2])
    elif what == "kill":
        fails = kill_loop(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        fails = concurrent(*sys.argv[2:6])
    for f in fails:
        print("FAIL:", f, file=sys.stderr)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
