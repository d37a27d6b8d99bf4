# arm64 named models (data/arm64/models/): which ones real hosts can be given, resolving an
# architecture baseline, compare --model, expand, and the nearest model of a baseline.
. "$(dirname "$0")/lib.sh"
A=$TOP/tests/data/arm64
SCHEMA=$TOP/data/schema/capabilities.rng
for f in neoverse-n1@linux-6.1 neoverse-n1@linux-7.2 cortex-a72@linux-6.1 cortex-a72@linux-7.2 \
    cortex-a76@linux-7.2 qemu-max@linux-7.2 graviton2@linux-6.18 graviton3@linux-6.18 \
    graviton4@linux-6.18; do
    "$CPUCOMPAT" import arm64-regs "$A/$f.regs" -o "$T/$f.xml" || echo "# import of $f failed"
done
# usable MODEL: the model's "usable" flag in the JSON report on stdin.
usable() { python3 -c "import json,sys; print([m['usable'] for m in json.load(sys.stdin)['models'] if m['name']=='$1'][0])"; }
blockers() { python3 -c "import json,sys; print(' '.join(b['name']+':'+b['reason'] for m in json.load(sys.stdin)['models'] if m['name']=='$1' for b in m['blockers']))"; }

run models --format json "$T/neoverse-n1@linux-7.2.xml"
cp "$T/stdout" "$T/n1-72.json"
check "N1 rig, Linux 7.2: neoverse-n1 runs (KVM lowers IESB, QEMU's value, to the silicon's)" \
    test "$(usable neoverse-n1 <"$T/n1-72.json")" = True
check "... cortex-a76 too (same ISA, fewer features are writable down)" \
    test "$(usable cortex-a76 <"$T/n1-72.json")" = True
check "... a64fx does not: the host has no SVE and no FCMA" \
    test "$(blockers a64fx <"$T/n1-72.json")" = "ID_AA64ISAR1_EL1.FCMA:value too low ID_AA64PFR0_EL1.SVE:value too low"
check "... cortex-a57 does not: AArch32 at EL1, and KVM cannot hide FP16" \
    test "$(blockers cortex-a57 <"$T/n1-72.json")" = "ID_AA64PFR0_EL1.AdvSIMD:invariant ID_AA64PFR0_EL1.FP:invariant ID_AA64PFR0_EL1.EL1:value too low"
check "... and says so with both values, the model's and the host's" \
    python3 -c "import json; m=[m for m in json.load(open('$T/n1-72.json'))['models'] if m['name']=='a64fx'][0]; d=[b['detail'] for b in m['blockers'] if b['name']=='ID_AA64PFR0_EL1.SVE'][0]; assert d.startswith('model 1') and ', host 0' in d and 'lower is not safe (LOWER_SAFE, Linux 7.2 rules)' in d, d"
check "... a64fx's unavailable list is what the host lacks, not what KVM cannot change" \
    python3 -c "import json; m=[m for m in json.load(open('$T/n1-72.json'))['models'] if m['name']=='cortex-a57'][0]; assert m['unavailable_features']==['ID_AA64PFR0_EL1.EL1'], m"

run models --format json "$T/neoverse-n1@linux-6.1.xml"
check "N1 rig, Linux 6.1: neoverse-n1 blocked only by IESB, which 6.1 cannot change" \
    sh -c "[ '$(blockers neoverse-n1 <"$T/stdout")' = 'ID_AA64MMFR2_EL1.IESB:invariant' ]"
run models --format json "$T/graviton2@linux-6.18.xml"
check "real Neoverse N1 (AWS Graviton2, Linux 6.18): neoverse-n1 runs unchanged" \
    test "$(usable neoverse-n1 <"$T/stdout")" = True
check "... neoverse-v1 does not, and the first blocker is a feature the host lacks" \
    sh -c "python3 -c \"import json,sys; m=[m for m in json.load(open('$T/stdout'))['models'] if m['name']=='neoverse-v1'][0]; assert not m['usable'] and m['blockers'][0]['reason']=='value too low', m['blockers'][:2]\""
