# Shared by the arm64 KVM rig scripts (test-arm64-kvm*.sh): the static aarch64 cpucompat run on
# Debian arm64 kernels with KVM, booted under emulation by ../shared/tools/arm64-kvm-run, one
# emulated core per "host". The scripts are split so that run-tests boots two hosts at a time.
. "$(dirname "$0")/../cli/lib.sh"
A=$TOP/tests/data/arm64
RIG=${ARM64_KVM_RUN:-$TOP/../shared/tools/arm64-kvm-run}
BIN=$TOP/build/static-aarch64/cpucompat
# Reproducible values: the kernel the reference captures were taken with.
export ARM64_KVM_RUN_KERNEL=${ARM64_KVM_RUN_KERNEL:-linux-image-6.1.0-56-arm64}

dump() { # dump CPU [RIG OPTIONS...]: the dump of that emulated host into $T/CPU.xml
    cpu=$1
    shift
    "$RIG" "$@" --cpu "$cpu" --file "$TOP/data/schema/capabilities.rng:/data/schema/capabilities.rng" \
        --file "$TOP/data/arm64/idregs.xml:/data/arm64/idregs.xml" \
        --file "$TOP/data/arm64/kvm-setters.xml:/data/arm64/kvm-setters.xml" \
        "$BIN" --data-dir /data dump >"$T/$cpu.xml" 2>"$T/$cpu.err"
}

# rig_ready CPU "WHAT..." : dumps CPU on Linux 6.1 into $T/CPU.xml; when the rig cannot run here,
# each WHAT is a SKIP with the reason and the script ends.
rig_ready() {
    rr_cpu=$1
    shift
    why=""
    [ -x "$RIG" ] || why="the arm64 KVM rig is not at $RIG"
    [ -z "$why" ] && [ ! -x "$BIN" ] && why="no static aarch64 build (make static ARCH=aarch64)"
    if [ -z "$why" ]; then
        dump "$rr_cpu"
        status=$?
        [ "$status" -eq 0 ] || why="the rig could not start ($(tail -1 "$T/$rr_cpu.err"))"
        # The rig's own failures (125, 124) are not ours; anything else from cpucompat is.
        case "$status" in 0 | 124 | 125) ;; *) why="" ;; esac
    fi
    [ -n "$why" ] || return 0
    for d in "$@"; do
        skip "$d" "$why"
    done
    done_testing
    exit $?
}

# verify: the source's registers written into a vCPU on the destination. What the destination's
# KVM refuses must be exactly what the offline compare predicted.
# agrees WHAT: the blockers KVM gave ($T/v.json) must be those compare predicted ($T/c.json).
agrees() {
    if python3 "$TOP/tests/rigs/same-blockers.py" "$T/c.json" "$T/v.json" >"$T/same.txt" \
        2>&1 </dev/null; then
        ok "$1: KVM refuses what compare predicted ($(cat "$T/same.txt"))"
    else
        not_ok "$1: KVM and compare disagree" "$(cat "$T/same.txt")" "$(tail -1 "$T/v.err")"
    fi
}

