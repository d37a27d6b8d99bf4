# Faults and load on the commands that read files (issue 14): many files do not exhaust file
# descriptors, inputs at the 16 MiB cap stay within bounded memory, and a file rewritten while it
# is read is an error or a whole answer, never a crash or half an answer. The counts here are
# modest; `make bench` runs baseline over 100,000 files.
. "$(dirname "$0")/lib.sh"
HOST=$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml
LV=$TOP/tests/data/x86/libvirt

# ---- file descriptors -----------------------------------------------------------------------
# 1,000 files through baseline with 64 descriptors: a file left open per host would run out
# after 60. Hard links: the same bytes, no disk.
links() { # links FILE DIR N: DIR/h0.xml ... h(N-1).xml, hard links of FILE (copies if need be)
    python3 - "$@" <<'PY'
import os, shutil, sys
src, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(d)
for i in range(n):
    try:
        os.link(src, "%s/h%d.xml" % (d, i))
    except OSError:
        shutil.copy(src, "%s/h%d.xml" % (d, i))
PY
}
links "$HOST" "$T/fleet" 1000
"$CPUCOMPAT" baseline --format json "$HOST" >"$T/one.json"
(ulimit -n 64 && cd "$T/fleet" && exec "$CPUCOMPAT" baseline --format json h*.xml) \
    >"$T/stdout" 2>"$T/stderr"
rc=$?
check "baseline of 1,000 files with 64 file descriptors (ulimit -n) succeeds" test "$rc" -eq 0
# The answer, not the list of files and the notes that name them.
answer() {
    python3 -c 'import json, sys
b = json.load(open(sys.argv[1]))
print(sorted((k, str(v)) for k, v in b.items() if k not in ("hosts", "notes")))' "$1"
}
answer "$T/one.json" >"$T/one.answer"
answer "$T/stdout" >"$T/many.answer"
check "... and answers as for the one host they copy" cmp -s "$T/one.answer" "$T/many.answer"
(ulimit -n 64 && cd "$T/fleet" && exec "$CPUCOMPAT" baseline h*.xml missing.xml) \
    >"$T/stdout" 2>"$T/stderr"
rc=$?
check "... a missing 1,001st file is exit 2 naming it, in one line" \
    sh -c "[ $rc -eq 2 ] && [ \$(wc -l <'$T/stderr') -eq 1 ] && grep -q 'missing.xml' '$T/stderr'"