run models --format json "$T/graviton4@linux-6.18.xml"
first=$(blockers neoverse-v2 <"$T/stdout" | cut -d' ' -f1-2)
check "Graviton4 dumped without the SVE vCPU feature: neoverse-v2 blocked by SVE" \
    test "$first" = "ID_AA64PFR0_EL1.SVE:value too"

# Architecture baselines: the newest Armv8.x the host can be given.
run models --resolve Armv8 --format json "$T/cortex-a72@linux-7.2.xml"
json_ok "Cortex-A72 on Linux 7.2 resolves Armv8 to Armv8.0 (no LSE, so not 8.1), exit 0" \
    "rc == 0 and d['chosen'] == 'Armv8.0' and
    'ID_AA64ISAR0_EL1.ATOMIC' in names(next(r for r in d['rejected'] if r['name'] == 'Armv8.1')['blockers'])"
run models --resolve Armv8 --format json "$T/cortex-a72@linux-6.1.xml"
json_ok "... on Linux 6.1 no version: KVM cannot hide AES, CRC32 (exit 1)" \
    "rc == 1 and d['chosen'] is None and not any(r['usable'] for r in d['rejected'])"
run models --resolve Armv8 --format json "$T/neoverse-n1@linux-7.2.xml"
check "N1 on 7.2: no Armv8.x, because KVM cannot hide FP16 (FP, AdvSIMD read-only)" \
    python3 -c "import json; d=json.load(open('$T/stdout')); assert d['chosen'] is None; b=[x['name'] for x in d['rejected'][-1]['blockers']]; assert b==['ID_AA64PFR0_EL1.AdvSIMD','ID_AA64PFR0_EL1.FP'], b"

# compare --model: the model on the source, then moved.
run compare --model neoverse-n1 --format json "$T/graviton2@linux-6.18.xml" "$T/graviton2@linux-6.18.xml"
json_ok "compare --model neoverse-n1 Graviton2 -> itself: identical" \
    "rc == 0 and d['guest'] == 'neoverse-n1' and d['relation'] == 'identical'"
run compare --model cortex-a76 --format json "$T/neoverse-n1@linux-7.2.xml" "$T/neoverse-n1@linux-6.1.xml"
json_ok "cortex-a76 from N1/7.2 to N1/6.1: fields lowered on the source, read-only on 6.1" \
    "rc == 1 and 'cannot change this field (read-only)' in blocker('ID_AA64PFR1_EL1.SSBS')['detail']"
expect_error "compare --model that cannot run on the source: exit 2" \
    "model a64fx cannot run on the source itself (ID_AA64ISAR1_EL1.FCMA" \
    compare --model a64fx "$T/neoverse-n1@linux-7.2.xml" "$T/neoverse-n1@linux-7.2.xml"
expect_error "compare --model of an unknown model: exit 2" "unknown CPU model 'neoverse-z9'" \
    compare --model neoverse-z9 "$T/neoverse-n1@linux-7.2.xml" "$T/neoverse-n1@linux-7.2.xml"

# expand: the model's registers; as a source, "this model on the destination".
run expand --arch arm64 neoverse-n1 -o "$T/n1-model.xml"
check "expand --arch arm64 neoverse-n1 writes a valid file" \
    sh -c "[ $rc -eq 0 ] && xmllint --noout --relaxng '$SCHEMA' '$T/n1-model.xml' 2>/dev/null"
run show --format json "$T/n1-model.xml"
json_ok "... whose features are N1's (LSE, RCpc, DotProd, no SVE)" \
    "{'FEAT_LSE', 'FEAT_LRCPC', 'FEAT_DotProd'} <= set(d['views'][0]['features']) and
    'FEAT_SVE' not in d['views'][0]['features'] and len(d['views']) == 1"
