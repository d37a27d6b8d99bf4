#!/usr/bin/env python3
"""Do an offline `compare --format json` and a `verify --format json` on the destination name
the same blockers, and the same warnings (changes the guest sees but loses nothing by)? Identity
registers are compared by register (verify reports them field by field). Exit 0 when equal;
prints the differences otherwise.

usage: same-blockers.py COMPARE.json VERIFY.json
"""
import json
import sys

IDENTITY = ('MIDR_EL1', 'REVIDR_EL1', 'AIDR_EL1')


def names(path, member='blockers'):
    out = set()
    for b in json.load(open(path))[member]:
        reg = b['name'].split('.')[0]
        out.add(reg if reg in IDENTITY else b['name'])
    return out


offline, kvm = names(sys.argv[1]), names(sys.argv[2])
if offline != kvm:
    print('compare only: %s' % ' '.join(sorted(offline - kvm)))
    print('verify only: %s' % ' '.join(sorted(kvm - offline)))
    sys.exit(1)
woffline, wkvm = names(sys.argv[1], 'warnings'), names(sys.argv[2], 'warnings')
if woffline != wkvm:
    print('warnings, compare only: %s' % ' '.join(sorted(woffline - wkvm)))
    print('warnings, verify only: %s' % ' '.join(sorted(wkvm - woffline)))
    sys.exit(1)
print('%d blockers, %d warnings, the same' % (len(offline), len(woffline)))
