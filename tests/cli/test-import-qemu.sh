# import libvirt-qemucaps and qemu-expansion: QEMU's own answers about real hosts (libvirt 9.0's
# and 11.3's test data, tests/data/x86/qemu/*.xz) against cpucompat's, and broken input.
. "$(dirname "$0")/lib.sh"
SCHEMA=$TOP/data/schema/capabilities.rng
Q=$TOP/tests/data/x86/qemu
for f in "$Q"/*.xz; do xz -dc "$f" >"$T/$(basename "$f" .xz)"; done

# Every x86_64 cache of a real host: the import is schema-valid, reads back, and `models` gives
# QEMU's answer (usable, blocker set) for every model it lists (explained differences named).
n=0
for f in "$T"/caps_*x86_64*.xml; do
    n=$((n + 1))
    b=$(basename "$f" .xml)
    if ! "$CPUCOMPAT" import libvirt-qemucaps "$f" -o "$T/$b.imp" 2>"$T/stderr" ||
        ! xmllint --noout --relaxng "$SCHEMA" "$T/$b.imp" 2>/dev/null ||
        ! "$CPUCOMPAT" show "$T/$b.imp" >/dev/null || ! "$CPUCOMPAT" show --format json "$T/$b.imp" >/dev/null; then
        not_ok "$b imports, validates and reads back" "$(head -2 "$T/stderr")"
        continue
    fi
    python3 "$TOP/tests/cli/qemu_models_agree.py" "$CPUCOMPAT" "$f" "$T/$b.imp" >"$T/agree" 2>&1
    while IFS= read -r line; do
        case "$line" in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        *) echo "$line" ;;
        esac
    done <"$T/agree"
    grep -q '^ok - \|^not ok - ' "$T/agree" || not_ok "$b: the model check ran" "$(tail -2 "$T/agree")"
done
[ "$n" -eq 24 ] && ok "24 caches of libvirt 9.0 (QEMU 4.2-8.0) and 11.3 (QEMU 6.2-10.0, two with AMD SEV)" ||
    not_ok "24 caches of libvirt 9.0 and 11.3" "found $n"
check "the import records QEMU's version and the microcode" \
    grep -q 'qemu-version="10.0.0"' "$T/caps_10.0.0_x86_64.imp"
check "the import keeps QEMU's property list, with non-migratable ones marked" \
    grep -q '<qemu-property name="invtsc" type="boolean" value="true" migratable="no"/>' "$T/caps_10.0.0_x86_64.imp"

run show "$T/caps_10.0.0_x86_64.imp"
check "show prints QEMU's answer beside cpucompat's" \
    grep -q '^    EPYC-Rome-v1  *no   cpucompat no  (blockers: xsaves)$' "$T/stdout"
check "every QEMU 10.0 answer is cpucompat's too: no model with blockers of its own" \
    test -z "$(grep "cpucompat's:" "$T/stdout")"
# QEMU 4.2 listed npt in phenom without requiring svm; 7.2's definition drops it with svm off.
run show "$T/caps_4.2.0.x86_64.imp"
check "show names cpucompat's blockers where the sets differ" \
    grep -q "^    phenom .*(blockers: .*npt)  (cpucompat's: mmxext fxsr-opt 3dnowext 3dnow sse4a)$" "$T/stdout"
run show --format json "$T/caps_10.0.0_x86_64.imp"
check "show JSON has QEMU's answers and cpucompat's blockers" python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))["views"][0]["reported"]
m = {x["name"]: x for x in v["models"]}
assert v["by"] == "QEMU 10.0.0 under KVM", v["by"]
assert m["EPYC-Rome-v1"]["usable"] == "no" and m["EPYC-Rome-v1"]["blockers"] == "xsaves"
assert m["EPYC-Rome-v1"]["cpucompat_blockers"] == ["xsaves"]' "$T/stdout"

# QEMU's 51 real-CPU expansions: every ordered pair gives QEMU's host-model verdict.
m=0
for f in "$T"/x86_64-cpuid-*.json; do
    m=$((m + 1))
    "$CPUCOMPAT" import qemu-expansion "$f" -o "${f%.json}.xml" 2>"$T/stderr" &&
        xmllint --noout --relaxng "$SCHEMA" "${f%.json}.xml" 2>/dev/null ||
        not_ok "$(basename "$f") imports into a schema-valid file" "$(head -2 "$T/stderr")"
done
if [ -n "$EMULATED" ]; then
    # 2,550 compare runs: the native run holds the same answers against QEMU's expansions.
    skip "every ordered pair of the 51 expansions gives QEMU's host-model verdict" \
        "a foreign build under $EMULATED: the native run checks the 2,550 pairs"
else
    # Under the sanitizers every 17th pair (150): the plain run checks all 2,550.
    python3 "$TOP/tests/cli/qemu_pairs_agree.py" "$CPUCOMPAT" "$T" \
        "$([ -n "$SANITIZED" ] && echo 17 || echo 1)" >"$T/pairs" 2>&1
    while IFS= read -r line; do
        case "$line" in
        "ok - "*) ok "${line#ok - }" ;;
        "not ok - "*) not_ok "${line#not ok - }" ;;
        *) echo "$line" ;;
        esac
    done <"$T/pairs"
    grep -q '^ok - \|^not ok - ' "$T/pairs" || not_ok "the pair check ran" "$(tail -2 "$T/pairs")"
fi
run show --format json "$T/x86_64-cpuid-Cooperlake.xml"
check "a following query-cpu-definitions reply is kept as QEMU's answers" python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))["views"][0]["reported"]
m = {x["name"]: x for x in v["models"]}
assert v["by"] == "QEMU query-cpu-definitions" and m["qemu64"]["usable"] == "yes"' "$T/stdout"
run compare --format json "$T/x86_64-cpuid-Cooperlake.xml" "$T/x86_64-cpuid-Core-i5-2500.xml"
json_ok "a feature the catalog does not know (lmce) is kept and blocks a destination without it" \
    "rc == 1 and 'QEMU property' in blocker('lmce')['where'] + ' ' + blocker('lmce')['detail']"

# Broken and hostile input: exit 2, one line naming the file.
J=$T/x86_64-cpuid-Cooperlake.json
head -c 2000 "$J" >"$T/trunc.json"
expect_error "truncated JSON" "trunc.json: truncated JSON" import qemu-expansion "$T/trunc.json"
sed 's/"sse": true/"sse": [1]/' "$J" >"$T/type.json"
expect_error "a property of an unknown type" "type.json: property 'sse' has a value of type array" \
    import qemu-expansion "$T/type.json"
# QEMU's uint64 properties go past INT64_MAX (QEMU 7.2 and 10.0 under KVM on a Sapphire Rapids
# give lbr-fmt 18446744073709551552, its "unset" ~0x3f); one past UINT64_MAX is no integer.
sed 's/"sse": true/"sse": true, "x-big": 18446744073709551552/' "$J" >"$T/big.json"
run import qemu-expansion "$T/big.json" -o "$T/big.xml"
check "a uint64 property past INT64_MAX imports" test "$rc" -eq 0
sed 's/"sse": true/"sse": true, "x-big": 18446744073709551616/' "$J" >"$T/big2.json"
expect_error "a number past UINT64_MAX" "big2.json: property 'x-big': 18446744073709551616 is not an integer" \
    import qemu-expansion "$T/big2.json"
sed 's/"family": 6/"family": "six"/' "$J" >"$T/fam.json"
expect_error "a feature number given as a string" "fam.json: QEMU property 'family' is a string" \
    import qemu-expansion "$T/fam.json"
head -c 15000000 /dev/zero | tr '\0' '[' >"$T/deep.json"
expect_error "15 MB of nesting" "deep.json: line 1: bad JSON: nested deeper than 64 levels" \
    import qemu-expansion "$T/deep.json"
head -c 50000000 /dev/zero | tr '\0' '[' >"$T/deep50.json"
expect_error "50 MB of nesting" "deep50.json" import qemu-expansion "$T/deep50.json"
rm -f "$T/deep50.json"
run import qemu-expansion "$J" -o "$T/coop.xml"
check "import notes the features the catalog does not know, in one line" \
    sh -c '[ "$0" -eq 0 ] && [ "$(wc -l <"$1")" -eq 1 ] && grep -q "note: .*Cooperlake.json: kvm view: .*: lmce$" "$1"' "$rc" "$T/stderr"
sed 's/"unavailable-features": \[\]/"unavailable-features": [7]/' "$J" >"$T/defs.json"
expect_error "a definitions reply with a non-string feature" "defs.json: max: an unavailable feature that is not a name" \
    import qemu-expansion "$T/defs.json"
sed 's/"vendor": "GenuineIntel"/"vendor": "Genuine\\u0001ntel"/' "$J" >"$T/ctl.json"
expect_error "a control character in a value" "ctl.json: QEMU property 'vendor': a control character" \
    import qemu-expansion "$T/ctl.json"
printf '{"return": []}\n' >"$T/nomodel.json"
expect_error "JSON without an expansion" "nomodel.json: no reply of query-cpu-model-expansion" \
    import qemu-expansion "$T/nomodel.json"
expect_error "a cache of the s390x QEMU" "caps_10.0.0_s390x.xml: a cache of the s390x QEMU" \
    import libvirt-qemucaps "$T/caps_10.0.0_s390x.xml"
expect_error "a cache of the aarch64 QEMU" "caps_8.2.0_aarch64.xml: a cache of the aarch64 QEMU" \
    import libvirt-qemucaps "$T/caps_8.2.0_aarch64.xml"
C=$T/caps_10.0.0_x86_64.xml
sed "s/name='sse' type='boolean'/name='sse' type='list'/" "$C" >"$T/ctype.xml"
expect_error "a cache property of an unknown type" "ctype.xml: QEMU property 'sse' has type 'list'" \
    import libvirt-qemucaps "$T/ctype.xml"
sed "s/name='avx2' type='boolean' value='true'/name='avx2' type='boolean' value='maybe'/" "$C" >"$T/cval.xml"
expect_error "a boolean that is neither" "cval.xml: QEMU property 'avx2': boolean value 'maybe'" \
    import libvirt-qemucaps "$T/cval.xml"
head -c 30000 "$C" >"$T/ctrunc.xml"
expect_error "a truncated cache" "ctrunc.xml" import libvirt-qemucaps "$T/ctrunc.xml"
sed "/hostCPU type='kvm'/,/<\/hostCPU>/d" "$C" >"$T/nokvm.xml"
expect_error "a cache without a KVM expansion" "nokvm.xml: no <hostCPU type='kvm'>" \
    import libvirt-qemucaps "$T/nokvm.xml"
expect_error "a JSON file given as a cache" "x86_64-cpuid-Cooperlake.json" import libvirt-qemucaps "$J"
done_testing
