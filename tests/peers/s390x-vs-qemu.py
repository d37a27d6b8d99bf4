#!/usr/bin/env python3
"""cpucompat's s390x compare and baseline against QEMU's own answers over QMP
(query-cpu-model-comparison, query-cpu-model-baseline), for a broad sample of model pairs with
features switched on and off. QEMU runs under TCG and needs no KVM. Prints TAP.

usage: s390x-vs-qemu.py CPUCOMPAT WORKDIR
"""
import json
import os
import subprocess
import sys

from qmp import qmp

cpucompat, work = sys.argv[1], sys.argv[2]
MODELS = ['z900', 'z900.3', 'z800', 'z990.5', 'z9EC.3', 'z9BC.2', 'z10EC', 'z10EC.3', 'z10BC.2',
          'z196', 'z114', 'zEC12', 'zBC12', 'z13', 'z13.2', 'z13s', 'z14', 'z14.2', 'z14ZR1',
          'gen15a', 'gen15b', 'gen16a', 'gen16b']
VARIANTS = ['z14.2,vx=off', 'z14,msa8=off', 'z13,te=off,vx=off', 'z13-base', 'z14.2-base,vx=on',
            'gen15a,csske=on,bpb=on', 'gen16a-base', 'zEC12,msa4=off', 'z196,msa3=off',
            'gen15a,vxpdeh=off', 'z10EC,dfp=off']


def qemu_model(spec):
    name, *props = spec.split(',')
    m = {'name': name}
    if props:
        m['props'] = {p.split('=')[0]: p.split('=')[1] == 'on' for p in props}
    return m


def run(args):
    p = subprocess.run([cpucompat] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


files = {}
for spec in MODELS + VARIANTS:
    path = os.path.join(work, spec.replace(',', '_').replace('=', '-') + '.xml')
    rc, _, err = run(['expand', '--arch', 's390x', spec, '-o', path])
    if rc != 0:
        print('not ok 1 - expand %s: %s' % (spec, err.strip()))
        print('1..1')
        sys.exit(1)
    files[spec] = path

pairs = [(a, b) for a in MODELS for b in MODELS] + \
        [(a, b) for a in VARIANTS for b in MODELS[9:]] + [(a, b) for a in MODELS[9:] for b in VARIANTS]
# Under the sanitizers (CPUCOMPAT_PAIR_STRIDE) every Nth pair: each run there is many times
# slower, and the plain run checks them all.
pairs = pairs[::int(os.environ.get('CPUCOMPAT_PAIR_STRIDE', '1'))]
cmds = []
for a, b in pairs:
    # cpucompat compare SRC=b DST=a asks QEMU's comparison with modela = a, modelb = b.
    cmds.append({'execute': 'query-cpu-model-comparison',
                 'arguments': {'modela': qemu_model(a), 'modelb': qemu_model(b)}})
    cmds.append({'execute': 'query-cpu-model-baseline',
                 'arguments': {'modela': qemu_model(a), 'modelb': qemu_model(b)}})
answers = qmp('qemu-system-s390x', ['-machine', 's390-ccw-virtio', '-accel', 'tcg'], cmds)

n = failed = 0
cmp_ok = base_ok = 0
for i, (a, b) in enumerate(pairs):
    want_cmp, want_base = answers[2 * i], answers[2 * i + 1]
    n += 1
    rc, out, err = run(['compare', '--format', 'json', files[b], files[a]])
    got = json.loads(out) if rc in (0, 1) else None
    wc = want_cmp.get('return', {})
    if got is None:
        failed += 1
        print('not ok %d - compare %s -> %s: %s' % (n, b, a, err.strip()))
    elif got['relation'] != wc.get('result') or \
            sorted(got['responsible_properties']) != sorted(wc.get('responsible-properties', [])):
        failed += 1
        print('not ok %d - compare %s -> %s differs' % (n, b, a))
        print('#   QEMU:      %s %s' % (wc.get('result'), sorted(wc.get('responsible-properties', []))))
        print('#   cpucompat: %s %s' % (got['relation'], sorted(got['responsible_properties'])))
    else:
        cmp_ok += 1
    n += 1
    rc, out, err = run(['baseline', '--format', 'json', files[a], files[b]])
    if 'error' in want_base:
        if rc == 2:
            base_ok += 1
        else:
            failed += 1
            print('not ok %d - baseline %s + %s: QEMU refuses (%s), cpucompat does not' %
                  (n, a, b, want_base['error'].get('desc')))
        continue
    wm = want_base['return']['model']
    wprops = wm.get('props', {})
    want = (wm['name'], sorted(k for k, v in wprops.items() if v), sorted(k for k, v in wprops.items() if not v))
    got = json.loads(out) if rc == 0 else None
    have = (got['model'], sorted(got['extra_features']), sorted(got['removed_features'])) if got else None
    if have != want:
        failed += 1
        print('not ok %d - baseline %s + %s differs' % (n, a, b))
        print('#   QEMU:      %s' % (want,))
        print('#   cpucompat: %s' % (have if have else err.strip(),))
    else:
        base_ok += 1
print('# %d comparisons and %d baselines equal QEMU\'s' % (cmp_ok, base_ok))
print('ok %d - every comparison and baseline checked' % (n + 1) if not failed else
      'not ok %d - %d of %d answers differ from QEMU\'s' % (n + 1, failed, n))
print('1..%d' % (n + 1))
sys.exit(1 if failed else 0)
