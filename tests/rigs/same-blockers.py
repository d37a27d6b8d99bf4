#!/usr/bin/env python3
"""Do an offline `compare --format json` and a `verify --format json` on the destination name
the same blockers? Identity registers are compared by register (verify reports them field by
field). Exit 0 when equal; prints the differences otherwise.

usage: same-blockers.py COMPARE.json VERIFY.json
"""
import json
import sys

IDENTITY = ('MIDR_EL1', 'REVIDR_EL1', 'AIDR_EL1')


def names(path):
    out = set()
    for b in json.load(open(path))['blockers']:
        reg = b['name'].split('.')[0]
        out.add(reg if reg in IDENTITY else b['name'])
    return out


offline, kvm = names(sys.argv[1]), names(sys.argv[2])
if offline != kvm:
    print('compare only: %s' % ' '.join(sorted(offline - kvm)))
    print('verify only: %s' % ' '.join(sorted(kvm - offline)))
    sys.exit(1)
print('%d blockers, the same' % len(offline))
