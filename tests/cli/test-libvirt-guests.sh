# compare --guest: libvirt's own x86 compare verdicts (tests/cputest.c of libvirt 9.0, its host and
# guest CPUs carried unchanged) pair by pair, libvirt's domain XMLs, and hostile guest files.
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data/x86/libvirt-guests
H=$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml

# One capability file per libvirt host CPU; a host import refuses is "error" in the table.
host_file() {
    [ -e "$T/host-$1.xml" ] || [ -e "$T/host-$1.err" ] ||
        "$CPUCOMPAT" import libvirt-cpu "$D/x86_64-$1.xml" -o "$T/host-$1.xml" \
            2>"$T/host-$1.err" || touch "$T/host-$1.failed"
}

while read -r host guest libvirt mine reason; do
    case $host in '#'* | '') continue ;; esac
    case $libvirt in
    IDENTICAL | SUPERSET) want=yes ;;
    INCOMPATIBLE) want=no ;;
    ERROR) want=error ;;
    *) not_ok "verdicts.txt: $host/$guest: unknown verdict '$libvirt'" && continue ;;
    esac
    host_file "$host"
    if [ -e "$T/host-$host.failed" ]; then
        got=error
    else
        run compare --libvirt-map 9.0.0 --guest "$D/x86_64-$guest.xml" "$T/host-$host.xml"
        case $rc in 0) got=yes ;; 1) got=no ;; *) got=error ;; esac
    fi
    if [ -z "$mine" ]; then
        [ "$got" = "$want" ] && ok "$host/$guest: libvirt $libvirt, cpucompat $got" ||
            not_ok "$host/$guest: libvirt $libvirt, cpucompat $got" "$(head -8 "$T/stdout" "$T/stderr")"
    elif [ "$mine" = "$want" ]; then
        not_ok "$host/$guest: a reason is written but cpucompat agrees with libvirt ($want)"
    else
        [ "$got" = "$mine" ] && ok "$host/$guest: libvirt $libvirt, cpucompat $got: $reason" ||
            not_ok "$host/$guest: want $mine ($reason), got $got" "$(head -8 "$T/stdout" "$T/stderr")"
    fi
done <"$D/verdicts.txt"

# What each blocker says: forbid, require, force, and the guest's vendor.
HF=$T/host-host.xml
run compare --libvirt-map 9.0.0 --format json --guest "$D/x86_64-exact-forbid.xml" "$HF"
json_ok "forbid: the destination's vmx is the blocker" \
    "names(d['blockers']) == ['vmx'] and 'the guest forbids it' in blocker('vmx')['detail']"
run compare --libvirt-map 9.0.0 --format json --guest "$D/x86_64-guest.xml" "$HF"
json_ok "force: svm and 3dnowext named, nothing else" \
    "sorted(names(d['blockers'])) == ['3dnowext', 'svm'] and all(b['reason'] == 'missing' for b in d['blockers'])"
run compare --libvirt-map 9.0.0 --format json --guest "$D/x86_64-pentium3-amd.xml" "$HF"
json_ok "vendor: AMD guest on an Intel host" "'AMD' in blocker('vendor')['detail']"
run compare --libvirt-map 9.0.0 --format json --guest "$D/x86_64-exact-require-extra.xml" "$HF"
json_ok "json: not migratable, exit 1" "rc == 1 and d['migratable'] is False and d['blockers']"

# Standard input and a whole domain XML give the answer the bare <cpu> gives.
run compare --guest "$D/x86_64-exact-forbid.xml" "$HF"
a=$rc
"$CPUCOMPAT" compare --guest - "$HF" <"$D/x86_64-exact-forbid.xml" >/dev/null 2>&1
check "--guest - reads standard input" test "$a" = 1 -a "$?" = 1
sed "/<cpu/,/<\/cpu>/{/<cpu/r $D/x86_64-exact-forbid.xml
d}" "$D/domains/cpu-exact1.xml" >"$T/dom-forbid.xml"
run compare --guest "$T/dom-forbid.xml" "$HF"
check "a domain XML's <cpu> is the guest" test "$rc" = 1
run compare --guest "$D/domains/cpu-minimum1.xml" "$H"
check "libvirt's cpu-minimum1 domain (486) runs on the EPYC host" test "$rc" = 0

# Two files: the guest must run on the source first.
run compare --format json --guest "$D/x86_64-exact-forbid.xml" "$HF" "$T/host-host-amd.xml"
json_ok "two files: a guest the source cannot run is a verdict naming the source" \
    "rc == 1 and any('the source $HF' in b['detail'] for b in d['blockers'])"
