# inventory over a fleet directory that is rewritten while it is read: hosts' files replaced by
# another host's (atomically, as dump writes them), rewritten in place, removed and put back.
# Each run must exit 0 or 2 with whole JSON, every error one stderr line naming its file, and
# never an answer built from a file that changed under it: every class and every matrix cell
# must be one of the two real hosts' own, as inventory gives them on a quiet copy.
. "$(dirname "$0")/lib.sh"
LV=$TOP/tests/data/x86/libvirt
"$CPUCOMPAT" import libvirt-cpudata "$LV/x86_64-cpuid-Xeon-Gold-6148.xml" -o "$T/a.xml"
"$CPUCOMPAT" import libvirt-cpudata "$LV/x86_64-cpuid-EPYC-7502-32-Core.xml" -o "$T/b.xml"
mkdir "$T/quiet" "$T/fleet"
cp "$T/a.xml" "$T/quiet/a.xml"
cp "$T/b.xml" "$T/quiet/b.xml"
"$CPUCOMPAT" inventory --format json "$T/quiet" >"$T/quiet.json"
check "the quiet fleet: two classes" python3 -c "
import json; d = json.load(open('$T/quiet.json')); assert len(d['classes']) == 2, d['classes']"
n=40
i=0
while [ "$i" -lt "$n" ]; do
    if [ $((i % 2)) -eq 0 ]; then cp "$T/a.xml" "$T/fleet/h$i.xml"; else cp "$T/b.xml" "$T/fleet/h$i.xml"; fi
    i=$((i + 1))
done
# The writer: each step takes a host file and gives it the other CPU, by rename (a new dump
# arriving), by rewriting it in place, or by removing it and putting it back.
python3 - "$T" "$n" <<'PY' &
import os, random, sys, time
t, n = sys.argv[1], int(sys.argv[2])
src = [open(t + '/a.xml', 'rb').read(), open(t + '/b.xml', 'rb').read()]
rng = random.Random(7)
while not os.path.exists(t + '/stop'):
    k = rng.randrange(n)
    path = '%s/fleet/h%d.xml' % (t, k)
    data = src[rng.randrange(2)]
    how = rng.randrange(3)
    if how == 0:
        with open(path + '.new', 'wb') as f:
            f.write(data)
        os.rename(path + '.new', path)
    elif how == 1:
        with open(path, 'r+b' if os.path.exists(path) else 'wb') as f:
            f.truncate(0)
            for o in range(0, len(data), 4096):
                f.write(data[o:o + 4096])
                f.flush()
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        time.sleep(0.001)
        with open(path, 'wb') as f:
            f.write(data)
    time.sleep(0.002)  # a busy writer on a 2-core machine would starve the readers
PY
writer=$!
runs=${CPUCOMPAT_TEST_RUNS:-16}
[ -n "$EMULATED$SANITIZED" ] && runs=6
bad=0 crashes=0 errors=0 lines=0 i=0
while [ "$i" -lt "$runs" ]; do
    run inventory --jobs 2 --format json "$T/fleet"
    case $rc in
    0 | 2) ;;
    *) crashes=$((crashes + 1)) ;;
    esac
    if ! python3 - "$T/stdout" "$T/stderr" "$T/quiet.json" "$T/fleet" "$rc" >>"$T/why" 2>&1 <<'PY'; then
import json, sys
out, err, quiet, fleet, rc = sys.argv[1:]
d = json.load(open(out))
q = json.load(open(quiet))
ids = {c['id'] for c in q['classes']}
cells = {(m['source'], m['destination']): m['migratable'] for m in q['matrix']}
models = {c['id']: c['models'] for c in q['classes']}
for c in d['classes']:
    assert c['id'] in ids, 'a class of neither host: %s' % c['id']
    assert c['models'] == models[c['id']], 'class %s has the models of another host' % c['id']
for m in d['matrix']:
    assert cells[(m['source'], m['destination'])] == m['migratable'], 'matrix cell %s' % m
errs = [l for l in open(err).read().splitlines() if l]
assert len(errs) == len(d['errors']), (errs, d['errors'])
for e in d['errors']:
    # a host file, never the writer's temporary file that was renamed away meanwhile
    assert e['file'].startswith(fleet + '/') and e['file'].endswith('.xml'), e
assert (rc == '2') == bool(d['errors']), (rc, d['errors'])
assert len(d['hosts']) + len(d['errors']) <= 40, 'a file counted twice: %d hosts, %d errors' % (
    len(d['hosts']), len(d['errors']))
print(len(d['errors']))
PY
        bad=$((bad + 1))
    fi
    i=$((i + 1))
done
touch "$T/stop"
wait "$writer"
errors=$(grep -c '^[1-9]' "$T/why" || true)
check "$runs inventories of a fleet rewritten meanwhile: no crash ($errors runs had files that changed)" \
    test "$crashes" -eq 0
if [ "$bad" -eq 0 ]; then
    ok "... each a whole answer from files as they were read: classes, models and matrix of the real hosts"
else
    not_ok "... each a whole answer from files as they were read" "$bad runs wrong" \
        "$(grep -E '^[A-Za-z.]*(Error|Exception)' "$T/why" | sort | uniq -c | head -3)"
fi

# New dumps arriving as every tool writes them (a temporary file, then rename): every host file
# exists at every moment, so every run must cover all of them with no error and exit 0. The
# temporary files come and go during the walk and are no part of the fleet.
rm -f "$T/stop"
python3 - "$T" "$n" <<'PY' &
import os, sys
t, n = sys.argv[1], int(sys.argv[2])
src = [open(t + '/a.xml', 'rb').read(), open(t + '/b.xml', 'rb').read()]
k = 0
while not os.path.exists(t + '/stop'):
    path = '%s/fleet/h%d.xml' % (t, k % n)
    with open(path + '.new', 'wb') as f:
        f.write(src[k % 2])
    os.rename(path + '.new', path)
    k += 1
PY
writer=$!
i=0 bad=0
while [ "$i" -lt "$runs" ]; do
    run inventory --jobs 2 --format json "$T/fleet"
    python3 -c "
import json, sys
d = json.load(open('$T/stdout'))
assert $rc == 0 and not d['errors'] and len(d['hosts']) == $n, ($rc, len(d['hosts']), d['errors'][:2])
" 2>>"$T/why2" || bad=$((bad + 1))
    i=$((i + 1))
done
touch "$T/stop"
wait "$writer"
if [ "$bad" -eq 0 ]; then
    ok "$runs inventories while new dumps are renamed into place: every host, no error, exit 0"
else
    not_ok "$runs inventories while new dumps are renamed into place: every host, no error, exit 0" \
        "$bad runs" "$(grep -E '^[A-Za-z.]*Error' "$T/why2" | head -2)"
fi
done_testing
