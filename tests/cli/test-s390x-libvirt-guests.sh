# compare --guest on s390x: a libvirt <cpu> (libvirt's own s390x test domains) becomes the -cpu
# string libvirt gives QEMU, checked against the argv libvirt's tests expect (9.0 and 11.3), and is
# judged exactly as compare --model of that string; QEMU 10.0 under TCG referees which strings it
# takes at all; the pre-migration hook with s390x domains.
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data/s390x/libvirt
HOOK=$TOP/data/hooks/qemu
Q10=$TOP/build/qemu-10.0/run-s390x

# The hosts: QEMU's own host models of real machines as libvirt recorded them (hostcpu.txt),
# expanded into capability files that run that QEMU (the z16's has appv and appvi, which QEMU 9.1
# added to gen16's full set).
hostcpu() { sed -n "s/^$1 //p" "$D/hostcpu.txt"; }
H10=$(hostcpu 10.0)
"$CPUCOMPAT" expand --arch s390x --qemu 10.0 "$H10" -o "$T/z16.xml"
"$CPUCOMPAT" expand --arch s390x --qemu 8.2 "$(hostcpu 8.2)" -o "$T/z15.xml"
"$CPUCOMPAT" expand --arch s390x --qemu 10.0 z13 -o "$T/z13.xml"
check "the hosts: libvirt's recorded host models as capability files (z16 QEMU 10.0, z15 QEMU 8.2)" \
    test -s "$T/z16.xml" -a -s "$T/z15.xml" -a -s "$T/z13.xml"

