#!/usr/bin/env python3
"""Per-session difference of two idle-sessions memory breakdowns (moq-load scenario idle-sessions --idle-breakdown).

usage: perf/idle-breakdown.py DIR [SESSIONS]   (DIR holds baseline-*.txt and held-*.txt; SESSIONS from results.json)
Prints, per idle session: the resident memory by kind (smaps), the JVM's Native Memory Tracking categories
(committed; malloc'd by the JVM itself, so quiche and BoringSSL are not in it), and the live heap's classes that grew.
"""
import json
import re
import sys
from pathlib import Path


def smaps(path):
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^(java heap|malloc|other anonymous|file-backed|total) (\d+) kB$", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def nmt(path):
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB\)", line)
        if m:
            out[m.group(1).strip()] = int(m.group(3))
        m = re.match(r"^Total: reserved=(\d+)KB, committed=(\d+)KB", line)
        if m:
            out["Total"] = int(m.group(2))
    return out


def histo(path):
    out = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            out[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return out


def main():
    d = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else json.loads((d / "results.json").read_text())["sessions"]
    print(f"{n} sessions; KiB per session (bytes for classes)")
    a, b = smaps(d / "baseline-smaps.txt"), smaps(d / "held-smaps.txt")
    print("\n| resident (smaps) | baseline MiB | held MiB | KiB per session |\n|---|---:|---:|---:|")
    for k in a:
        print(f"| {k} | {a[k] / 1024:.1f} | {b[k] / 1024:.1f} | {(b[k] - a[k]) / n:.2f} |")
    if (d / "held-trimmed-smaps.txt").exists():
        a, b = smaps(d / "baseline-trimmed-smaps.txt"), smaps(d / "held-trimmed-smaps.txt")
        print("\n| resident after malloc_trim | baseline MiB | held MiB | KiB per session |\n|---|---:|---:|---:|")
        for k in a:
            print(f"| {k} | {a[k] / 1024:.1f} | {b[k] / 1024:.1f} | {(b[k] - a[k]) / n:.2f} |")
    a, b = nmt(d / "baseline-nmt.txt"), nmt(d / "held-nmt.txt")
    if a:
        print("\n| NMT committed | baseline MiB | held MiB | KiB per session |\n|---|---:|---:|---:|")
        for k in sorted(a, key=lambda k: -(b.get(k, 0) - a[k])):
            if abs(b.get(k, 0) - a[k]) * 1024 / n >= 10 or k == "Total":
                print(f"| {k} | {a[k] / 1024:.1f} | {b.get(k, 0) / 1024:.1f} | {(b.get(k, 0) - a[k]) / n:.2f} |")
    a, b = histo(d / "baseline-histo.txt"), histo(d / "held-histo.txt")
    total = sum(v[1] for v in b.values()) - sum(v[1] for v in a.values())
    print(f"\nlive heap: {total / n:.0f} B per session\n\n| class | instances per session | bytes per session |"
          "\n|---|---:|---:|")
    rows = sorted(b, key=lambda k: -(b[k][1] - a.get(k, (0, 0))[1]))
    for k in rows[:40]:
        di, db = b[k][0] - a.get(k, (0, 0))[0], b[k][1] - a.get(k, (0, 0))[1]
        if db / n >= 8:
            print(f"| `{k}` | {di / n:.2f} | {db / n:.0f} |")


if __name__ == "__main__":
    main()
