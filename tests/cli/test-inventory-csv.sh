# inventory --format csv and csv-matrix: the host list and the class matrix read back with
# python3's csv module and compared with the JSON report of the same fleet, including file names
# and hostnames that need RFC 4180 quoting (a comma, a quote, a line break).
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data
F=$T/fleet
bad=$(small_fleet "$F")
# A twin of a host under a file name with a comma and a quote, with a hostname holding both and
# a line break; another under a name with a line break.
sed 's/<origin /<origin hostname="rack 4, \&quot;left\&quot;\&#10;node 9" /' \
    "$F/x86/Xeon-Gold-5115.xml" >"$F/x86/a,b\"c.xml"
cp "$F/x86/Core2-E6850.xml" "$F/x86/new
line.xml"
check "the fleet imports" test -z "$bad"

run inventory --format json "$F"
cp "$T/stdout" "$T/inv.json"
jrc=$rc
run inventory --format csv "$F"
cp "$T/stdout" "$T/hosts.csv"
hrc=$rc
run inventory --format csv-matrix "$F"
cp "$T/stdout" "$T/matrix.csv"
mrc=$rc
check "json, csv and csv-matrix of one fleet: exit 0 each" test "$jrc$hrc$mrc" = 000

check "csv: a header row, then one row per host with its members and its class's identity" python3 -c "
import csv, json
d = json.load(open('$T/inv.json'))
rows = list(csv.reader(open('$T/hosts.csv', newline='')))
head, rows = rows[0], rows[1:]
# the hosts' scalar members, in the JSON's order, then the classes' identity fields
own = [k for k, v in d['hosts'][0].items() if not isinstance(v, (dict, list))]
assert own[:6] == ['file', 'hostname', 'arch', 'class', 'created', 'qemu'], own
assert head[:len(own)] == own, head
assert len(set(head)) == len(head), head
assert len(rows) == len(d['hosts']) == d['summary']['hosts'] and all(len(r) == len(head) for r in rows)
ident = {c['id']: c['identity'] for c in d['classes']}
keys = [k for c in d['classes'] for k in c['identity']]
assert set(head[len(own):]) == set(keys), (head, keys)
for r, h in zip(rows, d['hosts']):
    r = dict(zip(head, r))
    for k in own:
        assert r[k] == (h[k] or ''), (k, r[k], h[k])
    for k in head[len(own):]:
        assert r[k] == ident[h['class']].get(k, ''), (k, r, ident[h['class']])
assert {'vendor', 'family', 'model', 'midr', 'type'} <= set(head), head
"

check "csv: a file name with a comma and a quote, a hostname with a line break, read back exact" python3 -c "
import csv
rows = list(csv.DictReader(open('$T/hosts.csv', newline='')))
files = [r['file'] for r in rows]
assert '$F/x86/a,b\"c.xml' in files, files
assert '$F/x86/new\nline.xml' in files, files
assert [r['hostname'] for r in rows if r['file'].endswith('c.xml')] == ['rack 4, \"left\"\nnode 9'], rows
"
check "csv: quoted as RFC 4180 asks (the field in quotes, its quotes doubled)" \
    grep -qF "\"$F/x86/a,b\"\"c.xml\",\"rack 4, \"\"left\"\"" "$T/hosts.csv"

check "csv-matrix: one row per ordered pair of the JSON matrix, with its verdict and first blockers" python3 -c "
import csv, json
d = json.load(open('$T/inv.json'))
rows = list(csv.DictReader(open('$T/matrix.csv', newline='')))
assert list(rows[0]) == ['source', 'destination', 'migratable', 'relation', 'blockers_total', 'blockers', 'details'], list(rows[0])
assert len(rows) == len(d['matrix']) > 0
for r, p in zip(rows, d['matrix']):
    assert (r['source'], r['destination'], r['relation']) == (p['source'], p['destination'], p['relation'])
    assert r['migratable'] == ('true' if p['migratable'] else 'false')
    assert int(r['blockers_total']) == p['blockers_total']
    assert r['blockers'].split() == [b['name'] for b in p['blockers']], (r, p)
    assert r['details'].split('\n') == [b['name'] + (': ' + b['detail'] if b['detail'] else '') for b in p['blockers']] or not p['blockers']
