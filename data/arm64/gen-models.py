#!/usr/bin/env python3
"""Regenerate data/arm64/models/*.xml from the gathered reference facts.

Usage: gen-models.py REF/arm64 OUTDIR

A named arm64 model is a set of ID register *feature fields* and the value each one must read in
the guest. A VMM applies it by writing the host's registers back with those fields changed, so a
model runs on a host only where every changed field is safe (cpufeature.c) and writable (KVM).
Fields the model does not name keep the host's value.

Feature fields: every ID register field that Arm's feature list (feats.json) ties a FEAT_xxx to,
less the ones listed in EXCLUDED below, which the VMM or KVM decides rather than the core.

Cores: QEMU 10.2.2's model definitions (target/arm/tcg/cpu64.c, target/arm/cpu64.c), i.e. the
values of the silicon before QEMU fits them to a machine. Neoverse-V2 has no QEMU definition: its
values are a KVM_GET_ONE_REG dump of AWS Graviton4 (Linux 6.18, Firecracker's fingerprint) raised
by the lower bounds Graviton4's /proc/cpuinfo hwcaps give, because that dump was taken with no
optional vCPU feature and so hides SVE and pointer authentication.

Architecture baselines Armv8.0 .. Armv8.9 and Armv9.0 .. Armv9.5: for every feature field, the
highest minimum any mandatory FEAT_xxx of the version asks for; a field no mandatory feature names
reads as "not implemented". FEAT_FP and FEAT_AdvSIMD are optional in the architecture but assumed
(see ASSUMED). Mandatory features with no single ID field, and the ones the Arm table and TF-A
disagree on, are recorded per version.

This script only changes the shape of the facts; it holds no rule of its own beyond the choices
named here.
"""
import json
import os
import sys
from xml.sax.saxutils import quoteattr, escape

