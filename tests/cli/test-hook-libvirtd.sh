# data/hooks/qemu under a real libvirtd (Debian 12: libvirt 9.0): two daemons of this test's own,
# each in session mode as an unprivileged user, in its own mount and PID namespace. libvirt reads
# hooks from $sysconfdir/libvirt/hooks in session mode as in system mode (src/util/virhook.c), so
# each namespace lays a private overlay on /etc and the hook is installed there as an operator
# installs it: /etc/libvirt/hooks/qemu, settings in /etc/cpucompat/hook.conf. The machine's own
# /etc, libvirt state and cgroups are never touched; ending the namespace ends every process in it.
. "$(dirname "$0")/lib.sh"
HOOK=$TOP/data/hooks/qemu
RUNAS=65534 # nobody: a session daemon is any user but root
QEMU=/usr/bin/qemu-system-x86_64
W=60 # seconds any one wait may take (a migration under TCG on a loaded machine takes 10)
export LIBVIRT_AUTOSTART=0 # virsh must never spawn a daemon of its own

# Why this machine cannot run the test, or nothing.
why_not() {
    [ -n "$EMULATED" ] && { echo "libvirtd runs the host's QEMU; this run is emulated ($EMULATED)"; return; }
    [ -n "$SANITIZED" ] && { echo "the hook's work here is libvirt's and a shell's; the plain run holds it"; return; }
    [ "$(uname -m)" = x86_64 ] || { echo "the guests here are x86_64 (this is $(uname -m))"; return; }
    for p in libvirtd virsh unshare setpriv timeout "$QEMU"; do
        command -v "$p" >/dev/null 2>&1 || { echo "no $p (build-aux/ensure-deps --test installs it)"; return; }
    done
    [ "$(id -u)" = 0 ] ||
        { echo "needs root: a private mount namespace for /etc/libvirt/hooks, which libvirtd reads in session mode too"; return; }
    setpriv --reuid=$RUNAS --regid=$RUNAS --clear-groups test -x "$CPUCOMPAT" -a -r "$HOOK" ||
        { echo "uid $RUNAS cannot run $CPUCOMPAT or read $HOOK"; return; }
    unshare --mount --pid --fork --mount-proc true 2>/dev/null ||
        { echo "cannot make mount and PID namespaces here (unshare: $(unshare --mount --pid --fork true 2>&1 | head -1))"; return; }
}
reason=$(why_not)
if [ -n "$reason" ]; then
    for t in "a TCG guest starts with the hook installed" "an incoming migration is accepted" \
        "an incoming migration is refused with the hook's reason" "a restore is judged" \
        "a restore is refused with the hook's reason"; do
        skip "libvirtd: $t" "$reason"
    done
    done_testing
    exit
fi

# KVM's device numbers when this machine has a usable /dev/kvm, else empty (the KVM half skips).
KVMDEV=""
kvm_why="/dev/kvm is absent"
if [ -c /dev/kvm ]; then
    if "$CPUCOMPAT" dump --require-kvm -o "$T/kvmhost.xml" 2>"$T/kvmerr"; then
        KVMDEV=$(stat -c '%Hr %Lr' /dev/kvm)
    else
        kvm_why="no kvm view here: $(head -1 "$T/kvmerr")"
    fi
fi

