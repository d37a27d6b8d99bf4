# `models` on this host against QEMU's own answer under KVM (query-cpu-definitions over QMP).
. "$(dirname "$0")/lib.sh"

if [ ! -e /dev/kvm ]; then
    skip "models equals QEMU's query-cpu-definitions under KVM" "/dev/kvm is absent"
elif ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
    skip "models equals QEMU's query-cpu-definitions under KVM" "no permission on /dev/kvm"
elif ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    skip "models equals QEMU's query-cpu-definitions under KVM" "qemu-system-x86 is not installed"
else
    run dump --require-kvm -o "$T/host.xml"
    check "dump with the kvm view" test "$rc" -eq 0
    # One TAP line per QEMU model, numbered after ours.
    python3 "$TOP/tests/peers/x86-models-vs-qemu.py" "$CPUCOMPAT" "$T/host.xml" >"$T/qemu.tap" 2>&1
    relay_tap "$T/qemu.tap" $? "QEMU agrees" "QEMU disagrees"
fi
done_testing
