# s390x answers by the host's QEMU release (data/s390x/qemu-releases.xml), as on x86: models does
# not offer a definition the release lacks, compare blocks a model or feature the destination's
# QEMU cannot name, baseline and expand name nothing the oldest QEMU lacks; and what the table says
# QEMU 7.2 and 10.0 know is what those QEMUs themselves answer (query-cpu-definitions,
# query-cpu-model-expansion, under TCG).
. "$(dirname "$0")/lib.sh"
Q10=$TOP/build/qemu-10.0/run-s390x
qemu_version() { "$1" --version | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p'; }

# ---- the table against the real QEMUs ----
# peer LABEL BINARY WHY: the release check against one QEMU, or a SKIP saying why not.
peer() {
    if [ -n "$EMULATED" ]; then
        skip "QEMU $1 knows exactly what qemu-releases.xml says it knows" \
            "a foreign build under $EMULATED: the native run compares with QEMU"
    elif [ -z "$2" ] || ! [ -x "$2" ]; then
        skip "QEMU $1 knows exactly what qemu-releases.xml says it knows" "$3"
    else
        v=$(qemu_version "$2")
        mkdir -p "$T/peer"
        PYTHONPATH="$TOP/tests/peers" python3 "$TOP/tests/peers/s390x-releases-vs-qemu.py" \
            "$CPUCOMPAT" "$CPUCOMPAT_DATADIR" "$2" "${v%.*}" "$T/peer" >"$T/rel.tap" 2>&1
        relay_tap "$T/rel.tap" $? "QEMU $v agrees" "QEMU $v disagrees"
    fi
}
peer 7.2 "$(command -v qemu-system-s390x)" "qemu-system-s390x (qemu-system-misc) is not installed"
peer 10.0 "$Q10" "QEMU 10.0 of bookworm-backports was not fetched (build-aux/qemu-backports build/qemu-10.0)"

# ---- expand: the virtual host runs the first QEMU that has its model and features ----
"$CPUCOMPAT" expand --arch s390x gen17a -o "$T/g17.xml"
"$CPUCOMPAT" expand --arch s390x gen16a -o "$T/g16.xml"
check "expand gen17a: the virtual host runs QEMU 10.0, the first with gen17a" \
    grep -q '<origin [^>]*qemu-version="10.0"' "$T/g17.xml"
check "expand gen16a: no QEMU recorded (7.1, older than the 7.2 files are judged by)" \
    sh -c "! grep -q qemu-version '$T/g16.xml'"
check "... both files the schema accepts" xmllint --noout --relaxng "$TOP/data/schema/capabilities.rng" \
    "$T/g17.xml" "$T/g16.xml"
expect_error "expand --qemu of a release without the model: exit 2" \
    "model gen17a is not in QEMU 9.2 (first in 10.0)" expand --arch s390x --qemu 9.2 gen17a
expect_error "expand --qemu of a release without a feature turned on: exit 2" \
    "feature diag318 is not in QEMU 5.1 (first in 5.2)" expand --arch s390x --qemu 5.1 zEC12,diag318=on
run expand --arch s390x --qemu 9.2 gen16a -o "$T/g16-92.xml"
check "expand --qemu 9.2 gen16a records QEMU 9.2" grep -q 'qemu-version="9.2"' "$T/g16-92.xml"
sed 's/qemu-version="10.0"/qemu-version="9.2.0"/' "$T/g17.xml" >"$T/g17-92.xml"
sed 's/qemu-version="10.0"/qemu-version="7.0.0"/' "$T/g17.xml" >"$T/g17-70.xml"

# ---- models ----
run models --format json "$T/g17.xml"
json_ok "models on a gen17a host with QEMU 10.0: gen17a usable, every definition offered" \
    "d['qemu'] == '10.0' and all(m['not_in_qemu'] is None for m in d['models']) and
    next(m for m in d['models'] if m['name'] == 'gen17a')['usable']"
run models --format json "$T/g17-92.xml"
json_ok "the same machine with QEMU 9.2: runs as gen16b, gen17a/b not in 9.2 and not usable" \
    "d['qemu'] == '9.2' and note('runs as gen16b') and
    {m['name']: (m['not_in_qemu'], m['usable']) for m in d['models'] if m['name'].startswith('gen1')} ==
    {'gen15a': (None, True), 'gen15b': (None, True), 'gen16a': (None, True), 'gen16b': (None, True),
     'gen17a': ('9.2', False), 'gen17b': ('9.2', False)}"
run models --format json "$T/g17-70.xml"
json_ok "with QEMU 7.0: gen16a/b (first in 7.1) not offered either; runs as gen15b" \
    "note('runs as gen15b') and {m['name'] for m in d['models'] if m['not_in_qemu']} ==
    {'gen16a', 'gen16b', 'gen17a', 'gen17b'}"
run models --format json "$T/g16.xml"
json_ok "a file without a QEMU: judged as 7.2, said in a note; gen17a not in 7.2" \
    "d['qemu'] == '7.2' and note('records no QEMU version') and
    next(m for m in d['models'] if m['name'] == 'gen17a')['not_in_qemu'] == '7.2'"
run models --qemu 10.0 --format json "$T/g16.xml"
json_ok "--qemu 10.0 overrides it: every definition offered, no note" \
    "d['qemu'] == '10.0' and not note('records no QEMU') and
    all(m['not_in_qemu'] is None for m in d['models'])"
expect_error "--qemu older than the oldest release known" \
    "QEMU 4.1 is older than the oldest release cpucompat knows (4.2)" models --qemu 4.1 "$T/g16.xml"
sed 's/<origin /<origin qemu-version="3.1" /' "$T/g16.xml" >"$T/old.xml"
expect_error "a file's QEMU older than known: error naming the file" \
    "$T/old.xml: QEMU 3.1 is older" models "$T/old.xml"

# ---- compare ----
run compare --format json "$T/g17.xml" "$T/g17-92.xml"
json_ok "the same gen17a machine, QEMU 10.0 -> 9.2: blocked by the model and what 9.2 cannot name" \
    "rc == 1 and not d['migratable'] and blocker('gen17a')['where'] == 'QEMU 9.2' and
    'not in QEMU 9.2' in blocker('vxeh3')['detail'] and 'first in 10.0' in blocker('vxeh3')['detail'] and
    'not in QEMU 9.2' in blocker('msa13')['detail']"
run compare --format json "$T/g17-92.xml" "$T/g17.xml"
json_ok "QEMU 9.2 -> 10.0 on the same machine: migratable" "rc == 0 and d['migratable']"
run compare --format json --model gen16a "$T/g17.xml" "$T/g17-70.xml"
json_ok "compare --model gen16a to a QEMU 7.0 destination: blocked, the model not in 7.0 (first in 7.1)" \
    "rc == 1 and blocker('gen16a')['where'] == 'QEMU 7.0' and 'first in 7.1' in blocker('gen16a')['detail']"
run compare --format json --model gen15b "$T/g17.xml" "$T/g17-70.xml"
json_ok "... --model gen15b to it: migratable" "rc == 0 and d['migratable']"
expect_error "compare --model the source's QEMU lacks: exit 2" \
    "model gen17a is not in QEMU 9.2, the source's (first in 10.0)" \
    compare --model gen17a "$T/g17-92.xml" "$T/g17.xml"
sed 's/qemu-version="10.0"/qemu-version="5.0"/' "$T/g17.xml" >"$T/g17-50.xml"
expect_error "compare --model with a feature the source's QEMU lacks: exit 2" \
    "feature unpack is not in QEMU 5.0, the source's (first in 5.1)" \
    compare --model gen15a,unpack=on "$T/g17-50.xml" "$T/g17.xml"

# ---- baseline: nothing the oldest QEMU lacks ----
run baseline --format json "$T/g17.xml" "$T/g17-92.xml"
json_ok "baseline of gen17a machines with QEMU 10.0 and 9.2: gen16b-base, no 10.0 feature, a note names them" \
    "d['model'] == 'gen16b-base' and 'vxeh3' not in d['features'] and 'msa13' not in d['features'] and
    note('left out as QEMU 9.2') and note('vxeh3')"
run baseline --format json "$T/g17.xml" "$T/g17.xml"
json_ok "both with QEMU 10.0: gen17a-base with vxeh3" \
    "d['model'] == 'gen17a-base' and 'vxeh3' in d['features'] and not note('left out')"

# QEMU itself takes the guest CPU baseline gives for it (no "Property ... not found").
# takes BINARY VERSION: baseline --qemu VERSION of two gen17a machines, expanded by that QEMU.
takes() {
    "$CPUCOMPAT" baseline --qemu "$2" --format qemu "$T/g17.xml" "$T/g17-92.xml" >"$T/cpu" &&
        PYTHONPATH="$TOP/tests/peers" python3 - "$1" "$T/cpu" <<'PY'
import sys
from qmp import qmp
name, *props = open(sys.argv[2]).read().strip().split(',')
model = {'name': name, 'props': {p.split('=')[0]: p.split('=')[1] == 'on' for p in props}}
a = qmp(sys.argv[1], ['-machine', 's390-ccw-virtio', '-accel', 'tcg'],
        [{'execute': 'query-cpu-model-expansion', 'arguments': {'type': 'static', 'model': model}}])[0]
sys.exit('error' in a and a['error']['desc'])
PY
}
if [ -n "$EMULATED" ]; then
    skip "QEMU 7.2 and 10.0 take baseline's CPU" "a foreign build under $EMULATED: the native run asks QEMU"
else
    if command -v qemu-system-s390x >/dev/null 2>&1; then
        check "QEMU $(qemu_version "$(command -v qemu-system-s390x)") takes baseline --qemu 7.2's CPU" \
            takes qemu-system-s390x 7.2
    else
        skip "QEMU 7.2 takes baseline --qemu 7.2's CPU" "qemu-system-s390x (qemu-system-misc) is not installed"
    fi
    if [ -x "$Q10" ]; then
        d="QEMU $(qemu_version "$Q10") takes baseline --qemu 10.0's CPU, gen17a-base with msa13"
        if takes "$Q10" 10.0 >"$T/q.out" 2>&1 && grep -q '^gen17a-base,.*msa13=on' "$T/cpu"; then
            ok "$d"
        else
            not_ok "$d" "$(cut -c1-200 "$T/cpu")" "$(tail -3 "$T/q.out")"
        fi
    else
        skip "QEMU 10.0 takes baseline --qemu 10.0's CPU" \
            "QEMU 10.0 of bookworm-backports was not fetched (build-aux/qemu-backports build/qemu-10.0)"
    fi
fi

# QEMU 9.1 grew gen16's full set by appv and appvi (gen-features.c full_GEN16_GA1): a z16 guest of
# QEMU 9.1 or later may name them. A source with QEMU 9.0 cannot have started it (exit 2); a
# destination with QEMU 9.0 cannot take it (a blocker).
"$CPUCOMPAT" expand --arch s390x gen16a -o "$T/g16.xml"
run compare --model 'gen16a,appv=on' --qemu 10.0 "$T/g16.xml"
check "gen16a,appv=on under QEMU 10.0: a verdict (appv missing on a gen16a without it)" \
    sh -c "[ $rc -eq 1 ] && grep -q '^  appv .*not offered by the destination' '$T/stdout'"
run compare --model 'gen16a,appvi=on' --qemu 9.0 "$T/g16.xml" "$T/g16.xml"
check "gen16a,appvi=on from a QEMU 9.0 source: exit 2, first in 9.1" \
    sh -c "[ $rc -eq 2 ] && grep -q 'appvi is not in QEMU 9.0.*first in 9.1' '$T/stderr'"
run compare --model 'gen16a,appvi=on' --qemu 9.0 "$T/g16.xml"
check "... and to a QEMU 9.0 destination (one file): not migratable" \
    sh -c "[ $rc -eq 1 ] && grep -q '^  appvi ' '$T/stdout'"
done_testing
