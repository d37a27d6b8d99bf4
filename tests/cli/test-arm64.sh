# arm64: import of real register captures (AWS Graviton2/3/4 under KVM, QEMU cores on the KVM
# rig) and the field-by-field verdict of the destination kernel's own rules.
. "$(dirname "$0")/lib.sh"
A=$TOP/tests/data/arm64
SCHEMA=$TOP/data/schema/capabilities.rng

bad=""
for f in "$A"/*.regs; do
    n=$(basename "$f" .regs)
    "$CPUCOMPAT" import arm64-regs "$f" -o "$T/$n.xml" 2>>"$T/import.err" &&
        xmllint --noout --relaxng "$SCHEMA" "$T/$n.xml" 2>/dev/null &&
        "$CPUCOMPAT" compare "$T/$n.xml" "$T/$n.xml" >/dev/null || bad="$bad $n"
done
check "every capture imports, validates and is migratable to itself" test -z "$bad"
[ -z "$bad" ] && true || echo "#   failed:$bad"

# set_field FILE REG LSB WIDTH VALUE OUT: a copy of a capture with one field changed.
set_field() {
    python3 - "$@" <<'PY'
import sys
src, reg, lsb, width, value, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
lines = open(src).read().splitlines()
for i, l in enumerate(lines):
    t = l.split()
    if t and t[0] == reg:
        v = int(t[-1], 16)
        mask = ((1 << width) - 1) << lsb
        t[-1] = '0x%016x' % ((v & ~mask) | ((value << lsb) & mask))
        lines[i] = ' '.join(t)
open(out, 'w').write('\n'.join(lines) + '\n')
PY
}
imp() { "$CPUCOMPAT" import arm64-regs "$1" -o "$2"; }

# Graviton3 -> Graviton2, Linux 6.18: the newer core's features are lower on the older one.
run compare --format json "$T/graviton3@linux-6.18.xml" "$T/graviton2@linux-6.18.xml"
check "Graviton3 -> Graviton2 (6.18): not migratable, exit 1" test "$rc" -eq 1
json_ok "... SHA2 2 -> 1 named with both FEATs, the rule and the kernel" \
    "blocker('ID_AA64ISAR0_EL1.SHA2')['reason'] == 'value too low' and blocker('ID_AA64ISAR0_EL1.SHA2')['detail'] ==
    'source 2 (SHA512, FEAT_SHA512), destination 1 (SHA256, FEAT_SHA256), lower is not safe (LOWER_SAFE, Linux 6.18 rules)'"
json_ok "... MIDR differs: identity, not a feature" "blocker('MIDR_EL1')['reason'] == 'must be equal' and
    blocker('MIDR_EL1')['detail'].startswith('source 0x411fd401, destination 0x413fd0c1: identity')"

# Graviton2 -> Graviton3, Linux 6.18: a signed field, and safe values KVM cannot write.
run compare --format json "$T/graviton2@linux-6.18.xml" "$T/graviton3@linux-6.18.xml"
cp "$T/stdout" "$T/g23.json"
check "Graviton2 -> Graviton3 (6.18): DoubleLock is signed, 0 -> -1 is lower; RAS 1 -> 2 is written (LOWER_SAFE)" \
    python3 -c "
import json
b = {x['name']: x for x in json.load(open('$T/g23.json'))['blockers']}
d = b['ID_AA64DFR0_EL1.DoubleLock']
assert d['reason'] == 'value too low' and 'destination -1 (NI)' in d['detail'], d
assert 'ID_AA64PFR0_EL1.RAS' not in b and 'ID_AA64ISAR0_EL1.AES' not in b, b
"

# Linux 6.1: almost every ID register is read-only, so any difference blocks.
run compare --format json "$T/graviton2@linux-6.1.xml" "$T/graviton3@linux-6.1.xml"
json_ok "Graviton2 -> Graviton3 on 6.1: RNDR 0 -> 1 is safe but read-only" \
    "blocker('ID_AA64ISAR0_EL1.RNDR')['reason'] == 'invariant' and blocker('ID_AA64ISAR0_EL1.RNDR')['detail'].startswith(
    'source 0 (NI), destination 1 (IMP, FEAT_RNG): safe (LOWER_SAFE), but KVM on Linux 6.1 cannot change')"

# Rules on a 7.2 kernel, where most fields are writable: the kind of rule decides.
N1=$A/neoverse-n1@linux-7.2.regs
# ID_AA64MMFR0_EL1.TGRAN4_2 [43:40]: EXACT with safe value 1.
set_field "$N1" ID_AA64MMFR0_EL1 40 4 2 "$T/dst.regs"; imp "$T/dst.regs" "$T/dst.xml"
set_field "$N1" ID_AA64MMFR0_EL1 40 4 1 "$T/src.regs"; imp "$T/src.regs" "$T/src.xml"
run compare "$T/src.xml" "$T/dst.xml"
check "EXACT field: the safe value (1) is accepted where the destination has 2" test "$rc" -eq 0
set_field "$N1" ID_AA64MMFR0_EL1 40 4 3 "$T/src3.regs"; imp "$T/src3.regs" "$T/src3.xml"
run compare --format json "$T/src3.xml" "$T/dst.xml"
json_ok "EXACT field: 3 where the destination has 2 must be equal" \
    "blocker('ID_AA64MMFR0_EL1.TGRAN4_2')['reason'] == 'must be equal' and
    re.match(r'source 3.*destination 2.*\(EXACT, Linux 7.2 rules\)', blocker('ID_AA64MMFR0_EL1.TGRAN4_2')['detail'])"
# ID_AA64MMFR1_EL1.SpecSEI [27:24]: HIGHER_SAFE.
set_field "$N1" ID_AA64MMFR1_EL1 24 4 1 "$T/hs1.regs"; imp "$T/hs1.regs" "$T/hs1.xml"
set_field "$N1" ID_AA64MMFR1_EL1 24 4 0 "$T/hs0.regs"; imp "$T/hs0.regs" "$T/hs0.xml"
run compare "$T/hs1.xml" "$T/hs0.xml"
check "HIGHER_SAFE: 1 on a destination with 0 is fine (and writable on 7.2)" test "$rc" -eq 0
run compare --format json "$T/hs0.xml" "$T/hs1.xml"
json_ok "HIGHER_SAFE: 0 on a destination with 1 is not" \
    "rc == 1 and 'higher is not safe (HIGHER_SAFE' in blocker('ID_AA64MMFR1_EL1.SpecSEI')['detail']"
# CTR_EL0.CWG [27:24]: HIGHER_OR_ZERO_SAFE, and not writable.
set_field "$N1" CTR_EL0 24 4 0 "$T/cwg0.regs"; imp "$T/cwg0.regs" "$T/cwg0.xml"
set_field "$N1" CTR_EL0 24 4 3 "$T/cwg3.regs"; imp "$T/cwg3.regs" "$T/cwg3.xml"
run compare --format json "$T/cwg0.xml" "$T/cwg3.xml"
json_ok "HIGHER_OR_ZERO_SAFE: 0 is safe anywhere, but CTR_EL0 is not writable" \
    "blocker('CTR_EL0.CWG')['reason'] == 'invariant' and
    blocker('CTR_EL0.CWG')['detail'].startswith('source 0, destination 3: safe (HIGHER_OR_ZERO_SAFE)')"
run compare --format json "$T/cwg3.xml" "$T/cwg0.xml"
json_ok "HIGHER_OR_ZERO_SAFE: 3 where the destination has 0 is not" \
    "blocker('CTR_EL0.CWG')['reason'] == 'value too low' and
    blocker('CTR_EL0.CWG')['detail'].startswith('source 3, destination 0, lower is not safe (HIGHER_OR_ZERO_SAFE')"

# MIDR: identity. Linux 7.2 can set it; only a policy makes two values one family.
set_field "$N1" MIDR_EL1 0 4 3 "$T/r3.regs"; imp "$T/r3.regs" "$T/r3.xml" # revision 3
midr_src=$(awk '/^MIDR_EL1/ {print $2}' "$N1")
midr_dst=$(awk '/^MIDR_EL1/ {print $2}' "$T/r3.regs")
printf '# Neoverse N1 revisions we treat alike\nfamily n1 0x%08x 0x%08x\n' \
    "$((midr_src & 0xffffffff))" "$((midr_dst & 0xffffffff))" >"$T/policy"
printf 'family other 0x410fd083\n' >"$T/other-policy"
run compare --format json "$T/neoverse-n1@linux-7.2.xml" "$T/r3.xml"
json_ok "another MIDR on 7.2 without a policy: refused, pointing at --midr-policy" \
    "rc == 1 and re.search(r'this kernel could set it.*\(see --midr-policy\)', blocker('MIDR_EL1')['detail'])"
run compare --format json --midr-policy "$T/policy" "$T/neoverse-n1@linux-7.2.xml" "$T/r3.xml"
json_ok "... with a policy putting both in one family: migratable, and says why" \
    "rc == 0 and d['migratable'] is True and note('MIDR policy puts both hosts in family n1')"
run compare --format json --midr-policy "$T/other-policy" "$T/neoverse-n1@linux-7.2.xml" "$T/r3.xml"
json_ok "... with a policy that does not: refused" \
    "rc == 1 and 'policy does not put both hosts in one family' in blocker('MIDR_EL1')['detail']"
set_field "$A/neoverse-n1@linux-6.1.regs" MIDR_EL1 0 4 3 "$T/r3-61.regs"; imp "$T/r3-61.regs" "$T/r3-61.xml"
run compare --format json --midr-policy "$T/policy" "$T/neoverse-n1@linux-6.1.xml" "$T/r3-61.xml"
json_ok "... but Linux 6.1 cannot set MIDR at all: refused even with the policy" \
    "rc == 1 and \"KVM on this kernel keeps the host's value\" in blocker('MIDR_EL1')['detail']"
printf 'family n1 0x413fd0c1 0xnothex\n' >"$T/bad-policy"
expect_error "a malformed policy: exit 2" "bad-policy: line 1: '0xnothex' is not a 32-bit 0x MIDR value" \
    compare --midr-policy "$T/bad-policy" "$T/neoverse-n1@linux-7.2.xml" "$T/r3.xml"
expect_error "--invtsc on arm64: exit 2" "--invtsc is an x86_64 option; these files are aarch64" \
    compare --invtsc "$T/neoverse-n1@linux-7.2.xml" "$T/r3.xml"
expect_error "--midr-policy on x86: exit 2" "--midr-policy is an aarch64 option; these files are x86_64" \
    compare --midr-policy "$T/policy" "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml" "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml"

# Baseline: the folded register set must be safe on every host by that host's rules; what a
# host still refuses can only be fields its KVM cannot write, or identity.
run baseline --format json "$T/graviton2@linux-6.18.xml" "$T/graviton3@linux-6.18.xml" \
    "$T/graviton4@linux-6.18.xml"
cp "$T/stdout" "$T/base.json"
check "baseline of Graviton2/3/4 (6.18): registers and notes" \
    python3 -c "
import json; b = json.load(open('$T/base.json'))
assert b['registers']['ID_AA64ISAR0_EL1'] and 'FEAT_AES' in b['features'], b
assert any('MIDR_EL1 differs' in n for n in b['notes'])"
python3 -c "
import json; b = json.load(open('$T/base.json'))
print('kernel-release 6.18.30')
for k, v in sorted(b['registers'].items()): print(k, v)" >"$T/base.regs"
imp "$T/base.regs" "$T/base.xml"
bad=""
for g in graviton2 graviton3 graviton4; do
    "$CPUCOMPAT" compare --format json "$T/base.xml" "$T/$g@linux-6.18.xml" >"$T/b.json"
    python3 -c "
import json, sys
v = json.load(open('$T/b.json'))
wrong = [b['name'] for b in v['blockers'] if b['reason'] not in ('invariant', 'must be equal')
         or (b['reason'] == 'must be equal' and b['name'] not in ('MIDR_EL1', 'REVIDR_EL1'))]
sys.exit(1 if wrong else 0)" || bad="$bad $g"
done
check "the baseline is safe on every host it was made from (only read-only or identity left)" test -z "$bad"

# VM properties a dump records: IPA size and SVE vector lengths.
props() { # props IN OUT IPA VLS
    sed "s|<property name=\"kernel-release\" value=\"\([^\"]*\)\"/>|<property name=\"kernel-release\" value=\"\1\"/><property name=\"ipa-limit\" value=\"$3\"/><property name=\"sve-vector-lengths\" value=\"$4\"/>|" "$1" >"$2"
}
props "$T/neoverse-n1@linux-7.2.xml" "$T/ipa48.xml" 48 "16 32 64"
props "$T/neoverse-n1@linux-7.2.xml" "$T/ipa44.xml" 44 "16 32 64 128"
props "$T/neoverse-n1@linux-7.2.xml" "$T/vl-gap.xml" 48 "16 64 128"
run compare --format json "$T/ipa48.xml" "$T/ipa44.xml"
json_ok "IPA 48 -> 44 bits: too low" "blocker('ipa-size')['reason'] == 'value too low' and
    blocker('ipa-size')['detail'] == \"guest physical address space 48 bits, the destination's KVM allows 44\""
json_ok "SVE 16 32 64 -> a host with 16..128: equal up to 64, accepted" \
    "not blocker('sve-vector-lengths') and not warning('sve-vector-lengths')"
run compare --format json "$T/ipa48.xml" "$T/vl-gap.xml"
json_ok "SVE 16 32 64 -> a host without 32: a subset is not enough" \
    "blocker('sve-vector-lengths')['reason'] == 'must be equal' and blocker('sve-vector-lengths')['detail'] ==
    \"source 16 32 64 bytes, destination's up to 64: 16 64; KVM wants them equal\""

# verify runs on the destination itself: not here, for either file.
if [ "$(binary_arch)" = x86_64 ]; then
    expect_error "verify of an arm64 file on this x86 machine: exit 2" \
        "aarch64 registers are verified on an aarch64 destination" verify "$T/neoverse-n1@linux-7.2.xml"
    expect_error "verify of an x86 file: not available yet, exit 2" \
        "verify is not available for x86_64" verify "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml"
else
    for d in "verify of an arm64 file on this x86 machine" "verify of an x86 file"; do
        skip "$d" "this binary probes $(binary_arch), not the x86-64 host"
    done
fi

# Firmware levels: lower PSCI and workaround levels are taken; higher ones, and any other
# WORKAROUND_2, are not.
fw() { cp "$N1" "$T/fw$1.regs"; printf 'FW_PSCI_VERSION 0x%x\nFW_SMCCC_ARCH_WORKAROUND_1 %s\nFW_SMCCC_ARCH_WORKAROUND_2 %s\nFW_SMCCC_ARCH_WORKAROUND_3 %s\n' "$2" "$3" "$4" "$5" >>"$T/fw$1.regs"; imp "$T/fw$1.regs" "$T/fw$1.xml"; }
fw host 0x10001 0x2 0x0 0x1
fw low 0x10000 0x1 0x0 0x0
fw high 0x10002 0x2 0x1 0x1
run compare --format json "$T/fwlow.xml" "$T/fwhost.xml"
# KVM keeps the lower PSCI version (a note); the lower workaround levels it takes and ignores, so
# the guest's firmware answer becomes the destination's: a warning each, not a blocker.
json_ok "lower PSCI version and workaround levels: migratable, a note for PSCI, a warning for each level" \
    "rc == 0 and not d['blockers'] and sum('KVM takes a lower level' in n for n in d['notes']) == 1 and
    sorted(names(d['warnings'])) == ['FW_SMCCC_ARCH_WORKAROUND_1', 'FW_SMCCC_ARCH_WORKAROUND_3'] and
    all(w['reason'] == 'identification' and 'takes the lower level and ignores it' in w['detail']
        for w in d['warnings'])"
run compare --format json "$T/fwhigh.xml" "$T/fwhost.xml"
json_ok "a higher PSCI version and another WORKAROUND_2: both block" \
    "rc == 1 and blocker('FW_PSCI_VERSION')['reason'] == 'must be equal' and
    blocker('FW_SMCCC_ARCH_WORKAROUND_2')['reason'] == 'must be equal' and not blocker('FW_SMCCC_ARCH_WORKAROUND_1')"

# A register the destination's KVM does not list.
grep -v '^ID_AA64ZFR0_EL1 ' "$N1" >"$T/nozfr.regs"; imp "$T/nozfr.regs" "$T/nozfr.xml"
run compare --format json "$T/neoverse-n1@linux-7.2.xml" "$T/nozfr.xml"
json_ok "a register missing on the destination blocks" \
    "blocker('ID_AA64ZFR0_EL1')['where'] == 'KVM_GET_REG_LIST' and blocker('ID_AA64ZFR0_EL1')['reason'] == 'missing' and
    blocker('ID_AA64ZFR0_EL1')['detail'].startswith(\"the destination's KVM does not list this register\")"

# Bad input.
printf 'kernel-release 5.10.0\nMIDR_EL1 0x410fd083\n' >"$T/old.regs"; imp "$T/old.regs" "$T/old.xml"
expect_error "a destination kernel older than every rule set: exit 2" "kernel '5.10.0' is older than every rule set" \
    compare "$T/neoverse-n1@linux-7.2.xml" "$T/old.xml"
expect_error "x86 and arm64 files together: exit 2" "hosts of different architectures" \
    compare "$T/neoverse-n1@linux-7.2.xml" "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml"
printf 'MIDR_EL1 0x410fd083\n' >"$T/nokernel.regs"
expect_error "arm64-regs without kernel-release: exit 2" "no 'kernel-release' line" import arm64-regs "$T/nokernel.regs"
printf 'kernel-release 6.1.0\nFOO_EL1 0x1\n' >"$T/unknown.regs"
expect_error "an unknown register without its KVM id: exit 2" "unknown register FOO_EL1 needs its KVM id" import arm64-regs "$T/unknown.regs"
printf 'kernel-release 6.1.0\nMIDR_EL1 0x410fd083\nMIDR_EL1 0x410fd083\n' >"$T/twice.regs"
expect_error "a register given twice: exit 2" "MIDR_EL1 given twice" import arm64-regs "$T/twice.regs"
printf 'kernel-release 6.1.0\nmidr_el1 0x410fd083\n' >"$T/lower.regs"
expect_error "a register name in lower case: exit 2" "'midr_el1' is not a register name" import arm64-regs "$T/lower.regs"
printf 'kernel-release 6.1.0\n\nMIDR_EL1 0x-1\n' >"$T/neg.regs"
expect_error "a value that is not hex, on line 3 (blank lines count): exit 2" "neg.regs: line 3: want NAME [0xID] 0xVALUE" import arm64-regs "$T/neg.regs"
printf 'kernel-release 6.1.0\nkernel-release 6.12.0\nMIDR_EL1 0x1\n' >"$T/twokernels.regs"
expect_error "two kernel-release lines: exit 2" "line 2: a second kernel-release line" import arm64-regs "$T/twokernels.regs"
expect_error "baseline across implementers: exit 2" "implementer 0x46 differs" \
    baseline "$T/neoverse-n1@linux-7.2.xml" "$T/a64fx@linux-7.2.xml"
run baseline --allow-vendor-mix --format json "$T/neoverse-n1@linux-7.2.xml" "$T/a64fx@linux-7.2.xml"
json_ok "baseline --allow-vendor-mix across implementers: the common FEATs" \
    "rc == 0 and d['vendor'] == 'mixed' and 'FEAT_AES' in d['features']"
printf 'kernel-release 6.1.0\nMIDR_EL1 0x603000000013c001 0x410fd083\n' >"$T/badid.regs"
expect_error "a wrong KVM id: exit 2" "MIDR_EL1 has KVM id 0x603000000013c000, not 0x603000000013c001" import arm64-regs "$T/badid.regs"
sed 's/^        ID_AA64ISAR0_EL1 0x/        ID_AA64ISAR0_EL1 0X/' "$T/neoverse-n1@linux-7.2.xml" >"$T/upper.xml"
expect_error "a malformed register row: exit 2" "malformed <regs> row" show "$T/upper.xml"
done_testing
