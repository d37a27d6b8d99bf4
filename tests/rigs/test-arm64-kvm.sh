# The arm64 probe for real: the static aarch64 cpucompat runs `dump` on Debian arm64 kernels with
# KVM, booted under emulation by ../shared/tools/arm64-kvm-run, one emulated core per "host".
# Its readings must equal the reference captures of the same cores and kernels, and the
# verdicts between them must be the kernel's.
. "$(dirname "$0")/../cli/lib.sh"
A=$TOP/tests/data/arm64
RIG=${ARM64_KVM_RUN:-$TOP/../shared/tools/arm64-kvm-run}
BIN=$TOP/build/static-aarch64/cpucompat
# Reproducible values: the kernel the reference captures were taken with.
export ARM64_KVM_RUN_KERNEL=${ARM64_KVM_RUN_KERNEL:-linux-image-6.1.0-56-arm64}

dump() { # dump CPU [RIG OPTIONS...]: the dump of that emulated host into $T/CPU.xml
    cpu=$1
    shift
    "$RIG" "$@" --cpu "$cpu" --file "$TOP/data/schema/capabilities.rng:/data/schema/capabilities.rng" \
        --file "$TOP/data/arm64/idregs.xml:/data/arm64/idregs.xml" \
        --file "$TOP/data/arm64/kvm-setters.xml:/data/arm64/kvm-setters.xml" \
        "$BIN" --data-dir /data dump >"$T/$cpu.xml" 2>"$T/$cpu.err"
}

why=""
[ -x "$RIG" ] || why="the arm64 KVM rig is not at $RIG"
[ -z "$why" ] && [ ! -x "$BIN" ] && why="no static aarch64 build (make static ARCH=aarch64)"
if [ -z "$why" ]; then
    dump cortex-a72
    status=$?
    [ "$status" -eq 0 ] || why="the rig could not start ($(tail -1 "$T/cortex-a72.err"))"
    # The rig's own failures (125, 124) are not ours; anything else from cpucompat is.
    case "$status" in 0 | 124 | 125) ;; *) why="" ;; esac
fi
if [ -n "$why" ]; then
    for d in "dumps of cortex-a57, cortex-a72, neoverse-n1, a64fx on Linux 6.1" \
        "dumps equal the reference captures" "verdicts between the emulated hosts" \
        "neoverse-n1 on the newest kernel"; do
        skip "$d" "$why"
    done
    done_testing
    exit $?
fi

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

# verify: the source's registers written into a vCPU on the destination. What the destination's
# KVM refuses must be exactly what the offline compare predicted.
# rig_verify SRC CPU RIG-OPTIONS...: `verify SRC` run on an emulated CPU host, into $T/v.json.
rig_verify() {
    rv_src=$1 rv_cpu=$2
    shift 2
    "$RIG" "$@" --cpu "$rv_cpu" --file "$rv_src:/in/src.xml" \
        --file "$TOP/data/schema/capabilities.rng:/data/schema/capabilities.rng" \
        --file "$TOP/data/arm64/idregs.xml:/data/arm64/idregs.xml" \
        --file "$TOP/data/arm64/kvm-setters.xml:/data/arm64/kvm-setters.xml" \
        "$BIN" --data-dir /data verify --format json /in/src.xml >"$T/v.json" 2>"$T/v.err"
}
# agrees WHAT: the blockers KVM gave ($T/v.json) must be those compare predicted ($T/c.json).
agrees() {
    if python3 "$TOP/tests/rigs/same-blockers.py" "$T/c.json" "$T/v.json" >"$T/same.txt"; then
        ok "$1: KVM refuses what compare predicted ($(cat "$T/same.txt"))"
    else
        not_ok "$1: KVM and compare disagree" "$(cat "$T/same.txt")" "$(tail -1 "$T/v.err")"
    fi
}

