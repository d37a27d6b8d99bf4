#!/usr/bin/env python3
"""Write data/arm64/kvm-writable.xml: which ID register bits each kernel's KVM lets a VMM change.

Usage: gen-kvm-writable.py data/arm64/idregs.xml TREE... > data/arm64/kvm-writable.xml

A TREE is an unpacked kernel source as gen-kernel-ftr.py reads them (its SOURCES; Makefile,
arch/arm64/kvm/sys_regs.c, arch/arm64/tools/sysreg, arch/arm64/include/asm/sysreg.h). From the
sys_reg_descs[] table of sys_regs.c it reads, for every register idregs.xml knows, the
descriptor that serves it and the writable mask arm64_check_features() receives (its .val):
ID_SANITISED / AA32_ID_SANITISED / ID_HIDDEN / ID_UNALLOCATED (0), ID_WRITABLE / ID_FILTERED /
IMPLEMENTATION_ID (their mask argument), AA32_ID_WRITABLE (the macro's own .val), an open-coded
descriptor (its .val, else 0), invariant_sys_regs[] (0). set_clidr() takes any CLIDR_EL1 value
without RES0 bits, whether or not the descriptor says so (6.6 has no .val), so CLIDR_EL1 served
by it is ~RES0. A register no descriptor serves is written absent. Mask expressions are evaluated
with the tree's own tools/sysreg names (REG_FIELD, REG_FIELD_MASK, REG_RES0) and GENMASK.
Only the facts are written, with each descriptor's line.
"""
import importlib.util
import os
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

SYS_REGS = 'arch/arm64/kvm/sys_regs.c'
# What each construct means for a VMM's write (the macros of sys_regs.c, Linux 6.1 .. 7.3).
HOW = {
    'ID_SANITISED': 'ID_SANITISED: sanitised host value, read-only (a write must equal it)',
    'AA32_ID_SANITISED': 'AA32_ID_SANITISED: sanitised host value, read-only (a write must '
                         'equal it)',
    'ID_HIDDEN': 'ID_HIDDEN (reads as zero for the guest)',
    'ID_UNALLOCATED': 'ID_UNALLOCATED in this kernel: reads as zero, read-only',
    'ID_WRITABLE': 'ID_WRITABLE',
    'ID_FILTERED': 'ID_FILTERED (set_%s adds checks)',
    'AA32_ID_WRITABLE': 'AA32_ID_WRITABLE (only when the VM is AArch32-capable)',
    'IMPLEMENTATION_ID': 'IMPLEMENTATION_ID (needs KVM_CAP_ARM_WRITABLE_IMP_ID_REGS, before '
                         'the first KVM_RUN)',
    'invariant': "invariant_sys_regs: the host CPU's value; set_invariant_sys_reg() refuses "
                 "any other",
    'absent': 'not a KVM_GET_ONE_REG register in this kernel',
}
U64 = (1 << 64) - 1


# The trees and their provenance are gen-kernel-ftr.py's (its SOURCES).
_spec = importlib.util.spec_from_file_location(
    'gen_kernel_ftr', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'gen-kernel-ftr.py'))
kernel_ftr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kernel_ftr)
release, source_of = kernel_ftr.release, kernel_ftr.source_of


def genmask(hi, lo):
    return ((1 << (hi + 1)) - 1) & ~((1 << lo) - 1)


