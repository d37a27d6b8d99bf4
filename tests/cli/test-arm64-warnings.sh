# Changes the guest can observe that take no capability away are warnings, not blockers; with
# --strict they block. The captures have no PMU or firmware registers (vCPU features none), so
# the same core on the rig's Linux 6.1 and 7.2 gets them added, with the values each kernel
# shows: 6.1's PMCR_EL0 carries the hardware's maker (IMP 0x41, IDCODE 2), 7.2's reset_pmcr()
# leaves both 0 and set_pmcr() ignores them (arch/arm64/kvm/sys_regs.c:1433@7.2.13); a host
# needing no Spectre-v2 workaround reports FW_SMCCC_ARCH_WORKAROUND_1 level 2, one with it 1.
. "$(dirname "$0")/lib.sh"
A=$TOP/tests/data/arm64

# mk NAME CAPTURE PMCR WA1: a capture with PMCR_EL0 and FW_SMCCC_ARCH_WORKAROUND_1 added.
mk() {
    { cat "$A/$2.regs"; echo "PMCR_EL0 $3"; echo "FW_SMCCC_ARCH_WORKAROUND_1 $4"; } >"$T/$1.regs"
    "$CPUCOMPAT" import arm64-regs "$T/$1.regs" -o "$T/$1.xml"
}
mk old cortex-a72@linux-6.1 0x41023040 0x1
mk new cortex-a72@linux-7.2 0x00003040 0x2
sed 's/^kernel-release .*/kernel-release 6.9.4/' "$T/new.regs" >"$T/mid.regs"
"$CPUCOMPAT" import arm64-regs "$T/mid.regs" -o "$T/mid.xml"

# judge NAME SRC DST [OPTION]: the JSON report in $T/NAME.json, the exit status in $T/NAME.rc.
judge() {
    "$CPUCOMPAT" compare --format json ${4:-} "$T/$2.xml" "$T/$3.xml" >"$T/$1.json"
    echo $? >"$T/$1.rc"
}
judge up old new
check "6.1 -> 7.2: PMCR_EL0.IMP/IDCODE and the workaround level are warnings; migratable, exit 0" python3 -c "
import json
v = json.load(open('$T/up.json'))
assert open('$T/up.rc').read().strip() == '0' and v['migratable'], v['blockers']
w = {x['name']: x for x in v['warnings']}
assert set(w) == {'PMCR_EL0.IMP', 'PMCR_EL0.IDCODE', 'FW_SMCCC_ARCH_WORKAROUND_1'}, w
assert all(x['reason'] == 'identification' and not x['uncertain'] for x in w.values()), w
assert w['PMCR_EL0.IMP']['detail'].startswith('source 65, destination 0'), w
assert 'the guest reads 0 after the move' in w['PMCR_EL0.IMP']['detail'], w
assert not any(b['name'].startswith(('PMCR', 'FW_')) for b in v['blockers'])"
judge strict old new --strict
check "... --strict: the same three are blockers, exit 1, and a note says so" python3 -c "
import json
v = json.load(open('$T/strict.json'))
assert open('$T/strict.rc').read().strip() == '1' and not v['migratable'] and v['warnings'] == []
assert sorted(b['name'] for b in v['blockers']) == ['FW_SMCCC_ARCH_WORKAROUND_1', 'PMCR_EL0.IDCODE', 'PMCR_EL0.IMP'], v['blockers']
assert '--strict: 3 warnings counted as blockers' in v['notes'], v['notes']"
"$CPUCOMPAT" compare --strict "$T/old.xml" "$T/new.xml" >"$T/strict.txt"
check "... the text report lists them under blockers" grep -q '^  PMCR_EL0.IMP .*identification: source 65' "$T/strict.txt"
"$CPUCOMPAT" compare "$T/old.xml" "$T/new.xml" >"$T/up.txt"
check "... and without --strict under warnings" sh -c "grep -q '^warnings      3$' '$T/up.txt' && ! grep -q '^blockers' '$T/up.txt'"

# 6.1 keeps what is written to PMCR_EL0 (no set_user, sys_regs.c:1636@6.1.192): the guest sees
# no change, so no warning; the higher workaround level cannot be written back (a blocker).
judge down new old
check "7.2 -> 6.1: no PMCR_EL0 warning (6.1 keeps the written maker); the higher workaround level blocks" python3 -c "
import json
v = json.load(open('$T/down.json'))
assert not any(x['name'].startswith('PMCR') for x in v['warnings'] + v['blockers']), v
assert 'FW_SMCCC_ARCH_WORKAROUND_1' in [b['name'] for b in v['blockers']], v['blockers']"

