# Helpers for the command-line tests: TAP output, one line per check.
# Each test file sources this, runs checks, and calls `done_testing` last.
set -u
: "${CPUCOMPAT:?run through tests/run-tests}"
TOP=${CPUCOMPAT_TOP:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/cpucompat-cli.XXXXXX")
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
_n=0
_failed=0

ok() { _n=$((_n + 1)); echo "ok $_n - $1"; }
not_ok() {
    _n=$((_n + 1)) _failed=$((_failed + 1))
    echo "not ok $_n - $1"
    shift
    for line in "$@"; do echo "#   $line"; done
}
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
check() { # check DESCRIPTION COMMAND...: passes when the command succeeds
    d=$1
    shift
    if "$@" >"$T/.out" 2>&1; then ok "$d"; else not_ok "$d" "$(head -5 "$T/.out")"; fi
}
done_testing() {
    echo "1..$_n"
    [ "$_failed" -eq 0 ]
}

# relay_tap FILE STATUS AGREE DISAGREE: turns a peer check's TAP output into our own lines
# ("AGREE: what", "DISAGREE: what"); a non-zero STATUS without any failure line is a failure.
relay_tap() {
    while IFS= read -r line; do
        case "$line" in
        "ok "*) ok "$3: ${line#* - }" ;;
        "not ok "*) not_ok "$4: ${line#* - }" ;;
        "#"*) echo "$line" ;;
        esac
    done <"$1"
    if [ "$2" -ne 0 ] && ! grep -q '^not ok' "$1"; then
        not_ok "the peer check ran to the end" "$(tail -3 "$1")"
    fi
}

# run ARGS...: runs cpucompat, leaving $rc, $T/stdout and $T/stderr.
run() {
    "$CPUCOMPAT" "$@" >"$T/stdout" 2>"$T/stderr"
    rc=$?
}

# expect_error DESCRIPTION WORDS ARGS...: exit 2, exactly one stderr line containing WORDS,
# nothing on stdout.
expect_error() {
    d=$1 words=$2
    shift 2
    run "$@"
    lines=$(wc -l <"$T/stderr")
    if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$words" "$T/stderr" &&
        [ ! -s "$T/stdout" ]; then
        ok "$d"
    else
        not_ok "$d" "exit $rc, $lines stderr lines, want 2 and 1 line with '$words'" \
            "$(head -3 "$T/stderr")"
    fi
}

# The named features of one view of a capability file, one per line.
view_features() {
    xmllint --xpath "//view[@name='$2']/features/text()" "$1" 2>/dev/null | tr -s ' \n' '\n\n' |
        sed '/^$/d'
}

