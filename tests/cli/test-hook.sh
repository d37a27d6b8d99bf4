# data/hooks/qemu, driven as libvirtd drives /etc/libvirt/hooks/qemu on a migration's destination:
# argv `qemu GUEST migrate begin -`, the domain XML on standard input, the exit status and
# standard error read back; standard output must stay empty (libvirt would take it as new XML).
. "$(dirname "$0")/lib.sh"
HOOK=$TOP/data/hooks/qemu
D=$TOP/tests/data/x86/libvirt-guests
export CPUCOMPAT_HOOK_CONF="$T/hook.conf"
"$CPUCOMPAT" import libvirt-cpu "$D/x86_64-host.xml" -o "$T/host.xml" # libvirt's Penryn host
printf 'cpucompat=%s\nhostfile=%s\n' "$CPUCOMPAT" "$T/host.xml" >"$T/hook.conf"

# domain CPUFILE: libvirt's cpu-exact1 domain with its <cpu> replaced by CPUFILE's.
domain() {
    sed "/<cpu/,/<\/cpu>/{/<cpu/r $1
d}" "$D/domains/cpu-exact1.xml"
}
# hook DESCRIPTION STATUS DOMAINFILE: runs the hook, checks status, empty stdout, and
# for a refusal, a stderr that says why. The operation is $OP (default migrate) begin.
hook() {
    d=$1 want=$2 dom=$3
    shift 3 # nothing more
    sh "$HOOK" QEMUGuest1 "${OP:-migrate}" begin - <"$dom" >"$T/hout" 2>"$T/herr"
    got=$?
    if [ "$got" = "$want" ] && [ ! -s "$T/hout" ] && { [ "$want" = 0 ] || [ -s "$T/herr" ]; }; then
        ok "$d (exit $got)"
    else
        not_ok "$d" "exit $got, want $want; stdout $(wc -c <"$T/hout") bytes" "$(head -4 "$T/herr")"
    fi
}
cpu() { echo "<cpu mode='custom' match='exact' check='partial'><model fallback='forbid'>Penryn</model><vendor>Intel</vendor>$1</cpu>" >"$T/c.xml"; domain "$T/c.xml" >"$T/d.xml"; }

# A host-model guest as libvirt sends it on migration: custom + features (libvirt's own update of
# host-model on this host, tests/cputestdata x86_64-host+host-model.xml), in libvirt's domain.
sed "/<cpu/,/<\/cpu>/{/<cpu/r $D/x86_64-host+host-model.xml
d}" "$D/domains/cpu-host-model.xml" >"$T/hm.xml"
hook "host-model guest as migrated (custom + features) runs here" 0 "$T/hm.xml"
cpu "<feature policy='require' name='dca'/>"
hook "require, present" 0 "$T/d.xml"
cpu "<feature policy='require' name='avx'/>"
hook "require, absent: refused" 1 "$T/d.xml"
check "the refusal names the blocker on stderr" grep -q "avx .*missing" "$T/herr"
check "  ... and in its first line, which virsh shows first" \
    test "$(head -1 "$T/herr")" = "cpucompat hook: migration of QEMUGuest1 refused: this host cannot run its CPU: avx"
check "  ... without the report's notes" test -z "$(grep '^note ' "$T/herr")"
cpu "<feature policy='force' name='3dnowext'/>"
hook "force, absent: refused" 1 "$T/d.xml"
cpu "<feature policy='optional' name='3dnow'/>"
hook "optional, absent: runs" 0 "$T/d.xml"
cpu "<feature policy='disable' name='vmx'/>"
hook "disable, present: runs" 0 "$T/d.xml"
cpu "<feature policy='forbid' name='vmx'/>"
hook "forbid, present: refused" 1 "$T/d.xml"
check "the refusal says the guest forbids vmx" grep -q "vmx .*forbids" "$T/herr"
cpu "<feature policy='forbid' name='svm'/>"
hook "forbid, absent: runs" 0 "$T/d.xml"
hook "host-passthrough: refused, one host cannot tell" 1 "$D/domains/cpu-host-passthrough.xml"
check "  ... in one line saying why" test "$(wc -l <"$T/herr")" = 1 -a -n "$(grep 'give SRC and DST' "$T/herr")"
hook "an unknown model in the incoming XML: refused" 1 "$D/x86_64-bogus-model.xml"
check "  ... naming the model (read with this libvirt's CPU map)" grep -q "CPU model 'Bogus'" "$T/herr"

