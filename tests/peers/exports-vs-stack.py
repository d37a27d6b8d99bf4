#!/usr/bin/env python3
"""The guest CPUs cpucompat exports (--format qemu and libvirt of baseline, expand and models
--resolve) put to the stack that consumes them: libvirt's installed schema and CPU map, virsh's
test driver, and QEMU under TCG. Hosts are libvirt's captures of real x86 CPUs and, for s390x,
QEMU's own TCG "max" (its static expansion). Prints TAP; a half that cannot run says SKIP.

usage: exports-vs-stack.py CPUCOMPAT TOP WORKDIR
"""
import json
import re
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

from qmp import qmp
from tap import done, skip, tap

cpucompat, top, work = sys.argv[1:4]
LV = '/usr/share/libvirt'


def cc(*args, ok=(0,)):
    p = subprocess.run([cpucompat] + list(args), capture_output=True, text=True)
    if p.returncode not in ok:
        raise RuntimeError('cpucompat %s: exit %d: %s' % (' '.join(args), p.returncode,
                                                          p.stderr.strip()))
    return p


# ---- the hosts: real x86 captures, and s390x QEMU TCG's max ----
X86 = ['Xeon-Gold-6148', 'Core-i7-8700', 'Xeon-E5-2650-v3', 'EPYC-7502-32-Core',
       'Opteron-6234']
hosts = {}
for h in X86:
    f = os.path.join(work, h + '.xml')
    cc('import', 'libvirt-cpudata',
       os.path.join(top, 'tests/data/x86/libvirt/x86_64-cpuid-%s.xml' % h), '-o', f)
    hosts[h] = f

# Each export: (what, arch, args); run with --format qemu and libvirt.
exports = []
intel, amd = X86[:3], X86[3:]
exports.append(('baseline of 3 Intel hosts', 'x86_64', ['baseline'] + [hosts[h] for h in intel]))
exports.append(('baseline of 2 AMD hosts', 'x86_64', ['baseline'] + [hosts[h] for h in amd]))
for h in X86:
    exports.append(('baseline of %s' % h, 'x86_64', ['baseline', hosts[h]]))
FAMILIES = {'GenuineIntel': ['Westmere', 'Haswell', 'Skylake-Client', 'Skylake-Server'],
            'AuthenticAMD': ['Opteron_G4', 'EPYC', 'EPYC-Rome']}
for h in X86:
    vendor = 'AuthenticAMD' if h in amd else 'GenuineIntel'
    for fam in FAMILIES[vendor]:
        if cc('models', '--resolve', fam, hosts[h], ok=(0, 1)).returncode == 0:
            exports.append(('models --resolve %s on %s' % (fam, h), 'x86_64',
                            ['models', '--resolve', fam, hosts[h]]))
# Every eighth model version of the catalog (a sample: each costs a process per format).
versions = []
for name in sorted(os.listdir(os.path.join(top, 'data/x86/models'))):
    root = ET.parse(os.path.join(top, 'data/x86/models', name)).getroot()
    versions += [v.get('name') for v in root.iter('version')]
for v in versions[::8]:
    exports.append(('expand %s' % v, 'x86_64', ['expand', v]))
# The psABI levels, each as its smallest model less what the level does not name; and a -cpu
# string as given.
for lv in ['x86-64-v1', 'x86-64-v2', 'x86-64-v2-AES', 'x86-64-v3', 'x86-64-v4',
           'Haswell-v4,-hle,+sse4_1,phys-bits=42']:
    exports.append(('expand %s' % lv, 'x86_64', ['expand', lv]))

have_s390x = shutil.which('qemu-system-s390x') is not None
tcg390 = None
if have_s390x:
    exp, = qmp('qemu-system-s390x', ['-machine', 's390-ccw-virtio', '-accel', 'tcg'],
               [{'execute': 'query-cpu-model-expansion',
                 'arguments': {'type': 'static', 'model': {'name': 'max'}}}])
    m = exp['return']['model']
    spec = ','.join([m['name']] + ['%s=%s' % (k, 'on' if v else 'off')
                                   for k, v in sorted(m.get('props', {}).items())])
    tcg390 = os.path.join(work, 's390x-tcg-max.xml')
    cc('expand', '--arch', 's390x', spec, '-o', tcg390)
    z13 = os.path.join(work, 'z13.xml')
    cc('expand', '--arch', 's390x', 'z13', '-o', z13)
    exports.append(('s390x baseline of TCG max and z13', 's390x', ['baseline', tcg390, z13]))
    for fam in ['z900', 'z990', 'z9EC', 'z10EC', 'z196', 'zEC12', 'z13', 'z14']:
        if cc('models', '--resolve', fam, tcg390, ok=(0, 1)).returncode == 0:
            exports.append(('s390x models --resolve %s on TCG max' % fam, 's390x',
                            ['models', '--resolve', fam, tcg390]))

