#!/usr/bin/env python3
"""Runs the shell examples of README.md and checks what they print.

    readme_examples.py README WORKDIR [PATTERN=REASON]...

The convention the README follows (keep it when adding an example):
- An example is a fenced code block whose first line is a prompt: `$ ` (a user's shell), or
  `# cpucompat` / `HOST# cpucompat` (root, or a shell on another host).
- Each prompt line is a command; lines starting with `> ` continue it (as a shell shows them).
  The lines up to the next prompt are what it prints, standard output and standard error
  together, as a terminal shows them; no lines means it prints nothing.
- In the expected output a line that is only `...` stands for any number of lines (none too),
  and `...` inside a line for any text. Trailing blanks do not count.
- A command exits 0 unless its line ends with the comment `# exit status N`; the status is the
  pipeline's under bash's pipefail, i.e. cpucompat's when the filters after it succeed.
- The blocks run in README order in one directory, WORKDIR, so files an example writes (an
  import's -o) are there for the later ones; `tests` there is the repository's tests/, so
  examples name real captures as tests/data/....
- An example that cannot run from files alone is skipped with the reason (SKIP below): it probes
  this machine (`dump`), asks KVM (`verify`), needs root, another host or a libvirt daemon. The
  rest of its block is skipped with it, since it may read what the skipped command wrote.

Prints one line per command: `PASS name`, `FAIL name` followed by `# ` detail lines, or
`SKIP name<TAB>reason`.
"""
import difflib
import re
import subprocess
import sys

PROMPT = re.compile(r"^(\$|[A-Za-z0-9_-]*#) (.*)$")
STATUS = re.compile(r"#\s*exit status (\d+)\s*$")
# What cannot run here, and why (first match wins).
SKIP = [
    (re.compile(r"\bcpucompat dump\b"), "probes this machine: what it prints is this host's"),
    (re.compile(r"\bcpucompat verify\b"), "asks the destination's KVM (arm64 with /dev/kvm)"),
    (re.compile(r"\bvirsh\b"), "needs a libvirt daemon"),
    (re.compile(r"\bssh\b"), "needs another host"),
    (re.compile(r"/var/cache/libvirt"), "reads a libvirt host's cache"),
]


def blocks(lines):
    """Yields (line number, [lines]) of each fenced block."""
    inside, start, body = False, 0, []
    for i, line in enumerate(lines, 1):
        if line.startswith("```"):
            if inside:
                yield start, body
            inside, start, body = not inside, i + 1, []
        elif inside:
            body.append(line)


def examples(lines):
    """Yields (block, line, prompt, command, expected lines) of every example command."""
    for start, body in blocks(lines):
        if not body:
            continue
        first = PROMPT.match(body[0])
        if not first or (first.group(1) != "$" and not first.group(2).startswith("cpucompat")):
            continue
        prompt = first.group(1)
        cmd = None
        for i, line in enumerate(body):
            m = PROMPT.match(line)
            if m and m.group(1) == prompt:
                if cmd is not None:
                    yield cmd
                cmd = [start, start + i, prompt, m.group(2), []]
            elif line.startswith("> ") and not cmd[4]:
                cmd[3] += "\n" + line[2:]
            else:
                cmd[4].append(line)
        yield cmd


def matches(want, got):
    """Whether the lines got fit the pattern lines want (see the convention)."""
    def line_re(w):
        return re.compile("".join(".*" if p == "..." else re.escape(p)
                                  for p in re.split(r"(\.\.\.)", w)) + r"\Z", re.S)
    pats = [None if w.strip() == "..." else line_re(w) for w in want]
    memo = {}

    def fit(i, j):
        if (i, j) not in memo:
            if i == len(pats):
                r = j == len(got)
            elif pats[i] is None:
                r = any(fit(i + 1, k) for k in range(j, len(got) + 1))
            else:
                r = j < len(got) and bool(pats[i].match(got[j])) and fit(i + 1, j + 1)
            memo[(i, j)] = r
        return memo[(i, j)]

    sys.setrecursionlimit(10000)
    return fit(0, 0)


def main():
    readme, work = sys.argv[1], sys.argv[2]
    # More SKIP rules from the caller: PATTERN=REASON.
    for arg in sys.argv[3:]:
        pat, reason = arg.split("=", 1)
        SKIP.append((re.compile(pat), reason))
    with open(readme, encoding="utf-8") as f:
        lines = f.read().split("\n")
    skipped_block = None
    for block, line, prompt, cmd, want in examples(lines):
        name = "README.md:%d: %s" % (line, STATUS.sub("", cmd.split("\n")[0]).rstrip())
        reason = None
        if prompt != "$":
            reason = "runs as root" if prompt == "#" else "runs on the host %s" % prompt[:-1]
        else:
            reason = next((r for pat, r in SKIP if pat.search(cmd)), None)
        if reason is None and skipped_block == block:
            reason = "follows a skipped command in its block"
        if reason:
            skipped_block = block
            print("SKIP %s\t%s" % (name, reason))
            continue
        m = STATUS.search(cmd.split("\n")[0])
        want_rc = int(m.group(1)) if m else 0
        try:
            p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd + "\n"], cwd=work,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
            rc, out = p.returncode, p.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            rc, out = "timeout", ""
        got = [l.rstrip() for l in out.split("\n")]
        if got and got[-1] == "":
            got.pop()
        want = [w.rstrip() for w in want]
        problems = []
        if rc != want_rc:
            problems.append("exit status %s, the README says %d" % (rc, want_rc))
        if not matches(want, got):
            problems.append("the output differs from the README's (- README, + prints):")
            diff = difflib.unified_diff(want, got, "README.md", "output", n=1, lineterm="")
            problems += list(diff)[2:42]
        if problems:
            print("FAIL " + name)
            for p in problems:
                print("# " + p)
        else:
            print("PASS " + name)


if __name__ == "__main__":
    main()
