# inventory's cluster model: --group/--group-by-dir over real captures of x86 (several Intel
# generations and AMD), arm64 and s390x; each group's baseline and each class's holdback checked
# against `cpucompat baseline` of the same files, one process per group or group-less-a-class;
# --admit of a twin, an older host and a host of another architecture; bad specs.
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data
F=$T/fleet
mkdir -p "$F/intel" "$F/amd" "$F/arm64" "$F/s390x" "$T/new"
bad=
imp() { "$CPUCOMPAT" import "$@" 2>>"$T/import.err" || bad="$bad $2"; }
for n in Xeon-Platinum-8268 Xeon-Platinum-9242 Xeon-Gold-6148 Xeon-Gold-6130 Xeon-E5-2650-v4; do
    imp libvirt-cpudata "$D/x86/libvirt/x86_64-cpuid-$n.xml" -o "$F/intel/$n.xml"
done
# A second host of one CPU: one class, two hosts.
sed 's/<origin /<origin hostname="gold-b" /' "$F/intel/Xeon-Gold-6148.xml" >"$F/intel/Xeon-Gold-6148-b.xml"
for n in EPYC-7502-32-Core Ryzen-9-3900X-12-Core; do
    imp libvirt-cpudata "$D/x86/libvirt/x86_64-cpuid-$n.xml" -o "$F/amd/$n.xml"
done
for n in graviton2@linux-6.18 graviton3@linux-6.18 graviton3@linux-6.1; do
    imp arm64-regs "$D/arm64/$n.regs" -o "$F/arm64/$n.xml"
done
imp s390x-cpuinfo "$D/s390x/rig-gen15a-clipped.cpuinfo" -o "$F/s390x/gen15a.xml"
"$CPUCOMPAT" expand --arch s390x z14.2 -o "$F/s390x/z14.xml" || bad="$bad z14"
# Candidates: a twin of a member (another hostname), an older Intel host, an arm64 host.
sed 's/<origin /<origin hostname="gold-c" /' "$F/intel/Xeon-Gold-6148.xml" >"$T/new/twin.xml"
imp libvirt-cpudata "$D/x86/libvirt/x86_64-cpuid-Xeon-E5-2650-v3.xml" -o "$T/new/haswell.xml"
imp arm64-regs "$D/arm64/graviton4@linux-6.18.regs" -o "$T/new/graviton4.xml"
check "every real capture imports" test -z "$bad"

# One group per directory: each group's baseline is what `cpucompat baseline` gives for its
# hosts, each class's holdback is the baseline of the group without that class's hosts less the
# group's, and the group's models are those `cpucompat models` finds usable on every member.
# Under emulation or the sanitizers, the holdbacks of the first two classes of each group only.
few=
[ -n "$EMULATED$SANITIZED" ] && few=2
run inventory --format json --group-by-dir "$F"
cp "$T/stdout" "$T/dirs.json"
if [ "$rc" -eq 0 ] && python3 - "$CPUCOMPAT" "$T/dirs.json" "$F" "$few" >"$T/py.out" 2>&1 <<'EOF'; then
import json, subprocess, sys
cc, path, fleet, few = sys.argv[1:5]
d = json.load(open(path))

def baseline(files):
    p = subprocess.run([cc, "baseline", "--format", "json"] + files, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)

def usable(f):
    p = subprocess.run([cc, "models", "--format", "json", f], capture_output=True, text=True)
    return {m["name"] for m in json.loads(p.stdout)["models"] if m["usable"]}

groups = {g["name"]: g for g in d["groups"]}
assert sorted(groups) == sorted(fleet + "/" + x for x in ["amd", "arm64", "intel", "s390x"]), sorted(groups)
holdbacks = 0
for name, g in groups.items():
    hosts = sorted(g["hosts"])
    assert hosts == sorted(h["file"] for h in d["hosts"] if h["file"].startswith(name + "/")), name
    assert sorted(f for c in g["classes"] for f in c["hosts"]) == hosts
    assert g["error"] is None and len(g["classes"]) >= 2, g
    want = baseline(hosts)
    b = g["baseline"]
    assert b["features"] == want["features"], (name, set(b["features"]) ^ set(want["features"]))
    assert (b["model"], b["level"], b["vendor"]) == (want["model"], want["level"], want["vendor"]), name
    for c in g["classes"][:int(few) if few else None]:
        rest = [f for f in hosts if f not in c["hosts"]]
        without = baseline(rest)["features"]
        expect = [f for f in without if f not in b["features"]]
        assert c["holds_back"]["features"] == expect, (name, c["id"], c["holds_back"], expect)
        holdbacks += bool(expect)
    if name.endswith("/intel"):
        common = set.intersection(*(usable(f) for f in hosts))
        assert set(g["models"]) == common, set(g["models"]) ^ common
        assert set(g["best_models"]) <= common and g["best_models"]
        # The old Broadwell host alone costs the Skylake-and-later hosts AVX-512.
        old = [c for c in g["classes"] if any(f.endswith("E5-2650-v4.xml") for f in c["hosts"])]
        assert "avx512f" in old[0]["holds_back"]["features"], old
        assert "avx512f" not in b["features"]