results = []  # (what, arch, qemu string, libvirt xml, tcg_meaningful)
runs_on = []  # (what, libvirt xml, the hosts the guest was made for)
unexpressed = []
for what, arch, args in exports:
    q = cc(*(args + ['--format', 'qemu'])).stdout.strip()
    p = cc(*(args + ['--format', 'libvirt']), ok=(0, 2))
    if p.returncode == 2:
        # libvirt lacks a name the guest needs: a one-line answer, never a wrong <cpu>.
        if ('cannot express' not in p.stderr and 'has no x86 model' not in p.stderr) or p.stdout or len(p.stderr.splitlines()) != 1:
            raise RuntimeError('%s --format libvirt: %s' % (what, p.stderr.strip()))
        unexpressed.append(what)
        continue
    results.append((what, arch, q, p.stdout, arch == 's390x'))
    if arch == 'x86_64' and args[0] != 'expand':
        runs_on.append((what, p.stdout, args[1:] if args[0] == 'baseline' else args[-1:]))

if unexpressed:
    print('# libvirt cannot express (exit 2, one line): %s' % ', '.join(unexpressed))

# ---- the JSON carries what the stack formats print ----
bad = []
for what, arch, args in exports:
    if args[0] == 'expand':
        continue
    g = json.loads(cc(*(args + ['--format', 'json'])).stdout)['guest_cpu']
    q = cc(*(args + ['--format', 'qemu'])).stdout.strip()
    if g['qemu'] != q:
        bad.append('%s: json %r, qemu %r' % (what, g['qemu'], q))
tap(not bad, 'the JSON guest_cpu member holds the --format qemu string (%d reports)' %
    sum(1 for e in exports if e[2][0] != 'expand'), bad)

# ---- the <cpu> read back as libvirt defines a guest (compare --guest): it runs on its hosts ----
bad = []
for i, (what, lv, on) in enumerate(runs_on):
    f = os.path.join(work, 'guest%d.xml' % i)
    with open(f, 'w') as out:
        out.write(lv)
    for h in on:
        p = subprocess.run([cpucompat, 'compare', '--guest', f, h], capture_output=True, text=True)
        if p.returncode != 0:
            bad.append('%s on %s: exit %d %s' % (what, os.path.basename(h), p.returncode,
                                                 ' '.join(l for l in p.stdout.splitlines()
                                                          if l.startswith('  '))[:200]))
tap(not bad, 'compare --guest says each exported <cpu> runs on every host it was made for '
    '(%d exports)' % len(runs_on), bad)

# ---- libvirt: schema, CPU map, test driver ----
doms = []
for i, (what, arch, q, lv, _) in enumerate(results):
    machine = 's390-ccw-virtio' if arch == 's390x' else 'pc'
    d = os.path.join(work, 'dom%d.xml' % i)
    with open(d, 'w') as f:
        f.write("<domain type='%%s'>\n  <name>cc-export-%d</name>\n  <memory unit='MiB'>64</memory>\n"
                "  <os><type arch='%s' machine='%s'>hvm</type></os>\n%s</domain>\n" %
                (i, arch, machine, lv))
    doms.append(d)

schema = os.path.join(LV, 'schemas/domain.rng')
if not os.path.exists(schema) or not shutil.which('xmllint'):
    skip('every libvirt export validates against libvirt\'s domain.rng', 'libvirt0 (%s) or '
         'xmllint is not installed' % schema)
else:
    for d in doms:
        with open(d) as f:
            text = f.read() % 'kvm'
        with open(d + '.kvm', 'w') as f:
            f.write(text)
    p = subprocess.run(['xmllint', '--noout', '--relaxng', schema] + [d + '.kvm' for d in doms],
                       capture_output=True, text=True)
    bad = [l for l in p.stderr.splitlines() if 'validates' not in l]
    tap(p.returncode == 0 and not bad, 'all %d libvirt exports validate against libvirt\'s '
        'installed domain.rng' % len(doms), bad)

