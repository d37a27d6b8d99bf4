#!/usr/bin/env python3
"""The documented report members against what the program writes, both ways (TAP).

usage: members.py CPUCOMPAT TOP WORKDIR

Each man page lists its report's members between the roff comments
`.\\" members: REPORT` and `.\\" end members`, one `.TP` / `.B PATH` per member, where PATH is
`a`, `a.b`, `a[].b` (a member of the objects of array a) or `a{}` (a map: keys are data).
The reports are made from the real captures in tests/data, for every architecture, in JSON and
in XML; every member written must be documented, every documented member must be written, and
the XML must carry every member the JSON has (null ones apart).
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
from tap import done, tap  # noqa: E402

cpucompat, top, work = sys.argv[1:4]


def documented(page):
    text = open(os.path.join(top, "man", page)).read().splitlines()
    lists, current, after_tp = {}, None, False
    for line in text:
        m = re.match(r'^\.\\" members: (\S+)', line)
        if m:
            current = lists.setdefault(m.group(1), set())
        elif line.startswith('.\\" end members'):
            current = None
        elif current is not None and after_tp and line.startswith(".B "):
            current.add(line[3:].strip())
        after_tp = line == ".TP"
    return lists


def run(args, fmt):
    p = subprocess.run([cpucompat] + args + ["--format", fmt], capture_output=True, text=True)
    # An inventory with a bad file still reports, with exit status 2.
    if p.returncode not in (0, 1) and not (args[0] == "inventory" and p.returncode == 2 and p.stdout):
        raise RuntimeError("cpucompat %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def json_paths(v, docs, prefix, paths, types, nonnull):
    for k, x in v.items():
        q = prefix + k
        if isinstance(x, dict) and q + "{}" in docs:
            paths.add(q + "{}")
            types[q] = "map"
            continue
        paths.add(q)
        if x is not None:
            nonnull.add(q)
        if isinstance(x, dict):
            types[q] = "object"
            json_paths(x, docs, q + ".", paths, types, nonnull)
        elif isinstance(x, list):
            types[q] = "array"
            for item in x:
                if isinstance(item, dict):
                    json_paths(item, docs, q + "[].", paths, types, nonnull)


def xml_paths(e, docs, prefix, paths, types):
    for a in e.attrib:
        paths.add(prefix + a)
    for c in e:
        q = prefix + c.tag
        t = types.get(q, "object")
        if q + "{}" in docs:
            paths.add(q + "{}")
        elif t == "array":
            paths.add(q)
            for item in c:
                if len(item.attrib) or len(item):
                    xml_paths(item, docs, q + "[].", paths, types)
        else:
            paths.add(q)
            xml_paths(c, docs, q + ".", paths, types)


def sh(*args):
    subprocess.run([cpucompat] + list(args), check=True, capture_output=True)


D = os.path.join(top, "tests", "data")
w = lambda name: os.path.join(work, name)
# Real captures of every architecture, as capability files.
for name, src in [("gold", "x86_64-cpuid-Xeon-Gold-6148.xml"), ("epyc", "x86_64-cpuid-EPYC-7601-32-Core.xml"),
                  ("e5", "x86_64-cpuid-Xeon-E5-2650-v4.xml")]:
    sh("import", "libvirt-cpudata", os.path.join(D, "x86", "libvirt", src), "-o", w(name + ".xml"))
for name in ["graviton2@linux-6.18", "graviton3@linux-6.18", "graviton3@linux-6.1",
             "neoverse-n1@linux-7.2", "cortex-a72@linux-6.1"]:
    sh("import", "arm64-regs", os.path.join(D, "arm64", name + ".regs"), "-o", w(name + ".xml"))
sh("import", "s390x-cpuinfo", os.path.join(D, "s390x", "rig-gen15a-clipped.cpuinfo"), "-o", w("gen15a.xml"))
sh("expand", "--arch", "s390x", "z14.2", "-o", w("z14.xml"))
sh("expand", "Haswell-v4", "-o", w("haswell.xml"))
kvm = os.path.join(D, "x86", "hosts", "epyc-milan-nested-kvm.xml")
# virsh domcapabilities keeps libvirt's own model answers in the view (show's "reported").
with open(w("domcaps.xml"), "wb") as f:
    subprocess.run(["xz", "-dc", os.path.join(D, "x86", "domcaps", "libvirt-11.3.0-qemu_10.0.0.x86_64.xml.xz")],
                   stdout=f, check=True)
sh("import", "libvirt-domcaps", w("domcaps.xml"), "-o", w("domcaps-host.xml"))

# A small fleet: two real x86 CPUs, one of them also as an older file of the same hostname, an
# arm64 host, and a file that is not a capability file.
fleet = w("fleet")
os.makedirs(fleet, exist_ok=True)
for name in ["gold", "e5"]:
    text = open(w(name + ".xml")).read().replace("<origin ", '<origin hostname="%s" ' % name, 1)
    open(os.path.join(fleet, name + ".xml"), "w").write(text)
old = open(w("e5.xml")).read().replace("<origin ", '<origin hostname="gold" ', 1)
open(os.path.join(fleet, "gold-old.xml"), "w").write(old.replace('created="', 'created="1', 1))
open(os.path.join(fleet, "bad.xml"), "w").write("<capabilities")
open(os.path.join(fleet, "g3.xml"), "w").write(open(w("graviton3@linux-6.18.xml")).read())
# The same fleet the day before (--since): gold and e5 swapped CPUs (features lost and gained),
# g3 ran Linux 6.1 (MPAM lost, the kernel changed), and one host is gone since.
old_fleet = w("fleet-old")
os.makedirs(old_fleet, exist_ok=True)
for name, src in [("gold", "e5"), ("e5", "gold"), ("gone", "epyc")]:
    text = open(w(src + ".xml")).read().replace("<origin ", '<origin hostname="%s" ' % name, 1)
    open(os.path.join(old_fleet, name + ".xml"), "w").write(text)
open(os.path.join(old_fleet, "g3.xml"), "w").write(open(w("graviton3@linux-6.1.xml")).read())

invocations = {
    "comparison": [["compare", w("gold.xml"), w("e5.xml")], ["compare", w("epyc.xml"), w("gold.xml")],
                   ["compare", kvm, kvm],
                   ["compare", w("graviton2@linux-6.18.xml"), w("graviton3@linux-6.18.xml")],
                   # a same-core kernel upgrade: warnings (MPAM, NV taken and dropped)
                   ["compare", w("graviton3@linux-6.1.xml"), w("graviton3@linux-6.18.xml")],
                   ["compare", w("neoverse-n1@linux-7.2.xml"), w("cortex-a72@linux-6.1.xml")],
                   ["compare", w("gen15a.xml"), w("z14.xml")], ["compare", w("z14.xml"), w("gen15a.xml")]],
    "models": [["models", w("gold.xml")], ["models", kvm], ["models", w("graviton3@linux-6.18.xml")],
               ["models", w("gen15a.xml")]],
    "resolution": [["models", "--resolve", "Skylake-Server", w("gold.xml")],
                   ["models", "--resolve", "Icelake-Server", w("gold.xml")],
                   ["models", "--resolve", "gen15a", w("z14.xml")]],
    "baseline": [["baseline", w("gold.xml"), w("e5.xml"), w("haswell.xml")],
                 ["baseline", "--allow-vendor-mix", w("epyc.xml"), w("gold.xml")],
                 ["baseline", w("graviton2@linux-6.18.xml"), w("graviton3@linux-6.18.xml")],
                 ["baseline", w("gen15a.xml"), w("z14.xml")]],
    "inventory": [["inventory", fleet], ["inventory", "--guest", w("e5.xml"), fleet],
                  ["inventory", "--model", "Haswell-v4", w("gold.xml"), w("e5.xml")],
                  # groups of two architectures, and a twin of a member asking to join
                  ["inventory", "--group", "all=*", "--group-by-dir", "--admit", "all:" + w("gold.xml"), fleet],
                  ["inventory", "--since", old_fleet, fleet, w("z14.xml")]],
    "show": [["show", kvm], ["show", w("graviton3@linux-6.18.xml")], ["show", w("gen15a.xml")],
             ["show", w("domcaps-host.xml")]],
}
pages = {"comparison": "cpucompat-compare.1", "models": "cpucompat-models.1",
         "resolution": "cpucompat-models.1", "baseline": "cpucompat-baseline.1", "show": "cpucompat-show.1",
         "inventory": "cpucompat-inventory.1"}

for report, runs in invocations.items():
    docs = documented(pages[report]).get(report, set())
    tap(bool(docs), "%s lists the members of the %s report" % (pages[report], report))
    jp, xp, types, nonnull = set(), set(), {}, set()
    for args in runs:
        j = json.loads(run(args, "json"))
        tap(j.get("format") == 1, "%s: JSON carries format 1" % " ".join(args[:1]))
        json_paths(j, docs, "", jp, types, nonnull)
    for args in runs:
        root = ET.fromstring(run(args, "xml").encode())
        tap(root.tag == report, "%s --format xml: the root is <%s>" % (args[0], report))
        xml_paths(root, docs, "", xp, types)
    undocumented = sorted(jp - docs)
    tap(not undocumented, "%s: every JSON member written is documented" % report,
        "not in %s: %s" % (pages[report], " ".join(undocumented)))
    unwritten = sorted(docs - jp)
    tap(not unwritten, "%s: every documented member is written" % report,
        "documented, never written: %s" % " ".join(unwritten))
    tap(not (xp - jp), "%s: the XML has no member the JSON lacks" % report, " ".join(sorted(xp - jp)))
    missing = sorted((nonnull & jp) - xp - {p for p in jp if p.endswith("{}")})
    tap(not missing, "%s: the XML has every member the JSON has" % report, " ".join(missing))

done()
