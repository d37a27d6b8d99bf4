# What an arm64 guest reads, decided on the rig: tests/rigs/arm64_guest_view (a tiny VMM) runs
# MRS of every ID register inside a KVM vCPU on emulated hosts under Linux 6.1 and the newest
# kernel, before and after writing another host's values the way QEMU's incoming migration
# does. cpucompat's compare of the same two hosts must name every change the guest sees (a
# blocker, or a warning where it takes no capability away), nothing the guest does not see, and
# the value the guest reads afterwards. Six boots of a few seconds each.
. "$(dirname "$0")/../cli/lib.sh"
RIG=${ARM64_KVM_RUN:-$TOP/../shared/tools/arm64-kvm-run}
VIEW=$TOP/build/static-aarch64/tests/arm64_guest_view
GV="python3 $TOP/tests/rigs/guest-view.py"
K61=linux-image-6.1.0-56-arm64 # the kernel of the reference captures

python3 "$TOP/tests/rigs/guest-view.py" regs "$TOP/data/arm64/idregs.xml" >"$T/regs.txt"

# view NAME CPU KERNEL CASE...: the program on an emulated CPU host, into $T/NAME.out
view() {
    name=$1 cpu=$2 k=$3
    shift 3
    if [ "$k" = sid ]; then
        env -u ARM64_KVM_RUN_KERNEL "$RIG" --suite sid --cpu "$cpu" --file "$T/regs.txt:/regs.txt" \
            "$VIEW" /regs.txt "$@" >"$T/$name.out" 2>"$T/$name.err"
    else
        ARM64_KVM_RUN_KERNEL=$K61 "$RIG" --cpu "$cpu" --file "$T/regs.txt:/regs.txt" \
            "$VIEW" /regs.txt "$@" >"$T/$name.out" 2>"$T/$name.err"
    fi
}
# host NAME [VIEW CASE EDITS...]: a capability file ($T/NAME.xml) of what userspace read in a
# case (default: NAME's case 0), with fields changed by the edits (a made-up source)
host() {
    h=$1
    shift
    [ $# -gt 0 ] || set -- "$h" 0
    src=$1 c=$2
    shift 2
    $GV regsfile "$T/$src.out" "$c" "$@" >"$T/$h.regs" &&
        "$CPUCOMPAT" import arm64-regs "$T/$h.regs" -o "$T/$h.xml"
}

why=""
[ -x "$RIG" ] || why="the arm64 KVM rig is not at $RIG"
[ -z "$why" ] && [ ! -x "$VIEW" ] && why="no $VIEW (make check-rigs builds it)"
if [ -z "$why" ]; then
    view n1-61 neoverse-n1 6.1 -
    status=$?
    [ "$status" -eq 0 ] || why="the rig could not start ($(tail -1 "$T/n1-61.err"))"
    # The rig's own failures (125, 124) are not ours; anything else from the program is.
    case "$status" in 0 | 124 | 125) ;; *) why="" ;; esac
fi
if [ -n "$why" ]; then
    for d in "guest and userspace views on Linux 6.1" "AArch32 ID registers of an AArch64-only host" \
        "PMCR_EL0 across kernels" "fields KVM rewrites" "compare agrees with what the guest reads"; do
        skip "$d" "$why"
    done
    done_testing
    exit $?
fi

# agree WHAT SRC SVIEW SCASE DST DVIEW DCASE [EDITS...]: compare of the hosts SRC and DST
# against what the guest read in SVIEW's case (with the edits: as written) and in DVIEW's.
agree() {
    what=$1 s=$2 sv=$3 sc=$4 d=$5 dv=$6 dc=$7
    shift 7
    "$CPUCOMPAT" compare --format json "$T/$s.xml" "$T/$d.xml" >"$T/c.json"
    if $GV agree "$TOP/data/arm64/idregs.xml" "$T/$sv.out" "$sc" "$T/$dv.out" "$dc" "$T/c.json" \
        "$@" >"$T/agree.txt"; then
        ok "$what: compare names what the guest sees change ($(cat "$T/agree.txt"))"
    else
        not_ok "$what: compare and the guest disagree" "$(cat "$T/agree.txt")"
    fi
}
# Boots in the order their cases need each other's values.
host n1-61
view a64-61 a64fx 6.1 - "$($GV writes "$T/n1-61.out")"
host a64-61
# On the newest kernel: the 6.1 guest's values, and two values KVM rewrites.
PMUVER=ID_AA64DFR0_EL1:8:4=15 PERFMON=ID_DFR0_EL1:24:4=15
view n1-sid neoverse-n1 sid - "$($GV writes "$T/n1-61.out")" "$PMUVER" "$PERFMON"
host n1-sid
view a64-sid a64fx sid - "$($GV writes "$T/a64-61.out")" "$($GV writes "$T/n1-sid.out")"
host a64-sid
# Back on 6.1: the newest kernel's guests.
view n1-61b neoverse-n1 6.1 "$($GV writes "$T/n1-sid.out")"
view a64-61b a64fx 6.1 "$($GV writes "$T/a64-sid.out")"
kernel=$(sed -n 's/^kernel-release //p' "$T/n1-sid.out")
for f in a64-61 n1-sid a64-sid n1-61b a64-61b; do
    [ -s "$T/$f.out" ] && ! grep -q 'arm64_guest_view:' "$T/$f.err" ||
        not_ok "boot $f" "$(tail -3 "$T/$f.err")"
