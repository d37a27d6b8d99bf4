# compare --guest on arm64: libvirt's own aarch64 domain XMLs (its tests, as libvirt 11.3 formats
# them) become the -cpu string libvirt's own tests expect on QEMU's command line, and are judged
# on the real captures (AWS Graviton2/3/4, Neoverse N1, A64FX, QEMU's max) exactly as
# `compare --model STRING` judges that string, on one host and from one to another. Then what
# libvirt refuses, the hook with arm64 domains, and hostile input.
. "$(dirname "$0")/lib.sh"
A=$TOP/tests/data/arm64
L=$A/libvirt
HOOK=$TOP/data/hooks/qemu

for f in graviton2@linux-6.1 graviton3@linux-6.1 graviton3@linux-6.18 graviton4@linux-6.18 \
    neoverse-n1@linux-6.1 a64fx@linux-6.1 qemu-max@linux-6.1; do
    "$CPUCOMPAT" import arm64-regs "$A/$f.regs" -o "$T/$f.xml" || echo "import $f failed"
done
# What AWS documents of the cores (Graviton2: no SVE; Graviton3: SVE at 256 bits; Graviton4:
# 128 bits) and Fujitsu of the A64FX (128, 256 and 512 bits), recorded as a dump records KVM's
# answers; the Graviton captures show no SVE registers (Firecracker made their vCPUs without it),
# the KVM rig's emulated hosts do, and with their vector lengths recorded the SVE strings can be
# judged there.
with_props "$T/graviton2@linux-6.1.xml" "$T/g2sve.xml" cap-sve=0
with_props "$T/graviton3@linux-6.18.xml" "$T/g3sve.xml" cap-sve=1 sve-vector-lengths="16 32"
with_props "$T/a64fx@linux-6.1.xml" "$T/a64fx-vl.xml" cap-sve=1 sve-vector-lengths="16 32 64"
MAX=$T/qemu-max@linux-6.1.xml
with_props "$MAX" "$T/max-vl128.xml" cap-sve=1 sve-vector-lengths=16
with_props "$MAX" "$T/max-vl512.xml" cap-sve=1 sve-vector-lengths="16 32 48 64"
VL512=$T/max-vl512.xml
HOSTS="graviton3@linux-6.18 graviton4@linux-6.18 neoverse-n1@linux-6.1
a64fx-vl max-vl128 max-vl512 g3sve"
PAIRS="graviton3@linux-6.1:graviton3@linux-6.18 graviton2@linux-6.1:graviton3@linux-6.1
max-vl512:a64fx-vl max-vl128:max-vl512"
# Under the sanitizer or an emulator every run is many times slower: a fixed sample of the hosts
# and pairs (the plain run holds them all).
if [ -n "$SANITIZED$EMULATED" ]; then
    HOSTS="graviton3@linux-6.18 a64fx-vl max-vl512"
    PAIRS="graviton2@linux-6.1:graviton3@linux-6.1 max-vl128:max-vl512"
fi

# strip: a JSON report without its guest (how the guest was given) and notes (the guest file's
# own notes come on top of the string's).
strip() { sed -e 's/"guest":"[^"]*",//' -e 's/,"notes":\[.*\]}$/}/' "$1"; }
# same_verdict DESCRIPTION GUESTFILE STRING FILE...: --guest and --model STRING give one exit
# status and one report (verdict, blockers, warnings and their details, the guest's features),
# or one error.
same_verdict() {
    _d=$1 _g=$2 _s=$3
    shift 3
    run compare --format json --guest "$_g" "$@"
    _grc=$rc
    strip "$T/stdout" >"$T/guest.json"
    sed "s|^cpucompat: $_g: |cpucompat: |" "$T/stderr" >"$T/guest.err"
    run compare --format json --model "$_s" "$@"
    strip "$T/stdout" >"$T/model.json"
    if [ "$_grc" = "$rc" ] && cmp -s "$T/guest.json" "$T/model.json" &&
        cmp -s "$T/guest.err" "$T/stderr"; then
        ok "$_d (exit $rc)"
    else
        not_ok "$_d" "--guest exit $_grc, --model exit $rc" "$(head -c 300 "$T/guest.json" "$T/guest.err")" \
            "$(head -c 300 "$T/model.json" "$T/stderr")"
    fi
}
# cpu_string FILE: the -cpu string the report of `compare --guest FILE` names ("" without one).
cpu_string() { sed -n 's/.*"guest":"libvirt [^"]*: -cpu \([^"]*\)".*/\1/p' "$T/stdout"; }

