# --format qemu and libvirt (baseline, expand, models --resolve) put to the stack that consumes
# them (tests/peers/exports-vs-stack.py: libvirt's schema and CPU map, virsh's test driver, QEMU
# under TCG), --format labels against libvirt's own host models and KubeVirt's key forms
# (tests/peers/labels-vs-kubevirt.py), and the format names' errors.
. "$(dirname "$0")/lib.sh"
A=$TOP/tests/data/arm64

if [ -n "$EMULATED" ]; then
    skip "the exports start in libvirt and QEMU" \
        "a foreign build under $EMULATED: the native run puts them to the stack"
else
    mkdir "$T/peer"
    PYTHONPATH="$TOP/tests/peers" python3 "$TOP/tests/peers/exports-vs-stack.py" "$CPUCOMPAT" \
        "$TOP" "$T/peer" >"$T/stack.tap" 2>&1
    relay_tap "$T/stack.tap" $? "the stack takes it" "the stack refuses"
fi

mkdir "$T/labels"
python3 "$TOP/tests/peers/labels-vs-kubevirt.py" "$CPUCOMPAT" "$TOP" "$T/labels" >"$T/labels.tap" 2>&1
relay_tap "$T/labels.tap" $? "KubeVirt's labels" "KubeVirt's labels differ"

run import arm64-regs "$A/graviton3@linux-6.18.regs" -o "$T/g3.xml"
expect_error "arm64: --format libvirt is one line, exit 2" "which neither QEMU's -cpu under KVM" \
    baseline --format libvirt "$T/g3.xml"
expect_error "arm64: --format labels is one line, exit 2" "no KubeVirt node labels for aarch64" \
    show --format labels "$T/g3.xml"
expect_error "labels are an answer about one host, not a baseline" "not for this command" \
    baseline --format labels "$T/g3.xml"
expect_error "a mistyped format gets the nearest name" "did you mean 'libvirt'" \
    baseline --format libvrt "$T/g3.xml"
expect_error "a format of another command is named as such" "not for this command" \
    compare --format qemu "$T/g3.xml" "$T/g3.xml"
expect_error "models without --resolve has no guest CPU" "names no guest CPU" \
    models --format qemu "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml"
expect_error "expand --format writes to standard output only" "not with -o" \
    expand --format qemu -o "$T/x" Haswell-v4
run expand --format qemu Haswell-v4
check "expand --format qemu prints the model's -cpu string" test "$(cat "$T/stdout")" = Haswell-v4
done_testing
