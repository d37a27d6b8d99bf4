"""Tiny QMP client over a QEMU started with -qmp stdio: runs commands, returns their answers."""
import json
import subprocess


def qmp(binary, args, commands, timeout=300):
    proc = subprocess.Popen([binary] + args + ['-nodefaults', '-display', 'none', '-S',
                                               '-qmp', 'stdio'],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines = [{'execute': 'qmp_capabilities'}] + list(commands) + [{'execute': 'quit'}]
    out, err = proc.communicate(''.join(json.dumps(c) + '\n' for c in lines), timeout=timeout)
    answers = [json.loads(l) for l in out.splitlines() if l.strip()]
    answers = [a for a in answers if 'return' in a or 'error' in a]
    if len(answers) < len(lines) - 1:
        raise RuntimeError('QEMU answered %d of %d commands: %s' %
                           (len(answers), len(lines), err.strip()[:300]))
    return answers[1:len(commands) + 1]
