# cpucompat dump on this machine: the real probe, real /dev/kvm, real peers. A foreign build run
# under user-mode emulation (make check-foreign) probes its own architecture: the checks of the
# x86 host (cpuid(1), x86 KVM) say SKIP there.
. "$(dirname "$0")/lib.sh"
SCHEMA=$TOP/data/schema/capabilities.rng

ARCH=$(binary_arch)
not_x86="this binary probes ${ARCH:-no architecture}, not the x86-64 host"

run dump -o "$T/host.xml"
check "dump -o writes a file and exits 0" test "$rc" -eq 0 -a -s "$T/host.xml"
check "the dump is valid against the schema" xmllint --noout --relaxng "$SCHEMA" "$T/host.xml"

# Two dumps of one host, with the timestamp pinned, are the same bytes (per-CPU fields masked).
SOURCE_DATE_EPOCH=1700000000 "$CPUCOMPAT" dump >"$T/a.xml" 2>/dev/null
SOURCE_DATE_EPOCH=1700000000 "$CPUCOMPAT" dump -o - >"$T/b.xml" 2>/dev/null
check "two dumps of this host are identical" cmp "$T/a.xml" "$T/b.xml"

# Peer check: the cpuid tool (Debian package cpuid) reads the same CPUID instruction.
if [ "$ARCH" != x86_64 ]; then
    skip "cpu view features equal those of cpuid -1 -r" "$not_x86"
elif command -v cpuid >/dev/null 2>&1; then
    cpuid -1 -r >"$T/cpuid.txt"
    run import cpuid-raw "$T/cpuid.txt" -o "$T/peer.xml"
    view_features "$T/host.xml" cpu >"$T/ours.txt"
    view_features "$T/peer.xml" cpu >"$T/theirs.txt"
    if [ "$rc" -eq 0 ] && [ -s "$T/ours.txt" ] && cmp -s "$T/ours.txt" "$T/theirs.txt"; then
        ok "cpu view features equal those of \`cpuid -1 -r\` ($(wc -l <"$T/ours.txt") features)"
    else
        not_ok "cpu view features equal those of \`cpuid -1 -r\`" \
            "$(diff "$T/ours.txt" "$T/theirs.txt" | head -5)"
    fi
else
    skip "cpu view features equal those of cpuid -1 -r" "the cpuid tool is not installed"
fi

# The kvm view, where this machine has KVM.
if [ "$ARCH" != x86_64 ]; then
    for d in "dump --require-kvm succeeds" "kvm view present" "kvm view differs" \
        "kvm view offers kvmclock" "kvm view records the API version"; do
        skip "$d" "$not_x86"
    done