cpumap = os.path.join(LV, 'cpu_map')
if not os.path.isdir(cpumap):
    skip('libvirt\'s installed x86 CPU map knows every exported model and feature',
         'libvirt\'s cpu_map is not installed')
else:
    models, feats = set(), set()
    for name in os.listdir(cpumap):
        if name.startswith('x86_') and name.endswith('.xml'):
            root = ET.parse(os.path.join(cpumap, name)).getroot()
            models |= {m.get('name') for m in root.iter('model')}
            if name == 'x86_features.xml':
                feats |= {f.get('name') for f in root.iter('feature')}
    bad = []
    installed = subprocess.run(['virsh', '--version'], capture_output=True, text=True).stdout.strip()
    checked = 0
    for what, arch, q, lv, _ in results:
        # the exports that say they hold for the installed libvirt's release
        if arch != 'x86_64' or ('libvirt %s and newer' % installed) not in lv:
            continue
        checked += 1
        cpu = ET.fromstring(lv[lv.index('<cpu'):])
        if cpu.find('model').text not in models:
            bad.append('%s: model %s' % (what, cpu.find('model').text))
        bad += ['%s: feature %s' % (what, f.get('name')) for f in cpu.iter('feature')
                if f.get('name') not in feats]
    tap(checked and not bad, 'libvirt %s\'s installed x86 CPU map knows the model and every '
        'feature of the %d exports made for it' % (installed, checked), bad)

if not shutil.which('virsh'):
    skip('virsh test:///default defines and starts every exported <cpu>',
         'virsh (libvirt-clients) is not installed')
else:
    cmds = []
    for i, d in enumerate(doms):
        with open(d) as f:
            text = f.read() % 'test'
        with open(d + '.test', 'w') as f:
            f.write(text)
        cmds += ['define %s.test' % d, 'start cc-export-%d' % i]
    p = subprocess.run(['virsh', '-c', 'test:///default', ' ; '.join(cmds)],
                       capture_output=True, text=True)
    started = p.stdout.count(' started')
    tap(p.returncode == 0 and started == len(doms), 'virsh test:///default defines and starts '
        '%d domains with the exported <cpu> (%d started)' % (len(doms), started),
        p.stderr.splitlines())
# A real libvirtd starting a domain defined from an export is tests/cli/test-hook-libvirtd.sh's
# (this host's baseline under KVM): a capture's export names silicon no daemon here runs.

