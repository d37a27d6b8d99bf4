#!/usr/bin/env python3
"""Regenerate tests/data/x86/libvirt/expected.tsv from libvirt's own test data.

Usage:
    make-expected.py LIBVIRT_SRC [--features FEATURES_JSON] [--out FILE]
                     [--copy] [--strict-json]

LIBVIRT_SRC is an unpacked libvirt source tree (Debian 12 source package
libvirt 9.0.0-4+deb12u2: `apt-get source libvirt`). The script reads
LIBVIRT_SRC/tests/cputestdata and LIBVIRT_SRC/src/cpu_map only.

With --copy it also (re)copies the raw CPUID captures, byte for byte, into
the directory that holds --out.

Where the expected values come from (no decoder of cpucompat is used):

  vendor, family, model, stepping, brand
      x86_64-cpuid-NAME.json: QEMU's query-cpu-model-expansion answer
      (props "vendor", "family", "model", "stepping", "model-id").
      The brand is model-id with leading/trailing blanks removed; an empty
      model-id is written as <empty>.
      If there is no .json file:
        vendor   <- <vendor> of x86_64-cpuid-NAME-host.xml, turned into the
                    12-character string by src/cpu_map/x86_vendors.xml
        family/model/stepping
                 <- x86_64-cpuid-NAME.sig (libvirt's cputest checks this file
                    against the raw capture); '-' with --strict-json
        brand    <- the <!-- comment --> on the first line of the raw file
                    (cpu-data.py writes /proc/cpuinfo "model name" there);
                    '-' if there is none or with --strict-json
      For CPUs with a .json file the .sig and -host.xml values are only used
      as a consistency check (the script stops if they disagree).

  features_present / features_absent (QEMU property names)
      json CPUs: props true / false in the .json file.
      Other CPUs: libvirt's -host.xml (model features from
      src/cpu_map/x86_MODEL.xml plus the listed <feature>s) is "present";
      a libvirt feature that is neither, or is policy='disable' in
      -guest.xml, is "absent". libvirt names are turned into QEMU names
      with the "libvirt" field of features.json.
      Cross-check with the raw CPUID bits of the capture (bit positions from
      features.json "cpuid" leaf/subleaf/reg and "bits"): a feature is only
      listed as present if its bit is set, and only listed as absent if its
      bit is clear (a leaf above the maximum leaf reported by CPUID 0 /
      0x80000000, or a leaf-7 subleaf above CPUID[7,0].EAX, counts as clear;
      a leaf that should exist but is not in the file counts as unknown and
      the feature is skipped).
      Candidates are a fixed list of plain hardware ISA bits that KVM passes
      through unchanged (features.json linux_6_1_kvm =
      "passthrough-if-host-has"); no paravirt, kvm-*, vmx-*, svm, hypervisor,
      x2apic, tsc-deadline, arat, umip, osxsave/ospke, speculation-control
      or other bits that KVM emulates, forces or masks.
      Selection: round robin over CPUID words (leaf 7, leaf 1 ECX,
      0x80000001, 0xD.1 EAX, 0x80000008 EBX, leaf 1 EDX (at most one)),
      up to 8 present (newest features first) and up to 5 absent (oldest,
      i.e. nearest miss, first).
"""
import argparse
import glob
import json
import os
import re
import shutil
import struct
import sys
import xml.etree.ElementTree as ET

LIBVIRT_VERSION = "9.0.0 (Debian 12 source package libvirt 9.0.0-4+deb12u2)"
DEFAULT_FEATURES = "/work/shared/reference/x86/features.json"

# Candidate groups, newest first. Present: taken in this order.
# Absent: taken in reverse order (nearest miss first).
GROUPS = [
    ("leaf7", ["avx512-bf16", "avx512vnni", "avx512vbmi2", "gfni", "vaes",
               "vpclmulqdq", "avx512vbmi", "avx512bw", "avx512dq",
               "avx512vl", "avx512cd", "avx512f", "sha-ni", "clwb",
               "clflushopt", "rdpid", "adx", "rdseed", "smap", "avx2",
               "bmi2", "bmi1", "invpcid", "erms", "fsgsbase", "smep"]),
    ("leaf1c", ["f16c", "rdrand", "avx", "movbe", "fma", "pcid", "aes",
                "pclmulqdq", "popcnt", "sse4.2", "sse4.1", "xsave", "cx16",
                "ssse3", "pni"]),
    ("ext1", ["xop", "fma4", "tbm", "3dnowprefetch", "abm", "misalignsse",
              "sse4a", "rdtscp", "3dnowext", "3dnow", "mmxext", "lahf-lm",
              "lm", "nx"]),
    ("xsave1", ["xsaves", "xsavec", "xgetbv1", "xsaveopt"]),
    ("ext8", ["wbnoinvd", "xsaveerptr", "clzero"]),
    ("leaf1d", ["sse2", "sse", "fxsr", "mmx", "cmov", "clflush", "cx8"]),
]
ABSENT_GROUPS = ["leaf7", "leaf1c", "ext1", "xsave1", "ext8"]
# At most this many present features from a group (default: no limit).
GROUP_CAP = {"leaf1d": 1}
# Not candidates: "syscall" (Intel sets CPUID[0x80000001].EDX[11] only when
# the capture ran in 64-bit mode; Atom-D510 was captured on a 32-bit OS).
MAX_PRESENT, MIN_PRESENT = 8, 5
MAX_ABSENT, MIN_ABSENT = 5, 3

