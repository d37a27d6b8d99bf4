#!/usr/bin/env python3
"""The inventory's classes and class matrix against `cpucompat compare`, host pair by host pair.

usage: inventory_pairs.py CPUCOMPAT INVENTORY.json all|SAMPLE_SIZE

For each ordered pair of hosts checked (every pair with `all`, else every pair of hosts sharing
a class plus a fixed sample of the others), compare SRC DST is run as its own process:
  - its exit status (0 migratable, 1 not) must be the matrix's answer for the two classes
    (a host to its own class: migratable);
  - where the matrix refuses, its blockers_total is the number of compare's blockers and the
    blockers it keeps are compare's first ones (name and detail, in order);
  - two hosts are in one class exactly when compare finds them identical both ways.
Prints TAP.
"""
import json
import random
import subprocess
import sys

cpucompat, inv_file, mode = sys.argv[1:4]
inv = json.load(open(inv_file))
cls = {h["file"]: h["class"] for h in inv["hosts"]}
arch = {h["file"]: h["arch"] for h in inv["hosts"]}
cell = {(p["source"], p["destination"]): p for p in inv["matrix"]}
hosts = sorted(cls)
pairs = [(a, b) for a in hosts for b in hosts if a != b and arch[a] == arch[b]]
same = [(a, b) for a, b in pairs if cls[a] == cls[b]]
if mode != "all":
    rnd = random.Random(12)
    others = [p for p in pairs if cls[p[0]] != cls[p[1]]]
    pairs = same + rnd.sample(others, min(int(mode), len(others)))
memo = {}


def compare(a, b):
    if (a, b) not in memo:
        p = subprocess.run([cpucompat, "compare", a, b, "--format", "json"], capture_output=True,
                           text=True)
        if p.returncode not in (0, 1):
            raise RuntimeError("compare %s %s: exit %d: %s" % (a, b, p.returncode, p.stderr))
        v = json.loads(p.stdout)
        memo[(a, b)] = (p.returncode == 0, v["relation"] == "identical" and v["migratable"],
                        [(x["name"], x["detail"]) for x in v["blockers"]])
    return memo[(a, b)]


wrong_matrix, wrong_class, wrong_blockers = [], [], []
refused = 0
for a, b in pairs:
    ok, ident, blockers = compare(a, b)
    want = True if cls[a] == cls[b] else cell[(cls[a], cls[b])]["migratable"]
    if ok != want:
        wrong_matrix.append("%s -> %s: compare %s, matrix %s" % (a, b, ok, want))
    if cls[a] != cls[b] and not want:
        refused += 1
        c = cell[(cls[a], cls[b])]
        kept = [(x["name"], x["detail"]) for x in c["blockers"]]
        if c["blockers_total"] != len(blockers) or kept != blockers[:len(kept)] or not kept:
            wrong_blockers.append("%s -> %s: matrix %d %s, compare %d %s" % (
                a, b, c["blockers_total"], kept, len(blockers), blockers[:len(kept)]))
    both = ident and compare(b, a)[1]
    if both != (cls[a] == cls[b]):
        wrong_class.append("%s, %s: identical both ways %s, same class %s" % (a, b, both,
                                                                             cls[a] == cls[b]))
n = 0
for what, wrong in [("the class matrix agrees with compare on %d ordered host pairs" % len(pairs),
                     wrong_matrix),
                    ("one class exactly when compare finds two hosts identical both ways "
                     "(%d pairs, %d in one class)" % (len(pairs), len(same)), wrong_class),
                    ("the matrix's blockers are compare's first ones and its total compare's "
                     "count (%d refused pairs)" % refused, wrong_blockers)]:
    n += 1
    print(("ok %d - %s" if not wrong else "not ok %d - %s") % (n, what))
    for line in wrong[:10]:
        print("#   " + line)
print("1..%d" % n)
sys.exit(1 if wrong_matrix or wrong_class or wrong_blockers else 0)
