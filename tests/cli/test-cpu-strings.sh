# QEMU -cpu strings and psABI levels as guests (`compare --model STRING [SRC] DST`): the parser's
# answers on a captured host, then QEMU itself as the referee, under TCG (always) and KVM (where
# /dev/kvm is).
. "$(dirname "$0")/lib.sh"

H=$TOP/tests/data/x86/libvirt
SKX=$H/x86_64-cpuid-Xeon-Gold-6148.xml
run import libvirt-cpudata "$SKX" -o "$T/skx.xml"
check "import a Skylake-SP host" test "$rc" -eq 0
run expand Haswell-v4 -o "$T/haswell.xml"
check "expand Haswell-v4" test "$rc" -eq 0

# The string QEMU takes; a feature turned off is no longer asked of the destination.
run compare --model 'Haswell-v4,-hle' "$T/haswell.xml"
check "Haswell-v4,-hle runs on Haswell-v4 (one file: the destination's question)" test "$rc" -eq 0
run compare --format json --model 'Haswell-v4,+avx512f' "$T/haswell.xml"
check "Haswell-v4,+avx512f does not: exit 1" test "$rc" -eq 1
json_ok "... and avx512f is the blocker" "blocker('avx512f')['reason'] == 'missing'"
# +feat/-feat override feat=on|off wherever they stand, and -feat wins over +feat (QEMU 7.2).
run compare --model 'Haswell-v4,-avx512f,avx512f=on' "$T/haswell.xml"
check "-avx512f beats a later avx512f=on" test "$rc" -eq 0
run compare --model 'Haswell-v4,+avx512f,-avx512f' "$T/haswell.xml"
check "-avx512f beats +avx512f" test "$rc" -eq 0
run compare --model 'Haswell-v4,avx512f=on,avx512f=off' "$T/haswell.xml"
check "the last feat=on|off wins" test "$rc" -eq 0
run compare --model 'Haswell-v4,sse4_1=off,sse4-1=on,i64=on,xd,ffxsr=off' "$T/haswell.xml"
check "QEMU's aliases (sse4_1, sse4-1, i64, xd, ffxsr)" test "$rc" -eq 0
run compare --format json --model 'Haswell-v4,phys-bits=46,check,enforce=on,l3-cache=off' "$T/haswell.xml"
check "phys-bits=46 on a 40-bit destination" test "$rc" -eq 1
json_ok "... blocks on phys-bits" "names(d['blockers']) == ['phys-bits']"
json_ok "... and check/enforce are noted as ignored" "note('check and enforce are taken')"

# Two files: a guest the source cannot run is a verdict naming the source, not an error.
run compare --format json --model 'Haswell-v4,+avx512f' "$T/haswell.xml" "$T/skx.xml"
check "a guest the source lacks a feature for: exit 1" test "$rc" -eq 1
json_ok "... the blocker names the source" "'not offered by the source' in blocker('avx512f')['detail']"

# libvirt's and Linux's spellings are taken, with a note naming QEMU's.
run compare --format json --model 'Haswell-v4,-tsc_deadline_timer,-md_clear,pdpe1gb=off' "$T/haswell.xml"
check "Linux's tsc_deadline_timer and md_clear are taken" test "$rc" -eq 0
json_ok "... with a note naming QEMU's spelling" "note(\"Linux's name for QEMU's tsc-deadline\")"
run compare --format json --model 'Haswell-v4,+tsc_deadline_timer' "$T/haswell.xml"
json_ok "... which JSON lists in notes" "note(\"QEMU's -cpu itself takes only tsc-deadline\")"

# A name no QEMU release has is an error; one newer than the destination's QEMU is a blocker
# naming both releases (the guest was started by a newer QEMU and cannot come here), with one
# file as with two.
expect_error "a feature no QEMU has" "QEMU has no property 'fsrx'" compare --model 'Haswell-v4,+fsrx' "$T/haswell.xml"
run compare --format json --model 'Haswell-v4,+fsrs' "$T/haswell.xml"
check "a QEMU 8.0 feature on a QEMU 7.2 destination: exit 1" test "$rc" -eq 1
json_ok "... a blocker naming QEMU 7.2 and 8.0" \
    "re.search('not in QEMU 7.2, the QEMU of the destination .first in 8.0', blocker('fsrs')['detail'])"