RAW_RE = re.compile(r"^x86_64-cpuid-(.+)\.xml$")
NOT_RAW_SUFFIX = re.compile(r"-(host|guest|json|enabled|disabled)$")


def find_raw(cpudir):
    """Raw captures: x86_64-cpuid-NAME.xml with root <cpudata arch='x86'>
    that are not the -enabled/-disabled QEMU diff files (those are
    <cpudata> too) nor -host/-guest/-json/baseline <cpu> files."""
    out = []
    for path in sorted(glob.glob(os.path.join(cpudir, "x86_64-cpuid-*.xml"))):
        m = RAW_RE.match(os.path.basename(path))
        name = m.group(1)
        if NOT_RAW_SUFFIX.search(name) or name.startswith("baseline-"):
            continue
        root = ET.parse(path).getroot()
        if root.tag != "cpudata" or root.get("arch") != "x86":
            continue
        out.append((name, path))
    return out


def load_raw(path):
    root = ET.parse(path).getroot()
    leaves = {}
    for c in root.findall("cpuid"):
        key = (int(c.get("eax_in"), 16), int(c.get("ecx_in"), 16))
        if key in leaves:
            raise SystemExit("%s: duplicate leaf %r" % (path, key))
        leaves[key] = {r: int(c.get(r), 16) for r in ("eax", "ebx", "ecx", "edx")}
    first = open(path, encoding="utf-8").readline()
    m = re.match(r"\s*<!--\s*(.*?)\s*-->", first)
    return leaves, (m.group(1) if m else None), len(root.findall("msr"))


def raw_bit(leaves, leaf, sub, reg, bit):
    """True/False from the capture, None if the file cannot tell."""
    if leaf >= 0x80000000:
        top = leaves.get((0x80000000, 0))
    else:
        top = leaves.get((0, 0))
    if top is None:
        return None
    if leaf > top["eax"]:
        return False
    if leaf == 7 and sub:
        l70 = leaves.get((7, 0))
        if l70 is None:
            return None
        if sub > l70["eax"]:
            return False
    ent = leaves.get((leaf, sub or 0))
    if ent is None:
        return None
    return bool((ent[reg.lower()] >> bit) & 1)


def load_json_docs(path):
    s = open(path, encoding="utf-8").read()
    dec = json.JSONDecoder()
    i, docs = 0, []
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i >= len(s):
            return docs
        obj, i = dec.raw_decode(s, i)
        docs.append(obj)


def json_props(path):
    for d in load_json_docs(path):
        r = d.get("return")
        if isinstance(r, dict) and "model" in r:
            return r["model"]["props"]
    raise SystemExit("%s: no query-cpu-model-expansion answer" % path)


def read_sig(path):
    txt = open(path, encoding="utf-8").read()
    vals = dict(re.findall(r"^(family|model|stepping):\s+(\d+)", txt, re.M))
    return (int(vals["family"]), int(vals["model"]), int(vals["stepping"]),
            txt.split()[0])