# ---- libvirt's own cases: the string libvirt's tests expect, then the verdicts ----
while read -r name release want; do
    case $name in '#'* | '') continue ;; esac
    f=$L/$name.xml
    case $want in
    error:*)
        expect_error "$name (libvirt $release refuses it): exit 2 with libvirt's reason" \
            "${want#error: }" compare --guest "$f" "$T/graviton3@linux-6.1.xml"
        check "  ... the one line names the file" grep -qF "$f" "$T/stderr"
        continue
        ;;
    esac
    run compare --format json --guest "$f" "$VL512"
    check "$name: -cpu $want, as libvirt $release's tests expect" test "$(cpu_string)" = "$want"
    # A string seen before (9.0 and 11.3 agree) is judged once.
    grep -qxF "$want" "$T/judged" 2>/dev/null && continue
    echo "$want" >>"$T/judged"
    for h in $HOSTS; do
        same_verdict "$name on $h: as --model '$want'" "$f" "$want" "$T/$h.xml"
    done
    for p in $PAIRS; do
        same_verdict "$name from ${p%%:*} to ${p#*:}: as --model '$want'" "$f" "$want" \
            "$T/${p%%:*}.xml" "$T/${p#*:}.xml"
    done
done <"$L/expected.txt"

# The verdicts themselves, not only their agreement.
run compare --guest "$L/aarch64-features-sve.xml" "$T/g3sve.xml"
check "sve512 on a Graviton3 (SVE at 256 bits): QEMU refuses it there, a blocker, exit 1" \
    sh -c "[ $rc = 1 ] && grep -q 'cannot enable sve512' '$T/stdout'"
run compare --guest "$L/aarch64-features-sve.xml" "$T/a64fx-vl.xml"
check "... and runs on an A64FX (128, 256, 512 bits, so sve384=off takes nothing away)" \
    test "$rc" = 0
run compare --guest "$L/aarch64-cpu-passthrough.xml" "$T/graviton3@linux-6.1.xml" \
    "$T/graviton3@linux-6.18.xml"
check "host-passthrough, Graviton3 from Linux 6.1 to 6.18: migratable" test "$rc" = 0
run compare --guest "$L/aarch64-cpu-passthrough.xml" "$T/graviton3@linux-6.1.xml" \
    "$T/graviton2@linux-6.1.xml"
check "host-passthrough, Graviton3 to Graviton2: not migratable, the registers named" \
    sh -c "[ $rc = 1 ] && grep -q '^  ID_AA64ISAR0_EL1' '$T/stdout'"
"$CPUCOMPAT" compare --guest - "$T/graviton3@linux-6.1.xml" <"$L/aarch64-cpu-passthrough.xml" \
    >/dev/null 2>&1
check "--guest - reads standard input" test "$?" = 0

# inventory --guest on a fleet of both architectures: the arm64 hosts compare --guest accepts; an
# x86 host does not read an aarch64 domain and does not take it.
mkdir -p "$T/fleet"
cp "$T/graviton3@linux-6.1.xml" "$T/graviton2@linux-6.1.xml" "$T/fleet/"
"$CPUCOMPAT" import libvirt-cpudata "$TOP/tests/data/x86/libvirt/x86_64-cpuid-Core-i7-8700.xml" \
    -o "$T/fleet/i7.xml"
run inventory --guest "$L/aarch64-features-pauth.xml" "$T/fleet"
check "inventory --guest of an arm64 domain on a mixed fleet: the two arm64 hosts, exit 0" \
    sh -c "[ $rc = 0 ] && grep -q 'can go to 2 hosts' '$T/stdout' && ! grep -q '^  .*i7.xml' '$T/stdout'"

