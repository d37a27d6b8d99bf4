# The arm64 probe for real on Linux 6.1 (the kernel of the reference captures): the static aarch64
# cpucompat runs `dump` on emulated hosts with KVM. Its readings must equal the reference captures
# of the same cores and kernel, and the verdicts between them must be KVM's.
. "$(dirname "$0")/arm64-kvm-lib.sh"

rig_ready cortex-a72 "dumps of cortex-a57, cortex-a72, neoverse-n1, a64fx on Linux 6.1" \
    "dumps equal the reference captures" "verdicts between the emulated hosts"

for cpu in cortex-a57 neoverse-n1 a64fx; do
    dump "$cpu"
done
for cpu in cortex-a57 cortex-a72 neoverse-n1 a64fx; do
    if grep -q 'view name="kvm" source="KVM_GET_ONE_REG' "$T/$cpu.xml" &&
        xmllint --noout --relaxng "$TOP/data/schema/capabilities.rng" "$T/$cpu.xml" 2>/dev/null; then
        ok "dump on an emulated $cpu host under Linux 6.1 KVM: a valid kvm view"
    else
        not_ok "dump on an emulated $cpu host under Linux 6.1 KVM" "$(tail -2 "$T/$cpu.err")"
    fi
    # The reference capture of the same core and kernel (another program's KVM_GET_ONE_REG).
    "$CPUCOMPAT" import arm64-regs "$A/$cpu@linux-6.1.regs" -o "$T/$cpu-ref.xml"
    run compare "$T/$cpu-ref.xml" "$T/$cpu.xml"
    check "$cpu: every register the reference read has the same value in our dump" \
        sh -c "[ $rc -eq 0 ] && grep -q 'identical to' '$T/stdout'"
done

# A vCPU without optional features (no PMUv3): what KVM shows changes with them.
"$RIG" --cpu neoverse-n1 --file "$TOP/data/schema/capabilities.rng:/data/schema/capabilities.rng" \
    --file "$TOP/data/arm64/idregs.xml:/data/arm64/idregs.xml" \
    --file "$TOP/data/arm64/kvm-setters.xml:/data/arm64/kvm-setters.xml" \
    "$BIN" --data-dir /data dump --vcpu-features none >"$T/n1-bare.xml" 2>"$T/n1-bare.err"
"$CPUCOMPAT" import arm64-regs "$A/neoverse-n1@linux-6.1-novcpufeat.regs" -o "$T/n1-bare-ref.xml"
run compare "$T/n1-bare-ref.xml" "$T/n1-bare.xml"
check "dump --vcpu-features none equals the reference capture of a vCPU without features" \
    sh -c "[ $rc -eq 0 ] && grep -q 'identical to' '$T/stdout' && grep -q 'name=\"vcpu-features\" value=\"0x4\"' '$T/n1-bare.xml'"
run compare --format json "$T/neoverse-n1.xml" "$T/n1-bare.xml"
check "... and a guest with a PMU cannot move to a vCPU without one (PMUVer)" python3 -c "
import json; v = json.load(open('$T/stdout'))
assert not v['migratable'] and 'ID_AA64DFR0_EL1.PMUVer' in [b['name'] for b in v['blockers']], v['blockers']"

# Without KVM: the cpu view from MRS at EL0, as the kernel emulates it.
for cpu in cortex-a72 neoverse-n1; do
    "$RIG" --cpu "$cpu" --file "$TOP/data/schema/capabilities.rng:/data/schema/capabilities.rng" \
        --file "$TOP/data/arm64/idregs.xml:/data/arm64/idregs.xml" \
        --file "$TOP/data/arm64/kvm-setters.xml:/data/arm64/kvm-setters.xml" \
        "$BIN" --data-dir /data dump --no-kvm >"$T/$cpu-el0.xml" 2>"$T/$cpu-el0.err"
    "$CPUCOMPAT" import arm64-regs "$A/$cpu@linux-6.1-el0.regs" -o "$T/$cpu-el0-ref.xml"
    run compare "$T/$cpu-el0-ref.xml" "$T/$cpu-el0.xml"
    check "$cpu, dump --no-kvm: the EL0 view equals the reference EL0 capture" \
        sh -c "[ $rc -eq 0 ] && grep -q 'identical to' '$T/stdout' && ! grep -q 'view name=\"kvm\"' '$T/$cpu-el0.xml'"
done
check "a dump with KVM carries the EL0 view too" grep -q 'view name="cpu" source="MRS at EL0' "$T/neoverse-n1.xml"
check "Linux 6.1 has no KVM_ARM_GET_REG_WRITABLE_MASKS: no masks recorded" sh -c "! grep -q writable-mask '$T/neoverse-n1.xml'"

run compare "$T/cortex-a72.xml" "$T/neoverse-n1.xml"
check "cortex-a72 -> neoverse-n1 on 6.1: refused, MIDR kept by KVM" \
    sh -c "[ $rc -eq 1 ] && grep -q \"MIDR_EL1 .*KVM on this kernel keeps the host's value\" '$T/stdout'"
cp "$T/stdout" "$T/a72-n1.txt"
check "... and a safe difference is still refused: 6.1's ID registers are read-only" \
    grep -q 'ID_AA64ISAR0_EL1.ATOMIC .*invariant: source 0 (NI), destination 2 (IMP, FEAT_LSE): safe (LOWER_SAFE), but KVM on Linux 6.1 cannot change' "$T/a72-n1.txt"
run compare "$T/neoverse-n1.xml" "$T/cortex-a72.xml"
check "neoverse-n1 -> cortex-a72 on 6.1: LSE atomics 2 -> 0, lower is not safe" \
    grep -q 'ID_AA64ISAR0_EL1.ATOMIC .*value too low: source 2 (IMP, FEAT_LSE), destination 0 (NI), lower is not safe (LOWER_SAFE, Linux 6.1 rules)' "$T/stdout"
run compare "$T/neoverse-n1.xml" "$T/neoverse-n1.xml"
check "neoverse-n1 -> neoverse-n1: migratable" test "$rc" -eq 0

kernel="Linux 6.1"
verify_pairs "" "$PAIRS"

verify_models neoverse-n1 "" "neoverse-n1 cortex-a76"

verify_firmware "$T/neoverse-n1.xml" neoverse-n1

# Linux 6.1 keeps a higher N too (no check in its setter); cpucompat refuses it, so only the
# lower case is KVM's word there.
verify_pmcr "$T/neoverse-n1.xml" neoverse-n1 "-2"
check "the dump reads PMCR_EL0" grep -q ' PMCR_EL0 0x603000000013dce0 ' "$T/neoverse-n1.xml"

# QEMU's cores have no MPAM and no NV: the host's value is 0, so 1 and 2 are refused on every
# kernel (6.1: read-only; newer: not the host's value, and the field is not writable).
verify_field "$T/neoverse-n1.xml" neoverse-n1 ID_AA64PFR0_EL1 40 4 1
verify_field "$T/neoverse-n1.xml" neoverse-n1 ID_AA64MMFR2_EL1 24 4 2
rig_done
