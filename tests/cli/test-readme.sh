# README.md's examples run as printed: every shell example (see readme_examples.py for the
# convention the README follows) is run in a scratch directory where tests/ is the tree's, in
# README order, and must exit with the status and print the lines the README shows. One test point
# per command; what needs this machine's probe, KVM, root, another host or libvirtd says SKIP.
. "$(dirname "$0")/lib.sh"
W=$T/readme
mkdir -p "$W" "$T/bin"
ln -s "$TOP/tests" "$W/tests"
# The examples call plain `cpucompat`, which finds no data directory beside it here, as a
# copied binary would not: the README's --version shows the built-in data.
printf '#!/bin/sh\nexec %s "$@"\n' "$CPUCOMPAT" >"$T/bin/cpucompat"
chmod +x "$T/bin/cpucompat"
extra=
if ! (cd "$W" && env -u CPUCOMPAT_DATADIR "$CPUCOMPAT" --version) | grep -q '^data: built into'; then
    # An installed data directory (the compiled-in one) comes before the built-in copy: the
    # examples then read the tree's data, and --version cannot print what the README shows.
    extra='cpucompat --version=an installed data directory is found before the built-in data'
else
    unset CPUCOMPAT_DATADIR
fi
PATH="$T/bin:$PATH" python3 "$TOP/tests/cli/readme_examples.py" "$TOP/README.md" "$W" ${extra:+"$extra"} \
    >"$T/results" 2>"$T/py.err"
status=$?
while IFS= read -r line; do
    case "$line" in
    "PASS "*) ok "${line#PASS }" ;;
    "FAIL "*) _n=$((_n + 1)) _failed=$((_failed + 1)) && echo "not ok $_n - ${line#FAIL }" ;;
    "SKIP "*)
        name=${line#SKIP }
        skip "${name%%	*}" "${name#*	}"
        ;;
    "# "*) echo "$line" ;;
    esac
done <"$T/results"
[ "$status" -eq 0 ] || not_ok "the README's examples were all run" "$(tail -3 "$T/py.err")"
examples=$(grep -c '^\(PASS\|FAIL\|SKIP\) ' "$T/results")
[ "$examples" -ge 40 ] || not_ok "the README has its examples (found $examples commands, want 40 or more)"
done_testing