assert holdbacks >= (2 if few else 3), holdbacks
print("groups", len(groups), "holdbacks", holdbacks)
EOF
    ok "--group-by-dir: baselines and holdbacks as 'cpucompat baseline' gives them ($(tail -1 "$T/py.out"))"
else
    not_ok "--group-by-dir: baselines and holdbacks as 'cpucompat baseline' gives them" "exit $rc" "$(tail -4 "$T/py.out")" "$(head -3 "$T/stderr")"
fi

# GLOBs match the path or the hostname; a host in two groups is in both; a group over several
# architectures is one entry per architecture; Intel and AMD have no common CPU (an error in the
# group, not in the inventory); a GLOB that matches nothing is an empty group. The notes name
# the group's own files, though a class's representative may be a host outside the group.
run inventory --format json --group 'gold=gold-*' --group 'skylake=*/intel/Xeon-Gold-*' \
    --group 'all=*' --group 'none=*.nothing' --group 'one=*/Xeon-Gold-6148.xml' "$F"
check "--group: by hostname, by path, overlapping, across architectures, empty" python3 -c "
import json
d = json.load(open('$T/stdout'))
assert $rc == 0 and not d['errors'], d['errors']
g = {}
for x in d['groups']:
    g.setdefault(x['name'], []).append(x)
assert [x['hosts'] for x in g['gold']] == [['$F/intel/Xeon-Gold-6148-b.xml']], g['gold']
assert sorted(g['skylake'][0]['hosts']) == sorted('$F/intel/Xeon-Gold-' + n for n in ['6130.xml', '6148-b.xml', '6148.xml'])
assert sorted(x['arch'] for x in g['all']) == ['aarch64', 's390x', 'x86_64'], g['all']
assert sum(len(x['hosts']) for x in g['all']) == len(d['hosts'])
assert all(any('architectures' in n for n in x['notes']) for x in g['all'])
x86 = [x for x in g['all'] if x['arch'] == 'x86_64'][0]
assert x86['baseline'] is None and 'vendor' in x86['error'], x86['error']
assert g['none'][0]['hosts'] == [] and g['none'][0]['arch'] is None
for x in d['groups']:
    for n in x['notes']:
        for w in n.replace(',', ' ').replace('(', ' ').replace(')', ' ').split():
            assert not w.startswith('$F') or w.rstrip(':') in x['hosts'], (x['name'], n)
assert any('$F' in n for n in g['one'][0]['notes']), g['one']"

# Hosts whose files record no QEMU release: said once per group, with how many and which (the
# first four named), not once per class.
check "no QEMU version: one note per group, counting and naming its hosts" python3 -c "
import json, re
d = json.load(open('$T/dirs.json'))
g = {x['name'].rsplit('/', 1)[1]: x for x in d['groups']}
for name in ('intel', 'amd'):
    x = g[name]
    notes = [n for n in x['notes'] if 'no QEMU version' in n]
    assert len(notes) == 1, notes
    m = re.fullmatch(r'(\d+) hosts record no QEMU version \(see --qemu\): judged as QEMU 7\.2: (.*?)( and (\d+) more)?', notes[0])
    assert m and int(m[1]) == len(x['classes']) >= 2, (notes, len(x['classes']))
    named = m[2].split(', ')
    assert len(named) == min(4, int(m[1])) and int(m[4] or 0) == int(m[1]) - len(named), notes
    assert set(named) <= set(x['hosts']), (named, x['hosts'])
assert len(g['intel']['classes']) > 4
"
sed 's/<origin /<origin qemu-version="8.2.0" /' "$F/amd/EPYC-7502-32-Core.xml" >"$T/epyc-q.xml"
run inventory --format json --group 'amd=*/amd/*' --group 'amdq=*/[eR]*.xml' \
    "$F/amd" "$T/epyc-q.xml"
check "  ... a host with its release recorded is not counted; one without it alone keeps its own note" python3 -c "
import json
d = json.load(open('$T/stdout'))
g = {x['name']: [n for n in x['notes'] if 'no QEMU version' in n] for x in d['groups']}
assert $rc == 0 and g['amd'][0].startswith('2 hosts record no QEMU version'), g
assert g['amdq'] == ['$F/amd/Ryzen-9-3900X-12-Core.xml records no QEMU version (see --qemu): judged as QEMU 7.2'], g
"

