# cpucompat validates with a copy of the schema whose typed property choices are folded into one
# generic group (core/prop_types.c: libxml2 compiled each group's patterns for every property it
# tried, most of a file's reading time); its own check of every property must then refuse
# exactly what the full schema refuses. The referee is xmllint with the schema as written, over
# property names and values at every edge of the x86 and arm64 groups.
. "$(dirname "$0")/lib.sh"
RNG=$TOP/data/schema/capabilities.rng
command -v xmllint >/dev/null || {
    skip "folded schema refuses what the full schema refuses" "xmllint is not installed"
    done_testing
    exit $?
}
"$CPUCOMPAT" import arm64-regs "$TOP/tests/data/arm64/graviton2@linux-6.18.regs" -o "$T/arm.xml"
cp "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml" "$T/x86.xml"
mkdir "$T/m"
# Names: every typed name and name pattern, their near misses, and the untyped rest.
python3 - "$T" <<'PY'
import itertools, re, sys
t = sys.argv[1]
names = ["phys-bits", "tsc-khz", "kvm-api-version", "xcomp-guest-supp", "ipa-limit",
         "vcpu-features", "sve-vector-lengths", "cap-arm-sve", "cap-", "cap-ARM", "cap-a_b",
         "writable-mask-ID_AA64PFR0_EL1", "writable-mask-id", "kvm-host-value-ID_X.MPAM",
         "kvm-host-value-ID_X", "kvm-host-value-", "capx", "other", "phys-bitsx", "x-cap-a"]
values = ["1", "0", "40", "52", "53", "256", "4294967296", "0x1", "0x0123456789abcdef",
          "0x0123456789abcdef0", "0xAB", "none", "16 32", "16  32", "", "x" * 256, "x" * 257,
          "\u00fc" * 256, "\u00fc" * 257, "+1", "01"]
n = 0
for arch in ("x86", "arm"):
    text = open("%s/%s.xml" % (t, arch), encoding="utf-8").read()
    anchor = '<property name="kvm-api-version"' if arch == "x86" else '<property name="kernel-release"'
    at = text.index(anchor)
    for name, value in itertools.product(names, values):
        prop = '<property name="%s" value="%s"/>' % (name, value)
        # A name the file has takes the new value (a second one is refused for being twice).
        old = re.search(r'<property name="%s" value="[^"]*"/>' % re.escape(name), text)
        out = (text[:old.start()] + prop + text[old.end():] if old
               else text[:at] + prop + "\n    " + text[at:])
        with open("%s/m/%s-%04d.xml" % (t, arch, n), "w", encoding="utf-8") as f:
            f.write(out)
        n += 1
PY
total=$(ls "$T/m" | wc -l)
# The full schema's verdict per file, and cpucompat's (inventory: one process, errors[] by file).
(cd "$T/m" && xmllint --noout --relaxng "$RNG" *.xml 2>&1 | sed -n 's/ fails to validate$//p' | sort) \
    >"$T/full-refuses"
"$CPUCOMPAT" inventory --format json "$T/m" >"$T/inv.json" 2>/dev/null
python3 - "$T/inv.json" <<'PY' | sort >"$T/ours-refuses"
import json, os, sys
for e in json.load(open(sys.argv[1]))["errors"]:
    print(os.path.basename(e["file"]))
PY
if [ "$total" -gt 500 ] && [ -s "$T/full-refuses" ] && [ "$(wc -l <"$T/full-refuses")" -lt "$total" ]; then
    ok "$total mutated files, of which the full schema refuses $(wc -l <"$T/full-refuses")"
else
    not_ok "mutated files with both verdicts" "$total files, $(wc -l <"$T/full-refuses") refused"
fi
if cmp -s "$T/full-refuses" "$T/ours-refuses"; then
    ok "cpucompat refuses exactly the files the full schema refuses"
else
    not_ok "cpucompat refuses exactly the files the full schema refuses" \
        "$(diff "$T/full-refuses" "$T/ours-refuses" | head -6 | tr '\n' ' ')" \
        "$(for f in $(diff "$T/full-refuses" "$T/ours-refuses" | sed -n 's/^[<>] //p' | head -3); do
            grep -o '<property name="[^"]*" value="[^"]\{0,20\}' "$T/m/$f" | head -1
        done | tr '\n' ' ')"
fi
done_testing