def sysreg_masks(tree):
    """NAME -> mask for the names gen-sysreg.awk makes (REG_FIELD, REG_FIELD_MASK, REG_RES0)
    and the numeric #defines of asm/sysreg.h."""
    names, sets, cur, res0 = {}, {}, None, {}

    def field(reg, hi, lo, name):
        names['%s_%s' % (reg, name)] = names['%s_%s_MASK' % (reg, name)] = genmask(hi, lo)

    for raw in open(os.path.join(tree, 'arch/arm64/tools/sysreg')).read().splitlines():
        w = raw.split('#', 1)[0].split()
        if not w:
            continue
        if w[0] in ('Sysreg', 'SysregFields'):
            cur = w[1]
            sets.setdefault(cur, [])
            res0.setdefault(cur, 0)
        elif w[0] in ('EndSysreg', 'EndSysregFields'):
            names['%s_RES0' % cur] = res0.get(cur, 0)
            cur = None
        elif cur and w[0] in ('Field', 'UnsignedEnum', 'SignedEnum', 'Enum', 'Res0'):
            hi, lo = (int(x) for x in w[1].split(':')) if ':' in w[1] else (int(w[1]),) * 2
            if w[0] == 'Res0':
                res0[cur] |= genmask(hi, lo)
            else:
                sets[cur].append((hi, lo, w[2]))
                field(cur, hi, lo, w[2])
        elif cur and w[0] == 'Fields':
            for hi, lo, name in sets.get(w[1], []):
                field(cur, hi, lo, name)
            res0[cur] |= res0.get(w[1], 0)
    hdr = open(os.path.join(tree, 'arch/arm64/include/asm/sysreg.h')).read()
    for m in re.finditer(r'^#define\s+(\w+)\s+\(?(0x[0-9a-fA-F]+|\d+)U?L*\)?\s*$', hdr, re.M):
        names.setdefault(m.group(1), int(m.group(2), 0))
    return names


def evaluate(expr, names):
    """A mask expression of sys_regs.c: names, GENMASK[_ULL](h, l), ~, |, &, parentheses."""
    expr = re.sub(r'GENMASK(?:_ULL)?\(\s*(\d+)\s*,\s*(\d+)\s*\)',
                  lambda m: str(genmask(int(m.group(1)), int(m.group(2)))), expr)

    def name(m):
        t = m.group(0)
        if re.fullmatch(r'0x[0-9a-fA-F]+|\d+', t):
            return t
        if t not in names:
            raise KeyError('%s: unknown name in mask' % t)
        return str(names[t])
    py = re.sub(r'\b(?:0x[0-9a-fA-F]+|\w+)\b', name, expr)
    if not re.fullmatch(r'[0-9x~|&()\s]+', py):
        raise ValueError('cannot evaluate %r' % expr)
    return eval(py) & U64  # noqa: S307 - digits and operators only, checked above


def args_at(text, pos):
    """Comma-split arguments of the call whose '(' is at pos; and the index after ')'."""
    return kernel_ftr.macro_args(text, pos + 1)


def desc_val(body):
    """The expression of a descriptor's .val, or None."""
    val = re.search(r'\.val\s*=', body)
    if not val:
        return None
    args, _ = args_at('(' + body[val.end():] + ')', 0)
    return args[0].rstrip(', ')


def setter_mask(text, setter, names):
    """What an open-coded setter without .val lets differ: set_clidr() any value without RES0
    bits; a setter that clears the fields it allows before comparing with the register
    (6.1's set_id_aa64pfr0_el1(): val &= ~(ARM64_FEATURE_MASK(CSV2) | ...)) those fields."""
    if setter == 'set_clidr':
        return ~names.get('CLIDR_EL1_RES0', genmask(63, 47)) & U64
    body = re.search(r'^static int %s\(.*?^\}' % setter, text, re.M | re.S)
    if not body:
        return 0
    m = re.search(r'val &= ~\(((?:\s*\|?\s*ARM64_FEATURE_MASK\(\w+\))+)\s*\);', body.group(0))
    if not m:
        return 0
    return evaluate(' | '.join(re.findall(r'ARM64_FEATURE_MASK\((\w+)\)', m.group(1))), names)


def checks_features(text, setter):
    """Whether a setter hands the value to arm64_check_features() (through set_id_reg())."""
    body = re.search(r'^static int %s\(.*?^\}' % setter, text, re.M | re.S)
    return bool(body and re.search(r'\b(set_id_reg|arm64_check_features)\(', body.group(0)))


