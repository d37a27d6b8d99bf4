# arm64: the kernels fleets run between the Debian ones (6.6 and 6.18 LTS) are judged by rule
# sets of their own, read from their sources (data/arm64/kernel-ftr.xml, kvm-writable.xml),
# not by the nearest lower set with an "uncertain" note; and each set differs from its older
# neighbour where the kernels' own sources do.
. "$(dirname "$0")/lib.sh"
A=$TOP/tests/data/arm64
D=${CPUCOMPAT_DATADIR:-$TOP/data}

# relabel CAPTURE RELEASE NAME: a capture as a host running another kernel release, imported.
relabel() {
    sed "s/^kernel-release .*/kernel-release $2/" "$A/$1.regs" >"$T/$3.regs"
    "$CPUCOMPAT" import arm64-regs "$T/$3.regs" -o "$T/$3.xml"
}
# blockers NAME SRC DST: compare's JSON in $T/NAME.json.
cmp_json() { "$CPUCOMPAT" compare --format json "$T/$2.xml" "$T/$3.xml" >"$T/$1.json"; }

# The releases whose sources the 6.6 and 6.18 sets were read from, as kernel-ftr.xml records them.
for series in 6.6 6.18; do
    rel=$(sed -n "s/.*<kernel release=\"\($series\.[0-9]*\)\".*/\1/p" "$D/arm64/kernel-ftr.xml")
    if [ -z "$rel" ]; then
        not_ok "kernel-ftr.xml records a $series source" "no <kernel release=\"$series.N\">"
        continue
    fi
    relabel graviton3@linux-6.1 "$rel" "host-$series"
    cmp_json "self-$series" "host-$series" "host-$series"
    check "a host on $rel is judged by the Linux $series rules, with no uncertain note" python3 -c "
import json
v = json.load(open('$T/self-$series.json'))
assert 'destination judged by Linux $series rules (its kernel: $rel)' in v['notes'], v['notes']
assert not any(n.startswith('uncertain') or 'lies between' in n for n in v['notes']), v['notes']"
done

# 6.1 -> 6.6: 6.6's KVM takes a VMM's CLIDR_EL1 (set_clidr(), writable ~RES0; 6.1 keeps it
# invariant), so the 6.18 guest's virtual cache layout can go to a 6.6 host of the same silicon
# and not to a 6.1 one; DebugVer is read-only on both (6.6's mask of ID_AA64DFR0_EL1 is PMUVer).
relabel graviton2@linux-6.18 6.18.35 g2-618
relabel graviton2@linux-6.1 6.1.192 g2-61
relabel graviton2@linux-6.1 6.6.80 g2-66
cmp_json down61 g2-618 g2-61
cmp_json down66 g2-618 g2-66
check "Graviton2 6.18 -> 6.1: CLIDR_EL1 and DebugVer block; -> 6.6: only DebugVer" python3 -c "
import json
b61 = sorted(x['name'] for x in json.load(open('$T/down61.json'))['blockers'])
b66 = sorted(x['name'] for x in json.load(open('$T/down66.json'))['blockers'])
assert b61 == ['CLIDR_EL1.Ctype3', 'CLIDR_EL1.ICB', 'CLIDR_EL1.LoC', 'ID_AA64DFR0_EL1.DebugVer'], b61
assert b66 == ['ID_AA64DFR0_EL1.DebugVer'], b66"

# 6.12 -> 6.18: 6.18's ID_FILTERED mask of ID_AA64PFR0_EL1 covers RAS (LOWER_SAFE), which 6.12's
# open-coded mask leaves read-only: Graviton2's RAS 1 can be written on a Graviton3 (RAS 2).
relabel graviton2@linux-6.18 6.18.35 src
relabel graviton3@linux-6.18 6.12.118 g3-612
relabel graviton3@linux-6.18 6.18.35 g3-618
cmp_json on612 src g3-612
cmp_json on618 src g3-618
check "Graviton2 -> Graviton3: RAS 1 -> 2 blocks on 6.12 (read-only), is written on 6.18" python3 -c "
import json
b612 = {x['name']: x for x in json.load(open('$T/on612.json'))['blockers']}
b618 = {x['name']: x for x in json.load(open('$T/on618.json'))['blockers']}
r = b612['ID_AA64PFR0_EL1.RAS']
assert r['reason'] == 'invariant' and 'KVM on Linux 6.12 cannot change' in r['detail'], r
assert 'ID_AA64PFR0_EL1.RAS' not in b618, b618
assert set(b612) - set(b618) == {'ID_AA64PFR0_EL1.RAS'}, (sorted(b612), sorted(b618))"

# Real KVM_GET_ONE_REG values against the rules of their own kernel: KVM hands a guest the
# kernel's sanitised registers, in which a field cpufeature.c has no rule for reads 0. So every
# nonzero field of a Graviton capture must be one its kernel's set tracks (6.1 captures: the
# 6.1.192 rules; the 6.18.30 captures: 6.18.35's), and a set missing a field would show here.
check "every nonzero field of the Graviton captures has a rule in its kernel's set" python3 - \
    "$D/arm64/kernel-ftr.xml" "$A" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
sets = {}
for k in ET.parse(sys.argv[1]).getroot().iter('kernel'):
    series = '.'.join(k.get('release').split('.')[:2])
    sets[series] = {r.get('name'): sum(((1 << int(f.get('width'))) - 1) << int(f.get('lsb'))
                                       for f in r) for r in k.iter('register')}
bad, n = [], 0
for path in glob.glob(os.path.join(sys.argv[2], 'graviton*@linux-*.regs')):
    series = path.rsplit('@linux-', 1)[1][:-len('.regs')]
    for line in open(path):
        w = line.split()
        if len(w) == 2 and w[0] in sets[series] and w[1].startswith('0x'):
            n += 1
            extra = int(w[1], 16) & ~sets[series][w[0]]
            if extra:
                bad.append('%s %s: %#x' % (os.path.basename(path), w[0], extra))
assert n > 100 and not bad, (n, bad)
PY
done_testing
