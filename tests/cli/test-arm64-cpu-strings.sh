# QEMU -cpu strings as arm64 guests (`compare --model 'host,sve=off,pmu=off' [SRC] DST`): the
# guest QEMU 7.2 under KVM starts from the string on each host, judged on real captures (AWS
# Graviton2/3/4 through Firecracker, and the KVM rig's emulated hosts with and without the
# optional vCPU features); then QEMU itself, under TCG, as the referee of the names and values the
# parser takes and refuses.
. "$(dirname "$0")/lib.sh"

A=$TOP/tests/data/arm64
for f in graviton2@linux-6.18 graviton3@linux-6.1 graviton3@linux-6.18 graviton4@linux-6.18 \
    qemu-max@linux-6.1 qemu-max@linux-6.1-novcpufeat; do
    "$CPUCOMPAT" import arm64-regs "$A/$f.regs" -o "$T/$f.xml" || echo "import $f failed"
done
G2=$T/graviton2@linux-6.18.xml G3=$T/graviton3@linux-6.18.xml G3old=$T/graviton3@linux-6.1.xml
G4=$T/graviton4@linux-6.18.xml MAX=$T/qemu-max@linux-6.1.xml BARE=$T/qemu-max@linux-6.1-novcpufeat.xml


# ---- Graviton captures: Firecracker made their vCPUs without SVE, PMU and pointer auth, and
# did not record that. ----
run compare --format json --model host "$G3" "$G3"
check "host on a Graviton3 capture, to itself: exit 0" test "$rc" -eq 0
json_ok "... judged as captured, with a note that the file cannot say what its KVM offers" \
    "note('records neither whether its KVM offers SVE, a PMU, pointer auth nor the vCPU features')"
run compare --format json --model 'host,sve=off,pmu=off,pauth=off' "$G3" "$G3"
json_ok "with sve, pmu and pauth off nothing depends on that: no such note" \
    "rc == 0 and not note('records neither')"
# The string with every optional feature off gives the same verdict as the capture compared as is.
for pair in "$G3old $G3" "$G3 $G2" "$G2 $G4"; do
    set -- $pair
    run compare --format json "$1" "$2"
    cp "$T/stdout" "$T/plain.json"
    prc=$rc
    run compare --format json --model 'host,sve=off,pmu=off,pauth=off' "$1" "$2"
    json_ok "$(basename "$1" .xml) -> $(basename "$2" .xml): the string finds the blockers compare finds" \
        "rc == $prc and names(d['blockers']) == names(json.load(open('$T/plain.json'))['blockers'])"
done
expect_error "sve=on on a capture that cannot say whether its KVM offers SVE" \
    "cannot judge sve=on" compare --model 'host,sve=on' "$G3"

# What AWS documents of the cores (Graviton2, Neoverse N1: no SVE; Graviton3, Neoverse V1: SVE,
# 256 bits; Graviton4, Neoverse V2: SVE2, 128 bits), recorded as a dump records KVM's answers.
with_props "$G2" "$T/g2.xml" cap-sve=0
with_props "$G3" "$T/g3.xml" cap-sve=1 sve-vector-lengths="16 32"
with_props "$G4" "$T/g4.xml" cap-sve=1 sve-vector-lengths=16
run compare --format json --model 'host,sve=on' "$T/g2.xml"
json_ok "host,sve=on on Graviton2: QEMU refuses it there, exit 1 naming QEMU's reason" \
    "rc == 1 and \"'sve' feature not supported by KVM on this host\" in blocker('-cpu')['detail']"
run compare --format json --model 'host,sve256=on' "$T/g4.xml"
json_ok "host,sve256=on on Graviton4 (SVE at 128 bits only): refused there, exit 1" \
    "rc == 1 and 'cannot enable sve256' in blocker('-cpu')['detail']"
run compare --format json --model 'host,sve256=on' "$T/g3.xml" "$T/g4.xml"
json_ok "... and from a Graviton3 it is the destination that refuses it" \
    "rc == 1 and 'on the destination' in blocker('-cpu')['detail'] and len(d['blockers']) == 1"
expect_error "host on Graviton3, whose capture shows no SVE though its KVM offers it" \
    "dump it again with the default --vcpu-features, or give sve=off" compare --model host "$T/g3.xml"
run compare --format json --model 'host,sve=off,pmu=off,pauth=off' "$T/g3.xml" "$T/g2.xml"
json_ok "host,sve=off (and pmu, pauth) from Graviton3 to Graviton2: judged, blockers are the cores' own" \
    "rc == 1 and not blocker('-cpu') and blocker('ID_AA64ISAR0_EL1.SM4')"
