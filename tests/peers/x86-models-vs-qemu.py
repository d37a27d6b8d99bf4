#!/usr/bin/env python3
"""cpucompat's `models --qemu VERSION` against the answer of that QEMU itself (query-cpu-definitions
over QMP). Prints TAP.

usage: x86-models-vs-qemu.py CPUCOMPAT HOSTFILE QEMU VERSION names|kvm|tcg

names: the model versions and aliases cpucompat offers for QEMU VERSION (every one not marked
       not_in_qemu) are exactly those QEMU defines (any accelerator: -accel tcg).
kvm:   under -accel kvm, for every model QEMU knows, cpucompat's unavailable features on HOSTFILE
       (a dump of this host with its kvm view) equal QEMU's.
tcg:   the same under -accel tcg, HOSTFILE being QEMU's own TCG view (a kvm view with the
       property accel="tcg", see x86-cpu-strings-vs-tcg.py).
"""
import json
import subprocess
import sys

from qmp import qmp

cpucompat, hostfile, binary, version, mode = sys.argv[1:6]
accel = 'kvm' if mode == 'kvm' else 'tcg'  # names: any accelerator will do
defs = qmp(binary, ['-machine', 'none', '-accel', accel],
           [{'execute': 'query-cpu-definitions'}])[0]['return']
ours = json.loads(subprocess.run([cpucompat, 'models', '--qemu', version, '--format', 'json',
                                  hostfile], check=True, capture_output=True, text=True).stdout)
if ours.get('qemu') != version:
    print('not ok 1 - models says it judged by QEMU %s, not %s' % (ours.get('qemu'), version))
    print('1..1')
    sys.exit(1)
by_name = {}
for m in ours['models']:
    if m['origin'] == 'x86-64 psABI':
        continue  # a psABI level, listed after the models: QEMU has no such model
    by_name[m['name']] = m
    for a in m['aliases']:
        by_name[a] = m
theirs = {d['name'] for d in defs} - {'host', 'max', 'base'}

n = failed = 0
if mode == 'names':
    offered = {name for name, m in by_name.items() if m['not_in_qemu'] is None}
    for name in sorted(offered | theirs, key=str.lower):
        n += 1
        if name in offered and name in theirs:
            print('ok %d - %s: in QEMU %s and offered' % (n, name, version))
        elif name in theirs:
            failed += 1
            print('not ok %d - %s: QEMU %s defines it, cpucompat %s' % (
                n, name, version, 'does not know it' if name not in by_name
                else 'says it is not in that QEMU'))
        else:
            failed += 1
            print('not ok %d - %s: cpucompat offers it, QEMU %s does not define it' %
                  (n, name, version))
else:
    for d in sorted(defs, key=lambda d: d['name']):
        if d['name'] in ('host', 'max', 'base'):
            continue  # not named models: they follow the host, nothing to compare
        n += 1
        m = by_name.get(d['name'])
        want = d['unavailable-features']
        if m is None:
            failed += 1
            print('not ok %d - %s: QEMU knows it, cpucompat does not' % (n, d['name']))
        elif m['unavailable_features'] != want or m['usable'] != (want == []):
            failed += 1
            print('not ok %d - %s: unavailable features differ' % (n, d['name']))
            print('#   QEMU:      %s' % ' '.join(want))
            print('#   cpucompat: %s' % ' '.join(m['unavailable_features']))
        else:
            print('ok %d - %s: %s' % (n, d['name'], 'usable' if not want
                                      else '%d unavailable, same list' % len(want)))
print('1..%d' % n)
sys.exit(1 if failed or n == 0 else 0)
