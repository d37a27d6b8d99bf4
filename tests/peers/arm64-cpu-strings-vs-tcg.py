#!/usr/bin/env python3
"""QEMU under TCG as the referee of the arm64 -cpu string parser (`compare --model STRING HOST`).

QEMU here runs only under TCG, so it answers for the names and values it has there; what it has
under KVM follows from QEMU 7.2's source (target/arm/cpu64.c, cpu.c, kvm.c): the properties of
-cpu host under KVM are a subset of TCG max's (no vfp, neon, has_el2, has_el3, reset-cbar,
pauth-impdef, sve-max-vq, lpa2, sme*) plus kvm-no-adjvtime and kvm-steal-time, which only KVM has.
So, with the QOM property list of QEMU's TCG max CPU (qom-list-properties):
  - every property cpucompat's data says TCG has is in that list, and none that it says TCG
    lacks (kvm-*, the user-mode sve-default-vector-length, later releases' pauth-qarma3);
  - every settable property of that list is one cpucompat knows: it never answers "QEMU has no
    property" for it (it may take it, or refuse it as TCG-only or as one it cannot judge);
  - names QEMU has neither under TCG nor as a KVM-only property (near misses of the real ones)
    cpucompat refuses as unknown, naming the nearest;
  - the properties QEMU reports in query-cpu-model-expansion (sve, sveN, pmu, pauth) take the
    values cpucompat takes, and QEMU reports them back as set;
  - QEMU refuses what cpucompat refuses for its syntax (bare names, +feat, a bad boolean) and
    takes QEMU's other boolean words (yes, no).
Prints TAP.

usage: arm64-cpu-strings-vs-tcg.py CPUCOMPAT DATADIR HOSTFILE
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from qmp import qmp

QEMU = 'qemu-system-aarch64'
cpucompat, datadir, host = sys.argv[1:4]
n = 0
failed = 0


def report(ok, what, detail=''):
    global n, failed
    n += 1
    failed += not ok
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, what))
    if not ok and detail:
        for line in str(detail).splitlines()[:4]:
            print('#   ' + line)


def ours(spec):
    """cpucompat's answer: (exit status, stderr)."""
    p = subprocess.run([cpucompat, 'compare', '--model', spec, host], capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stderr.strip()


def qemu_starts(cpu):
    p = subprocess.run([QEMU, '-accel', 'tcg', '-M', 'virt', '-cpu', cpu, '-nodefaults',
                        '-display', 'none', '-S', '-qmp', 'stdio'],
                       input='{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n',
                       capture_output=True, text=True, timeout=60)
    return p.returncode == 0, p.stderr.strip()


version = subprocess.run([QEMU, '--version'], capture_output=True, text=True).stdout
m = re.search(r'version (\d+)\.(\d+)', version)
qemu_version = (int(m.group(1)), int(m.group(2)))
print('# %s' % version.splitlines()[0])

data = ET.parse(os.path.join(datadir, 'arm64', 'qemu-cpu.xml')).getroot()
props = {p.get('name'): p for p in data.iter('property')}
vls = {}
for v in data.iter('vector-lengths'):
    lo, hi = int(v.get('min')), int(v.get('max'))
    bits = [b for b in range(lo, hi + 1) if (b & (b - 1)) == 0] if v.get('pow2') else \
        list(range(lo, hi + 1, int(v.get('step'))))
    for b in bits:
        vls['%s%d' % (v.get('prefix'), b)] = v


def in_tcg(entry):
    since = entry.get('since')
    if since and qemu_version >= tuple(int(x) for x in since.split('.')):
        return True
    return 'tcg' in entry.get('accel').split()


(qom,) = qmp(QEMU, ['-machine', 'none', '-accel', 'tcg'],
             [{'execute': 'qom-list-properties', 'arguments': {'typename': 'max-arm-cpu'}}])
# Device plumbing every QOM device has, and links and children: not -cpu properties.
plumbing = {'type', 'parent_bus', 'realized', 'hotplugged', 'hotpluggable', 'legacy-memory'}
tcg = {p['name']: p['type'] for p in qom['return']
       if p['name'] not in plumbing and not p['type'].startswith(('link<', 'child<'))}

# 1. cpucompat's data against QEMU's TCG property list.
for name, entry in sorted(list(props.items()) + list(vls.items())):
    want = in_tcg(entry)
    report((name in tcg) == want, "%s: QEMU's TCG max %s it, as cpucompat's data says" %
           (name, 'has' if want else 'lacks'), 'QOM list: %s' % ' '.join(sorted(tcg)))

# 2. Every property QEMU has is one cpucompat knows, and it answers for it as its data says (the
# vector lengths sampled: step 1 holds each against QEMU's list).
sample = {'sve128', 'sve384', 'sve2048', 'sme128', 'sme2048'}
for name, typ in sorted(tcg.items()):
    if name in vls and name not in sample:
        continue
    value = 'on' if typ == 'bool' else '1'
    rc, err = ours('host,%s=%s' % (name, value))
    known = not (rc == 2 and 'has no property' in err)
    entry = props[name] if name in props else vls.get(name)
    kvm = entry is not None and 'kvm' in entry.get('accel').split()
    tcg_only = rc == 2 and 'only under TCG' in err
    report(known and tcg_only == (not kvm),
           "host,%s=%s: cpucompat knows QEMU's property (%s)" %
           (name, value, 'KVM has it' if kvm else 'TCG only'), 'exit %d: %s' % (rc, err))

# 3. Near misses of real names: unknown to QEMU (not in its TCG list, not KVM-only) and to us.
misses = set()
for name in list(props) + ['sve128', 'sve2048', 'pmu', 'pauth']:
    for miss in (name + 'x', name[:-1], name.replace('-', '_'), name.upper()):
        if miss not in tcg and miss not in props and miss not in vls and miss != name:
            misses.add(miss)
misses |= {'sve0', 'sve64', 'sve2176', 'sve4096', 'sve0128', 'sme384'}
for miss in sorted(misses)[::2]:  # every other one: the kinds of slip are all there
    rc, err = ours('host,%s=on' % miss)
    report(rc == 2 and ('has no property' in err or 'only under TCG' in err) and
           err.count('\n') == 0,
           "host,%s=on: QEMU has no such property; cpucompat refuses it in one line" % miss,
           'exit %d: %s' % (rc, err))

# 4. The properties query-cpu-model-expansion reports: each value cpucompat takes, QEMU takes and
# reports back as set.
advertised = ['sve', 'pmu', 'pauth', 'sve128', 'sve256', 'sve384', 'sve1024', 'sve2048']
cmds, cases = [], []
for name in advertised:
    for value in (True, False):
        # a length on without the smaller ones QEMU's TCG max needs is its own question (4b)
        cmds.append({'execute': 'query-cpu-model-expansion',
                     'arguments': {'type': 'full',
                                   'model': {'name': 'max', 'props': {name: value}}}})
        cases.append((name, value))
answers = qmp(QEMU, ['-machine', 'none', '-accel', 'tcg'], cmds)
for (name, value), a in zip(cases, answers):
    rc, err = ours('host,%s=%s' % (name, 'on' if value else 'off'))
    reported = a.get('return', {}).get('model', {}).get('props', {}).get(name)
    report(rc != 2 or 'cannot judge' in err or 'records neither' in err,
           'host,%s=%s: cpucompat takes the token' % (name, 'on' if value else 'off'),
           'exit %d: %s' % (rc, err))
    # A length switched off may leave QEMU's TCG max without the powers of two it needs below
    # its largest (TCG's rule, not KVM's): a refusal of the value, not of the name.
    vl_refusal = 'error' in a and re.match(r'cannot (dis|en)able sve\d+', a['error']['desc'])
    report(('return' in a and reported == value) or (name in vls and not value and vl_refusal),
           'max,%s=%s: QEMU knows it as a boolean and reports it as set' %
           (name, 'on' if value else 'off'), a)

# 5. Syntax and values: both refuse, or both take.
for token, takes in (('sve', False), ('+sve', False), ('-pmu', False), ('sve=maybe', False),
                     ('pmu=2', False), ('sve=yes', True), ('pmu=no', True), ('pauth=true', True),
                     ('sve=n', True)):
    rc, err = ours('host,%s' % token)
    q, qerr = qemu_starts('max,%s' % token)
    report(q == takes and (rc != 2) == takes,
           'max,%s: QEMU %s it, and so does cpucompat' % (token, 'takes' if takes else 'refuses'),
           'QEMU: %s; cpucompat exit %d: %s' % (qerr[-200:] or 'started', rc, err))

# 6. Models: QEMU has every model cpucompat's data names (host only under KVM).
(defs,) = qmp(QEMU, ['-machine', 'none', '-accel', 'tcg'], [{'execute': 'query-cpu-definitions'}])
names = {d['name'] for d in defs['return']}
for model in data.iter('model'):
    name = model.get('name')
    report((name in names) == (name != 'host'),
           '%s: QEMU %s it under TCG' % (name, 'lists' if name != 'host' else 'does not list'))
print('1..%d' % n)
sys.exit(1 if failed else 0)
