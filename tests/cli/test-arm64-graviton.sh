# Every ordered pair of the six AWS Graviton views (three cores, Linux 6.1 and 6.18): the verdict
# and the exact blockers of tests/data/arm64/graviton-pairs.txt, where each expectation carries
# its reason. Same-core kernel upgrades must go through; what blocks must be what KVM refuses.
. "$(dirname "$0")/lib.sh"
A=$TOP/tests/data/arm64

for f in "$A"/graviton*@linux-*.regs; do
    "$CPUCOMPAT" import arm64-regs "$f" -o "$T/$(basename "$f" .regs).xml"
done
n=0
while read -r src dst want rest; do
    case "$src" in '#'* | '') continue ;; esac
    n=$((n + 1))
    expected=${rest%%#*}
    why=${rest#*# }
    "$CPUCOMPAT" compare --format json "$T/$src.xml" "$T/$dst.xml" >"$T/c.json"
    rc=$?
    if python3 - "$T/c.json" "$want" "$rc" $expected >"$T/why.txt" <<'PY'; then
import json, re, sys
v = json.load(open(sys.argv[1]))
want, rc, tokens = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
names = set()
for t in tokens:
    m = re.fullmatch(r'([A-Z0-9_]+)\.\{(.*)\}', t)
    names |= {m.group(1) + '.' + f for f in m.group(2).split(',')} if m else ({t} - {'-'})
got = {b['name'] for b in v['blockers']}
ok = v['migratable'] == (want == 'yes') and rc == (0 if want == 'yes' else 1) and got == names
if not ok:
    print('migratable %s (exit %d); missing %s; unexpected %s' % (
        v['migratable'], rc, sorted(names - got), sorted(got - names)))
sys.exit(0 if ok else 1)
PY
        ok "$src -> $dst: migratable $want ($why)"
    else
        not_ok "$src -> $dst: migratable $want ($why)" "$(cat "$T/why.txt")"
    fi
done <"$A/graviton-pairs.txt"
check "the table covers all 30 ordered pairs" test "$n" -eq 30

# The upgrade goes through because 6.18's setters take and drop the host's own MPAM and NV. The
# guest then reads 0 where it read 1 and 2: a change it can see, of fields KVM never backed for
# guests, so a warning (class "identification") naming the function, not a blocker.
"$CPUCOMPAT" compare --format json "$T/graviton3@linux-6.1.xml" "$T/graviton3@linux-6.18.xml" >"$T/up.json"
check "Graviton3 6.1 -> 6.18: the dropped MPAM and NV are warnings naming their setters" python3 -c "
import json
v = json.load(open('$T/up.json'))
w = {x['name']: x for x in v['warnings']}
assert set(w) == {'ID_AA64PFR0_EL1.MPAM', 'ID_AA64MMFR2_EL1.NV'}, w
assert all(x['reason'] == 'identification' for x in w.values()), w
assert w['ID_AA64PFR0_EL1.MPAM']['detail'].startswith('source 1, destination 0'), w
assert 'set_id_aa64pfr0_el1()' in w['ID_AA64PFR0_EL1.MPAM']['detail'], w
assert 'set_id_aa64mmfr2_el1()' in w['ID_AA64MMFR2_EL1.NV']['detail'], w
assert 'destination judged by Linux 6.18 rules' in ' '.join(v['notes']), v['notes']
assert not any('lies between' in n or n.startswith('uncertain') for n in v['notes']), v['notes']"
"$CPUCOMPAT" compare --strict --format json "$T/graviton3@linux-6.1.xml" \
    "$T/graviton3@linux-6.18.xml" >"$T/strict.json"
rc=$?
check "... with --strict the two warnings are the blockers (exit 1)" python3 -c "
import json
v = json.load(open('$T/strict.json'))
assert $rc == 1 and not v['migratable'] and v['warnings'] == [], ($rc, v['warnings'])
assert sorted(x['name'] for x in v['blockers']) == ['ID_AA64MMFR2_EL1.NV', 'ID_AA64PFR0_EL1.MPAM'], v['blockers']"

# On a kernel without the setter (6.12.5, before the 6.12.6 backport) the same move is refused;
# on one whose source was not read (6.15: the NV setter's first release is unknown) the NV
# blocker is there and marked uncertain.
for rel in 6.12.5 6.15.2; do
    sed "s/6\.18\.30-61\.116\.amzn2023\.aarch64/$rel/" "$T/graviton3@linux-6.18.xml" >"$T/g3-$rel.xml"
    "$CPUCOMPAT" compare --format json "$T/graviton3@linux-6.1.xml" "$T/g3-$rel.xml" >"$T/$rel.json"
done
check "... on 6.12.5 (no MPAM setter yet) MPAM and NV block" python3 -c "
import json
b = {x['name']: x for x in json.load(open('$T/6.12.5.json'))['blockers']}
assert set(b) == {'ID_AA64PFR0_EL1.MPAM', 'ID_AA64MMFR2_EL1.NV'}, b
assert not any(x['uncertain'] for x in b.values()), b"
check "... on 6.15.2 MPAM is dropped, NV blocks and the notes say it may not" python3 -c "
import json
v = json.load(open('$T/6.15.2.json'))
assert [(x['name'], x['uncertain']) for x in v['blockers']] == [('ID_AA64MMFR2_EL1.NV', True)], v['blockers']
assert any(n.startswith('uncertain: ID_AA64MMFR2_EL1.NV') for n in v['notes']), v['notes']"

# A different core: the destination's hardware value is not in a 6.18 dump, unless the dump
# found it (kvm-host-value-*, what KVM took on that host).
sed 's|<property name="kernel-release" value="\([^"]*\)"/>|&<property name="kvm-host-value-ID_AA64PFR0_EL1.MPAM" value="1"/><property name="kvm-host-value-ID_AA64MMFR2_EL1.NV" value="2"/>|' \
    "$T/graviton4@linux-6.18.xml" >"$T/g4-probed.xml"
"$CPUCOMPAT" compare --format json "$T/graviton3@linux-6.1.xml" "$T/g4-probed.xml" >"$T/g34.json"
check "Graviton3 6.1 -> Graviton4 6.18 whose dump found MPAM 1 and NV 2 taken: neither blocks" python3 -c "
import json
b = [x['name'] for x in json.load(open('$T/g34.json'))['blockers']]
assert 'ID_AA64PFR0_EL1.MPAM' not in b and 'ID_AA64MMFR2_EL1.NV' not in b and 'MIDR_EL1' in b, b"

# The register list QEMU compares (KVM_GET_REG_LIST, recorded by dump as kvm-reg-list) and the
# firmware feature bitmaps: a copy of the Graviton3 6.18 dump with a list, and the same host
# with one system register and one SVE register fewer, and fewer vendor services.
addprops() { # addprops IN OUT LIST VENDOR_BMAP
    sed "s|<property name=\"kernel-release\" value=\"\([^\"]*\)\"/>|&<property name=\"kvm-reg-list\" value=\"$3\"/>|" "$1" |
        sed "s|^\( *\)\(ID_AA64AFR0_EL1 \)|\1FW_VENDOR_HYP_BMAP 0x6030000000160002 $4\n\1\2|" >"$2"
}
G=$T/graviton3@linux-6.18.xml
addprops "$G" "$T/rl-src.xml" "0x6030000000130000-0x6030000000130007 0x603000000013c008 0x6080000000150000" 0x0000000000000003
addprops "$G" "$T/rl-dst.xml" "0x6030000000130000-0x6030000000130006 0x603000000013c008" 0x0000000000000001
check "both lists and bitmaps valid in the schema" xmllint --noout --relaxng "$TOP/data/schema/capabilities.rng" "$T/rl-src.xml" "$T/rl-dst.xml"
"$CPUCOMPAT" compare --format json "$T/rl-src.xml" "$T/rl-dst.xml" >"$T/rl.json"
check "a register the destination's KVM does not list blocks (QEMU's cpu_post_load); SVE ones do not count" python3 -c "
import json
b = {x['name']: x for x in json.load(open('$T/rl.json'))['blockers']}
assert set(b) == {'kvm-reg-list', 'FW_VENDOR_HYP_BMAP'}, b
assert b['kvm-reg-list']['detail'].endswith('(cpu_post_load): S0_0_C0_C0_7'), b
assert 'bits 0x2' in b['FW_VENDOR_HYP_BMAP']['detail'], b"
"$CPUCOMPAT" compare --format json "$T/rl-dst.xml" "$T/rl-src.xml" >"$T/rl2.json"
check "the other way: fewer registers and a subset of the services go through" python3 -c "
import json
v = json.load(open('$T/rl2.json'))
assert v['migratable'] and v['blockers'] == [], v['blockers']"
sed 's|value="0x6030000000130000-|value="zz-|' "$T/rl-src.xml" >"$T/rl-bad.xml"
expect_error "a malformed kvm-reg-list: exit 2, names the file" "kvm-reg-list: not a list of register ids" \
    compare "$T/rl-bad.xml" "$T/rl-dst.xml"
done_testing
