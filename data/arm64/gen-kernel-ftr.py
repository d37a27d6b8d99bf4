#!/usr/bin/env python3
"""Write data/arm64/kernel-ftr.xml: each kernel's safe-value rules, read from its own source.

Usage: gen-kernel-ftr.py data/arm64/idregs.xml TREE... > data/arm64/kernel-ftr.xml

A TREE is an unpacked kernel source holding at least Makefile, arch/arm64/kernel/cpufeature.c,
arch/arm64/tools/sysreg and arch/arm64/include/asm/sysreg.h. Each release read must be in
SOURCES, which says where its tree comes from (written as the kernel's source attribute):

  Debian's linux-source-X.Y packages, the tarball inside unpacked (6.1, 6.12, 7.2, 7.3);
  6.6 and 6.18, which Debian does not carry: a stable tree's files at the commit named, e.g.
    git -C REPO archive COMMIT Makefile arch/arm64 | tar -x -C linux-source-6.6
  (the trees' arch/arm64 is the kernel.org stable release's, imported unchanged: for 6.6 the
  repository's "up to 6.6.N" commits are the stable releases; for 6.18 its first commit
  imports 6.18.35 and no later commit touches arch/arm64/kernel, kvm, tools or asm/sysreg.h).
From cpufeature.c it reads the ftr_*[] tables (ARM64_FTR_BITS / S_ARM64_FTR_BITS entries) and
arm64_ftr_regs[], which says which table rules which register; shift, width and safe-value
constants are resolved with the tree's own tools/sysreg (the names gen-sysreg.awk makes of it)
and asm/sysreg.h. Fields are named as idregs.xml names the bits (Linux 7.2's layout), so rules
of trees that spell a field differently line up. Each rule carries the line it comes from.
Registers idregs.xml does not know are left out; rules on bits it names no field for are
written as <bits>. Only the facts are written, no source text.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

CPUFEATURE = 'arch/arm64/kernel/cpufeature.c'

# Where each release's tree comes from. A set read from one stable release stands for its whole
# series: 6.6.80 predates 6.6.y's backport of "cpufeatures/kvm: Add ARMv8.9 FEAT_ECBHB bits in
# ID_AA64MMFR1" (6.1.y took it in 6.1.149), so ECBHB has no 6.6 rule and must be equal there, as
# 6.6's KVM, which keeps ID_AA64MMFR1_EL1 read-only, demands anyway; and 6.6.y may since have
# taken "Make PMUVer and PerfMon unsigned" (6.12.91, 6.18.y after 6.18.13), which changes no
# verdict: the catalog takes a field's sign from idregs.xml, not per kernel.
SOURCES = {
    '6.1.192': 'Debian linux-source-6.1 6.1.192-3 (bookworm-security)',
    '6.6.80': 'github.com/xzxHomeAssistant/linux-6.6.y 8618cc741d2b58efd93f26975c24034056332713',
    '6.12.118': 'Debian linux-source-6.12 6.12.118-1~deb12u1 (bookworm-security)',
    '6.18.35': 'github.com/leftymods/linux-6.18.y 40a9e9f43d449b2211807f1ed30bd485aaff228e',
    '7.2.13': 'Debian linux-source-7.2 7.2.13-1 (sid)',
    '7.3.4': 'Debian linux-source-7.3 7.3.4-1~bpo13+1 (trixie-backports)',
}


def source_of(tree):
    rel = release(tree)
    if rel not in SOURCES:
        sys.exit('%s: release %s has no entry in SOURCES (where its tree comes from)' % (
            tree, rel))
    return SOURCES[rel]


def release(tree):
    mk = open(os.path.join(tree, 'Makefile')).read()
    v = [re.search(r'^%s = (\d+)' % k, mk, re.M).group(1)
         for k in ('VERSION', 'PATCHLEVEL', 'SUBLEVEL')]
    return '.'.join(v)


def sysreg_constants(tree):
    """NAME -> int for what gen-sysreg.awk defines (REG_FIELD_SHIFT/_WIDTH, enum values) and
    the plain numeric #defines of asm/sysreg.h."""
    consts, fieldsets, cur = {}, {}, None
    lines = open(os.path.join(tree, 'arch/arm64/tools/sysreg')).read().splitlines()

    def field(prefix, hi, lo, name):
        consts['%s_%s_SHIFT' % (prefix, name)] = lo
        consts['%s_%s_WIDTH' % (prefix, name)] = hi - lo + 1
        return '%s_%s' % (prefix, name)

    enum = None
    for raw in lines:
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        w = line.split()
        if w[0] in ('Sysreg', 'SysregFields'):
            cur = w[1]
            fieldsets.setdefault(cur, [])
            enum = None
        elif w[0] in ('Field', 'UnsignedEnum', 'SignedEnum', 'Enum') and cur:
            hi, lo = (int(x) for x in w[1].split(':')) if ':' in w[1] else (int(w[1]),) * 2
            fieldsets[cur].append((hi, lo, w[2]))
            prefix = field(cur, hi, lo, w[2])
            enum = prefix if w[0] != 'Field' else None
        elif w[0] == 'Fields' and cur:
            for hi, lo, name in fieldsets.get(w[1], []):
                field(cur, hi, lo, name)
        elif w[0] == 'EndEnum':
            enum = None
        elif w[0] in ('EndSysreg', 'EndSysregFields'):
            cur = enum = None
        elif enum and re.fullmatch(r'0b[01]+', w[0]) and len(w) > 1:
            consts['%s_%s' % (enum, w[1])] = int(w[0][2:], 2)
    hdr = open(os.path.join(tree, 'arch/arm64/include/asm/sysreg.h')).read()
    for m in re.finditer(r'^#define\s+(\w+)\s+\(?(0x[0-9a-fA-F]+|\d+)U?L*\)?\s*$', hdr, re.M):
        consts.setdefault(m.group(1), int(m.group(2), 0))
    return consts