def read_tree(tree, layout):
    names = sysreg_masks(tree)
    text = open(os.path.join(tree, SYS_REGS)).read()
    line_of = lambda pos: text.count('\n', 0, pos) + 1
    macros = {}
    for m in re.finditer(r'^#define (AA32_ID_WRITABLE)\(name\)\s*\{(.*?)^\}', text, re.M | re.S):
        macros[m.group(1)] = desc_val(m.group(2).replace('\\\n', '\n')) or '0'
    start = text.index('static const struct sys_reg_desc sys_reg_descs[] = {')
    end = text.index('\n};', start)
    table = text[start:end]
    enc = {name: (r['crm'], r['op2']) for name, r in layout.items()
           if (r['op0'], r['op1'], r['crn']) == (3, 0, 0)}
    out = {}
    for m in re.finditer(r'\b(ID_SANITISED|AA32_ID_SANITISED|ID_HIDDEN|ID_WRITABLE|ID_FILTERED|'
                         r'AA32_ID_WRITABLE|IMPLEMENTATION_ID|ID_UNALLOCATED)\(', table):
        args, _ = args_at(table, m.end() - 1)
        kind, line = m.group(1), line_of(start + m.start())
        if kind == 'ID_UNALLOCATED':
            crm, op2 = int(args[0]), int(args[1])
            for reg, e in enc.items():
                if e == (crm, op2):
                    out[reg] = (0, HOW[kind], line, True)
            continue
        reg = args[0]
        if reg not in layout:
            continue
        if kind in ('ID_WRITABLE', 'IMPLEMENTATION_ID'):
            mask = evaluate(args[1], names)
        elif kind == 'ID_FILTERED':
            mask = evaluate(args[2], names)
        elif kind == 'AA32_ID_WRITABLE':
            mask = evaluate(macros[kind], names)
        else:
            mask = 0
        how = HOW[kind] % args[1] if kind == 'ID_FILTERED' else HOW[kind]
        out[reg] = (mask, how, line, kind != 'IMPLEMENTATION_ID')
    # Open-coded descriptors: { SYS_DESC(SYS_REG), ... } up to the brace that closes them.
    for m in re.finditer(r'\{\s*SYS_DESC\(SYS_(\w+)\)', table):
        reg = m.group(1)
        if reg not in layout or reg in out:
            continue
        body = table[m.start():table.index('}', m.end())]
        setter = re.search(r'\.set_user\s*=\s*(\w+)', body)
        if not setter:
            continue
        val = desc_val(body)
        mask = evaluate(val, names) if val else 0
        if not val:
            mask = setter_mask(text, setter.group(1), names)
        out[reg] = (mask, 'open-coded, .set_user = %s' % setter.group(1),
                    line_of(start + m.start()), checks_features(text, setter.group(1)))
    inv = re.search(r'invariant_sys_regs\[\][^{]*\{(.*?)\n\};', text, re.S)
    if inv:
        for m in re.finditer(r'SYS_DESC\(SYS_(\w+)\)', inv.group(1)):
            if m.group(1) in layout:
                out[m.group(1)] = (0, HOW['invariant'], line_of(inv.start(1) + m.start()), False)
    return out


def main():
    layout = {}
    for r in ET.parse(sys.argv[1]).getroot().iter('register'):
        if r.get('op0') is not None and r.get('firmware') != 'yes' and r.get('name') != 'PMCR_EL0':
            layout[r.get('name')] = {k: int(r.get(k)) for k in ('op0', 'op1', 'crn', 'crm', 'op2')}
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- Generated by data/arm64/gen-kvm-writable.py; do not edit by hand. For each',
           '     kernel, the writable mask %s gives each ID register\'s descriptor' % SYS_REGS,
           '     (what a VMM may change), how the descriptor is built, and its line.',
           '     checked="ftr": the write goes through arm64_check_features(), which lets a',
           '     field differ only where cpufeature.c also has a rule for it. absent: no',
           '     descriptor, not a KVM_GET_ONE_REG register. -->',
           '<arm64-kvm-writable format="1">']
    trees = sorted(sys.argv[2:], key=lambda t: [int(x) for x in release(t).split('.')])
    for tree in trees:
        regs = read_tree(tree, layout)
        out.append('  <kernel release="%s" file="%s" source=%s>' % (
            release(tree), SYS_REGS, quoteattr(source_of(tree))))
        for reg in layout:
            if reg not in regs:
                out.append('    <register name=%s absent="yes" how=%s/>' % (
                    quoteattr(reg), quoteattr(HOW['absent'])))
                continue
            mask, how, line, checked = regs[reg]
            out.append('    <register name=%s writable="0x%016x"%s how=%s line="%d"/>' % (
                quoteattr(reg), mask, ' checked="ftr"' if checked else '', quoteattr(how), line))
        out.append('  </kernel>')
    out.append('</arm64-kvm-writable>')
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