# A boot of the emulated kernel costs more than a verify, so verifies wait in a queue and run
# one boot per emulated host (CPU, kernel and rig options), several programs in it through
# tests/rigs/rig_batch.c; each verify still makes its own VM.
# rig_check SRC CPU WHAT RIG-OPTIONS...: `verify SRC` on an emulated CPU host must refuse what
# compare predicted ($T/c.json, taken now); rig_flush (or rig_done, at the end of a script) runs
# the queue and reports, in its order.
BATCH=$T/batch
rig_check() {
    rc_src=$1 rc_cpu=$2 rc_what=$3
    shift 3
    mkdir -p "$BATCH"
    rc_job=j$(($(cat "$BATCH/queue" 2>/dev/null | wc -l) + 1))
    cp "$rc_src" "$BATCH/$rc_job.xml" && cp "$T/c.json" "$BATCH/$rc_job.c.json" || return 1
    printf '%s\t%s\t%s\n' "$rc_job" "$rc_cpu ${ARM64_KVM_RUN_KERNEL:--} $*" "$rc_what" \
        >>"$BATCH/queue"
}
rig_flush() {
    [ -s "$BATCH/queue" ] || return 0
    tab=$(printf '\t')
    cut -f2 "$BATCH/queue" | awk '!seen[$0]++' >"$BATCH/hosts"
    while IFS= read -r host; do
        rf_cpu=${host%% *} rf_rest=${host#* }
        rf_kernel=${rf_rest%% *} rf_opts=
        case "$rf_rest" in *" "*) rf_opts=${rf_rest#* } ;; esac
        set -- --file "$BATCH/jobs:/in/jobs" --file "$BIN:/cpucompat"
        : >"$BATCH/jobs"
        for job in $(awk -F"$tab" -v h="$host" '$2 == h { print $1 }' "$BATCH/queue"); do
            echo "$job /cpucompat --data-dir /data verify --format json /in/$job.xml" >>"$BATCH/jobs"
            set -- "$@" --file "$BATCH/$job.xml:/in/$job.xml"
        done
        if [ "$rf_kernel" = - ]; then set -- env -u ARM64_KVM_RUN_KERNEL "$RIG" "$@"
        else set -- env ARM64_KVM_RUN_KERNEL="$rf_kernel" "$RIG" "$@"; fi
        "$@" $rf_opts --cpu "$rf_cpu" \
            --file "$TOP/data/schema/capabilities.rng:/data/schema/capabilities.rng" \
            --file "$TOP/data/arm64/idregs.xml:/data/arm64/idregs.xml" \
            --file "$TOP/data/arm64/kvm-setters.xml:/data/arm64/kvm-setters.xml" \
            "$TOP/build/static-aarch64/tests/rig_batch" /in/jobs >"$BATCH/out" 2>>"$BATCH/rig.err"
        python3 "$TOP/tests/rigs/rig-batch-split.py" "$BATCH" <"$BATCH/out" 2>>"$BATCH/rig.err"
    done <"$BATCH/hosts"
    while IFS="$tab" read -r job host what; do
        if [ -f "$BATCH/$job.status" ]; then
            cp "$BATCH/$job.c.json" "$T/c.json"
            cp "$BATCH/$job.out" "$T/v.json"
            cp "$BATCH/$job.err" "$T/v.err"
            agrees "$what"
        else
            not_ok "$what: the rig did not run it" "$(tail -1 "$BATCH/rig.err")"
        fi
    done <"$BATCH/queue"
    rm -rf "$BATCH"
}
# rig_done: the end of a rig script; what is still queued runs first, so no check is lost.
rig_done() {
    rig_flush
    done_testing
}

PAIRS="cortex-a72:neoverse-n1 neoverse-n1:cortex-a72 a64fx:neoverse-n1 neoverse-n1:a64fx"
verify_pairs() { # verify_pairs SUFFIX "SRC:DST..." RIG-OPTIONS... : dumps in $T/CPU$SUFFIX.xml
    sfx=$1 pairs=$2
    shift 2
    for pair in $pairs; do
        pair=$(echo "$pair" | tr ':' ' ')
        set -- $pair "$@"
        src=$1 dst=$2
        shift 2
        # A policy with both MIDRs: identity is the operator's call, and where the kernel lets
        # KVM set it (Linux 7.2), verify asks KVM to take the source's.
        for f in "$T/$src$sfx.xml" "$T/$dst$sfx.xml"; do
            awk '/^ *MIDR_EL1 / { print "0x" substr($3, 11); exit }' "$f"
        done | { printf 'family pair'; while read -r m; do printf ' %s' "$m"; done; echo; } \
            >"$T/policy"
        "$CPUCOMPAT" compare --format json --midr-policy "$T/policy" "$T/$src$sfx.xml" \
            "$T/$dst$sfx.xml" >"$T/c.json"
        rig_check "$T/$src$sfx.xml" "$dst" "$src -> $dst ($kernel)" "$@"
    done
}

# Named models as a VMM gives them (expand --host): KVM itself must refuse exactly the fields
# `models` and `compare` say block the model on that host.
verify_models() { # verify_models CPU SUFFIX "MODEL..." RIG-OPTIONS...
    cpu=$1 sfx=$2 models=$3
    shift 3
    host="$T/$cpu$sfx.xml"
    "$CPUCOMPAT" models --format json "$host" >"$T/models.json"
    for m in $models; do
        "$CPUCOMPAT" expand --host "$host" "$m" -o "$T/model.xml"
        "$CPUCOMPAT" compare --format json "$T/model.xml" "$host" >"$T/c.json"
        # models' flag and compare's blockers are one judgement: usable iff nothing blocks.
        usable=$(python3 -c "import json
u = [x['usable'] for x in json.load(open('$T/models.json'))['models'] if x['name'] == '$m'][0]
n = len(json.load(open('$T/c.json'))['blockers'])
print(u if u == (n == 0) else 'inconsistent')")
        if [ "$usable" = inconsistent ]; then
            not_ok "model $m on $cpu ($kernel): models' usable flag and compare's blockers disagree"
        else
            rig_check "$T/model.xml" "$cpu" "model $m on $cpu ($kernel), usable $usable" "$@"
        fi
    done
}

# Firmware levels: a copy of a host's dump with other PSCI and SMCCC workaround values, written
# into a vCPU of that host. KVM takes lower values and refuses higher ones; compare must agree.
fw_variant() { # fw_variant IN OUT PSCI WA1 WA2 WA3
    python3 - "$@" <<'PY'
import re, sys
src, out, *vals = sys.argv[1:]
text = open(src).read()
for name, v in zip(['FW_PSCI_VERSION'] + ['FW_SMCCC_ARCH_WORKAROUND_%d' % i for i in (1, 2, 3)], vals):
    text = re.sub(r'(%s 0x[0-9a-f]+ )0x[0-9a-f]+' % name, r'\g<1>0x%016x' % int(v, 0), text)
open(out, 'w').write(text)
PY
}
verify_firmware() { # verify_firmware HOSTXML CPU RIG-OPTIONS...
    host=$1 cpu=$2
    shift 2
    psci=$(awk '/ FW_PSCI_VERSION / { print $3 }' "$host")
    for variant in "lower 0x10000 1 0 0" "higher $((psci + 1)) 3 1 2"; do
        set -- $variant "$@"
        name=$1
        fw_variant "$host" "$T/fw.xml" "$2" "$3" "$4" "$5"
        shift 5
        "$CPUCOMPAT" compare --format json "$T/fw.xml" "$host" >"$T/c.json"
        rig_check "$T/fw.xml" "$cpu" "$name firmware levels on $cpu ($kernel)" "$@"
    done
}

# PMU counters: PMCR_EL0.N of the dump moved by DELTA, written into a vCPU of that host.
verify_pmcr() { # verify_pmcr HOSTXML CPU "DELTA..." RIG-OPTIONS...
    host=$1 cpu=$2 deltas=$3
    shift 3
    for delta in $deltas; do
        python3 -c "import re, sys
t = open(sys.argv[1]).read()
f = lambda m: m.group(1) + '0x%016x' % (int(m.group(2), 16) + int(sys.argv[2]) * 2048)
open(sys.argv[3], 'w').write(re.sub(r'( PMCR_EL0 0x[0-9a-f]+ )(0x[0-9a-f]+)', f, t))" \
            "$host" "$delta" "$T/pmcr.xml"
        "$CPUCOMPAT" compare --format json "$T/pmcr.xml" "$host" >"$T/c.json"
        rig_check "$T/pmcr.xml" "$cpu" "PMCR_EL0.N $delta on $cpu ($kernel)" "$@"
    done
}
# KVM's setter quirks (data/arm64/kvm-setters.xml): a copy of the host's dump with one field
# changed, written into a vCPU of that host. What compare predicts (taken and dropped, rewritten,
# refused) must be what KVM does.
verify_field() { # verify_field HOSTXML CPU REG LSB WIDTH VALUE RIG-OPTIONS...
    host=$1 cpu=$2 reg=$3 lsb=$4 width=$5 value=$6
    shift 6
    python3 -c "import re, sys
t = open(sys.argv[1]).read()
lsb, width, value = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
mask = ((1 << width) - 1) << lsb
f = lambda m: m.group(1) + '0x%016x' % ((int(m.group(2), 16) & ~mask) | (value << lsb))
open(sys.argv[6], 'w').write(re.sub(r'( %s 0x[0-9a-f]+ )(0x[0-9a-f]+)' % sys.argv[2], f, t))" \
        "$host" "$reg" "$lsb" "$width" "$value" "$T/field.xml"
    "$CPUCOMPAT" compare --format json "$T/field.xml" "$host" >"$T/c.json"
    rig_check "$T/field.xml" "$cpu" "$reg[$lsb+$width] = $value on $cpu ($kernel)" "$@"
}
