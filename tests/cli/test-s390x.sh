# s390x: QEMU's CPU definitions as files (expand), and compare, baseline and models with QEMU's
# own arithmetic, checked against QEMU itself over QMP.
. "$(dirname "$0")/lib.sh"
SCHEMA=$TOP/data/schema/capabilities.rng

# QEMU as the reference: 837 comparisons and as many baselines, with features on and off.
if [ -n "$EMULATED" ] || ! command -v qemu-system-s390x >/dev/null 2>&1; then
    why="qemu-system-s390x (qemu-system-misc) is not installed"
    [ -n "$EMULATED" ] && why="a foreign build under $EMULATED: the native run compares with QEMU"
    skip "compare and baseline equal QEMU's query-cpu-model-comparison/-baseline" "$why"
    skip "models equals QEMU's query-cpu-definitions under TCG" "$why"
else
    mkdir "$T/peer"
    CPUCOMPAT_PAIR_STRIDE=$([ -n "$SANITIZED" ] && echo 7 || echo 1) \
        PYTHONPATH="$TOP/tests/peers" python3 "$TOP/tests/peers/s390x-vs-qemu.py" "$CPUCOMPAT" \
        "$T/peer" >"$T/qemu.tap" 2>&1
    st=$?
    grep '^# .* equal QEMU' "$T/qemu.tap"
    grep -v '^ok' "$T/qemu.tap" | grep -v '^1\.\.' | grep -v 'equal QEMU' >"$T/qemu-bad.tap"
    tail -2 "$T/qemu.tap" | head -1 >>"$T/qemu-bad.tap"
    relay_tap "$T/qemu-bad.tap" $st "QEMU agrees" "QEMU disagrees"
    # models: the host is QEMU's TCG "max", from QEMU's own static expansion of it.
    PYTHONPATH="$TOP/tests/peers" python3 "$TOP/tests/peers/s390x-models-vs-qemu.py" "$CPUCOMPAT" \
        "$T/peer" >"$T/defs.tap" 2>&1
    relay_tap "$T/defs.tap" $? "QEMU's query-cpu-definitions agrees" "QEMU's query-cpu-definitions disagrees"
fi

x() { "$CPUCOMPAT" expand --arch s390x "$1" -o "$T/$2.xml"; }
x z13 z13; x z14.2 z14.2; x gen15a gen15a; x z14 z14; x z14ZR1 z14zr1; x z13s z13s
x 'z14.2,vx=off' z14novx; x z900 z900; x z900.2 z900.2
check "expand writes files that validate" \
    sh -c "for f in '$T'/*.xml; do xmllint --noout --relaxng '$SCHEMA' \"\$f\" 2>/dev/null || exit 1; done"
run compare --format json "$T/z13.xml" "$T/z14.2.xml"
json_ok "z13 -> z14.2: migratable, a superset" "rc == 0 and d['migratable'] is True and d['relation'] == 'superset'"
run compare --format json "$T/z14.2.xml" "$T/z13.xml"
json_ok "z14.2 -> z13: not migratable; the generation and what z13 lacks are named" \
    "rc == 1 and blocker('type')['detail'].startswith(\"z14.2 (generation 14 GA 2) is newer than the destination's z13\")
    and 'facility 135 not offered' in blocker('vxeh')['detail']"
run compare --format json "$T/z14.2.xml" "$T/gen15a.xml"
json_ok "z14.2 -> gen15a: a newer generation is not a superset (csske, bpb), and says so" \
    "rc == 1 and sorted(names(d['blockers'])) == ['bpb', 'csske'] and note('a newer generation is not a superset')"
run compare --model 'z14.2,csske=off,bpb=off' "$T/z14.2.xml" "$T/gen15a.xml"
check "... and the model the note suggests does move" test "$rc" -eq 0
run compare --format json "$T/z14.xml" "$T/z14zr1.xml"
check "z14 (EC) and z14ZR1 of one GA: identical, with a note" \
    python3 -c "import json; d=json.load(open('$T/stdout')); assert d['relation']=='identical' and d['migratable'], d; assert any('EC and BC' in n for n in d['notes'])"
