# data/x86/feature-names.xml is what its generator makes of the committed catalog, the committed
# libvirt CPU map and the shared reference (Linux names): byte for byte.
. "$(dirname "$0")/lib.sh"
REF=$TOP/../shared/reference/x86/features.json
if [ ! -r "$REF" ]; then
    skip "feature-names.xml regenerates byte for byte" "no $REF (../shared beside the tree)"
elif python3 "$TOP/data/x86/gen-feature-names.py" "$TOP/data/x86/features.xml" \
    "$TOP/data/x86/libvirt-cpu-map.xml" "$REF" >"$T/names.xml" 2>"$T/err" &&
    cmp -s "$T/names.xml" "$TOP/data/x86/feature-names.xml"; then
    ok "feature-names.xml regenerates byte for byte"
else
    not_ok "feature-names.xml regenerates byte for byte" "$(cat "$T/err")" \
        "$(diff "$T/names.xml" "$TOP/data/x86/feature-names.xml" | head -5)"
fi
done_testing
