# cpucompat show: golden outputs over real snapshots, JSON well-formedness, bad input.
. "$(dirname "$0")/lib.sh"
G=$TOP/tests/data/x86/golden

cd "$TOP" || exit 2
run show tests/data/x86/hosts/epyc-milan-nested-kvm.xml
check "show (text) of a real host matches the golden output" cmp "$T/stdout" "$G/show-epyc-milan-nested-kvm.txt"
run show --format json tests/data/x86/hosts/epyc-milan-nested-kvm.xml
check "show --format json matches the golden output" cmp "$T/stdout" "$G/show-epyc-milan-nested-kvm.json"
check "show --format json is valid JSON" python3 -m json.tool "$T/stdout"
check "the kvm view lists what KVM adds over the CPU" \
    grep -q "not in cpu view: arch-capabilities" "$G/show-epyc-milan-nested-kvm.txt"

SOURCE_DATE_EPOCH=1700000000 "$CPUCOMPAT" import libvirt-cpudata \
    tests/data/x86/libvirt/x86_64-cpuid-Xeon-Gold-6148.xml -o "$T/g.xml"
(cd "$T" && "$CPUCOMPAT" show g.xml) >"$T/show.txt"
check "import then show of a libvirt capture matches the golden output" \
    cmp "$T/show.txt" "$G/show-Xeon-Gold-6148.txt"

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