run compare --guest "$D/domains/cpu-host-model.xml" "$H" "$H"
check "host-model from SRC to the same host: migratable" test "$rc" = 0
host_file host-better
run compare --guest "$D/domains/cpu-host-passthrough.xml" "$T/host-host.xml" "$T/host-host-better.xml"
check "host-passthrough to a different CPU: not migratable" test "$rc" = 1
expect_error "host-model with one file needs SRC" "give SRC and DST" \
    compare --guest "$D/domains/cpu-host-model.xml" "$H"
expect_error "host-passthrough with one file needs SRC" "give SRC and DST" \
    compare --guest "$D/domains/cpu-host-passthrough.xml" "$H"

# Bad and hostile guests: one line naming the file and the token, exit 2.
# A name far from every known one gets no suggestion: "Bogus" is not a slip of "Broadwell".
expect_error "unknown model" "unknown libvirt CPU model 'Bogus'" \
    compare --guest "$D/x86_64-bogus-model.xml" "$H"
check "unknown model, nothing near it: no suggestion" sh -c "! grep -q 'did you mean' '$T/stderr'"
expect_error "unknown feature" "unknown libvirt feature 'bogus'" \
    compare --guest "$D/x86_64-bogus-feature.xml" "$H"
check "unknown feature, nothing near it: no suggestion" sh -c "! grep -q 'did you mean' '$T/stderr'"
echo "<cpu><model>Haswell</model><feature name='avx2x' policy='require'/></cpu>" >"$T/ftypo.xml"
expect_error "a feature typo is answered with the feature meant" \
    "unknown libvirt feature 'avx2x' (did you mean 'avx2'?)" compare --guest "$T/ftypo.xml" "$H"
echo "<cpu><model>Skylake-Servr</model></cpu>" >"$T/typo.xml"
expect_error "a typo is answered with the model meant" "did you mean 'Skylake-Server'" \
    compare --guest "$T/typo.xml" "$H"
echo "<cpu><model>Penryn</model><feature name='sse4.2' policy='maybe'/></cpu>" >"$T/pol.xml"
expect_error "unknown policy" "$T/pol.xml: line 1: feature sse4.2: unknown policy 'maybe'" \
    compare --guest "$T/pol.xml" "$H"
printf '<?xml version="1.0"?>\n<!DOCTYPE cpu [<!ENTITY m "Penryn">]>\n<cpu><model>&m;</model></cpu>\n' \
    >"$T/dtd.xml"
expect_error "DOCTYPE and entities refused" "$T/dtd.xml" compare --guest "$T/dtd.xml" "$H"
printf '<!DOCTYPE cpu SYSTEM "/etc/passwd"><cpu/>\n' >"$T/ext.xml"
expect_error "an external DTD is not opened" "$T/ext.xml" compare --guest "$T/ext.xml" "$H"
{ echo "<domain type='kvm'><cpu><model>Penryn</model>"; head -c 1100000 /dev/zero | tr '\0' ' '; echo "</cpu></domain>"; } >"$T/big.xml"
expect_error "over the 1 MiB cap" "$T/big.xml" compare --guest "$T/big.xml" "$H"
{ i=0; while [ $i -lt 5000 ]; do printf '<a>'; i=$((i + 1)); done; } >"$T/deep.xml"
expect_error "nesting without bound" "$T/deep.xml" compare --guest "$T/deep.xml" "$H"
{ echo "<cpu><model>Penryn</model>"; i=0; while [ $i -lt 2100 ]; do echo "<feature name='sse4.2' policy='optional'/>"; i=$((i + 1)); done; echo "</cpu>"; } >"$T/many.xml"
expect_error "more than 2048 features" "more than 2048" compare --guest "$T/many.xml" "$H"
echo "<domain type='kvm'><name>x</name></domain>" >"$T/nocpu.xml"
expect_error "a domain without <cpu>" "no <cpu>" compare --guest "$T/nocpu.xml" "$H"
echo "<cpu mode='custom'><model>Penryn</model><feature name='sse4.2'/><feature name='sse4.2' policy='disable'/></cpu>" >"$T/twice.xml"
expect_error "a feature given twice" "given twice" compare --guest "$T/twice.xml" "$H"
expect_error "--guest with --model" "no --model" compare --guest "$T/twice.xml" --model Penryn "$H" "$H"
expect_error "a libvirt release that is no number" "'1.x' is not a release number" \
    compare --libvirt-map 1.x --guest "$D/x86_64-exact.xml" "$H"
run compare --libvirt-map 1.0 --guest "$D/x86_64-exact.xml" "$H"
check "a release older than every map: read as the oldest, with a note" \
    grep -q "^note .*libvirt 1.0 is older than every CPU map cpucompat holds: its model names are read as libvirt 9.0.0 reads them" "$T/stdout"
run compare --libvirt-map 10.5.0 --guest "$D/x86_64-exact.xml" "$H"
check "a release between two maps: read as the older" grep -q "(libvirt 9.0.0 CPU map" "$T/stdout"
done_testing
