#!/usr/bin/env python3
"""QEMU under TCG as the referee of `compare --model STRING HOST`: for random -cpu strings drawn
from QEMU's own models and features, cpucompat must say "runs" (exit 0) exactly when QEMU starts
-cpu STRING,enforce under TCG, name exactly the features QEMU reports missing (exit 1), and
refuse (exit 2) what QEMU refuses. HOST is made from QEMU's own TCG view: the max CPU expanded
over QMP (query-cpu-model-expansion, type full, migratable=off). Prints TAP.

usage: x86-cpu-strings-vs-tcg.py CPUCOMPAT DATADIR WORKDIR [CASES] [SEED] [kvm HOSTFILE
                                 [QEMU VERSION]]

With `kvm HOSTFILE` (this host's dump, with its kvm view), QEMU runs under KVM instead and HOSTFILE
is the host; QEMU then says "host doesn't support requested feature". With QEMU VERSION, that
QEMU is the referee (a newer release unpacked beside the system's), its own features are drawn,
and cpucompat judges with --qemu VERSION.
"""
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from qmp import qmp

QEMU = sys.argv[8] if len(sys.argv) > 8 else 'qemu-system-x86_64'
VERSION = ['--qemu', sys.argv[9]] if len(sys.argv) > 9 else []
cpucompat, datadir, work = sys.argv[1], sys.argv[2], sys.argv[3]
cases = int(sys.argv[4]) if len(sys.argv) > 4 else 80
seed = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else \
    random.SystemRandom().randrange(1 << 30)
accel = sys.argv[6] if len(sys.argv) > 6 else 'tcg'
who = 'host' if accel == 'kvm' else 'TCG'
print('# seed %d (rerun: %s ... %d %d)' % (seed, sys.argv[0], cases, seed))
rng = random.Random(seed)

expansion, defs = qmp(QEMU, ['-machine', 'none', '-accel', accel], [
    {'execute': 'query-cpu-model-expansion',
     'arguments': {'type': 'full', 'model': {'name': 'max', 'props': {'migratable': False}}}},
    {'execute': 'query-cpu-definitions'}])
props = expansion['return']['model']['props']
defs = defs['return']

# ---- the host file: QEMU's TCG max CPU as CPUID leaves and MSRs ----
cat = ET.parse(os.path.join(datadir, 'x86', 'features.xml')).getroot()
words = {w.get('name'): w for w in cat.iter('word')}
features = [f for f in cat.iter('feature')]
# The system QEMU's features are 7.2's; another release's are the properties its max has.
drawn = [f for f in features if (f.get('name') in props if VERSION else not f.get('since'))]
cpuid, msrs = {}, {}
for f in features:
    if props.get(f.get('name')) is not True:
        continue
    w = words[f.get('word')]
    for bit in (int(b) for b in f.get('bits').split()):
        if w.get('msr'):
            shift = 32 if w.get('decode') == 'allowed-1' else 0
            idx = int(w.get('msr'), 16)
            msrs[idx] = msrs.get(idx, 0) | (1 << (bit + shift))
        else:
            key = (int(w.get('leaf'), 16), int(w.get('subleaf') or '0'))
            regs = cpuid.setdefault(key, [0, 0, 0, 0])
            regs['eax ebx ecx edx'.split().index(w.get('reg'))] |= 1 << bit
regs0 = cpuid.setdefault((0, 0), [0, 0, 0, 0])
regs0[:] = [0x20, 0x68747541, 0x444d4163, 0x69746e65]  # AuthenticAMD, as TCG's max says
cpuid.setdefault((0x80000000, 0), [0, 0, 0, 0])[0] = 0x80000021
cpuid.setdefault((1, 0), [0, 0, 0, 0])[0] = 0x00060fb1  # family 15+0x0, model 107 (max's)
rows = '\n'.join('        0x%08x 0x%08x ' % k + ' '.join('0x%08x' % r for r in v)
                 for k, v in sorted(cpuid.items()))