run compare --qemu 8.0 --model 'Haswell-v4,+fsrs' "$T/haswell.xml"
check "... taken under --qemu 8.0, and missing on Haswell: exit 1" test "$rc" -eq 1
run expand 'Haswell-v4,+fsrs' -o "$T/fsrs.xml"
check "expand of a string with a QEMU 8.0 feature records QEMU 8.0" grep -q 'qemu-version="8.0"' "$T/fsrs.xml"
run compare --model 'Haswell-v4,+fsrs' "$T/fsrs.xml"
check "... and that file's QEMU reads the string, which runs there" test "$rc" -eq 0
sed 's/<origin /<origin qemu-version="8.1.0" /' "$T/skx.xml" >"$T/skx81.xml"
run compare --format json --model 'SapphireRapids-v2' "$T/skx81.xml" "$T/haswell.xml"
check "a model of the source's QEMU 8.1 that the destination's 7.2 lacks: exit 1" test "$rc" -eq 1
json_ok "... a blocker naming the destination's QEMU" \
    "re.search('QEMU 7.2.*not in QEMU 7.2, the destination', blocker('SapphireRapids-v2')['where'] + ' ' +
    blocker('SapphireRapids-v2')['detail'])"
run compare --format json --model 'SapphireRapids-v2' "$T/haswell.xml"
check "a model newer than the destination's QEMU, with one file: exit 1" test "$rc" -eq 1
json_ok "... a blocker naming QEMU 7.2 and 8.1" \
    "re.search('SapphireRapids-v2 is not in QEMU 7.2, the destination.s QEMU .first in 8.1', blocker('SapphireRapids-v2')['detail'])"

# psABI levels.
run compare --model x86-64-v3 "$T/haswell.xml"
check "x86-64-v3 runs on Haswell" test "$rc" -eq 0
run compare --model x86-64-v4 "$T/haswell.xml"
check "x86-64-v4 does not" test "$rc" -eq 1
run compare --model x86-64-v4 "$T/skx.xml"
check "x86-64-v4 runs on Skylake-SP" test "$rc" -eq 0

# models and baseline name the levels; expand takes strings and levels.
run models --format json "$T/haswell.xml"
json_ok "models lists x86-64-v3 as usable on Haswell" \
    "[m['usable'] for m in d['models'] if m['name'] == 'x86-64-v3'] == [True]"
json_ok "... and x86-64-v4 as not, for avx512f" \
    "[names(m['blockers'])[0] for m in d['models'] if m['name'] == 'x86-64-v4' and not m['usable']] == ['avx512f']"
json_ok "... its unavailable_features name avx512f once, not once more per XSAVE component it owns" \
    "[m['unavailable_features'].count('avx512f') for m in d['models'] if m['name'] == 'x86-64-v4'] == [1]"
json_ok "... and no level names a feature twice (a QEMU model's list is QEMU's, repeats and all)" \
    "[m['name'] for m in d['models'] if m['origin'] == 'x86-64 psABI' and len(set(m['unavailable_features'])) != len(m['unavailable_features'])] == []"
json_ok "... while Icelake-Server-v4's keeps QEMU's spelling, avx512f again per missing component" \
    "[m['unavailable_features'].count('avx512f') for m in d['models'] if m['name'] == 'Icelake-Server-v4'] == [4]"
run baseline --format json "$T/haswell.xml" "$T/skx.xml"
json_ok "baseline of Haswell and Skylake-SP: level x86-64-v3" "d['level'] == 'x86-64-v3'"
run baseline --format json "$T/skx.xml"
json_ok "baseline of Skylake-SP alone: level x86-64-v4" "d['level'] == 'x86-64-v4'"
run expand 'Haswell-v4,-hle,+avx512f,phys-bits=46' -o "$T/custom.xml"
check "expand a -cpu string" test "$rc" -eq 0
run compare --model 'Haswell-v4,+avx512f' "$T/custom.xml"
check "... its file runs that string" test "$rc" -eq 0
run compare --model 'Haswell-v4,+avx512f' "$T/haswell.xml"
check "... which plain Haswell-v4 does not" test "$rc" -eq 1
run expand x86-64-v2 -o "$T/v2.xml"
check "expand a psABI level" test "$rc" -eq 0
check "... on the smallest model that has it, recorded" grep -q 'base-model=' "$T/v2.xml"
run compare --model x86-64-v3 "$T/v2.xml"
check "x86-64-v3 does not run on an x86-64-v2 host" test "$rc" -eq 1
expect_error "expand host" "expand needs a named model" expand host
# expand --format of a string or a level: the -cpu string of that guest. A level's export is its
# smallest model less what the level does not name, so it runs exactly where the level does
# (checked on every libvirt capture of a real x86 CPU), but for nx, which it keeps: a capture
# whose firmware hides nx runs the level, and the export lacks only nx there.
run expand 'Haswell-v4,-hle,+sse4_1,phys-bits=42' --format qemu
check "expand of a -cpu string --format qemu: the string in QEMU's spelling" \
    test "$(cat "$T/stdout")" = "Haswell-v4,+sse4.1,-hle,phys-bits=42"
