#!/usr/bin/env python3
"""Runs a command once and prints its wall time, CPU time (user + system, the processes it waited
for included) in seconds and the peak resident memory of its largest process in MiB:
"WALL CPU PEAK".

usage: measure.py COMMAND ARGS...   (standard output of the command is discarded)
"""
import os
import subprocess
import sys
import time

t = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
wall = time.monotonic() - t
code = os.waitstatus_to_exitcode(status)
if code not in (0, 1):
    sys.exit("measure.py: %s exited with %d" % (sys.argv[1], code))
print("%.2f %.2f %.1f" % (wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024))
