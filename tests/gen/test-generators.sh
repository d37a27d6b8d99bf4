# The generators of data/ reproduce the committed tables byte for byte from the gathered
# reference facts (../shared/reference beside the source tree). A table edited by hand, or a
# generator changed without regenerating, fails here with the diff.
. "$CPUCOMPAT_TOP/tests/cli/lib.sh"
REF=${CPUCOMPAT_REFERENCE:-$TOP/../shared/reference}

# same DESCRIPTION GENERATED COMMITTED: the two files or folders are byte-identical.
same() {
    if diff -r -u "$3" "$2" >"$T/diff" 2>&1; then
        ok "$1"
    else
        not_ok "$1" "differs from the committed $(basename "$3") ('-' committed, '+' generated):"
        sed 's/^/#   /' "$T/diff" | head -60
    fi
}

# gen NAME REFDIR COMMAND...: runs a generator when its reference exists, else says SKIP.
gen() {
    d=$1 ref=$2
    shift 2
    if [ ! -d "$ref" ]; then
        skip "$d" "no reference facts at $ref"
        return 1
    fi
    if ! command -v python3 >/dev/null; then
        skip "$d" "python3 is not installed"
        return 1
    fi
    if ! "$@" 2>"$T/gen.err"; then
        not_ok "$d: the generator ran" "$(head -5 "$T/gen.err")"
        return 1
    fi
    return 0
}

G=$T/gen
mkdir -p "$G/x86-models" "$G/arm64-models" "$G/s390x"
# Generators that write into a folder are given an empty one, so a table they no longer write
# shows up as a difference too.
gen "x86 features.xml" "$REF/x86" sh -c \
    "python3 '$TOP/data/x86/gen-features.py' '$REF/x86/features.json' '$REF/x86/models.json' \
     >'$G/x86-features.xml'" &&
    same "data/x86/features.xml is what gen-features.py makes of the reference" \
        "$G/x86-features.xml" "$TOP/data/x86/features.xml"
gen "x86 models" "$REF/x86" python3 "$TOP/data/x86/gen-models.py" "$REF/x86/models.json" \
    "$REF/x86/features.json" "$G/x86-models" &&
    same "data/x86/models/ is what gen-models.py makes of the reference" \
        "$G/x86-models" "$TOP/data/x86/models"
gen "x86 feature-names.xml" "$REF/x86" sh -c \
    "python3 '$TOP/data/x86/gen-feature-names.py' '$TOP/data/x86/features.xml' \
     '$TOP/data/x86/libvirt-cpu-map.xml' '$REF/x86/features.json' >'$G/feature-names.xml'" &&
    same "data/x86/feature-names.xml is what gen-feature-names.py makes of the reference" \
        "$G/feature-names.xml" "$TOP/data/x86/feature-names.xml"
# Its input is libvirt's own source tree (src/cpu_map of 9.0.0 and 11.3.0), not the reference.
skip "data/x86/libvirt-cpu-map.xml is what gen-libvirt-models.py makes of libvirt's cpu_map" \
    "needs libvirt 9.0.0 and 11.3.0 source trees, which ../shared/reference does not hold"
gen "arm64 idregs.xml" "$REF/arm64" sh -c \
    "python3 '$TOP/data/arm64/gen-idregs.py' '$REF/arm64/idregs.json' '$REF/arm64/feats.json' \
     '$TOP/data/arm64/kernel-ftr.xml' '$TOP/data/arm64/kvm-writable.xml' >'$G/idregs.xml'" &&
    same "data/arm64/idregs.xml is what gen-idregs.py makes of the reference" \
        "$G/idregs.xml" "$TOP/data/arm64/idregs.xml"
