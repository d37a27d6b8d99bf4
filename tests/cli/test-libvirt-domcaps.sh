# cpucompat import libvirt-domcaps: `virsh domcapabilities` of real hosts (libvirt 9.0 and 11.3
# test data), judged against the answers those files give themselves, and broken input.
. "$(dirname "$0")/lib.sh"
SCHEMA=$TOP/data/schema/capabilities.rng
DC=$TOP/tests/data/x86/domcaps

for src in "$DC"/*.xml.xz; do
    name=$(basename "$src" .xz)
    xz -dc "$src" >"$T/$name"
    run import libvirt-domcaps "$T/$name" -o "$T/imp-$name"
    if [ "$rc" -ne 0 ]; then
        not_ok "$name imports" "$(cat "$T/stderr")"
        continue
    fi
    check "$name: the import validates against the schema" \
        xmllint --noout --relaxng "$SCHEMA" "$T/imp-$name"
    # Read back: show reads (and validates) it, and a second import is byte-identical but for
    # the creation time.
    check "$name: the import reads back" "$CPUCOMPAT" show "$T/imp-$name"
    check "$name: origin names the format, the file, the emulator and the machine" \
        grep -q "import-format=\"libvirt-domcaps\" import-file=\"$name\" qemu-binary=\"/usr/bin/qemu-system-x86_64\" machine=\"pc-" \
        "$T/imp-$name"
    # libvirt's answers kept: as many models as the file's custom mode lists.
    want=$(grep -c "<model usable=" "$T/$name")
    got=$(grep -c '<model name=.* usable=' "$T/imp-$name")
    if [ "$want" -gt 0 ] && [ "$want" -eq "$got" ]; then
        ok "$name: all $want custom-mode answers kept"
    else
        not_ok "$name: all custom-mode answers kept" "file has $want, import $got"
    fi
    # models on the import says what libvirt (and QEMU behind it) said, model by model. Where
    # the semantics would differ (libvirt's host model lacks KVM's paravirtual leaf and the
    # XSAVE components), the import adds them as KVM gives them: see cpucompat-import(1).
    python3 "$TOP/tests/peers/x86-models-vs-domcaps.py" "$CPUCOMPAT" "$T/imp-$name" \
        >"$T/peer.tap" 2>&1
    relay_tap "$T/peer.tap" $? "$name: libvirt agrees" "$name: libvirt disagrees"
done

# The host model's own features: libvirt 11.3's EPYC-Rome host disables xsaves.
A=$T/imp-libvirt-11.3.0-qemu_10.0.0.x86_64.xml.xz
A=${A%.xz}
view_features "$A" kvm >"$T/feat.txt"
check "a disabled feature of the host model is absent" sh -c "! grep -qx xsaves '$T/feat.txt'"
check "a feature of the libvirt model is present" grep -qx sse4.2 "$T/feat.txt"
check "KVM's paravirtual features are there" grep -qx kvmclock "$T/feat.txt"
check "the vendor is the host model's" grep -q '<vendor>AuthenticAMD</vendor>' "$A"

# show prints libvirt's answer beside cpucompat's own.
run show "$A"
check "show prints libvirt's answers beside cpucompat's" \
    grep -Eq '^    Broadwell +no +cpucompat no +\(blockers: erms hle invpcid pcid rtm\)$' "$T/stdout"
run show --format json "$A"
check "show --format json carries them" \
    grep -q '"reported":{"by":"libvirt domcapabilities","models":\[{"name":"486","usable":"yes"' \
    "$T/stdout"

# Broken and hostile input: one line naming the file, exit 2, nothing written.
G=$T/libvirt-11.3.0-qemu_10.0.0.x86_64.xml
head -c 3000 "$G" >"$T/truncated.xml"
expect_error "truncated file" "truncated.xml" import libvirt-domcaps "$T/truncated.xml"
sed 's|<arch>x86_64</arch>|<arch>s390x</arch>|' "$G" >"$T/s390x.xml"
expect_error "another architecture (s390x)" "architecture 's390x'" \
    import libvirt-domcaps "$T/s390x.xml"
sed 's|<arch>x86_64</arch>|<arch>aarch64</arch>|' "$G" >"$T/aarch64.xml"
expect_error "another architecture (aarch64)" "architecture 'aarch64'" \
    import libvirt-domcaps "$T/aarch64.xml"
sed 's|<domain>kvm</domain>|<domain>qemu</domain>|' "$G" >"$T/tcg.xml"
expect_error "a TCG domain" "not kvm" import libvirt-domcaps "$T/tcg.xml"
sed "s|<model fallback='forbid'>EPYC-Rome</model>|<model fallback='forbid'>EPYC-Nonesuch</model>|" \
    "$G" >"$T/model.xml"
expect_error "unknown host model" "'EPYC-Nonesuch' is not a libvirt x86 CPU model" \
    import libvirt-domcaps "$T/model.xml"
sed "s|<feature policy='disable' name='xsaves'/>|<feature policy='disable' name='xsaves-nonesuch'/>|" \
    "$G" >"$T/feature.xml"
expect_error "unknown feature" "unknown libvirt feature 'xsaves-nonesuch'" \
    import libvirt-domcaps "$T/feature.xml"
sed "s|<feature policy='disable' name='xsaves'/>|<feature policy='forbid' name='xsaves'/>|" \
    "$G" >"$T/policy.xml"
expect_error "a policy host-model never has" "policy 'forbid'" \
    import libvirt-domcaps "$T/policy.xml"
sed "s|<vendor>AMD</vendor>|<vendor>Transmeta</vendor>|" "$G" >"$T/vendor.xml"
expect_error "unknown vendor" "unknown CPU vendor 'Transmeta'" \
    import libvirt-domcaps "$T/vendor.xml"
sed "s|<mode name='host-model' supported='yes'>|<mode name='host-model' supported='no'>|" \
    "$G" >"$T/nohost.xml"
expect_error "no host model" "no host model" import libvirt-domcaps "$T/nohost.xml"
echo '<capabilities/>' >"$T/other.xml"
expect_error "another XML document" "not libvirt domain capabilities" \
    import libvirt-domcaps "$T/other.xml"
sed "s|<model usable='yes' vendor='unknown' canonical='486-v1'>486</model>|<model usable='maybe' vendor='unknown'>486</model>|" \
    "$G" >"$T/usable.xml"
expect_error "a usable answer that is neither yes, no nor unknown" "usable yes, no or unknown" \
    import libvirt-domcaps "$T/usable.xml"
sed "s|<maxphysaddr mode='passthrough' limit='64'/>|<maxphysaddr mode='passthrough' limit='sixty'/>|" \
    "$G" >"$T/maxphys.xml"
expect_error "a maxphysaddr limit that is not a number" "limit 'sixty'" \
    import libvirt-domcaps "$T/maxphys.xml"

# At the size cap (16 MiB): hundreds of thousands of models or features are refused in one line.
python3 - "$G" "$T/many-models.xml" "$T/many-features.xml" <<'PY'
import sys
text = open(sys.argv[1]).read()
models = "".join("<model usable='no' vendor='Intel'>M%06d</model>\n" % i for i in range(300000))
open(sys.argv[2], "w").write(text.replace("<mode name='custom' supported='yes'>",
                                          "<mode name='custom' supported='yes'>" + models, 1))
feats = "<feature policy='require' name='sse'/>\n" * 380000
open(sys.argv[3], "w").write(text.replace("<vendor>AMD</vendor>", "<vendor>AMD</vendor>" + feats, 1))
PY
expect_error "300,000 custom models" "more than 4096 reported models" \
    import libvirt-domcaps "$T/many-models.xml"
expect_error "380,000 host-model features" "more than 2048 features" \
    import libvirt-domcaps "$T/many-features.xml"
# A capability file is held to the same limit when read.
python3 - "$A" "$T/many-reported.xml" <<'PY'
import sys
text = open(sys.argv[1]).read()
models = "".join('<model name="M%06d" usable="no"/>' % i for i in range(5000))
open(sys.argv[2], "w").write(text.replace('<reported by="libvirt domcapabilities">',
                                          '<reported by="libvirt domcapabilities">' + models, 1))
PY
expect_error "a capability file with 5000 more reported models" "more than 4096 reported models" \
    show "$T/many-reported.xml"

# A failed import leaves no output file behind.
run import libvirt-domcaps "$T/model.xml" -o "$T/none.xml"
check "a failed import writes nothing" test ! -e "$T/none.xml"

done_testing