# --admit: a twin of a member joins (0); an older host does not (1), and what it costs is what
# `cpucompat baseline` loses with it; a host of another architecture never joins (1).
run inventory --format json --group-by-dir --admit "$F/intel:$T/new/twin.xml" "$F"
check "--admit a twin of a member: admitted, its class named, exit 0" python3 -c "
import json
d = json.load(open('$T/stdout')); a = d['admit']
cls = [h['class'] for h in d['hosts'] if h['file'].endswith('/Xeon-Gold-6148.xml')]
assert $rc == 0 and a['admitted'] and a['class'] == cls[0] and a['reason'] is None, a
assert a['lost'] == {'features': [], 'models': [], 'other': []}, a"
run inventory --format json --group 'dc=*/intel/*' --admit "$T/new/haswell.xml" "$F"
cp "$T/stdout" "$T/admit.json"
arc=$rc
"$CPUCOMPAT" baseline --format json "$F"/intel/*.xml >"$T/b-group.json"
"$CPUCOMPAT" baseline --format json "$F"/intel/*.xml "$T/new/haswell.xml" >"$T/b-with.json"
check "--admit an older host: exit 1, the features lost are what baseline loses with it" python3 -c "
import json
a = json.load(open('$T/admit.json'))['admit']
g = json.load(open('$T/b-group.json'))['features']; w = json.load(open('$T/b-with.json'))['features']
lost = [f for f in g if f not in w]
assert $arc == 1 and not a['admitted'] and a['group'] == 'dc' and a['class'] is None, a
assert a['lost']['features'] == lost and lost, (a['lost'], lost)
assert a['lost']['models'], a['lost']"
run inventory --group 'dc=*/intel/*' --admit "$T/new/haswell.xml" "$F"
check "--admit, text: the answer and the features lost" sh -c \
    "test $rc -eq 1 && grep -q '^admit .*haswell.xml to dc: no' '$T/stdout' && grep -q 'lost features .*rtm' '$T/stdout'"
run inventory --format json --group 'dc=*/intel/*' --admit "$T/new/graviton4.xml" "$F"
check "--admit a host of another architecture: never admitted, exit 1, the reason" python3 -c "
import json
a = json.load(open('$T/stdout'))['admit']
assert $rc == 1 and not a['admitted'] and a['arch'] == 'x86_64' and 'aarch64' in a['reason'], a"
run inventory --format json --group-by-dir --admit "$F/arm64:$T/new/graviton4.xml" "$F"
check "--admit an arm64 host to the arm64 group: an answer from the arm64 baseline" python3 -c "
import json
a = json.load(open('$T/stdout'))['admit']
assert $rc in (0, 1) and a['arch'] == 'aarch64' and a['reason'] is None and a['admitted'] == ($rc == 0), a"

# Errors: one line, exit 2, no report.
expect_error "--group without '='" "wants NAME=GLOB" inventory --group rack1 "$F"
expect_error "--group NAME with a space" "a NAME is letters" inventory --group 'rack 1=*' "$F"
expect_error "--group GLOB with an unclosed [" "never closed" inventory --group 'r=rack[12' "$F"
expect_error "--group NAME twice" "given twice" inventory --group 'r=a*' --group 'r=b*' "$F"
expect_error "--admit FILE among several groups" "name one as --admit NAME:FILE" \
    inventory --group-by-dir --admit "$T/new/twin.xml" "$F"
expect_error "--admit without a group" "--admit needs a group" \
    inventory --admit "$T/new/twin.xml" "$F"
printf '<capabilities format="1" arch="x86_64">' >"$T/new/truncated.xml"
expect_error "--admit a truncated file" "truncated.xml" \
    inventory --group 'dc=*/intel/*' --admit "$T/new/truncated.xml" "$F"
expect_error "--admit and --guest at once" "two questions" \
    inventory --group 'dc=*' --admit "$T/new/twin.xml" --guest "$T/new/twin.xml" "$F"
# A bad file in the fleet still makes the status 2, whatever the admission says.
cp -r "$F/intel" "$T/badfleet"
printf '<capabilities' >"$T/badfleet/bad.xml"
run inventory --format json --group 'dc=*' --admit "$T/new/twin.xml" "$T/badfleet"
check "a bad file among the hosts: exit 2, the admission still reported" python3 -c "
import json
d = json.load(open('$T/stdout'))
assert $rc == 2 and len(d['errors']) == 1 and d['admit']['admitted'], d['admit']"

# The XML carries the same groups.
run inventory --format xml --group-by-dir "$F"
check "--format xml: the groups and their holdbacks" python3 -c "
import xml.etree.ElementTree as ET
r = ET.parse('$T/stdout').getroot()
gs = r.findall('groups/group')
assert len(gs) == 4 and all(g.find('baseline') is not None for g in gs)
assert any(c.find('holds_back/features/feature') is not None for g in gs for c in g.findall('classes/class'))"

done_testing