run compare --format json "$T/n1-model.xml" "$T/neoverse-n1@linux-7.2.xml"
json_ok "the expanded model as a source: runs on the N1 rig on Linux 7.2" \
    "rc == 0 and d['migratable'] is True and d['guest'] == 'neoverse-n1' and note('is the expanded model neoverse-n1')"
run compare --format json "$T/n1-model.xml" "$T/neoverse-n1@linux-6.1.xml"
json_ok "... not on Linux 6.1 (IESB read-only), exit 1" \
    "rc == 1 and 'read-only' in blocker('ID_AA64MMFR2_EL1.IESB')['detail']"
expect_error "an expanded model is no destination (no kernel): exit 2" "no kernel release recorded" \
    compare "$T/neoverse-n1@linux-7.2.xml" "$T/n1-model.xml"
expect_error "... nor a source with --model: exit 2" "an expanded model is not a host" \
    compare --model cortex-a76 "$T/n1-model.xml" "$T/neoverse-n1@linux-7.2.xml"
run expand --arch arm64 Armv8.2 -o "$T/v82.xml"
check "expand of a baseline: MIDR of no core (implementer 0, architecture 0xf)" \
    sh -c "[ $rc -eq 0 ] && grep -q 'MIDR_EL1 .*0x00000000000f0000' '$T/v82.xml'"
expect_error "expand of an unknown arm64 model: exit 2" "unknown CPU model 'Armv7.0'" \
    expand --arch arm64 Armv7.0 -o "$T/none.xml"
check "... and no output file" test ! -e "$T/none.xml"

# expand --host: the model written into a host's file, as a VMM sets it.
run expand --host "$T/neoverse-n1@linux-7.2.xml" cortex-a57 -o "$T/a57-on-n1.xml"
check "expand --host writes a valid file that keeps the host's kernel release" \
    sh -c "[ $rc -eq 0 ] && xmllint --noout --relaxng '$SCHEMA' '$T/a57-on-n1.xml' 2>/dev/null && grep -q 'kernel-release\" value=\"7.2' '$T/a57-on-n1.xml' && grep -q 'base=\"neoverse-n1@linux-7.2.xml\"' '$T/a57-on-n1.xml'"
run compare --format json "$T/a57-on-n1.xml" "$T/neoverse-n1@linux-7.2.xml"
check "... and compare of it with its host names the blockers models gave" \
    sh -c "python3 -c \"import json; b=[x['name'] for x in json.load(open('$T/stdout'))['blockers']]; assert b==['ID_AA64PFR0_EL1.AdvSIMD','ID_AA64PFR0_EL1.FP','ID_AA64PFR0_EL1.EL1'], b\""
run compare "$T/neoverse-n1@linux-7.2.xml" "$T/a57-on-n1.xml"
check "... it stands as a destination too (a host: its kernel is known)" test "$rc" -ne 2
expect_error "expand --host with an x86 host: exit 2" "--host is for arm64 models" \
    expand --host "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml" Haswell-v4
expect_error "expand --host with --arch of another architecture: exit 2" "a host of aarch64, not of x86" \
    expand --arch x86 --host "$T/neoverse-n1@linux-7.2.xml" neoverse-n1

# baseline: the nearest named model.
run baseline --format json "$T/graviton2@linux-6.18.xml" "$T/graviton3@linux-6.18.xml"
json_ok "baseline Graviton2 + Graviton3: nearest model neoverse-n1, nothing beyond it" \
    "rc == 0 and d['model'] == 'neoverse-n1' and d['extra_features'] == [] and d['removed_features'] == []"
json_ok "... which Graviton3's KVM on 6.18 can give (its ID_FILTERED mask lets RAS be lowered)" \
    "note('its KVM (Linux 6.18 rules)') and not note('cannot give it')"
