# cpucompat validates with a copy of the schema in which every attribute and element text the
# schema types as a token (a string of 1 to 256 characters) everywhere it occurs takes any text,
# and checks those lengths itself first (core/token_fold.c: libxml2 built and parsed two length
# facets for every token it checked, half of a file's validation). The referee is xmllint with
# the schema as written, over every such slot (and the text slots beside them) of x86, arm64
# and s390x files, at each edge of the length, counted in characters, with entities, character
# references, CDATA and comments in the value.
. "$(dirname "$0")/lib.sh"
RNG=$TOP/data/schema/capabilities.rng
command -v xmllint >/dev/null || {
    skip "folded tokens refuse what the full schema refuses" "xmllint is not installed"
    done_testing
    exit $?
}
mkdir "$T/src" "$T/m"
"$CPUCOMPAT" import arm64-regs "$TOP/tests/data/arm64/graviton2@linux-6.18.regs" -o "$T/src/arm.xml"
"$CPUCOMPAT" import s390x-cpuinfo "$TOP/tests/data/s390x/rig-gen15a-clipped.cpuinfo" \
    -o "$T/src/s390x.xml"
xz -dc "$TOP/tests/data/x86/domcaps/libvirt-11.3.0-qemu_10.0.0.x86_64.xml.xz" >"$T/dc.xml"
"$CPUCOMPAT" import libvirt-domcaps "$T/dc.xml" -o "$T/src/x86-domcaps.xml"
xz -dc "$TOP/tests/data/x86/qemu/caps_10.0.0_x86_64.xml.xz" >"$T/qc.xml"
"$CPUCOMPAT" import libvirt-qemucaps "$T/qc.xml" -o "$T/src/x86-qemu.xml"
cp "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml" "$T/src/x86.xml"
python3 - "$T" <<'PY'
import os, re, sys
t = sys.argv[1]
# Attributes: every one of these elements (the token slots, and the plain text ones beside
# them); element texts: the identity's.
attrs = {"tool": ["version"], "view": ["source"], "qemu-property": ["name", "value"],
         "reported": ["by"], "model": ["name", "canonical", "blockers"],
         "origin": ["hostname", "kernel", "import-format", "import-file", "model", "base-model",
                    "base", "qemu-binary", "machine"]}
texts = ["midr", "implementer", "part", "manufacturer", "model", "sequence", "brand", "vendor"]
values = ["", " ", "x", "x" * 255, "x" * 256, "x" * 257, "\u00fc" * 256, "\u00fc" * 257,
          "x" * 255 + "&amp;", "x" * 256 + "&amp;", "x" * 255 + "&#252;", "x" * 256 + "&#x20;",
          "a&lt;b", "\u4e2d" * 257]
in_text = ["ab<!-- c -->cd", "<!-- c -->", "x" * 200 + "<!-- c -->" + "x" * 56,
           "x" * 200 + "<!-- c -->" + "x" * 57, "<![CDATA[" + "x" * 257 + "]]>",
           "<![CDATA[" + "x" * 256 + "]]>", "x<b/>"]
n = 0
def put(name, text):
    global n
    with open("%s/m/%s-%04d.xml" % (t, name, n), "w", encoding="utf-8") as f:
        f.write(text)
    n += 1
for src in sorted(os.listdir(t + "/src")):
    text = open("%s/src/%s" % (t, src), encoding="utf-8").read()
    base = src[:-4]
    for el, names in attrs.items():
        for a in names:
            m = re.search(r'<%s\b[^>]*?\s%s="([^"]*)"' % (re.escape(el), re.escape(a)), text)
            if not m:
                continue
            for v in values:
                # A name with white space is refused beyond the schema (capdoc_read.c).
                if a != "name" or v.strip() == v:
                    put(base, text[:m.start(1)] + v + text[m.end(1):])
    for el in texts:
        m = re.search(r'<%s>([^<]*)</%s>' % (el, el), text)
        if not m:
            continue
        for v in values + in_text:
            put(base, text[:m.start(1)] + v + text[m.end(1):])
PY
total=$(ls "$T/m" | wc -l)
(cd "$T/m" && xmllint --noout --relaxng "$RNG" *.xml 2>&1 | sed -n 's/ fails to validate$//p' | sort) \
    >"$T/full-refuses"
"$CPUCOMPAT" inventory --format json "$T/m" >"$T/inv.json" 2>/dev/null
python3 - "$T/inv.json" <<'PY' | sort >"$T/ours-refuses"
import json, os, sys
for e in json.load(open(sys.argv[1]))["errors"]:
    print(os.path.basename(e["file"]))
PY
refused=$(wc -l <"$T/full-refuses")
if [ "$total" -gt 500 ] && [ "$refused" -gt 100 ] && [ "$refused" -lt $((total - 100)) ]; then
    ok "$total mutated files, of which the full schema refuses $refused"
else
    not_ok "mutated files with both verdicts" "$total files, $refused refused"
fi
if cmp -s "$T/full-refuses" "$T/ours-refuses"; then
    ok "cpucompat refuses exactly the files the full schema refuses"
else
    not_ok "cpucompat refuses exactly the files the full schema refuses" \
        "$(diff "$T/full-refuses" "$T/ours-refuses" | head -6 | tr '\n' ' ')" \
        "$(python3 - "$T/inv.json" "$(diff "$T/full-refuses" "$T/ours-refuses" |
            sed -n 's/^> //p' | head -3 | tr '\n' ' ')" <<'PY'
import json, os, sys
want = sys.argv[2].split()
for e in json.load(open(sys.argv[1]))["errors"]:
    if os.path.basename(e["file"]) in want:
        print(e["message"][:200])
PY
)"
fi
# A token too long is refused with the slot and the count, not a line of libxml2's.
f=$(ls "$T/m" | head -1)
sed 's/<tool name="cpucompat" version="[^"]*"/<tool name="cpucompat" version="'"$(printf 'v%.0s' $(seq 257))"'"/' \
    "$T/m/$f" >"$T/long.xml"
"$CPUCOMPAT" show "$T/long.xml" >/dev/null 2>"$T/long.err"
st=$?
if [ "$st" -eq 2 ] && grep -q "line 3: <tool version='vvv.*'>: 257 characters; the schema takes from 1 to 256" "$T/long.err"; then
    ok "a token of 257 characters is refused naming the slot and its length"
else
    not_ok "a token of 257 characters is refused naming the slot and its length" \
        "status $st: $(cat "$T/long.err")"
fi
done_testing
