#!/usr/bin/env python3
"""Prints ns/object, ns per added subscriber and bytes allocated per object from a FanoutBenchmark JSON result."""
import json
import sys
from collections import defaultdict

rows = json.load(open(sys.argv[1]))
score = {}
alloc = {}
for r in rows:
    p = r["params"]
    key = (int(p["size"]), int(p["subscribers"]))
    score[key] = r["primaryMetric"]["score"]
    sec = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    if sec:
        alloc[key] = sec["score"]

by_size = defaultdict(dict)
for (size, subs), s in score.items():
    by_size[size][subs] = s
print("| object size | subscribers | ns/object | ns/subscriber (marginal vs 1) | B allocated/object |")
print("|---:|---:|---:|---:|---:|")
for size in sorted(by_size):
    base = by_size[size].get(1)
    for subs in sorted(by_size[size]):
        s = by_size[size][subs]
        marginal = "" if subs == 1 or base is None else "%.1f" % ((s - base) / (subs - 1))
        a = alloc.get((size, subs))
        print("| %d | %d | %.1f | %s | %s |" % (size, subs, s, marginal, "%.3f" % a if a is not None else "?"))
