# Reliability (issue 14): what is written reads back, numbers mean what they say, hostile input
# at the size cap in bounded time, no temporary files left by signals, no symlink surprises.
. "$(dirname "$0")/lib.sh"
LV=$TOP/tests/data/x86/libvirt
HOSTS=$TOP/tests/data/x86/hosts
A=$TOP/tests/data/arm64
N1=$A/neoverse-n1@linux-7.2.regs
S390=$TOP/tests/data/s390x/rig-gen15a-clipped.cpuinfo
# A bound no quadratic algorithm meets at the cap, far above what a linear one needs: CPU
# seconds (ulimit -t), so that a loaded machine does not fail it; a wall-clock one only against
# hangs.
# AddressSanitizer makes every step several times slower, not the algorithm quadratic.
[ -n "$ASAN_BINARY" ] && BOUND=${CPUCOMPAT_TEST_BOUND:-90}
BOUND=${CPUCOMPAT_TEST_BOUND:-${BOUND:-20}}
# The bound is the native build's claim. Under the sanitizers or an emulator (ten times slower,
# the same code) the inputs that must finish are an eighth of the cap, which still takes a
# quadratic algorithm past any bound; the refusals at the cap keep their full size.
CAPDIV=1
[ -n "$SANITIZED$EMULATED" ] && CAPDIV=8
export CAPDIV
SIZED=$([ "$CAPDIV" -gt 1 ] && echo ", an eighth of the cap here" || true)

# run_bounded ARGS...: run, killed after $BOUND seconds of CPU time (SIGXCPU) or 10 minutes.
run_bounded() {
    (ulimit -t "$BOUND" && exec timeout 600 "$CPUCOMPAT" "$@") >"$T/stdout" 2>"$T/stderr"
    rc=$?
}

# expect_refused DESCRIPTION WORDS OUTPUT ARGS...: exit 2, one stderr line with WORDS, and no
# OUTPUT file (nor a temporary one) left behind.
expect_refused() {
    d=$1 words=$2 out=$3
    shift 3
    rm -f "$out"
    run_bounded "$@"
    lines=$(wc -l <"$T/stderr")
    left=$(ls -a "$(dirname "$out")" | grep -c "^\.$(basename "$out")\." || true)
    if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && grep -qF -- "$words" "$T/stderr" &&
        [ ! -e "$out" ] && [ "$left" -eq 0 ]; then
        ok "$d"
    else
        not_ok "$d" "exit $rc, $lines stderr lines, want 2 and 1 line with '$words'" \
            "$(head -3 "$T/stderr")" "output exists: $([ -e "$out" ] && echo yes || echo no)"
    fi
}