# The same Graviton3 on 6.12, whose KVM keeps RAS read-only (ID_AA64PFR0_EL1's open-coded mask).
sed 's/^kernel-release .*/kernel-release 6.12.118/' "$TOP/tests/data/arm64/graviton3@linux-6.18.regs" >"$T/g3-612.regs"
"$CPUCOMPAT" import arm64-regs "$T/g3-612.regs" -o "$T/g3-612.xml"
run baseline --format json "$T/graviton2@linux-6.18.xml" "$T/g3-612.xml"
json_ok "... but on 6.12 it cannot lower RAS to N1's" \
    "note('g3-612.xml: model neoverse-n1 fits the common features, but this host cannot give it (ID_AA64PFR0_EL1.RAS)')"
run baseline --format json "$T/graviton2@linux-6.18.xml" "$T/graviton3@linux-6.18.xml" "$T/graviton4@linux-6.18.xml"
json_ok "... with Graviton4 (no AArch32 at EL0) no core fits: an Armv8.x baseline plus features" \
    "d['model'].startswith('Armv8.') and 'FEAT_DotProd' in d['extra_features']"

# Hostile or broken model tables: one line naming the file.
mkdir -p "$T/data/arm64/models"
cp -r "$TOP/data/schema" "$T/data/"
cp "$TOP/data/arm64/idregs.xml" "$T/data/arm64/"
cp "$TOP/data/arm64/kvm-setters.xml" "$T/data/arm64/"
sed 's/name="IESB"/name="WARP"/' "$TOP/data/arm64/models/neoverse-n1.xml" >"$T/data/arm64/models/neoverse-n1.xml"
expect_error "a model naming an unknown field: exit 2, names the file" \
    "neoverse-n1.xml: line" --data-dir "$T/data" models "$T/neoverse-n1@linux-7.2.xml"
check "... and the field" grep -q "unknown field ID_AA64MMFR2_EL1.WARP" "$T/stderr"
sed 's/name="IESB" value="0"/name="IESB" value="16"/' "$TOP/data/arm64/models/neoverse-n1.xml" >"$T/data/arm64/models/neoverse-n1.xml"
expect_error "a value wider than its field: exit 2" "bad or missing value '16'" \
    --data-dir "$T/data" models "$T/neoverse-n1@linux-7.2.xml"
head -c 300 "$TOP/data/arm64/models/neoverse-n1.xml" >"$T/data/arm64/models/neoverse-n1.xml"
expect_error "a truncated model file: exit 2" "neoverse-n1.xml" \
    --data-dir "$T/data" models "$T/neoverse-n1@linux-7.2.xml"
N1M=$TOP/data/arm64/models/neoverse-n1.xml
sed 's|\(<field register="ID_AA64MMFR2_EL1" name="IESB" value="0"/>\)|\1\1|' "$N1M" >"$T/data/arm64/models/neoverse-n1.xml"
expect_error "a field named twice: exit 2" "model neoverse-n1 names ID_AA64MMFR2_EL1.IESB twice" \
    --data-dir "$T/data" models "$T/neoverse-n1@linux-7.2.xml"
sed 's|<note>|<warp/><note>|' "$N1M" >"$T/data/arm64/models/neoverse-n1.xml"
expect_error "an element the format does not have: exit 2" "unknown element <warp>" \
    --data-dir "$T/data" models "$T/neoverse-n1@linux-7.2.xml"
sed '/<field /d' "$N1M" >"$T/data/arm64/models/neoverse-n1.xml"
expect_error "a model without fields: exit 2" "model neoverse-n1 names no field" \
    --data-dir "$T/data" models "$T/neoverse-n1@linux-7.2.xml"
cp "$N1M" "$T/data/arm64/models/neoverse-n1.xml"
cp "$N1M" "$T/data/arm64/models/neoverse-n1-copy.xml"
expect_error "a model defined in two files: exit 2" "model neoverse-n1 is defined twice" \
    --data-dir "$T/data" models "$T/neoverse-n1@linux-7.2.xml"
rm "$T/data/arm64/models/"*.xml
expect_error "no model files at all: exit 2" "no model files" \
    --data-dir "$T/data" models "$T/neoverse-n1@linux-7.2.xml"
done_testing