# ---- domains in libvirt's shape for what its tests lack: the PMU, maximum, a bare <cpu> ----
# domain CPU [FEATURES]: libvirt's aarch64-cpu-passthrough domain with that <cpu> element and,
# when given, those <features> children.
domain() {
    sed -e "s|<cpu mode='host-passthrough' check='none'/>|$1|" \
        -e "s|<features>|<features>${2-}|" "$L/aarch64-cpu-passthrough.xml"
}
G3=$T/graviton3@linux-6.1.xml
for c in "pmu-off|<cpu mode='host-passthrough' check='none'/>|<pmu state='off'/>|host,pmu=off" \
    "pmu-on|<cpu mode='host-passthrough' migratable='off'/>|<pmu state='on'/>|host,pmu=on" \
    "maximum|<cpu mode='maximum' check='none'/>||max" \
    "pauth-forbid|<cpu mode='host-passthrough'><feature policy='forbid' name='pauth'/><feature policy='optional' name='sve'/></cpu>||host,pauth=off" \
    "sve-lengths|<cpu mode='host-passthrough'><feature policy='optional' name='sve'/><feature policy='require' name='sve128'/></cpu>||host,sve=on,sve128=on"; do
    IFS='|' read -r n cpu feats want <<EOF
$c
EOF
    domain "$cpu" "$feats" >"$T/$n.xml"
    run compare --format json --guest "$T/$n.xml" "$VL512"
    check "$n: -cpu $want" test "$(cpu_string)" = "$want"
    same_verdict "$n on an A64FX: as --model '$want'" "$T/$n.xml" "$want" "$T/a64fx-vl.xml"
    same_verdict "$n from QEMU's max (128-bit SVE) to an A64FX: as --model '$want'" "$T/$n.xml" \
        "$want" "$T/max-vl128.xml" "$T/a64fx-vl.xml"
done
run compare --guest "$T/pauth-forbid.xml" "$G3"
check "forbid is =off on arm64, and a note says why" grep -q "^note .*policy forbid is pauth=off" "$T/stdout"
grep "<cpu " "$T/pmu-off.xml" >"$T/bare.xml"
run compare --format json --guest "$T/bare.xml" "$VL512"
check "a bare <cpu> has no domain around it: no pmu=off" test "$(cpu_string)" = host

# ---- what libvirt refuses for an aarch64 KVM guest: exit 2, one line naming file and token ----
refused() { # DESCRIPTION WORDS CPU [FEATURES]
    domain "$3" "${4-}" >"$T/r.xml"
    expect_error "$1" "$2" compare --guest "$T/r.xml" "$G3"
    check "  ... naming the file" grep -qF "$T/r.xml" "$T/stderr"
}
refused "host-model: libvirt has no host model on arm64" "mode='host-model'" \
    "<cpu mode='host-model' check='partial'/>"
refused "host-passthrough migratable='on': no such QEMU property on arm64" "migratable='on'" \
    "<cpu mode='host-passthrough' migratable='on'/>"
refused "libvirt's CPU map name as a guest model (Neoverse-N1)" \
    "CPU model Neoverse-N1 is not supported by hypervisor" \
    "<cpu mode='custom' match='exact'><model fallback='forbid'>Neoverse-N1</model></cpu>"
refused "a QEMU model KVM does not run (neoverse-n1)" "refuses neoverse-n1 under KVM" \
    "<cpu mode='custom' match='exact'><model fallback='forbid'>neoverse-n1</model></cpu>"
refused "a model nobody knows, with the nearest name" "unknown CPU model 'cortex-a99' (did you mean" \
    "<cpu mode='custom'><model>cortex-a99</model></cpu>"
refused "an unknown feature, with the nearest name" "unknown libvirt feature 'sve129' (did you mean" \
    "<cpu mode='host-passthrough'><feature policy='require' name='sve129'/></cpu>"
refused "an x86 feature" "unknown CPU feature: avx2" \
    "<cpu mode='host-passthrough'><feature policy='require' name='avx2'/></cpu>"
refused "<maxphysaddr> is x86 only" "maxphysaddr" \
    "<cpu mode='host-passthrough'><maxphysaddr mode='passthrough'/></cpu>"
refused "an unknown policy" "unknown policy 'maybe'" \
    "<cpu mode='host-passthrough'><feature policy='maybe' name='sve'/></cpu>"
refused "a feature given twice" "given twice" \
    "<cpu mode='host-passthrough'><feature name='sve'/><feature policy='disable' name='sve'/></cpu>"