blocker_names() {
    python3 -c 'import json, sys
print(" ".join(b["name"] for b in json.load(open(sys.argv[1]))["blockers"]))' "$1" 2>&1
}
bad=""
n=0
for f in "$H"/x86_64-cpuid-*.xml; do
    "$CPUCOMPAT" import libvirt-cpudata "$f" -o "$T/lv.xml" 2>/dev/null || continue
    for lv in x86-64-v1 x86-64-v2 x86-64-v2-AES x86-64-v3 x86-64-v4; do
        q=$("$CPUCOMPAT" expand "$lv" --format qemu) || { bad="$bad $lv:expand"; continue; }
        "$CPUCOMPAT" compare --model "$lv" "$T/lv.xml" >/dev/null 2>&1
        a=$?
        "$CPUCOMPAT" compare --format json --model "$q" "$T/lv.xml" >"$T/lvc.json" 2>&1
        b=$?
        n=$((n + 1))
        if [ "$a" != "$b" ] && ! { [ "$a$b" = 01 ] && [ "$(blocker_names "$T/lvc.json")" = nx ]; }; then
            bad="$bad $(basename "$f" .xml):$lv($a/$b)"
        fi
    done
done
if [ -z "$bad" ] && [ "$n" -gt 100 ]; then
    ok "each psABI level's export runs on exactly the captures the level runs on ($n pairs)"
else
    not_ok "each psABI level's export runs on exactly the captures the level runs on ($n pairs)" \
        "capture:level(level's exit/export's exit):$bad"
fi
expect_error "expand a refused string" "did you mean 'avx'" expand 'Haswell-v4,+avx3'

# Refusals: exit 2, one line, naming the token, with the nearest name.
expect_error "a typo in a feature" "did you mean 'avx'" compare --model 'Haswell-v4,+avx3' "$T/haswell.xml"
expect_error "a typo in a model" "did you mean 'Haswell-v4'" compare --model 'Haswel-v4' "$T/haswell.xml"
expect_error "a typo of a Linux spelling" "did you mean 'tsc_deadline_timer'" compare --model 'Haswell-v4,+tsc_deadline_timr' "$T/haswell.xml"
expect_error "a bad boolean" "'avx=maybe': QEMU wants on or off" compare --model 'Haswell-v4,avx=maybe' "$T/haswell.xml"
expect_error "migratable on a named model" "only host and max" compare --model 'Haswell-v4,migratable=on' "$T/haswell.xml"
expect_error "phys-bits out of QEMU's range" "QEMU wants 32 to 52" compare --model 'Haswell-v4,phys-bits=31' "$T/haswell.xml"
run expand pentium3 -o "$T/p3.xml"
check "a 32-bit model's address width is QEMU's own: 36 with pse36" \
    grep -q '<property name="phys-bits" value="36"/>' "$T/p3.xml"
expect_error "phys-bits on a 32-bit model (QEMU: not user-configurable in 32 bit)" \
    "phys-bits only for a 64-bit CPU" compare --model 'pentium2,phys-bits=32' "$T/haswell.xml"
# QEMU checks phys-bits after enforce: with a feature missing, the missing feature is the answer.
run compare --format json --model 'Haswell-v4,phys-bits=53,+avx512f' "$T/haswell.xml"
check "phys-bits=53 with a missing feature: exit 1, as QEMU" test "$rc" -eq 1
json_ok "... with a note that phys-bits is out of range too" "blocker('avx512f') and note('phys-bits is also outside')"
expect_error "a property cpucompat cannot judge" "cannot judge" compare --model 'Haswell-v4,pmu=on' "$T/haswell.xml"
expect_error "vmx on a named model (its vmx-* words are not in the model data)" "cannot judge" compare --model 'Haswell-v4,+vmx' "$T/haswell.xml"
run compare --model 'Haswell-v4,+vmx,-vmx' "$T/haswell.xml"
check "... but vmx turned on and off again is judged" test "$rc" -eq 0
expect_error "an empty model" "empty CPU model" compare --model ',avx' "$T/haswell.xml"
expect_error "compare with one file and no --model" "needs two files" compare "$T/haswell.xml"
long=$(python3 -c "print('Haswell-v4' + ',+avx' * 20000)")
expect_error "a string over 64 KiB" "longer than 65536" compare --model "$long" "$T/haswell.xml"
many=$(python3 -c "print('Haswell-v4' + ',+avx,-avx' * 5000)")
run compare --model "$many" "$T/haswell.xml"
check "10000 tokens are parsed" test "$rc" -eq 0