# A TCG guest (libvirt's <domain type='qemu'>): QEMU emulates its CPU, the host's does not matter.
cpu "<feature policy='require' name='avx'/>"
sed "s/<domain type='kvm'>/<domain type='qemu'>/" "$T/d.xml" >"$T/tcg.xml"
hook "a TCG guest the host could not run under KVM: let through" 0 "$T/tcg.xml"
check "  ... silently" test ! -s "$T/herr"
sed "s/<domain type='kvm'>/<domain type=\"qemu\">/" "$T/d.xml" >"$T/tcg.xml"
hook "a type spelled as libvirt never writes it: judged (refused)" 1 "$T/tcg.xml"
sed "s/<domain type='kvm'>/<domain type='qemux'>/" "$T/d.xml" >"$T/tcg.xml"
hook "an unknown domain type: judged (refused)" 1 "$T/tcg.xml"

# The guest's model as the libvirt running the hook reads it: libvirt 11.3's kvm64 holds twenty
# vmx-* features 9.0's lacks, so on a host without VMX (an AMD host's dump) the same <cpu> runs
# under 9.0 (and a release between, read as 9.0) but not under 11.3. A stand-in libvirtd says
# which libvirt this is, as `libvirtd --version` does. (That dump, of a nested guest, lacks pni.)
mkdir "$T/bin"
printf 'cpucompat=%s\nhostfile=%s\n' "$CPUCOMPAT" "$TOP/tests/data/x86/hosts/epyc-milan-nested-kvm.xml" >"$T/amd.conf"
echo "<cpu mode='custom' match='exact' check='partial'><model fallback='forbid'>kvm64</model><feature policy='disable' name='pni'/></cpu>" >"$T/c.xml"
domain "$T/c.xml" >"$T/kvm64.xml"
for v in 9.0.0:0 10.5.0:0 8.0.0:0 11.3.0:1; do
    printf '#!/bin/sh\necho "libvirtd (libvirt) %s"\n' "${v%:*}" >"$T/bin/libvirtd"
    chmod 755 "$T/bin/libvirtd"
    PATH=$T/bin:$PATH CPUCOMPAT_HOOK_CONF=$T/amd.conf hook \
        "kvm64 on an AMD host under libvirt ${v%:*}: $([ "${v#*:}" = 0 ] && echo runs || echo refused)" \
        "${v#*:}" "$T/kvm64.xml"
done
check "  ... naming a vmx-* feature 11.3's kvm64 holds" grep -q "refused: this host cannot run its CPU: vmx-" "$T/herr"
rm -r "$T/bin"

# A restore: libvirt 9.0 runs `qemu GUEST restore begin -` with the save image's domain XML on
# standard input (qemuDomainRestoreInternal, qemuDomainObjRestore), formatted for migration as a
# migration's is (qemuDomainSaveInternal: qemuDomainDefFormatLive(..., origCPU, true, true)), so a
# host-model guest arrives as custom + features: judged as an incoming migration is.
OP=restore hook "restore of a host-model guest as saved (custom + features) runs here" 0 "$T/hm.xml"
cpu "<feature policy='require' name='avx'/>"
OP=restore hook "restore of a guest whose CPU needs avx: refused" 1 "$T/d.xml"
check "  ... the first line says it is a restore and names the blocker" \
    test "$(head -1 "$T/herr")" = "cpucompat hook: restore of QEMUGuest1 refused: this host cannot run its CPU: avx"
sed "s/<domain type='kvm'>/<domain type='qemu'>/" "$T/d.xml" >"$T/tcg.xml"
OP=restore hook "restore of a TCG guest: let through" 0 "$T/tcg.xml"
OP=restore hook "restore of a host-passthrough guest: refused, one host cannot tell" 1 \
    "$D/domains/cpu-host-passthrough.xml"

# Other operations: exit 0 at once, standard input unread.
for op in "prepare begin" "start begin" "started begin" "migrate end" "release end"; do
    # shellcheck disable=SC2086
    sh "$HOOK" QEMUGuest1 $op - </dev/null >"$T/hout" 2>&1
    check "operation '$op': exit 0, silent" test "$?" = 0 -a ! -s "$T/hout"
done

# The cached file: refreshed by `cpucompat dump` when missing or older than this boot.
cat >"$T/fake-cpucompat" <<FAKE
#!/bin/sh
if [ "\$1" = dump ]; then echo dump >>"$T/dumps"; cp "$T/host.xml" "\$3"; exit 0; fi
exec "$CPUCOMPAT" "\$@"
FAKE
chmod 755 "$T/fake-cpucompat"
printf 'cpucompat=%s\nhostfile=%s\n' "$T/fake-cpucompat" "$T/cache/host.xml" >"$T/hook.conf"
hook "a missing cache is dumped, then judged" 0 "$T/hm.xml"
check "  ... by one cpucompat dump" test "$(cat "$T/dumps" 2>/dev/null)" = dump
hook "a fresh cache is used as it is" 0 "$T/hm.xml"
check "  ... without a dump" test "$(wc -l <"$T/dumps")" = 1
btime=$(sed -n 's/^btime //p' /proc/stat)
touch -d "@$((btime - 60))" "$T/cache/host.xml"
hook "a cache older than the running kernel's boot is dumped again" 0 "$T/hm.xml"
check "  ... by a second dump" test "$(wc -l <"$T/dumps")" = 2
printf 'cpucompat=%s\nhostfile=%s\n' "$T/no-such-cpucompat" "$T/none/host.xml" >"$T/hook.conf"
hook "no cpucompat to refresh with: refused" 1 "$T/hm.xml"

# Refusals of the setup, one line each.
printf 'cpucompat=%s\nhostfile=%s\n' "$CPUCOMPAT" "$T/host.xml" >"$T/hook.conf"
echo "hostfile; rm -rf /" >>"$T/hook.conf"
hook "a conf line that is no setting: refused, never run" 1 "$T/hm.xml"
check "  ... in one line" test "$(wc -l <"$T/herr")" = 1
printf 'cpucompat=%s\nhostfile=%s\n' "$CPUCOMPAT" "$T/host.xml" >"$T/hook.conf"
if [ "$(id -u)" = 0 ]; then
    chown 65534 "$T/host.xml"
    hook "as root, a cache root does not own: refused" 1 "$T/hm.xml"
    check "  ... saying whose it is" grep -q "owned by uid 65534, not root" "$T/herr"
    chown 0 "$T/host.xml"
    chmod 664 "$T/host.xml"
    hook "as root, a group-writable cache: refused" 1 "$T/hm.xml"
    chmod 646 "$T/host.xml"
    hook "as root, an other-writable cache: refused" 1 "$T/hm.xml"
    check "  ... saying the mode" grep -q "writable by group or others (mode 646)" "$T/herr"
    chmod 644 "$T/host.xml"
    hook "as root, root's 0644 cache: judged" 0 "$T/hm.xml"
else
    for t in "not root's" group-writable other-writable "root's 0644"; do
        skip "as root, a $t cache" "the ownership rules apply to root; this run is uid $(id -u)"
    done
fi

done_testing