# kernel-ftr.xml and kvm-writable.xml come from the kernels' own sources: the trees of
# 6.1.192, 6.6.80, 6.12.118, 6.18.35, 7.2.13 and 7.3.4 under $CPUCOMPAT_LINUX_SOURCES, each as
# linux-source-X.Y (where each comes from, and how to unpack it: SOURCES in gen-kernel-ftr.py).
LS=${CPUCOMPAT_LINUX_SOURCES:-}
if [ -n "$LS" ] && [ -d "$LS" ]; then
    gen "arm64 kernel-ftr.xml" "$LS" sh -c \
        "python3 '$TOP/data/arm64/gen-kernel-ftr.py' '$TOP/data/arm64/idregs.xml' \
         '$LS'/linux-source-* >'$G/kernel-ftr.xml'" &&
        same "data/arm64/kernel-ftr.xml is what gen-kernel-ftr.py makes of the kernel sources" \
            "$G/kernel-ftr.xml" "$TOP/data/arm64/kernel-ftr.xml"
    gen "arm64 kvm-writable.xml" "$LS" sh -c \
        "python3 '$TOP/data/arm64/gen-kvm-writable.py' '$TOP/data/arm64/idregs.xml' \
         '$LS'/linux-source-* >'$G/kvm-writable.xml'" &&
        same "data/arm64/kvm-writable.xml is what gen-kvm-writable.py makes of the kernel sources" \
            "$G/kvm-writable.xml" "$TOP/data/arm64/kvm-writable.xml"
else
    skip "data/arm64/kernel-ftr.xml is what gen-kernel-ftr.py makes of the kernel sources" \
        "CPUCOMPAT_LINUX_SOURCES does not name a folder of unpacked linux-source-X.Y trees"
    skip "data/arm64/kvm-writable.xml is what gen-kvm-writable.py makes of the kernel sources" \
        "CPUCOMPAT_LINUX_SOURCES does not name a folder of unpacked linux-source-X.Y trees"
fi
# The masks read from sys_regs.c against the reference's, gathered apart (and for 7.2 checked
# on a running kernel with KVM_ARM_GET_REG_WRITABLE_MASKS), for every kernel both cover.
if [ -f "$REF/arm64/idregs.json" ] && command -v python3 >/dev/null; then
    check "kvm-writable.xml: the masks of 6.1, 6.12 and 7.2 are the reference's, register by register" \
        python3 - "$TOP/data/arm64/kvm-writable.xml" "$REF/arm64/idregs.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
ref = json.load(open(sys.argv[2]))
seen, bad = set(), []
for k in ET.parse(sys.argv[1]).getroot().iter('kernel'):
    name = 'Linux ' + '.'.join(k.get('release').split('.')[:2])
    if name not in ref['kernels']:
        continue
    seen.add(name)
    for r in k.iter('register'):
        want = ref['registers'][r.get('name')].get('kvm', {}).get(name, {}).get('writable_mask')
        got = r.get('writable')
        if (want and int(want, 16)) != (got and int(got, 16)):
            bad.append((name, r.get('name'), want, got))
assert seen == set(ref['kernels']) and not bad, (seen, bad)
PY
else
    skip "kvm-writable.xml: the masks of 6.1, 6.12 and 7.2 are the reference's" \
        "no reference facts at $REF/arm64"
fi
# A kernel newer than the newest rule set is judged by it: the newest source read must have the
# same rules, else it needs a rule set of its own.
if command -v python3 >/dev/null; then
    check "kernel-ftr.xml: the newest kernel read has the rules of the newest rule set in idregs.xml" \
        python3 - "$TOP/data/arm64/kernel-ftr.xml" "$TOP/data/arm64/idregs.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
kernels = list(ET.parse(sys.argv[1]).getroot().iter('kernel'))
newest_set = next(ET.parse(sys.argv[2]).getroot().iter('kernel')).get('since')
rules = lambda k: {(r.get('name'), f.get('lsb'), f.get('width')): (f.get('type'), f.get('safe'), f.get('strict'))
                   for r in k.iter('register') for f in r if f.tag in ('field', 'bits')}
same_set = [k for k in kernels if '.'.join(k.get('release').split('.')[:2]) == newest_set]
assert same_set, 'no source of the newest rule set ' + newest_set
a, b = rules(same_set[-1]), rules(kernels[-1])
diff = sorted(x for x in set(a) | set(b) if a.get(x) != b.get(x))
assert not diff, '%s differs from %s in %s' % (kernels[-1].get('release'), same_set[-1].get('release'), diff)
PY
fi
gen "arm64 models" "$REF/arm64" python3 "$TOP/data/arm64/gen-models.py" "$REF/arm64" \
    "$G/arm64-models" &&
    same "data/arm64/models/ is what gen-models.py makes of the reference" \
        "$G/arm64-models" "$TOP/data/arm64/models"
