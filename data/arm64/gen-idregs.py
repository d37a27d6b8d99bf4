#!/usr/bin/env python3
"""Regenerate data/arm64/idregs.xml from the gathered reference facts.

Usage: gen-idregs.py REF/arm64/idregs.json REF/arm64/feats.json data/arm64/kernel-ftr.xml \
           data/arm64/kvm-writable.xml > data/arm64/idregs.xml

kernel-ftr.xml (gen-kernel-ftr.py, read from each kernel's own cpufeature.c) gives every rule
its source line, as src="FILE:LINE@RELEASE"; a rule on which the two extractions disagree stops
the script, so the reference and the kernel sources are checked against each other here.
kvm-writable.xml (gen-kvm-writable.py, read from each kernel's own sys_regs.c) gives KVM's
writable masks; for the kernels the reference also covers, the writable fields derived from it
must be the reference's, else the script stops. The rule sets of SOURCE_SETS, which the
reference does not cover, come from those two files alone.

Facts: register layouts (Linux 7.2 arch/arm64/tools/sysreg), the kernel's safe-value rules
(arch/arm64/kernel/cpufeature.c of Linux 6.1, 6.6, 6.12, 6.18, 7.2) and KVM's writable masks
(arch/arm64/kvm/sys_regs.c of the same kernels), FEAT_xxx names (Arm's feature list as mapped
in the reference). This script only changes their shape.
"""
import json
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

# Rule sets read from kernel sources only (kernel-ftr.xml, kvm-writable.xml): the stable kernels
# fleets run between the reference's.
SOURCE_SETS = ['Linux 6.18', 'Linux 6.6']

# Kernels whose PMCR_EL0 has no set_user (a write is kept as it is): sys_regs.c:1636@6.1.192,
# :2223@6.6.80. From 6.7 set_pmcr() keeps only N and bits 7:0 (6.12, 6.18, 7.2).
PMCR_KEPT = ['Linux 6.1', 'Linux 6.6']

# KVM's own rule types and refused values (kvm_arm64_ftr_safe_value(), set_id_aa64dfr0_el1()...)
# are setter facts with kernel ranges: data/arm64/kvm-setters.xml, applied when the catalog loads.

# Fields KVM shows only to a vCPU initialised with the optional feature (KVM_ARM_VCPU_SVE,
# KVM_ARM_VCPU_PTRAUTH_*, KVM_ARM_VCPU_PMU_V3); without it they read as zero, so a VMM hides
# them by leaving the feature out rather than by writing the register (arch/arm64/kvm/sys_regs.c,
# Linux 6.1 .. 7.2: vcpu_has_sve(), vcpu_has_ptrauth(), kvm_vcpu_has_pmu()).
VCPU_FEATURE = {('ID_AA64PFR0_EL1', 'SVE'): 'sve', ('ID_AA64ZFR0_EL1', '*'): 'sve',
                ('ID_AA64ISAR1_EL1', 'APA'): 'ptrauth', ('ID_AA64ISAR1_EL1', 'API'): 'ptrauth',
                ('ID_AA64ISAR1_EL1', 'GPA'): 'ptrauth', ('ID_AA64ISAR1_EL1', 'GPI'): 'ptrauth',
                ('ID_AA64ISAR2_EL1', 'APA3'): 'ptrauth', ('ID_AA64ISAR2_EL1', 'GPA3'): 'ptrauth',
                ('ID_AA64DFR0_EL1', 'PMUVer'): 'pmu', ('ID_DFR0_EL1', 'PerfMon'): 'pmu'}