# QEMU as the referee, under TCG: random strings, QEMU's verdict against ours. The host file it
# makes from QEMU's TCG max CPU then stands for `models` against query-cpu-definitions.
seed=${CPUCOMPAT_SEED:-20261205}
[ "$seed" != random ] || seed=
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    skip "-cpu strings agree with QEMU's enforce under TCG" "qemu-system-x86 is not installed"
    skip "models equals QEMU's query-cpu-definitions under TCG" "qemu-system-x86 is not installed"
else
    # A seeded sample: 40 strings (about 10 s here), 10 under qemu-user, where every cpucompat
    # run is emulated. CPUCOMPAT_SEED=random draws new strings; any seed reruns as printed.
    cases=${CPUCOMPAT_TCG_CASES:-40}
    [ -z "$EMULATED" ] || cases=${CPUCOMPAT_TCG_CASES:-10}
    python3 "$TOP/tests/peers/x86-cpu-strings-vs-tcg.py" "$CPUCOMPAT" "$CPUCOMPAT_DATADIR" "$T" \
        "$cases" "$seed" >"$T/tcg.tap" 2>&1
    relay_tap "$T/tcg.tap" $? "QEMU under TCG agrees" "QEMU under TCG disagrees"
    v=$(qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\).*/\1/p')
    python3 "$TOP/tests/peers/x86-models-vs-qemu.py" "$CPUCOMPAT" "$T/tcg-max.xml" \
        qemu-system-x86_64 "$v" tcg \
        >"$T/tcg-models.tap" 2>&1
    relay_tap "$T/tcg-models.tap" $? "models agree with QEMU under TCG" \
        "models disagree with QEMU under TCG"
fi
# The same strings under KVM, against this host's own dump.
if [ "$(binary_arch)" != x86_64 ]; then
    skip "-cpu strings agree with QEMU's enforce under KVM" \
        "this binary probes $(binary_arch), not the x86-64 host (the native run holds it)"
elif [ ! -e /dev/kvm ]; then
    skip "-cpu strings agree with QEMU's enforce under KVM" "/dev/kvm is absent"
elif ! [ -r /dev/kvm ] || ! [ -w /dev/kvm ]; then
    skip "-cpu strings agree with QEMU's enforce under KVM" "no permission on /dev/kvm"
elif ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    skip "-cpu strings agree with QEMU's enforce under KVM" "qemu-system-x86 is not installed"
else
    run dump --require-kvm -o "$T/host.xml"
    check "dump with the kvm view" test "$rc" -eq 0
    python3 "$TOP/tests/peers/x86-cpu-strings-vs-tcg.py" "$CPUCOMPAT" "$CPUCOMPAT_DATADIR" "$T" \
        "${CPUCOMPAT_KVM_CASES:-60}" "$seed" kvm "$T/host.xml" >"$T/kvm.tap" 2>&1
    relay_tap "$T/kvm.tap" $? "QEMU under KVM agrees" "QEMU under KVM disagrees"
    # The newer QEMU of bookworm-backports, its own features drawn, judged with --qemu.
    q10=$TOP/build/qemu-10.0/run
    if [ -x "$q10" ]; then
        # The whole version: 10.0.2 defines YongFeng-v2, which 10.0.0 lacks.
        v=$("$q10" --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p')
        python3 "$TOP/tests/peers/x86-cpu-strings-vs-tcg.py" "$CPUCOMPAT" "$CPUCOMPAT_DATADIR" "$T" \
            "${CPUCOMPAT_KVM_CASES:-60}" "$seed" kvm "$T/host.xml" "$q10" "$v" >"$T/kvm10.tap" 2>&1
        relay_tap "$T/kvm10.tap" $? "QEMU $v under KVM agrees" "QEMU $v under KVM disagrees"
    else
        skip "-cpu strings agree with QEMU 10.0's enforce under KVM" \
            "QEMU 10.0 of bookworm-backports was not fetched (build-aux/qemu-backports build/qemu-10.0)"
    fi
fi
done_testing
