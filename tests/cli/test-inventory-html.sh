# inventory --format html: the page rendered by a real headless browser (Debian's chromium) and
# checked for what a person sees: the summary's numbers, the matrix grid's cells in the colours
# of the JSON matrix's verdicts (from the screenshot's pixels), and a hostile hostname shown as
# text with nothing run. Without chromium the browser checks SKIP (build-aux/ensure-deps --test
# installs it).
. "$(dirname "$0")/lib.sh"
D=$TOP/tests/data
F=$T/fleet
bad=$(small_fleet "$F")
check "the fleet imports" test -z "$bad"
# A twin of a host whose capability file names it with markup and script, under a file name with
# markup of its own; and a file that cannot be read, for the errors.
hostile="<script>document.title='PWNED'</script><img src=x onerror=\"document.title=1\">"
sed 's/<origin /<origin hostname="\&lt;script\&gt;document.title=\&apos;PWNED\&apos;\&lt;\/script\&gt;\&lt;img src=x onerror=\&quot;document.title=1\&quot;\&gt;" /' \
    "$F/x86/Xeon-Gold-5115.xml" >"$F/x86/<i>twin&amp;.xml"
printf '<capabilities format="1" arch="x86_64">' >"$F/truncated.xml"

run inventory --format json "$F"
cp "$T/stdout" "$T/inv.json"
jrc=$rc
run inventory --format html "$F"
cp "$T/stdout" "$T/page.html"
check "json and html of a fleet with an unreadable file: exit 2 both, one stderr line" \
    test "$jrc$rc$(wc -l <"$T/stderr")" = 221
check "the page is one document, every element closed, the hostname text and no markup of it" python3 -c "
import html.parser, sys
class P(html.parser.HTMLParser):
    stack, text, tags = [], [], []
    def handle_starttag(self, t, a):
        self.tags.append(t)
        if t not in ('meta', 'br'):
            self.stack.append(t)
    def handle_endtag(self, t):
        assert self.stack and self.stack.pop() == t, (t, self.stack[-3:])
    def handle_data(self, d):
        self.text.append(d)
p = P()
p.feed(open('$T/page.html', encoding='utf-8').read())
p.close()
assert not p.stack, p.stack
assert p.tags[:2] == ['html', 'head'] and not {'script', 'img', 'i'} & set(p.tags), set(p.tags)
text = ''.join(p.text)
assert sys.argv[1] in text and '<i>twin&amp;.xml' in text
" "$hostile"

check "the page's lines fit in mail (under 998 characters)" \
    awk 'length($0) > 997 { exit 1 }' "$T/page.html"

# Unknown members of the report (other options add them) are shown, not dropped: the page
# renders a report tree's members generically; here the text of superseded files, a member
# this page has no layout for.
sed 's/<origin /<origin hostname="dup7" /; s/created="[^"]*"/created="2026-01-01T00:00:00Z"/' \
    "$F/x86/Core2-E6850.xml" >"$F/x86/old7.xml"
sed 's/<origin /<origin hostname="dup7" /' "$F/x86/Core-i7-8700.xml" >"$F/x86/new7.xml"
run inventory --format html "$F/x86"
check "a member without a layout of its own (superseded) is shown as a table" \
    sh -c "grep -q '<h2 id=\"superseded\">superseded</h2>' '$T/stdout' && grep -q 'old7.xml' '$T/stdout'"
rm "$F/x86/old7.xml" "$F/x86/new7.xml"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    skip "the page in a headless browser" "chromium is not installed (build-aux/ensure-deps --test)"
    done_testing
    exit
fi
k=$(python3 -c "import json; print(len(json.load(open('$T/inv.json'))['classes']))")
# The grid starts within the first 300 pixels; a row of it is 24 pixels, a column 98, its row
# headers under 520.
width=$((560 + 98 * k))
height=$((340 + 24 * (k + 1)))
# A private profile, home and cache under $T; no sandbox (it needs user namespaces CI's
# containers may lack, and the page runs nothing); a bounded time.
mkdir -p "$T/home"
render() {
    HOME=$T/home XDG_CONFIG_HOME=$T/home XDG_CACHE_HOME=$T/home timeout 60 "$browser" \
        --headless --disable-gpu --no-sandbox --no-first-run --no-default-browser-check \
        --disable-extensions --disable-dev-shm-usage --hide-scrollbars --mute-audio \
        --user-data-dir="$T/profile" --force-device-scale-factor=1 --force-color-profile=srgb \
        --window-size="$width,$height" "$@" "file://$T/page.html" 2>>"$T/browser.err"
}
# One run gives both the DOM and the screenshot.
render --dump-dom --screenshot="$T/shot.png" >"$T/dom.html"
brc=$?
if [ "$brc" -ne 0 ] || [ ! -s "$T/dom.html" ] || [ ! -s "$T/shot.png" ]; then
    not_ok "chromium renders the page" "exit $brc" \
        "$(grep -v 'dbus\|unexpected operator' "$T/browser.err" | tail -3)"
    done_testing
    exit
fi
ok "chromium renders the page"
python3 "$TOP/tests/cli/inventory_html_check.py" "$T/inv.json" "$T/page.html" "$T/dom.html" \
    "$T/shot.png" "$hostile" >"$T/html.tap" 2>&1
relay_tap "$T/html.tap" $? "rendered" "rendered wrong"

done_testing
