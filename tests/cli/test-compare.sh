# compare, models, expand, baseline on real captures and QEMU's own model definitions.
. "$(dirname "$0")/lib.sh"
H=$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml
LV=$TOP/tests/data/x86/libvirt
SCHEMA=$TOP/data/schema/capabilities.rng

for m in Haswell-v4 Skylake-Server-v5 Cascadelake-Server-v4 EPYC-Rome-v2; do
    "$CPUCOMPAT" expand "$m" -o "$T/$m.xml" 2>"$T/stderr" || not_ok "expand $m" "$(cat "$T/stderr")"
done
for c in Xeon-Gold-6148 Xeon-E5-2650-v4 EPYC-7601-32-Core Core-i7-8700; do
    "$CPUCOMPAT" import libvirt-cpudata "$LV/x86_64-cpuid-$c.xml" -o "$T/$c.xml"
done

# A host against itself.
run compare --format json "$H" "$H"
json_ok "a host against itself: migratable, identical, exit 0" \
    "rc == 0 and d['migratable'] is True and d['relation'] == 'identical' and not d['blockers']"

# Older model to newer host and back.
run compare --format json "$T/Haswell-v4.xml" "$T/Skylake-Server-v5.xml"
json_ok "Haswell-v4 host -> Skylake-Server-v5 host: migratable, superset, avx512f extra" \
    "rc == 0 and d['migratable'] is True and d['relation'] == 'superset' and 'avx512f' in d['extra']"
run compare --format json "$T/Skylake-Server-v5.xml" "$T/Haswell-v4.xml"
cp "$T/stdout" "$T/back.json"
check "Skylake-Server-v5 -> Haswell-v4: exit 1" test "$rc" -eq 1
check "... relation subset, avx512f blocked at CPUID[0x7,0].EBX[16], Haswell-v4 suggested" \
    python3 -c "
import json, sys
v = json.load(open('$T/back.json'))
b = {x['name']: x for x in v['blockers']}
assert v['migratable'] is False and v['relation'] == 'subset', v['relation']
assert b['avx512f']['where'] == 'CPUID[0x7,0].EBX[16]' and b['avx512f']['reason'] == 'missing'
assert 'xsave-component-5' in b, sorted(b)
assert v['suggestion'] == 'Haswell-v4', v['suggestion']
"
run compare --model Haswell-v4 "$T/Skylake-Server-v5.xml" "$T/Haswell-v4.xml"
check "--model Haswell-v4 from the Skylake host to the Haswell host: migratable" test "$rc" -eq 0
# A guest the source cannot run is a verdict: the blockers name the source (issue 11).
run compare --format json --model Skylake-Server-v5 "$T/Haswell-v4.xml" "$T/Skylake-Server-v5.xml"
check "--model that cannot run on the source: exit 1" test "$rc" -eq 1
json_ok "... avx512f is blocked by the source" \
    "d['migratable'] is False and blocker('avx512f')['detail'] == 'not offered by the source'"
json_ok "... and nothing by the destination, which is that model" \
    "d['blockers'] and all('by the source' in b['detail'] for b in d['blockers'])"
expect_error "--model unknown: exit 2" "unknown CPU model 'Pentium-9000'" \
    compare --model Pentium-9000 "$H" "$H"

# Different vendors: an invariant, and no model suggestion can help.
run compare --format xml "$T/EPYC-7601-32-Core.xml" "$T/Xeon-Gold-6148.xml"
check "AMD -> Intel: exit 1, vendor must be equal, no suggestion" \
    sh -c "[ $rc -eq 1 ] && [ \"\$(xmllint --xpath 'string(/comparison/blockers/blocker[@name=\"vendor\" and @where=\"CPUID[0x0].EBX,EDX,ECX\" and @reason=\"must be equal\"]/@detail)' '$T/stdout')\" = 'source AuthenticAMD, destination GenuineIntel' ] && [ \"\$(xmllint --xpath 'count(/comparison/@suggestion)' '$T/stdout')\" = 0 ]"
