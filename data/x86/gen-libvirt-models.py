#!/usr/bin/env python3
"""Regenerate data/x86/libvirt-cpu-map.xml from libvirt's src/cpu_map of one or more releases.

Usage: gen-libvirt-models.py VERSION=CPU_MAP_DIR... > data/x86/libvirt-cpu-map.xml
e.g.   gen-libvirt-models.py 9.0.0=libvirt-9.0.0/src/cpu_map 11.3.0=libvirt-11.3.0/src/cpu_map

Reads index.xml, x86_vendors.xml, x86_features.xml and every x86 model file the index includes
(libvirt 9.0.0 from Debian 12's `apt-get source libvirt`, 11.3.0 from bookworm-backports' upstream
tarball). Nothing is resolved here: a model keeps its parent (`<model name='Y'/>` inside
`<model name='X'>`), and only its own features, as libvirt writes them; the C loader resolves
inheritance the way libvirt's cpu_x86.c does. A fact that is the same in several releases is
written once with all of them in its `libvirt` attribute; where releases differ, each variant is
written with the releases that have it. The output depends only on the inputs (sorted, no
dates), so running the script again reproduces the committed file byte for byte.
"""
import os
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

REGS = ('eax', 'ebx', 'ecx', 'edx')


def vkey(v):
    return tuple(int(x) for x in v.split('.'))


def parse_features(path):
    out = {}
    order = []
    for f in ET.parse(path).getroot().findall('feature'):
        name = f.get('name')
        cpuid = f.find('cpuid')
        msr = f.find('msr')
        loc = []
        if cpuid is not None:
            leaf = int(cpuid.get('eax_in'), 16)
            sub = cpuid.get('ecx_in')
            for reg in REGS:
                v = cpuid.get(reg)
                if v is None:
                    continue
                v = int(v, 16)
                for b in range(32):
                    if v >> b & 1:
                        loc.append(('cpuid', leaf, None if sub is None else int(sub, 16), reg, b))
        elif msr is not None:
            idx = int(msr.get('index'), 16)
            v = int(msr.get('edx'), 16) << 32 | int(msr.get('eax'), 16)
            for b in range(64):
                if v >> b & 1:
                    loc.append(('msr', idx, b))
        if len(loc) != 1:
            sys.exit('%s: feature %s has %d bits, expected one' % (path, name, len(loc)))
        aliases = tuple(sorted((a.get('source') or '', a.get('name'))
                               for a in f.findall('alias')))
        out[name] = (loc[0], f.get('migratable') == 'no', aliases)
        order.append(name)
    return out, order


def parse_model(path):
    root = ET.parse(path).getroot()
    (m,) = root.findall('model')
    parent = m.find('model')
    vendor = m.find('vendor')
    decode = m.find('decode')
    check = m.find('check')
    sigs = tuple((s.get('family'), s.get('model'), s.get('stepping') or '')
                 for s in m.findall('signature'))
    feats = tuple(sorted((f.get('name'), f.get('added') == 'yes', f.get('removed') == 'yes')
                         for f in m.findall('feature')))
    return m.get('name'), (
        parent.get('name') if parent is not None else '',
        vendor.get('name') if vendor is not None else '',
        sigs,
        decode.get('host') if decode is not None else '',
        decode.get('guest') if decode is not None else '',
        check.get('partial') if check is not None else '',
        feats)


def read_release(cpu_map):
    index = ET.parse(os.path.join(cpu_map, 'index.xml')).getroot()
    (arch,) = [a for a in index.findall('arch') if a.get('name') == 'x86']
    vendors = {}
    features, forder = {}, []
    models, order = {}, []
    for node in arch.iter():
        if node.tag != 'include':
            continue
        fn = node.get('filename')
        path = os.path.join(cpu_map, fn)
        if fn == 'x86_vendors.xml':
            for v in ET.parse(path).getroot().findall('vendor'):
                vendors[v.get('name')] = v.get('string')
        elif fn == 'x86_features.xml':
            features, forder = parse_features(path)
        else:
            name, defn = parse_model(path)
            models[name] = defn
            order.append(name)
    return vendors, features, forder, models, order


