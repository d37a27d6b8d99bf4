# A binary stands alone: with no data directory anywhere it reads the catalogs and schema built
# into it, and answers as it does from data/; a data directory, when given, still wins. Run by
# make check-foreign too, where the static aarch64 and s390x binaries run under qemu-user.
. "$(dirname "$0")/lib.sh"
D=$TOP/data

# solo ARGS...: cpucompat with no data directory given, from a folder without one.
solo() { (cd "$T" && env -u CPUCOMPAT_DATADIR "$CPUCOMPAT" "$@"); }

solo --version >"$T/version" 2>"$T/version.err"
if ! grep -q '^data: built into the binary' "$T/version"; then
    # Only an installed data directory (the compiled-in one) comes before the built-in copy.
    skip "built-in data" "an installed data directory is found first: $(sed -n 's/^data: //p' "$T/version")"
    done_testing
    exit
fi
ok "--version with no data directory says the data is built in"

# --version names the catalogs' releases as the data files record them (read here with xmllint).
attrs() { xmllint --xpath "$2" "$1" | sed 's/^[^"]*"//; s/"$//' | tr ' ' '\n'; }
line_values() { sed -n "s/^  $1: //p" "$T/version" | sed 's/, /\n/g'; }
want=$(for f in "$D"/x86/models/*.xml; do attrs "$f" '//version/@qemu'; done | sort -u)
got=$(line_values 'x86_64 CPU models, QEMU' | sort)
check "--version: the x86 model tables' QEMU releases ($(echo $want))" test "$got" = "$want"
want=$(attrs "$D/x86/libvirt-cpu-map.xml" '/libvirt-cpu-map/@releases' | sort)
got=$(line_values 'x86_64 libvirt CPU map' | sort)
check "--version: the libvirt CPU map's releases ($(echo $want))" test "$got" = "$want"
want=$(attrs "$D/arm64/idregs.xml" '//kernel/@since' | sort)
got=$(line_values 'aarch64 kernel rule sets, Linux' | sort)
check "--version: the arm64 kernel rule sets ($(echo $want))" test "$got" = "$want"
want=$(attrs "$D/s390x/models.xml" '/s390x-models/@qemu')
got=$(line_values 's390x CPU models, QEMU')
check "--version: the s390x model table's QEMU release ($want)" test "$got" = "$want"
"$CPUCOMPAT" --data-dir "$D" --version >"$T/version.dir"
check "--version with --data-dir names the directory" grep -qx "data: $D" "$T/version.dir"
check "--version: the same catalogs from the directory as built in" \
    test "$(sed 1,2d "$T/version.dir")" = "$(sed 1,2d "$T/version")"

# same DESCRIPTION ARGS...: the built-in answer (stdout, exit status) is the data directory's.
same() {
    d=$1
    shift
    solo "$@" >"$T/solo.out" 2>"$T/solo.err"
    rs=$?
    "$CPUCOMPAT" --data-dir "$D" "$@" >"$T/dir.out" 2>"$T/dir.err"
    rd=$?
    if [ "$rs" -eq "$rd" ] && [ "$rs" -le 1 ] && cmp -s "$T/solo.out" "$T/dir.out"; then
        ok "$d"
    else
        not_ok "$d" "exit $rs built in, $rd from data/" "$(head -3 "$T/solo.err")" \
            "$(diff "$T/dir.out" "$T/solo.out" | head -5)"
    fi
}

# x86: named models (catalog, schema on reading back), compare, models.
solo expand Skylake-Server-v4 -o "$T/sky.xml" && solo expand EPYC-Rome -o "$T/rome.xml"
check "x86: expand writes files with built-in data" test -s "$T/sky.xml" -a -s "$T/rome.xml"
same "x86: compare as from data/" compare --format json "$T/sky.xml" "$T/rome.xml"
same "x86: models as from data/" models --format json "$T/sky.xml"
same "x86: show as from data/" show --format json "$T/sky.xml"
# s390x: the model table and features.
solo expand z14.2 -o "$T/z14.xml" && solo expand gen15a -o "$T/z15.xml"
same "s390x: compare as from data/" compare --format json "$T/z14.xml" "$T/z15.xml"
same "s390x: baseline as from data/" baseline --format json "$T/z14.xml" "$T/z15.xml"
# arm64: the register catalog, the kernels' rules and KVM's setters.
for k in 6.1 6.18; do
    solo import arm64-regs "$TOP/tests/data/arm64/graviton3@linux-$k.regs" -o "$T/g3-$k.xml"
done
same "arm64: compare graviton3 6.1 -> 6.18 as from data/" compare --format json "$T/g3-6.1.xml" "$T/g3-6.18.xml"
same "arm64: show as from data/" show --format json "$T/g3-6.18.xml"
# The pair's verdict is the one tests/data/arm64/graviton-pairs.txt records.
want=$(awk '$1 == "graviton3@linux-6.1" && $2 == "graviton3@linux-6.18" {print $3}' \
    "$TOP/tests/data/arm64/graviton-pairs.txt")
solo compare "$T/g3-6.1.xml" "$T/g3-6.18.xml" >/dev/null 2>&1
rc=$?
check "arm64: graviton3 6.1 -> 6.18 migratable '$want' with built-in data (exit $rc)" \
    test "$([ "$rc" -eq 0 ] && echo yes || echo no)" = "$want"

# dump of the host this binary runs on (the aarch64 and s390x builds under qemu-user probe
# their emulated CPU): the same file with built-in data as with data/.
if [ -n "$(binary_arch)" ]; then
    (cd "$T" && SOURCE_DATE_EPOCH=1 env -u CPUCOMPAT_DATADIR "$CPUCOMPAT" dump --no-kvm -o "$T/solo-dump.xml")
    SOURCE_DATE_EPOCH=1 "$CPUCOMPAT" --data-dir "$D" dump --no-kvm -o "$T/dir-dump.xml"
    check "dump with built-in data writes what it writes with data/" \
        cmp "$T/solo-dump.xml" "$T/dir-dump.xml"
    # qemu-user's s390x CPU reports no machine type, so show refuses that dump: then the
    # built-in copy must refuse it with the same line.
    if "$CPUCOMPAT" --data-dir "$D" show "$T/solo-dump.xml" >/dev/null 2>"$T/why.err"; then
        same "show of that dump as from data/" show --format json "$T/solo-dump.xml"
    else
        solo show "$T/solo-dump.xml" >/dev/null 2>"$T/solo.err"
        check "show refuses that dump with built-in data as with data/ ($(head -1 "$T/why.err"))" \
            cmp "$T/solo.err" "$T/why.err"
    fi
else
    skip "dump with built-in data" "this binary cannot dump the host it runs on"
fi

# A data directory wins: one lacking a model's file does not fall back to the built-in copy.
cp -r "$D" "$T/data"
rm "$T/data/x86/models/EPYC.xml"
"$CPUCOMPAT" --data-dir "$T/data" expand EPYC-v1 -o "$T/epyc.xml" >/dev/null 2>"$T/err"
rc=$?
check "a --data-dir without EPYC.xml is read, not the built-in copy (exit $rc)" test "$rc" -eq 2
(cd "$T" && CPUCOMPAT_DATADIR="$T/data" "$CPUCOMPAT" expand EPYC-v1 -o "$T/epyc.xml") >/dev/null 2>&1
rc=$?
check "so is \$CPUCOMPAT_DATADIR (exit $rc)" test "$rc" -eq 2
solo expand EPYC-v1 -o "$T/epyc.xml"
check "the built-in copy has EPYC-v1" test -s "$T/epyc.xml"
expect_error "a --data-dir that is not one is an error, not the built-in copy" \
    "not a cpucompat data directory" --data-dir "$T/nowhere" show "$T/sky.xml"

done_testing
