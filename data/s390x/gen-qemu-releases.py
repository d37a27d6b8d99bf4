#!/usr/bin/env python3
"""Regenerate data/s390x/qemu-releases.xml: the first QEMU release that knows each s390x CPU
definition, feature and feature group of data/s390x/models.xml and features.xml.

Usage: gen-qemu-releases.py QEMU_7_2_SRC QEMU_10_0_SRC LIBVIRT_9_0_SRC LIBVIRT_11_3_SRC
                            DATA_S390X_DIR > data/s390x/qemu-releases.xml

The sources are Debian's: `apt-get source qemu` (7.2, bookworm) and the upstream tarballs of
qemu 10.0.2 and libvirt 11.3.0 (bookworm-backports), `apt-get source libvirt` (9.0.0).

Facts:
- QEMU 7.2 and 10.0.2 name their features in target/s390x/cpu_features_def.h.inc (DEF_FEAT),
  their groups in cpu_features.c (FEAT_GROUP_INIT) and their CPU definitions in cpu_models.c
  (CPUDEF_INIT): what each of those two releases knows, exactly.
- libvirt's tests/qemucapabilitiesdata/caps_X.Y.0[._]s390x.xml of QEMU 4.2, 5.2, 6.0 (libvirt
  9.0.0) and 8.1, 8.2, 9.1, 9.2, 10.0 (libvirt 11.3.0) list every CPU definition that release
  has (<cpu type='kvm'>), so a definition's first release among them is exact. For features
  they are only a lower bound: the host CPU's expansion (<hostCPU>) names what the recording
  host had, not every feature the release knows.
- Between the releases read, a few first releases are QEMU's own history (FIRST below, each
  with where it is told), checked here to lie after the last release read without the item.
A feature of 10.0 that 7.2 lacks and no caps file before 10.0 shows came with the gen17
series of 10.0 unless FIRST says otherwise. A feature of 7.2 gets 4.2 ("4.2 or older": the
oldest release cpucompat judges by) unless FIRST says otherwise. A feature of data/s390x that
QEMU 10.0.2 does not know (read from later patches) gets since="none": no release known has it.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import quoteattr

# First releases between those read, from QEMU's history.
FIRST = {
    'unpack': ('5.1', 'protected virtualization (unpack facility) came with QEMU 5.1'),
    'diag318': ('5.2', 'guest support for DIAGNOSE 0x318 came with QEMU 5.2'),
    'gen16a': ('7.1', 'the gen16 definitions and their new facilities came with QEMU 7.1'),
    'gen16b': ('7.1', 'the gen16 definitions and their new facilities came with QEMU 7.1'),
}
GEN16_FEATURES = '7.1'  # features first in gen16a's full set: the gen16 series


def vkey(s):
    return tuple(int(x) for x in s.split('.'))


def qemu_source(top):
    """(version, features, groups, definitions) of a QEMU source tree."""
    version = open(os.path.join(top, 'VERSION')).read().strip()
    t = os.path.join(top, 'target/s390x')
    feats = re.findall(r'^DEF_FEAT\(\w+, "([^"]+)"', open(os.path.join(t, 'cpu_features_def.h.inc')).read(),
                       re.M)
    groups = re.findall(r'^\s*FEAT_GROUP_INIT\("([^"]+)"', open(os.path.join(t, 'cpu_features.c')).read(),
                        re.M)
    defs = re.findall(r'^\s*CPUDEF_INIT\(0x[0-9a-fA-F]+, \d+, \d+, \d+, 0x[0-9a-fA-F]+U?, "([^"]+)"',
                      open(os.path.join(t, 'cpu_models.c')).read(), re.M)
    if not feats or not groups or not defs:
        sys.exit('%s: no features, groups or CPU definitions found' % top)
    return version, set(feats), set(groups), set(defs)


def caps_files(lv90, lv113):
    found = {}
    for label, top in (('libvirt 9.0.0', lv90), ('libvirt 11.3.0', lv113)):
        for path in sorted(glob.glob(os.path.join(top, 'tests/qemucapabilitiesdata/caps_*s390x.xml'))):
            m = re.fullmatch(r'caps_(\d+)\.(\d+)\.0[._]s390x\.xml', os.path.basename(path))
            if m:
                found['%s.%s' % m.groups()] = ('%s %s' % (label, os.path.relpath(path, top)), path)
    return found


def read_caps(path):
    root = ET.parse(path).getroot()
    models = {c.get('name') for c in root.findall("cpu[@type='kvm']")}
    models = {m for m in models if not m.endswith('-base') and m not in ('host', 'max', 'qemu')}
    names = {p.get('name') for p in root.iter('property')}
    names |= {b.get('name') for b in root.iter('blocker')}
    return models, names


def main():
    q72, q10, lv90, lv113, data = sys.argv[1:6]
    v72, f72, g72, d72 = qemu_source(q72)
    v10, f10, g10, d10 = qemu_source(q10)
    if not v72.startswith('7.2') or not v10.startswith('10.0'):
        sys.exit('want QEMU 7.2 and 10.0 sources, not %s and %s' % (v72, v10))
    froot = ET.parse(os.path.join(data, 'features.xml')).getroot()
    features = [f.get('name') for f in froot.iter('feature')]
    groups = {g.get('name'): g.text.split() for g in froot.iter('group')}
    models = [m.get('name') for m in ET.parse(os.path.join(data, 'models.xml')).getroot().iter('model')]
    gen16_full = next(m for m in ET.parse(os.path.join(data, 'models.xml')).getroot().iter('model')
                      if m.get('name') == 'gen16a').findtext('full').split()
    z15_full = next(m for m in ET.parse(os.path.join(data, 'models.xml')).getroot().iter('model')
                    if m.get('name') == 'gen15b').findtext('full').split()
    caps = caps_files(lv90, lv113)
    read = {}  # release -> (models, lower bound of names, source)
    for rel, (label, path) in caps.items():
        m, n = read_caps(path)
        for g, members in groups.items():  # a whole group is named as the group
            if g in n:
                n |= set(members)
        read[rel] = (m, n, label)
    for rel, d, f, g in (('7.2', d72, f72, g72), ('10.0', d10, f10, g10)):
        if rel in read and not read[rel][0] <= d:
            sys.exit('caps of %s list definitions its source lacks: %s' % (rel, read[rel][0] - d))
        src = 'QEMU %s target/s390x (cpu_features_def.h.inc, cpu_features.c, cpu_models.c)' % (
            v72 if rel == '7.2' else v10)
        read[rel] = (d, f | g, src if rel not in read else read[rel][2] + '; ' + src)
    releases = sorted(read, key=vkey)

    def first_seen(name, kind):
        for rel in releases:
            if name in read[rel][0 if kind == 'model' else 1]:
                return rel
        return None

    def place(name, kind, default):
        seen = first_seen(name, kind)
        rel, why = FIRST.get(name, (default, None))
        if kind == 'model' and seen and name not in FIRST:
            rel = seen
        if seen and vkey(rel) > vkey(seen):
            sys.exit('%s %s: placed at %s but QEMU %s has it' % (kind, name, rel, seen))
        # Definitions: every release read before must lack it (their lists are complete).
        if kind == 'model':
            for r in releases:
                if vkey(r) < vkey(rel) and name in read[r][0]:
                    sys.exit('model %s: placed at %s but QEMU %s has it' % (name, rel, r))
        return rel, why

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- Generated by data/s390x/gen-qemu-releases.py; do not edit by hand.',
           '     The first QEMU release that knows each s390x CPU definition, feature and feature',
           '     group of data/s390x. since="4.2" means 4.2 or older: 4.2 is the oldest release',
           '     known. since="none": no release up to 10.0.2 knows it (read from later patches).',
           '     Each <release> names what was read of it; <documented> releases are placed from',
           '     QEMU\'s history (see the script), between releases read. -->',
           '<s390x-qemu-releases format="1">']
    for rel in releases:
        out.append('  <release version="%s" source=%s/>' % (rel, quoteattr(read[rel][2])))
    seen_doc = {}
    for name, (rel, why) in FIRST.items():
        seen_doc.setdefault(rel, []).append(why)
    for rel in sorted(seen_doc, key=vkey):
        if rel not in read:
            out.append('  <documented version="%s" why=%s/>' % (
                rel, quoteattr('; '.join(sorted(set(seen_doc[rel]))))))
    for name in models:
        if name not in d10:
            sys.exit('model %s: not in QEMU %s' % (name, v10))
        rel, _ = place(name, 'model', None)
        out.append('  <model name=%s since="%s"/>' % (quoteattr(name), rel))
    for name in features:
        if name not in f10:
            out.append('  <feature name=%s since="none"/>' % quoteattr(name))
            continue
        if name in f72:
            default = GEN16_FEATURES if name in gen16_full and name not in z15_full else '4.2'
        else:
            default = first_seen(name, 'feature') or '10.0'
        rel, _ = place(name, 'feature', default)
        out.append('  <feature name=%s since="%s"/>' % (quoteattr(name), rel))
    for name, members in groups.items():
        if name not in g10:
            out.append('  <group name=%s since="none"/>' % quoteattr(name))
            continue
        default = '4.2' if name in g72 else first_seen(name, 'feature') or '10.0'
        rel, _ = place(name, 'feature', default)
        out.append('  <group name=%s since="%s"/>' % (quoteattr(name), rel))
    out.append('</s390x-qemu-releases>')
    print('\n'.join(out))


if __name__ == '__main__':
    main()
