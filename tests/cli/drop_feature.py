#!/usr/bin/env python3
"""A host file that lacks one feature a guest requires: of the guest <cpu>'s features with
policy 'require' (libvirt's names), the first that lives in a CPUID register and that QEMU does
not add to KVM's answer by itself (data/x86/qemu-kvm.xml's fixups), cleared in the kvm view's raw
CPUID of HOST, written to OUT. Prints the feature's QEMU name (nothing when there is none).
Usage: drop_feature.py DATADIR GUEST-CPU.xml HOST.xml OUT.xml"""
import re
import sys
import xml.etree.ElementTree as ET

datadir, guest, host, out = sys.argv[1:5]
cat = ET.parse(datadir + '/x86/features.xml').getroot()
words = {w.get('name'): w for w in cat.iter('word')}
added = set()
for fx in ET.parse(datadir + '/x86/qemu-kvm.xml').getroot():
    added |= set((fx.get('features') or '').split())
by_libvirt = {}
for f in cat.iter('feature'):
    for n in [f.get('libvirt'), f.get('name')] + [a.get('name') for a in f.iter('alias')]:
        if n:
            by_libvirt.setdefault(n, f)
text = open(guest).read()
cpu = ET.fromstring(text[text.index('<cpu'):])
pick = None
for e in cpu.iter('feature'):
    f = by_libvirt.get(e.get('name'))
    if e.get('policy') != 'require' or f is None or f.get('name') in added:
        continue
    if words[f.get('word')].get('leaf') and len(f.get('bits').split()) == 1:
        pick = f
        break
doc = open(host).read()
if pick is not None:
    w = words[pick.get('word')]
    leaf, sub = int(w.get('leaf'), 16), int(w.get('subleaf') or '0')
    col = 2 + 'eax ebx ecx edx'.split().index(w.get('reg'))
    start = doc.index('<view name="kvm"')
    end = doc.index('</cpuid>', start)

    def clear(m):
        v = m.group(0).split()
        if int(v[0], 16) == leaf and int(v[1], 16) == sub:
            v[col] = '0x%08x' % (int(v[col], 16) & ~(1 << int(pick.get('bits'))))
        return ' '.join(v)

    body = re.sub(r'0x[0-9a-f]{8}( 0x[0-9a-f]{8}){5}', clear, doc[start:end])
    doc = doc[:start] + body + doc[end:]
    print(pick.get('name'))
with open(out, 'w') as o:
    o.write(doc)