# (register, field or '*') -> why the field is left to the host.
EXCLUDED = {
    ('MIDR_EL1', '*'): 'identity, not a feature',
    ('REVIDR_EL1', '*'): 'identity, not a feature',
    ('AIDR_EL1', '*'): 'identity, not a feature',
    ('CTR_EL0', '*'): "the host's cache geometry",
    ('CLIDR_EL1', '*'): "the host's cache geometry",
    ('DCZID_EL0', '*'): "the host's cache geometry",
    ('ID_AA64DFR0_EL1', '*'): 'debug, PMU, SPE and trace: the vCPU features and KVM decide',
    ('ID_AA64DFR1_EL1', '*'): 'debug, PMU, SPE and trace: the vCPU features and KVM decide',
    ('ID_AA64DFR2_EL1', '*'): 'debug, PMU, SPE and trace: the vCPU features and KVM decide',
    ('ID_DFR0_EL1', '*'): 'debug and PMU: the vCPU features and KVM decide',
    ('ID_DFR1_EL1', '*'): 'debug and PMU: the vCPU features and KVM decide',
    ('ID_AA64PFR0_EL1', 'GIC'): "the VMM's interrupt controller",
    ('ID_PFR1_EL1', 'GIC'): "the VMM's interrupt controller",
    ('ID_AA64PFR0_EL1', 'EL2'): 'exception levels of the VM (EL2 only with nested virtualization)',
    ('ID_AA64PFR0_EL1', 'EL3'): 'exception levels of the VM (never EL3)',
    ('ID_AA64PFR0_EL1', 'SEL2'): 'the VM has no Secure state',
    ('ID_PFR1_EL1', 'Security'): 'the VM has no Secure state',
    ('ID_PFR1_EL1', 'Sec_frac'): 'the VM has no Secure state',
    ('ID_PFR1_EL1', 'Virtualization'): 'exception levels of the VM',
    ('ID_PFR1_EL1', 'Virt_frac'): 'exception levels of the VM',
    ('ID_AA64PFR0_EL1', 'AMU'): 'KVM hides the activity monitors from guests',
    ('ID_PFR0_EL1', 'AMU'): 'KVM hides the activity monitors from guests',
    ('ID_AA64PFR0_EL1', 'MPAM'): 'KVM hides MPAM from guests',
    ('ID_AA64PFR1_EL1', 'MPAM_frac'): 'KVM hides MPAM from guests',
    ('ID_PFR0_EL1', 'RAS'): 'KVM hides the AArch32 RAS field (seen on the rig, Linux 7.2)',
    ('ID_AA64PFR0_EL1', 'CSV2'): "the host's speculation mitigations, not the core's ISA",
    ('ID_AA64PFR0_EL1', 'CSV3'): "the host's speculation mitigations, not the core's ISA",
    ('ID_AA64PFR1_EL1', 'CSV2_frac'): "the host's speculation mitigations, not the core's ISA",
    ('ID_PFR0_EL1', 'CSV2'): "the host's speculation mitigations, not the core's ISA",
    ('ID_PFR2_EL1', 'CSV3'): "the host's speculation mitigations, not the core's ISA",
    ('ID_AA64PFR1_EL1', 'MTE'): 'a VM capability (KVM_CAP_ARM_MTE), not a vCPU register value',
    ('ID_AA64PFR1_EL1', 'MTE_frac'): 'a VM capability (KVM_CAP_ARM_MTE)',
    ('ID_AA64PFR1_EL1', 'MTEX'): 'a VM capability (KVM_CAP_ARM_MTE)',
    ('ID_AA64MMFR0_EL1', 'PARANGE'): "the VM's IPA size, judged on its own",
    ('ID_AA64MMFR0_EL1', 'ASIDBITS'): "the host's TLB; no KVM lets a VMM change it",
    ('ID_AA64MMFR2_EL1', 'CCIDX'): "the host's cache geometry",
    ('ID_AA64PFR0_EL1', 'RME'): 'a property of EL3 and the Realm world, not of a VM',
}
# Hypervisor (EL2/EL3) features: a guest kernel at EL1 does not use them, and KVM shows or hides
# them by whether the VM has nested virtualization.
for _reg, _field in [('ID_AA64MMFR0_EL1', 'FGT'), ('ID_AA64MMFR0_EL1', 'TGRAN4_2'),
                     ('ID_AA64MMFR0_EL1', 'TGRAN16_2'), ('ID_AA64MMFR0_EL1', 'TGRAN64_2'),
                     ('ID_AA64MMFR1_EL1', 'VH'), ('ID_AA64MMFR1_EL1', 'XNX'),
                     ('ID_AA64MMFR1_EL1', 'VMIDBits'), ('ID_AA64MMFR1_EL1', 'HCX'),
                     ('ID_AA64MMFR1_EL1', 'TWED'), ('ID_AA64MMFR2_EL1', 'NV'),
                     ('ID_AA64MMFR2_EL1', 'EVT'), ('ID_AA64MMFR2_EL1', 'FWB'),
                     ('ID_AA64MMFR2_EL1', 'IDS'),
                     ('ID_AA64MMFR3_EL1', 'S2POE'), ('ID_AA64MMFR3_EL1', 'S2PIE'),
                     ('ID_AA64MMFR3_EL1', 'MEC'), ('ID_AA64MMFR4_EL1', 'E2H0'),
                     ('ID_AA64MMFR4_EL1', 'NV_frac'), ('ID_AA64MMFR4_EL1', 'E3DSE'),
                     ('ID_AA64MMFR4_EL1', 'FGWTE3'), ('ID_AA64MMFR4_EL1', 'HACDBS'),
                     ('ID_AA64MMFR4_EL1', 'RMEGDI')]:
    EXCLUDED[(_reg, _field)] = 'a hypervisor (EL2/EL3) feature, used by no EL1 guest'

# Optional in the architecture, assumed by every baseline: the AArch64 Linux ABI (AAPCS64, hard
# float) passes floating-point values in the SIMD&FP registers, so no distribution runs without.
ASSUMED = ['FEAT_FP', 'FEAT_AdvSIMD']

# Where QEMU's definition disagrees with bare-metal reads of the real core, the silicon wins.
# (Cortex-A72's Raspberry Pi 4 lacks the optional Cryptographic Extension: a choice of that SoC,
# not of the core, so the definition with crypto stands.)
SILICON = {
    'neoverse-n1': {('ID_AA64MMFR2_EL1', 'IESB'):
                    (0, 'Ampere Altra (bare metal, arm-cpusysregs) and AWS Graviton2 (KVM) read 0')},
}