# The JSON report of the last run, read with sed (a Python per check costs a second here).
# cpu_of: the -cpu string a --guest verdict says libvirt generates.
cpu_of() { sed -n 's/.*"guest":"[^"]* -cpu \([^" ]*\).*/\1/p' "$T/stdout"; }
expected() { sed -n "s/^$1 $2 //p" "$D/expected-cpu.txt"; }
# blockers_of: the blockers' members, one {...} a line.
blockers_of() { sed -n 's/.*"blockers":\[\(.*\)\],"warnings".*/\1/p' "$T/stdout" | sed 's/},{/}\n{/g'; }
# has_blocker NAME TEXT: exit 1 and a blocker NAME whose detail contains TEXT.
has_blocker() { [ "$rc" = 1 ] && blockers_of | grep "\"name\":\"$1\"" | grep -qF -- "$2"; }
# same_set A B: one model, the same name=value properties (libvirt orders them as QEMU's
# dictionary does).
same_set() { [ "$(echo "$1" | tr ',' '\n' | sort)" = "$(echo "$2" | tr ',' '\n' | sort)" ] && [ "${1%%,*}" = "${2%%,*}" ]; }
# verdict_of: exit status, migratable and blocker names of the last run, to compare two runs.
verdict_of() {
    echo "$rc $(sed -n 's/.*"migratable":\([a-z]*\),.*/\1/p' "$T/stdout")" \
        "$(blockers_of | sed -n 's/^{"name":"\([^"]*\)".*/\1/p' | sort | tr '\n' ' ')"
}
# same_as_model DESC GUESTFILE FILES...: compare --guest equals compare --model of its string.
same_as_model() {
    desc=$1 g=$2
    shift 2
    run compare --format json --guest "$g" "$@"
    s=$(cpu_of) a=$(verdict_of)
    run compare --format json --model "$s" "$@"
    b=$(verdict_of)
    if [ "$a" = "$b" ]; then ok "$desc: the verdict of compare --model '$(echo "$s" | cut -c1-40)...' ($a)"; else
        not_ok "$desc" "--guest: $a; --model: $b"
    fi
}

# ---- custom: the model and features libvirt passes through ----
for v in 9.0 11.3; do
    run compare --format json --guest "$D/cpu-s390-zEC12.xml" "$T/z16.xml"
    check "cpu-s390-zEC12: -cpu $(cpu_of), as libvirt $v's argv" test "$(cpu_of)" = "$(expected cpu-s390-zEC12 $v)"
done
same_as_model "cpu-s390-zEC12 on the z16" "$D/cpu-s390-zEC12.xml" "$T/z16.xml"
same_as_model "cpu-s390-zEC12 from the z16 to the z13" "$D/cpu-s390-zEC12.xml" "$T/z16.xml" "$T/z13.xml"
# The z15 libvirt recorded lacks zEC12 defaults (ri, edat2, ipter, cmm): with it as the source the
# verdict names the source, where compare --model refuses a model the source cannot run.
run compare --format json --guest "$D/cpu-s390-zEC12.xml" "$T/z15.xml" "$T/z13.xml"
check "cpu-s390-zEC12 from libvirt's z15: the source cannot run it, a verdict (exit 1)" \
    has_blocker ri "the source"
# libvirt's test turns on dfppc, which no QEMU has in zEC12's full set: QEMU refuses the string,
# and so does compare, naming the file.
run compare --guest "$D/cpu-s390-features.xml" "$T/z16.xml"
check "cpu-s390-features: exit 2, one line naming the file and dfppc" \
    sh -c "[ $rc = 2 ] && [ \$(wc -l <'$T/stderr') = 1 ] && grep -q 'cpu-s390-features.xml: .*dfppc' '$T/stderr'"
check "  ... the string refused is libvirt's argv (9.0 and 11.3 alike)" sh -c \
    "[ '$(expected cpu-s390-features 9.0)' = '$(expected cpu-s390-features 11.3)' ] &&
     grep -qF \"'$(expected cpu-s390-features 9.0)'\" '$T/stderr'"
"$CPUCOMPAT" compare --model "$(expected cpu-s390-features 9.0)" "$T/z16.xml" >/dev/null 2>&1
check "  ... (compare --model of it: exit 2)" test $? = 2

# ---- host-model: libvirt's expansion of the source's host model ----
run compare --guest "$D/host-model-domain.xml" "$T/z16.xml"
check "host-model with one file: exit 2, one line saying it needs the source" \
    sh -c "[ $rc = 2 ] && grep -q 'host-model guest takes its CPU from the source host' '$T/stderr'"
run compare --format json --guest "$D/host-model-domain.xml" "$T/z16.xml" "$T/z16.xml"
check "host-model on libvirt's z16 (QEMU 10.0): libvirt 11.3's argv" \
    same_set "$(cpu_of)" "$(expected host-model-domain 11.3)"
same_as_model "host-model z16 to z16" "$D/host-model-domain.xml" "$T/z16.xml" "$T/z16.xml"
same_as_model "host-model z15 to z16" "$D/host-model-domain.xml" "$T/z15.xml" "$T/z16.xml"
same_as_model "host-model z16 to z13" "$D/host-model-domain.xml" "$T/z16.xml" "$T/z13.xml"
run compare --format json --guest "$D/cpu-model-deprecated-features-off.xml" "$T/z16.xml" "$T/z16.xml"
check "deprecated_features='off' on the z16: libvirt 11.3's argv (csske, bpb, te, cte off)" \
    same_set "$(cpu_of)" "$(expected cpu-model-deprecated-features-off 11.3)"
check "  ... and it runs" test "$rc" = 0
run compare --format json --guest "$D/cpu-model-deprecated-features-off.xml" "$T/z15.xml" "$T/z15.xml"
check "deprecated_features with QEMU 8.2 (libvirt: 'toggling deprecated features ... unsupported'): a blocker" \
    has_blocker deprecated_features "first in 9.1"

# The migration XML: libvirt has rewritten host-model into custom + features (require/disable,
# virQEMUCapsInitCPUModelS390); it is judged with one file, the destination's.
migration_xml() { # migration_xml HOSTCPU > domain
    echo "<domain type='kvm'><name>g</name><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os>"
    echo "<cpu mode='custom' match='exact' check='partial'><model fallback='forbid'>${1%%,*}</model>"
    echo "${1#*,}" | tr ',' '\n' | sed "s/^\(.*\)=on$/<feature policy='require' name='\1'\/>/; s/^\(.*\)=off$/<feature policy='disable' name='\1'\/>/"
    echo "</cpu></domain>"
}
migration_xml "$(hostcpu 8.2)" >"$T/mig15.xml"
migration_xml "$H10" >"$T/mig16.xml"
same_as_model "a z15 host-model guest as migrated, on the z16" "$T/mig15.xml" "$T/z16.xml"
same_as_model "a z16 host-model guest as migrated, on the z15" "$T/mig16.xml" "$T/z15.xml"
run compare --format json --guest "$T/mig15.xml" "$T/z16.xml"
check "  ... the z15 guest runs on the z16" test "$rc" = 0
run compare --format json --guest "$T/mig16.xml" "$T/z15.xml"
check "  ... the z16 guest does not run on the z15: the generation blocks it" has_blocker type newer

# inventory --guest over a mixed fleet: the s390x classes judge it, the x86 one takes none.
mkdir "$T/fleet"
cp "$T/z15.xml" "$T/z16.xml" "$T/z13.xml" "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml" "$T/fleet/"
run inventory --guest "$T/mig15.xml" "$T/fleet"
check "inventory --guest of the z15 guest over z15, z16, z13 and an x86 host: the z15 and the z16" \
    grep -q "can go to 2 hosts" "$T/stdout"

# ---- host-passthrough ----
pt() { echo "<domain type='kvm'><os><type arch='s390x'>hvm</type></os><cpu mode='host-passthrough'$1>$2</cpu></domain>" >"$T/pt.xml"; }
pt "" ""
run compare --guest "$T/pt.xml" "$T/z16.xml"
check "host-passthrough with one file: exit 2" test "$rc" = 2
run compare --format json --guest "$T/pt.xml" "$T/z16.xml" "$T/z16.xml"
check "host-passthrough z16 to z16: runs, -cpu host" test "$rc $(cpu_of)" = "0 host"
run compare --format json --guest "$T/pt.xml" "$T/z15.xml" "$T/z16.xml"
check "host-passthrough z15 to z16: the guest would see another CPU, blocked" \
    has_blocker type "source gen15a, destination gen16a"
pt " migratable='on'" ""
expect_error "host-passthrough migratable='on': libvirt refuses it on s390x, exit 2" \
    "QEMU's s390x CPU has no migratable property" compare --guest "$T/pt.xml" "$T/z16.xml" "$T/z16.xml"

# ---- policies, match, check on a custom guest ----
# cust ATTRS FEATURES: a custom z13 guest
cust() { echo "<domain type='kvm'><os><type arch='s390x'>hvm</type></os><cpu mode='custom'$1><model>z13</model>$2</cpu></domain>" >"$T/c.xml"; }
cust "" "<feature policy='disable' name='vx'/>"
same_as_model "disable vx, on the z13" "$T/c.xml" "$T/z13.xml"
run compare --format json --guest "$T/c.xml" "$T/z13.xml"
check "  ... -cpu z13,vx=off" test "$(cpu_of)" = "z13,vx=off"
cust "" "<feature policy='force' name='vx'/><feature policy='require' name='te'/>"
run compare --format json --guest "$T/c.xml" "$T/z13.xml"
check "force and require: =on (-cpu z13,vx=on,te=on)" test "$(cpu_of)" = "z13,vx=on,te=on"
same_as_model "  ... judged as the string" "$T/c.xml" "$T/z13.xml"
# forbid: libvirt looks the name up in the host model as QEMU's static expansion names it
on=$("$CPUCOMPAT" compare --format json "$T/z13.xml" "$T/z13.xml" |
    sed -n 's/.*"guest":"host model of [^(]*([^,]*,\([^=,]*\)=on.*/\1/p')
cust "" "<feature policy='forbid' name='$on'/>"
run compare --format json --guest "$T/c.xml" "$T/z13.xml"
check "forbid ${on:-?}, which the z13's host model lists: blocked (host CPU provides forbidden feature)" \
    has_blocker "$on" "forbids it"
cust " check='none'" "<feature policy='forbid' name='$on'/>"
run compare --format json --guest "$T/c.xml" "$T/z13.xml"
check "  ... with check='none' libvirt skips the check: runs, $on off" \
    sh -c "[ $rc = 0 ] && grep -q '[ ,]$on=off' '$T/stdout'"
cust "" "<feature policy='forbid' name='stfle'/>"
run compare --guest "$T/c.xml" "$T/z13.xml"
check "forbid stfle, in the base set (the host model names it not): libvirt starts it" test "$rc" = 0
cust "" "<feature policy='optional' name='vx'/>"
expect_error "optional: libvirt refuses it on s390x, exit 2" "policy 'optional': libvirt refuses it on s390x" \
    compare --guest "$T/c.xml" "$T/z13.xml"
cust " match='minimum'" ""
expect_error "match='minimum': libvirt refuses it on s390x, exit 2" "match mode minimum not supported" \
    compare --guest "$T/c.xml" "$T/z13.xml"
cust " match='strict'" ""
same_as_model "match='strict': s390x libvirt checks nothing more" "$T/c.xml" "$T/z13.xml"
# A guest the source cannot run: a verdict naming the source, not an error.
echo "<cpu mode='custom'><model>gen16a</model></cpu>" >"$T/g16.xml"
run compare --format json --guest "$T/g16.xml" "$T/z13.xml" "$T/z16.xml"
check "gen16a guest from the z13 to the z16: the source cannot run it, exit 1" \
    has_blocker type "the source"

# ---- hostile input: exit 2, one line naming the file ----
one_line() { # one_line DESC NEEDLE FILE
    run compare --guest "$3" "$T/z16.xml"
    if [ "$rc" = 2 ] && [ "$(wc -l <"$T/stderr")" = 1 ] && grep -q -- "$2" "$T/stderr" && grep -q "$3" "$T/stderr"; then
        ok "$1"
    else not_ok "$1" "exit $rc" "$(head -3 "$T/stderr")"; fi
}
printf "<domain type='kvm'><cpu mode='custom'><model>z13</model>" >"$T/bad.xml"
one_line "malformed XML: exit 2, one line" "bad.xml" "$T/bad.xml"
cust "" "<feature policy='require' name='vxx'/>"
one_line "an unknown feature: exit 2, named" "vxx" "$T/c.xml"
echo "<cpu mode='custom'><model>z99</model></cpu>" >"$T/m.xml"
one_line "an unknown model: exit 2, named" "z99" "$T/m.xml"
echo "<domain type='kvm'><os><type arch='x86_64'>hvm</type></os><cpu mode='custom'><model>z13</model></cpu></domain>" >"$T/a.xml"
one_line "an x86_64 domain: exit 2" "is for x86_64" "$T/a.xml"
cust "" "<feature policy='require' name='vx'/><feature policy='disable' name='vx'/>"
one_line "a feature given twice: exit 2" "given twice" "$T/c.xml"

# ---- QEMU 10.0 under TCG takes the strings compare takes, and refuses those it refuses ----
# (the host's features aside: TCG's "not available in the current configuration" is a host's
# verdict, not a refusal of the string).
if [ -n "$EMULATED" ] || ! [ -x "$Q10" ]; then
    skip "QEMU 10.0 takes exactly the -cpu strings compare takes" \
        "$([ -n "$EMULATED" ] && echo "a foreign build under $EMULATED" || echo "QEMU 10.0 of bookworm-backports was not fetched (build-aux/qemu-backports build/qemu-10.0)")"
else
    bad=""
    for s in "$(expected cpu-s390-zEC12 11.3)" "$(expected cpu-s390-features 11.3)" "z13,vx=off" \
        "z13,vx=on,te=on" "z13,vxeh=on" "z13,vxx=on" "$(expected host-model-domain 11.3)" \
        "$(expected cpu-model-deprecated-features-off 11.3)"; do
        "$CPUCOMPAT" compare --model "$s" "$T/z16.xml" >/dev/null 2>&1
        ours=$([ $? = 2 ] && echo refused || echo taken)
        err=$(timeout 20 "$Q10" -machine s390-ccw-virtio -accel tcg -cpu "$s" -nodefaults -display none \
            -S -qmp stdio </dev/null 2>&1 >/dev/null | grep -v '^Consider' | head -1)
        case $err in '' | *"not available in the current configuration"* | *"generation is too new"*) qemu=taken ;; *) qemu=refused ;; esac
        [ "$ours" = "$qemu" ] || bad="$bad [$s: compare $ours, QEMU $qemu: $err]"
    done
    check "QEMU 10.0 takes exactly the -cpu strings compare takes (8 strings)${bad:+:$bad}" test -z "$bad"
