#!/usr/bin/env python3
"""Helpers of test-arm64-guest-view.sh around the output of arm64_guest_view (see there).

  guest-view.py regs IDREGS                  the MRS-able registers: NAME OP0 OP1 CRN CRM OP2
  guest-view.py writes VIEW [CASE]           the case's userspace values as one write list
  guest-view.py regsfile VIEW [CASE] [R:LSB:W=V...]
                                             the same as `cpucompat import arm64-regs` input,
                                             with fields changed (a made-up source)
  guest-view.py agree IDREGS SRCVIEW SRCCASE DSTVIEW DSTCASE COMPARE_JSON [R:LSB:W=V...]
      what the guest read on the source (SRCVIEW's case; the fields given: as written) against
      what it reads on the destination after its VMM wrote the source's values (DSTVIEW's
      case), set beside compare's blockers and warnings. Exit 1 naming every disagreement:
        - a field the guest sees change must be a blocker or a warning;
        - a register KVM refused must be a blocker;
        - a blocker or warning on a register KVM took must be a change the guest sees;
        - a warning's "the guest reads X after the move" must be what the guest reads.
"""
import json
import re
import sys

# The guest's CTR_EL0 on Linux 6.1 is the hardware's (not trapped), not KVM's sanitised value
# userspace reads: a difference between the two views that no VMM write causes.
NOT_JUDGED = {"CTR_EL0"}


def regdefs(idregs):
    text = open(idregs).read()
    defs = {}
    for m in re.finditer(r'<register name="([^"]+)"[^>]*?(?:/>|>(.*?)</register>)', text, re.S):
        if 'firmware="yes"' in m.group(0).split(">")[0]:
            continue
        fields = []
        for f in re.finditer(r'<field name="([^"]+)" lsb="(\d+)" width="(\d+)"([^>]*)>',
                             m.group(2) or ""):
            fields.append((f.group(1), int(f.group(2)), int(f.group(3)),
                           'state="yes"' in f.group(4)))
        enc = re.search(r'op0="(\d+)" op1="(\d+)" crn="(\d+)" crm="(\d+)" op2="(\d+)"',
                        m.group(0).split(">")[0])
        defs[m.group(1)] = (fields, enc.groups() if enc else None)
    return defs


def read_view(path, case):
    """{reg: (user, guest)}, {reg: (written, result)} and the kernel release of one case."""
    regs, sets, release = {}, {}, None
    for line in open(path):
        p = line.split()
        if p and p[0] == "kernel-release":
            release = p[1]
        if len(p) < 4 or p[0] != "case" or int(p[1]) != case:
            continue
        if p[2] == "set":
            sets[p[3]] = (p[4], p[5])
        else:
            regs[p[2]] = (p[4], p[6])
    return regs, sets, release


def num(s):
    return int(s, 16) if s.startswith("0x") else None


def changed(value, edits):
    out = dict(value)
    for e in edits:
        m = re.fullmatch(r"(\w+):(\d+):(\d+)=(\w+)", e)
        reg, lsb, width, v = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4), 0)
        mask = ((1 << width) - 1) << lsb
        out[reg] = (out[reg] & ~mask) | (v << lsb & mask)
    return out


def user_values(view, case):
    regs, _, release = read_view(view, case)
    return {r: num(u) for r, (u, g) in regs.items() if num(u) is not None}, release


def field_of(v, lsb, width):
    return v >> lsb & ((1 << width) - 1)


def agree(idregs, sview, scase, dview, dcase, cjson, edits):
    defs = regdefs(idregs)
    src, _, _ = read_view(sview, int(scase))
    dst, sets, _ = read_view(dview, int(dcase))
    verdict = json.load(open(cjson))
    before = {r: num(g) for r, (u, g) in src.items()}
    before = changed({r: v for r, v in before.items() if v is not None},
                     [e for e in edits])
    named = {}
    for kind in ("blockers", "warnings"):
        for b in verdict.get(kind, []):
            named.setdefault(b["name"], []).append((kind, b))
    bad, seen = [], set()
    for reg, (written, result) in sets.items():
        if reg in NOT_JUDGED or reg not in defs:
            continue
        if result != "ok":
            if not any(n == reg or n.startswith(reg + ".") for n, l in named.items()
                       if any(k == "blockers" for k, _ in l)):
                bad.append("KVM refused %s %s (%s), compare does not block it" %
                           (reg, written, result))
            seen.add(reg)
            continue
        after = num(dst[reg][1])
        b = before.get(reg)
        fields, _ = defs[reg]
        if after is None or b is None:
            if after != b:
                bad.append("%s: the guest read %s, reads %s after the write" %
                           (reg, src.get(reg, ("?", "?"))[1], dst[reg][1]))
            continue
        covered = 0
        for name, lsb, width, state in fields:
            covered |= ((1 << width) - 1) << lsb
            if state:
                continue
            fb, fa = field_of(b, lsb, width), field_of(after, lsb, width)
            full = "%s.%s" % (reg, name)
            if fb != fa:
                seen.add(full)
                if full not in named and reg not in named:
                    bad.append("%s: the guest read %d, reads %d after the move; compare says "
                               "nothing" % (full, fb, fa))
            for kind, w in named.get(full, []):
                if fb == fa:
                    bad.append("%s: %s, but the guest reads %d before and after" %
                               (full, kind[:-1], fa))
                m = re.search(r"the guest reads (\S+) after the move", w["detail"])
                if m and int(m.group(1), 0) != fa:
                    bad.append("%s: compare says the guest reads %s, it reads %d" %
                               (full, m.group(1), fa))
        if (b ^ after) & ~covered:
            seen.add(reg)
        if (b ^ after) & ~covered and reg not in named:
            bad.append("%s: bits %#x outside the fields change for the guest" %
                       (reg, (b ^ after) & ~covered))
        for kind, w in named.get(reg, []):
            if b == after:
                bad.append("%s: %s, but the guest reads %#x before and after" %
                           (reg, kind[:-1], after))
            else:
                seen.add(reg)
            m = re.search(r"the guest reads (\S+) after the move", w["detail"])
            if m and int(m.group(1), 0) != after:
                bad.append("%s: compare says the guest reads %s, it reads %#x" %
                           (reg, m.group(1), after))
    for line in bad:
        print(line)
    if not bad:
        print("%d guest-visible changes, all named; %d warnings, %d blockers" %
              (len(seen), len(verdict.get("warnings", [])), len(verdict.get("blockers", []))))
    return 1 if bad else 0


def main(argv):
    cmd = argv[1]
    if cmd == "regs":
        for name, (fields, enc) in regdefs(argv[2]).items():
            if enc:
                print(name, *enc)
        return 0
    if cmd == "writes":
        vals, _ = user_values(argv[2], int(argv[3]) if len(argv) > 3 else 0)
        print(",".join("%s=0x%x" % (r, v) for r, v in vals.items()))
        return 0
    if cmd == "regsfile":
        vals, release = user_values(argv[2], int(argv[3]) if len(argv) > 3 else 0)
        vals = changed(vals, argv[4:])
        print("kernel-release", release)
        for r, v in vals.items():
            print("%s 0x%016x" % (r, v))
        return 0
    if cmd == "agree":
        return agree(*argv[2:8], argv[8:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
