#!/usr/bin/env python3
"""Runs a command once and prints its wall time, CPU time (user + system, children included) in
seconds and the peak resident memory of its largest process in MiB: "WALL CPU PEAK".

usage: measure.py COMMAND ARGS...   (standard output of the command is discarded)
"""
import resource
import subprocess
import sys
import time

before = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.monotonic()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
wall = time.monotonic() - t
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
if p.returncode not in (0, 1):
    sys.exit("measure.py: %s exited with %d" % (sys.argv[1], p.returncode))
print("%.2f %.2f %.1f" % (wall, cpu, after.ru_maxrss / 1024))