elif [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    run dump --require-kvm -o "$T/kvm.xml"
    check "dump --require-kvm succeeds with /dev/kvm" test "$rc" -eq 0
    view_features "$T/kvm.xml" kvm | sort >"$T/kvm-features.txt"
    view_features "$T/kvm.xml" cpu | sort >"$T/cpu-features.txt"
    check "the kvm view is present" test -s "$T/kvm-features.txt"
    if ! cmp -s "$T/kvm-features.txt" "$T/cpu-features.txt"; then
        ok "the kvm view differs from the cpu view where KVM masks bits ($(comm -23 "$T/cpu-features.txt" "$T/kvm-features.txt" | wc -l) masked, $(comm -13 "$T/cpu-features.txt" "$T/kvm-features.txt" | wc -l) added)"
    else
        not_ok "the kvm view differs from the cpu view" "identical feature lists"
    fi
    # KVM always offers its own paravirtual leaf; the CPUID instruction of a bare host never does.
    check "the kvm view offers kvmclock" grep -qx kvmclock "$T/kvm-features.txt"
    check "the kvm view records KVM's API version" \
        grep -q '<property name="kvm-api-version" value="12"/>' "$T/kvm.xml"
else
    for d in "dump --require-kvm succeeds" "kvm view present" "kvm view differs" \
        "kvm view offers kvmclock" "kvm view records the API version"; do
        skip "$d" "/dev/kvm is absent or not read-writable for $(id -un)"
    done
fi

# Without /dev/kvm at all: a private /dev in a mount namespace (needs root and unshare).
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    unshare -m sh -c 'mount -t tmpfs none /dev && exec "$0" dump -o "$1"' \
        "$CPUCOMPAT" "$T/nokvm.xml" >"$T/stdout" 2>"$T/stderr"
    rc=$?
    if [ "$rc" -eq 0 ] && [ "$(wc -l <"$T/stderr")" -eq 1 ] &&
        grep -q "note: no kvm view: /dev/kvm: not present" "$T/stderr" &&
        ! grep -q 'view name="kvm"' "$T/nokvm.xml"; then
        ok "without /dev/kvm: exit 0, cpu view only, one line saying why"
    else
        not_ok "without /dev/kvm: exit 0, cpu view only, one line saying why" \
            "exit $rc" "$(cat "$T/stderr")"
    fi
    unshare -m sh -c 'mount -t tmpfs none /dev && exec "$0" dump --require-kvm -o "$1"' \
        "$CPUCOMPAT" "$T/nokvm2.xml" >"$T/stdout" 2>"$T/stderr"
    rc=$?
    if [ "$rc" -eq 2 ] && [ ! -e "$T/nokvm2.xml" ] && grep -q "^cpucompat: /dev/kvm: not present" "$T/stderr"; then
        ok "without /dev/kvm, --require-kvm: exit 2 and no output file"
    else
        not_ok "without /dev/kvm, --require-kvm: exit 2 and no output file" "exit $rc" "$(cat "$T/stderr")"
    fi
else
    skip "without /dev/kvm: cpu view only" "needs root and unshare(1) for a private /dev"
    skip "without /dev/kvm, --require-kvm fails" "needs root and unshare(1) for a private /dev"
fi

# No permission on /dev/kvm: run as nobody, who has none (when /dev/kvm is root-only).
perm=$(stat -c %a /dev/kvm 2>/dev/null)
if [ "$(id -u)" = 0 ] && [ -e /dev/kvm ] && [ "${perm#6}" = 00 ] && command -v setpriv >/dev/null &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$CPUCOMPAT" --version >/dev/null 2>&1; then
    # nobody cannot write into $T either: the file goes through standard output.
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$CPUCOMPAT" dump \
        >"$T/nobody.xml" 2>"$T/stderr"
    rc=$?
    if [ "$rc" -eq 0 ] && grep -q "no kvm view: /dev/kvm: permission denied" "$T/stderr" &&
        ! grep -q 'view name="kvm"' "$T/nobody.xml"; then
        ok "no permission on /dev/kvm: exit 0, one line saying why"
    else
        not_ok "no permission on /dev/kvm: exit 0, one line saying why" "exit $rc" "$(cat "$T/stderr")"
    fi
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$CPUCOMPAT" dump --require-kvm \
        >"$T/nobody2.xml" 2>"$T/stderr"
    rc=$?
    check "no permission, --require-kvm: exit 2, no output" \
        sh -c "[ $rc -eq 2 ] && [ ! -s '$T/nobody2.xml' ] && grep -q 'permission denied' '$T/stderr'"
else
    skip "no permission on /dev/kvm: cpu view only" "needs root, a root-only /dev/kvm and setpriv"
    skip "no permission, --require-kvm: exit 2" "needs root, a root-only /dev/kvm and setpriv"
fi

expect_error "dump into a missing directory: exit 2, one line" "$T/no/such/dir/x.xml" \
    dump -o "$T/no/such/dir/x.xml"
expect_error "dump with an unknown option: exit 2" "--bogus" dump --bogus
expect_error "dump with a stray argument: exit 2" "unexpected argument 'extra'" dump extra
expect_error "dump --require-kvm --no-kvm: exit 2" "contradict" dump --require-kvm --no-kvm
if [ "$ARCH" = x86_64 ]; then
    expect_error "dump --vcpu-features on x86: exit 2" "--vcpu-features is an aarch64 option; this host is" \
        dump --vcpu-features pmu
else
    skip "dump --vcpu-features on x86: exit 2" "$not_x86"
fi

run dump --no-kvm -o "$T/cpuonly.xml"
check "dump --no-kvm writes only the cpu view" \
    sh -c "[ $rc -eq 0 ] && ! grep -q 'view name=\"kvm\"' '$T/cpuonly.xml' && [ ! -s '$T/stderr' ]"
done_testing