refused "an unknown pmu state" "<pmu state='of'>" "<cpu mode='host-passthrough'/>" "<pmu state='of'/>"
refused "a model property QEMU lacks (vendor_id)" "QEMU has no property 'vendor'" \
    "<cpu mode='custom'><model vendor_id='GenuineIntel'>max</model></cpu>"
sed "s/arch='aarch64'/arch='x86_64'/" "$L/aarch64-cpu-passthrough.xml" >"$T/x86dom.xml"
expect_error "a domain of another architecture" "x86_64 guest" compare --guest "$T/x86dom.xml" "$G3"
printf '<domain type="kvm"><cpu mode="host-passthrough">' >"$T/bad.xml"
expect_error "malformed XML" "$T/bad.xml" compare --guest "$T/bad.xml" "$G3"
printf "<cpu mode='custom'><model>cortex&#10;a57</model></cpu>\n" >"$T/nl.xml"
expect_error "a line break in a model name (a character reference) stays out of the one line" \
    "control character" compare --guest "$T/nl.xml" "$G3"
printf "<cpu mode='host-passthrough'><feature name='sve' policy='re&#10;quire'/></cpu>\n" >"$T/nl.xml"
expect_error "... and in a policy" "unknown policy '?'" compare --guest "$T/nl.xml" "$G3"
{ echo "<cpu mode='host-passthrough'>"; head -c 1100000 /dev/zero | tr '\0' ' '; echo "</cpu>"; } >"$T/big.xml"
expect_error "over the 1 MiB cap" "$T/big.xml" compare --guest "$T/big.xml" "$G3"

# ---- the libvirt QEMU hook on an arm64 destination, driven as libvirtd drives it ----
export CPUCOMPAT_HOOK_CONF="$T/hook.conf"
hook() { # DESCRIPTION STATUS DOMAINFILE HOSTFILE
    printf 'cpucompat=%s\nhostfile=%s\n' "$CPUCOMPAT" "$4" >"$T/hook.conf"
    touch "$4" # newer than this boot: not dumped again
    sh "$HOOK" aarch64test migrate begin - <"$3" >"$T/hout" 2>"$T/herr"
    got=$?
    if [ "$got" = "$2" ] && [ ! -s "$T/hout" ] && { [ "$2" = 0 ] || [ -s "$T/herr" ]; }; then
        ok "hook: $1 (exit $got)"
    else
        not_ok "hook: $1" "exit $got, want $2" "$(head -4 "$T/herr")"
    fi
}
hook "a host-passthrough guest arriving on a Graviton3: accepted" 0 \
    "$L/aarch64-cpu-passthrough.xml" "$T/graviton3@linux-6.18.xml"
hook "the SVE guest on a Graviton3 (SVE at 256 bits; it asks for 512): refused" 1 \
    "$L/aarch64-features-sve.xml" "$T/g3sve.xml"
check "  ... the first line names the blocker" \
    test "$(head -1 "$T/herr")" = "cpucompat hook: migration of aarch64test refused: this host cannot run its CPU: -cpu"
check "  ... and QEMU's reason follows" grep -q "cannot enable sve512" "$T/herr"
domain "<cpu mode='host-passthrough' check='none'><feature policy='require' name='sve'/></cpu>" \
    >"$T/sve-on.xml"
hook "an SVE guest on QEMU's max with 128-bit SVE: accepted" 0 "$T/sve-on.xml" "$T/max-vl128.xml"
hook "... and on a Graviton2 (no SVE): refused" 1 "$T/sve-on.xml" "$T/g2sve.xml"
check "  ... with KVM's reason" grep -q "'sve' feature not supported by KVM on this host" "$T/herr"
hook "the PMU-off guest on a Graviton3: accepted" 0 "$T/pmu-off.xml" "$T/graviton3@linux-6.18.xml"
domain "<cpu mode='host-model' check='partial'/>" >"$T/hm.xml"
hook "a host-model guest (libvirt refuses it on arm64): refused in one line" 1 "$T/hm.xml" "$G3"
check "  ... saying why" test "$(wc -l <"$T/herr")" = 1 -a -n "$(grep "mode='host-model'" "$T/herr")"
done_testing