def merged_order(orders):
    """Every name once: the newest release's order, older-only names after their predecessor."""
    out = list(orders[-1])
    for o in reversed(orders[:-1]):
        for i, n in enumerate(o):
            if n not in out:
                prev = o[i - 1] if i else None
                out.insert(out.index(prev) + 1 if prev in out else 0, n)
    return out


def variants(name, per_release):
    """[(value, [releases])] in the order the releases first have each value."""
    out = []
    for rel, table in per_release:
        if name not in table:
            continue
        for v, rels in out:
            if v == table[name]:
                rels.append(rel)
                break
        else:
            out.append((table[name], [rel]))
    return out


def loc_attrs(loc):
    if loc[0] == 'cpuid':
        a = ' leaf="0x%08x"' % loc[1]
        if loc[2] is not None:
            a += ' subleaf="%d"' % loc[2]
        return a + ' reg="%s" bit="%d"' % (loc[3], loc[4])
    return ' msr="0x%x" bit="%d"' % (loc[1], loc[2])


def main():
    if len(sys.argv) < 2 or any('=' not in a for a in sys.argv[1:]):
        sys.exit(__doc__)
    rels = sorted((a.split('=', 1) for a in sys.argv[1:]), key=lambda r: vkey(r[0]))
    data = [(v, read_release(d)) for v, d in rels]
    names = [v for v, _ in data]
    out = []
    w = out.append
    w('<?xml version="1.0" encoding="UTF-8"?>')
    w('<!-- Generated by data/x86/gen-libvirt-models.py; do not edit by hand.')
    w('     Facts from libvirt %s src/cpu_map (index.xml, x86_vendors.xml,' % ', '.join(names))
    w('     x86_features.xml, x86_*.xml): libvirt\'s own x86 CPU models and feature names.')
    w('     Each element lists in "libvirt" the releases that define it exactly so. -->')
    w('<libvirt-cpu-map format="1" arch="x86" releases=%s>' % quoteattr(' '.join(names)))

    vtables = [(v, d[0]) for v, d in data]
    for vname in merged_order([sorted(d[0]) for _, d in data]):
        for string, rs in variants(vname, vtables):
            w('  <vendor name=%s string=%s libvirt="%s"/>' % (
                quoteattr(vname), quoteattr(string), ' '.join(rs)))

    ftables = [(v, d[1]) for v, d in data]
    for fname in merged_order([d[2] for _, d in data]):
        for (loc, unmig, aliases), rs in variants(fname, ftables):
            attrs = ' name=%s%s' % (quoteattr(fname), loc_attrs(loc))
            if unmig:
                attrs += ' migratable="no"'
            attrs += ' libvirt="%s"' % ' '.join(rs)
            if not aliases:
                w('  <feature%s/>' % attrs)
                continue
            w('  <feature%s>' % attrs)
            for src, alias in aliases:
                w('    <alias name=%s%s/>' % (
                    quoteattr(alias), ' source=%s' % quoteattr(src) if src else ''))
            w('  </feature>')

    mtables = [(v, d[3]) for v, d in data]
    for mname in merged_order([d[4] for _, d in data]):
        for (parent, vendor, sigs, dhost, dguest, check, feats), rs in variants(mname, mtables):
            attrs = ' name=%s' % quoteattr(mname)
            if parent:
                attrs += ' parent=%s' % quoteattr(parent)
            if vendor:
                attrs += ' vendor=%s' % quoteattr(vendor)
            if dhost:
                attrs += ' decode-host=%s' % quoteattr(dhost)
            if dguest:
                attrs += ' decode-guest=%s' % quoteattr(dguest)
            if check:
                attrs += ' check-partial=%s' % quoteattr(check)
            attrs += ' libvirt="%s"' % ' '.join(rs)
            w('  <model%s>' % attrs)
            for fam, mod, step in sigs:
                w('    <signature family="%s" model="%s"%s/>' % (
                    fam, mod, ' stepping="%s"' % step if step else ''))
            for tag, sel in (('features', lambda f: not f[1] and not f[2]),
                             ('added', lambda f: f[1]), ('removed', lambda f: f[2])):
                sel_names = [f[0] for f in feats if sel(f)]
                if sel_names:
                    w('    <%s>%s</%s>' % (tag, ' '.join(sel_names), tag))
            w('  </model>')
    w('</libvirt-cpu-map>')
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