check "the XML report is well-formed" xmllint --noout "$T/stdout"

# Physical address bits: 46 on the destination, 48 on the source.
run compare --format json "$T/EPYC-7601-32-Core.xml" "$T/Xeon-Gold-6148.xml"
json_ok "phys-bits 48 -> 46: value too low" "blocker('phys-bits')['reason'] == 'value too low' and
    blocker('phys-bits')['detail'] == 'guest physical address bits: source 48, destination 46'"

# invtsc needs equal TSC frequencies or TSC scaling on the destination.
sed 's/name="tsc-khz" value="[0-9]*"/name="tsc-khz" value="2100000"/' "$H" >"$T/slow.xml"
run compare --invtsc --format json "$H" "$T/slow.xml"
json_ok "--invtsc, TSC 2445412 -> 2100000 kHz without scaling: invariant broken" \
    "rc == 1 and blocker('tsc-frequency')['reason'] == 'invariant' and
    blocker('tsc-frequency')['detail'].startswith('invtsc guest: source 2445412 kHz, destination 2100000 kHz')"
sed 's/name="tsc-control" value="no"/name="tsc-control" value="yes"/' "$T/slow.xml" >"$T/scaling.xml"
run compare --invtsc "$H" "$T/scaling.xml"
check "--invtsc with TSC scaling on the destination: migratable" test "$rc" -eq 0
run compare "$H" "$T/slow.xml"
check "without invtsc the TSC frequency does not matter" test "$rc" -eq 0
run compare --invtsc --format json "$H" "$H"
json_ok "--invtsc, a host to itself: migratable and identical (invtsc is offered there)" \
    "rc == 0 and d['migratable'] is True and d['relation'] == 'identical'"

# The LBR format (PERF_CAPABILITIES[5:0]) must be equal when the guest has pdcm.
for fmt in 05 03; do
    sed "s|</raw>|<msr columns=\"index value\">0x00000345 0x00000000000000$fmt</msr></raw>|" \
        "$T/Xeon-Gold-6148.xml" >"$T/lbr$fmt.xml"
done
run compare --format json "$T/lbr05.xml" "$T/lbr03.xml"
json_ok "LBR format 5 -> 3 with pdcm: must be equal" \
    "rc == 1 and blocker('lbr-fmt') == dict(name='lbr-fmt', where='MSR[0x345][5:0]', reason='must be equal',
    detail='LBR format: source 5, destination 3', uncertain=False)"
run compare "$T/lbr05.xml" "$T/lbr05.xml"
check "equal LBR formats: migratable" test "$rc" -eq 0
run compare --format json "$T/lbr05.xml" "$T/Xeon-Gold-6148.xml"
json_ok "a destination whose PERF_CAPABILITIES was not recorded: a note, not a blocker" \
    "rc == 0 and not blocker('lbr-fmt') and note('PERF_CAPABILITIES was not recorded; cannot check it')"

run models --resolve Haswell --format json "$T/Haswell-v4.xml"
json_ok "models --resolve Haswell on a Haswell-v4 host picks Haswell-v4" "rc == 0 and d['chosen'] == 'Haswell-v4'"
run models --resolve Skylake-Server --format json "$T/Cascadelake-Server-v4.xml"
# Cascadelake-Server gained xsaves only in v5, so on a Cascadelake-Server-v4 host
# Skylake-Server-v5, which has it, is rejected for exactly that.
check "--resolve Skylake-Server on Cascadelake-Server-v4: v4, v5 rejected for lacking xsaves" \
    python3 -c "
import json; v = json.load(open('$T/stdout'))
assert v['chosen'] == 'Skylake-Server-v4', v['chosen']
assert [r['name'] for r in v['rejected']] == ['Skylake-Server-v5'], v['rejected']
assert [b['name'] for b in v['rejected'][0]['blockers']] == ['xsaves'], v['rejected'][0]"
run models --resolve Haswell --format json "$H"
json_ok "--resolve on a host that runs no version: exit 1" \
    "rc == 1 and d['chosen'] is None and d['rejected'] and not any(r['usable'] for r in d['rejected'])"
