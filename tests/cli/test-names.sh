# --names libvirt|linux: the feature names of every text, JSON and XML report in that spelling,
# checked against libvirt's installed CPU map and against this machine's /proc/cpuinfo.
. "$(dirname "$0")/lib.sh"
L=$TOP/tests/data/x86/libvirt
for h in Xeon-Gold-6148 Core-i7-8700 Core2-E6850; do
    "$CPUCOMPAT" import libvirt-cpudata "$L/x86_64-cpuid-$h.xml" -o "$T/$h.xml"
done
"$CPUCOMPAT" import arm64-regs "$TOP/tests/data/arm64/graviton3@linux-6.18.regs" -o "$T/g3.xml"

# names.py SPELLING -- ARGS: the JSON report without and with --names, item by item.
cat >"$T/names.py" <<'PY'
import json, subprocess, sys, xml.etree.ElementTree as ET
cc, naming, args = sys.argv[1], sys.argv[2], sys.argv[3:]
plain = json.loads(subprocess.run([cc] + args + ["--format", "json"],
                                  capture_output=True, text=True).stdout)
spelt = json.loads(subprocess.run([cc, "--names", naming] + args + ["--format", "json"],
                                  capture_output=True, text=True).stdout)
pairs = []
def walk(a, b, key=''):
    if isinstance(a, dict):
        for k in a:
            if k != 'guest_cpu' and k != 'notes':
                walk(a[k], b[k], k)
            elif a[k] != b[k]:
                raise SystemExit('%s changed under --names' % k)
    elif isinstance(a, list):
        if len(a) != len(b):
            raise SystemExit('%s: %d items, %d under --names' % (key, len(a), len(b)))
        for x, y in zip(a, b):
            walk(x, y, key)
    elif a != b:
        pairs.append((key, a, b))
walk(plain, spelt)
for p in sorted(set(pairs)):
    print('%s %s %s' % p)
PY

check_map() { # DESCRIPTION ARGS...: every renamed feature is a feature of libvirt's CPU map
    d=$1
    shift
    if ! python3 "$T/names.py" "$CPUCOMPAT" libvirt "$@" >"$T/pairs" 2>"$T/err"; then
        not_ok "$d" "$(cat "$T/err")"
        return
    fi
    feats=/usr/share/libvirt/cpu_map/x86_features.xml
    if [ ! -e "$feats" ]; then
        skip "$d" "libvirt's CPU map ($feats, libvirt0) is not installed"
        return
    fi
    xmllint --xpath '//feature/@name' "$feats" | tr ' ' '\n' | sed -n 's/^name="\(.*\)"$/\1/p' |
        sort -u >"$T/lv-names"
    n=$(wc -l <"$T/pairs")
    bad=$(awk '{print $3}' "$T/pairs" | sort -u | comm -23 - "$T/lv-names" | tr '\n' ' ')
    if [ "$n" -gt 0 ] && [ -z "$bad" ] && ! grep -qv '^\(features\|extra_features\|removed_features\|guest_features\|extra\|unavailable_features\|name\) ' "$T/pairs"; then
        ok "$d ($n renamed)"
    else
        not_ok "$d" "renamed: $n; not libvirt's: $bad" "$(grep -v '^\(features\|extra_features\|removed_features\|guest_features\|extra\|unavailable_features\|name\) ' "$T/pairs" | head -3)"
    fi
}
check_map "--names libvirt baseline: only feature names change, into libvirt's CPU map's" \
    baseline "$T/Xeon-Gold-6148.xml" "$T/Core-i7-8700.xml"
check_map "--names libvirt compare: blockers and features in libvirt's names" \
    compare "$T/Xeon-Gold-6148.xml" "$T/Core-i7-8700.xml"
check_map "--names libvirt models: unavailable features and blockers in libvirt's names" \
    models "$T/Core2-E6850.xml"
check_map "--names libvirt show: each view's features in libvirt's names" \
    show "$T/Xeon-Gold-6148.xml"

run --names libvirt baseline "$T/Xeon-Gold-6148.xml"
check "--names libvirt reaches the text layout (+ds_cpl)" grep -q '+ds_cpl' "$T/stdout"
run --names libvirt baseline --format qemu "$T/Xeon-Gold-6148.xml"
check "--names leaves QEMU's -cpu string in QEMU's names (+ds-cpl)" grep -q ',+ds-cpl' "$T/stdout"

# Linux: what this machine's kernel prints for the CPU it runs on.
if [ -n "$EMULATED" ] || [ "$(binary_arch)" != x86_64 ] || ! grep -q '^flags' /proc/cpuinfo; then
    skip "--names linux: each renamed feature of this host is a /proc/cpuinfo flag" \
        "not an x86-64 host run natively"
else
    "$CPUCOMPAT" dump --no-kvm -o "$T/me.xml" 2>/dev/null
    python3 "$T/names.py" "$CPUCOMPAT" linux show "$T/me.xml" >"$T/pairs"
    grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2 | tr ' ' '\n' | sed '/^$/d' | sort -u >"$T/flags"
    n=$(wc -l <"$T/pairs")
    bad=$(awk '{print $3}' "$T/pairs" | sort -u | comm -23 - "$T/flags" | tr '\n' ' ')
    if [ "$n" -gt 0 ] && [ -z "$bad" ]; then
        ok "--names linux: each of the $n renamed features of this host is a /proc/cpuinfo flag"
    else
        not_ok "--names linux: each renamed feature of this host is a /proc/cpuinfo flag" \
            "renamed: $n; not in /proc/cpuinfo: $bad"
    fi
fi

expect_error "an unknown naming is one line, exit 2" "not one of qemu libvirt linux" \
    --names lnux show "$T/Xeon-Gold-6148.xml"
expect_error "arm64 features have QEMU's names only" "aarch64 features have QEMU's names only" \
    --names libvirt show "$T/g3.xml"
run --names qemu show --format json "$T/g3.xml"
check "--names qemu is the default spelling, on every architecture" test "$rc" -eq 0
done_testing