def libvirt_cpu(src, name):
    """present/absent sets (libvirt names) from -host.xml/-guest.xml."""
    cpudir = os.path.join(src, "tests", "cputestdata")
    host = ET.parse(os.path.join(cpudir, "x86_64-cpuid-%s-host.xml" % name)).getroot()
    model = host.findtext("model")
    vendor = host.findtext("vendor")
    sig = host.find("signature")
    mroot = ET.parse(os.path.join(src, "src", "cpu_map", "x86_%s.xml" % model)).getroot()
    mdef = mroot.find("model")
    if mdef.find("model") is not None:
        raise SystemExit("cpu_map model %s inherits; not handled" % model)
    present = {f.get("name") for f in mdef.findall("feature")}
    disabled = set()
    for f in host.findall("feature"):
        if f.get("policy") in (None, "require", "force"):
            present.add(f.get("name"))
        elif f.get("policy") in ("disable", "forbid"):
            disabled.add(f.get("name"))
    present -= disabled
    guest_path = os.path.join(cpudir, "x86_64-cpuid-%s-guest.xml" % name)
    if os.path.exists(guest_path):
        for f in ET.parse(guest_path).getroot().findall("feature"):
            if f.get("policy") in ("disable", "forbid"):
                disabled.add(f.get("name"))
    return vendor, sig, model, present, disabled


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("libvirt_src")
    ap.add_argument("--features", default=DEFAULT_FEATURES)
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "expected.tsv"))
    ap.add_argument("--copy", action="store_true")
    ap.add_argument("--strict-json", action="store_true",
                    help="no .sig/comment fallback: '-' for family/model/"
                    "stepping/brand of CPUs without a .json file")
    a = ap.parse_args()

    src = a.libvirt_src
    cpudir = os.path.join(src, "tests", "cputestdata")
    ref = json.load(open(a.features, encoding="utf-8"))
    feats = {f["name"]: f for f in ref["features"]}
    lv_known = {f.get("name") for f in ET.parse(os.path.join(
        src, "src", "cpu_map", "x86_features.xml")).getroot().iter("feature")}
    vend = {v.get("name"): v.get("string") for v in ET.parse(os.path.join(
        src, "src", "cpu_map", "x86_vendors.xml")).getroot().iter("vendor")}

    for _, names in GROUPS:
        for n in names:
            f = feats[n]
            assert f["type"] == "cpuid", n
            assert f["linux_6_1_kvm"] == "passthrough-if-host-has", n

    outdir = os.path.dirname(os.path.abspath(a.out))
    raws = find_raw(cpudir)
    rows, from_json, from_libvirt, sig_fallback, notes = [], [], [], [], []
    for name, path in raws:
        if a.copy:
            shutil.copyfile(path, os.path.join(outdir, os.path.basename(path)))
        leaves, comment, nmsr = load_raw(path)
        if (0, 0) not in leaves:
            notes.append("%s: no CPUID leaf 0" % name)
        jpath = os.path.join(cpudir, "x86_64-cpuid-%s.json" % name)
        sigpath = os.path.join(cpudir, "x86_64-cpuid-%s.sig" % name)
        sig = read_sig(sigpath) if os.path.exists(sigpath) else None
        hv, hsig, hmodel, hpresent, hdisabled = libvirt_cpu(src, name)

        def state(qname):
            """True/False/None according to libvirt's files."""
            if props is not None:
                f = feats[qname]
                for k in [qname] + f.get("qemu_aliases", []):
                    if k in props:
                        return bool(props[k])
                return None
            lvn = feats[qname]["libvirt"]["name"]
            if lvn in hdisabled:
                return False
            if lvn in hpresent:
                return True
            return False if lvn in lv_known else None

        if os.path.exists(jpath):
            props = json_props(jpath)
            vendor = props["vendor"]
            fam, mod, step = props["family"], props["model"], props["stepping"]
            brand = props["model-id"].strip(" \0") or "<empty>"
            from_json.append(name)
            # consistency with libvirt's other files
            if sig and (fam, mod, step) != sig[:3]:
                raise SystemExit("%s: json %r != .sig %r" % (name, (fam, mod, step), sig))
            if vend.get(hv) != vendor:
                raise SystemExit("%s: json vendor %s != host.xml %s" % (name, vendor, hv))
            if comment and comment != brand:
                notes.append("%s: raw-file comment %r differs from json model-id %r"
                             % (name, comment, brand))
        else:
            props = None
            vendor = vend[hv]
            from_libvirt.append(name)
            if sig and not a.strict_json:
                fam, mod, step = sig[:3]
                sig_fallback.append(name)
            else:
                fam = mod = step = "-"
            brand = comment if (comment and not a.strict_json) else "-"
        if hsig is not None and sig and \
                (int(hsig.get("family")), int(hsig.get("model")),
                 int(hsig.get("stepping"))) != sig[:3]:
            raise SystemExit("%s: host.xml signature != .sig" % name)

        present, absent = [], []
        cand = {}
        for g, names in GROUPS:
            lst = []
            for n in names:
                f = feats[n]
                c = f["cpuid"]
                bits = [raw_bit(leaves, int(c["leaf"], 16), c["subleaf"], c["reg"], b)
                        for b in f["bits"]]
                rb = None if None in bits else all(bits)
                lst.append((n, state(n), rb))
            cand[g] = lst
        pres_q = {g: [n for n, s, r in lst if s is True and r is True]
                  for g, lst in cand.items()}
        abs_q = {g: [n for n, s, r in reversed(lst) if s is False and r is False]
                 for g, lst in cand.items() if g in ABSENT_GROUPS}
        for g, cap in GROUP_CAP.items():
            del pres_q[g][cap:]
        while len(present) < MAX_PRESENT and any(pres_q.values()):
            for g, _ in GROUPS:
                if pres_q[g] and len(present) < MAX_PRESENT:
                    present.append(pres_q[g].pop(0))
        while len(absent) < MAX_ABSENT and any(abs_q.values()):
            for g in ABSENT_GROUPS:
                if abs_q[g] and len(absent) < MAX_ABSENT:
                    absent.append(abs_q[g].pop(0))
        if len(present) < MIN_PRESENT or len(absent) < MIN_ABSENT:
            raise SystemExit("%s: only %d present / %d absent" %
                             (name, len(present), len(absent)))
        # features where libvirt's files and the raw bits disagree (info only)
        for g, lst in cand.items():
            for n, s, r in lst:
                if s is not None and r is not None and s != r:
                    notes.append("%s: %s is %s in %s but %s in raw CPUID (not used)"
                                 % (name, n, "on" if s else "off",
                                    "json" if props is not None else "host.xml",
                                    "set" if r else "clear"))
        rows.append([name, vendor, str(fam), str(mod), str(step), brand,
                     ",".join(present), ",".join(absent)])

    with open(a.out, "w", encoding="utf-8") as out:
        w = out.write
        w("# Expected decode results for the raw CPUID captures in this directory.\n")
        w("# Source: libvirt %s, tests/cputestdata/.\n" % LIBVIRT_VERSION)
        w("# Generated by make-expected.py (this directory); do not edit by hand.\n")
        w("# Raw captures: x86_64-cpuid-NAME.xml (root <cpudata arch='x86'>), %d CPUs.\n" % len(rows))
        w("# Values come from libvirt's files, not from a CPUID decoder:\n")
        w("#  - %d CPUs: vendor/family/model/stepping/brand and feature states from\n" % len(from_json))
        w("#    x86_64-cpuid-NAME.json (QEMU query-cpu-model-expansion of the host CPU,\n")
        w("#    props vendor, family, model, stepping, model-id and QEMU feature props).\n")
        w("#  - %d CPUs without .json: %s.\n" % (len(from_libvirt), ", ".join(from_libvirt)))
        w("#    vendor: x86_64-cpuid-NAME-host.xml <vendor> via src/cpu_map/x86_vendors.xml;\n")
        if a.strict_json:
            w("#    family/model/stepping/brand: '-' (not known from a .json file).\n")
        else:
            w("#    family/model/stepping: x86_64-cpuid-NAME.sig (libvirt's own signature file,\n")
            w("#    checked by libvirt's cputest against the raw capture); brand: the comment\n")
            w("#    on line 1 of the raw file (cpu-data.py writes /proc/cpuinfo 'model name'\n")
            w("#    there), '-' when there is none.\n")
        w("#    features: -host.xml model (src/cpu_map/x86_MODEL.xml) + listed features\n")
        w("#    = on; other libvirt features and -guest.xml policy='disable' = off;\n")
        w("#    libvirt names mapped to QEMU names with features.json.\n")
        w("#  - For .json CPUs the .sig file and -host.xml vendor were checked to agree.\n")
        w("# family/model/stepping are decimal display values (extended family/model folded\n")
        w("# in). brand: leading/trailing blanks removed, inner blanks kept; <empty> means\n")
        w("# the CPU's brand string is empty; '-' in any column means unknown (don't check).\n")
        w("# Feature selection rule (QEMU property names): candidates are plain hardware\n")
        w("# ISA bits that KVM passes through unchanged (no paravirt, kvm-*, vmx-*, svm,\n")
        w("# hypervisor, x2apic, tsc-deadline, arat, umip, osxsave/ospke, spec-ctrl etc.).\n")
        w("# features_present: on in libvirt's file AND bit set in the raw capture.\n")
        w("# features_absent: off in libvirt's file AND bit clear in the raw capture\n")
        w("# (leaf above the max leaf of CPUID 0/0x80000000 = clear; leaf missing from\n")
        w("# the file = unknown, not used). Bit positions: features.json (QEMU 7.2\n")
        w("# feature_word_info), used only for this cross-check. Round robin over CPUID\n")
        w("# words (at most one from leaf 1 EDX), up to %d present (newest first), up to\n"
          "# %d absent (nearest miss first). syscall is never used (Intel reports it only\n"
          "# in 64-bit mode).\n" % (MAX_PRESENT, MAX_ABSENT))
        w("name\tvendor\tfamily\tmodel\tstepping\tbrand\tfeatures_present\tfeatures_absent\n")
        for r in rows:
            assert all("\t" not in x and x for x in r), r
            w("\t".join(r) + "\n")

    for n in notes:
        print("note:", n, file=sys.stderr)
    print("%d CPUs (%d from json, %d from host.xml/.sig)" %
          (len(rows), len(from_json), len(from_libvirt)), file=sys.stderr)


if __name__ == "__main__":
    main()
