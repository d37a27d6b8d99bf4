# The s390x probe's KVM path against a mocked /dev/kvm, under qemu-s390x-static (user mode).
. "$(dirname "$0")/../cli/lib.sh"
MOCK=$TOP/build/static-s390x/tests/s390x_probe_mock
if ! command -v qemu-s390x-static >/dev/null 2>&1; then
    skip "s390x probe against a mocked KVM" "qemu-s390x-static (qemu-user-static) is not installed"
elif [ ! -x "$MOCK" ]; then
    skip "s390x probe against a mocked KVM" "no s390x build of the mock test (make check-rigs)"
else
    qemu-s390x-static -cpu qemu "$MOCK" "$TOP/data" >"$T/mock.tap" 2>&1
    relay_tap "$T/mock.tap" $? "mocked KVM" "mocked KVM"
fi
done_testing
