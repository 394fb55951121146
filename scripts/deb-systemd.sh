#!/bin/sh
# scripts/deb-systemd.sh: the package on a fresh Debian 12 under a real
# systemd (issue 24, "Done when"). A minimal bookworm root is made with
# debootstrap (kept in --cache and reused), copied, and booted with
# systemd-nspawn, so systemd is PID 1 of the container whatever this machine
# runs. In it, as an operator would:
#
#   apt-get install <the package's Depends>   (a fresh system lacks them)
#   dpkg -i vigil_*.deb
#   systemctl start vigil                      (and restart, reload, stop)
#
# then checks that the unit is active, /api/v1/health answers, the service
# runs as the user vigil inside its sandbox (no capabilities, NoNewPrivs,
# seccomp, a read-only /usr), `systemd-analyze security` says OK or better,
# the journal has its lines with priorities, and purge removes it.
#
# Usage: sh scripts/deb-systemd.sh --deb FILE [--cache DIR] [--work DIR]
#                                   [--port N] [--keep]
# Prints "ok - ..." / "FAIL - ..." lines; exits 0 when all passed, 1 when
# one failed, 77 when a tool it needs is missing (debootstrap,
# systemd-nspawn, nsenter, curl) or it is not root.
set -eu

deb="" cache="" work="" port=18470 keep=0
while [ $# -gt 0 ]; do
	case $1 in
	--deb) deb=$2 && shift ;;
	--cache) cache=$2 && shift ;;
	--work) work=$2 && shift ;;
	--port) port=$2 && shift ;;
	--keep) keep=1 ;;
	*) echo "deb-systemd.sh: unknown option $1" >&2 && exit 2 ;;
	esac
	shift
done
[ -f "$deb" ] || { echo "deb-systemd.sh: --deb FILE: no such package '$deb'" >&2 && exit 2; }
if [ "$(id -u)" -ne 0 ]; then
	echo "skip: not root (debootstrap and systemd-nspawn need it)"
	exit 77
fi
for tool in debootstrap systemd-nspawn nsenter curl dpkg-deb; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "skip: $tool is missing (apt-get install debootstrap systemd-container util-linux curl; scripts/deps.sh)"
		exit 77
	fi
done
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
cache=${cache:-$(pwd)/build/debroot-bookworm}
work=${work:-$(mktemp -d /tmp/vigil-nspawn.XXXXXX)}
mkdir -p "$work"
failed=0
pass() { echo "ok - $1"; }
fail() {
	echo "FAIL - $1"
	failed=1
}
check_eq() { # name got want
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}

# ---- the fresh Debian 12 root, made once ----
if [ ! -x "$cache/usr/lib/systemd/systemd" ]; then
	rm -rf "$cache.tmp"
	mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
	echo "# debootstrap bookworm (minbase, systemd) into $cache from ${mirror:-the default mirror}"
	if ! debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus \
		bookworm "$cache.tmp" ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1; then
		tail -n 20 "$work/debootstrap.log"
		fail "debootstrap made a Debian 12 root"
		exit 1
	fi
	mv "$cache.tmp" "$cache"
fi
root=$work/root
rm -rf "$root"
cp -a "$cache" "$root"
cp "$deb" "$root/root/"
name=vigil-t$$

# ---- boot it ----
systemd-nspawn -D "$root" --boot --register=no --keep-unit --machine="$name" \
	>"$work/console.log" 2>&1 &
