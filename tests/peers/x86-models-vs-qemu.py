#!/usr/bin/env python3
"""For every CPU model QEMU knows, cpucompat's `models` answer on this host must equal QEMU's
own: query-cpu-definitions -> unavailable-features, under -accel kvm (a host's dump) or -accel
tcg (a file of QEMU's TCG view). Prints TAP.

usage: x86-models-vs-qemu.py CPUCOMPAT HOSTFILE [ACCEL]   (kvm, the default, or tcg)
"""
import json
import subprocess
import sys

from qmp import qmp

cpucompat, hostfile = sys.argv[1], sys.argv[2]
accel = sys.argv[3] if len(sys.argv) > 3 else 'kvm'
defs = qmp('qemu-system-x86_64', ['-machine', 'none', '-accel', accel],
           [{'execute': 'query-cpu-definitions'}])[0]['return']
ours = json.loads(subprocess.run([cpucompat, 'models', '--format', 'json', hostfile],
                                 check=True, capture_output=True, text=True).stdout)
by_name = {}
for m in ours['models']:
    by_name[m['name']] = m
    for a in m['aliases']:
        by_name[a] = m

n = failed = 0
for d in sorted(defs, key=lambda d: d['name']):
    if d['name'] in ('host', 'max', 'base'):
        continue  # not named models: they follow the host, nothing to compare
    n += 1
    m = by_name.get(d['name'])
    want = d['unavailable-features']
    if m is None:
        failed += 1
        print('not ok %d - %s: QEMU knows it, cpucompat does not' % (n, d['name']))
    elif m['unavailable_features'] != want:
        failed += 1
        print('not ok %d - %s: unavailable features differ' % (n, d['name']))
        print('#   QEMU:      %s' % ' '.join(want))
        print('#   cpucompat: %s' % ' '.join(m['unavailable_features']))
    else:
        print('ok %d - %s: %s' % (n, d['name'],
                                   'usable' if not want else '%d unavailable, same list' % len(want)))
print('1..%d' % n)
sys.exit(1 if failed or n == 0 else 0)
