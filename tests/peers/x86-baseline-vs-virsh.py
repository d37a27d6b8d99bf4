#!/usr/bin/env python3
"""cpucompat baseline against `virsh -c test:///default cpu-baseline --features` on pairs of real
CPUs from libvirt's tests/cputestdata. Prints TAP.

Both answer "what can every host run", from the same captures: cpucompat from the raw CPUID
(imported), virsh from libvirt's own host CPU definitions of those captures. The test compares
the complete feature sets (virsh --features lists them all) after mapping libvirt names to QEMU
names. Known, explained differences are removed first; anything else fails:
  * invtsc: virsh keeps it; cpucompat drops it because QEMU does not migrate it (unmigratable).
  * topoext: virsh keeps it; QEMU's -cpu host never turns it on by itself (no_autoenable_flags),
    so it is not part of the migratable host model cpucompat intersects.
  * libvirt-only names (cmt, mbm_local, mbm_total, osxsave, ospke, ...): QEMU has no property
    for them, so a QEMU guest cannot be given them; cpucompat's catalog is QEMU's.
  * features newer than libvirt 9.0 (QEMU 10.2 names such as zero-fcs-fds): libvirt cannot name
    them, cpucompat can.
  * KVM paravirtual features, hypervisor, arat, tsc-deadline, x2apic, tsc-adjust and
    arch-capabilities where the raw CPU lacks them: KVM and QEMU offer these to every guest
    (data/x86/qemu-kvm.xml), a bare capture of the silicon need not have them.
The model names are reported, not asserted: libvirt's model list and its choice rule (fewest
features to add) differ from QEMU's versioned models, e.g. libvirt's Skylake-Server is QEMU's
Skylake-Server-v1.

usage: x86-baseline-vs-virsh.py CPUCOMPAT TOPDIR WORKDIR
"""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

cpucompat, top, work = sys.argv[1:4]
lv = os.path.join(top, 'tests/data/x86/libvirt')
cat = ET.parse(os.path.join(top, 'data/x86/features.xml')).getroot()
libvirt_to_qemu, qemu_only, paravirt = {}, set(), set()
for f in cat.iter('feature'):
    if f.get('libvirt'):
        libvirt_to_qemu[f.get('libvirt')] = f.get('name')
    else:
        qemu_only.add(f.get('name'))
    if f.get('paravirt') == 'yes':
        paravirt.add(f.get('name'))
QEMU_ADDS = {'hypervisor', 'arat', 'tsc-deadline', 'x2apic', 'tsc-adjust',
             'arch-capabilities'} | paravirt


def vendor_of(name):
    root = ET.parse(os.path.join(lv, 'host', 'x86_64-cpuid-%s-host.xml' % name)).getroot()
    return root.findtext('vendor')


names = sorted(f[len('x86_64-cpuid-'):-len('-host.xml')]
               for f in os.listdir(os.path.join(lv, 'host')))
pairs = []
for vendor in ('Intel', 'AMD'):
    same = [n for n in names if vendor_of(n) == vendor]
    # Neighbours in name order: similar generations, where the answers are most interesting.
    pairs += [(same[i], same[i + 1]) for i in range(0, len(same) - 1, 3)]

n = failed = 0
for a, b in pairs:
    n += 1
    files = []
    for c in (a, b):
        out = os.path.join(work, c + '.xml')
        subprocess.run([cpucompat, 'import', 'libvirt-cpudata',
                        os.path.join(lv, 'x86_64-cpuid-%s.xml' % c), '-o', out], check=True)
        files.append(out)
    ours = subprocess.run([cpucompat, 'baseline', '--format', 'json'] + files,
                          check=True, capture_output=True, text=True).stdout
    import json
    ours = json.loads(ours)
    both = os.path.join(work, 'pair.xml')
    with open(both, 'w') as f:
        for c in (a, b):
            text = open(os.path.join(lv, 'host', 'x86_64-cpuid-%s-host.xml' % c)).read()
            f.write(text.replace("<?xml version='1.0'?>", ''))
    virsh = subprocess.run(['virsh', '-c', 'test:///default', 'cpu-baseline', '--features', both],
                           check=True, capture_output=True, text=True).stdout
    root = ET.fromstring(virsh)
    theirs = {libvirt_to_qemu[fe.get('name')] for fe in root.iter('feature')
              if fe.get('policy') == 'require' and fe.get('name') in libvirt_to_qemu}
    theirs -= {'invtsc', 'topoext'}
    mine = {f for f in ours['features'] if f not in qemu_only}
    only_ours = {f for f in mine - theirs if f not in QEMU_ADDS}
    only_theirs = theirs - mine
    model = root.findtext('model')
    if only_ours or only_theirs:
        failed += 1
        print('not ok %d - %s + %s: feature sets differ' % (n, a, b))
        print('#   only cpucompat: %s' % ' '.join(sorted(only_ours)))
        print('#   only virsh:     %s' % ' '.join(sorted(only_theirs)))
    else:
        print('ok %d - %s + %s: same %d features (cpucompat %s, virsh %s)'
              % (n, a, b, len(theirs), ours['model'], model))
print('1..%d' % n)
sys.exit(1 if failed or n == 0 else 0)
