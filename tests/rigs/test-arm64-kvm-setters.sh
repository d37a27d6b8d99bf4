# KVM's setters on the newest Debian kernel (unpinned): copies of a host's dump with firmware
# levels, PMU counters, single ID fields or service bits changed, written into a vCPU of that
# host; and the register lists between Linux 6.1 and the newest kernel. What compare predicts
# must be what KVM does.
. "$(dirname "$0")/arm64-kvm-lib.sh"

rig_ready neoverse-n1 "KVM's setters on the newest kernel"
mv "$T/neoverse-n1.xml" "$T/neoverse-n1-6.1.xml" # the newest kernel's dump takes its name
unset ARM64_KVM_RUN_KERNEL
dump neoverse-n1 --suite sid
mv "$T/neoverse-n1.xml" "$T/neoverse-n1-sid.xml"
kernel=$(sed -n 's/.*name="kernel-release" value="\([^"]*\)".*/\1/p' "$T/neoverse-n1-sid.xml" | head -1)
if [ -n "$kernel" ]; then
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
    rig_check "$T/neoverse-n1-6.1.xml" neoverse-n1 \
        "neoverse-n1 Linux 6.1 -> $kernel, register list included" --suite sid
    "$CPUCOMPAT" compare --format json "$T/neoverse-n1-sid.xml" "$T/neoverse-n1-6.1.xml" >"$T/c.json"
    check "... and back to 6.1: the registers 6.1 does not list block" python3 -c "
import json
assert 'kvm-reg-list' in [b['name'] for b in json.load(open('$T/c.json'))['blockers']]"
    export ARM64_KVM_RUN_KERNEL=linux-image-6.1.0-56-arm64
    rig_check "$T/neoverse-n1-sid.xml" neoverse-n1 \
        "neoverse-n1 $kernel -> Linux 6.1, register list included"
    unset ARM64_KVM_RUN_KERNEL
    # A firmware feature bitmap with a service bit this KVM does not offer: refused.
    bmap=$(awk '/ FW_STD_HYP_BMAP / { print $3 }' "$T/neoverse-n1-sid.xml")
    sed "s/\( FW_STD_HYP_BMAP 0x[0-9a-f]* \)0x[0-9a-f]*/\1$(printf '0x%016x' $((bmap | 0x8000)))/" \
        "$T/neoverse-n1-sid.xml" >"$T/bmap.xml"
    "$CPUCOMPAT" compare --format json "$T/bmap.xml" "$T/neoverse-n1-sid.xml" >"$T/c.json"
    rig_check "$T/bmap.xml" neoverse-n1 "FW_STD_HYP_BMAP with an unknown service bit on $kernel" \
        --suite sid
    # PMUVer IMP_DEF (0xf) is written as NI; PerfMon 2 (PMUv2) refused; DebugVer 5 refused.
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_AA64DFR0_EL1 8 4 15 --suite sid
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_DFR0_EL1 24 4 2 --suite sid
    verify_field "$T/neoverse-n1-sid.xml" neoverse-n1 ID_AA64DFR0_EL1 0 4 5 --suite sid
else
    skip "KVM's setters on the newest kernel" "the rig could not boot --suite sid ($(tail -1 "$T/neoverse-n1.err"))"
fi
rig_done
