# cpucompat show: golden outputs over real snapshots, JSON members against an independent
# recording of the same machine, bad input.
. "$(dirname "$0")/lib.sh"
G=$TOP/tests/data/x86/golden

cd "$TOP" || exit 2
HOST=tests/data/x86/hosts/epyc-milan-nested-kvm.xml

# golden DESCRIPTION OUTPUT GOLDEN: byte-identical, else the diff.
golden() {
    if diff -u "$3" "$2" >"$T/golden.diff"; then
        ok "$1"
    else
        not_ok "$1" "differs from $3 ('-' golden, '+' now); if intended, see $G/README.md"
        sed 's/^/#   /' "$T/golden.diff" | head -40
    fi
}

run show "$HOST"
golden "show (text) of a real host matches the golden output" "$T/stdout" \
    "$G/show-epyc-milan-nested-kvm.txt"
run show --format json "$HOST"
cp "$T/stdout" "$T/show.json"
golden "show --format json matches the golden output" "$T/show.json" \
    "$G/show-epyc-milan-nested-kvm.json"
check "show --format json is valid JSON" python3 -m json.tool "$T/show.json"

# The JSON against an independent reading of the same machine: `cpuid -1 -r` recorded on it,
# decoded by tests/cli/x86-cpuid-r.py (its own decoder over the feature catalog's locations).
python3 "$TOP/tests/cli/x86-cpuid-r.py" tests/data/x86/hosts/epyc-milan-nested-cpuid-r.txt \
    "$TOP/data/x86/features.xml" >"$T/cpuid-r.json"
# json_check DESCRIPTION PYTHON-EXPRESSION: s is show's JSON, p the cpuid -1 -r decoding.
json_check() {
    if python3 - "$T/show.json" "$T/cpuid-r.json" "$2" >"$T/jc.out" 2>&1 <<'PY'
import json, sys
s, p = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
view = {v['name']: v for v in s['views']}
ok = eval(sys.argv[3])
print(ok if not isinstance(ok, bool) else '')
sys.exit(0 if ok is True else 1)
PY
    then ok "$1"; else not_ok "$1" "$(head -5 "$T/jc.out")"; fi
}
json_check "JSON identity (vendor, family, model, stepping) is cpuid -1 -r's leaf 0 and 1" \
    "all(s['identity'][k] == v for k, v in p['identity'].items()) or (s['identity'], p['identity'])"
json_check "JSON cpu view features are exactly those set in cpuid -1 -r (decoded apart)" \
    "sorted(view['cpu']['features']) == p['features'] or \
     sorted(set(view['cpu']['features']) ^ set(p['features']))"
json_check "JSON kvm view phys-bits is at most the machine's (cpuid -1 -r 0x80000008 EAX[7:0])" \
    "0 < int(view['kvm']['properties']['phys-bits']) <= p['phys-bits'] or \
     (view['kvm']['properties'], p['phys-bits'])"
# KVM emulates IA32_ARCH_CAPABILITIES whatever the silicon has (Linux arch/x86/kvm/x86.c), and
# always offers its paravirtual clock; this AMD guest's own CPUID lacks the former.
json_check "JSON kvm view adds arch-capabilities, absent from cpuid -1 -r" \
    "'arch-capabilities' in set(view['kvm']['features']) - set(p['features']) or \
     sorted(set(view['kvm']['features']) - set(p['features']))"
json_check "JSON kvm view offers kvmclock" "'kvmclock' in view['kvm']['features']"
json_check "JSON members: file, format, arch, origin, identity, views with name/source/features" \
    "s['file'] == '$HOST' and s['format'] == 1 and s['arch'] == 'x86_64' and \
     s['origin']['method'] == 'probe' and [v['name'] for v in s['views']] == ['cpu', 'kvm'] and \
     all(isinstance(v['features'], list) and v['source'] for v in s['views'])"

SOURCE_DATE_EPOCH=1700000000 "$CPUCOMPAT" import libvirt-cpudata \
    tests/data/x86/libvirt/x86_64-cpuid-Xeon-Gold-6148.xml -o "$T/g.xml"
(cd "$T" && "$CPUCOMPAT" show g.xml) >"$T/show.txt"
golden "import then show of a libvirt capture matches the golden output" \
    "$T/show.txt" "$G/show-Xeon-Gold-6148.txt"

