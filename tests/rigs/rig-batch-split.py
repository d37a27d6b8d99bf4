#!/usr/bin/env python3
"""Takes rig_batch's output (tests/rigs/rig_batch.c) apart: for each job NAME, DIR/NAME.out,
DIR/NAME.err and DIR/NAME.status. Exit 1 when the output is cut short or malformed (the rig
failed mid-batch: its jobs have no files, and the caller reports them as failed).

usage: rig-batch-split.py DIR < RIG-STDOUT
"""
import os
import sys

out_dir = sys.argv[1]
data = sys.stdin.buffer.read()
pos = 0
while pos < len(data):
    end = data.find(b"\n", pos)
    head = data[pos:end].split(b" ") if end >= 0 else []
    if len(head) != 5 or head[0] != b"@@rig-batch":
        sys.exit("rig-batch-split: no job header at byte %d" % pos)
    name, status, olen, elen = head[1].decode(), head[2], int(head[3]), int(head[4])
    pos = end + 1
    if pos + olen + elen > len(data):
        sys.exit("rig-batch-split: %s is cut short" % name)
    for suffix, length in (("out", olen), ("err", elen)):
        with open(os.path.join(out_dir, "%s.%s" % (name, suffix)), "wb") as f:
            f.write(data[pos:pos + length])
        pos += length
    with open(os.path.join(out_dir, name + ".status"), "wb") as f:
        f.write(status + b"\n")