run compare --format json --model 'host,sve=on,pmu=off,pauth=off' "$T/g3.xml" "$T/g2.xml"
json_ok "... while sve=on does not start on Graviton2" \
    "rc == 1 and 'on the destination' in blocker('-cpu')['detail']"

# ---- The rig's KVM hosts: the same emulated CPU with every optional vCPU feature (MAX) and
# with none (BARE). ----
run compare --format json --model host "$MAX" "$BARE"
json_ok "host from a host with SVE, PMU and pointer auth to one without: blocks on their fields" \
    "rc == 1 and blocker('ID_AA64PFR0_EL1.SVE') and blocker('ID_AA64DFR0_EL1.PMUVer') and blocker('ID_AA64ISAR1_EL1.API')"
run compare --format json --model 'host,pmu=off' "$MAX" "$BARE"
json_ok "host,pmu=off: the PMU differs, and no longer blocks (SVE and pointer auth still do)" \
    "rc == 1 and not blocker('ID_AA64DFR0_EL1.PMUVer') and not blocker('ID_DFR0_EL1.PerfMon') and
    blocker('ID_AA64PFR0_EL1.SVE') and blocker('ID_AA64ISAR1_EL1.API')"
run compare --format json --model 'host,sve=off,pmu=off,pauth=off' "$MAX" "$BARE"
json_ok "host,sve=off,pmu=off,pauth=off: fits, identical" \
    "rc == 0 and d['relation'] == 'identical'"
run compare --format json --model 'max,sve=off,pmu=off,pauth=off' "$BARE" "$MAX"
json_ok "... both ways; max is host under KVM, and says so" \
    "rc == 0 and note(\"under KVM, QEMU's max is host\")"
run compare --format json --model host "$BARE" "$MAX"
json_ok "host from the host without them: QEMU gives the guest SVE on the other, which blocks" \
    "rc == 1 and blocker('ID_AA64PFR0_EL1.SVE')"

# KVM lists the PMU registers only for a vCPU with a PMU: pmu=off leaves them out of the list.
pmcr=0x603000000013dce0
with_props "$MAX" "$T/list-pmu.xml" kvm-reg-list="0x603000000013c000 $pmcr"
with_props "$MAX" "$T/list-nopmu.xml" kvm-reg-list=0x603000000013c000
run compare --format json --model host "$T/list-pmu.xml" "$T/list-nopmu.xml"
json_ok "host: a PMU register the destination's list lacks blocks" "rc == 1 and blocker('kvm-reg-list')"
run compare --format json --model 'host,pmu=off' "$T/list-pmu.xml" "$T/list-nopmu.xml"
json_ok "host,pmu=off: the guest has no PMU registers to migrate" "not blocker('kvm-reg-list')"

# SVE vector lengths: QEMU gives the guest the lengths the string resolves to on each host, and
# the guest cannot see them change.
with_props "$MAX" "$T/vl256.xml" cap-sve=1 sve-vector-lengths="16 32"
with_props "$MAX" "$T/vl128.xml" cap-sve=1 sve-vector-lengths=16
with_props "$MAX" "$T/vl384.xml" cap-sve=1 sve-vector-lengths="16 32 48"
run compare --format json --model host "$T/vl256.xml" "$T/vl128.xml"
json_ok "host from 256-bit SVE to 128-bit: the lengths change, a blocker" \
    "rc == 1 and blocker('sve-vector-lengths')['reason'] == 'must be equal'"
run compare --format json --model 'host,sve128=on' "$T/vl256.xml" "$T/vl128.xml"
json_ok "host,sve128=on: 128 bits on both, fits" "rc == 0"
run compare --format json --model 'host,sve256=on' "$T/vl384.xml" "$T/vl256.xml"
json_ok "host,sve256=on: 128 and 256 on both (KVM fills in the smaller lengths), fits" "rc == 0"
run compare --format json --model 'host,sve384=off' "$T/vl384.xml" "$T/vl256.xml"
json_ok "host,sve384=off from 384 to 256 bits: up to 256 on both, fits" "rc == 0"
run compare --format json --model 'host,sve128=off' "$T/vl256.xml"
json_ok "host,sve128=off: every length gone, QEMU refuses it (cannot disable sve128)" \
    "rc == 1 and 'cannot disable sve128' in blocker('-cpu')['detail']"
run compare --format json --model 'host,sve=off,sve128=on' "$T/vl256.xml"
json_ok "host,sve=off,sve128=on: lengths without SVE, refused" \
    "rc == 1 and 'SVE must be enabled' in blocker('-cpu')['detail']"
