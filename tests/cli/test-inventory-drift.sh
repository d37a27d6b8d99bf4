# inventory --since: a fleet of real captures as yesterday's files, and today's copy in which two
# x86 hosts lost hle and rtm (their CPUID leaf 7 edited as the file stores it), an arm64 host
# lost MPAM (ID_AA64PFR0_EL1.MPAM set to 0), a probed host got new microcode under a new file
# name, one host was removed and one file renamed. The drift is checked over the JSON, with
# yesterday given as a directory and as yesterday's inventory JSON, against compare (which must
# refuse the old host-model guest on each host that lost something), and bad OLD arguments.
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data
Y=$T/yesterday
N=$T/today
mkdir -p "$Y/x86" "$Y/arm64"
bad=
for n in Xeon-Gold-6148 Xeon-Platinum-8268 Xeon-E5-2630-v3 EPYC-7502-32-Core Core2-E6850 Atom-D510; do
    "$CPUCOMPAT" import libvirt-cpudata "$D/x86/libvirt/x86_64-cpuid-$n.xml" -o "$Y/x86/$n.xml" 2>>"$T/import.err" || bad="$bad $n"
done
for n in graviton3@linux-6.1 graviton2@linux-6.18 cortex-a72@linux-6.1; do
    "$CPUCOMPAT" import arm64-regs "$D/arm64/$n.regs" -o "$Y/arm64/$n.xml" 2>>"$T/import.err" || bad="$bad $n"
done
"$CPUCOMPAT" import s390x-cpuinfo "$D/s390x/rig-gen15a-clipped.cpuinfo" -o "$Y/gen15a.xml" 2>>"$T/import.err" || bad="$bad gen15a"
# A probed host (hostname "vm") with its microcode recorded, as dump writes it.
sed 's|</brand>|</brand>\n    <microcode>0x0a0011d1</microcode>|' "$D/x86/hosts/epyc-milan-nested-kvm.xml" >"$Y/x86/milan.xml"
check "yesterday's fleet: every real capture imports" test -z "$bad"

cp -r "$Y" "$N"
rm "$N/x86/Core2-E6850.xml" "$N/x86/milan.xml"
mv "$N/x86/Atom-D510.xml" "$N/x86/atom-renamed.xml"
sed 's|0x0a0011d1|0x0a0011d5|' "$Y/x86/milan.xml" >"$N/x86/milan-2026-12-05.xml"
# hle is CPUID.(7,0):EBX bit 4 and rtm bit 11: cleared in the raw row of every view, and in the
# decoded names (written for people; never read back).
python3 - "$N/x86/Xeon-Gold-6148.xml" "$N/x86/Xeon-Platinum-8268.xml" "$N/arm64/graviton3@linux-6.1.xml" <<'EOF' 2>"$T/edit.err"
import re, sys
def row(m):
    cols = m.group(0).split()
    cols[3] = "0x%08x" % (int(cols[3], 16) & ~((1 << 4) | (1 << 11)))
    return " ".join(cols)
def names(m):
    words = [w for w in m.group(2).split() if w not in ("hle", "rtm")]
    return '<features count="%d">%s</features>' % (len(words), " ".join(words))
for f in sys.argv[1:3]:
    text = open(f).read()
    text, n = re.subn(r"0x00000007 0x00000000 0x[0-9a-f]{8} 0x[0-9a-f]{8} 0x[0-9a-f]{8} 0x[0-9a-f]{8}", row, text)
    assert n >= 1, f
    text = re.sub(r'<features count="(\d+)">([^<]*)</features>', names, text)
    open(f, "w").write(text)
# ID_AA64PFR0_EL1.MPAM is bits 43:40.
f = sys.argv[3]
text = open(f).read()
def mpam(m):
    v = int(m.group(2), 16)
    assert (v >> 40) & 0xf == 1, hex(v)
    return "%s0x%016x" % (m.group(1), v & ~(0xf << 40))
text, n = re.subn(r"(ID_AA64PFR0_EL1 0x[0-9a-f]+ )(0x[0-9a-f]{16})", mpam, text)
assert n == 1
text = re.sub(r"\bFEAT_MPAM\S*\s*", "", text)
open(f, "w").write(text)
EOF
check "today's copy edited" test ! -s "$T/edit.err"