assert any(r['migratable'] == 'true' for r in rows) and any(len(r['details'].split('\n')) > 1 for r in rows)
"

# Formula injection: hostnames and file names a spreadsheet would run as a formula (OWASP: a cell
# starting with =, +, -, @, tab or CR) come out as text, a single quote before them, in quotes.
G=$T/formulas
mkdir -p "$G"
i=0
for h in '=HYPERLINK(&quot;x&quot;&amp;A1,&quot;a&quot;)' '+1+2' '-3+4' '@SUM(A1)' '&#9;=1' '&#13;=2' 'a=b'; do
    i=$((i + 1))
    h=$(printf '%s' "$h" | sed 's/&/\\&/g')
    sed "s/<origin /<origin hostname=\"$h\" /" "$F/x86/Core2-E6850.xml" >"$G/h$i.xml"
done
cp "$F/x86/Xeon-Gold-5115.xml" "$G/=cmd|' -C calc'!A0.xml"
cp "$F/gen15a.xml" "$G/@x.xml"
run inventory --format json "$G"
cp "$T/stdout" "$T/f.json"
run inventory --format csv "$G"
check "csv: hostnames and file names that read as formulas, a quote before them; the rest exact" python3 -c "
import csv, json
d = json.load(open('$T/f.json'))
rows = list(csv.DictReader(open('$T/stdout', newline='')))
assert $rc == 0 and len(rows) == len(d['hosts']) == 9, ($rc, rows)
def safe(s):
    return \"'\" + s if s and s[0] in '=+-@\t\r' else s
seen = set()
for r, h in zip(rows, d['hosts']):
    for k in ('file', 'hostname', 'path', 'class', 'arch', 'created'):
        want = safe(h[k] or '') if k in ('file', 'hostname', 'path', 'created') else (h[k] or '')
        assert r[k] == want, (k, r[k], want)
        seen.add(r[k][:1])
assert {\"'\", 'a'} <= seen, seen
hn = sorted(r['hostname'] for r in rows if r['hostname'])
assert hn == sorted([\"'=HYPERLINK(\\\"x\\\"&A1,\\\"a\\\")\", \"'+1+2\", \"'-3+4\", \"'@SUM(A1)\", \"'\\t=1\", \"'\\r=2\", 'a=b']), hn
assert \"'=cmd|' -C calc'!A0.xml\" in [r['path'] for r in rows], [r['path'] for r in rows]
assert \"'@x.xml\" in [r['path'] for r in rows]
"
check "  ... each such field in quotes, the quote first inside them" grep -qF "\"'+1+2\"" "$T/stdout"
check "  ... no other field starts with a formula character" python3 -c "
import csv
for r in csv.reader(open('$T/stdout', newline='')):
    for f in r:
        assert not f or f[0] not in '=+-@\t\r', (f, r)
"
(cd "$G" && "$CPUCOMPAT" inventory --format csv -- "=cmd|' -C calc'!A0.xml" >"$T/rel.csv")
check "  ... a file named on the command line as such: the file column too" \
    grep -qF "\"'=cmd|' -C calc'!A0.xml\"," "$T/rel.csv"

# A fleet with a bad file: the tables still cover the others, and the exit status says 2.
cp "$F/gen15a.xml" "$T/one.xml"
printf '<capabilities format="1" arch="x86_64">' >"$T/truncated.xml"
run inventory --format csv "$T/one.xml" "$T/truncated.xml"
check "csv with an unreadable file: the other hosts, one stderr line, exit 2" python3 -c "
import csv
rows = list(csv.DictReader(open('$T/stdout', newline='')))
assert $rc == 2 and [r['file'] for r in rows] == ['$T/one.xml'], rows"
expect_error "csv is the inventory's: compare refuses it" "--format csv: not for this command" \
    compare --format csv "$F/gen15a.xml" "$F/gen15a.xml"
expect_error "a format name mistyped: the nearest named" "csv-matrix" \
    inventory --format csv-matrx "$F/gen15a.xml"

done_testing