msr_rows = '\n'.join('        0x%08x 0x%016x' % kv for kv in sorted(msrs.items()))
on = [f.get('name') for f in features if props.get(f.get('name')) is True]
host = os.path.join(work, 'tcg-max.xml') if accel == 'tcg' else sys.argv[7]
with open(os.path.join(work, 'tcg-max.xml') if accel == 'tcg' else os.devnull, 'w') as out:
    out.write('''<?xml version="1.0" encoding="UTF-8"?>
<capabilities format="1" arch="x86_64">
  <tool name="cpucompat" version="0.1.0"/>
  <origin method="import" created="2026-01-01T00:00:00Z"/>
  <identity>
    <vendor>AuthenticAMD</vendor>
    <family>15</family>
    <model>107</model>
    <stepping>1</stepping>
    <brand>QEMU TCG CPU version 2.5+</brand>
  </identity>
  <view name="kvm" source="QEMU query-cpu-model-expansion of max under TCG">
    <property name="accel" value="tcg"/>
    <raw>
      <cpuid columns="leaf subleaf eax ebx ecx edx">
%s
      </cpuid>
%s
    </raw>
    <features count="%d">%s</features>
  </view>
</capabilities>
''' % (rows, ('      <msr columns="index value">\n%s\n      </msr>' % msr_rows) if msrs else '',
       len(on), ' '.join(on)))

# ---- random strings ----
models = sorted(d['name'] for d in defs if accel == 'kvm' or d['name'] != 'host')
names = []
for f in drawn:
    names.append(f.get('name'))
    names += [a.get('name') for a in f.iter('alias') if a.get('from') == 'qemu']
# libvirt's and Linux's spellings QEMU's -cpu does not take: cpucompat takes them (with a note),
# so QEMU is asked the same string in its own spelling.
qemu_spellings = set(names)
other = {}
for f in ET.parse(os.path.join(datadir, 'x86', 'feature-names.xml')).getroot().iter('feature'):
    if f.get('qemu') not in qemu_spellings:
        continue
    for n in [f.get('libvirt'), f.get('linux')] + [a.get('name') for a in f.iter('alias')]:
        if n and n not in qemu_spellings and n.replace('_', '-') not in qemu_spellings:
            other[n] = f.get('qemu')
other_names = sorted(other)
# Names QEMU has no property for and no naming has: typos and nonsense.
wrong = ['sse4_3', 'avx512', 'fooo', 'x2apci', 'pdpe1g', 'tsc_deadline_timr']


def token():
    """(the token as cpucompat is asked it, the token as QEMU is asked it)"""
    x = rng.random()
    if x < 0.03:
        t = rng.choice(['phys-bits=%d' % rng.choice([31, 32, 40, 46, 52, 53]),
                        'check', 'enforce=off', 'migratable=on', 'l3-cache=off',
                        'tsc-frequency=2000000000', 'kvm=off', 'avx=maybe'])
        return t, t
    if x < 0.05:
        t = rng.choice('+-') + rng.choice(wrong)
        return t, t
    if x < 0.08 and other_names:
        n = rng.choice(other_names)
        sign = rng.choice('+-')
        return sign + n, sign + other[n]
    name = rng.choice(names)
    form = rng.randrange(6)
    if form == 0:
        t = '+' + name
    elif form == 1:
        t = '-' + name
    elif form == 2:
        t = name
    else:
        t = '%s=%s' % (name.replace('-', '_') if rng.random() < 0.1 else name,
                       rng.choice(['on', 'off', 'on', 'off', 'yes', 'no', 'true', 'false']))
    return t, t


# Under KVM most models miss something on a given host: half the strings start from a model
# QEMU says runs here, so "runs" and the near misses one token makes are asked as often.
runs_here = sorted(d['name'] for d in defs if accel == 'kvm' and not d['unavailable-features'])
strings = []
for i in range(cases):
    ours_s = theirs_s = rng.choice(runs_here if runs_here and i % 2 else models)
    for _ in range(rng.choice([0, 1, 2, 3, 5, 8])):
        a, b = token()
        ours_s += ',' + a
        theirs_s += ',' + b
    strings.append((ours_s, theirs_s))

MISSING = re.compile(r"%s doesn't support requested feature: (\S+) \[bit (\d+)\]" % who)


def feature_name(where, bit):
    """CPUID.01H:ECX.sse4.1 -> sse4.1; MSR(10AH).rdctl-no -> rdctl-no; an XSAVE state component
    (CPUID.0DH:EAX, EDX: bits 32-63), which QEMU 7.2 leaves unnamed -> xsave-component-N, as
    cpucompat names it; other unnamed bits -> ''."""
    if where.startswith('MSR('):
        return where.split(').', 1)[1] if ').' in where else ''
    if where in ('CPUID.0DH:EAX', 'CPUID.0DH:EDX'):
        return 'xsave-component-%d' % (int(bit) + (32 if where.endswith('EDX') else 0))
    return (where.split(':', 1)[-1].split('.', 1) + [''])[1]