if gen "s390x catalog" "$REF/s390x" python3 "$TOP/data/s390x/gen-catalog.py" "$REF/s390x" \
    "$G/s390x"; then
    same "data/s390x/features.xml is what gen-catalog.py makes of the reference" \
        "$G/s390x/features.xml" "$TOP/data/s390x/features.xml"
    same "data/s390x/models.xml is what gen-catalog.py makes of the reference" \
        "$G/s390x/models.xml" "$TOP/data/s390x/models.xml"
    ls "$G/s390x" >"$T/written"
    check "gen-catalog.py writes only features.xml and models.xml" \
        sh -c "[ \"\$(cat '$T/written' | tr '\n' ' ')\" = 'features.xml models.xml ' ]"
fi
# qemu-releases.xml comes from QEMU's and libvirt's own sources: $CPUCOMPAT_QEMU_SOURCES names a
# folder holding qemu-7.2.0 and qemu-10.0.2 (target/s390x, VERSION) and libvirt-9.0.0 and
# libvirt-11.3.0 (tests/qemucapabilitiesdata) unpacked (see gen-qemu-releases.py).
QS=${CPUCOMPAT_QEMU_SOURCES:-}
if [ -n "$QS" ] && [ -d "$QS" ]; then
    gen "s390x qemu-releases.xml" "$QS" sh -c \
        "python3 '$TOP/data/s390x/gen-qemu-releases.py' '$QS/qemu-7.2.0' '$QS/qemu-10.0.2' \
         '$QS/libvirt-9.0.0' '$QS/libvirt-11.3.0' '$TOP/data/s390x' >'$G/s390x-releases.xml'" &&
        same "data/s390x/qemu-releases.xml is what gen-qemu-releases.py makes of the sources" \
            "$G/s390x-releases.xml" "$TOP/data/s390x/qemu-releases.xml"
else
    skip "data/s390x/qemu-releases.xml is what gen-qemu-releases.py makes of the sources" \
        "CPUCOMPAT_QEMU_SOURCES does not name a folder of QEMU 7.2/10.0.2 and libvirt 9.0.0/11.3.0 trees"
fi

# The build-time generators: their output compiles into the binary, so they must name every
# entry of their table and nothing else.
"$TOP/build-aux/gen-arm64-mrs" "$TOP/data/arm64/idregs.xml" >"$G/mrs.h" 2>"$T/gen.err" ||
    not_ok "gen-arm64-mrs runs" "$(head -3 "$T/gen.err")"
n_regs=$(grep '<register ' "$TOP/data/arm64/idregs.xml" | grep 'op0=' | grep -c 'crn="0"')
check "gen-arm64-mrs writes one reader per CRn 0 register of idregs.xml ($n_regs)" \
    sh -c "[ \$(grep -c '^ARM64_MRS(' '$G/mrs.h') -eq $n_regs ]"
"$TOP/build-aux/gen-s390x-query" "$TOP/data/s390x/query-blocks.xml" >"$G/query.h" \
    2>"$T/gen.err" || not_ok "gen-s390x-query runs" "$(head -3 "$T/gen.err")"
n_blocks=$(grep -c '<block ' "$TOP/data/s390x/query-blocks.xml")
n_user=$(grep '<block ' "$TOP/data/s390x/query-blocks.xml" | grep -c 'opcode=')
check "gen-s390x-query writes every KVM block ($n_blocks) and user query ($n_user)" \
    sh -c "[ \$(grep -c '^S390X_KVM_BLOCK(' '$G/query.h') -eq $n_blocks ] &&
           [ \$(grep -c '^S390X_USER_QUERY(' '$G/query.h') -eq $n_user ]"
sed 's/opcode="0xb92e0000" format="rre"/opcode="0xb92e0000" format="rx"/' \
    "$TOP/data/s390x/query-blocks.xml" >"$T/bad-blocks.xml"
check "gen-s390x-query refuses a format it cannot encode" \
    sh -c "! '$TOP/build-aux/gen-s390x-query' '$T/bad-blocks.xml' >/dev/null 2>&1"
# Every block a feature names is in the table (pfcr is newer than the KVM the build reads).
grep -o 'subfunc="[a-z0-9]*"' "$TOP/data/s390x/features.xml" | sort -u | sed 's/subfunc=//' |
    tr -d '"' >"$T/named"
missing=$(while read -r b; do
    grep -q "<block name=\"$b\"" "$TOP/data/s390x/query-blocks.xml" || echo "$b"
done <"$T/named" | tr '\n' ' ')
check "every query block features.xml names is in query-blocks.xml, except pfcr (missing: $missing)" \
    sh -c "[ '$missing' = 'pfcr ' ]"
done_testing
