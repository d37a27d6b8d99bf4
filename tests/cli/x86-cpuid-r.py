#!/usr/bin/env python3
"""Decodes a `cpuid -1 -r` recording (Debian package cpuid) independently of cpucompat: the
identity of leaf 0/1 and the CPUID features of data/x86/features.xml whose bits are all set.

Usage: x86-cpuid-r.py RECORDING FEATURES.XML  ->  JSON {"identity": {...}, "features": [...]}
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

REGS = ('eax', 'ebx', 'ecx', 'edx')


def read_recording(path):
    leaves = {}
    pat = re.compile(r'^\s*(0x[0-9a-f]+) (0x[0-9a-f]+): eax=(0x[0-9a-f]+) ebx=(0x[0-9a-f]+) '
                     r'ecx=(0x[0-9a-f]+) edx=(0x[0-9a-f]+)\s*$')
    for line in open(path):
        m = pat.match(line)
        if m:
            v = [int(x, 16) for x in m.groups()]
            leaves.setdefault((v[0], v[1]), dict(zip(REGS, v[2:])))
    return leaves


def main():
    leaves = read_recording(sys.argv[1])
    cat = ET.parse(sys.argv[2]).getroot()
    words = {w.get('name'): w for w in cat.iter('word')}
    feats = []
    for f in cat.iter('feature'):
        w = words[f.get('word')]
        if w.get('leaf') is None:
            continue  # an MSR: a CPUID recording cannot say
        leaf, sub = int(w.get('leaf'), 16), int(w.get('subleaf') or '0', 16)
        top = leaves.get((leaf & 0xffff0000, 0), {}).get('eax', 0)
        # A leaf above its range's highest one answers junk: not a feature.
        if top < leaf or (leaf, sub) not in leaves:
            continue
        value = leaves[(leaf, sub)][w.get('reg')]
        if all(value >> int(b) & 1 for b in f.get('bits').split()):
            feats.append(f.get('name'))
    l0, l1 = leaves[(0, 0)], leaves[(1, 0)]['eax']
    vendor = b''.join(l0[r].to_bytes(4, 'little') for r in ('ebx', 'edx', 'ecx')).decode()
    family, model = l1 >> 8 & 0xf, l1 >> 4 & 0xf
    if family == 0xf:
        family += l1 >> 20 & 0xff
    if family >= 6:
        model += (l1 >> 16 & 0xf) << 4
    ext = leaves.get((0x80000008, 0))
    json.dump({'identity': {'vendor': vendor, 'family': str(family), 'model': str(model),
                            'stepping': str(l1 & 0xf)},
               'phys-bits': ext['eax'] & 0xff if ext else None,
               'features': sorted(feats)}, sys.stdout, indent=1)
    print()


main()