nspawn=$!
cleanup() {
	kill "$nspawn" 2>/dev/null || true
	wait "$nspawn" 2>/dev/null || true
	[ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT INT TERM
leader=""
i=0
while [ -z "$leader" ] && [ $i -lt 200 ] && kill -0 "$nspawn" 2>/dev/null; do
	# the container's PID 1, once it is systemd (nspawn's first child
	# execs it; until then it is nspawn's own image)
	leader=$(ps -o pid=,comm= --ppid "$nspawn" 2>/dev/null | awk '$2 == "systemd" { print $1; exit }')
	[ -n "$leader" ] && [ -e "/proc/$leader/ns/pid" ] || leader=""
	i=$((i + 1))
	sleep 0.1
done
[ -n "$leader" ] || {
	cat "$work/console.log"
	fail "systemd-nspawn booted the root"
	exit 1
}
# a command inside the container: its namespaces, a clean environment
inside() {
	nsenter --target "$leader" --mount --uts --ipc --net --pid -- \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		/bin/sh -c "$1"
}
state=""
i=0
while [ $i -lt 300 ]; do
	state=$(inside 'systemctl is-system-running 2>/dev/null' || true)
	case $state in running | degraded) break ;; esac
	i=$((i + 1))
	sleep 0.1
done
check_eq "systemd is PID 1 of the container and has booted" \
	"$(inside 'cat /proc/1/comm'):$state" "systemd:running"

# ---- install, as the operator would ----
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/|.*//; s/ //g' | tr '\n' ' ')
if inside "apt-get update -q && apt-get install -y -q --no-install-recommends $deps" \
	>"$work/apt.log" 2>&1; then
	pass "apt-get install the package's dependencies"
else
	tail -n 20 "$work/apt.log"
	fail "apt-get install the package's dependencies"
fi
if inside "dpkg -i /root/$(basename "$deb")" >"$work/dpkg.log" 2>&1; then
	pass "dpkg -i $(basename "$deb")"
else
	cat "$work/dpkg.log"
	fail "dpkg -i $(basename "$deb")"
fi
check_eq "the unit is enabled by the package" "$(inside 'systemctl is-enabled vigil')" "enabled"
inside "mkdir -p /run/systemd/system/vigil.service.d &&
	printf '[Service]\nEnvironment=VIGIL_SERVER_LISTEN=127.0.0.1:$port\n' \
		>/run/systemd/system/vigil.service.d/listen.conf &&
	systemctl daemon-reload && systemctl stop vigil"
check_eq "systemctl start vigil" "$(inside 'systemctl start vigil >/dev/null 2>&1; echo $?')" 0
check_eq "the unit is active (Type=notify: it sent READY=1)" "$(inside 'systemctl is-active vigil')" active
health() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/api/v1/health"; }
check_eq "the service answers /api/v1/health" "$(health)" 200

# ---- the sandbox, seen from the running process ----
pid=$(inside 'systemctl show -p MainPID --value vigil')
st=$(inside "cat /proc/$pid/status")
check_eq "it runs as the user vigil" "$(inside "stat -c %U /proc/$pid")" vigil
check_eq "no capabilities (CapabilityBoundingSet= empty)" \
	"$(printf '%s\n' "$st" | sed -n 's/^CapBnd:[[:space:]]*//p')" 0000000000000000
check_eq "NoNewPrivileges" "$(printf '%s\n' "$st" | sed -n 's/^NoNewPrivs:[[:space:]]*//p')" 1
check_eq "a seccomp filter (SystemCallFilter=)" \
	"$(printf '%s\n' "$st" | sed -n 's/^Seccomp:[[:space:]]*//p')" 2
check_eq "/usr is read-only to it (ProtectSystem=strict)" \
	"$(inside "nsenter --target $pid --mount -- sh -c 'touch /usr/vigil-probe 2>/dev/null && echo writable || echo read-only'")" \
	read-only
check_eq "/var/lib/vigil is writable to it (ReadWritePaths=)" \
	"$(inside "nsenter --target $pid --mount -- sh -c 'test -w /var/lib/vigil && mount | grep -q \" /var/lib/vigil \" && echo writable || echo no'")" \
	writable
inside 'systemd-analyze security --no-pager vigil.service' >"$work/security" 2>&1 || true
level=$(sed -n 's/.*Overall exposure level for vigil.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' "$work/security")
echo "# systemd-analyze security vigil.service (running): $level"
case ${level#* } in
SAFE | OK) pass "systemd-analyze security of the running unit: OK or better ($level)" ;;
*) fail "systemd-analyze security of the running unit: OK or better, got '$level'" ;;
esac

# ---- restart, reload (SIGHUP), journal, stop ----
check_eq "systemctl restart vigil" "$(inside 'systemctl restart vigil >/dev/null 2>&1; echo $?')" 0
check_eq "health after the restart" "$(health)" 200
before=$(inside 'systemctl show -p MainPID --value vigil')
check_eq "systemctl reload vigil (ExecReload, SIGHUP)" \
	"$(inside 'systemctl reload vigil >/dev/null 2>&1; echo $?')" 0
check_eq "still active after the reload" "$(inside 'systemctl is-active vigil')" active
check_eq "the same process after the reload" "$(inside 'systemctl show -p MainPID --value vigil')" \
	"$before"
inside 'journalctl -u vigil --no-pager -o json' >"$work/journal.json" 2>/dev/null || true
check_eq "the journal keeps its lines with levels (PRIORITY 6 'listening on')" \
	"$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if "listening on" in str(e.get("MESSAGE", "")) and e.get("PRIORITY") == "6":
        print("found"); break
' "$work/journal.json")" found
inside 'journalctl -u vigil --no-pager -n 12 -o short-iso' 2>/dev/null | sed 's/^/#   /'
check_eq "systemctl stop vigil" "$(inside 'systemctl stop vigil >/dev/null 2>&1; echo $?')" 0
check_eq "inactive after stop" "$(inside 'systemctl is-active vigil' || true)" inactive
check_eq "dpkg --purge vigil" "$(inside 'dpkg --purge vigil >/dev/null 2>&1; echo $?')" 0
check_eq "purge removes the data" "$(inside 'test -e /var/lib/vigil && echo kept || echo gone')" gone

inside 'systemctl poweroff' >/dev/null 2>&1 || true
i=0
while kill -0 "$nspawn" 2>/dev/null && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
exit $failed
