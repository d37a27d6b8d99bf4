#!/usr/bin/env python3
"""`--format labels` against what KubeVirt's node labeller would make of libvirt's own answers.
For each of libvirt's domcapabilities captures (tests/data/x86/domcaps): imported, the host's
labels must name libvirt's host model (host-model-cpu), and its feature labels must be libvirt's
expansion of that host model (the model's features in libvirt's installed CPU map, plus the
required, minus the disabled ones: what `virsh hypervisor-cpu-baseline --features` gives the
labeller). For real captures (tests/data/x86/libvirt, hosts): every key has one of KubeVirt's
forms and is a valid Kubernetes label, every feature label is a feature of the host's own view,
every model label a model `models` calls usable, and the TSC frequency the file's. Prints TAP.

usage: labels-vs-kubevirt.py CPUCOMPAT TOP WORKDIR
"""
import json
import lzma
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from tap import done, skip, tap

cpucompat, top, work = sys.argv[1:4]
CPUMAP = '/usr/share/libvirt/cpu_map'


def cc(*args):
    return subprocess.run([cpucompat] + list(args), capture_output=True, text=True, check=True)


def labels(path):
    out = {}
    for line in cc('show', '--format', 'labels', path).stdout.splitlines():
        k, _, v = line.partition('=')
        out[k] = v
    return out


def prefixed(lab, prefix):
    return {k[len(prefix):] for k in lab if k.startswith(prefix)}


# libvirt's installed CPU map: each model's features with inheritance, as libvirt resolves it.
models = {}
if os.path.isdir(CPUMAP):
    for name in os.listdir(CPUMAP):
        if name.startswith('x86_') and name.endswith('.xml'):
            for m in ET.parse(os.path.join(CPUMAP, name)).getroot().iter('model'):
                models[m.get('name')] = m


def model_features(name):
    m = models[name]
    feats = set()
    parent = m.find('model')
    if parent is not None:
        feats = model_features(parent.get('name'))
    for f in m.findall('feature'):
        if f.get('removed') == 'yes':
            feats.discard(f.get('name'))
        else:
            feats.add(f.get('name'))
    return feats


installed = subprocess.run(['virsh', '--version'], capture_output=True,
                           text=True).stdout.strip() if os.path.isdir(CPUMAP) else ''
d = os.path.join(top, 'tests/data/x86/domcaps')
for name in sorted(os.listdir(d)):
    if not name.endswith('.xml.xz'):
        continue
    raw = os.path.join(work, name[:-3])
    with open(raw, 'wb') as f:
        f.write(lzma.open(os.path.join(d, name)).read())
    imp = raw + '.cc.xml'
    cc('import', 'libvirt-domcaps', raw, '-o', imp)
    lab = labels(imp)
    hm = ET.parse(raw).getroot().find(".//mode[@name='host-model']")
    want = hm.find('model').text
    got = prefixed(lab, 'host-model-cpu.node.kubevirt.io/')
    tap(got == {want}, '%s: host-model-cpu names libvirt\'s host model %s' % (name, want),
        ['labels name %s' % sorted(got)])
    release = re.match(r'libvirt-([0-9.]+)-', name).group(1)
    if not models or release != installed:
        skip('%s: feature labels are libvirt\'s expansion of its host model' % name,
             'libvirt %s\'s CPU map is not the installed one (%s)' % (release, installed or
                                                                        'none'))
        continue
    expect = model_features(want)
    for f in hm.findall('feature'):
        if f.get('policy') == 'require':
            expect.add(f.get('name'))
        elif f.get('policy') == 'disable':
            expect.discard(f.get('name'))
    got = prefixed(lab, 'cpu-feature.node.kubevirt.io/')
    tap(got == expect, '%s: the %d feature labels are libvirt %s\'s expansion of its host model'
        % (name, len(got), release),
        ['labels only: %s' % ' '.join(sorted(got - expect)),
         'libvirt only: %s' % ' '.join(sorted(expect - got))])

# Real captures: key forms, the host's own features and models, TSC.
names = {}
for f in ET.parse(os.path.join(top, 'data/x86/feature-names.xml')).getroot().iter('feature'):
    if f.get('libvirt') and f.get('qemu'):
        names[f.get('libvirt')] = f.get('qemu')
# What KVM gives every guest whatever the silicon says (data/x86/qemu-kvm.xml: QEMU's fixups
# that add, and what KVM emulates): a guest's host model has them, a cpu view does not show them.
kvm_adds = set()
for e in ET.parse(os.path.join(top, 'data/x86/qemu-kvm.xml')).getroot().iter():
    if (e.tag == 'fixup' and e.get('op') == 'add') or e.tag == 'silicon-emulated':
        kvm_adds |= set(e.get('features').split())
FORM = re.compile(r'^(cpu-model|cpu-model-migration|cpu-feature|host-model-cpu|'
                  r'host-model-required-features|cpu-vendor)\.node\.kubevirt\.io/'
                  r'([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)=true$|'
                  r'^cpu-timer\.node\.kubevirt\.io/tsc-frequency=[1-9][0-9]*$')
hosts = [os.path.join(top, 'tests/data/x86/hosts/epyc-milan-nested-kvm.xml')]
for h in ['Xeon-Gold-6148', 'EPYC-7502-32-Core', 'Core-i7-8700', 'Opteron-6234']:
    out = os.path.join(work, h + '.xml')
    cc('import', 'libvirt-cpudata',
       os.path.join(top, 'tests/data/x86/libvirt/x86_64-cpuid-%s.xml' % h), '-o', out)
    hosts.append(out)
for h in hosts:
    base = os.path.basename(h)
    text = cc('show', '--format', 'labels', h).stdout
    bad = [l for l in text.splitlines() if not FORM.match(l)]
    tap(text and not bad, '%s: every label has one of KubeVirt\'s key forms' % base, bad)
    lab = labels(h)
    show = json.loads(cc('show', '--format', 'json', h).stdout)
    view = [v for v in show['views'] if v['name'] == 'kvm'] or show['views']
    have = set(view[-1]['features']) | kvm_adds
    bad = [f for f in prefixed(lab, 'cpu-feature.node.kubevirt.io/')
           if names.get(f, f) not in have]
    tap(not bad, '%s: every feature label is a feature of its %s view or one KVM gives every '
        'guest' % (base, view[-1]['name']), bad)
    usable = set()
    for m in json.loads(cc('models', '--format', 'json', h).stdout)['models']:
        if m['usable']:
            usable |= {m['name']} | set(m['aliases'])
    bad = sorted(prefixed(lab, 'cpu-model.node.kubevirt.io/') - usable)
    tap(not bad, '%s: every model label is a model the host runs (%d)' %
        (base, len(prefixed(lab, 'cpu-model.node.kubevirt.io/'))), bad)
    khz = view[-1]['properties'].get('tsc-khz')
    got = lab.get('cpu-timer.node.kubevirt.io/tsc-frequency')
    tap(got == (str(int(khz) * 1000) if khz else None),
        '%s: tsc-frequency is the file\'s TSC (%s)' % (base, got))
done()