done

# What the guest reads where nothing was written: userspace's value, but for PMCR_EL0.C
# (a read of the guest's own cycle-counter reset bit) and, on 6.1, CTR_EL0 (not trapped).
check "Linux 6.1, neoverse-n1: the guest reads KVM_GET_ONE_REG's value of every ID register" \
    sh -c "awk '\$1 == \"case\" && \$2 == 0 && \$5 != \$7 && \$5 != \"ENOENT\" { print \$3 }' '$T/n1-61.out' |
        tr '\n' ' ' | grep -qx 'CTR_EL0 PMCR_EL0 '"
check "$kernel, neoverse-n1: the guest reads KVM_GET_ONE_REG's value of every ID register" \
    sh -c "! awk '\$1 == \"case\" && \$2 == 0 && \$5 != \$7 && \$5 != \"ENOENT\"' '$T/n1-sid.out' | grep -q ."

# (a) AArch32 ID registers on a host without AArch32 (A64FX): 0 for userspace and guest on 6.1;
# ID_DFR0_EL1 keeps PerfMon on the newest kernel. Writes are taken and change nothing.
check "a64fx on 6.1: userspace and guest read every AArch32 ID register as 0" sh -c "
    for r in ID_PFR0_EL1 ID_DFR0_EL1 ID_ISAR0_EL1 ID_ISAR6_EL1 ID_MMFR4_EL1 MVFR0_EL1 MVFR2_EL1; do
        [ \"\$(awk -v r=\$r '\$1 == \"case\" && \$2 == 0 && \$3 == r { print \$5, \$7 }' '$T/a64-61.out')\" = \
          '0x0000000000000000 0x0000000000000000' ] || exit 1
    done"
check "a64fx on 6.1: neoverse-n1's AArch32 values are taken (KVM_SET_ONE_REG 0) and the guest still reads 0" \
    sh -c "grep -q '^case 1 set ID_ISAR0_EL1 0x0000000002101110 ok' '$T/a64-61.out' &&
        [ \"\$(awk '\$1 == \"case\" && \$2 == 1 && \$3 == \"ID_ISAR0_EL1\" { print \$7 }' '$T/a64-61.out')\" = 0x0000000000000000 ]"
check "a64fx on $kernel: ID_DFR0_EL1 reads PerfMon 4 for userspace and guest, 6.1's 0 written changes nothing" \
    sh -c "[ \"\$(awk '\$1 == \"case\" && \$3 == \"ID_DFR0_EL1\" && \$4 == \"user\" { print \$2, \$5, \$7 }' '$T/a64-sid.out' | head -2 | tr '\n' ' ')\" = \
        '0 0x0000000004000000 0x0000000004000000 1 0x0000000004000000 0x0000000004000000 ' ] &&
        grep -q '^case 1 set ID_DFR0_EL1 0x0000000000000000 ok' '$T/a64-sid.out'"
run compare --format json "$T/a64-61.xml" "$T/a64-sid.xml"
check "a64fx 6.1 -> $kernel: migratable, ID_DFR0_EL1 a warning (identification), not a blocker" python3 -c "
import json; v = json.load(open('$T/stdout'))
assert v['migratable'] and ('ID_DFR0_EL1', 'identification') in [(w['name'], w['reason']) for w in v['warnings']], v"
agree "a64fx Linux 6.1 -> $kernel" a64-61 a64-61 0 a64-sid a64-sid 1
agree "a64fx $kernel -> Linux 6.1" a64-sid a64-sid 0 a64-61 a64-61b 0
agree "neoverse-n1 -> a64fx, Linux 6.1 (the guest loses AArch32)" n1-61 n1-61 0 a64-61 a64-61 1
agree "neoverse-n1 -> a64fx, $kernel (the guest loses AArch32)" n1-sid n1-sid 0 a64-sid a64-sid 2

# (b) PMCR_EL0: 6.1 shows the PMU's maker (IMP, IDCODE) and keeps what is written; the newest
# kernel shows 0 and drops what is written. The guest reads what KVM_GET_ONE_REG does.
check "PMCR_EL0 IMP/IDCODE: 6.1 shows the host's, $kernel 0; 6.1's written on $kernel read 0 by the guest" \
    sh -c "[ \"\$(awk '\$1 == \"case\" && \$2 == 0 && \$3 == \"PMCR_EL0\" { print substr(\$7, 11, 4) }' '$T/n1-61.out')\" != 0000 ] &&
        [ \"\$(awk '\$1 == \"case\" && \$2 == 1 && \$3 == \"PMCR_EL0\" { print substr(\$5, 11, 4), substr(\$7, 11, 4) }' '$T/n1-sid.out')\" = '0000 0000' ]"
run compare --format json "$T/n1-61.xml" "$T/n1-sid.xml"
check "neoverse-n1 6.1 -> $kernel: migratable; PMCR_EL0.IMP and .IDCODE warnings" python3 -c "
import json; v = json.load(open('$T/stdout'))
w = sorted(x['name'] for x in v['warnings'])
assert v['migratable'] and 'PMCR_EL0.IMP' in w and 'PMCR_EL0.IDCODE' in w, v"
agree "neoverse-n1 Linux 6.1 -> $kernel" n1-61 n1-61 0 n1-sid n1-sid 1
agree "neoverse-n1 $kernel -> Linux 6.1 (6.1 keeps the written IMP 0)" n1-sid n1-sid 0 n1-61 n1-61b 0

# (c) values KVM takes and replaces: an IMPLEMENTATION DEFINED PMU (15) reads as none (0).
host n1-pmuver n1-sid 0 "$PMUVER"
agree "PMUVer 15 written on $kernel" n1-pmuver n1-sid 0 n1-sid n1-sid 2 "$PMUVER"
host n1-perfmon n1-sid 0 "$PERFMON"
agree "ID_DFR0_EL1.PerfMon 15 written on $kernel" n1-perfmon n1-sid 0 n1-sid n1-sid 3 "$PERFMON"
check "... and with PMUVer 0 the guest's PMCR_EL0 read traps (no PMU left to it)" \
    sh -c "awk '\$1 == \"case\" && \$2 == 2 && \$3 == \"PMCR_EL0\" { print \$7 }' '$T/n1-sid.out' | grep -q '^undef:'"

# A host whose fields KVM takes back and drops needs a core that has them: QEMU 7.2's have no NV,
# QEMU 9.0 and later's max has FEAT_NV2: QEMU 10.0 of bookworm-backports (build-aux/qemu-backports,
# fetched by the test set-up), or ARM64_GUEST_VIEW_QEMU naming such a qemu-system-aarch64; two
# boots of max, about 40 s.
nvq=${ARM64_GUEST_VIEW_QEMU:-}
[ -z "$nvq" ] && [ -x "$TOP/build/qemu-10.0/run-aarch64" ] && nvq=$TOP/build/qemu-10.0/run-aarch64
if [ -n "$nvq" ]; then
    export ARM64_KVM_RUN_QEMU="$nvq"
    view nv-61 max,pauth-impdef=on 6.1 -
    host nv-61
    view nv-sid max,pauth-impdef=on sid - "$($GV writes "$T/nv-61.out")"
    unset ARM64_KVM_RUN_QEMU
    host nv-sid
    check "max with FEAT_NV2: 6.1 shows NV 2 to userspace and guest, $kernel 0 and takes the 2 back" \
        sh -c "grep -q '^case 0 ID_AA64MMFR2_EL1 user 0x.........2.* guest 0x.........2' '$T/nv-61.out' &&
            grep -q '^case 0 ID_AA64MMFR2_EL1 user 0x.........0.* guest 0x.........0' '$T/nv-sid.out' &&
            grep -q '^case 1 set ID_AA64MMFR2_EL1 0x.........2[0-9a-f]* ok' '$T/nv-sid.out' &&
            grep -q '^case 1 ID_AA64MMFR2_EL1 user 0x.........0.* guest 0x.........0' '$T/nv-sid.out'"
    run compare --format json "$T/nv-61.xml" "$T/nv-sid.xml"
    check "max 6.1 -> $kernel: migratable, ID_AA64MMFR2_EL1.NV a warning" python3 -c "
import json; v = json.load(open('$T/stdout'))
assert v['migratable'] and 'ID_AA64MMFR2_EL1.NV' in [w['name'] for w in v['warnings']], v"
    agree "max (FEAT_NV2) Linux 6.1 -> $kernel" nv-61 nv-61 0 nv-sid nv-sid 1
else
    skip "NV taken back and dropped, in a guest" "QEMU 7.2's cores have no FEAT_NV and build/qemu-10.0 was not fetched (build-aux/qemu-backports; or set ARM64_GUEST_VIEW_QEMU to a QEMU 9.0 or later)"
fi
done_testing