run compare --format json --model 'host,aarch64=off,sve=off,pmu=off,pauth=off' "$G4"
json_ok "aarch64=off on Graviton4 (no AArch32 at EL1, as Graviton2): QEMU refuses it" \
    "rc == 1 and 'cannot be disabled' in blocker('-cpu')['detail']"
run compare --format json --model 'host,aarch64=off,sve=off,pmu=off,pauth=off' "$BARE"
json_ok "... on the rig's host (AArch32 at EL1) it starts, with a note on what is judged" \
    "rc == 0 and note('aarch64=off: an AArch32 guest')"
run compare --format json --model 'host,kvm-steal-time=off,kvm-no-adjvtime=on' "$MAX"
json_ok "kvm-steal-time and kvm-no-adjvtime: taken, nothing to judge" "rc == 0"

# ---- Refusals: exit 2, one line naming the token, with the nearest name ----
expect_error "a TCG-only property" "QEMU has 'pauth-impdef' only under TCG" compare --model 'host,pauth-impdef=on' "$MAX"
expect_error "sve-max-vq (TCG's max only)" "'sve-max-vq' only under TCG" compare --model 'max,sve-max-vq=2' "$MAX"
expect_error "sve-default-vector-length (user mode only)" "only qemu-aarch64 (user mode)" compare --model 'host,sve-default-vector-length=32' "$MAX"
expect_error "pauth-qarma3 (QEMU 8.2, TCG)" "came with QEMU 8.2, and only under TCG" compare --model 'host,pauth-qarma3=on' "$MAX"
expect_error "a typo of a property" "did you mean 'pauth'" compare --model 'host,paut=off' "$MAX"
expect_error "a vector length QEMU has no property for" "did you mean 'sve128'" compare --model 'host,sve129=on' "$MAX"
expect_error "a typo of a model" "did you mean 'host'" compare --model 'hots,sve=off' "$MAX"
expect_error "a named QEMU model QEMU 7.2 refuses under KVM" "refuses cortex-a72 under KVM" compare --model 'cortex-a72,pmu=off' "$MAX"
expect_error "cortex-a57 (KVM's target for that core only)" "only a cortex-a57 host offers" compare --model 'cortex-a57,pmu=off' "$MAX"
expect_error "one of cpucompat's own models with properties" "not a QEMU -cpu model under KVM" compare --model 'neoverse-v1,sve=off' "$MAX"
expect_error "a bare name (QEMU wants key=value on arm64)" "QEMU wants key=value" compare --model 'host,sve' "$MAX"
expect_error "+feat" "QEMU wants key=value" compare --model 'host,+pmu' "$MAX"
expect_error "a bad boolean" "'pmu=maybe': QEMU wants on or off" compare --model 'host,pmu=maybe' "$MAX"
expect_error "a property QEMU takes that cpucompat cannot judge" "cannot judge" compare --model 'host,midr=0x410fd0c0' "$MAX"
run compare --format json --model neoverse-n1 "$G2" "$G2"
json_ok "a bare name of cpucompat's own models keeps its meaning (register values on Graviton2)" \
    "d['guest'] == 'neoverse-n1' and not blocker('-cpu')"
expect_error "one file with one of cpucompat's own models" "needs a QEMU -cpu string" compare --model neoverse-n1 "$MAX"
long=$(python3 -c "print('host' + ',pmu=off' * 10000)")
expect_error "a string over 64 KiB" "longer than 65536" compare --model "$long" "$MAX"
many=$(python3 -c "print('host' + ',pmu=off,pmu=on' * 2000)")
run compare --model "$many" "$MAX"
check "4000 tokens are parsed" test "$rc" -eq 0

# ---- QEMU under TCG as the referee of the names and values ----
if [ -n "$EMULATED" ] || [ -n "$SANITIZED" ]; then
    skip "QEMU under TCG agrees on the -cpu names and values" \
        "the plain native run holds this comparison (about 150 runs of cpucompat)"
elif ! command -v qemu-system-aarch64 >/dev/null 2>&1; then
    skip "QEMU under TCG agrees on the -cpu names and values" "qemu-system-aarch64 is not installed"
else
    with_props "$MAX" "$T/referee.xml" cap-sve=1 cap-pmu-v3=1 cap-ptrauth-address=1 \
        cap-ptrauth-generic=1 sve-vector-lengths="16 32 48 64 80 96 112 128 144 160 176 192 208 224 240 256"
    python3 "$TOP/tests/peers/arm64-cpu-strings-vs-tcg.py" "$CPUCOMPAT" "$CPUCOMPAT_DATADIR" \
        "$T/referee.xml" >"$T/referee.tap" 2>&1
    relay_tap "$T/referee.tap" $? "QEMU under TCG agrees" "QEMU under TCG disagrees"
fi
done_testing
