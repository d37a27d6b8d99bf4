#!/usr/bin/env python3
"""For each libvirt QEMU capabilities cache given: `cpucompat models` on its import must give,
for every model the cache lists, QEMU's own answer (usable flag, blocker set). Differences that
are inherent are listed in EXPLAINED with the reason; anything else fails. TAP lines out.
Usage: qemu_models_agree.py CPUCOMPAT CAPS.xml IMPORTED.xml"""
import json, subprocess, sys, xml.etree.ElementTree as ET

# Models a cache lists that the catalog (QEMU 7.2's definitions) does not define: the accelerator
# pseudo-models, and Icelake-Client, which QEMU 7.1 removed.
NOT_IN_CATALOG = {"max", "host", "base"} | {
    "Icelake-Client", "Icelake-Client-noTSX", "Icelake-Client-v1", "Icelake-Client-v2",
    "Icelake-Client-v3"}

# (QEMU version prefix, model prefix): (features only QEMU blocks, features only cpucompat
# blocks, why). The catalog holds QEMU 7.2's definitions; these releases defined them otherwise.
EXPLAINED = [
    (("4.2", "5.0"), ("phenom", "Opteron_G4", "Opteron_G5", "EPYC", "Dhyana"), {"npt", "nrip-save"}, set(),
     "before QEMU 5.1 the AMD models listed npt and nrip-save without requiring svm; 7.2 drops them with svm off"),
    (("4.2",), ("EPYC",), {"ibpb"}, set(),
     "in QEMU 4.2 the unversioned EPYC was EPYC-IBPB's feature set (7.2: alias of EPYC-v1)"),
    (("5.0",), ("EPYC",), {"ibpb"}, set(),
     "in QEMU 5.0 the unversioned EPYC was EPYC-IBPB's feature set (7.2: alias of EPYC-v1)"),
    (("4.2",), ("Cascadelake-Server",), {"ibrs-all", "mds-no", "rdctl-no"}, set(),
     "QEMU 4.2's Cascadelake-Server (v1) carried the arch-capabilities bits that 7.2 moved to v2"),
    (("6.1",), ("Cooperlake",), {"avx-vnni"}, set(),
     "QEMU 6.1 listed avx-vnni in Cooperlake by mistake; removed in QEMU 7.0"),
]

def explained(ver, model, qonly, oonly):
    q, o, whys = set(), set(), []
    for vers, models, eq, eo, why in EXPLAINED:
        if ver.startswith(vers) and model.startswith(models):
            q |= eq
            o |= eo
            whys.append(why)
    return "; ".join(whys) if whys and qonly <= q and oonly <= o else None

def main():
    cc, caps, imp = sys.argv[1:4]
    root = ET.parse(caps).getroot()
    v = int(root.findtext("version"))
    ver = "%d.%d.%d" % (v // 1000000, v // 1000 % 1000, v % 1000)
    name = caps.rsplit("/", 1)[-1]
    out = json.loads(subprocess.run([cc, "models", "--format", "json", imp], check=True,
                                    capture_output=True, text=True).stdout)
    ours, offered = {}, set()
    for m in out["models"]:
        if m["origin"] == "x86-64 psABI":
            continue  # a psABI level: no QEMU model of that name
        for n in [m["name"]] + m["aliases"]:
            ours[n] = (m["usable"], set(m["unavailable_features"]))
            if m.get("not_in_qemu") is None:
                offered.add(n)
    n = agree = 0
    notes, fails, absent = [], [], []
    for c in root.findall("cpu"):
        if c.get("type") != "kvm":
            continue
        model = c.get("name")
        qu, qb = c.get("usable") == "yes", {b.get("name") for b in c.findall("blocker")}
        n += 1
        if model not in ours:
            (absent if model in NOT_IN_CATALOG else fails).append(model)
            continue
        ou, ob = ours[model]
        if (ou, ob) == (qu, qb):
            agree += 1
            continue
        why = explained(ver, model, qb - ob, ob - qb)
        line = "%s: QEMU usable=%s only-QEMU=%s only-cpucompat=%s" % (
            model, qu, sorted(qb - ob), sorted(ob - qb))
        (notes if why else fails).append(line + ("; " + why if why else ""))
    # The import records the cache's QEMU, so models offers exactly what that release defines.
    listed = {c.get("name") for c in root.findall("cpu") if c.get("type") == "kvm"}
    want = ver if v % 1000 else ver.rsplit(".", 1)[0]  # cpucompat omits a micro version of 0
    if out.get("qemu") != want:
        fails.append("judged by QEMU %s, not the cache's %s" % (out.get("qemu"), ver))
    for extra in sorted(offered - listed):
        fails.append("%s: offered, but QEMU %s does not define it" % (extra, ver))
    status = "ok" if not fails else "not ok"
    print("%s - %s (QEMU %s): %d models, %d agree, %d explained, %d not in the catalog (%s); "
          "no model offered that it lacks (%d offered)" % (
        status, name, ver, n, agree, len(notes), len(absent), " ".join(absent), len(offered)))
    for l in notes:
        print("#   explained " + l)
    for l in fails:
        print("#   DIFFERS " + l)
    return 0

sys.exit(main())
