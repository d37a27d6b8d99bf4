# The s390x probe for real: the static s390x cpucompat runs `dump` under ../shared/tools/s390x-run.
# In user mode STFLE reports the facilities of each -cpu model; on a booted Debian s390x kernel
# (--system) the /proc/cpuinfo and /proc/sysinfo path runs too. KVM cannot start under TCG.
. "$(dirname "$0")/../cli/lib.sh"
RIG=${S390X_RUN:-$TOP/../shared/tools/s390x-run}
BIN=$TOP/build/static-s390x/cpucompat
SCHEMA=$TOP/data/schema/capabilities.rng

why=""
[ -x "$RIG" ] || why="the s390x rig is not at $RIG"
[ -z "$why" ] && [ ! -x "$BIN" ] && why="no static s390x build (make static ARCH=s390x)"
if [ -n "$why" ]; then
    skip "dumps under s390x user-mode emulation" "$why"
    skip "dump on a booted s390x kernel" "$why"
    done_testing
    exit $?
fi

# bits FILE ROW: the set bits of a blocks row, as a sorted list.
bits() {
    python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r'\n\s*%s 0x([0-9a-f]+)\n' % re.escape(sys.argv[2]), text)
v = bytes.fromhex(m.group(1)) if m else b''
print(' '.join(str(8 * i + b) for i, c in enumerate(v) for b in range(8) if c & (0x80 >> b)))
PY
}

# User mode: STFLE of the model QEMU emulates must be the STFLE-type features of that very
# model (our expansion of QEMU's -cpu string), plus bits 2 and 138 that QEMU sets with zarch.
for cpu in qemu max z900 z10EC z196 z13 z14.2 gen15a; do
    "$RIG" --cpu "$cpu" --clip "$BIN" --data-dir "$TOP/data" dump --no-kvm >"$T/u.xml" 2>"$T/u.err"
    spec=$(sed -n 's/^s390x-run: --clip: -cpu //p' "$T/u.err")
    [ -n "$spec" ] || spec=$cpu
    case "$cpu" in qemu | max) want="" ;; *)
        "$CPUCOMPAT" expand --arch s390x "$spec" -o "$T/e.xml" 2>>"$T/u.err"
        want=$( (bits "$T/e.xml" fac-mask | tr ' ' '\n'; echo 2; echo 138) | grep . | sort -n -u | tr '\n' ' ')
        ;;
    esac
    got=$(bits "$T/u.xml" stfle | tr ' ' '\n' | sort -n | tr '\n' ' ')
    if ! xmllint --noout --relaxng "$SCHEMA" "$T/u.xml" 2>/dev/null; then
        not_ok "dump under qemu-s390x -cpu $cpu: a valid file" "$(tail -2 "$T/u.err")"
    elif [ -z "$want" ]; then
        check "dump under qemu-s390x -cpu $cpu: STFLE read, no machine type without /proc" \
            sh -c "[ -n '$got' ] && grep -q 'name=\"proc\" value=\"unusable' '$T/u.xml'"
    elif [ "$got" = "$want" ]; then
        ok "dump under qemu-s390x -cpu $cpu: STFLE equals the model's facilities ($(echo $got | wc -w) bits)"
    else
        not_ok "dump under qemu-s390x -cpu $cpu: STFLE differs from the model" "got:  $got" "want: $want"
    fi
    # The query blocks read at user level: the model's functions (bit 0, the query itself, is
    # no feature).
    [ -n "$want" ] || continue
    python3 - "$T/u.xml" "$T/e.xml" >"$T/q.txt" <<'PY'
import re, sys
def rows(path):
    text = open(path).read()
    return {m.group(1): {8 * i + b for i, c in enumerate(bytes.fromhex(m.group(2)))
                         for b in range(8) if c & (0x80 >> b)} - {0}
            for m in re.finditer(r'\n\s*(subfunc-[a-z]+) 0x([0-9a-f]+)', text)}
dump, model = rows(sys.argv[1]), rows(sys.argv[2])
bad = [r for r in dump if dump[r] != model.get(r, set())]
print(len(dump), ' '.join('%s: %s vs %s' % (r, sorted(dump[r]), sorted(model.get(r, set()))) for r in bad))
sys.exit(1 if bad else 0)
PY
    check "... and its $(cut -d' ' -f1 "$T/q.txt") query blocks hold the model's functions" test $? -eq 0
done

# System mode: a Debian s390x kernel, so /proc/cpuinfo and /proc/sysinfo are real.
"$RIG" --system --cpu gen15a --clip --file "$TOP/data:/data" "$BIN" --data-dir /data dump \
    >"$T/sys.xml" 2>"$T/sys.err"
st=$?
if [ "$st" -eq 124 ] || [ "$st" -eq 125 ]; then
    skip "dump on a booted s390x kernel" "the rig could not boot ($(tail -1 "$T/sys.err"))"
else
    check "dump on a booted s390x kernel (gen15a under TCG): a valid file, machine type 8561" \
        sh -c "xmllint --noout --relaxng '$SCHEMA' '$T/sys.xml' 2>/dev/null && grep -q '<type>0x8561</type>' '$T/sys.xml'"
    check "... /proc/sysinfo read: the hypervisor is KVM/Linux (QEMU's STSI)" \
        grep -q 'name="hypervisor" value="KVM/Linux"' "$T/sys.xml"
    check "... no kvm view (no SIE under TCG), and the dump says why" \
        sh -c "! grep -q 'view name=\"kvm\"' '$T/sys.xml' && grep -q 'no kvm view' '$T/sys.err'"
    "$CPUCOMPAT" import s390x-cpuinfo "$TOP/tests/data/s390x/rig-gen15a-clipped.cpuinfo" -o "$T/imp.xml"
    check "... its STFLE list equals the facilities of a /proc/cpuinfo captured on the same rig" \
        test "$(bits "$T/imp.xml" stfle)" = "$(bits "$T/sys.xml" stfle)"
fi
done_testing
