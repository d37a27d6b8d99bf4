#!/usr/bin/env python3
"""TAP: `cpucompat models` on an import of `virsh domcapabilities` against the answers the file
itself gave (custom mode, usable yes/no), kept in the import's <reported> element.

Usage: x86-models-vs-domcaps.py CPUCOMPAT IMPORTED.xml
A model the file names that cpucompat does not know is listed, not judged; at least one model
must be compared.
"""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET


def main():
    cc, path = sys.argv[1], sys.argv[2]
    out = subprocess.run([cc, 'models', '--format', 'json', path], capture_output=True,
                         text=True, check=True)
    ours = {}
    for m in json.loads(out.stdout)['models']:
        for name in [m['name']] + m['aliases']:
            ours[name] = m
    reported = [m for r in ET.parse(path).getroot().iter('reported') for m in r.iter('model')]
    n = 0
    unknown = []
    for m in reported:
        name, usable = m.get('name'), m.get('usable')
        if name not in ours or usable not in ('yes', 'no'):
            unknown.append(name)
            continue
        n += 1
        got = ours[name]['usable']
        if got == (usable == 'yes'):
            print('ok %d - %s: usable=%s' % (n, name, usable))
        else:
            print('not ok %d - %s: libvirt says usable=%s (blockers %s), cpucompat says %s (%s)' % (
                n, name, usable, m.get('blockers'), got,
                ' '.join(b['name'] for b in ours[name]['blockers'])))
    if unknown:
        print('# not judged (unknown to cpucompat): %s' % ' '.join(unknown))
    if n == 0:
        n += 1
        print('not ok %d - no model compared' % n)
    print('1..%d' % n)


if __name__ == '__main__':
    main()