# A kernel between two rule sets (6.9: 6.6 keeps the written PMCR_EL0, no set_user at
# sys_regs.c:2223@6.6.80; 6.12 its own): judged by 6.6, and the disagreement is said, never
# silent.
judge mid old mid
check "6.1 -> 6.9.4: judged by 6.6 (no PMCR warning) with an uncertain note for IMP and IDCODE" python3 -c "
import json
v = json.load(open('$T/mid.json'))
assert not any(x['name'].startswith('PMCR') for x in v['warnings']), v['warnings']
n = [x for x in v['notes'] if x.startswith('uncertain: PMCR_EL0.')]
assert len(n) == 2 and all('Linux 6.6 and Linux 6.12' in x for x in n), v['notes']"
# On 6.6 itself: its own rules, which keep the written PMCR_EL0 as 6.1 does; nothing uncertain.
sed 's/^kernel-release .*/kernel-release 6.6.80/' "$T/new.regs" >"$T/k66.regs"
"$CPUCOMPAT" import arm64-regs "$T/k66.regs" -o "$T/k66.xml"
judge k66 old k66
check "6.1 -> 6.6.80: judged by Linux 6.6 rules, no PMCR warning, no uncertain note" python3 -c "
import json
v = json.load(open('$T/k66.json'))
assert not any(x['name'].startswith('PMCR') for x in v['warnings'] + v['blockers']), v
assert 'destination judged by Linux 6.6 rules (its kernel: 6.6.80)' in v['notes'], v['notes']
assert not any(x.startswith('uncertain') or 'lies between' in x for x in v['notes']), v['notes']"

# AArch32 ID registers between two hosts without AArch32 (the rig's A64FX captures): KVM takes
# and ignores the write on both kernels, and the guest reads the destination's value (7.2 shows
# ID_DFR0_EL1.PerfMon 4, 6.1 0; tests/rigs/test-arm64-guest-view.sh reads them in a guest): a
# warning. A guest that had AArch32 (Neoverse N1) loses it there: blockers.
for c in a64fx@linux-6.1 a64fx@linux-7.2 neoverse-n1@linux-7.2; do
    "$CPUCOMPAT" import arm64-regs "$A/$c.regs" -o "$T/$c.xml"
done
judge a64up a64fx@linux-6.1 a64fx@linux-7.2
check "a64fx 6.1 -> 7.2: migratable; ID_DFR0_EL1 a warning naming the value the guest reads" python3 -c "
import json
v = json.load(open('$T/a64up.json'))
assert open('$T/a64up.rc').read().strip() == '0' and v['migratable'], v['blockers']
w = [x for x in v['warnings'] if x['name'] == 'ID_DFR0_EL1']
assert len(w) == 1 and w[0]['reason'] == 'identification', v['warnings']
assert 'the guest reads 0x4000000 after the move' in w[0]['detail'], w"
judge a64down a64fx@linux-7.2 a64fx@linux-6.1
check "a64fx 7.2 -> 6.1: ID_DFR0_EL1 a warning (the guest reads 0), not among the blockers" python3 -c "
import json
v = json.load(open('$T/a64down.json'))
assert [x['name'] for x in v['warnings']] == ['ID_DFR0_EL1'], v['warnings']
assert 'the guest reads 0 after the move' in v['warnings'][0]['detail'], v['warnings']
assert 'ID_DFR0_EL1' not in [b['name'] for b in v['blockers']], v['blockers']"
judge n1a64 neoverse-n1@linux-7.2 a64fx@linux-7.2
check "neoverse-n1 -> a64fx on 7.2: the guest loses AArch32, its ID registers block" python3 -c "
import json
v = json.load(open('$T/n1a64.json'))
b = {x['name']: x for x in v['blockers']}
assert b['ID_ISAR0_EL1']['reason'] == 'invariant' and 'ID_DFR0_EL1' in b, sorted(b)
assert not any(x['name'].startswith(('ID_ISAR', 'ID_DFR0', 'MVFR')) for x in v['warnings'])"

X=$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml
expect_error "--strict on x86: exit 2" "--strict is an aarch64 option; these files are x86_64" \
    compare --strict "$X" "$X"
done_testing