# The copies still validate, and show no longer finds what was taken away.
for f in "$N/x86/Xeon-Gold-6148.xml" "$N/x86/Xeon-Platinum-8268.xml"; do
    run show --format json "$f"
    check "$(basename "$f"): still a valid file, without hle and rtm (show)" python3 -c "
import json; s = json.load(open('$T/stdout'))
assert $rc == 0
text = json.dumps(s)
assert '\"hle\"' not in text and '\"rtm\"' not in text, 'hle/rtm still shown'"
done
run show --format json "$Y/x86/Xeon-Gold-6148.xml"
check "yesterday's Xeon-Gold-6148 has hle and rtm (show)" python3 -c "
import json; text = json.dumps(json.load(open('$T/stdout')))
assert '\"hle\"' in text and '\"rtm\"' in text"
run show "$N/arm64/graviton3@linux-6.1.xml"
check "today's graviton3 is still a valid file" test "$rc" -eq 0

# What the drift must say, whichever form yesterday takes.
cat >"$T/expect.py" <<EOF
import json, sys
d = json.load(open(sys.argv[1]))["drift"]
rc = int(sys.argv[2])
base = lambda f: f.split("/")[-1]
hosts = d["hosts"]
lost = {base(h["file"]): h for h in hosts if h["lost"]}
want = {"Xeon-Gold-6148.xml": [("hle", None, None), ("rtm", None, None)],
        "Xeon-Platinum-8268.xml": [("hle", None, None), ("rtm", None, None)],
        "graviton3@linux-6.1.xml": [("ID_AA64PFR0_EL1.MPAM", "1", "0")]}
assert rc == 1, "exit %d, want 1 (a host lost features)" % rc
# exactly those hosts, listed first, with exactly those losses and nothing else
assert {base(h["file"]) for h in hosts[:3]} == set(want) and not any(h["lost"] for h in hosts[3:]), hosts
assert set(lost) == set(want), sorted(lost)
for b, h in lost.items():
    assert sorted((c["name"], c["old"], c["new"]) for c in h["lost"]) == want[b], (b, h["lost"])
    assert h["gained"] == [] and h["changed"] == [] and h["versions"] == [], (b, h)
    assert h["class"] != h["old_class"] and h["matched_by"] == "path", h
assert d["lost"] == 3
# the microcode update under a new file name: matched by hostname, a version change only
rest = [h for h in hosts if not h["lost"]]
assert len(rest) == 1, rest
m = rest[0]
assert (base(m["file"]), base(m["old_file"]), m["matched_by"], m["hostname"]) == \
    ("milan-2026-12-05.xml", "milan.xml", "hostname", "vm"), m
assert m["versions"] == [{"name": "microcode", "old": "0x0a0011d1", "new": "0x0a0011d5"}], m["versions"]
assert m["class"] == m["old_class"] and not m["gained"] and not m["changed"], m
assert d["changed"] == 4
# the removed and the renamed host (no hostname: matched by path) are gone and new
assert sorted(base(h["file"]) for h in d["gone"]) == ["Atom-D510.xml", "Core2-E6850.xml"], d["gone"]
assert [base(h["file"]) for h in d["new"]] == ["atom-renamed.xml"], d["new"]
assert (d["disappeared"], d["appeared"]) == (2, 1)
# every other host: nothing reported
assert d["unchanged"] == 5, d["unchanged"]
EOF

run inventory --format json --since "$Y" "$N"
cp "$T/stdout" "$T/dir.json"
if python3 "$T/expect.py" "$T/dir.json" "$rc" 2>"$T/py.err"; then
    ok "OLD a directory: the three hosts that lost hle/rtm and MPAM first, the rest as changed"
else
    not_ok "OLD a directory: the hosts that lost features first" "exit $rc" "$(tail -3 "$T/py.err")" "$(head -3 "$T/stderr")"
fi

run inventory --format json "$Y"
cp "$T/stdout" "$T/yesterday.json"
check "yesterday's inventory as JSON" test "$rc" -eq 0
run inventory --format json --since "$T/yesterday.json" "$N"
cp "$T/stdout" "$T/json.json"
if python3 "$T/expect.py" "$T/json.json" "$rc" 2>"$T/py.err"; then
    ok "OLD yesterday's inventory JSON: the same hosts and losses"