fi

# ---- the pre-migration hook, as libvirtd drives it on the destination ----
export CPUCOMPAT_HOOK_CONF="$T/hook.conf"
printf 'cpucompat=%s\nhostfile=%s\n' "$CPUCOMPAT" "$T/z15.xml" >"$T/hook.conf"
touch "$T/z15.xml" # newer than this boot: the hook uses it as it is
hook() { # hook DESC STATUS DOMAIN
    sh "$HOOK" g migrate begin - <"$3" >"$T/hout" 2>"$T/herr"
    got=$?
    if [ "$got" = "$2" ] && [ ! -s "$T/hout" ] && { [ "$2" = 0 ] || [ -s "$T/herr" ]; }; then ok "$1 (exit $got)"; else
        not_ok "$1" "exit $got, want $2" "$(head -3 "$T/herr")"; fi
}
hook "hook on the z15: its own host-model guest as migrated runs" 0 "$T/mig15.xml"
hook "hook on the z15: a z16 host-model guest as migrated is refused" 1 "$T/mig16.xml"
check "  ... the first line names the blockers" grep -q "refused: this host cannot run its CPU: type" "$T/herr"
hook "hook on the z15: libvirt's cpu-s390-zEC12 guest is refused (this z15 lacks ri, ...)" 1 \
    "$D/cpu-s390-zEC12.xml"