# KVM's firmware pseudo-registers a VMM migrates with the ID registers: KVM_REG_ARM_FW_REG(n)
# of the arm64 uapi asm/kvm.h (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW | n).
# PMCR_EL0 (op0 3, op1 3, CRn 9, CRm 12, op2 0; Arm ARM D24.5): a VMM migrates it with the ID
# registers. N (bits 15:11) is the number of event counters. Found on the rig: Linux 7.2 keeps a
# lower N and reads a higher one back as its own (LOWER_SAFE, writable); Linux 6.1 keeps
# whatever is written, N, IMP and IDCODE alike (its counters are perf events, not the
# hardware's); 6.6 likewise. On 6.12, 6.18 and 7.2 set_pmcr() keeps only N and bits 7:0 of a write
# (arch/arm64/kvm/sys_regs.c:1274,1302@6.12.118; :1433@7.2.13): IMP and IDCODE, the PMU's maker,
# read as the destination's own, a change the guest sees that takes nothing away ('ident': a
# warning, not a blocker). On 6.1 PMCR_EL0 has no set_user (sys_regs.c:1636@6.1.192): the
# written value is kept. The rest is the guest's own control state.
PMCR = [('LC', 6, 1, 'state'), ('DP', 5, 1, 'state'), ('X', 4, 1, 'state'), ('D', 3, 1, 'state'),
        ('C', 2, 1, 'state'), ('P', 1, 1, 'state'), ('E', 0, 1, 'state'), ('LP', 7, 1, 'state'),
        ('FZO', 9, 1, 'state'), ('N', 11, 5, 'counters'), ('IDCODE', 16, 8, 'ident'),
        ('IMP', 24, 8, 'ident'), ('FZS', 32, 1, 'state')]

# accepts="lower": KVM_SET_ONE_REG takes a value at or below the host's (a lower PSCI version
# is kept; a lower workaround level reads back as the host's, which protects the guest at least
# as well) and refuses a higher one. Found by writing values into vCPUs on the arm64 KVM rig
# (Linux 6.1 and 7.2). WORKAROUND_2 took 1 where the host had 0 and refused 2 and 3: no ordering
# to rely on, so it must stay equal. reads="host": the lower level is accepted and ignored
# (kvm_arm_set_fw_reg(): hypercalls.c:434@6.1.192, :592@6.12.118, :608@7.2.13), so the guest's
# SMCCC_ARCH_FEATURES answer becomes the destination's: seen by the guest, nothing lost.
FIRMWARE = [('FW_PSCI_VERSION', 0, 'lower', False),
            ('FW_SMCCC_ARCH_WORKAROUND_1', 1, 'lower', True),
            ('FW_SMCCC_ARCH_WORKAROUND_2', 2, None, False),
            ('FW_SMCCC_ARCH_WORKAROUND_3', 3, 'lower', True)]

# The firmware feature bitmaps (KVM_REG_ARM_FW_FEAT_BMAP_REG(n): KVM_REG_ARM64 | KVM_REG_SIZE_U64 |
# 0x0016 << 16 | n; STD, STD_HYP, VENDOR_HYP, VENDOR_HYP_2). kvm_arm_set_fw_reg_bmap() in
# arch/arm64/kvm/hypercalls.c (Linux 6.1 .. 7.2) takes any subset of the services the kernel
# offers, which is what it reports until a VMM writes less; a bit outside them is refused.
BITMAPS = [('FW_STD_BMAP', 0), ('FW_STD_HYP_BMAP', 1), ('FW_VENDOR_HYP_BMAP', 2),
           ('FW_VENDOR_HYP_BMAP_2', 3)]


def kernel_rules(path):
    """('Linux X.Y', register, field) -> (type, safe, strict, 'FILE:LINE@RELEASE')."""
    out = {}
    for kern in ET.parse(path).getroot().iter('kernel'):
        rel = kern.get('release')
        name = 'Linux ' + '.'.join(rel.split('.')[:2])
        for reg in kern.iter('register'):
            for f in reg.iter('field'):
                out[(name, reg.get('name'), f.get('name'))] = (
                    f.get('type'), int(f.get('safe')), f.get('strict') == 'yes',
                    '%s:%s@%s' % (kern.get('file'), f.get('line'), rel))
    return out


def set_name(release):
    return 'Linux ' + '.'.join(release.split('.')[:2])


def kvm_masks(path):
    """'Linux X.Y' -> register -> (mask or None when absent, how, checked by the ftr rules)."""
    out = {}
    for kern in ET.parse(path).getroot().iter('kernel'):
        out[set_name(kern.get('release'))] = {
            r.get('name'): (None if r.get('absent') else int(r.get('writable'), 16), r.get('how'),
                            r.get('checked') == 'ftr') for r in kern.iter('register')}
    return out


