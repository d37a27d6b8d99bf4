# The arm64 probe against a mocked /dev/kvm, under qemu-aarch64-static (user mode).
. "$(dirname "$0")/../cli/lib.sh"
MOCK=$TOP/build/static-aarch64/tests/arm64_probe_mock
if ! command -v qemu-aarch64-static >/dev/null 2>&1; then
    skip "arm64 probe against a mocked KVM" "qemu-aarch64-static (qemu-user-static) is not installed"
elif [ ! -x "$MOCK" ]; then
    skip "arm64 probe against a mocked KVM" "no aarch64 build of the mock test (make check-rigs)"
else
    qemu-aarch64-static -cpu neoverse-n1 "$MOCK" "$TOP/data" >"$T/mock.tap" 2>&1
    relay_tap "$T/mock.tap" $? "mocked KVM" "mocked KVM"
fi
done_testing
