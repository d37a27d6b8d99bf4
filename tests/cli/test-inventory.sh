# inventory: a fleet of real captures (x86 libvirt cpudata, arm64 register captures, an s390x
# /proc/cpuinfo) read at once; its classes and class matrix checked against compare pair by
# pair; bad files, duplicates and where a guest can go.
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data
F=$T/fleet
mkdir -p "$F/x86" "$F/arm64/deep"
bad=
for f in "$D"/x86/libvirt/x86_64-cpuid-*.xml; do
    n=$(basename "$f" .xml)
    "$CPUCOMPAT" import libvirt-cpudata "$f" -o "$F/x86/${n#x86_64-cpuid-}.xml" 2>>"$T/import.err" || bad="$bad $n"
done
for f in "$D"/arm64/*.regs "$TOP"/../shared/reference/arm64/*.regs; do
    [ -f "$f" ] || continue
    "$CPUCOMPAT" import arm64-regs "$f" -o "$F/arm64/deep/$(basename "$f" .regs).xml" 2>>"$T/import.err" || bad="$bad $f"
done
"$CPUCOMPAT" import s390x-cpuinfo "$D/s390x/rig-gen15a-clipped.cpuinfo" -o "$F/gen15a.xml" || bad="$bad gen15a"
"$CPUCOMPAT" expand --arch s390x z14.2 -o "$F/z14.xml" || bad="$bad z14"
check "every real capture imports" test -z "$bad"
nfiles=$(find "$F" -name '*.xml' | wc -l)

run inventory --format json "$F"
cp "$T/stdout" "$T/inv.json"
if [ "$rc" -eq 0 ] && python3 -c "
import json, sys
d = json.load(open('$T/inv.json'))
assert d['format'] == 1 and d['summary']['hosts'] == $nfiles == len(d['hosts']), d['summary']
assert not d['errors'] and d['summary']['classes'] == len(d['classes'])
assert {h['arch'] for h in d['hosts']} == {'x86_64', 'aarch64', 's390x'}
assert sum(len(c['hosts']) for c in d['classes']) == $nfiles
ids = {c['id'] for c in d['classes']}
assert all(h['class'] in ids for h in d['hosts'])
# every domain's classes take each other's host-model guests
m = {(p['source'], p['destination']): p['migratable'] for p in d['matrix']}
for dom in d['domains']:
    for a in dom['classes']:
        for b in dom['classes']:
            assert a == b or (m[(a, b)] and m[(b, a)]), dom
assert all(any(c['id'] in dom['classes'] for dom in d['domains']) for c in d['classes'])
" 2>"$T/py.err"; then
    ok "a fleet of $nfiles real captures of three architectures: hosts, classes, domains"
else
    not_ok "a fleet of $nfiles real captures: hosts, classes, domains" "exit $rc" "$(tail -3 "$T/py.err")" "$(head -3 "$T/stderr")"
fi

# The fingerprint show prints is the class id the inventory gives.
"$CPUCOMPAT" show --format json "$F/x86/Xeon-Gold-6148.xml" >"$T/show.json"
check "show's fingerprint is the host's class in the inventory" python3 -c "
import json
s = json.load(open('$T/show.json')); d = json.load(open('$T/inv.json'))
assert [h['class'] for h in d['hosts'] if h['file'].endswith('Xeon-Gold-6148.xml')] == [s['fingerprint']]"

# One reader or several: the same answer.
run inventory --format json --jobs 1 "$F"
check "one reader process gives the report two give" sh -c "test -s \"$T/inv.json\" && cmp -s \"$T/stdout\" \"$T/inv.json\""

# Against compare, one process per host pair: every pair of hosts sharing a class and a fixed
# sample of the others here (30; 10 under emulation or the sanitizers; the whole 61+38-host
# matrix takes minutes: set CPUCOMPAT_INVENTORY_ALL_PAIRS=1 to run every ordered pair).
sample=30
[ -n "${CPUCOMPAT_EMULATED:-}${CPUCOMPAT_SANITIZED:-}" ] && sample=10
[ -n "${CPUCOMPAT_INVENTORY_ALL_PAIRS:-}" ] && sample=all
python3 "$TOP/tests/cli/inventory_pairs.py" "$CPUCOMPAT" "$T/inv.json" $sample >"$T/pairs.tap" 2>&1
relay_tap "$T/pairs.tap" $? "compare" "compare disagrees"

# Descriptors: the walk holds a bounded number of directories open, and the readers one file
# each, so a fleet in a deep tree is read under a tight descriptor limit.
deep=$T/deep/$(seq -s/ 1 40)
mkdir -p "$deep"
cp "$F/x86/Xeon-Gold-6148.xml" "$deep/"
(ulimit -n 20 && "$CPUCOMPAT" inventory --format json "$F" "$T/deep" >"$T/fd.json" 2>"$T/fd.err")
json_ok "read under a limit of 20 descriptors, 40 directories deep" \
    "d['summary']['hosts'] == $((nfiles + 1)) and not d['errors']" "$T/fd.json"

# A bad file, an unreadable one and a stray text file among good ones: one line each on
# stderr, one entry each in errors, the other hosts still reported, exit 2.
G=$T/bad
mkdir -p "$G"
cp "$F/x86/Xeon-Gold-6148.xml" "$F/x86/EPYC-7502-32-Core.xml" "$G/"
printf '<capabilities format="1" arch="x86_64">' >"$G/truncated.xml"
cp "$F/x86/Atom-D510.xml" "$G/locked.xml"
chmod 000 "$G/locked.xml"
echo "not a capability file" >"$G/README.txt"
run inventory --format json "$G"
if [ "$(id -u)" -eq 0 ]; then want=1; else want=2; fi
if [ "$rc" -eq 2 ] && [ "$(wc -l <"$T/stderr")" -eq "$want" ] && python3 -c "
import json; d = json.load(open('$T/stdout'))
assert len(d['errors']) == $want and d['errors'][0]['file'].endswith('/locked.xml' if $want == 2 else '/truncated.xml'), d['errors']
assert sorted(h['file'].split('/')[-1] for h in d['hosts'])[:2] == ['EPYC-7502-32-Core.xml', 'Xeon-Gold-6148.xml'], d['hosts']"; then
    ok "bad files: one stderr line and one errors entry each, the rest reported, exit 2"
else
    not_ok "bad files: one stderr line and one errors entry each, the rest reported, exit 2" "exit $rc" "$(head -3 "$T/stderr")"
fi
chmod 600 "$G/locked.xml"
run inventory --format json "$G/Xeon-Gold-6148.xml" "$T/no-such-dir"
check "a path that does not exist: an error entry, the rest reported, exit 2" python3 -c "
import json; d = json.load(open('$T/stdout'))
assert $rc == 2 and len(d['hosts']) == 1 and d['errors'][0]['file'].endswith('no-such-dir'), d"
run inventory --format json "$T/no-such-dir"
check "nothing readable at all: an empty inventory with the error, exit 2" python3 -c "
import json; d = json.load(open('$T/stdout'))
assert $rc == 2 and d['hosts'] == [] and d['domains'] == [] and len(d['errors']) == 1, d"

# Duplicates of a hostname: the newest file is kept, the older named as superseded.
H=$T/dup
mkdir -p "$H"
sed 's/<origin /<origin hostname="node7" /; s/created="[^"]*"/created="2026-12-01T00:00:00Z"/' \
    "$F/x86/Xeon-Gold-6148.xml" >"$H/a.xml"
sed 's/<origin /<origin hostname="node7" /; s/created="[^"]*"/created="2026-12-04T00:00:00Z"/' \
    "$F/x86/Xeon-Gold-5115.xml" >"$H/b.xml"
run inventory --format json "$H"
check "a hostname twice: the newest file is kept and the older named superseded" python3 -c "
import json; d = json.load(open('$T/stdout'))
assert [h['file'].split('/')[-1] for h in d['hosts']] == ['b.xml'], d['hosts']
assert [(s['file'].split('/')[-1], s['kept'].split('/')[-1]) for s in d['superseded']] == [('a.xml', 'b.xml')]
assert d['summary']['superseded'] == 1 and len(d['classes']) == 1"

# --guest: exactly the hosts compare accepts; exit 0 when one can, 1 when none. (Every fourth x86
# host, to keep the compare processes few.)
mkdir -p "$T/quarter"
i=0
for f in "$F"/x86/*.xml; do
    [ $((i % 4)) -eq 0 ] && cp "$f" "$T/quarter/"
    i=$((i + 1))
done
run inventory --format json --guest "$F/x86/Core2-E6850.xml" "$T/quarter"
cp "$T/stdout" "$T/guest.json"
grc=$rc
want=$(for f in "$T"/quarter/*.xml; do
    "$CPUCOMPAT" compare "$F/x86/Core2-E6850.xml" "$f" >/dev/null 2>&1 && echo "$f"
done | sort)
got=$(python3 -c "
import json; print('\n'.join(sorted(json.load(open('$T/guest.json'))['guest']['hosts'])))")
if [ "$grc" -eq 0 ] && [ -n "$want" ] && [ "$got" = "$want" ]; then
    ok "--guest lists exactly the $(echo "$want" | wc -l) hosts compare accepts, exit 0"
else
    not_ok "--guest lists exactly the hosts compare accepts, exit 0" "exit $grc" "want: $(echo $want | head -c 300)" "got: $(echo $got | head -c 300)"
fi
run inventory --guest "$F/x86/Xeon-Platinum-8268.xml" "$F/arm64"
check "--guest no host can take: exit 1" test "$rc" -eq 1

# --guest with a guest definition (libvirt domain XML or bare <cpu>, as compare --guest reads
# it): exactly the hosts `compare --guest DEF HOST` accepts, on x86 hosts and on hosts of
# architectures that read no definitions (which compare refuses), from a file or standard input.
# agrees_with_compare WHAT JSON ARGS...: the guest's hosts in the inventory report JSON (of exit
# status $rc) are the files of $T/mixed that `compare ARGS FILE` accepts; exit 0 when there is one.
agrees_with_compare() {
    _what=$1 _json=$2
    shift 2
    _want=$(for f in "$T"/mixed/*.xml; do
        "$CPUCOMPAT" compare "$@" "$f" >/dev/null 2>&1 && echo "$f"
    done | sort)
    _rc=$([ -n "$_want" ] && echo 0 || echo 1)
    json_ok "$_what: the $(echo "$_want" | grep -c .) hosts compare $1 accepts, exit $_rc" \
        "rc == $_rc and sorted(d['guest']['hosts']) == '''$_want'''.split()" "$_json"
}
mkdir -p "$T/mixed"
cp "$T"/quarter/*.xml "$F/gen15a.xml" "$T/mixed/"
for a in graviton2@linux-6.18 cortex-a72@linux-7.2; do cp "$F/arm64/deep/$a.xml" "$T/mixed/"; done
LG=$D/x86/libvirt-guests
for g in domains/cpu-exact1.xml domains/cpu-minimum1.xml domains/cpu-strict1.xml \
    x86_64-guest.xml x86_64-exact-forbid.xml x86_64-host+pentium3.xml; do
    for how in file stdin; do
        [ "$how" = stdin ] && [ "$g" != domains/cpu-exact1.xml ] && continue
        if [ "$how" = file ]; then
            run inventory --format json --guest "$LG/$g" "$T/mixed"
        else
            "$CPUCOMPAT" inventory --format json --guest - "$T/mixed" <"$LG/$g" >"$T/stdout" 2>"$T/stderr"
            rc=$?
        fi
        cp "$T/stdout" "$T/def.json"
        agrees_with_compare "--guest $g ($how)" "$T/def.json" --guest "$LG/$g"
    done
done
expect_error "--guest of a host-model definition: compare's answer, it needs a source" \
    "a host-model guest takes its CPU from the source host" \
    inventory --guest "$LG/domains/cpu-host-model.xml" "$T/mixed"
printf '<cpu><model>Haswell</model>' >"$T/broken-guest.xml"
expect_error "--guest of a broken definition: one line naming it" "broken-guest.xml" \
    inventory --guest "$T/broken-guest.xml" "$T/mixed"
mkdir -p "$T/few"
cp "$F/x86/Xeon-Gold-6148.xml" "$F/x86/Xeon-Gold-5115.xml" "$F/x86/Core-i7-8700.xml" "$F/x86/EPYC-7502-32-Core.xml" "$T/few/"
run inventory --format json --model Skylake-Server "$T/few"
check "--model: the hosts whose class runs the model" python3 -c "
import json, subprocess
d = json.load(open('$T/stdout'))
want = sorted(f for f in (h['file'] for h in d['hosts'])
              if any(m['name'].startswith('Skylake-Server') and m['usable']
                     for m in json.loads(subprocess.run(['$CPUCOMPAT', 'models', '--format', 'json', f], capture_output=True, text=True).stdout)['models']))
assert sorted(d['guest']['hosts']) == want and want, (d['guest']['hosts'], want)"
expect_error "--model unknown everywhere: exit 2" "unknown CPU model 'Nehalem-v99'" \
    inventory --model Nehalem-v99 "$T/few"
# -cpu strings: per class what compare --model STRING FILE answers for its hosts, on x86-64 and
# s390x alike; an arm64 class (its compare takes no guest with one file) takes none.
for spec in 'Haswell-v4,-hle,+avx512f' 'Skylake-Server-v4,-pku' 'z800,msa1=off' 'gen15a-base,vx=off'; do
    run inventory --format json --model "$spec" "$T/mixed"
    cp "$T/stdout" "$T/str.json"
    agrees_with_compare "--model '$spec'" "$T/str.json" --model "$spec"
    json_ok "  ... the guest named as given" "d['guest']['guest'] == '$spec'" "$T/str.json"
done
json_ok "  ... the last an s390x string its host cannot run: no host, exit 1" "rc == 1" "$T/str.json"
run inventory --format json --model 'z800,msa1=off' "$T/mixed"
json_ok "  ... an s390x string the s390x host runs: that host only" \
    "rc == 0 and d['guest']['hosts'] == ['$T/mixed/gen15a.xml']"
expect_error "--model string with a feature QEMU does not have: exit 2, naming it" \
    "QEMU has no property 'avxx'" inventory --model 'Haswell-v4,+avxx' "$T/mixed"
expect_error "--model string of a model no class knows: exit 2" "unknown CPU model 'Haswelx-v4'" \
    inventory --model 'Haswelx-v4,+avx' "$T/mixed"
expect_error "no files: exit 2" "needs capability files" inventory
run inventory "$F"
check "text: the summary first" grep -q "^$nfiles hosts, [0-9]* classes" "$T/stdout"

done_testing