def writable_from_source(masks, sources, k, rname, f):
    """KVM lets a VMM change the field: its mask covers it and, where arm64_check_features()
    judges the write, cpufeature.c has a rule for it."""
    mask, _, checked = masks[k].get(rname, (None, None, False))
    bits = ((1 << f['width']) - 1) << f['lsb']
    return mask is not None and mask & bits == bits and (
        not checked or (k, rname, f['name']) in sources)


def main():
    ref = json.load(open(sys.argv[1]))
    feats = json.load(open(sys.argv[2]))['features']
    sources = kernel_rules(sys.argv[3])
    masks = kvm_masks(sys.argv[4])
    kernels = sorted(ref['kernels'] + SOURCE_SETS,
                     key=lambda k: [int(x) for x in k.split()[1].split('.')], reverse=True)
    for k in kernels:
        if k not in masks:
            sys.exit('%s: no writable masks in %s' % (k, sys.argv[4]))
    # The reference and the sources must agree where both speak.
    for k in ref['kernels']:
        for rname, reg in ref['registers'].items():
            kv = (reg.get('kvm') or {}).get(k) or {}
            want = kv.get('writable_mask')
            got = masks[k].get(rname, (None,))[0]
            if (int(want, 16) if want else None) != got:
                sys.exit('%s %s: the reference says writable %s, the kernel source %s' % (
                    k, rname, want, got if got is None else '0x%016x' % got))
            named = {(kk, r, f) for (kk, r, f) in sources if kk == k and r == rname}
            ruled = {(k, rname, f['name']) for f in reg['fields'] if k in (f.get('ftr') or {})}
            if named != ruled:
                sys.exit('%s %s: the reference has rules for %s, the kernel source for %s' % (
                    k, rname, sorted(ruled - named), sorted(named - ruled)))
            for f in reg['fields']:
                w = bool((f.get('kvm_writable') or {}).get(k))
                if w != writable_from_source(masks, sources, k, rname, f):
                    sys.exit('%s %s.%s: the reference says writable %s, the kernel source not' % (
                        k, rname, f['name'], w))
    by_field = {}
    for name, f in feats.items():
        # FEAT_MTE_ASYNC is MTE_frac == 0 *with* FEAT_MTE2; alone, the field reads 0 on every
        # CPU without MTE, so a single-field mapping would claim it everywhere.
        if name == 'FEAT_MTE_ASYNC':
            continue
        if 'register' in f and 'field' in f and 'min_value' in f:
            by_field.setdefault((f['register'], f['field']), []).append((f['min_value'], name))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- Generated by data/arm64/gen-idregs.py; do not edit by hand. Sources: Linux 7.2',
           '     arch/arm64/tools/sysreg (layout); arch/arm64/kernel/cpufeature.c and',
           '     arch/arm64/kvm/sys_regs.c of Linux 6.1, 6.6, 6.12, 6.18 and 7.2 (rules, writable',
           '     masks); Arm A-profile feature names. A rule\'s src is its line in that kernel\'s',
           '     cpufeature.c (release after @; kernel-ftr.xml names each tree). -->',
           '<arm64-idregs format="1">']
    for k in kernels:
        out.append('  <kernel name=%s since=%s/>' % (quoteattr(k), quoteattr(k.split()[1])))
    for rname, reg in ref['registers'].items():
        e = reg['encoding']
        # AArch32 ID registers live at op0=3, op1=0, CRn=0, CRm=1..3 (Arm ARM, D23.3.1).
        aa32 = e['op0'] == 3 and e['op1'] == 0 and e['crn'] == 0 and 1 <= e['crm'] <= 3
        out.append('  <register name=%s id=%s op0="%d" op1="%d" crn="%d" crm="%d" op2="%d"%s>' % (
            quoteattr(rname), quoteattr(reg['kvm_reg_id']), e['op0'], e['op1'], e['crn'],
            e['crm'], e['op2'], ' aarch32="yes"' if aa32 else ''))
        kvms = dict(reg.get('kvm') or {})
        for k in SOURCE_SETS:
            mask, how, _ = masks[k].get(rname, (None, None, False))
            kvms[k] = {'writable_mask': None if mask is None else '0x%016x' % mask, 'how': how}
        for k in kernels:
            kv = kvms.get(k)
            if kv is None:
                continue
            # No mask: not a register KVM exposes on that kernel.
            if kv.get('writable_mask') is None:
                out.append('    <kvm kernel=%s absent="yes" how=%s/>' % (
                    quoteattr(k), quoteattr(kv.get('how') or 'not a KVM register')))
                continue
            out.append('    <kvm kernel=%s writable=%s how=%s/>' % (
                quoteattr(k), quoteattr(kv['writable_mask']), quoteattr(kv['how'])))
        for f in reg['fields']:
            vf = VCPU_FEATURE.get((rname, f['name'])) or VCPU_FEATURE.get((rname, '*'))
            out.append('    <field name=%s lsb="%d" width="%d"%s%s>' % (
                quoteattr(f['name']), f['lsb'], f['width'], ' signed="yes"' if f['signed'] else '',
                ' vcpu-feature="%s"' % vf if vf else ''))
            ftr = dict(f.get('ftr') or {})
            for k in SOURCE_SETS:
                if (k, rname, f['name']) in sources:
                    typ, safe, strict, _ = sources[(k, rname, f['name'])]
                    ftr[k] = {'type': typ, 'safe_value': safe, 'strict': strict}
            for k in [k for k in kernels if k in ftr]:
                r = ftr[k]
                typ = r['type']
                src = sources.get((k, rname, f['name']))
                if not src or src[:3] != (typ, r['safe_value'], bool(r.get('strict'))):
                    sys.exit('%s %s.%s: the reference says %s %s, the kernel source %s' % (
                        k, rname, f['name'], typ, r['safe_value'], src))
                out.append('      <rule kernel=%s type="%s" safe="%d"%s src=%s/>' % (
                    quoteattr(k), typ, r['safe_value'],
                    ' strict="yes"' if r.get('strict') else '', quoteattr(src[3])))
            wr = dict(f.get('kvm_writable') or {})
            for k in SOURCE_SETS:
                wr[k] = writable_from_source(masks, sources, k, rname, f)
            for k in [k for k in kernels if wr.get(k)]:
                out.append('      <writable kernel=%s/>' % quoteattr(k))
            values = f.get('values') or {}
            feats_here = sorted(by_field.get((rname, f['name']), []))
            for v in sorted(set(int(x) for x in values) | {m for m, _ in feats_here}):
                names = [n for m, n in feats_here if m == v]
                attrs = ' v="%d"' % v
                if str(v) in values:
                    attrs += ' name=%s' % quoteattr(values[str(v)])
                if names:
                    attrs += ' feat=%s' % quoteattr(' '.join(names))
                out.append('      <value%s/>' % attrs)
            out.append('    </field>')
        out.append('  </register>')
    out.append('  <register name="PMCR_EL0" id="0x%016x" op0="3" op1="3" crn="9" crm="12" '
               'op2="0">' % (0x6030000000130000 | 3 << 14 | 3 << 11 | 9 << 7 | 12 << 3))
    for name, lsb, width, kind in sorted(PMCR, key=lambda f: -f[1]):
        out.append('    <field name="%s" lsb="%d" width="%d"%s>' % (
            name, lsb, width, ' state="yes"' if kind == 'state' else
            ' ident="yes"' if kind == 'ident' else ''))
        for k in kernels:
            if kind == 'counters' and k not in PMCR_KEPT:
                out.append('      <rule kernel=%s type="LOWER_SAFE" safe="0"/>' % quoteattr(k))
            if (kind == 'counters' or k in PMCR_KEPT) and kind != 'state':
                out.append('      <writable kernel=%s/>' % quoteattr(k))
        out.append('    </field>')
    out.append('  </register>')
    for name, n, accepts, reads_host in FIRMWARE:
        out.append('  <register name=%s id="0x%016x" firmware="yes"%s%s/>' % (
            quoteattr(name), 0x6030000000140000 | n,
            ' accepts="%s"' % accepts if accepts else '', ' reads="host"' if reads_host else ''))
    for name, n in BITMAPS:
        out.append('  <register name=%s id="0x%016x" firmware="yes" accepts="subset"/>' % (
            quoteattr(name), 0x6030000000160000 | n))
    out.append('</arm64-idregs>')
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