# ---- QEMU ----
def start(binary, machine, cpu, accel='tcg'):
    """Starts QEMU paused under accel with -cpu cpu; (status, stderr)."""
    p = subprocess.run([binary, '-accel', accel, '-machine', machine, '-nodefaults', '-display',
                        'none', '-S', '-qmp', 'stdio', '-cpu', cpu],
                       input='{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n',
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stderr.strip()


x86q = shutil.which('qemu-system-x86_64')
if not x86q:
    skip('QEMU takes every x86 -cpu string', 'qemu-system-x86 is not installed')
    skip('QEMU under TCG starts with enforce the models TCG runs', 'qemu-system-x86 is not '
         'installed')
else:
    defs, = qmp(x86q, ['-machine', 'none', '-accel', 'tcg'],
                [{'execute': 'query-cpu-definitions'}])
    known = {d['name'] for d in defs['return']}
    bad = []
    for what, arch, q, lv, _ in results:
        # a model newer than this QEMU is refused by name, as expand --qemu would say
        if arch != 'x86_64' or q.split(',')[0] not in known:
            continue
        st, err = start(x86q, 'pc', q)
        if st != 0:
            bad.append('%s: -cpu %s: %s' % (what, q, err.splitlines()[-1] if err else st))
    tap(not bad, 'QEMU under TCG starts every x86 export of a model it defines as -cpu STRING '
        '(names and syntax; %d strings)' % sum(1 for r in results if r[1] == 'x86_64' and
                                              r[2].split(',')[0] in known), bad)
    # enforce: TCG is a host of its own; the models QEMU says it runs must start as exported.
    runs = sorted(d['name'] for d in defs['return']
                  if not d['unavailable-features'] and re.search(r'-v[0-9]+$', d['name']))
    bad = []
    for m in runs:
        q = cc('expand', m, '--format', 'qemu').stdout.strip()
        st, err = start(x86q, 'pc', q + ',enforce')
        if st != 0:
            bad.append('%s: %s' % (q, err.splitlines()[-1] if err else st))
    tap(runs and not bad, 'QEMU under TCG starts with enforce the exports of the %d models its '
        'TCG runs' % len(runs), bad)


def kvm_exports(host, qemu_args):
    """(what, -cpu string) of every export made for this host: its baseline, its baseline with a
    capture of its vendor, and expand and models --resolve of each model it runs."""
    out = [('baseline of this host', cc('baseline', host, *qemu_args, '--format', 'qemu'))]
    vendor = ET.parse(host).getroot().findtext('identity/vendor')
    same = [h for h in X86 if (h in amd) == (vendor == 'AuthenticAMD')][:1]
    out += [('baseline of this host and %s' % h,
             cc('baseline', host, hosts[h], *qemu_args, '--format', 'qemu', ok=(0, 1)))
            for h in same]
    models = json.loads(cc('models', '--format', 'json', *qemu_args, host).stdout)['models']
    for m in models:
        if m['usable']:
            out.append(('expand %s' % m['name'],
                        cc('expand', m['name'], *qemu_args, '--format', 'qemu')))
            if m['origin'] != 'x86-64 psABI':
                out.append(('models --resolve %s' % m['family'],
                            cc('models', '--resolve', m['family'], host, *qemu_args, '--format',
                               'qemu')))
    return [(w, p.stdout.strip()) for w, p in out if p.returncode == 0]


kvm_why = None
if not os.path.exists('/dev/kvm'):
    kvm_why = '/dev/kvm is absent (the exports of real captures need their own silicon under KVM)'
elif not os.access('/dev/kvm', os.R_OK | os.W_OK):
    kvm_why = 'no permission on /dev/kvm'
elif not x86q:
    kvm_why = 'qemu-system-x86 is not installed'
else:
    here = os.path.join(work, 'this-host.xml')
    p = subprocess.run([cpucompat, 'dump', '--require-kvm', '-o', here], capture_output=True,
                       text=True)
    if p.returncode != 0:
        kvm_why = 'no kvm view here: %s' % p.stderr.strip()
peers = [(x86q, [])]
q10 = os.path.join(top, 'build/qemu-10.0/run')
if os.access(q10, os.X_OK):
    v10 = re.search(r'version ([0-9.]*[0-9])', subprocess.run([q10, '--version'], capture_output=True,
                                                         text=True).stdout).group(1)
    peers.append((q10, ['--qemu', v10]))
for binary, qemu_args in peers:
    label = 'QEMU %s' % (qemu_args[1] if qemu_args else 'of the system')
    what = '%s under KVM starts with enforce every export made for this host' % label
    if kvm_why:
        skip(what, kvm_why)
        continue
    todo = kvm_exports(here, qemu_args)
    bad = []
    for w, q in todo:
        st, err = start(binary, 'pc', q + ',enforce', 'kvm')
        if st != 0:
            bad.append('%s: -cpu %s,enforce: %s' % (w, q, err.splitlines()[-1] if err else st))
    tap(todo and not bad, '%s (%d: %s)' % (what, len(todo), ', '.join(w for w, _ in todo)), bad)
if len(peers) == 1:
    skip('QEMU 10.0 under KVM starts with enforce every export made for this host',
         'QEMU 10.0 of bookworm-backports was not fetched (build-aux/qemu-backports build/qemu-10.0)')

if not have_s390x:
    skip('QEMU s390x under TCG starts every export from its TCG max', 'qemu-system-s390x '
         '(qemu-system-misc) is not installed')
else:
    bad = []
    for what, arch, q, lv, _ in results:
        if arch == 's390x':
            st, err = start('qemu-system-s390x', 's390-ccw-virtio', q)
            if st != 0:
                bad.append('%s: -cpu %s: %s' % (what, q, err.splitlines()[-1] if err else st))
    tap(not bad, 'QEMU s390x under TCG starts every export made from its TCG max (%d; s390x '
        'QEMU always enforces)' % sum(1 for r in results if r[1] == 's390x'), bad)
done()
