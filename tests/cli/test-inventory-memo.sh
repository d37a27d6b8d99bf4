# inventory: a reader judges a file that equals one it read before, byte for byte apart from the
# origin's hostname and created values, by what it found then (core/inventory_memo.c). Any other
# difference must give the file its own judgement. Checked against `show`, which judges every
# file alone: each host's class is the fingerprint show prints for its file, on a fleet of
# variants of real captures made to look alike to a careless comparison: the same values
# quoted, spaced or escaped otherwise, a decoy origin in a comment, another QEMU release or
# kernel in the origin, one CPUID bit changed.
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data
F=$T/fleet
mkdir -p "$F"
"$CPUCOMPAT" import arm64-regs "$D/arm64/neoverse-n1@linux-7.2.regs" -o "$T/n1.xml" &&
    "$CPUCOMPAT" import arm64-regs "$D/arm64/cortex-a53@linux-6.1.regs" -o "$T/a53.xml"
check "the arm64 captures import" test "$?" -eq 0
python3 - "$D/x86/hosts/epyc-milan-nested-kvm.xml" "$T/n1.xml" "$T/a53.xml" "$F" <<'PY'
import re, sys
x86, n1, a53, out = sys.argv[1:]
ORIGIN = re.compile(r'<origin [^>]*/>')

def put(name, text):
    open("%s/%s.xml" % (out, name), "w").write(text)

def origin(text, attrs):
    """text with its origin element written from attrs (a list of raw 'name=value' pieces)"""
    return ORIGIN.sub(lambda m: "<origin " + " ".join(attrs) + "/>", text, count=1)

def attrs_of(text):
    return re.findall(r'(\S+?)="([^"]*)"', ORIGIN.search(text).group(0))

attrs_plain = ['%s="%s"' % kv for kv in attrs_of(open(x86).read()) if kv[0] not in ("hostname", "created")]
for base, tag in ((open(x86).read(), "x"), (open(n1).read(), "n"), (open(a53).read(), "a")):
    a = [(k, v) for k, v in attrs_of(base) if k not in ("hostname", "created")]
    plain = ['%s="%s"' % kv for kv in a]
    for i in range(3):  # only the hostname and created differ: one class
        put("%s-same-%d" % (tag, i), origin(base, plain + ['hostname="%s-%d"' % (tag, i),
                                                          'created="2026-12-0%dT01:02:03Z"' % (i + 1)]))
    # the same values, quoted and spaced otherwise, or escaped
    put(tag + "-quoted", origin(base, ["%s = '%s'" % kv for kv in a] +
                              ["hostname =  '%s-q'" % tag, "created='2026-12-05T00:00:00Z'"]))
    put(tag + "-escaped", origin(base, plain + ['hostname="%s&amp;e"' % tag,
                                              'created="2026-12-05T00:00:0&#x30;Z"']))
    # a decoy origin in a comment before the real one
    put(tag + "-decoy", origin(base, plain + ['hostname="%s-d"' % tag,
                                            'created="2026-12-05T00:00:00Z"']).replace(
        "<capabilities", '<!-- <origin hostname="%s-d" created="2026-12-05T00:00:00Z" -->\n'
        "<capabilities" % tag, 1))
    # no hostname at all
    put(tag + "-nameless", origin(base, plain + ['created="2026-12-05T00:00:00Z"']))
    # another QEMU release in the origin (x86 judges features by it)
    for q in ("7.2.0", "10.0.0"):
        put("%s-qemu-%s" % (tag, q), origin(base, [p for p in plain if not p.startswith("qemu-version")]
                                          + ['qemu-version="%s"' % q, 'hostname="%s-%s"' % (tag, q),
                                             'created="2026-12-05T00:00:00Z"']))
# the same bytes with a hostname or time the schema refuses, read after the good ones (by name):
# a file the memory knows is still checked whole
put("z-bad-long-hostname", origin(open(x86).read(), [p for p in attrs_plain] + ['hostname="%s"' % ("h" * 300),
                                                   'created="2026-12-05T00:00:00Z"']))
put("z-bad-created", origin(open(x86).read(), [p for p in attrs_plain] + ['hostname="h-bad"',
                                             'created="yesterday"']))
# x86: one CPUID bit less (leaf 7 EBX bit 1, tsc_adjust, in both views)
text = open(x86).read()
rows = re.findall(r'\n\s*0x00000007 0x00000000 0x[0-9a-f]{8} 0x([0-9a-f]{8})', text)
assert rows, "no leaf 7 row"
changed = re.sub(r'(\n\s*0x00000007 0x00000000 0x[0-9a-f]{8} 0x)([0-9a-f]{8})',
                 lambda m: m.group(1) + "%08x" % (int(m.group(2), 16) & ~0x2), text)
assert changed != text
put("x-one-bit", changed)
# arm64: the other kernel's rules (the kernel-release property)
text = open(n1).read()
kr = re.search(r'<property name="kernel-release" value="([^"]*)"/>', text)
assert kr, "no kernel-release"
put("n-kernel-6.1", text.replace(kr.group(0), '<property name="kernel-release" value="6.1.0-28-arm64"/>'))
PY
check "the variants are written" test "$(ls "$F" | wc -l)" -ge 25
for f in "$F"/z-bad-*.xml; do
    "$CPUCOMPAT" show "$f" >/dev/null 2>&1
    check "show refuses $(basename "$f")" test "$?" -eq 2
done
for f in "$F"/[!z]*.xml; do
    "$CPUCOMPAT" show --format json "$f" >"$T/show.json" || echo "$f show failed"
    printf '%s %s\n' "$(basename "$f")" \
        "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fingerprint"])' "$T/show.json")"
done >"$T/alone" 2>&1
check "show judges every variant" sh -c "! grep -q failed '$T/alone'"
check "... the QEMU release and the kernel change the fingerprint (the test can tell)" python3 -c '
import sys
fp = dict(l.split() for l in open(sys.argv[1]))
assert fp["x-qemu-7.2.0.xml"] != fp["x-qemu-10.0.0.xml"], "x86 QEMU"
assert fp["x-one-bit.xml"] != fp["x-same-0.xml"], "x86 bit"
assert fp["n-kernel-6.1.xml"] != fp["n-same-0.xml"], "arm64 kernel"' "$T/alone"
for jobs in 1 2; do
    run inventory --jobs "$jobs" --format json "$F"
    check "inventory --jobs $jobs: exit 2 for the two refused files, both named in errors" python3 -c '
import json, os, sys
inv = json.load(open(sys.argv[1]))
assert sorted(os.path.basename(e["file"]) for e in inv["errors"]) == ["z-bad-created.xml", "z-bad-long-hostname.xml"], inv["errors"]' "$T/stdout"
    check "... exit status 2" test "$rc" -eq 2
    check "inventory --jobs $jobs: every host in the class show gives its file alone" \
        python3 -c '
import json, os, sys
fp = dict(l.split() for l in open(sys.argv[2]))
inv = json.load(open(sys.argv[1]))
got = {os.path.basename(h["file"]): h["class"] for h in inv["hosts"] + inv.get("superseded", [])}
bad = {f: (got.get(f), fp[f]) for f in fp if got.get(f) != fp[f]}
assert not bad, bad
assert len(inv["classes"]) == len(set(fp.values()))' "$T/stdout" "$T/alone"
done
done_testing