run compare --format json "$T/z900.2.xml" "$T/z900.xml"
json_ok "z900.2 -> z900: no IBC before z10, the expanded file names its definition (GA 2 > 1)" \
    "rc == 1 and blocker('type')"
run compare --model 'z13,vx=off' "$T/z14.2.xml" "$T/z13.xml"
check "compare --model 'z13,vx=off' from a z14.2 host to a z13 host: migratable" test "$rc" -eq 0
expect_error "compare --invtsc with s390x files: exit 2, the option's architecture named" \
    "--invtsc is an x86_64 option; these files are s390x" compare --invtsc "$T/z13.xml" "$T/z13.xml"
expect_error "compare --midr-policy with s390x files: exit 2" \
    "--midr-policy is an aarch64 option; these files are s390x" \
    compare --midr-policy /dev/null "$T/z13.xml" "$T/z13.xml"
expect_error "compare --model newer than the source: exit 2" "model gen15a cannot run on the source itself (type" \
    compare --model gen15a "$T/z14.2.xml" "$T/z14.2.xml"
run compare --format json "$T/z14novx.xml" "$T/z13.xml"
json_ok "z14.2 without vx -> z13: still blocked, and vx is not among the blockers" \
    "rc == 1 and d['blockers'] and not blocker('vx')"

run baseline --format json "$T/z14.2.xml" "$T/gen15a.xml" "$T/z13s.xml"
json_ok "baseline z14.2 + gen15a + z13s: the z13s definition (BC), generation 13" \
    "rc == 0 and d['model'] == 'z13s-base'"
run baseline --format json "$T/z14.2.xml" "$T/gen15a.xml"
check "baseline z14.2 + gen15a: z14.2-base, csske removed" \
    python3 -c "import json; d=json.load(open('$T/stdout')); assert d['model']=='z14.2-base' and d['removed_features']==['csske'], d"

run models --format json "$T/z14.2.xml"
check "models on a z14.2 host: z14.2 usable, gen15a blocked by type first" \
    python3 -c "import json; m={x['name']:x for x in json.load(open('$T/stdout'))['models']}; assert m['z14.2']['usable'] and not m['gen15a']['usable'] and m['gen15a']['unavailable_features'][0]=='type', m['gen15a']"
run models --resolve z13 --format json "$T/z14novx.xml"
json_ok "models --resolve z13 on a z14.2 without vx: none (z13 needs vx), exit 1" \
    "rc == 1 and d['chosen'] is None and d['rejected'] and
    all('vx' in r['unavailable_features'] for r in d['rejected'])"
run models --resolve z14 --format json "$T/z14.2.xml"
json_ok "models --resolve z14 on z14.2: z14.2" "rc == 0 and d['chosen'] == 'z14.2'"

# gen17 as QEMU 10 defines it (read from its source; its names, base and default sets are checked
# against QEMU 10.0 in test-s390x-qemu-version.sh).
x gen17a gen17a; x gen16a gen16a
run compare --format json "$T/gen16a.xml" "$T/gen17a.xml"
json_ok "gen16a -> gen17a: migratable; gen17's new facilities (vxeh3, plo_ext) are extras" \
    "rc == 0 and {'vxeh3', 'plo_ext'} <= set(d['extra'])"
run models --format json "$T/gen17a.xml"
check "models on a gen17a: every definition usable but those whose default set has csske or bpb" \
    python3 -c "import json; d=json.load(open('$T/stdout')); bad=[(m['name'], set(m['unavailable_features'])) for m in d['models'] if not m['usable']]; assert bad and all(u <= {'csske', 'bpb'} for n, u in bad), bad; assert [m['origin'] for m in d['models'] if m['name']=='gen17b']==['QEMU 10 (read from source)']"