# Every daemon runs under a root shell that is its PID namespace's first process, started by
# `unshare --kill-child`: killing unshare kills that shell, and the kernel then kills everything
# in the namespace (libvirtd and its QEMUs). The shell stays root so that the parent-death signal
# survives; libvirtd itself, as another user, would lose it.
pids=""
cleanup() {
    for p in $pids; do kill -KILL "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The program the hooks run: the build's, with its data (libvirtd gives hooks a bare environment:
# LC_ALL, PATH, HOME, USER, LOGNAME, TMPDIR; see virCommandAddEnvPassCommon).
printf '#!/bin/sh\nCPUCOMPAT_DATADIR=%s exec %s "$@"\n' "$CPUCOMPAT_DATADIR" "$CPUCOMPAT" >"$T/cpucompat"
chmod 755 "$T/cpucompat"

# install_hook DIR NAME FILE: daemon NAME's hook as FILE under DIR/libvirt/hooks (DIR a private
# /etc) and its settings, as an operator installs them (the cache starts missing: the hook dumps
# it); beside it in qemu.d (which libvirt runs after qemu) a script that keeps the XML it is handed.
install_hook() {
    d=$T/$2
    mkdir -p "$1/libvirt/hooks/qemu.d" "$1/cpucompat"
    install -m 0755 "$HOOK" "$1/libvirt/hooks/$3"
    printf 'cpucompat=%s\nhostfile=%s\n' "$T/cpucompat" "$d/hc/host.xml" >"$1/cpucompat/hook.conf"
    printf '#!/bin/sh\ncase $2 in migrate | restore) cat >"%s/xml.$2" ;; esac\nexit 0\n' "$d" >"$1/libvirt/hooks/qemu.d/keep-xml"
    chmod 755 "$1/libvirt/hooks/qemu.d/keep-xml"
    # The daemon's own hook marks a reload: libvirt has looked for hooks again by then.
    printf '#!/bin/sh\n[ "$2" = reload ] && : >"%s/reloaded"\nexit 0\n' "$d" >"$1/libvirt/hooks/daemon"
    chmod 755 "$1/libvirt/hooks/daemon"
}
kids() { # kids PID: its children's PIDs (procps may be absent; CONFIG_PROC_CHILDREN too)
    echo $(cat /proc/"$1"/task/"$1"/children 2>/dev/null || ps -o pid= --ppid "$1")
}
# daemon NAME HOOK: starts libvirtd NAME, with the hook installed when HOOK is yes; sets URI_NAME
# and PID_NAME (libvirtd's).
daemon() {
    n=$1 d=$T/$1
    mkdir -p "$d/upper" "$d/ovl" "$d/home" "$d/run" "$d/cfg/libvirt" "$d/cache" "$d/hc"
    [ "$2" = yes ] && install_hook "$d/upper" "$n" qemu
    : >"$d/xml.migrate"
    : >"$d/xml.restore"
    # A host UUID of its own: libvirt refuses a migration between daemons of one host UUID.
    printf 'host_uuid = "%s"\n' "$(cat /proc/sys/kernel/random/uuid)" >"$d/cfg/libvirt/libvirtd.conf"
    chown $RUNAS "$d"
    chown -R $RUNAS:$RUNAS "$d/home" "$d/run" "$d/cfg" "$d/cache" "$d/hc" "$d/xml.migrate" "$d/xml.restore"
    unshare --mount --propagation private --pid --fork --kill-child=KILL --mount-proc sh -c "
        # The overlay's upper layer on a tmpfs: an overlayfs /tmp (a container's) cannot hold one.
        mount -t tmpfs cc-ovl $d/ovl && mkdir $d/ovl/w && cp -a $d/upper $d/ovl/u &&
            mount -t overlay cc-etc -o lowerdir=/etc,upperdir=$d/ovl/u,workdir=$d/ovl/w /etc || exit 1
        # KVM for libvirtd's user here only: a node of its own laid over /dev/kvm (root's, 0600).
        if [ -n \"$KVMDEV\" ]; then
            mknod $d/ovl/kvm c $KVMDEV && chown $RUNAS $d/ovl/kvm && chmod 600 $d/ovl/kvm &&
                mount --bind $d/ovl/kvm /dev/kvm || exit 1
        fi
        # libvirt probes every qemu-system-* it finds before its first domain (qemu-system-misc
        # brings twenty; 25 s on a busy machine): only x86_64's is left executable here.
        for q in /usr/bin/qemu-system-*; do
            [ \"\$q\" = $QEMU ] || mount --bind /dev/null \"\$q\" || exit 1
        done
        setpriv --reuid=$RUNAS --regid=$RUNAS --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=$d/home XDG_RUNTIME_DIR=$d/run XDG_CONFIG_HOME=$d/cfg XDG_CACHE_HOME=$d/cache \
            libvirtd &
        wait \$!" >"$d/log" 2>&1 &
    ns=$!
    pids="$pids $ns"
    eval "URI_$n=\"qemu+unix:///session?socket=$d/run/libvirt/libvirt-sock\" NS_$n=$ns"
    i=0
    until [ -S "$d/run/libvirt/libvirt-sock" ] &&
        timeout $W virsh -c "qemu+unix:///session?socket=$d/run/libvirt/libvirt-sock" uri >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt $((W * 5)) ] && kill -0 $ns 2>/dev/null || return 1
        sleep 0.2
    done
    # unshare's child is the namespace's shell; its child, libvirtd.
    sh_pid=$(kids $ns)
    eval "PID_$n=$(kids "$sh_pid")"
}
vsh() { # vsh NAME ARGS...: virsh on daemon NAME, output in $T/vout, status in $vrc
    eval "u=\$URI_$1"
    shift
    timeout $W virsh -q -c "$u" "$@" >"$T/vout" 2>&1
    vrc=$?
}

if ! daemon src no || ! daemon dst yes; then
    for t in "a TCG guest starts with the hook installed" "an incoming migration is accepted" \
        "an incoming migration is refused with the hook's reason" "a restore is judged" \
        "a restore is refused with the hook's reason"; do
        skip "libvirtd: $t" "libvirtd did not start: $(cat "$T"/*/log | tail -1)"
    done
    done_testing
    exit
fi

cat >"$T/guest.xml" <<EOF
<domain type='qemu'>
  <name>cc-guest</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <cpu mode='host-model'/>
  <devices><emulator>$QEMU</emulator><memballoon model='none'/></devices>
</domain>
EOF
# state NAME: the guest's state on daemon NAME, or "absent".
state() { # state NAME [DOMAIN]
    vsh "$1" domstate "${2:-cc-guest}"
    if [ "$vrc" = 0 ]; then sed -n 1p "$T/vout"; else echo absent; fi
}
# expect DESCRIPTION WANT GOT [DETAIL]
expect() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$3', want '$2'" "${4-}"; fi
}
refused() { # refused DESCRIPTION WORDS: the last virsh failed, its error saying WORDS
    if [ "$vrc" != 0 ] && grep -q "$2" "$T/vout"; then
        ok "$1 (exit $vrc)"
    else
        not_ok "$1" "exit $vrc" "$(head -3 "$T/vout")"
    fi
}
migrate() { # migrate FROM TO [DOMAIN]: a live migration over loopback, as an operator types it
    eval "to=\$URI_$2"
    vsh "$1" migrate --live --unsafe "${3:-cc-guest}" "$to" --migrateuri tcp://127.0.0.1 --listen-address 127.0.0.1
}

vsh dst define "$T/guest.xml"
vsh dst start --paused cc-guest
expect "libvirtd: a TCG guest starts with the hook installed (virsh start exit 0)" 0 "$vrc" "$(head -3 "$T/vout")"
expect "  ... and is paused" paused "$(state dst)"

# src runs no hook yet. One installed while it runs (as qemu.d/cpucompat, the way beside another
# hook), and unable to refresh its cache (a directory only root may write), is not consulted
# until libvirtd reloads: libvirt looks for hooks when it starts and on SIGHUP (virHookInitialize).
install_hook "/proc/$NS_src/root/etc" src qemu.d/cpucompat
chown root "$T/src/hc"
rm -f "$T/src/hc/host.xml"
migrate dst src
expect "libvirtd: a hook installed after libvirtd started is not run (virsh migrate exit 0)" 0 "$vrc" "$(head -3 "$T/vout")"
check "  ... it was handed nothing" test ! -s "$T/src/xml.migrate"
expect "  ... the guest is paused on the destination" paused "$(state src)"
expect "  ... and shut off on the source" "shut off" "$(state dst)"

migrate src dst
expect "libvirtd: an incoming migration of a TCG guest is accepted (virsh migrate exit 0)" 0 "$vrc" "$(head -3 "$T/vout")"
expect "  ... the guest is paused on the destination" paused "$(state dst)"
expect "  ... and absent from the source (never defined there)" absent "$(state src)"
check "  ... the hook had the domain XML libvirt formats, <domain type='qemu'> first" \
    grep -q "^<domain type='qemu'>" "$T/dst/xml.migrate"
check "  ... and dumped its missing cache, as libvirtd's user" \
    test "$(stat -c %u "$T/dst/hc/host.xml" 2>&1)" = $RUNAS
# The hook relies on libvirt rewriting a host-model guest into custom + features for a migration
# (a host-model <cpu> names no CPU: one host's file cannot judge it).
check "  ... a host-model guest arrives as libvirt's rewrite, mode='custom' with features" \
    grep -qz "<cpu mode='custom' .*<feature policy='require'" "$T/dst/xml.migrate"
# The same XML as a KVM guest's: cpucompat reads every name libvirt 9.0 writes (a verdict, 0 or 1;
# against this host's silicon, so which one says nothing about TCG).
sed "1s/<domain type='qemu'>/<domain type='kvm'>/" "$T/dst/xml.migrate" |
    "$CPUCOMPAT" compare --guest - "$T/dst/hc/host.xml" >"$T/cmp" 2>&1
rc=$?
if [ $rc -le 1 ]; then
    ok "  ... which cpucompat reads, as a KVM guest's (exit $rc)"
else
    not_ok "  ... which cpucompat reads, as a KVM guest's" "exit $rc" "$(head -3 "$T/cmp")"
fi

kill -HUP "$PID_src"
i=0
until [ -e "$T/src/reloaded" ] || [ $i -ge $((W * 5)) ]; do i=$((i + 1)); sleep 0.2; done
migrate dst src
refused "libvirtd: after SIGHUP, an incoming migration is refused with the hook's reason in virsh's error" \
    "cpucompat hook: migration of cc-guest refused: cannot refresh $T/src/hc/host.xml"
check "  ... the hook was handed the guest" grep -q "<name>cc-guest</name>" "$T/src/xml.migrate"
expect "  ... the guest stays paused where it was" paused "$(state dst)"
expect "  ... and is absent from the refusing host" absent "$(state src)"

# A restore runs the hook too (`qemu GUEST restore begin -`), with the save image's XML, which
# libvirt formats for migration: a host-model guest is custom + features there as well.
vsh dst save cc-guest "$T/dst/cc.save"
expect "libvirtd: the guest saves (virsh save exit 0)" 0 "$vrc" "$(head -3 "$T/vout")"
vsh dst restore "$T/dst/cc.save"
expect "libvirtd: a restore is judged and a TCG guest let through (virsh restore exit 0)" 0 "$vrc" \
    "$(head -3 "$T/vout")"
check "  ... the hook was handed the save image's XML" grep -q "<name>cc-guest</name>" "$T/dst/xml.restore"
check "  ... a host-model guest as libvirt's rewrite, mode='custom' with features, as for a migration" \
    grep -qz "<cpu mode='custom' .*<feature policy='require'" "$T/dst/xml.restore"
vsh dst save cc-guest "$T/dst/cc.save"
chown root "$T/dst/hc"
rm -f "$T/dst/hc/host.xml"
vsh dst restore "$T/dst/cc.save"
refused "libvirtd: a restore is refused with the hook's reason in virsh's error" \
    "cpucompat hook: restore of cc-guest refused: cannot refresh $T/dst/hc/host.xml"
expect "  ... and the guest stays shut off" "shut off" "$(state dst)"
check "  ... its save image kept" test -s "$T/dst/cc.save"

# ---- a KVM guest: its <cpu> is cpucompat's own answer, the hook judges it against silicon ----
if [ -z "$KVMDEV" ]; then
    for t in "a KVM guest defined from baseline --format libvirt starts" \
        "an incoming migration of the KVM guest is accepted" \
        "an incoming migration of the KVM guest is refused, naming the missing feature"; do
        skip "libvirtd: $t" "$kvm_why"
    done
    done_testing
    exit
fi
"$CPUCOMPAT" baseline "$T/kvmhost.xml" --format libvirt >"$T/kvmcpu.xml"
{
    printf "<domain type='kvm'>\n  <name>cc-kvm</name>\n  <memory unit='MiB'>32</memory>\n"
    printf "  <vcpu>1</vcpu>\n  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
    cat "$T/kvmcpu.xml"
    printf "  <devices><emulator>%s</emulator><memballoon model='none'/></devices>\n</domain>\n" "$QEMU"
} >"$T/kvmguest.xml"
vsh src define "$T/kvmguest.xml"
vsh src start --paused cc-kvm
expect "libvirtd: a KVM guest defined from baseline --format libvirt starts (virsh start exit 0)" 0 \
    "$vrc" "$(head -3 "$T/vout")"
expect "  ... and is paused" paused "$(state src cc-kvm)"
# dst's hook dumps its cache afresh, as libvirtd's user, through the node laid over /dev/kvm.
chown $RUNAS "$T/dst/hc"
rm -f "$T/dst/hc/host.xml"
: >"$T/dst/xml.migrate"
migrate src dst cc-kvm
expect "libvirtd: an incoming migration of the KVM guest is accepted (virsh migrate exit 0)" 0 "$vrc" \
    "$(head -3 "$T/vout")"
expect "  ... the guest is paused on the destination" paused "$(state dst cc-kvm)"
check "  ... the hook had it as a KVM guest, <domain type='kvm'> first (judged, not let through)" \
    grep -q "^<domain type='kvm'>" "$T/dst/xml.migrate"
check "  ... and judged it against the cache it dumped, with a kvm view" \
    grep -q '<view name="kvm"' "$T/dst/hc/host.xml"
# src's hook (qemu.d/cpucompat, reloaded above) gets a cache whose kvm view lacks one feature the
# guest requires: it must name that feature, and the guest stay where it is.
feat=$(python3 "$TOP/tests/cli/drop_feature.py" "$CPUCOMPAT_DATADIR" "$T/kvmcpu.xml" \
    "$T/kvmhost.xml" "$T/src/hc/host.xml")
chown -R $RUNAS "$T/src/hc"
: >"$T/src/xml.migrate"
migrate dst src cc-kvm
refused "libvirtd: an incoming migration of the KVM guest is refused, naming the missing feature (${feat:-none found})" \
    "cpucompat hook: migration of cc-kvm refused: this host cannot run its CPU: .*${feat:-none found}"
check "  ... the hook was handed the guest" grep -q "<name>cc-kvm</name>" "$T/src/xml.migrate"
expect "  ... the guest stays paused where it was" paused "$(state dst cc-kvm)"

# ---- what this libvirtd knows of this host, against cpucompat's own dump of it ----
caps=$(ls "$T"/dst/cache/libvirt/qemu/cache/capabilities/*.xml 2>/dev/null | head -1) # session mode
if [ -z "$caps" ]; then
    not_ok "libvirtd: the daemon's QEMU capabilities cache imports" "no cache under $T/dst/cache"
else
    run import libvirt-qemucaps "$caps" -o "$T/lvcaps.xml"
    check "libvirtd: this host's QEMU capabilities cache, written by libvirtd under KVM, imports" \
        test "$rc" -eq 0
    python3 "$TOP/tests/cli/qemu_models_agree.py" "$CPUCOMPAT" "$caps" "$T/lvcaps.xml" >"$T/agree" 2>&1
    relay_tap "$T/agree" $? "libvirtd: models on that import" "libvirtd: models on that import"
    # QEMU's own expansion of -cpu host against cpucompat's reading of KVM: one host, one QEMU,
    # so each one's host model is the other's, feature for feature.
    for pair in "kvmhost.xml lvcaps.xml" "lvcaps.xml kvmhost.xml"; do
        set -- $pair
        run compare "$T/$1" "$T/$2"
        check "libvirtd: compare $1 $2 (cpucompat's dump and QEMU's expansion of this host): identical" \
            grep -q "^verdict  *MIGRATABLE; the destination is identical to the guest CPU" "$T/stdout"
    done
    vsh dst domcapabilities --virttype kvm
    cp "$T/vout" "$T/domcaps.xml"
    run import libvirt-domcaps "$T/domcaps.xml" -o "$T/lvdom.xml"
    check "libvirtd: virsh domcapabilities of this host imports" test "$rc" -eq 0
    run compare "$T/lvdom.xml" "$T/kvmhost.xml"
    check "libvirtd: a host-model guest as libvirt defines it here runs on cpucompat's dump of it" \
        test "$rc" -eq 0
fi
done_testing