# ---- memory at the size cap -----------------------------------------------------------------
# Under `ulimit -v` every input at the 16 MiB cap is read, imported or refused for what it is;
# the bound is 512 MiB of address space: a small file needs about 50 MiB (libxml2, the
# catalogs), and a 16 MiB libvirt capture becomes a libxml2 tree of 720,000 attributes (about
# 360 MiB resident). Below what the process needs, the answer is one line "out of
# memory" and exit 2, never a crash. AddressSanitizer reserves terabytes of address space and
# qemu-user maps the guest's, so those runs SKIP (the plain run measures).
[ -n "$ASAN_BINARY" ] && nomem="AddressSanitizer reserves terabytes of address space"
[ -n "$EMULATED" ] && nomem="under $EMULATED the emulator's own mappings count"
LIMIT_KB=524288
# (the inputs are made only where they are used)
if [ -z "${nomem:-}" ]; then
python3 - "$T" <<'PY'
import sys
t, cap = sys.argv[1], 16 * 1024 * 1024
# libvirt capture: distinct CPUID leaves up to the cap.
with open(t + '/leaves16.xml', 'w') as f:
    f.write("<cpudata arch='x86'>\n")
    f.write("<cpuid eax_in='0x00000000' ecx_in='0x00' eax='0x0000000d' ebx='0x756e6547' ecx='0x6c65746e' edx='0x49656e69'/>\n")
    f.write("<cpuid eax_in='0x00000001' ecx_in='0x00' eax='0x00050654' ebx='0x45400800' ecx='0x7ffefbff' edx='0xbfebfbff'/>\n")
    size, i = 300, 0
    while size < cap - 200:
        l = "<cpuid eax_in='0x%08x' ecx_in='0x%02x' eax='0x0' ebx='0x0' ecx='0x0' edx='0x0'/>\n" % (0x40000100 + i // 256, i % 256)
        f.write(l); size += len(l); i += 1
    f.write("</cpudata>\n")
# QMP reply: one props object of distinct properties with long names up to the cap.
with open(t + '/props16.json', 'w') as f:
    f.write('{"return": {"model": {"name": "base", "props": {')
    size, i, parts = 50, 0, []
    while size < cap - 100:
        p = '"%s%07d": true, ' % ("x" * 50, i); parts.append(p); size += len(p); i += 1
    f.write(''.join(parts) + '"fpu": true}}}, "id": "x"}\n')
PY
"$CPUCOMPAT" import arm64-regs "$TOP/tests/data/arm64/neoverse-n1@linux-7.2.regs" -o "$T/n1.xml"
inflate_arm64_regs "$T/n1.xml" "$T/regs16.xml"
fi
limited() { # limited KB ARGS...: run under ulimit -v KB
    kb=$1
    shift
    (ulimit -v "$kb" && exec "$CPUCOMPAT" "$@") >"$T/stdout" 2>"$T/stderr"
    rc=$?
}
mem_case() { # mem_case DESCRIPTION EXPECTED-RC ARGS...
    d=$1 want=$2
    shift 2
    if [ -n "${nomem:-}" ]; then
        skip "$d" "$nomem"
        return
    fi
    limited "$LIMIT_KB" "$@"
    if [ "$rc" -eq "$want" ] && ! grep -q 'out of memory' "$T/stderr"; then
        ok "$d"
    else
        not_ok "$d" "exit $rc (want $want): $(head -2 "$T/stderr")"
    fi
}
mem_case "a 16 MiB capability file of 305,000 arm64 registers reads within 512 MiB" 0 \
    show "$T/regs16.xml"
mem_case "a 16 MiB libvirt capture of 120,000 leaves imports within 512 MiB" 0 \
    import libvirt-cpudata "$T/leaves16.xml" -o "$T/leaves16-out.xml"
mem_case "a 16 MiB QMP reply of 270,000 properties is refused for its size within 512 MiB" 2 \
    import qemu-expansion "$T/props16.json"
if [ -n "${nomem:-}" ]; then
    skip "too little memory: exit 2, one line 'out of memory'" "$nomem"
else
    # Enough to start (about 50 MiB), not enough for the file.
    limited 80000 show "$T/regs16.xml"
    check "too little memory for a 16 MiB file: exit 2, one line 'out of memory'" \
        sh -c "[ $rc -eq 2 ] && [ \$(wc -l <'$T/stderr') -eq 1 ] && grep -q 'out of memory' '$T/stderr'"
fi

# ---- files rewritten while they are read ----------------------------------------------------
# A writer replaces a host file atomically (rename) between two real hosts, then rewrites it in
# place (truncate, then the bytes in 512-byte pieces). Readers run all the while: each must exit
# 0 with the whole answer of one of the two hosts, or 2 with one line; never a crash, never a
# half answer.
"$CPUCOMPAT" import libvirt-cpudata "$LV/x86_64-cpuid-Xeon-Gold-6148.xml" -o "$T/a.xml"
"$CPUCOMPAT" import libvirt-cpudata "$LV/x86_64-cpuid-EPYC-7502-32-Core.xml" -o "$T/b.xml"
"$CPUCOMPAT" show "$T/a.xml" | sed "s|$T/a.xml|F|" >"$T/show-a"
"$CPUCOMPAT" show "$T/b.xml" | sed "s|$T/b.xml|F|" >"$T/show-b"
cp "$T/a.xml" "$T/live.xml"
(
    while [ ! -e "$T/stop" ]; do
        for src in a b; do
            cp "$T/$src.xml" "$T/.live.new" && mv "$T/.live.new" "$T/live.xml"
            dd if="$T/$src.xml" of="$T/live.xml" bs=512 2>/dev/null
        done
    done
) &
writer=$!
crashes=0 halves=0 multiline=0 whole=0 errors=0 reads=${CPUCOMPAT_TEST_READS:-60}
[ -n "$EMULATED" ] && reads=30
i=0
while [ "$i" -lt "$reads" ]; do
    run show "$T/live.xml"
    case $rc in
    0)
        sed "s|$T/live.xml|F|" "$T/stdout" >"$T/got"
        if cmp -s "$T/got" "$T/show-a" || cmp -s "$T/got" "$T/show-b"; then
            whole=$((whole + 1))
        else
            halves=$((halves + 1))
            cp "$T/got" "$T/half"
        fi
        ;;
    2)
        errors=$((errors + 1))
        [ "$(wc -l <"$T/stderr")" -eq 1 ] || { multiline=$((multiline + 1)); cp "$T/stderr" "$T/ml"; }
        ;;
    *) crashes=$((crashes + 1)) ;;
    esac
    i=$((i + 1))
