# Answers by the host's QEMU release: dump records it, --qemu states it, models, compare, baseline
# and expand never use a model or feature that release lacks; checked against QEMU itself.
. "$(dirname "$0")/lib.sh"
LV=$TOP/tests/data/x86/libvirt
Q10=$TOP/build/qemu-10.0/run
for c in Xeon-Gold-6148 Xeon-E5-2650-v4 Core-i7-8700; do
    "$CPUCOMPAT" import libvirt-cpudata "$LV/x86_64-cpuid-$c.xml" -o "$T/$c.xml"
done
HOSTS="$T/Xeon-Gold-6148.xml $T/Xeon-E5-2650-v4.xml $T/Core-i7-8700.xml"
qemu_version() { "$1" --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p'; }

# ---- dump: the emulator's own --version, run without a shell and bounded ----
ARCH=$(binary_arch)
if [ "$ARCH" = x86_64 ]; then
    mkdir "$T/bin"
    fake() { printf '#!/bin/sh\n%s\n' "$2" >"$T/bin/$1"; chmod 755 "$T/bin/$1"; }
    fake qemu-system-x86_64 'echo "QEMU emulator version 9.1.3 (fake for cpucompat)"; echo "Copyright"'
    PATH="$T/bin:$PATH" "$CPUCOMPAT" dump --no-kvm -o "$T/d1.xml" 2>"$T/stderr"
    check "dump finds qemu-system-x86_64 on PATH and records its version and path" \
        sh -c "grep -q 'qemu-version=\"9.1.3\" qemu-binary=\"$T/bin/qemu-system-x86_64\"' '$T/d1.xml' && ! grep -q QEMU '$T/stderr'"
    check "... a file the schema accepts" xmllint --noout --relaxng "$TOP/data/schema/capabilities.rng" "$T/d1.xml"
    run show "$T/d1.xml"
    check "show prints it" grep -q "^qemu        9.1.3 ($T/bin/qemu-system-x86_64)\$" "$T/stdout"
    run models --format json "$T/d1.xml"
    json_ok "models judges it by that QEMU: SapphireRapids-v4 is not in 9.1.3, v1 is" \
        "d['qemu'] == '9.1.3' and not note('records no QEMU') and
        {m['name']: m['not_in_qemu'] for m in d['models'] if m['name'] in ('SapphireRapids-v1', 'SapphireRapids-v4')} ==
        {'SapphireRapids-v1': None, 'SapphireRapids-v4': '9.1.3'}"
    # dump_note DESCRIPTION SCRIPT WORDS: dump with CPUCOMPAT_QEMU at a fake emulator succeeds with
    # no QEMU recorded and one note naming it.
    dump_note() {
        fake bad "$2"
        start=$(date +%s)
        CPUCOMPAT_QEMU="$T/bin/bad" "$CPUCOMPAT" dump --no-kvm -o "$T/d2.xml" 2>"$T/stderr"
        rc=$? took=$(($(date +%s) - start))
        if [ "$rc" -eq 0 ] && ! grep -q qemu-version "$T/d2.xml" && [ "$took" -le 15 ] &&
            grep -q "note: $T/bin/bad --version.*$3" "$T/stderr" && [ "$(wc -l <"$T/stderr")" -eq 1 ]; then
            ok "$1"
        else
            not_ok "$1" "exit $rc after ${took}s" "$(cat "$T/stderr")"
        fi
    }
    dump_note "an emulator that hangs is killed after 5 s: a note, no version" 'exec sleep 60' \
        'gave no answer within 5 s'
    dump_note "one that floods its output is cut off" 'exec yes QEMU' 'printed more than'
    dump_note "one that fails: its status" 'exit 3' 'failed (exit status 3)'
    dump_note "one that prints no version" 'echo "QEMU emulator version seven"' "printed no 'QEMU emulator version"
    dump_note "a shell line is not run: the binary gets argv --version only" \
        'case "$1$2" in --version) echo "QEMU emulator version 8.2.1";; *) exit 9;; esac; exit 1' \
        'failed (exit status 1)'
    PATH=/nonexistent CPUCOMPAT_QEMU= "$CPUCOMPAT" dump --no-kvm -o "$T/d3.xml" 2>"$T/stderr"
    if [ -x /usr/bin/qemu-system-x86_64 ]; then
        want=$(qemu_version /usr/bin/qemu-system-x86_64)
        check "without one on PATH, /usr/bin/qemu-system-x86_64 (libvirt's place): its version $want" \
            grep -q "qemu-version=\"$want\" qemu-binary=\"/usr/bin/qemu-system-x86_64\"" "$T/d3.xml"
    else
        check "no QEMU anywhere: a note saying so" grep -q 'note: no QEMU found' "$T/stderr"
    fi
    if [ -x "$Q10" ]; then
        CPUCOMPAT_QEMU="$Q10" "$CPUCOMPAT" dump --no-kvm -o "$T/d4.xml" 2>"$T/stderr"
        check "the real QEMU 10.0 of bookworm-backports: $(qemu_version "$Q10")" \
            grep -q "qemu-version=\"$(qemu_version "$Q10")\" qemu-binary=\"$Q10\"" "$T/d4.xml"
    else
        skip "the real QEMU 10.0 of bookworm-backports" "build/qemu-10.0 was not fetched (build-aux/qemu-backports)"
    fi
else
    # A foreign build dumps its own architecture and looks for its own qemu-system-ARCH.
    skip "dump records the QEMU it finds (x86-64 emulators, SapphireRapids)" \
        "this binary probes ${ARCH:-no architecture}, not the x86-64 host"
fi

# ---- --qemu: strict ----
for bad in 7 7.2.1.1 07.2 7.2. 7..2 x7.2 "7.2 " 1000.0; do
    expect_error "--qemu '$bad' refused" "--qemu: '$bad': not a QEMU version" models --qemu "$bad" "$T/Core-i7-8700.xml"
done
expect_error "--qemu older than the oldest release known" "QEMU 4.1 is older than the oldest release cpucompat knows (4.2)" \
    models --qemu 4.1 "$T/Core-i7-8700.xml"
sed 's/<origin /<origin qemu-version="3.1" /' "$T/Core-i7-8700.xml" >"$T/old.xml"
expect_error "a file's QEMU older than known: error naming the file" "$T/old.xml: QEMU 3.1 is older" models "$T/old.xml"

# ---- models ----
run models --format json "$T/Core-i7-8700.xml"
check "no QEMU in the file or --qemu: QEMU 7.2, said in a note; models after 7.2 not offered" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
assert v['qemu'] == '7.2', v['qemu']
assert any('records no QEMU version' in n and 'QEMU 7.2' in n for n in v['notes']), v['notes']
m = {x['name']: x for x in v['models']}
assert m['SapphireRapids-v1']['not_in_qemu'] == '7.2' and not m['SapphireRapids-v1']['usable']
assert m['Cooperlake-v1']['not_in_qemu'] is None and m['Cooperlake-v2']['not_in_qemu'] is None"
run models --qemu 10.0 --format json "$T/Core-i7-8700.xml"
json_ok "--qemu 10.0: YongFeng-v2 (first in 10.0.2) is not in 10.0, SapphireRapids-v3 is" \
    "d['qemu'] == '10.0' and not note('records no QEMU') and
    {m['name']: m['not_in_qemu'] for m in d['models'] if m['name'] in ('YongFeng-v2', 'SapphireRapids-v3')} ==
    {'YongFeng-v2': '10.0', 'SapphireRapids-v3': None}"
run models --resolve SapphireRapids --qemu 7.2 --format json "$T/Core-i7-8700.xml"
json_ok "--resolve: no version of a family QEMU 7.2 lacks, each said" \
    "rc == 1 and d['chosen'] is None and 'SapphireRapids-v1' in names(d['rejected']) and
    all(r['not_in_qemu'] == '7.2' for r in d['rejected'])"

# ---- compare: a destination whose QEMU lacks the model or a feature ----
"$CPUCOMPAT" expand SapphireRapids-v1 -o "$T/spr.xml"
check "expand of a model after 7.2: the virtual host runs its first QEMU (8.0)" \
    grep -q 'qemu-version="8.0"' "$T/spr.xml"
sed 's/qemu-version="8.0"/qemu-version="7.2.22"/' "$T/spr.xml" >"$T/spr72.xml"
run compare --format json --model SapphireRapids-v1 "$T/spr.xml" "$T/spr72.xml"
check "compare --model to a QEMU 7.2 destination: blockers name the model, its features and QEMU 7.2.22" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
assert not v['migratable']
b = {x['name']: x for x in v['blockers']}
assert b['SapphireRapids-v1']['where'] == 'QEMU 7.2.22' and 'not in QEMU 7.2.22' in b['SapphireRapids-v1']['detail'], b
assert set(b) == {'SapphireRapids-v1', 'fzrm', 'fsrs', 'fsrc'}, sorted(b)
assert all('first in 8.0' in x['detail'] for x in b.values()), b"
run compare "$T/spr.xml" "$T/spr.xml"
check "the same host with QEMU 8.0 on both sides: migratable" test "$rc" -eq 0
expect_error "compare --model that the source's QEMU lacks: exit 2" "model SapphireRapids-v1 is not in QEMU 7.2, the source's (first in 8.0)" \
    compare --qemu 7.2 --model SapphireRapids-v1 "$T/spr.xml" "$T/spr.xml"
expect_error "expand --qemu of a release without the model: exit 2" "model SapphireRapids-v1 is not in QEMU 7.2 (first in 8.0)" \
    expand --qemu 7.2 SapphireRapids-v1

# ---- what later QEMU releases add to KVM's answer (data/x86/qemu-kvm.xml, qemu-since) ----
# A real dump (EPYC Milan, nested KVM): its silicon view has erms and fsrm, its KVM answer not.
milan="$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml"
for v in 10.0.2 9.0.0 7.2.22; do
    sed "s/<origin /<origin qemu-version=\"$v\" /" "$milan" >"$T/milan-$v.xml"
done
run compare --format json "$T/milan-10.0.2.xml" "$T/milan-7.2.22.xml"
check "QEMU 10.0 -> 7.2 on the same host: overflow-recov, succor (always in 10.0) and erms, fsrm (from the host's CPUID) block" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
b = {x['name']: x for x in v['blockers']}
assert not v['migratable'] and {'overflow-recov', 'succor', 'erms', 'fsrm'} <= set(b), sorted(b)
assert 'not offered by the destination' in b['erms']['detail'], b['erms']
assert not any(n.startswith('uncertain') for n in v['notes']), v['notes']"
run compare --format json "$T/milan-7.2.22.xml" "$T/milan-10.0.2.xml"
check "QEMU 7.2 -> 10.0 on the same host: migratable, the destination a superset" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
assert v['migratable'] and v['relation'] == 'superset', v"
run compare --format json "$T/milan-9.0.0.xml" "$T/milan-10.0.2.xml"
check "a QEMU between 7.2 and 10.0 (9.0): judged without the 10.0 rules, and each rule said to be uncertain" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
u = [n for n in v['notes'] if n.startswith('uncertain: ')]
assert v['migratable'] and len(u) == 3, v['notes']
assert any('overflow-recov succor' in n and '9.0' in n for n in u), u
assert any('offer ht ' in n for n in u), u"
run models --format json "$T/milan-10.0.2.xml"
check "models on the QEMU 10.0 host: erms from the host's CPUID makes no model usable that its KVM view alone would not offer erms to" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
assert all('erms' not in m.get('unavailable_features', []) for m in v['models']), [m['name'] for m in v['models'] if 'erms' in m.get('unavailable_features', [])]"
run models --format json "$T/milan-7.2.22.xml"
check "models on the same host with QEMU 7.2: erms is missing wherever a model names it" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
assert any('erms' in m.get('unavailable_features', []) for m in v['models']), 'no model lacks erms'"

# Broken release attributes in the x86 tables: one line naming the file.
mkdir -p "$T/data"
cp -r "$TOP/data/schema" "$TOP/data/x86" "$T/data/"
sed -i '0,/<requires name="sgx" qemu-since="10.0"\/>/s//<requires name="sgx" qemu-since="ten"\/>/' \
    "$T/data/x86/features.xml"
expect_error "a dependency's release that is no version: exit 2" \
    "<requires qemu-since>: 'ten': not a QEMU version" \
    --data-dir "$T/data" models "$T/milan-10.0.2.xml"
cp "$TOP/data/x86/features.xml" "$T/data/x86/"
sed -i 's/<xsave-accel-only qemu-since="9.2"\/>/<xsave-accel-only qemu-since="nine"\/>/' \
    "$T/data/x86/qemu-kvm.xml"
expect_error "an XSAVE rule's release that is no version: exit 2" \
    "qemu-kvm.xml: <xsave-accel-only qemu-since>: 'nine'" --data-dir "$T/data" models "$T/milan-10.0.2.xml"
cp "$TOP/data/x86/qemu-kvm.xml" "$T/data/x86/"
sed -i 's/host-model-vendor="AuthenticAMD"/host-model-vendor="AuthenticAMDAuthenticAMD"/' \
    "$T/data/x86/qemu-kvm.xml"
expect_error "a fixup's vendor longer than CPUID's 12 bytes: exit 2" \
    "qemu-kvm.xml: <fixup host-model-vendor> is not a CPUID vendor" \
    --data-dir "$T/data" models "$T/milan-10.0.2.xml"

# ---- baseline: nothing the oldest QEMU lacks ----
# baseline_runs_on BINARY VERSION: QEMU itself takes baseline's -cpu (no "Property not found").
baseline_runs_on() {
    "$CPUCOMPAT" baseline --format json --qemu "$2" $HOSTS >"$T/b.json" &&
        cpu=$(python3 -c "
import json; v = json.load(open('$T/b.json'))
print(','.join([v['model']] + ['+' + f for f in v['extra_features']]))") &&
        echo "-cpu $cpu" >"$T/cpu" &&
        python3 -c "
import sys; sys.path.insert(0, '$TOP/tests/peers'); from qmp import qmp
qmp('$1', ['-machine', 'pc', '-accel', 'tcg', '-cpu', open('$T/cpu').read().split()[1]], [{'execute': 'query-status'}])"
}
run baseline --format json $HOSTS
check "baseline of 3 hosts without a QEMU: no zero-fcs-fds (first in 9.2), a note names it" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
assert 'zero-fcs-fds' not in v['features'] and 'zero-fcs-fds' not in v['extra_features'], v['extra_features']
assert any('left out' in n and n.endswith('zero-fcs-fds') for n in v['notes']), v['notes']"
sed 's/<origin /<origin qemu-version="10.0.2" /' "$T/Xeon-Gold-6148.xml" >"$T/gold10.xml"
sed 's/<origin /<origin qemu-version="9.2.0" /' "$T/Xeon-E5-2650-v4.xml" >"$T/e5-92.xml"
run baseline --format json "$T/gold10.xml" "$T/e5-92.xml"
check "baseline of hosts with QEMU 10.0.2 and 9.2.0: zero-fcs-fds is in" \
    python3 -c "
import json; v = json.load(open('$T/stdout')); assert 'zero-fcs-fds' in v['extra_features'], v['extra_features']"
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    v72=$(qemu_version "$(command -v qemu-system-x86_64)")
    check "QEMU $v72 accepts baseline --qemu $v72's -cpu" baseline_runs_on qemu-system-x86_64 "$v72"
else
    skip "QEMU 7.2 accepts baseline's -cpu" "qemu-system-x86 is not installed"
fi
if [ -x "$Q10" ]; then
    d="QEMU 10.0 accepts baseline --qemu 10.0's -cpu, which names zero-fcs-fds"
    if baseline_runs_on "$Q10" 10.0 >"$T/q.out" 2>&1 && grep -q zero-fcs-fds "$T/cpu"; then
        ok "$d"
    else
        not_ok "$d" "$(cat "$T/cpu")" "$(tail -3 "$T/q.out")"
    fi
else
    skip "QEMU 10.0 accepts baseline --qemu 10.0's -cpu" "build/qemu-10.0 was not fetched (build-aux/qemu-backports)"
fi
done_testing
