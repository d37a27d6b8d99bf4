#!/usr/bin/env python3
"""QEMU's host-model containment verdict, computed here from the QMP expansions themselves,
against `cpucompat compare` of the imports, for every ordered pair. A host-model guest of SRC
(every enabled feature property of SRC's expansion) can start on DST when DST's expansion
enables every one of them and the vendor is the same. TAP lines out.
Usage: qemu_pairs_agree.py CPUCOMPAT DIR   (DIR holds NAME.json and its import NAME.xml)"""
import concurrent.futures, glob, json, os, subprocess, sys

# QEMU CPU properties that are not CPU features (QEMU 10.0 target/i386/cpu.c
# x86_cpu_properties[], hw/core and topology properties, Hyper-V enlightenments, and the
# OS-controlled CR4 mirrors osxsave and ospke).
SETTINGS = {"check", "enforce", "kvm", "migratable", "realized", "hotplugged", "hotpluggable",
            "start-powered-off", "pmu", "l3-cache", "legacy-cache", "fill-mtrr-mask",
            "full-cpuid-auto-level", "host-phys-bits", "cpuid-0xb", "tcg-cpuid",
            "vmware-cpuid-freq", "x-force-features", "x-hv-synic-kvm-only",
            "x-intel-pt-auto-level", "x-migrate-smi-count", "kvm-no-smi-migration",
            "osxsave", "ospke"}
# QEMU's other spellings of one feature (target/i386/cpu.c: legacy '_' names, and the aliases
# registered beside feature_word_info names).
ALIASES = {"sse3": "pni", "pclmuldq": "pclmulqdq", "sse4-1": "sse4.1", "sse4-2": "sse4.2",
           "xd": "nx", "ffxsr": "fxsr-opt", "i64": "lm", "hv-vpindex": "hv-vpindex"}

# Offered by QEMU on every KVM host though -cpu host does not turn it on, so a destination's
# expansion does not show it (target/i386/kvm/kvm.c kvm_arch_get_supported_cpuid():
# KVM_HINTS_REALTIME is always allowed). An old QEMU's expansion of Core-i5-650 has it on.
ALWAYS_OFFERED = {"kvm-hint-dedicated"}

def canon(p):
    p = p.replace("_", "-")
    return ALIASES.get(p, p)

def expansion(path):
    text, dec, i, props = open(path).read(), json.JSONDecoder(), 0, None
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        doc, i = dec.raw_decode(text, i)
        ret = doc.get("return")
        if props is None and isinstance(ret, dict) and "model" in ret:
            props = ret["model"]["props"]
    feats = {canon(k) for k, v in props.items()
             if v is True and not k.startswith("hv-") and canon(k) not in SETTINGS}
    return props["vendor"], feats

def main():
    cc, d = sys.argv[1:3]
    # stride k > 1: every k-th pair only (a sanitizer build runs each compare ~30x slower; with k
    # prime to 50 the sample still takes every host as source and as destination)
    stride = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    names = sorted(os.path.basename(p)[:-5] for p in glob.glob(d + "/*.json"))
    hosts = {n: expansion("%s/%s.json" % (d, n)) for n in names}
    pairs = [(a, b) for a in names for b in names if a != b][::stride]

    def judge(pair):
        a, b = pair
        out = subprocess.run([cc, "compare", "--format", "json", "%s/%s.xml" % (d, a),
                              "%s/%s.xml" % (d, b)], capture_output=True, text=True)
        if out.returncode not in (0, 1):
            return pair, "exit %d: %s" % (out.returncode, out.stderr.strip())
        v = json.loads(out.stdout)
        (va, fa), (vb, fb) = hosts[a], hosts[b]
        want_missing = fa - fb - ALWAYS_OFFERED
        want = va == vb and not want_missing
        got = {canon(x["name"]) for x in v["blockers"]
               if x["name"] != "vendor" and not x["name"].startswith("xsave-component-")}
        vendor_blocked = any(x["name"] == "vendor" for x in v["blockers"])
        if v["migratable"] != want or (out.returncode == 0) != want:
            return pair, "verdict %s, QEMU's %s" % (v["migratable"], want)
        if vendor_blocked != (va != vb):
            return pair, "vendor blocker %s, vendors %s/%s" % (vendor_blocked, va, vb)
        if got != want_missing:
            return pair, "only cpucompat: %s; only QEMU: %s" % (
                sorted(got - want_missing), sorted(want_missing - got))
        return pair, None

    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        results = list(ex.map(judge, pairs))
    bad = [(p, why) for p, why in results if why]
    agree_yes = sum(1 for (a, b), why in results if not why and hosts[a][0] == hosts[b][0]
                    and not hosts[a][1] - hosts[b][1] - ALWAYS_OFFERED)
    print("%s - compare of %s ordered pair of %d QEMU expansions (%d pairs, %d migratable) "
          "gives QEMU's host-model verdict and names exactly the missing features" % (
              "ok" if not bad and len(names) == 51 else "not ok",
              "every" if stride == 1 else "every %dth" % stride, len(names), len(pairs),
              agree_yes))
    for (a, b), why in bad[:20]:
        print("#   %s -> %s: %s" % (a, b, why))
    if bad:
        print("#   %d pairs disagree" % len(bad))
    return 0

sys.exit(main())