def start_qemu(cpu):
    return subprocess.run([QEMU, '-machine', 'pc', '-accel', accel, '-nodefaults', '-display',
                           'none', '-S', '-cpu', cpu, '-qmp', 'stdio'],
                          input='{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n',
                          capture_output=True, text=True, timeout=60)


TSC = 'TSC frequency mismatch'
# QEMU under KVM only warns when phys-bits exceeds the host's; cpucompat blocks it (a guest that
# addresses memory its host cannot), and the warning is the referee's evidence.
PHYS = re.compile(r'Host physical bits \((\d+)\) does not match phys-bits property \((\d+)\)')


def host_phys_bits(s):
    """host-phys-bits in effect: host and max turn it on under KVM unless the string says off."""
    on = s.split(',')[0] in ('host', 'max')
    for t in s.split(',')[1:]:
        k, _, v = t.partition('=')
        if k.lstrip('+-').replace('_', '-') == 'host-phys-bits':
            on = t[0] != '-' and v in ('', 'on', 'yes', 'true')
    return on


def phys_over(s, stderr):
    """QEMU warns of any phys-bits other than the host's; more than it blocks, unless
    host-phys-bits replaced it."""
    return not host_phys_bits(s) and any(int(g) > int(h) for h, g in PHYS.findall(stderr))


def phys_warned(s):
    return accel == 'kvm' and 'phys-bits=' in s and phys_over(s, start_qemu(s).stderr)


def qemu_verdict(s):
    p = start_qemu(s + ',enforce')
    if p.returncode == 0:
        if phys_over(s, p.stderr):
            return 'missing', {'phys-bits'}, p.stderr
        return 'runs', set(), ''
    missing = {feature_name(w, b) for w, b in MISSING.findall(p.stderr)}
    if ("%s doesn't support requested features" % who).lower() in p.stderr.lower() and missing and \
            'depends on other features' not in p.stderr:
        # enforce stops QEMU before it sets the vCPU's TSC: without it, QEMU goes on and says
        # whether a fixed tsc-frequency is one this host (without TSC scaling) cannot give.
        if 'tsc-frequency=' in s and TSC in start_qemu(s).stderr:
            missing.add('tsc-frequency')
        if phys_warned(s):
            missing.add('phys-bits')
        return 'missing', missing, p.stderr
    if TSC in p.stderr:
        return 'missing', {'tsc-frequency'}, p.stderr
    return 'refused', set(), p.stderr


def ours(s):
    p = subprocess.run([cpucompat, 'compare', '--format', 'json'] + VERSION + ['--model', s, host],
                       capture_output=True, text=True, timeout=60)
    if p.returncode == 0:
        return 'runs', set(), ''
    if p.returncode == 1:
        return 'missing', {b['name'] for b in json.loads(p.stdout)['blockers']}, p.stdout
    return 'refused' if p.returncode == 2 else 'crashed %d' % p.returncode, set(), p.stderr


with concurrent.futures.ThreadPoolExecutor(2) as pool:
    theirs = list(pool.map(qemu_verdict, [t for _, t in strings]))
n = failed = 0
for (s, t), (qv, qm, qerr) in zip(strings, theirs):
    cv, cm, cerr = ours(s)
    n += 1
    shown = s if s == t else '%s (QEMU: %s)' % (s, t)
    # QEMU also reports bits it has no name for (MSR(48CH) bit 14, the EPT write-back memory type
    # its VMX models set): cpucompat names features, so such a bit is left out where named ones
    # are missing too; alone, it stays a disagreement (cpucompat would say "runs").
    if qv == 'missing' and qm - {''}:
        qm = qm - {''}
    if cv == 'refused' and 'VMX capabilities' in cerr and qv != 'runs':
        # The model data holds no vmx-* words: cpucompat refuses rather than answer short.
        print('ok %d - %s: cpucompat cannot judge vmx on a named model (QEMU: %s) # explained' %
              (n, shown, qv))
    elif (qv, qm) == (cv, cm):
        print('ok %d - %s: %s%s' % (n, shown, qv, ' ' + ' '.join(sorted(qm)) if qm else ''))
    else:
        failed += 1
        print('not ok %d - %s' % (n, shown))
        print('#   QEMU:      %s %s %s' % (qv, ' '.join(sorted(qm)), qerr.strip()[-200:]))
        print('#   cpucompat: %s %s %s' % (cv, ' '.join(sorted(cm)), cerr.strip()[:200]))
print('1..%d' % n)
sys.exit(1 if failed or n == 0 else 0)