else
    not_ok "OLD yesterday's inventory JSON: the same hosts and losses" "exit $rc" "$(tail -3 "$T/py.err")" "$(head -3 "$T/stderr")"
fi
check "the drift is the same from the directory and from the JSON" python3 -c "
import json
a = json.load(open('$T/dir.json'))['drift']; b = json.load(open('$T/json.json'))['drift']
a.pop('since'); b.pop('since')
assert a == b, (a, b)"

# A run's own JSON read back as OLD on the same files: no drift, exit 0.
run inventory --format json --since "$T/yesterday.json" "$Y"
check "the JSON of a run as OLD on the same files: no drift, exit 0" python3 -c "
import json; d = json.load(open('$T/stdout'))['drift']
assert $rc == 0, $rc
assert d['hosts'] == [] and d['new'] == [] and d['gone'] == [] and d['lost'] == 0, d
assert d['unchanged'] == 11, d['unchanged']"
run inventory --format json --since "$Y" "$Y"
check "the same directory as OLD: no drift, exit 0" python3 -c "
import json; d = json.load(open('$T/stdout'))['drift']
assert $rc == 0 and d['hosts'] == [] and d['unchanged'] == 11, d"
run inventory --format json --since "$N" "$Y"
check "backwards in time: the features come back as gained, nothing lost, exit 0" python3 -c "
import json; d = json.load(open('$T/stdout'))['drift']
assert $rc == 0 and d['lost'] == 0, ($rc, d['lost'])
g = {h['file'].split('/')[-1]: sorted(c['name'] for c in h['gained']) for h in d['hosts']}
assert g['Xeon-Gold-6148.xml'] == ['hle', 'rtm'] and g['graviton3@linux-6.1.xml'] == ['ID_AA64PFR0_EL1.MPAM'], g"

# Independent of the drift engine: compare must refuse the old host-model guest on each host
# that lost something, for exactly the features the drift names, and take it on a host with
# none lost.
for f in x86/Xeon-Gold-6148.xml x86/Xeon-Platinum-8268.xml arm64/graviton3@linux-6.1.xml; do
    run compare --format json "$Y/$f" "$N/$f"
    cp "$T/stdout" "$T/cmp.json"
    check "compare refuses yesterday's $f guest on today's, blocked by what drift says was lost" python3 -c "
import json
c = json.load(open('$T/cmp.json')); d = json.load(open('$T/dir.json'))['drift']
assert $rc == 1 and c['migratable'] is False, ($rc, c.get('migratable'))
blocked = sorted(b['name'] for b in c['blockers'])
lost = [sorted(x['name'] for x in h['lost']) for h in d['hosts'] if h['file'].endswith('/$f')]
assert lost == [blocked], (lost, blocked)"
done
run compare "$Y/x86/milan.xml" "$N/x86/milan-2026-12-05.xml"
check "compare takes the guest across the microcode update drift reports as nothing lost" test "$rc" -eq 0

# The text report: the drift line and its hosts come right after the summary.
run inventory --since "$T/yesterday.json" "$N"
check "text: exit 1, the drift paragraph after the summary" sh -c "test $rc -eq 1 && sed -n 3p '$T/stdout' | grep -q '^drift since'"