def value(tok, consts):
    tok = tok.strip()
    if re.fullmatch(r'0x[0-9a-fA-F]+|\d+', tok):
        return int(tok, 0)
    if tok in consts:
        return consts[tok]
    raise KeyError(tok)


def macro_args(text, start):
    """The comma-split arguments of the call whose '(' ends at start, and the index after it."""
    depth, j, args, cur = 1, start, [], ''
    while depth:
        c = text[j]
        j += 1
        if c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                break
        if c == ',' and depth == 1:
            args.append(cur)
            cur = ''
        else:
            cur += c
    args.append(cur)
    return [re.sub(r'\s+', ' ', a).strip() for a in args], j


def read_tree(tree, layout):
    consts = sysreg_constants(tree)
    text = open(os.path.join(tree, CPUFEATURE)).read()
    line_of = lambda pos: text.count('\n', 0, pos) + 1
    tables = {}
    for m in re.finditer(r'static const struct arm64_ftr_bits (\w+)\[\] = \{', text):
        end = text.index('ARM64_FTR_END', m.end())
        entries = []
        for e in re.finditer(r'\b(S_)?ARM64_FTR_BITS\(', text[m.end():end]):
            pos = m.end() + e.end()
            args, _ = macro_args(text, pos)
            vis, strict, typ, shift, width, safe = args
            entries.append({'signed': bool(e.group(1)), 'visible': vis != 'FTR_HIDDEN',
                            'strict': strict == 'FTR_STRICT', 'type': typ[len('FTR_'):],
                            'shift': shift, 'width': width, 'safe': safe,
                            'line': line_of(m.end() + e.start())})
        tables[m.group(1)] = entries
    regs = {}
    start = text.index('arm64_ftr_regs[] = {')
    for m in re.finditer(r'ARM64_FTR_REG(?:_OVERRIDE)?\(SYS_(\w+),\s*(\w+)', text[start:]):
        regs.setdefault(m.group(1), (m.group(2), line_of(start + m.start())))
    # A register whose arm64_ftr_reg is defined apart (CTR_EL0: arm64_ftr_reg_ctrel0).
    for m in re.finditer(r'struct arm64_ftr_reg (\w+) = \{\s*\.name\s*=\s*"SYS_(\w+)",'
                         r'\s*\.ftr_bits\s*=\s*(\w+)', text):
        e = re.search(r'\{\s*SYS_%s,\s*&%s\s*\}' % (m.group(2), m.group(1)), text[start:])
        if e:
            regs.setdefault(m.group(2), (m.group(3), line_of(start + e.start())))
    out = {}
    for reg, (table, reg_line) in regs.items():
        if reg not in layout or table not in tables:
            continue
        fields = []
        for e in tables[table]:
            lsb, width = value(e['shift'], consts), value(e['width'], consts)
            # None: bits idregs.xml names no field for (a whole-register rule, RES0 in Linux
            # 7.2's layout); written as <bits>, so that no rule is lost.
            name = layout[reg].get((lsb, width))
            fields.append(dict(e, name=name, lsb=lsb, width=width,
                               safe_value=value(e['safe'], consts)))
        out[reg] = (table, reg_line, fields)
    return out


def main():
    layout = {}
    for r in ET.parse(sys.argv[1]).getroot().iter('register'):
        layout[r.get('name')] = {(int(f.get('lsb')), int(f.get('width'))): f.get('name')
                                 for f in r.iter('field')}
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- Generated by data/arm64/gen-kernel-ftr.py; do not edit by hand. The safe-value',
           '     rules of each kernel, read from its own %s: the ftr_*[] table' % CPUFEATURE,
           '     arm64_ftr_regs[] gives a register (table, line), and each ARM64_FTR_BITS entry',
           '     (line). release: from the tree\'s Makefile; source: where the tree comes from.',
           '     type: the rule (LOWER_SAFE, HIGHER_SAFE, HIGHER_OR_ZERO_SAFE, EXACT); safe: the',
           '     value the kernel falls back to; strict: a mismatch between CPUs taints the',
           '     kernel; visible: shown to user space. -->',
           '<arm64-kernel-ftr format="1">']
    trees = sorted(sys.argv[2:], key=lambda t: [int(x) for x in release(t).split('.')])
    for tree in trees:
        out.append('  <kernel release="%s" file="%s" source=%s>' % (
            release(tree), CPUFEATURE, quoteattr(source_of(tree))))
        for reg, (table, line, fields) in sorted(read_tree(tree, layout).items()):
            out.append('    <register name=%s table=%s line="%d">' % (
                quoteattr(reg), quoteattr(table), line))
            for f in sorted(fields, key=lambda f: -f['lsb']):
                out.append('      <%s lsb="%d" width="%d" type="%s" safe="%d"%s%s%s '
                           'line="%d"/>' % (
                               'field name=%s' % quoteattr(f['name']) if f['name'] else 'bits',
                               f['lsb'], f['width'], f['type'],
                               f['safe_value'], ' signed="yes"' if f['signed'] else '',
                               ' strict="yes"' if f['strict'] else '',
                               ' visible="yes"' if f['visible'] else '', f['line']))
            out.append('    </register>')
        out.append('  </kernel>')
    out.append('</arm64-kernel-ftr>')
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
