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
W=30 # seconds any one wait may take
export LIBVIRT_AUTOSTART=0 # virsh must never spawn a daemon of its own

# Why this machine cannot run the test, or nothing.
why_not() {
    [ -n "$EMULATED" ] && { echo "libvirtd runs the host's QEMU; this run is emulated ($EMULATED)"; return; }
    [ "$(uname -m)" = x86_64 ] || { echo "the guests here are x86_64 (this is $(uname -m))"; return; }
    for p in libvirtd virsh unshare setpriv timeout "$QEMU"; do
        command -v "$p" >/dev/null 2>&1 || { echo "no $p (libvirt-daemon-driver-qemu, libvirt-clients, qemu-system-x86)"; return; }
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
        "an incoming migration is refused with the hook's reason"; do
        skip "libvirtd: $t" "$reason"
    done
    done_testing
    exit
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
"$CPUCOMPAT" dump -o "$T/host.xml" 2>/dev/null || cp "$TOP/tests/data/x86/host-min.xml" "$T/host.xml"

# daemon NAME: starts libvirtd NAME with the hook installed; sets URI_NAME.
daemon() {
    n=$1 d=$T/$1
    mkdir -p "$d/etc/libvirt/hooks" "$d/etc/cpucompat" "$d/home" "$d/run" "$d/cfg/libvirt" "$d/cache"
    install -m 0755 "$HOOK" "$d/etc/libvirt/hooks/qemu"
    printf 'cpucompat=%s\nhostfile=%s\n' "$T/cpucompat" "$d/cache/host.xml" >"$d/etc/cpucompat/hook.conf"
    cp "$T/host.xml" "$d/cache/host.xml"
    # Beside it, a hook that keeps what libvirt hands it (libvirt runs qemu.d/* after qemu).
    mkdir "$d/etc/libvirt/hooks/qemu.d"
    printf '#!/bin/sh\n[ "$2" = migrate ] && cat >"%s/xml.migrate"\nexit 0\n' "$d" >"$d/etc/libvirt/hooks/qemu.d/keep-xml"
    chmod 755 "$d/etc/libvirt/hooks/qemu.d/keep-xml"
    touch "$d/xml.migrate"
    # A host UUID of its own: libvirt refuses a migration between daemons of one host UUID.
    printf 'host_uuid = "%s"\n' "$(cat /proc/sys/kernel/random/uuid)" >"$d/cfg/libvirt/libvirtd.conf"
    chown -R $RUNAS:$RUNAS "$d/home" "$d/run" "$d/cfg" "$d/cache" "$d/xml.migrate"
    mkdir "$d/upper" "$d/work"
    cp -a "$d/etc/." "$d/upper/"
    unshare --mount --propagation private --pid --fork --kill-child=KILL --mount-proc sh -c "
        mount -t overlay cc-etc -o lowerdir=/etc,upperdir=$d/upper,workdir=$d/work /etc || exit 1
        setpriv --reuid=$RUNAS --regid=$RUNAS --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=$d/home XDG_RUNTIME_DIR=$d/run XDG_CONFIG_HOME=$d/cfg XDG_CACHE_HOME=$d/cache \
            libvirtd &
        wait \$!" >"$d/log" 2>&1 &
    pids="$pids $!"
    eval "URI_$n=\"qemu+unix:///session?socket=$d/run/libvirt/libvirt-sock\""
    i=0
    until [ -S "$d/run/libvirt/libvirt-sock" ] && timeout $W virsh -c "qemu+unix:///session?socket=$d/run/libvirt/libvirt-sock" uri >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt $((W * 5)) ] && kill -0 "$!" 2>/dev/null || return 1
        sleep 0.2
    done
}
vsh() { # vsh NAME ARGS...: virsh on daemon NAME, output in $T/vout, status in $vrc
    eval "u=\$URI_$1"
    shift
    timeout $W virsh -q -c "$u" "$@" >"$T/vout" 2>&1
    vrc=$?
}

if ! daemon src || ! daemon dst; then
    for t in "a TCG guest starts with the hook installed" "an incoming migration is accepted" \
        "an incoming migration is refused with the hook's reason"; do
        skip "libvirtd: $t" "libvirtd did not start: $(grep -h error "$T"/*/log | head -1)"
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
  <cpu mode='custom' match='exact' check='partial'><model fallback='forbid'>qemu64</model></cpu>
  <devices><emulator>$QEMU</emulator><memballoon model='none'/></devices>
</domain>
EOF
# state NAME: the guest's state on daemon NAME, or "absent".
state() {
    vsh "$1" domstate cc-guest
    if [ "$vrc" = 0 ]; then sed -n 1p "$T/vout"; else echo absent; fi
}
# expect DESCRIPTION WANT GOT [DETAIL]
expect() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$3', want '$2'" "${4-}"; fi
}
migrate() { # migrate FROM TO: a live migration over loopback, as an operator types it
    eval "to=\$URI_$2"
    vsh "$1" migrate --live --unsafe cc-guest "$to" --migrateuri tcp://127.0.0.1 --listen-address 127.0.0.1
}

vsh src define "$T/guest.xml"
vsh src start --paused cc-guest
expect "libvirtd: a TCG guest starts with the hook installed (virsh start exit 0)" 0 "$vrc" "$(head -3 "$T/vout")"
expect "  ... and is paused" paused "$(state src)"

migrate src dst
expect "libvirtd: an incoming migration of a TCG guest is accepted (virsh migrate exit 0)" 0 "$vrc" "$(head -3 "$T/vout")"
expect "  ... the guest is paused on the destination" paused "$(state dst)"
expect "  ... and shut off on the source" "shut off" "$(state src)"
check "  ... the hook had the domain XML libvirt formats, <domain type='qemu'> first" \
    grep -q "^<domain type='qemu'>" "$T/dst/xml.migrate"

# The way back, with the source's hook unable to refresh its cache: refused before any memory moves.
rm "$T/src/cache/host.xml"
chown root "$T/src/cache"
migrate dst src
if [ "$vrc" != 0 ] && grep -q "cpucompat hook: migration of cc-guest refused: cannot refresh $T/src/cache/host.xml" "$T/vout"; then
    ok "libvirtd: an incoming migration is refused with the hook's reason in virsh's error (exit $vrc)"
else
    not_ok "libvirtd: an incoming migration is refused with the hook's reason in virsh's error" "exit $vrc" "$(head -3 "$T/vout")"
fi
expect "  ... the guest stays paused where it was" paused "$(state dst)"
expect "  ... and shut off on the refusing host" "shut off" "$(state src)"
chown $RUNAS "$T/src/cache"
migrate dst src
expect "libvirtd: once the hook can refresh its cache, the migration is accepted" 0 "$vrc" "$(head -3 "$T/vout")"
expect "  ... the guest is paused on the source again" paused "$(state src)"
done_testing