# Bad OLD: one line naming the file, exit 2, nothing on stdout.
head -c 3000 "$T/yesterday.json" >"$T/truncated.json"
expect_error "OLD a truncated JSON" "truncated.json" inventory --since "$T/truncated.json" "$N"
"$CPUCOMPAT" compare --format json "$Y/x86/Xeon-Gold-6148.xml" "$N/x86/Xeon-Gold-6148.xml" >"$T/compare.json"
expect_error "OLD the JSON of another command" "compare.json" inventory --since "$T/compare.json" "$N"
expect_error "OLD a directory that does not exist" "no-such-dir" inventory --since "$T/no-such-dir" "$N"
python3 -c "
import json
d = json.load(open('$T/yesterday.json'))
d['classes'][0]['canonical'] = d['classes'][0]['canonical'].replace('=', '= ', 1)
json.dump(d, open('$T/edited.json', 'w'))"
expect_error "OLD with a class's canonical form edited (no longer its id)" "edited.json" inventory --since "$T/edited.json" "$N"
python3 -c "
import json
d = json.load(open('$T/yesterday.json'))
d['hosts'][0]['class'] = '0123456789abcdef'
json.dump(d, open('$T/noclass.json', 'w'))"
expect_error "OLD with a host of a class it does not list" "noclass.json" inventory --since "$T/noclass.json" "$N"
printf 'garbage\n' >"$T/garbage"
expect_error "OLD neither JSON nor a capability file" "garbage" inventory --since "$T/garbage" "$N"
expect_error "OLD a JSON given beside other paths" "yesterday.json" inventory --since "$T/yesterday.json" --since "$Y" "$N"
# At the reader's size cap (16 MiB): a file over it is refused before it is parsed; one just under
# it, a class whose canonical line is most of the 16 MiB, is read and refused (its text does not
# hash to its id) in one line and bounded time; one of more values than the reader keeps, too.
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$T/huge.json"
expect_error "OLD a JSON over the reader's 16 MiB cap" "huge.json" inventory --since "$T/huge.json" "$N"
{
    printf '{"format": 1, "matrix": [], "hosts": [], "classes": [{"id": "0123456789abcdef", "arch": "x86_64", "canonical": "features='
    head -c $((16 * 1024 * 1024 - 200)) /dev/zero | tr '\0' x
    printf '"}]}'
} >"$T/atcap.json"
expect_error "OLD a JSON just under the cap whose one class is a 16 MiB line" "atcap.json" inventory --since "$T/atcap.json" "$N"
{
    printf '{"format": 1, "matrix": [], "classes": [], "hosts": ['
    yes '{},' | head -n 300000 | tr -d '\n'
    printf '{}]}'
} >"$T/many.json"
expect_error "OLD a JSON of more values than the reader takes" "many.json" inventory --since "$T/many.json" "$N"

# An old report is untrusted even when its texts hash to their ids (the hash is no signature):
# a class of 50,000 features and 100,000 lines of its own, as Xeon-Gold-6148's yesterday, is
# diffed against today's in n log n (a quadratic diff would not end within the guard).
python3 - "$T/yesterday.json" "$T/hostile.json" <<'EOF'
import json, sys
def fp(text):
    h = 0xcbf29ce484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
    for shift, mul in ((30, 0xbf58476d1ce4e5b9), (27, 0x94d049bb133111eb)):
        h = ((h ^ (h >> shift)) * mul) & (2**64 - 1)
    return "%016x" % (h ^ (h >> 31))
d = json.load(open(sys.argv[1]))
host = [h for h in d["hosts"] if h["file"].endswith("/Xeon-Gold-6148.xml")][0]
cls = [c for c in d["classes"] if c["id"] == host["class"]][0]
assert fp(cls["canonical"]) == cls["id"], "the hash port disagrees with cpucompat"
cls["canonical"] = "arch=x86_64\nfeatures=" + " ".join("f%d" % i for i in range(50000)) + "\n" + \
    "".join("k%d=v\n" % i for i in range(100000))
cls["id"] = host["class"] = fp(cls["canonical"])
json.dump(d, open(sys.argv[2], "w"))
EOF
timeout 120 "$CPUCOMPAT" inventory --format json --since "$T/hostile.json" "$N" >"$T/hostile.out" 2>"$T/stderr"
rc=$?
check "a hostile old class of 150,000 lines is diffed, exit 1" python3 -c "
import json; d = json.load(open('$T/hostile.out'))['drift']
assert $rc == 1, $rc
h = [h for h in d['hosts'] if h['file'].endswith('/Xeon-Gold-6148.xml')][0]
assert len(h['lost']) == 50000 and len(h['changed']) >= 100000, (len(h['lost']), len(h['changed']))"

# A bad file among yesterday's: one line and one errors entry, the drift still reported, exit 2.
cp -r "$Y" "$T/ybad"
printf '<capabilities' >"$T/ybad/x86/cut.xml"
run inventory --format json --since "$T/ybad" "$N"
check "a bad file among OLD's: an errors entry naming it, the drift still reported, exit 2" python3 -c "
import json; r = json.load(open('$T/stdout'))
assert $rc == 2 and [e['file'].split('/')[-1] for e in r['errors']] == ['cut.xml'], r['errors']
assert r['drift']['lost'] == 3"
check "... and one line on stderr" test "$(wc -l <"$T/stderr")" -eq 1

done_testing