# Bad input, through the command line: exit 2, one line naming the file, nothing on stdout.
printf '<capabilities format="1" arch="x86_64"><tool' >"$T/malformed.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<capabilities>&b;</capabilities>\n' >"$T/entities.xml"
sed 's/arch="x86_64"/arch="ppc64le"/' tests/data/x86/hosts/epyc-milan-nested-kvm.xml >"$T/ppc64le.xml"
sed 's/format="1"/format="7"/' tests/data/x86/hosts/epyc-milan-nested-kvm.xml >"$T/v7.xml"
head -c 5000 tests/data/x86/hosts/epyc-milan-nested-kvm.xml >"$T/truncated.xml"
: >"$T/empty.xml"
for case in \
    "$T/malformed.xml|not well-formed XML" \
    "$T/entities.xml|DOCTYPE declarations are not accepted" \
    "$T/ppc64le.xml|architecture 'ppc64le' is not supported" \
    "$T/v7.xml|format version '7' is not supported" \
    "$T/truncated.xml|not well-formed XML" \
    "$T/empty.xml|file is empty" \
    "$T|is a directory" \
    "$T/absent.xml|cannot open: No such file or directory" \
    "tests/data/x86/libvirt/x86_64-cpuid-Core-i7-8700.xml|not a cpucompat capability file"; do
    file=${case%%|*} words=${case#*|}
    expect_error "show $(basename "$file"): exit 2, one line" "cpucompat: $file: $words" show "$file"
done

expect_error "show --format yaml: exit 2" "--format 'yaml'" show --format yaml tests/data/x86/hosts/epyc-milan-nested-kvm.xml
run show --format xml tests/data/x86/hosts/epyc-milan-nested-kvm.xml
check "show --format xml lists the kvm view's features as the JSON does" sh -c "
    xmllint --xpath '/show/views/view[@name=\"kvm\"]/features/feature/text()' '$T/stdout' | sort >'$T/x' &&
    python3 -c 'import json,sys; print(\"\\n\".join(sorted([v for v in json.load(open(sys.argv[1]))[\"views\"] if v[\"name\"] == \"kvm\"][0][\"features\"])))' '$G/show-epyc-milan-nested-kvm.json' | cmp - '$T/x'"
expect_error "show without a file: exit 2" "needs a FILE" show
expect_error "an unknown command: exit 2" "'frobnicate' is not a command" frobnicate
run
check "no command: usage on stderr, exit 2" sh -c "[ $rc -eq 2 ] && grep -q '^Usage: cpucompat' '$T/stderr'"
# A broken or missing data directory is an error like any other input.
expect_error "--data-dir that does not exist: exit 2" "/nonexistent: not a cpucompat data directory" \
    --data-dir /nonexistent show tests/data/x86/hosts/epyc-milan-nested-kvm.xml
cp -r "$TOP/data" "$T/data"
head -c 2000 "$TOP/data/x86/features.xml" >"$T/data/x86/features.xml"
expect_error "a truncated feature catalog: exit 2, names the file" "$T/data/x86/features.xml: not well-formed XML" \
    --data-dir "$T/data" show tests/data/x86/hosts/epyc-milan-nested-kvm.xml
cp "$TOP/data/x86/features.xml" "$T/data/x86/features.xml"
grep -v '<signature' "$TOP/data/x86/cpuid-fields.xml" >"$T/data/x86/cpuid-fields.xml"
expect_error "CPUID fields without KVM's signature: exit 2, names the file" \
    "$T/data/x86/cpuid-fields.xml: lacks the kvm signature" \
    --data-dir "$T/data" show tests/data/x86/hosts/epyc-milan-nested-kvm.xml
sed 's/name="phys-bits" leaf="0x80000008" reg="eax"/name="phys-bits" leaf="0x80000008" reg="r9"/' \
    "$TOP/data/x86/cpuid-fields.xml" >"$T/data/x86/cpuid-fields.xml"
expect_error "a CPUID field in an unknown register: exit 2, names the file" \
    "$T/data/x86/cpuid-fields.xml: line" \
    --data-dir "$T/data" show tests/data/x86/hosts/epyc-milan-nested-kvm.xml
cp "$TOP/data/x86/cpuid-fields.xml" "$T/data/x86/cpuid-fields.xml"
# expand writes KVM's signature leaf and the named-model address sizes from the data files: the
# values the kernel documents ("KVMKVMKVM", KVM_CPUID_FEATURES) and QEMU's defaults (40, 48).
"$CPUCOMPAT" expand Haswell-v1 -o "$T/haswell.xml" 2>/dev/null
check "expand: leaf 0x40000000 is KVM's signature, 0x80000008 EAX holds 40 and 48 bits" \
    sh -c "grep -q '0x40000000 0x00000000 0x40000001 0x4b4d564b 0x564b4d56 0x0000004d' '$T/haswell.xml' &&
           grep -q '0x80000008 0x00000000 0x00003028 ' '$T/haswell.xml'"
sed 's/<features>fpu /<features>fpu warp-drive /' "$TOP/data/x86/models/Haswell.xml" >"$T/data/x86/models/Haswell.xml"
expect_error "a model naming an unknown feature: exit 2" "model Haswell-v1: unknown feature 'warp-drive'" \
    --data-dir "$T/data" models tests/data/x86/hosts/epyc-milan-nested-kvm.xml
cp "$TOP/data/x86/models/Haswell.xml" "$T/data/x86/models/Haswell.xml"
grep -v '<lbr-format' "$TOP/data/x86/qemu-kvm.xml" >"$T/data/x86/qemu-kvm.xml"
expect_error "QEMU's rules without the LBR format MSR: exit 2, names the file" \
    "$T/data/x86/qemu-kvm.xml: lacks <named-model> or <lbr-format>" \
    --data-dir "$T/data" compare tests/data/x86/hosts/epyc-milan-nested-kvm.xml tests/data/x86/hosts/epyc-milan-nested-kvm.xml

run --version
check "--version prints the version" grep -qx "cpucompat [0-9.]*" "$T/stdout"
done_testing
