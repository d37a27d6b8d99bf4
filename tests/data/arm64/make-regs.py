#!/usr/bin/env python3
"""Turn the reference's real arm64 register captures into `arm64-regs` text files.

usage: make-regs.py REF/arm64 OUTDIR

Sources (see the reference README): AWS Graviton2/3/4 KVM_GET_ONE_REG fingerprints on two
kernels (Firecracker's test data) and the KVM views of QEMU-emulated cores on Debian kernels
booted under the arm64 KVM rig. Only ID registers the catalog describes are kept (the others,
e.g. MPIDR_EL1 or PMCR_EL0, carry no migration rule yet).
"""
import glob
import json
import os
import re
import sys

ref, out = sys.argv[1], sys.argv[2]
known = set(json.load(open(os.path.join(ref, 'idregs.json')))['registers'])


def write(name, source, kernel, regs, view=None):
    with open(os.path.join(out, name + '.regs'), 'w') as f:
        f.write('# %s\n' % source)
        f.write('kernel-release %s\n' % kernel)
        if view:
            f.write('view %s\n' % view)
        for r in sorted(regs):
            if r in known and regs[r].startswith('0x'):
                f.write('%s 0x%016x\n' % (r, int(regs[r], 16)))


for path in sorted(glob.glob(os.path.join(ref, 'fingerprints', '*.json'))):
    d = json.load(open(path))
    write(d['name'], d['source']['host'] + ', ' + d['source']['file'], d['kernel_release'],
          d['registers'])

for path in sorted(glob.glob(os.path.join(ref, 'cpus', '*.json'))):
    core = os.path.basename(path)[:-5]
    for v in json.load(open(path)).get('views', []):
        if v['kind'] == 'el0-mrs' and 'Linux 6.1' in v['source']:
            # The EL0 view under the rig's Debian 6.1 kernel (kernel of the KVM views beside it).
            write('%s@linux-6.1-el0' % core, 'MRS at EL0 on the rig: ' + v['source'][:100],
                  '6.1.0-56-arm64', v['registers'], 'cpu')
            continue
        if v['kind'] == 'kvm-get-one-reg' and 'no optional vCPU feature' in v['source']:
            # The same 6.1 host, vCPU without PMUv3, SVE or pointer auth (dump --vcpu-features none).
            write('%s@linux-6.1-novcpufeat' % core, 'KVM on the rig, no optional vCPU feature: ' +
                  v['source'][:80], '6.1.0-56-arm64', v['registers'])
            continue
        if v['kind'] != 'kvm-get-one-reg':
            continue
        m = re.search(r'linux-image-(\S+)', v['source'])
        if not m:
            continue
        kernel = m.group(1)
        tag = 'linux-' + '.'.join(kernel.split('.')[:2]).split('+')[0]
        write('%s@%s' % (core, tag), 'QEMU -cpu %s on the arm64 KVM rig: %s' % (core, v['source'][:120]),
              kernel, v['registers'])