CORES = [
    # name, reference file, QEMU function (for the origin line)
    ('cortex-a35', 'cortex-a35', 'aarch64_a35_initfn'),
    ('cortex-a53', 'cortex-a53', 'aarch64_a53_initfn'),
    ('cortex-a55', 'cortex-a55', 'aarch64_a55_initfn'),
    ('cortex-a57', 'cortex-a57', 'aarch64_a57_initfn'),
    ('cortex-a72', 'cortex-a72', 'aarch64_a72_initfn'),
    ('cortex-a76', 'cortex-a76', 'aarch64_a76_initfn'),
    ('cortex-a78ae', 'cortex-a78ae', 'aarch64_a78ae_initfn'),
    ('cortex-a710', 'cortex-a710', 'aarch64_a710_initfn'),
    ('a64fx', 'a64fx', 'aarch64_a64fx_initfn'),
    ('neoverse-n1', 'neoverse-n1', 'aarch64_neoverse_n1_initfn'),
    ('neoverse-n2', 'neoverse-n2', 'aarch64_neoverse_n2_initfn'),
    ('neoverse-v1', 'neoverse-v1', 'aarch64_neoverse_v1_initfn'),
]


NEWEST = 'Linux 7.2'  # the kernel whose cpufeature.c rules decide a field's safe end


def excluded(reg, field):
    return (reg, '*') in EXCLUDED or (reg, field) in EXCLUDED


def feature_fields(regs, feats):
    """(register, field) -> [(min, FEAT, signed)] for every feature field models name."""
    out = {}
    for name, f in feats.items():
        if name == 'FEAT_MTE_ASYNC':  # a compound condition (see gen-idregs.py)
            continue
        if not ('register' in f and 'field' in f and 'min_value' in f):
            continue
        reg, field = f['register'], f['field']
        if reg not in regs or excluded(reg, field):
            continue
        layout = [x for x in regs[reg]['fields'] if x['name'] == field]
        if not layout:
            continue
        out.setdefault((reg, field), []).append((f['min_value'], name, bool(layout[0]['signed'])))
    return out


def field_layout(regs, reg, field):
    return [x for x in regs[reg]['fields'] if x['name'] == field][0]


def value_of(regs, reg, field, raw):
    f = field_layout(regs, reg, field)
    v = (raw >> f['lsb']) & ((1 << f['width']) - 1)
    if f['signed'] and v >> (f['width'] - 1):
        v -= 1 << f['width']
    return v


def field_rows(regs, ffields, values):
    rows = []
    for reg in regs:  # catalog order
        for f in regs[reg]['fields']:
            if (reg, f['name']) in ffields and (reg, f['name']) in values:
                rows.append('    <field register=%s name=%s value="%d"/>' % (
                    quoteattr(reg), quoteattr(f['name']), values[(reg, f['name'])]))
    return rows


def write(path, lines):
    with open(path + '.tmp', 'w') as fp:
        fp.write('\n'.join(lines) + '\n')
    os.replace(path + '.tmp', path)


def core_values(ref, regs, ffields, name):
    cpu = json.load(open(os.path.join(ref, 'cpus', name + '.json')))
    defs = [v for v in cpu['views'] if v['kind'] == 'model-definition']
    notes = []
    if defs:
        view = defs[-1]  # the newest QEMU
        raw = {k: int(v, 16) for k, v in view['registers'].items()}
        origin = view['source'].split(' (')[0]
        midr = raw.get('MIDR_EL1', int(cpu['midr_values'][0], 16))
        # A register QEMU leaves out of a definition reads as zero.
        vals = {(r, f): value_of(regs, r, f, raw.get(r, 0)) for (r, f) in ffields}
        for (reg, field), (v, why) in SILICON.get(name, {}).items():
            notes.append('%s.%s is %d, not QEMU\'s %d: %s' % (reg, field, v, vals[(reg, field)],
                                                              why))
            vals[(reg, field)] = v
        return origin, midr, vals, notes
    kvm = [v for v in cpu['views'] if v['kind'] == 'kvm-get-one-reg' and '6.18' in v['source']][0]
    raw = {k: int(v, 16) for k, v in kvm['registers'].items()}
    vals = {(r, f): value_of(regs, r, f, raw.get(r, 0)) for (r, f) in ffields}
    bounds = [v for v in cpu['views'] if v['kind'] == 'cpuinfo-derived' and 'graviton4' in v['source']]
    raised = []
    for key, b in bounds[0]['info']['field_lower_bounds'].items():
        reg, field = key.split('.')
        lo = int(b.split('>=')[1])
        if (reg, field) in vals and vals[(reg, field)] < lo:
            vals[(reg, field)] = lo
            raised.append(key)
    origin = 'AWS Graviton4 KVM_GET_ONE_REG (Linux 6.18, Firecracker fingerprint) + /proc/cpuinfo hwcaps'
    notes.append('the dump hid SVE and pointer authentication (no optional vCPU feature); raised '
                 'from the hwcaps of Graviton4: ' + ', '.join(sorted(raised)))
    return origin, raw['MIDR_EL1'], vals, notes