sed 's/<type>0x9175</<type>0x9999</' "$T/gen17a.xml" | sed '/cpu-definition/d' >"$T/z-next.xml"
run models --format json "$T/z-next.xml"
json_ok "a machine type no table knows, with gen17's IBC: runs as gen17b, the newest gen17" \
    "note('this host runs as gen17b')"

# QEMU's own rule for KVM hosts: the multiple-epoch PTFF functions only with the facility.
x 'z14.2,mepoch=off' nomepoch
run compare --format json "$T/nomepoch.xml" "$T/z14.2.xml"
check "a KVM host showing the mepoch PTFF functions without mepoch: its host model drops them" \
    python3 -c "import json; d=json.load(open('$T/stdout')); assert 'mepochptff' not in d['guest_features'] and 'mepochptff' in d['extra'], d['guest_features']"

# import s390x-cpuinfo: what a /proc/cpuinfo must have.
printf 'vendor_id       : IBM/S390\nmachine         : 3906\n' >"$T/nofac.txt"
expect_error "a cpuinfo without a facilities line: exit 2" "no 'facilities' line" import s390x-cpuinfo "$T/nofac.txt"
printf 'facilities      : 0 1 x2\nmachine         : 3906\n' >"$T/badfac.txt"
expect_error "a facility that is not a number: exit 2, the line named" "line 1: facility 'x2' is not a bit number" \
    import s390x-cpuinfo "$T/badfac.txt"
printf 'facilities      : 0 1 2\nmachine         : 3906\nmachine         : 8561\n' >"$T/twotypes.txt"
expect_error "two machine types: exit 2" "line 3: machine type 0x8561, but 0x3906 before" import s390x-cpuinfo "$T/twotypes.txt"
printf 'facilities      : 0 1 2\n' >"$T/notype.txt"
expect_error "no machine type: exit 2" "no machine type" import s390x-cpuinfo "$T/notype.txt"

# A facility far out (bit 4000): a 500-byte row, longer than any line the writer buffers.
printf 'facilities      : 0 1 2 4000\nmachine         : 3906\n' >"$T/far.txt"
run import s390x-cpuinfo "$T/far.txt" -o "$T/far.xml"
check "a facility list of 500 bytes is written whole, and read back" \
    sh -c "[ $rc -eq 0 ] && xmllint --noout --relaxng '$SCHEMA' '$T/far.xml' 2>/dev/null && '$CPUCOMPAT' show '$T/far.xml' >/dev/null && python3 -c \"import re; h=re.search(r'stfle 0x([0-9a-f]+)', open('$T/far.xml').read()).group(1); v=bytes.fromhex(h); assert len(v)==504 and v[500]==0x80 and v[0]==0xe0, len(v)\""

# Bad input: one line, exit 2.
expect_error "an unknown model: exit 2" "unknown CPU model 'z99'" expand --arch s390x z99
expect_error "an unknown feature: exit 2" "unknown s390x feature 'warp'" expand --arch s390x 'z13,warp=on'
expect_error "a feature beyond the model's full set: exit 2" "feature 'vxeh' is not available in CPU model z13" \
    expand --arch s390x 'z13,vxeh=on'
expect_error "a property without on/off: exit 2" "want FEATURE=on or FEATURE=off" expand --arch s390x 'z13,vx'
sed 's/^        fac-mask 0x/        fac-mask 0xz/' "$T/z13.xml" >"$T/bad.xml"
expect_error "a malformed block row: exit 2" "malformed <blocks> row" show "$T/bad.xml"
sed 's/<type>0x2964</<type>0x9999</' "$T/z13.xml" | sed '/cpu-definition/d' >"$T/unknown-type.xml"
run compare "$T/unknown-type.xml" "$T/z13.xml"
check "an unknown machine type without IBC: the newest definition QEMU would take, no crash" test "$rc" -ne 2
sed 's/value="z13"/value="z14"/' "$T/z13.xml" >"$T/wrong-def.xml"
expect_error "a cpu-definition of another type: exit 2" "cpu-definition 'z14' is not a definition of type 0x2964" \
    compare "$T/wrong-def.xml" "$T/z13.xml"
