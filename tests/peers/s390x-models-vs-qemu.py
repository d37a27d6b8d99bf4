#!/usr/bin/env python3
"""cpucompat's s390x `models` against QEMU's query-cpu-definitions under TCG: the host is QEMU's
TCG "max" CPU, written by `cpucompat expand` from QEMU's own static expansion of it; the
unavailable features of every definition must be the ones QEMU lists. Prints TAP.

usage: s390x-models-vs-qemu.py CPUCOMPAT WORKDIR
"""
import json
import os
import subprocess
import sys

from qmp import qmp

cpucompat, work = sys.argv[1], sys.argv[2]
exp, defs = qmp('qemu-system-s390x', ['-machine', 's390-ccw-virtio', '-accel', 'tcg'],
                [{'execute': 'query-cpu-model-expansion',
                  'arguments': {'type': 'static', 'model': {'name': 'max'}}},
                 {'execute': 'query-cpu-definitions'}])
model = exp['return']['model']
spec = ','.join([model['name']] + ['%s=%s' % (k, 'on' if v else 'off')
                                   for k, v in sorted(model.get('props', {}).items())])
host = os.path.join(work, 'max.xml')
subprocess.run([cpucompat, 'expand', '--arch', 's390x', spec, '-o', host], check=True)
ours = {m['name']: m for m in json.loads(subprocess.run(
    [cpucompat, 'models', '--format', 'json', host], check=True, capture_output=True,
    text=True).stdout)['models']}

n = failed = 0
for d in sorted(defs['return'], key=lambda d: d['name']):
    name = d['name']
    if name in ('qemu', 'max', 'host') or name.endswith('-base'):
        continue  # not definitions of a machine, or the base sets (static models)
    n += 1
    want = sorted(d.get('unavailable-features', []))
    m = ours.get(name)
    got = sorted(m['unavailable_features']) if m else None
    if got != want:
        failed += 1
        print('not ok %d - %s: unavailable features differ' % (n, name))
        print('#   QEMU:      %s' % ' '.join(want))
        print('#   cpucompat: %s' % (' '.join(got) if got is not None else '(no such model)'))
    else:
        print('ok %d - %s: %s' % (n, name, 'usable' if not want else
                                  '%d unavailable, the same' % len(want)))
print('1..%d' % n)
sys.exit(1 if failed or n == 0 else 0)