def gen_cores(ref, regs, ffields, outdir):
    for name, fname, fn in CORES + [('neoverse-v2', 'neoverse-v2', None)]:
        origin, midr, vals, notes = core_values(ref, regs, ffields, fname)
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<!-- Generated by data/arm64/gen-models.py; do not edit by hand.',
                 '     %s: %s. -->' % (name, escape(origin)),
                 '<arm64-model-family name=%s kind="core" format="1">' % quoteattr(name),
                 '  <version name=%s version="1" midr="0x%08x" origin=%s>' % (
                     quoteattr(name), midr, quoteattr(origin))]
        lines += ['    <note>%s</note>' % escape(n) for n in notes]
        lines += field_rows(regs, ffields, vals)
        lines += ['  </version>', '</arm64-model-family>']
        write(os.path.join(outdir, name + '.xml'), lines)


def gen_baselines(feats_doc, regs, ffields, outdir):
    feats = feats_doc['features']
    versions = feats_doc['architecture_versions']
    for family in ('Armv8', 'Armv9'):
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<!-- Generated by data/arm64/gen-models.py; do not edit by hand.',
                 '     %s.x baselines: the mandatory FEAT_xxx of each version (Arm "Feature names'
                 % family,
                 '     in A-profile architecture", 2025-06, cumulative), FEAT_FP and FEAT_AdvSIMD',
                 '     assumed (AAPCS64). Unnamed feature fields read "not implemented". -->',
                 '<arm64-model-family name=%s kind="architecture" format="1">' % quoteattr(family)]
        for vname, v in versions.items():
            if not vname.startswith(family + '.'):
                continue
            minor = int(vname.split('.')[1])
            mandatory = sorted(set(v['mandatory']) | set(ASSUMED))
            vals, unchecked = {}, []
            for (reg, field), opts in ffields.items():
                signed = opts[0][2]
                # "Not implemented" is the safe end only of a LOWER_SAFE field (SpecSEI, a
                # HIGHER_SAFE one, is safe at 1): other fields without a mandatory feature are
                # left to the host.
                rule = field_layout(regs, reg, field).get('ftr', {}).get(NEWEST, {})
                if rule.get('type') != 'LOWER_SAFE':
                    continue
                # Not implemented: 0 for unsigned fields; for signed ones the value just below
                # the lowest feature (TGran4 0 is "4KB supported" and -1 "not supported").
                vals[(reg, field)] = min(m for m, _, _ in opts) - 1 if signed else 0
            for feat in mandatory:
                f = feats.get(feat, {})
                key = (f.get('register'), f.get('field'))
                if key in ffields:
                    vals[key] = max(vals.get(key, f['min_value']), f['min_value'])
                elif 'register' in f and excluded(*key):
                    unchecked.append('%s (%s.%s: %s)' % (feat, key[0], key[1],
                                                         EXCLUDED.get(key) or
                                                         EXCLUDED[(key[0], '*')]))
                else:
                    unchecked.append('%s (no single ID register field)' % feat)
            lines.append('  <version name=%s version="%d" origin=%s>' % (
                quoteattr(vname), minor,
                quoteattr('Arm feature table 2025-06, mandatory features of %s' % vname)))
            lines.append('    <requires>%s</requires>' % ' '.join(mandatory))
            if unchecked:
                lines.append('    <note>not checked: %s</note>' % escape('; '.join(unchecked)))
            for u in v.get('uncertain', []):
                lines.append('    <note>uncertain: %s</note>' % escape(u))
            lines += field_rows(regs, ffields, vals)
            lines.append('  </version>')
        lines.append('</arm64-model-family>')
        write(os.path.join(outdir, family + '.xml'), lines)


def main():
    ref, outdir = sys.argv[1], sys.argv[2]
    regs = json.load(open(os.path.join(ref, 'idregs.json')))['registers']
    feats_doc = json.load(open(os.path.join(ref, 'feats.json')))
    ffields = feature_fields(regs, feats_doc['features'])
    os.makedirs(outdir, exist_ok=True)
    gen_cores(ref, regs, ffields, outdir)
    gen_baselines(feats_doc, regs, ffields, outdir)


if __name__ == '__main__':
    main()