done
touch "$T/stop"
wait "$writer"
check "$reads reads of a file rewritten meanwhile: no crash ($whole whole answers, $errors errors)" \
    test "$crashes" -eq 0
check "... no answer other than one of the two hosts' whole answers" test "$halves" -eq 0
check "... each error is one line" test "$multiline" -eq 0
# ---- a report larger than memory should hold -----------------------------------------------
# A report reaches standard output only when whole; past a megabyte it waits in an unnamed file
# in $TMPDIR (a fleet's JSON is 70 MB at 100,000 hosts). 500 hard links under a 1,500-character
# directory make a 2 MB inventory. A write that cannot be held (the file-size limit, ulimit -f:
# EFBIG, as a full disk) is one line and exit 2 with nothing on standard output; the old code
# was killed by SIGXFSZ after printing a megabyte of JSON, and left -o's temporary file behind.
links "$HOST" "$(python3 -c 'import os, sys
print(os.path.join(sys.argv[1], *("%s%d" % ("d" * 245, i) for i in range(6))))' "$T/long")" 500
mkdir "$T/scratch"
TMPDIR=$T/scratch "$CPUCOMPAT" inventory --format json "$T/long" >"$T/big.json" 2>"$T/stderr"
rc=$?
check "inventory of 500 hosts, a 2 MB report, held in \$TMPDIR: exit 0" test "$rc" -eq 0
check "... the whole report: over a megabyte, valid JSON, 500 files (one hostname)" python3 -c '
import json, os, sys
assert os.path.getsize(sys.argv[1]) > 1 << 20
j = json.load(open(sys.argv[1]))
assert len(j["hosts"]) + len(j["superseded"]) == 500' "$T/big.json"
check "... and nothing left in \$TMPDIR" test -z "$(ls -A "$T/scratch")"
TMPDIR=$T/missing "$CPUCOMPAT" inventory --format json "$T/long" >"$T/big2.json" 2>"$T/stderr"
check "... a \$TMPDIR that does not exist: /tmp holds it, the same report" cmp -s "$T/big.json" "$T/big2.json"
# dash's ulimit -f counts 512-byte blocks, bash's 1,024: 1,000 is under a megabyte either way.
(ulimit -f 1000 && TMPDIR=$T/scratch exec "$CPUCOMPAT" inventory --format json "$T/long") \
    >"$T/stdout" 2>"$T/stderr"
rc=$?
check "... past the file-size limit (ulimit -f): exit 2 in one line, not a signal" \
    sh -c "[ $rc -eq 2 ] && [ \$(wc -l <'$T/stderr') -eq 1 ] && grep -q 'too large' '$T/stderr'"
check "... and no half report on standard output" test ! -s "$T/stdout"
(ulimit -f 1 && exec "$CPUCOMPAT" expand --arch s390x gen15a -o "$T/limited.xml") \
    >/dev/null 2>"$T/stderr"
rc=$?
check "expand -o past the file-size limit: exit 2 in one line naming the file" \
    sh -c "[ $rc -eq 2 ] && [ \$(wc -l <'$T/stderr') -eq 1 ] && grep -q 'limited.xml' '$T/stderr'"
check "... no file and no temporary file left" test -z "$(ls -A "$T" | grep limited)"
done_testing
