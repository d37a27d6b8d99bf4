# The newest Debian kernel (unpinned: sid moves on; the verdicts are checked against KVM itself),
# where most ID fields are writable: dumps, verify between emulated hosts and from Linux 6.1, and
# named models as a VMM gives them. KVM's setters on that kernel: test-arm64-kvm-setters.sh.
. "$(dirname "$0")/arm64-kvm-lib.sh"

rig_ready neoverse-n1 "dumps on the newest kernel" "verify on the newest kernel"
dump a64fx
mv "$T/neoverse-n1.xml" "$T/neoverse-n1-6.1.xml" # the newest kernel's dump takes its name
mv "$T/a64fx.xml" "$T/a64fx-6.1.xml"
unset ARM64_KVM_RUN_KERNEL
# QEMU's max is here for its SVE lengths; its default pointer authentication (QARMA5) is slow to
# emulate and the newest kernel signs every return address: the implementation-defined
# algorithm boots it twice as fast (7.5 s against 3.6 s here; a guest with pointer
# authentication all the same).
MAX=max,pauth-impdef=on
for cpu in cortex-a72 neoverse-n1 a64fx $MAX; do
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
    verify_pairs -sid "$PAIRS a64fx:$MAX $MAX:a64fx" --suite sid
    # The same A64FX (no AArch32) upgraded from 6.1: KVM takes and ignores 6.1's ID_DFR0_EL1 of 0
    # and the guest reads PerfMon 4: a warning on both sides, migratable.
    "$CPUCOMPAT" compare --format json "$T/a64fx-6.1.xml" "$T/a64fx-sid.xml" >"$T/c.json"
    rig_check "$T/a64fx-6.1.xml" a64fx "a64fx Linux 6.1 -> $kernel, AArch32 ID registers without AArch32" \
        --suite sid
    verify_models neoverse-n1 -sid "neoverse-n1 cortex-a76 cortex-a57 Armv8.0" --suite sid
    verify_models cortex-a72 -sid "Armv8.0 Armv8.1 cortex-a57" --suite sid
else
    skip "dumps and verify on the newest kernel" "the rig could not boot --suite sid ($(tail -1 "$T/neoverse-n1.err"))"
fi
rig_done