printf 'cpucompat=%s\nhostfile=%s\n' "$CPUCOMPAT" "$T/z16.xml" >"$T/hook.conf"
touch "$T/z16.xml"
hook "hook on the z16: libvirt's cpu-s390-zEC12 guest runs" 0 "$D/cpu-s390-zEC12.xml"
pt "" ""
hook "hook: a host-passthrough guest is refused in one line (one host cannot tell)" 1 "$T/pt.xml"
check "  ... saying why" grep -q "give SRC and DST" "$T/herr"

# ---- hostile domain XML: the reader x86 and arm64 share, on an s390x domain ----
{ echo "<domain type='kvm'><cpu mode='custom'><model>z13</model>"; head -c 1100000 /dev/zero | tr '\0' ' '; echo "</cpu></domain>"; } >"$T/big.xml"
expect_error "s390x: a domain over the 1 MiB cap" "$T/big.xml" compare --guest "$T/big.xml" "$T/z15.xml"
{ echo "<cpu mode='custom'><model>z13</model>"; i=0; while [ $i -lt 2100 ]; do echo "<feature name='vx' policy='require'/>"; i=$((i + 1)); done; echo "</cpu>"; } >"$T/many.xml"
expect_error "s390x: more than 2048 features" "more than 2048" compare --guest "$T/many.xml" "$T/z15.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE cpu [<!ENTITY m "z13">]>\n<cpu mode="custom"><model>&m;</model></cpu>\n' >"$T/dtd.xml"
expect_error "s390x: DOCTYPE and entities refused" "$T/dtd.xml" compare --guest "$T/dtd.xml" "$T/z15.xml"

done_testing