expect_error "--resolve of an unknown family: exit 2" "unknown CPU model 'Nonesuch'" models --resolve Nonesuch "$H"

# Every model, expanded into a virtual host, can run on that host, and the file is valid: one
# xmllint and one python3 for all of them. Under the sanitizers or an emulator (each run many
# times slower, the same code for every model) one model in 5.
bad="" stride=1 i=0
[ -n "$SANITIZED$EMULATED" ] && stride=5
"$CPUCOMPAT" models --format json "$H" | python3 -c "
import json, sys
for m in json.load(sys.stdin)['models']: print(m['name'])" >"$T/names"
mkdir "$T/every"
: >"$T/every/list"
while read -r m; do
    i=$((i + 1))
    [ $((i % stride)) -eq 0 ] || [ "$stride" -eq 1 ] || continue
    if "$CPUCOMPAT" expand "$m" -o "$T/every/$i.xml" &&
        "$CPUCOMPAT" models --format json "$T/every/$i.xml" >"$T/every/$i.json"; then
        echo "$i $m" >>"$T/every/list"
    else
        bad="$bad $m"
    fi
done <"$T/names"
n=$(wc -l <"$T/every/list")
if [ "$n" -gt 0 ] && ! xmllint --noout --relaxng "$SCHEMA" "$T"/every/*.xml >"$T/every/lint" 2>&1; then
    bad="$bad $(grep -v ' validates$' "$T/every/lint" | head -3 | tr '\n' ' ')"
fi
unusable="$(python3 -c "
import json, sys
for line in open(sys.argv[1]):
    i, m = line.split()
    ms = {x['name']: x for x in json.load(open('%s/%s.json' % (sys.argv[2], i)))['models']}
    if not ms[m]['usable']:
        print(' ' + m, end='')" "$T/every/list" "$T/every")" || unusable=" (reading models' answers failed)"
bad="$bad$unusable"
all=$(wc -l <"$T/names")
[ "$n" -ge $((all / stride)) ] || bad="$bad (only $n of $all models tried)"
check "every model ($n of $all$([ "$stride" -gt 1 ] && echo ", one in $stride here")) expands to a valid host file that can run it" \
    test -z "$bad"
[ -z "$bad" ] || echo "#   failed:$bad"

# Baseline.
run baseline --format json "$T/Xeon-Gold-6148.xml" "$T/Xeon-E5-2650-v4.xml" "$T/Core-i7-8700.xml"
json_ok "baseline of three Intel hosts names a model" "rc == 0 and d['model'][:1].isalpha()"
expect_error "baseline across vendors: exit 2" "(see --allow-vendor-mix)" \
    baseline "$T/EPYC-7601-32-Core.xml" "$T/Xeon-Gold-6148.xml"
run baseline --allow-vendor-mix --format json "$T/EPYC-7601-32-Core.xml" "$T/Xeon-Gold-6148.xml"
check "--allow-vendor-mix: common features of both" \
    python3 -c "import json; v = json.load(open('$T/stdout')); assert v['vendor'] == 'mixed' and 'sse2' in v['features']"
run baseline --format xml "$T/Haswell-v4.xml" "$T/Skylake-Server-v5.xml"
check "baseline of the Haswell-v4 and Skylake-Server-v5 hosts is Haswell-v4" \
    sh -c "[ \"\$(xmllint --xpath 'string(/baseline/@model)' '$T/stdout')\" = Haswell-v4 ]"

expect_error "compare with one file and no --model: exit 2" "needs two files" compare "$H"
expect_error "compare --format yaml: exit 2" "--format 'yaml'" compare --format yaml "$H" "$H"
expect_error "expand of an unknown model: exit 2" "unknown CPU model 'Zen9'" expand Zen9
done_testing
