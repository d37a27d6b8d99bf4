# cpucompat import: captured data from other hosts, and everything that can be wrong with it.
. "$(dirname "$0")/lib.sh"
SCHEMA=$TOP/data/schema/capabilities.rng
LV=$TOP/tests/data/x86/libvirt
HOSTS=$TOP/tests/data/x86/hosts

# Every libvirt capture imports into a schema-valid file.
n=0 bad=""
for f in "$LV"/x86_64-cpuid-*.xml; do
    n=$((n + 1))
    if ! "$CPUCOMPAT" import libvirt-cpudata "$f" -o "$T/lv.xml" 2>"$T/stderr" ||
        ! xmllint --noout --relaxng "$SCHEMA" "$T/lv.xml" 2>/dev/null; then
        bad="$bad $(basename "$f")"
    fi
done
if [ -z "$bad" ] && [ "$n" -eq 61 ]; then
    ok "all $n libvirt captures import into schema-valid files"
else
    not_ok "all libvirt captures import into schema-valid files" "$n files; failed:$bad"
fi

run import libvirt-cpudata "$LV/x86_64-cpuid-Xeon-Gold-6148.xml"
check "import records how the file was obtained" \
    grep -q 'method="import" .*import-format="libvirt-cpudata" import-file="x86_64-cpuid-Xeon-Gold-6148.xml"' "$T/stdout"

# One host captured twice, by `cpuid -1 -r` and by our own walk: same named features.
run import cpuid-raw "$HOSTS/epyc-milan-nested-cpuid-r.txt" -o "$T/peer.xml"
view_features "$T/peer.xml" cpu >"$T/a.txt"
view_features "$HOSTS/epyc-milan-nested-kvm.xml" cpu >"$T/b.txt"
check "cpuid-raw import of a host equals that host's dump (features)" \
    sh -c "[ $rc -eq 0 ] && [ -s '$T/a.txt' ] && cmp '$T/a.txt' '$T/b.txt'"
check "cpuid-raw import: vendor and family decoded" \
    grep -q '<vendor>AuthenticAMD</vendor>' "$T/peer.xml"

# `cpuid -r` (every CPU): the first CPU is taken.
{ echo "CPU 0:"; tail -n +2 "$HOSTS/epyc-milan-nested-cpuid-r.txt"; echo "CPU 1:";
  tail -n +2 "$HOSTS/epyc-milan-nested-cpuid-r.txt"; } >"$T/all-cpus.txt"
run import cpuid-raw "$T/all-cpus.txt" -o "$T/all.xml"
grep '<cpuid ' "$T/all.xml" >"$T/all-leaves.txt"
grep '<cpuid ' "$T/peer.xml" >"$T/one-leaves.txt"
check "cpuid-raw with several CPUs: imports the first" \
    sh -c "[ $rc -eq 0 ] && [ -s '$T/one-leaves.txt' ] && cmp '$T/all-leaves.txt' '$T/one-leaves.txt'"

# Bad input: one line naming the file, exit 2, and no output file left behind.
printf '<cpudata arch="ppc64"><pvr value="0x004e1200"/></cpudata>\n' >"$T/ppc.xml"
printf 'CPU:\n   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547\n' >"$T/short.txt"
printf 'CPU:\n   0x00000000 0x00: eax=0x0000000d ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n' \
    >"$T/leaf0.txt"
printf '\0\1\2binary' >"$T/binary.txt"
head -c 3000 "$LV/x86_64-cpuid-Core-i7-8700.xml" >"$T/truncated.xml"
printf '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><cpudata arch="x86">&e;</cpudata>' \
    >"$T/entity.xml"
: >"$T/empty.txt"

for case in \
    "libvirt-cpudata|$T/ppc.xml|CPU data for architecture 'ppc64', not x86" \
    "libvirt-cpudata|$T/truncated.xml|not well-formed XML" \
    "libvirt-cpudata|$T/entity.xml|DOCTYPE declarations are not accepted" \
    "libvirt-cpudata|$HOSTS/epyc-milan-nested-kvm.xml|not libvirt CPU data" \
    "libvirt-cpudata|$T|is a directory" \
    "cpuid-raw|$T/short.txt|line 2: not a \`cpuid -r\` line" \
    "cpuid-raw|$T/leaf0.txt|CPUID leaves 0 and 1 are required" \
    "cpuid-raw|$T/binary.txt|binary data" \
    "cpuid-raw|$T/empty.txt|file is empty" \
    "cpuid-raw|$T/missing.txt|cannot open: No such file or directory"; do
    fmt=${case%%|*} rest=${case#*|}
    file=${rest%%|*} words=${rest#*|}
    rm -f "$T/out.xml"
    expect_error "import $fmt $(basename "$file"): exit 2, one line" "$file: $words" \
        import "$fmt" "$file" -o "$T/out.xml"
    check "import $fmt $(basename "$file"): no output file" test ! -e "$T/out.xml"
done

expect_error "unknown import format: exit 2" "unknown format 'sysfs'" import sysfs "$T/leaf0.txt"
expect_error "import without a file: exit 2" "needs FORMAT and FILE" import cpuid-raw
done_testing
