# baseline against virsh cpu-baseline (libvirt's test driver, no daemon) on real CPU pairs.
. "$(dirname "$0")/lib.sh"

if [ -n "$EMULATED" ]; then
    skip "baseline equals virsh cpu-baseline --features" \
        "a foreign build under $EMULATED: the native run compares with virsh"
elif ! command -v virsh >/dev/null 2>&1; then
    skip "baseline equals virsh cpu-baseline --features" "virsh (libvirt-clients) is not installed"
elif ! virsh -c test:///default version >/dev/null 2>&1; then
    skip "baseline equals virsh cpu-baseline --features" "virsh cannot open test:///default"
else
    python3 "$TOP/tests/peers/x86-baseline-vs-virsh.py" "$CPUCOMPAT" "$TOP" "$T" >"$T/virsh.tap" 2>&1
    relay_tap "$T/virsh.tap" $? "virsh agrees" "virsh disagrees"
fi
done_testing