PAIRS="cortex-a72:neoverse-n1 neoverse-n1:cortex-a72 a64fx:neoverse-n1 neoverse-n1:a64fx"
verify_pairs() { # verify_pairs SUFFIX "SRC:DST..." RIG-OPTIONS... : dumps in $T/CPU$SUFFIX.xml
    sfx=$1 pairs=$2
    shift 2
    for pair in $pairs; do
        pair=$(echo "$pair" | tr ':' ' ')
        set -- $pair "$@"
        src=$1 dst=$2
        shift 2
        # A policy with both MIDRs: identity is the operator's call, and where the kernel lets
        # KVM set it (Linux 7.2), verify asks KVM to take the source's.
        for f in "$T/$src$sfx.xml" "$T/$dst$sfx.xml"; do
            awk '/^ *MIDR_EL1 / { print "0x" substr($3, 11); exit }' "$f"
        done | { printf 'family pair'; while read -r m; do printf ' %s' "$m"; done; echo; } \
            >"$T/policy"
        "$CPUCOMPAT" compare --format json --midr-policy "$T/policy" "$T/$src$sfx.xml" \
            "$T/$dst$sfx.xml" >"$T/c.json"
        rig_verify "$T/$src$sfx.xml" "$dst" "$@"
        agrees "$src -> $dst ($kernel)"
    done
}
kernel="Linux 6.1"
verify_pairs "" "$PAIRS"