sed '/<type>/d' "$T/z13.xml" | sed '/cpu-definition/d' >"$T/notype.xml"
expect_error "a file without a machine type (STFLE alone) in compare: exit 2" "notype.xml: no machine type" \
    compare "$T/notype.xml" "$T/z13.xml"
awk '/^ *fac-mask /{f=$0; next} {print} /^ *subfunc-ptff /{print f}' "$T/z13.xml" >"$T/order.xml"
expect_error "block rows out of order: exit 2" "<blocks> rows repeated or out of order" show "$T/order.xml"
sed 's/^\( *fac-mask 0x\)[0-9a-f]*/\10000000000000000/' "$T/z13.xml" >"$T/nofac.xml"
expect_error "baseline with a host QEMU finds no definition for (no esan3): exit 2" \
    "no compatible CPU model could be created" baseline "$T/z13.xml" "$T/nofac.xml"
expect_error "expand --host with an s390x model: exit 2" "--host is for arm64 models" \
    expand --arch s390x --host "$T/z13.xml" z14
printf 'facilities      : 0 1\000\nmachine         : 3906\n' >"$T/nul.txt"
expect_error "a cpuinfo with a NUL byte: exit 2" "contains a NUL byte" import s390x-cpuinfo "$T/nul.txt"

# Broken tables in the data dir: one line naming the file.
mkdir -p "$T/data/s390x"
cp -r "$TOP/data/schema" "$T/data/"
cp "$TOP/data/s390x/features.xml" "$T/data/s390x/"
sed '0,/<base>esan3 /s//<base>esan3 warp /' "$TOP/data/s390x/models.xml" >"$T/data/s390x/models.xml"
expect_error "a model table naming an unknown feature: exit 2" "models.xml: z900: unknown feature 'warp'" \
    --data-dir "$T/data" models "$T/z13.xml"
sed '0,/<full>esan3 zarch /s//<full>esan3 /' "$TOP/data/s390x/models.xml" >"$T/data/s390x/models.xml"
expect_error "a base set outside the full set: exit 2" "z900: base set outside the full set" \
    --data-dir "$T/data" models "$T/z13.xml"
cp "$TOP/data/s390x/models.xml" "$T/data/s390x/"
sed '0,/gate="msa-base"/s//gate="warp"/' "$TOP/data/s390x/features.xml" >"$T/data/s390x/features.xml"
expect_error "a feature gated by an unknown feature: exit 2" "unknown gate 'warp'" \
    --data-dir "$T/data" models "$T/z13.xml"
sed 's/index="3" /index="4" /' "$TOP/data/s390x/features.xml" >"$T/data/s390x/features.xml"
expect_error "features out of QEMU's order: exit 2" "feature index 4 out of order" \
    --data-dir "$T/data" models "$T/z13.xml"
sed 's|\(<group name="tods" [^>]*>\)[^<]*<|\1<|' "$TOP/data/s390x/features.xml" >"$T/data/s390x/features.xml"
expect_error "a feature group without members: exit 2" "group tods has no members" \
    --data-dir "$T/data" models "$T/z13.xml"
sed '0,/kvm-needs="mepoch"/s//kvm-needs="warp"/' "$TOP/data/s390x/features.xml" >"$T/data/s390x/features.xml"
expect_error "a KVM rule naming an unknown feature: exit 2" "needs unknown 'warp'" \
    --data-dir "$T/data" models "$T/z13.xml"
expect_error "x86 and s390x together: exit 2" "hosts of different architectures" \
    compare "$T/z13.xml" "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml"
done_testing
