#!/usr/bin/env python3
"""Regenerate data/x86/qemu-releases.xml: the first QEMU release that defines each x86 model
version and each feature of data/x86/models/ and data/x86/features.xml.

Usage: gen-qemu-releases.py [--check] LIBVIRT_9_0_SRC LIBVIRT_11_3_SRC QEMU_7_2_SRC QEMU_10_0_SRC
                            DATA_X86_DIR > data/x86/qemu-releases.xml

The sources are Debian's: `apt-get source libvirt` (9.0.0, bookworm) and the upstream tarballs
of libvirt 11.3.0 and qemu 10.0.2 (bookworm-backports), qemu 7.2 (bookworm).

Facts, for every QEMU release from 4.2 to 10.0: libvirt's tests/qemucapabilitiesdata/
caps_X.Y.0_x86_64.xml (caps_X.Y.0.x86_64.xml in libvirt 9.0) lists the CPU models QEMU
defines (<cpu type='kvm' name=...>) and, in QEMU's full expansion of the host CPU under KVM
(<hostCPU type='kvm'>), every feature property the release has. Where both libvirt releases
hold a caps file of one QEMU release, 11.3's is used (9.0's caps_8.0.0 is of a development
snapshot). As a check, the model versions and feature names of QEMU 7.2's and 10.0's own
target/i386/cpu.c (builtin_x86_defs[], feature_word_info[].feat_names) must be exactly the
caps file's of that release. A model or feature of data/x86 that no release up to 10.0 has was
read from QEMU 10.2's source (see data/x86/gen-models.py): it gets release 10.2, the first one
known to define it (10.1 may already have it; judging by 10.2 never offers what 10.1 lacks).
Something in 4.2 may be older: 4.2 is the oldest release known, and cpucompat refuses to judge
by an older one.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

NEWEST_FROM_SOURCE = (10, 2)


def vkey(s):
    return tuple(int(x) for x in s.split('.'))


def vstr(k):
    return '.'.join(str(x) for x in (k if len(k) == 3 and k[2] else k[:2]))


def caps_files(libvirt90, libvirt113):
    """{(major, minor): (label, path)}; libvirt 11.3's file wins over 9.0's."""
    found = {}
    for label, top in (('libvirt 9.0.0', libvirt90), ('libvirt 11.3.0', libvirt113)):
        for path in glob.glob(os.path.join(top, 'tests/qemucapabilitiesdata/caps_*x86_64.xml')):
            m = re.fullmatch(r'caps_(\d+)\.(\d+)\.0[._]x86_64\.xml', os.path.basename(path))
            if m:
                found[(int(m.group(1)), int(m.group(2)))] = (
                    label, os.path.relpath(path, top))
                found[(int(m.group(1)), int(m.group(2)))] += (path,)
    return found


def read_caps(path, release):
    root = ET.parse(path).getroot()
    version = int(root.findtext('version'))
    if (version // 1000000, version // 1000 % 1000) != release:
        sys.exit('%s: <version> %d is not QEMU %s' % (path, version, vstr(release)))
    models = {c.get('name') for c in root.findall("cpu[@type='kvm']")}
    models -= {'host', 'max', 'base'}
    host = root.find("hostCPU[@type='kvm']")
    if host is None:
        sys.exit('%s: no host CPU expansion under KVM' % path)
    props = {p.get('name') for p in host.findall('property')}
    return models, props


def cpu_c(path):
    """Model versions and feature names of a QEMU target/i386/cpu.c."""
    text = open(path, encoding='utf-8').read()
    defs = re.search(r'builtin_x86_defs\[\] = \{(.*?)\n\};', text, re.S).group(1)
    versions = set()
    for block in re.split(r'\n    \{\n', defs)[1:]:
        name = re.search(r'\.name = "([^"]+)"', block).group(1)
        nums = {int(n) for n in re.findall(r'\.version = (\d+)', block)} | {1}
        versions |= {'%s-v%d' % (name, n) for n in nums}
    feats = set()
    for body in re.findall(r'\.feat_names = \{(.*?)\}', text, re.S):
        feats |= set(re.findall(r'"([^"]+)"', re.sub(r'/\*.*?\*/', '', body, flags=re.S)))
    return versions, feats


def data_names(data_x86):
    models = {}
    for path in sorted(glob.glob(os.path.join(data_x86, 'models', '*.xml'))):
        for v in ET.parse(path).getroot().findall('version'):
            models[v.get('name')] = v.get('qemu')
    feats = {}
    for f in ET.parse(os.path.join(data_x86, 'features.xml')).getroot().iter('feature'):
        feats[f.get('name')] = f.get('since')
    return models, feats


def main():
    args = sys.argv[1:]
    if len(args) != 5:
        sys.exit(__doc__)
    libvirt90, libvirt113, qemu72, qemu100, data_x86 = args
    caps = caps_files(libvirt90, libvirt113)
    releases = sorted(caps)
    if releases[0] != (4, 2) or releases[-1] != (10, 0):
        sys.exit('expected caps files of QEMU 4.2 to 10.0, found %s' % [vstr(r) for r in releases])
    per_release = {r: read_caps(caps[r][2], r) for r in releases}

    # A stable release may add what its X.Y.0 lacked (QEMU 10.0.2 has YongFeng-v2): first
    # defined in that stable release, as far as these sources tell.
    stable_models, stable_feats, trees = {}, {}, {}
    for src in (qemu72, qemu100):
        full = vkey(open(os.path.join(src, 'VERSION')).read().strip())
        versions, feats = cpu_c(os.path.join(src, 'target/i386/cpu.c'))
        models, props = per_release[full[:2]]
        models = {m for m in models if re.search(r'-v\d+$', m)}
        if models - versions:
            sys.exit('QEMU %s: caps model versions missing from cpu.c: %s' %
                     (vstr(full), sorted(models - versions)))
        trees[full] = src
        for m in versions - models:
            stable_models[m] = full
        for f in feats - props:
            stable_feats[f] = full

    data_models, data_feats = data_names(data_x86)
    newest = per_release[releases[-1]]
    lacking = sorted(m for m in newest[0] if re.search(r'-v\d+$', m) and m not in data_models)
    if lacking:
        sys.exit('QEMU 10.0 defines model versions data/x86/models lacks: %s' % lacking)

    def first(name, index):
        for r in releases:
            if name in per_release[r][index]:
                return r
        return (stable_models, stable_feats)[index].get(name)

    model_since = {}
    for name, qemu in data_models.items():
        since = first(name, 0)
        if since is None:
            if qemu != vstr(NEWEST_FROM_SOURCE):
                sys.exit('%s: in no caps file, and data says QEMU %s' % (name, qemu))
            since = NEWEST_FROM_SOURCE
        if (since <= (7, 2)) != (qemu == '7.2'):
            sys.exit('%s: first in QEMU %s, but data/x86/models says %s' %
                     (name, vstr(since), qemu))
        model_since[name] = since
    feat_since = {}
    for name, data_since in data_feats.items():
        since = first(name, 1)
        if since is None:
            if data_since != vstr(NEWEST_FROM_SOURCE):
                sys.exit('feature %s: in no caps file, and data says %s' % (name, data_since))
            since = NEWEST_FROM_SOURCE
        if (since <= (7, 2)) != (data_since is None):
            sys.exit('feature %s: first in QEMU %s, but features.xml says since=%s' %
                     (name, vstr(since), data_since))
        feat_since[name] = since

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- Generated by data/x86/gen-qemu-releases.py; do not edit by hand.',
           '     The first QEMU release that defines each x86 CPU model version and each feature',
           '     of data/x86. Each <release> names the file its facts come from: the CPU models',
           '     (<cpu type="kvm">) and the properties of the host CPU\'s full expansion under KVM',
           '     in libvirt\'s QEMU capabilities test data, checked against target/i386/cpu.c of',
           '     QEMU 7.2 (Debian 1:7.2+dfsg-7) and 10.0.2 (Debian bookworm-backports).',
           '     since="4.2" means 4.2 or older: 4.2 is the oldest release known. -->',
           '<x86-qemu-releases format="1">']
    for r in releases:
        label, rel, _ = caps[r]
        models, props = per_release[r]
        out.append('  <release version="%s" source=%s/>' % (vstr(r), quoteattr('%s %s' % (label, rel))))
    used = set(model_since.values()) | set(feat_since.values())
    for full in sorted(trees):
        if full in used:
            out.append('  <release version="%s" source="QEMU %s target/i386/cpu.c"/>' %
                       (vstr(full), vstr(full)))
    out.append('  <release version="%s" source="QEMU 10.2.0 target/i386/cpu.c (read from source:'
               ' ../shared/reference/x86/models.json newer_qemu)"/>' % vstr(NEWEST_FROM_SOURCE))
    for name in sorted(model_since, key=lambda n: (model_since[n], n.lower())):
        out.append('  <model name=%s since="%s"/>' % (quoteattr(name), vstr(model_since[name])))
    for name in sorted(feat_since, key=lambda n: (feat_since[n], n)):
        out.append('  <feature name=%s since="%s"/>' % (quoteattr(name), vstr(feat_since[name])))
    out.append('</x86-qemu-releases>')
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