# Named models as a VMM gives them (expand --host): KVM itself must refuse exactly the fields
# `models` and `compare` say block the model on that host.
verify_models() { # verify_models CPU SUFFIX "MODEL..." RIG-OPTIONS...
    cpu=$1 sfx=$2 models=$3
    shift 3
    host="$T/$cpu$sfx.xml"
    "$CPUCOMPAT" models --format json "$host" >"$T/models.json"
    for m in $models; do
        "$CPUCOMPAT" expand --host "$host" "$m" -o "$T/model.xml"
        "$CPUCOMPAT" compare --format json "$T/model.xml" "$host" >"$T/c.json"
        rig_verify "$T/model.xml" "$cpu" "$@"
        # models' flag and compare's blockers are one judgement: usable iff nothing blocks.
        usable=$(python3 -c "import json
u = [x['usable'] for x in json.load(open('$T/models.json'))['models'] if x['name'] == '$m'][0]
n = len(json.load(open('$T/c.json'))['blockers'])
print(u if u == (n == 0) else 'inconsistent')")
        if [ "$usable" = inconsistent ]; then
            not_ok "model $m on $cpu ($kernel): models' usable flag and compare's blockers disagree"
        else
            agrees "model $m on $cpu ($kernel), usable $usable"
        fi
    done
}
verify_models neoverse-n1 "" "neoverse-n1 cortex-a76"

# Firmware levels: a copy of a host's dump with other PSCI and SMCCC workaround values, written
# into a vCPU of that host. KVM takes lower values and refuses higher ones; compare must agree.
fw_variant() { # fw_variant IN OUT PSCI WA1 WA2 WA3
    python3 - "$@" <<'PY'
import re, sys
src, out, *vals = sys.argv[1:]
text = open(src).read()
for name, v in zip(['FW_PSCI_VERSION'] + ['FW_SMCCC_ARCH_WORKAROUND_%d' % i for i in (1, 2, 3)], vals):
    text = re.sub(r'(%s 0x[0-9a-f]+ )0x[0-9a-f]+' % name, r'\g<1>0x%016x' % int(v, 0), text)
open(out, 'w').write(text)
PY
}
verify_firmware() { # verify_firmware HOSTXML CPU RIG-OPTIONS...
    host=$1 cpu=$2
    shift 2
    psci=$(awk '/ FW_PSCI_VERSION / { print $3 }' "$host")
    for variant in "lower 0x10000 1 0 0" "higher $((psci + 1)) 3 1 2"; do
        set -- $variant "$@"
        name=$1
        fw_variant "$host" "$T/fw.xml" "$2" "$3" "$4" "$5"
        shift 5
        "$CPUCOMPAT" compare --format json "$T/fw.xml" "$host" >"$T/c.json"
        rig_verify "$T/fw.xml" "$cpu" "$@"
        agrees "$name firmware levels on $cpu ($kernel)"
    done
}
verify_firmware "$T/neoverse-n1.xml" neoverse-n1

# PMU counters: PMCR_EL0.N of the dump moved by DELTA, written into a vCPU of that host.
verify_pmcr() { # verify_pmcr HOSTXML CPU "DELTA..." RIG-OPTIONS...
    host=$1 cpu=$2 deltas=$3
    shift 3
    for delta in $deltas; do
        python3 -c "import re, sys
t = open(sys.argv[1]).read()
f = lambda m: m.group(1) + '0x%016x' % (int(m.group(2), 16) + int(sys.argv[2]) * 2048)
open(sys.argv[3], 'w').write(re.sub(r'( PMCR_EL0 0x[0-9a-f]+ )(0x[0-9a-f]+)', f, t))" \
            "$host" "$delta" "$T/pmcr.xml"
        "$CPUCOMPAT" compare --format json "$T/pmcr.xml" "$host" >"$T/c.json"
        rig_verify "$T/pmcr.xml" "$cpu" "$@"
        agrees "PMCR_EL0.N $delta on $cpu ($kernel)"
    done
}
# Linux 6.1 keeps a higher N too (no check in its setter); cpucompat refuses it, so only the
# lower case is KVM's word there.
verify_pmcr "$T/neoverse-n1.xml" neoverse-n1 "-2"
check "the dump reads PMCR_EL0" grep -q ' PMCR_EL0 0x603000000013dce0 ' "$T/neoverse-n1.xml"

# KVM's setter quirks (data/arm64/kvm-setters.xml): a copy of the host's dump with one field
# changed, written into a vCPU of that host. What compare predicts (taken and dropped, rewritten,
# refused) must be what KVM does.
verify_field() { # verify_field HOSTXML CPU REG LSB WIDTH VALUE RIG-OPTIONS...
    host=$1 cpu=$2 reg=$3 lsb=$4 width=$5 value=$6
    shift 6
    python3 -c "import re, sys
t = open(sys.argv[1]).read()
lsb, width, value = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
mask = ((1 << width) - 1) << lsb
f = lambda m: m.group(1) + '0x%016x' % ((int(m.group(2), 16) & ~mask) | (value << lsb))
open(sys.argv[6], 'w').write(re.sub(r'( %s 0x[0-9a-f]+ )(0x[0-9a-f]+)' % sys.argv[2], f, t))" \
        "$host" "$reg" "$lsb" "$width" "$value" "$T/field.xml"
    "$CPUCOMPAT" compare --format json "$T/field.xml" "$host" >"$T/c.json"
    rig_verify "$T/field.xml" "$cpu" "$@"
    agrees "$reg[$lsb+$width] = $value on $cpu ($kernel)"
}
# QEMU's cores have no MPAM and no NV: the host's value is 0, so 1 and 2 are refused on every
# kernel (6.1: read-only; newer: not the host's value, and the field is not writable).
verify_field "$T/neoverse-n1.xml" neoverse-n1 ID_AA64PFR0_EL1 40 4 1
verify_field "$T/neoverse-n1.xml" neoverse-n1 ID_AA64MMFR2_EL1 24 4 2

# The newest Debian kernel, where most ID fields are writable and KVM's setters add their own
# checks (unpinned: sid moves on; the verdicts are checked against KVM itself).
unset ARM64_KVM_RUN_KERNEL
cp "$T/neoverse-n1.xml" "$T/neoverse-n1-6.1.xml" # the newest kernel's dump takes its name
cp "$T/a64fx.xml" "$T/a64fx-6.1.xml"
for cpu in cortex-a72 neoverse-n1 a64fx max; do
    dump "$cpu" --suite sid
    mv "$T/$cpu.xml" "$T/$cpu-sid.xml"
done
kernel=$(sed -n 's/.*name="kernel-release" value="\([^"]*\)".*/\1/p' "$T/neoverse-n1-sid.xml" | head -1)
if [ -n "$kernel" ]; then
    ok "dumps of cortex-a72, neoverse-n1 and a64fx on the newest kernel ($kernel)"
    check "... with KVM's own writable masks (KVM_ARM_GET_REG_WRITABLE_MASKS)" \
        grep -q 'name="writable-mask-ID_AA64ISAR0_EL1" value="0x' "$T/neoverse-n1-sid.xml"
    run compare "$T/neoverse-n1-sid.xml" "$T/neoverse-n1-sid.xml"
    check "neoverse-n1 on $kernel to itself: migratable" test "$rc" -eq 0
    # With A64FX (SVE 128/256/512 bits) and QEMU's max (128 to 2048): the SVE lengths, which
    # KVM takes before the vCPU is finalised only if they equal its own up to their maximum.
    verify_pairs -sid "$PAIRS a64fx:max max:a64fx" --suite sid
    # The same A64FX (no AArch32) upgraded from 6.1: KVM takes and ignores 6.1's ID_DFR0_EL1 of 0
    # and the guest reads PerfMon 4: a warning on both sides, migratable.
    "$CPUCOMPAT" compare --format json "$T/a64fx-6.1.xml" "$T/a64fx-sid.xml" >"$T/c.json"
    rig_verify "$T/a64fx-6.1.xml" a64fx --suite sid
    agrees "a64fx Linux 6.1 -> $kernel, AArch32 ID registers without AArch32"
    verify_models neoverse-n1 -sid "neoverse-n1 cortex-a76 cortex-a57 Armv8.0" --suite sid
    verify_models cortex-a72 -sid "Armv8.0 Armv8.1 cortex-a57" --suite sid
    verify_firmware "$T/neoverse-n1-sid.xml" neoverse-n1 --suite sid
    verify_pmcr "$T/neoverse-n1-sid.xml" neoverse-n1 "-2 2" --suite sid
    check "dump asks KVM which MPAM and NV it takes back: none on QEMU's cores" sh -c \
        "grep -q 'name=\"kvm-host-value-ID_AA64PFR0_EL1.MPAM\" value=\"0\"' '$T/neoverse-n1-sid.xml' &&
         grep -q 'name=\"kvm-host-value-ID_AA64MMFR2_EL1.NV\" value=\"0\"' '$T/neoverse-n1-sid.xml'"
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_AA64PFR0_EL1 40 4 1 --suite sid
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_AA64PFR1_EL1 16 4 1 --suite sid
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_AA64MMFR2_EL1 24 4 2 --suite sid
    check "dump records KVM_GET_REG_LIST and the firmware feature bitmaps" sh -c \
        "grep -q 'name=\"kvm-reg-list\" value=\"0x' '$T/neoverse-n1-sid.xml' &&
         grep -q ' FW_STD_BMAP 0x6030000000160000 ' '$T/neoverse-n1-sid.xml'"
    # The register lists across kernels: the 6.1 guest's registers on the newest kernel, and the
    # newest kernel's guest on 6.1 (whose KVM lists fewer registers than QEMU would send).
    "$CPUCOMPAT" compare --format json "$T/neoverse-n1-6.1.xml" "$T/neoverse-n1-sid.xml" >"$T/c.json"
    rig_verify "$T/neoverse-n1-6.1.xml" neoverse-n1 --suite sid
    agrees "neoverse-n1 Linux 6.1 -> $kernel, register list included"
    "$CPUCOMPAT" compare --format json "$T/neoverse-n1-sid.xml" "$T/neoverse-n1-6.1.xml" >"$T/c.json"
    check "... and back to 6.1: the registers 6.1 does not list block" python3 -c "
import json
assert 'kvm-reg-list' in [b['name'] for b in json.load(open('$T/c.json'))['blockers']]"
    export ARM64_KVM_RUN_KERNEL=linux-image-6.1.0-56-arm64
    rig_verify "$T/neoverse-n1-sid.xml" neoverse-n1
    unset ARM64_KVM_RUN_KERNEL
    agrees "neoverse-n1 $kernel -> Linux 6.1, register list included"
    # A firmware feature bitmap with a service bit this KVM does not offer: refused.
    bmap=$(awk '/ FW_STD_HYP_BMAP / { print $3 }' "$T/neoverse-n1-sid.xml")
    sed "s/\( FW_STD_HYP_BMAP 0x[0-9a-f]* \)0x[0-9a-f]*/\1$(printf '0x%016x' $((bmap | 0x8000)))/" \
        "$T/neoverse-n1-sid.xml" >"$T/bmap.xml"
    "$CPUCOMPAT" compare --format json "$T/bmap.xml" "$T/neoverse-n1-sid.xml" >"$T/c.json"
    rig_verify "$T/bmap.xml" neoverse-n1 --suite sid
    agrees "FW_STD_HYP_BMAP with an unknown service bit on $kernel"
    # PMUVer IMP_DEF (0xf) is written as NI; PerfMon 2 (PMUv2) refused; DebugVer 5 refused.
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_AA64DFR0_EL1 8 4 15 --suite sid
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_DFR0_EL1 24 4 2 --suite sid
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_AA64DFR0_EL1 0 4 5 --suite sid
else
    skip "dumps and verify on the newest kernel" "the rig could not boot --suite sid ($(tail -1 "$T/neoverse-n1.err"))"
fi
done_testing
