#!/usr/bin/env python3
"""What cpucompat says one QEMU release knows of s390x (data/s390x/qemu-releases.xml, and
`models --qemu VERSION`) against that QEMU itself, under TCG. Prints TAP.

usage: s390x-releases-vs-qemu.py CPUCOMPAT DATADIR QEMU VERSION WORKDIR

- CPU definitions: those `models --qemu VERSION` offers (not_in_qemu null) are exactly the
  definitions of QEMU's query-cpu-definitions.
- Features and groups: those the release table places at VERSION or earlier are exactly the
  names QEMU recognizes: its -cpu help lists them, and query-cpu-model-expansion (static) takes
  NAME=off for each of them and refuses every other name of cpucompat's catalog ("not found").
- Every feature in the full expansion (query-cpu-model-expansion type full) of every definition
  of that QEMU is one the table places at VERSION or earlier.
- The static expansion of every definition and of its -base model is cpucompat's default and
  base set of that definition (data/s390x/models.xml; gen17a and gen17b were read from source).
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from qmp import qmp

cpucompat, datadir, binary, version, work = sys.argv[1:6]


def vkey(s):
    return tuple(int(x) for x in s.split('.')) + (0,) * (3 - len(s.split('.')))


def known(since):
    return since != 'none' and vkey(since) <= vkey(version)


rel = ET.parse(os.path.join(datadir, 's390x/qemu-releases.xml')).getroot()
ours_names = {e.get('name'): known(e.get('since')) for e in rel if e.tag in ('feature', 'group')}

help_text = subprocess.run([binary, '-machine', 's390-ccw-virtio', '-accel', 'tcg', '-cpu', 'help'],
                           check=True, capture_output=True, text=True).stdout
section, theirs_names = None, set()
for line in help_text.splitlines():
    if line.startswith('Recognized feature'):
        section = 'names'
    elif section == 'names' and line.strip() and not line.endswith(':'):
        theirs_names.add(line.split()[0])  # 7.2 prints the names flush left, 10.0 indented
    elif line.endswith(':'):
        section = None

# A model file to ask `models` on: any host will do, only the list of definitions is compared.
host = os.path.join(work, 'z900.xml')
subprocess.run([cpucompat, 'expand', '--arch', 's390x', 'z900', '-o', host], check=True)
models = json.loads(subprocess.run([cpucompat, 'models', '--qemu', version, '--format', 'json', host],
                                   check=True, capture_output=True, text=True).stdout)

probe = sorted(set(ours_names) | theirs_names)
cmds = [{'execute': 'query-cpu-definitions'}]
cmds += [{'execute': 'query-cpu-model-expansion',
          'arguments': {'type': 'static', 'model': {'name': 'z900-base', 'props': {n: False}}}}
         for n in probe]
first = qmp(binary, ['-machine', 's390-ccw-virtio', '-accel', 'tcg'], cmds)
defs = sorted(d['name'] for d in first[0]['return']
              if d['name'] not in ('qemu', 'max', 'host') and not d['name'].endswith('-base'))
asked = [(d, kind) for d in defs for kind in ('full', 'default', 'base')]
answers = qmp(binary, ['-machine', 's390-ccw-virtio', '-accel', 'tcg'],
              [{'execute': 'query-cpu-model-expansion',
                'arguments': {'type': 'full' if kind == 'full' else 'static',
                              'model': {'name': d + ('-base' if kind == 'base' else '')}}}
               for d, kind in asked])
full = [a for (d, kind), a in zip(asked, answers) if kind == 'full']

n = failed = 0


def result(good, text, detail=None):
    global n, failed
    n += 1
    if not good:
        failed += 1
    print('%s %d - %s' % ('ok' if good else 'not ok', n, text))
    if detail and not good:
        print('#   %s' % detail)


if models.get('qemu') != version:
    result(False, 'models --qemu %s says it judged by QEMU %s' % (version, models.get('qemu')))
offered = sorted(m['name'] for m in models['models'] if m['not_in_qemu'] is None)
listed = sorted(m['name'] for m in models['models'])
result(offered == defs, 'models --qemu %s offers exactly the %d definitions QEMU %s lists' %
       (version, len(defs), version),
       'cpucompat only: %s; QEMU only: %s' % (sorted(set(offered) - set(defs)),
                                             sorted(set(defs) - set(offered))))
result(set(defs) <= set(listed), 'cpucompat knows every definition of QEMU %s' % version,
       'unknown: %s' % sorted(set(defs) - set(listed)))

ours_known = {name for name, k in ours_names.items() if k}
result(ours_known == theirs_names,
       '%d feature and group names: known at %s in qemu-releases.xml = QEMU %s -cpu help' %
       (len(theirs_names), version, version),
       'cpucompat only: %s; QEMU only: %s' % (sorted(ours_known - theirs_names),
                                             sorted(theirs_names - ours_known)))
wrong = []
for name, answer in zip(probe, first[1:]):
    takes = 'return' in answer
    if 'error' in answer and 'not found' not in answer['error']['desc']:
        wrong.append('%s: %s' % (name, answer['error']['desc']))
    elif takes != (name in ours_known):
        wrong.append('%s: QEMU %s it, cpucompat says %s' % (
            name, 'takes' if takes else 'does not know', 'known' if name in ours_known else
            'not known' if name in ours_names else 'nothing of it'))
result(not wrong, 'query-cpu-model-expansion takes NAME=off for exactly those (%d names asked)' %
       len(probe), '; '.join(wrong[:12]))

groups = {g.get('name'): g.text.split()
          for g in ET.parse(os.path.join(datadir, 's390x/features.xml')).getroot().iter('group')}
unknown = set()
for d, answer in zip(defs, full):
    for p, on in answer['return']['model'].get('props', {}).items():
        for f in groups.get(p, [p]) if on else []:
            if f not in ours_known:
                unknown.add('%s in %s' % (f, d))
result(not unknown, 'every feature of the full expansion of QEMU %s\'s %d definitions is known '
       'at %s' % (version, len(defs), version), ', '.join(sorted(unknown)[:12]))
sets = {m.get('name'): {k: set(m.findtext(k).split()) for k in ('base', 'default')}
        for m in ET.parse(os.path.join(datadir, 's390x/models.xml')).getroot().iter('model')}
differ = []
for (d, kind), answer in zip(asked, answers):
    if kind == 'full':
        continue
    model = answer.get('return', {}).get('model', {})
    have = set(sets.get(model.get('name', '').replace('-base', ''), {}).get('base', ()))
    for p, on in model.get('props', {}).items():
        for f in groups.get(p, [p]):
            (have.add if on else have.discard)(f)
    if d not in sets or have != sets[d][kind]:
        differ.append('%s %s: QEMU only %s, cpucompat only %s' % (
            d, kind, sorted(have - sets.get(d, {}).get(kind, set())),
            sorted(sets.get(d, {}).get(kind, set()) - have)))
result(not differ, 'the static expansions of QEMU %s\'s %d definitions and their -base models '
       'are cpucompat\'s default and base sets' % (version, len(defs)), '; '.join(differ[:6]))
print('1..%d' % n)
sys.exit(1 if failed else 0)