# small_fleet DIR: a fleet of real captures of all three architectures under DIR (x86/, arm64/,
# gen15a.xml): five x86 hosts of both vendors and four generations, two arm64, one s390x. Prints
# the inputs that failed to import (nothing when all did).
small_fleet() {
    mkdir -p "$1/x86" "$1/arm64"
    for _n in Xeon-Gold-6148 Xeon-Gold-5115 Core-i7-8700 EPYC-7502-32-Core Core2-E6850; do
        "$CPUCOMPAT" import libvirt-cpudata "$TOP/tests/data/x86/libvirt/x86_64-cpuid-$_n.xml" \
            -o "$1/x86/$_n.xml" || echo "$_n"
    done
    for _f in $(ls "$TOP"/tests/data/arm64/*.regs | head -2); do
        "$CPUCOMPAT" import arm64-regs "$_f" -o "$1/arm64/$(basename "$_f" .regs).xml" || echo "$_f"
    done
    "$CPUCOMPAT" import s390x-cpuinfo "$TOP/tests/data/s390x/rig-gen15a-clipped.cpuinfo" \
        -o "$1/gen15a.xml" || echo gen15a
}

# inflate_arm64_regs SRC OUT [BYTES]: SRC (an arm64 capability file) with rows of made-up
# registers added until it is just under BYTES (default 16 MiB, the readers' size cap): a file
# every reader must take whole, in bounded time and memory.
inflate_arm64_regs() {
    python3 - "$1" "$2" "${3:-16777216}" <<'PY'
import sys, re
src, out, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(src).read()
m = re.search(r'(<regs columns="name id value">)(.*?)(\s*</regs>)', text, re.S)
rows, size, i = [], len(text), 0
while size < cap - 100:
    row = "\n        Y%07d 0x%016x 0x0000000000000001" % (i, 0x6030000000140000 + i)
    rows.append(row); size += len(row); i += 1
open(out, 'w').write(text[:m.end(2)] + ''.join(rows) + text[m.end(2):])
PY
}

# with_props IN OUT NAME=VALUE...: an arm64 capability file IN with view properties added, as a
# dump records them (cap-sve=1, sve-vector-lengths="16 32", ...).
with_props() {
    _in=$1 _out=$2
    shift 2
    _p=
    for _kv in "$@"; do _p="$_p<property name=\"${_kv%%=*}\" value=\"${_kv#*=}\"/>"; done
    sed "s|<property name=\"kernel-release\" value=\"\([^\"]*\)\"/>|&$_p|" "$_in" >"$_out"
}

# The architecture this binary probes, as its own dump says (a foreign build under qemu-user
# probes its own, not the x86 host's); empty when it cannot dump.
binary_arch() {
    "$CPUCOMPAT" dump --no-kvm -o "$T/.arch.xml" 2>/dev/null
    sed -n 's/^<capabilities [^>]*arch="\([^"]*\)".*/\1/p' "$T/.arch.xml" 2>/dev/null
}

# Set by tests/run-tests under user-mode emulation (make check-foreign), to the emulator. The
# comparisons with peers (QEMU over QMP, virsh), thousands of runs each, say SKIP there: the
# native run holds the same answers against the peers, and the foreign run the rest of the suite.
EMULATED=${CPUCOMPAT_EMULATED:-}
# Set by make check-san: the binary runs under AddressSanitizer and UBSan, each run many times
# slower; tests of thousands of runs take a fixed sample there (and say so in their name).
SANITIZED=${CPUCOMPAT_SANITIZED:-}
# ASAN_BINARY is set when $CPUCOMPAT is built with AddressSanitizer, however it was run (its
# runtime may be linked in, as make check-san does, so ldd does not show it): such a process
# reserves terabytes of address space and runs every step several times slower.
ASAN_BINARY=
grep -q __asan_init "$CPUCOMPAT" 2>/dev/null && ASAN_BINARY=1


# json_ok DESCRIPTION EXPR [FILE]: passes when the Python expression EXPR holds for the JSON report
# in FILE (default: $T/stdout, as `run ... --format json` leaves it). In EXPR: d is the report, rc
# the exit status of the last `run`; blocker(NAME) and warning(NAME) are the member of that name
# in d's blockers or warnings (or None); re is Python's; names(LIST) the names of a list of members or strings;
# note(TEXT) whether one of d's notes contains TEXT. Tests decide on members, not the text
# report's wording.
json_ok() {
    _d=$1 _e=$2 _f=${3:-$T/stdout}
    if python3 - "$_f" "${rc:-}" "$_e" >"$T/.json_ok" 2>&1 <<'PY'; then
import json, re, sys
d = json.load(open(sys.argv[1]))
rc = int(sys.argv[2]) if sys.argv[2] else None
def names(l): return [x["name"] if isinstance(x, dict) else x for x in l]
def member(key, n): return next((x for x in d.get(key, []) if x["name"] == n), None)
def blocker(n): return member("blockers", n)
def warning(n): return member("warnings", n)
def note(t): return any(t in n for n in d.get("notes", []))
sys.exit(0 if eval("(" + sys.argv[3] + "\n)") else 1)
PY
        ok "$_d"
    else
        not_ok "$_d" "exit $rc; not true of $_f: $_e" "$(tail -2 "$T/.json_ok")" "$(head -c 300 "$_f")"
    fi
}
