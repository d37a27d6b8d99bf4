# `models --qemu VERSION` against that QEMU's own answer (query-cpu-definitions over QMP): Debian's
# QEMU 7.2 and QEMU 10.0 from bookworm-backports (build-aux/qemu-backports, run by
# build-aux/ensure-deps --test into build/qemu-10.0). The model list needs no KVM (-accel tcg);
# which models are usable and what they lack is asked under -accel kvm on this host's dump.
. "$(dirname "$0")/lib.sh"

kvm_why=""
if [ "$(binary_arch)" != x86_64 ]; then
    kvm_why="this binary probes $(binary_arch), not the x86-64 host"
elif [ ! -e /dev/kvm ]; then
    kvm_why="/dev/kvm is absent"
elif ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
    kvm_why="no permission on /dev/kvm"
else
    run dump --require-kvm -o "$T/host.xml"
    check "dump with the kvm view" test "$rc" -eq 0
fi
# The model list is a property of QEMU's x86 target: a foreign build (it probes its own CPU)
# names them for a recorded x86 dump.
if [ "$(binary_arch)" = x86_64 ]; then
    run dump --no-kvm -o "$T/silicon.xml"
else
    cp "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml" "$T/silicon.xml"
fi

# peer LABEL BINARY: both checks against one QEMU, or a SKIP for each saying why not.
peer() {
    if [ -z "$2" ] || ! [ -x "$2" ]; then
        skip "models --qemu $1 names QEMU $1's models" "$3"
        skip "models --qemu $1 equals QEMU $1's query-cpu-definitions under KVM" "$3"
        return
    fi
    v=$("$2" --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')
    python3 "$TOP/tests/peers/x86-models-vs-qemu.py" "$CPUCOMPAT" "$T/silicon.xml" "$2" "$v" \
        names >"$T/names.tap" 2>&1
    relay_tap "$T/names.tap" $? "QEMU $v defines exactly the models offered" "QEMU $v disagrees"
    if [ -n "$kvm_why" ]; then
        skip "models --qemu $v equals QEMU $v's query-cpu-definitions under KVM" "$kvm_why"
        return
    fi
    # One TAP line per QEMU model, numbered after ours.
    python3 "$TOP/tests/peers/x86-models-vs-qemu.py" "$CPUCOMPAT" "$T/host.xml" "$2" "$v" \
        kvm >"$T/qemu.tap" 2>&1
    relay_tap "$T/qemu.tap" $? "QEMU $v agrees" "QEMU $v disagrees"
    # QEMU's own -cpu host under KVM (query-cpu-model-expansion, as virsh qemu-monitor-command
    # writes it) against cpucompat's reading of KVM on the same host: one host model, both ways.
    PYTHONPATH="$TOP/tests/peers" python3 -c '
import json, sys
from qmp import qmp
exp, = qmp(sys.argv[1], ["-machine", "none", "-accel", "kvm"], [{"execute": "query-cpu-model-expansion",
    "arguments": {"type": "full", "model": {"name": "host"}}}])
print(json.dumps(exp))' "$2" >"$T/exp.json" 2>"$T/exp.err"
    run import qemu-expansion "$T/exp.json" -o "$T/exp.xml"
    check "QEMU $v's expansion of -cpu host under KVM imports" test "$rc" -eq 0
    for pair in "host.xml exp.xml" "exp.xml host.xml"; do
        set -- $pair
        run compare --qemu "$v" "$T/$1" "$T/$2"
        check "QEMU $v: compare $1 $2 (cpucompat's dump, QEMU's expansion of this host): identical" \
            grep -q "^verdict  *MIGRATABLE; the destination is identical to the guest CPU" "$T/stdout"
    done
}
peer 7.2 "$(command -v qemu-system-x86_64)" "qemu-system-x86 is not installed"
peer 10.0 "$TOP/build/qemu-10.0/run" \
    "QEMU 10.0 of bookworm-backports was not fetched (build-aux/qemu-backports build/qemu-10.0)"
done_testing