# ---- 1. An import writes only what the reader accepts ---------------------------------------
# Every file every import writes from the test data reads back.
# Under the sanitizers every 4th file (each run is many times slower; the plain run reads all).
bad="" n=0 seen=0 stride=1
[ -n "$SANITIZED" ] && stride=4
readback() { # readback FORMAT INPUT
    seen=$((seen + 1))
    [ $((seen % stride)) -eq 1 ] || [ "$stride" -eq 1 ] || return 0
    n=$((n + 1))
    if ! "$CPUCOMPAT" import "$1" "$2" -o "$T/rb.xml" 2>"$T/rb.err" ||
        ! "$CPUCOMPAT" show "$T/rb.xml" >/dev/null 2>>"$T/rb.err"; then
        bad="$bad $(basename "$2")"
    fi
}
for f in "$LV"/x86_64-cpuid-*.xml; do readback libvirt-cpudata "$f"; done
readback cpuid-raw "$HOSTS/epyc-milan-nested-cpuid-r.txt"
for f in "$A"/*.regs; do readback arm64-regs "$f"; done
readback s390x-cpuinfo "$S390"
if [ -z "$bad" ] && [ "$n" -gt $((90 / stride)) ]; then
    ok "every import of the test data ($n of $seen files$([ "$stride" -gt 1 ] && echo ", one in $stride under the sanitizers")) reads back"
else
    not_ok "every import of the test data reads back" "$n files; failed:$bad" "$(head -2 "$T/rb.err")"
fi

kr() { { printf 'kernel-release %s\n' "$1"; grep -v '^kernel-release' "$N1"; } >"$2"; }
kr "$(printf '6.1\001')" "$T/ctl.regs"
expect_refused "arm64-regs: a control character in kernel-release is refused" \
    "kernel-release" "$T/ctl.xml" import arm64-regs "$T/ctl.regs" -o "$T/ctl.xml"
kr "$(printf '6.1\377\376')" "$T/utf.regs"
expect_refused "arm64-regs: non-UTF-8 bytes in kernel-release are refused" \
    "kernel-release" "$T/utf.xml" import arm64-regs "$T/utf.regs" -o "$T/utf.xml"
kr "$(head -c 300 /dev/zero | tr '\0' 7)" "$T/long.regs"
expect_refused "arm64-regs: a 300-character kernel-release is refused" \
    "kernel-release" "$T/long.xml" import arm64-regs "$T/long.regs" -o "$T/long.xml"

sed "s/^Manufacturer:.*/Manufacturer:         IBM$(printf '\033')[31m/" "$S390" >"$T/ctl.cpuinfo"
expect_refused "s390x-cpuinfo: a control character in the manufacturer is refused" \
    "manufacturer" "$T/s.xml" import s390x-cpuinfo "$T/ctl.cpuinfo" -o "$T/s.xml"
sed "s/^Model:.*/Model:                $(head -c 300 /dev/zero | tr '\0' Q)/" "$S390" >"$T/long.cpuinfo"
expect_refused "s390x-cpuinfo: a 300-character model is refused" \
    "model" "$T/s.xml" import s390x-cpuinfo "$T/long.cpuinfo" -o "$T/s.xml"
sed "s/^features.*/features	: esan3 $(printf '\302')zarch/" "$S390" >"$T/utf.cpuinfo"
expect_refused "s390x-cpuinfo: non-UTF-8 features are refused" \
    "cpuinfo-features" "$T/s.xml" import s390x-cpuinfo "$T/utf.cpuinfo" -o "$T/s.xml"

# The import-file name comes from the input's basename.
nasty="$T/$(printf 'in\001put')"
mkdir -p "$nasty.d"
cp "$HOSTS/epyc-milan-nested-cpuid-r.txt" "$nasty"
expect_refused "cpuid-raw: a control character in the input's name is refused (import-file)" \
    "import-file" "$T/n.xml" import cpuid-raw "$nasty" -o "$T/n.xml"
cp "$N1" "$nasty"
expect_refused "arm64-regs: a control character in the input's name is refused (import-file)" \
    "import-file" "$T/n.xml" import arm64-regs "$nasty" -o "$T/n.xml"
cp "$S390" "$T/$(printf 'cpu\377info')"
expect_refused "s390x-cpuinfo: a non-UTF-8 input name is refused (import-file)" \
    "import-file" "$T/n.xml" import s390x-cpuinfo "$T/$(printf 'cpu\377info')" -o "$T/n.xml"
cp "$LV/x86_64-cpuid-Xeon-Gold-6148.xml" "$T/$(printf 'lv\033.xml')"
expect_refused "libvirt-cpudata: a control character in the input's name is refused (import-file)" \
    "import-file" "$T/n.xml" import libvirt-cpudata "$T/$(printf 'lv\033.xml')" -o "$T/n.xml"

# ---- 2 and 3. Inputs at the caps: refused above the reader's cap, bounded time below ---------
# A libvirt capture under its 16 MiB input cap whose import would exceed the reader's cap: an MSR
# takes 37 bytes there and 38 in a capability file.
python3 - "$LV/x86_64-cpuid-Xeon-Gold-6148.xml" "$T/many-msrs.xml" <<'EOF'
import sys
src, out = sys.argv[1:]
rows = [l for l in open(src) if '<cpuid ' in l]
with open(out, 'w') as f:
    f.write("<cpudata arch='x86'>\n")
    f.writelines(rows)
    for i in range(100000, 550000):
        f.write('<msr index="%d" edx="0" eax="1"/>' % i)
    f.write("</cpudata>\n")
EOF
expect_refused "an import whose file would exceed the reader's 16 MiB cap is refused" \
    "16777216" "$T/big.xml" import libvirt-cpudata "$T/many-msrs.xml" -o "$T/big.xml"

# The same MSRs under the reader's cap (x86 raw MSR lookups in the importer) finish.
python3 - "$LV/x86_64-cpuid-Xeon-Gold-6148.xml" "$T/msrs-200k.xml" <<'EOF'
import os, sys
src, out = sys.argv[1:]
rows = [l for l in open(src) if '<cpuid ' in l]
with open(out, 'w') as f:
    f.write("<cpudata arch='x86'>\n")
    f.writelines(rows)
    for i in range(200000 // int(os.environ["CAPDIV"])):
        f.write("<msr index='0x%x' edx='0x0' eax='0x1'/>\n" % (0x40000000 + i))
    f.write("</cpudata>\n")
EOF
run_bounded import libvirt-cpudata "$T/msrs-200k.xml" -o "$T/msrs.xml"
check "libvirt import of 200,000 MSRs (input near its cap$SIZED) finishes within ${BOUND} CPU seconds" \
    sh -c "[ $rc -eq 0 ] && [ \$(wc -c <'$T/msrs.xml') -lt 16777216 ]"
run_bounded show "$T/msrs.xml"
check "... and its 200,000-MSR file reads back within ${BOUND} CPU seconds" test "$rc" -eq 0

# cpuid-raw at its 4 MiB cap: distinct leaves (x86 raw leaf lookups in the importer).
python3 - "$T/leaves.txt" <<'EOF'
import os, sys
with open(sys.argv[1], 'w') as f:
    f.write("CPU:\n   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n")
    f.write("   0x00000001 0x00: eax=0x00050654 ebx=0x45400800 ecx=0x7ffefbff edx=0xbfebfbff\n")
    size, i = 200, 0
    while size < 4 * 1024 * 1024 // int(os.environ["CAPDIV"]) - 200:
        l = "   0x%08x 0x%02x: eax=0x00000000 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n" % (0x40000100 + i // 256, i % 256)
        f.write(l); size += len(l); i += 1
EOF
run_bounded import cpuid-raw "$T/leaves.txt" -o "$T/leaves.xml"
check "cpuid-raw import at its 4 MiB cap (distinct leaves$SIZED) finishes within ${BOUND} CPU seconds" \
    test "$rc" -eq 0
# The same leaf lookups through libvirt's format, whose cap (16 MiB) holds 120,000 leaves.
python3 - "$T/many-leaves.xml" <<'EOF'
import os, sys
with open(sys.argv[1], 'w') as f:
    f.write("<cpudata arch='x86'>\n")
    f.write("<cpuid eax_in='0x00000000' ecx_in='0x00' eax='0x0000000d' ebx='0x756e6547' ecx='0x6c65746e' edx='0x49656e69'/>\n")
    f.write("<cpuid eax_in='0x00000001' ecx_in='0x00' eax='0x00050654' ebx='0x45400800' ecx='0x7ffefbff' edx='0xbfebfbff'/>\n")
    size, i = 300, 0
    while size < 16 * 1024 * 1024 // int(os.environ["CAPDIV"]) - 200:
        l = "<cpuid eax_in='0x%08x' ecx_in='0x%02x' eax='0x0' ebx='0x0' ecx='0x0' edx='0x0'/>\n" % (0x40000100 + i // 256, i % 256)
        f.write(l); size += len(l); i += 1
    f.write("</cpudata>\n")
EOF
run_bounded import libvirt-cpudata "$T/many-leaves.xml" -o "$T/many-leaves-out.xml"
check "libvirt import of $(grep -c '<cpuid' "$T/many-leaves.xml") distinct leaves (its 16 MiB cap$SIZED) finishes within ${BOUND} CPU seconds" \
    test "$rc" -eq 0
run_bounded show "$T/many-leaves-out.xml"
check "... and the file reads back within ${BOUND} CPU seconds" test "$rc" -eq 0

# arm64-regs at its 1 MiB cap: distinct registers (arm64 raw set/get).
python3 - "$T/regs.regs" <<'EOF'
import os, sys
with open(sys.argv[1], 'w') as f:
    f.write("kernel-release 6.1.0\nMIDR_EL1 0x00000000414fd0c1\n")
    size, i = 50, 0
    while size < 1024 * 1024 // int(os.environ["CAPDIV"]) - 100:
        l = "X%06d 0x%016x 0x0000000000000001\n" % (i, 0x6030000000138000 + i)
        f.write(l); size += len(l); i += 1
EOF
run_bounded import arm64-regs "$T/regs.regs" -o "$T/regs.xml"
check "arm64-regs import at its 1 MiB cap (distinct registers$SIZED) finishes within ${BOUND} CPU seconds" \
    test "$rc" -eq 0

# Capability files at the reader's 16 MiB cap: properties (cc_kv_set) and arm64 registers.
python3 - "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml" "$T/props.xml" <<'EOF'
import os, sys
src, out = sys.argv[1:]
text = open(src).read()
at = text.index('<property name="kvm-api-version"')
rows, size, i = [], len(text), 0
while size < 16 * 1024 * 1024 // int(os.environ["CAPDIV"]) - 100:
    row = '<property name="p%d" value="x"/>\n' % i
    rows.append(row); size += len(row); i += 1
open(out, 'w').write(text[:at] + ''.join(rows) + text[at:])
EOF
run_bounded show "$T/props.xml"
check "a 16 MiB file of $(grep -c '<property' "$T/props.xml") properties$SIZED is refused within ${BOUND} CPU seconds" \
    sh -c "[ $rc -eq 2 ] && grep -q 'more than 4096 properties in the kvm view' '$T/stderr'"
"$CPUCOMPAT" import arm64-regs "$N1" -o "$T/n1base.xml"
inflate_arm64_regs "$T/n1base.xml" "$T/regs16.xml" $((16 * 1024 * 1024 / CAPDIV))
run_bounded show "$T/regs16.xml"
check "a 16 MiB arm64 file of $(grep -c ' 0x' "$T/regs16.xml") registers$SIZED reads within ${BOUND} CPU seconds" \
    test "$rc" -eq 0

# ---- 4. Numbers mean what they say ----------------------------------------------------------
KVM=$HOSTS/epyc-milan-nested-kvm.xml
pb() { sed "s|name=\"phys-bits\" value=\"48\"|name=\"phys-bits\" value=\"$1\"|" "$KVM" >"$2"; }
pb 48 "$T/pb48.xml"
pb 40 "$T/pb40.xml"
run compare --format json "$T/pb48.xml" "$T/pb40.xml"
json_ok "phys-bits 48 -> 40: not migratable (the reference for the malformed values)" \
    "rc == 1 and names(d['blockers']) == ['phys-bits']"
for v in 0x28 abc 0 -1 99999999999 ' 40' 040 +40 ''; do
    pb "$v" "$T/pbbad.xml"
    run compare "$T/pb48.xml" "$T/pbbad.xml"
    if [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/stderr")" -eq 1 ] &&
        grep -q "pbbad.xml: .*phys-bits" "$T/stderr" && ! grep -q MIGRATABLE "$T/stdout"; then
        ok "destination phys-bits '$v': exit 2 naming the file and the property"
    else
        not_ok "destination phys-bits '$v': exit 2 naming the file and the property" \
            "exit $rc" "$(head -2 "$T/stderr")" "$(grep verdict "$T/stdout")"
    fi
done
# The schema compares names after collapsing white space; every lookup is exact. A destination
# whose phys-bits or kvm view was named with spaces used to be judged without them: MIGRATABLE.
sed 's|name="phys-bits" value="48"|name=" phys-bits " value="40"|' "$KVM" >"$T/pbname.xml"
expect_error "property name ' phys-bits ': exit 2, not a verdict without the check" \
    "<property name=' phys-bits '>: a name has no white space" compare "$T/pb48.xml" "$T/pbname.xml"
sed 's|<view name="kvm"|<view name=" kvm"|' "$KVM" >"$T/viewname.xml"
expect_error "view name ' kvm': exit 2, not a verdict by the cpu view" \
    "<view name=' kvm'>: a name has no white space" compare "$T/pb48.xml" "$T/viewname.xml"
sed 's|name="tsc-khz" value="2445412"|name="tsc-khz" value="2445412.0"|' "$KVM" >"$T/tsc.xml"
expect_error "tsc-khz '2445412.0': exit 2 naming the property" "tsc-khz" compare "$KVM" "$T/tsc.xml"
sed 's|name="xcomp-guest-supp" value="0x207"|name="xcomp-guest-supp" value="207"|' "$KVM" >"$T/xc.xml"
expect_error "xcomp-guest-supp '207' (hex without 0x): exit 2 naming the property" \
    "xcomp-guest-supp" show "$T/xc.xml"
sed 's|<property name="phys-bits" value="48"/>|<property name="phys-bits" value="48"/><property name="phys-bits" value="52"/>|' \
    "$KVM" >"$T/dup.xml"
expect_error "a property given twice is refused, not last-one-wins" "phys-bits" show "$T/dup.xml"
# arm64: the value KVM took for a field it drops unless it is the host's own. "1x" used to be
# read as 1 and could turn the field's blocker into a warning.
"$CPUCOMPAT" import arm64-regs "$N1" -o "$T/n1hv.xml"
for v in 1x 0x1 256 -1 ''; do
    sed "s|<property name=\"kernel-release\"|<property name=\"kvm-host-value-ID_AA64PFR0_EL1.MPAM\" value=\"$v\"/>&|" \
        "$T/n1hv.xml" >"$T/hv.xml"
    expect_error "arm64 kvm-host-value '$v': exit 2 naming the property" \
        "kvm-host-value-ID_AA64PFR0_EL1.MPAM" compare "$T/n1hv.xml" "$T/hv.xml"
done

"$CPUCOMPAT" import arm64-regs "$N1" -o "$T/n1.xml"
ipa() { sed "s|<property name=\"kernel-release\" value=\"\([^\"]*\)\"/>|<property name=\"kernel-release\" value=\"\1\"/><property name=\"ipa-limit\" value=\"$1\"/>|" "$T/n1.xml" >"$2"; }
ipa 48 "$T/ipa48.xml"
ipa 44 "$T/ipa44.xml"
run compare "$T/ipa48.xml" "$T/ipa44.xml"
check "ipa-limit 48 -> 44: not migratable (the reference)" test "$rc" -eq 1
for v in 0x30 abc; do
    ipa "$v" "$T/ipabad.xml"
    run compare "$T/ipabad.xml" "$T/ipa44.xml"
    if [ "$rc" -eq 2 ] && grep -q "ipabad.xml: .*ipa-limit" "$T/stderr" &&
        ! grep -q MIGRATABLE "$T/stdout"; then
        ok "source ipa-limit '$v': exit 2 naming the file and the property"
    else
        not_ok "source ipa-limit '$v': exit 2 naming the file and the property" "exit $rc" \
            "$(head -2 "$T/stderr")" "$(grep verdict "$T/stdout")"
    fi
done

# ---- 5. Signals during a write ----------------------------------------------------------------
# CPUCOMPAT_TEST_WRITE_HOLD=FIFO makes a write wait, its temporary file made, until the FIFO
# is opened for writing: the signal then lands mid-write, every time.
mkdir "$T/sig"
mkfifo "$T/hold"
held_write() { # held_write SIGNAL: starts a write, signals it while held; leaves $T/sig.rc
    rm -f "$T/sig/out.xml"
    # A background job of a script starts with SIGINT ignored; a user's Ctrl-C is not.
    CPUCOMPAT_TEST_WRITE_HOLD="$T/hold" env --default-signal=INT "$CPUCOMPAT" import arm64-regs "$N1" \
        -o "$T/sig/out.xml" 2>"$T/sig.err" &
    pid=$!
    # Opening the FIFO returns once the writer waits on it, its temporary file made; the signal
    # is pending before the FIFO closes again. timeout: a writer without the hold never opens it.
    timeout 10 sh -c 'exec 3>"$1"; kill "-$2" "$3"' sh "$T/hold" "$1" "$pid"
    wait "$pid"
    echo $? >"$T/sig.rc"
}
for s in TERM INT; do
    held_write "$s"
    left=$(ls -A "$T/sig")
    if [ "$(cat "$T/sig.rc")" -ne 0 ] && [ -z "$left" ]; then
        ok "SIG$s during a write: no temporary file left"
    else
        not_ok "SIG$s during a write: no temporary file left" "exit $(cat "$T/sig.rc")" "left: $left"
    fi
done
held_write KILL
killed=$(ls -A "$T/sig")
case "$killed" in
.out.xml.cpucompat-[0-7]) ok "SIGKILL during a write: the leftover is recognisable ($killed)" ;;
*) not_ok "SIGKILL during a write: the leftover is recognisable" "left: $killed" ;;
esac
# The next write removes the leftover (its lock is free), and not a slot a live writer holds
# (flock(1) stands in for one), nor a file that is not a slot.
echo keep >"$T/sig/.out.xml.unrelated"
echo keep >"$T/sig/.out.xml.cpucompat-1.abcdef"
# hold SLOT...: each slot locked by a process of its own until fd 4 (the FIFO's writer) closes.
mkfifo "$T/held"
hold() {
    exec 4<>"$T/held"
    for i in "$@"; do
        flock "$T/sig/.out.xml.cpucompat-$i" sh -c 'read x <"$1"' sh "$T/held" 4>&- &
    done
    for i in "$@"; do # until each lock is taken (flock -n fails then)
        n=0
        while flock -n "$T/sig/.out.xml.cpucompat-$i" true && [ $n -lt 200 ]; do
            sleep 0.05
            n=$((n + 1))
        done
    done
}
hold 5
run import arm64-regs "$N1" -o "$T/sig/out.xml"
left=$(ls -A "$T/sig" | tr '\n' ' ')
want=".out.xml.cpucompat-1.abcdef .out.xml.cpucompat-5 .out.xml.unrelated out.xml "
check "the next write to the same path removes it, and nothing else (left: $left)" \
    sh -c "[ -n '$killed' ] && [ $rc -eq 0 ] && [ '$left' = '$want' ]"
exec 4>&-
wait
run import arm64-regs "$N1" -o "$T/sig/out.xml"
left=$(ls -A "$T/sig" | tr '\n' ' ')
check "... and the slot once its writer is gone (left: $left)" \
    sh -c "[ $rc -eq 0 ] && [ '$left' = '.out.xml.cpucompat-1.abcdef .out.xml.unrelated out.xml ' ]"
# Each slot in use (eight live writers): a write says so rather than waiting or scanning.
hold 0 1 2 3 4 5 6 7
expect_error "eight writes under way to one path: a ninth says so" "other writes to it are under way" \
    import arm64-regs "$N1" -o "$T/sig/out.xml"
exec 4>&-
wait
check "... and leaves their slots and the file alone" \
    test "$(ls -A "$T/sig" | grep -c '^\.out\.xml\.cpucompat-[0-7]$')" -eq 8 -a -s "$T/sig/out.xml"

# ---- 6. A valid 250-character file name ----------------------------------------------------
long=$(head -c 246 /dev/zero | tr '\0' n).xml
run import arm64-regs "$N1" -o "$T/$long"
check "-o with a 250-character file name works" sh -c "[ $rc -eq 0 ] && [ -s '$T/$long' ]"
run import arm64-regs "$N1" -o "$T/$long"
check "... and replaces it" sh -c "[ $rc -eq 0 ] && [ -s '$T/$long' ] && [ \$(ls -A '$T' | grep -c '^\.nnnn') -eq 0 ]"

# ---- 7. --midr-policy: NUL bytes and cut lines ---------------------------------------------
set_midr() { sed "s/^MIDR_EL1 .*/MIDR_EL1 $1/" "$N1" >"$T/m.regs"; "$CPUCOMPAT" import arm64-regs "$T/m.regs" -o "$2"; }
set_midr 0x00000000413fd0c1 "$T/m1.xml"
set_midr 0x00000000413fd0c3 "$T/m3.xml"
printf 'family other 0x410fd083\0\nfamily n1 0x413fd0c1 0x413fd0c3\n' >"$T/nul-policy"
expect_error "--midr-policy with a NUL byte: exit 2 naming file and line" \
    "nul-policy: line 1" compare --midr-policy "$T/nul-policy" "$T/m1.xml" "$T/m3.xml"
printf 'family n1\n' >"$T/cut-policy"
expect_error "--midr-policy: a family line without MIDR values: exit 2 naming file and line" \
    "cut-policy: line 1" compare --midr-policy "$T/cut-policy" "$T/m1.xml" "$T/m3.xml"
printf 'family %s 0x413fd0c1 0x413fd0c3\n' "$(head -c 100 /dev/zero | tr '\0' f)" >"$T/name-policy"
expect_error "--midr-policy: a family name too long to report: exit 2 naming file and line" \
    "name-policy: line 1" compare --midr-policy "$T/name-policy" "$T/m1.xml" "$T/m3.xml"

# ---- 8. -o and symbolic links planted by another user --------------------------------------
if [ "$(id -u)" -ne 0 ]; then
    skip "-o refuses a link planted by another user in a sticky world-writable directory" "needs root (chown)"
    skip "-o follows a link of its own in a sticky directory" "needs root (chown)"
    skip "-o follows another user's link in a directory that is not sticky" "needs root (chown)"
else
    mkdir "$T/tmpdir" "$T/safe"
    chmod 1777 "$T/tmpdir"
    echo secret >"$T/safe/victim"
    chmod 600 "$T/safe/victim"
    ln -s "$T/safe/victim" "$T/tmpdir/planted"
    chown -h nobody "$T/tmpdir/planted"
    expect_error "-o refuses a link planted by another user in a sticky world-writable directory" \
        "planted" import arm64-regs "$N1" -o "$T/tmpdir/planted"
    check "... and the target is untouched" sh -c "[ \"\$(cat '$T/safe/victim')\" = secret ] && [ -L '$T/tmpdir/planted' ] && [ -z \"\$(ls -A '$T/safe' | grep -v '^victim\$')\" ]"
    ln -s "$T/safe/mine" "$T/tmpdir/mine"
    run import arm64-regs "$N1" -o "$T/tmpdir/mine"
    check "-o follows a link of its own in a sticky directory" sh -c "[ $rc -eq 0 ] && [ -s '$T/safe/mine' ] && [ -L '$T/tmpdir/mine' ]"
    mkdir "$T/plain"
    chmod 777 "$T/plain"
    ln -s "$T/safe/other" "$T/plain/link"
    chown -h nobody "$T/plain/link"
    run import arm64-regs "$N1" -o "$T/plain/link"
    check "-o follows another user's link in a directory that is not sticky" \
        sh -c "[ $rc -eq 0 ] && [ -s '$T/safe/other' ]"
fi

# ---- Minor: the format is UTF-8 --------------------------------------------------------------
sed 's/encoding="UTF-8"/encoding="UTF-16"/' "$KVM" | iconv -f UTF-8 -t UTF-16 >"$T/utf16.xml"
expect_error "a UTF-16 capability file is refused up front" "UTF-8" show "$T/utf16.xml"
sed 's/encoding="UTF-8"/encoding="ISO-8859-1"/' "$KVM" >"$T/latin1.xml"
expect_error "an encoding declaration other than UTF-8 is refused" "UTF-8" show "$T/latin1.xml"
printf '\000\000\376\377' | cat - "$KVM" >"$T/utf32.xml"
expect_error "a UTF-32 byte order mark is refused" "UTF-8" show "$T/utf32.xml"

done_testing
