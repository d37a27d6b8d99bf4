#!/usr/bin/env python3
"""Writes a generated fleet of N capability files for `make bench` (never committed).

usage: gen-fleet.py N OUTDIR TEMPLATE.xml...

Host i is template i mod T with hostname host-NNNNNN and, for every fifth x86 host, one of a few
features cleared in CPUID leaf 7 (hle, rtm, avx512f, sha or clflushopt): distinct hostnames and
perturbed features, so the fleet has more classes than the templates. Files go in shards of
1,000 per directory.
"""
import os
import re
import sys

n, out, templates = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
texts = [open(t).read() for t in templates]
BITS = [4, 11, 16, 29, 23]  # CPUID[7,0].EBX: hle, rtm, avx512f, sha, clflushopt
leaf7 = re.compile(r"(\n\s*0x00000007 0x00000000 0x[0-9a-f]{8} )(0x[0-9a-f]{8})")
for i in range(n):
    text = texts[i % len(texts)]
    text = text.replace("<origin ", '<origin hostname="host-%06d" ' % i, 1)
    if i % 5 == 1 and leaf7.search(text):
        bit = BITS[(i // 5) % len(BITS)]
        text = leaf7.sub(lambda m: m.group(1) + "0x%08x" % (int(m.group(2), 16) & ~(1 << bit)),
                         text, count=1)
    d = os.path.join(out, "%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "host-%06d.xml" % i), "w") as f:
        f.write(text)
