#!/bin/sh
# The Debian package (issue 24 item 4): `make deb` runs scripts/deb.sh, here
# given the test build. The package holds /usr/bin/vigil, the schemas in
# /usr/share/vigil, the settings /etc/vigil/vigil.ini as a conffile with
# every key of `vigil config keys` (the data's place set, the rest commented
# out), the unit, the sysusers file, /var/lib/vigil, the maintainer scripts;
# lintian finds no error (when installed). Installed with
# `dpkg --root` into a clean root (maintainer scripts chrootless, as root):
# the user vigil, owners and modes, the conffile registered; the installed
# binary, run from that root, validates an SBOM with its own schemas and
# serves /api/v1/health; its log lines carry syslog priorities when stderr
# is the journal (JOURNAL_STREAM) and it sends READY=1, RELOADING=1/READY=1
# on SIGHUP and STOPPING=1 to NOTIFY_SOCKET (when built with libsystemd).
# Run as the user vigil under strace, its system calls are all allowed by
# the unit's SystemCallFilter=, it maps no writable and executable memory
# and writes only in /var/lib/vigil, /tmp and /dev (packaging/deb/syscalls.py).
# `remove` keeps the data and settings, `purge` deletes them.
# `systemd-analyze security` of the unit is printed and must be OK or
# better. Where systemd is PID 1 (and we are root), the package is
# installed for real and the unit started. Skips what a tool it needs is
# missing for, saying so.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

unset VIGIL_CONFIG VIGIL_SBOM_SCHEMA_DIR VIGIL_SBOM_SPDX_SCHEMA_DIR JOURNAL_STREAM NOTIFY_SOCKET
build=${VIGIL_BUILD_DIR:-$(dirname "$VIGIL")}
src=$VIGIL_SOURCE_DIR

for tool in dpkg-deb dpkg dpkg-shlibdeps python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "skip: $tool is missing (apt-get install dpkg-dev python3; scripts/deps.sh)"
		finish
		exit $?
	fi
done

# ---- the build ----
ok "make deb runs scripts/deb.sh" sh -c "make -n -C '$src' deb | grep -q 'sh scripts/deb.sh'"
check_eq "scripts/deb.sh builds the package" \
	"$(run_cmd sh "$src/scripts/deb.sh" --build "$build" --out "$T_DIR/pkg")" 0
deb=$(tail -n 1 "$T_DIR/out")
arch=$(dpkg --print-architecture)
if [ ! -f "$deb" ]; then
	echo "no package built:"
	cat "$T_DIR/err"
	finish
	exit 1
fi
check_contains "named vigil_VERSION_ARCH.deb" "$deb" "/pkg/vigil_"
check_contains "for this architecture" "$deb" "_$arch.deb"

# ---- what is in it ----
dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' >"$T_DIR/contents"
contents=$(cat "$T_DIR/contents")
check_contains "the binary in /usr/bin" "$contents" "-rwxr-xr-x root/root ./usr/bin/vigil"
check_contains "the CycloneDX schemas in /usr/share/vigil/schemas" "$contents" \
	"./usr/share/vigil/schemas/cyclonedx/bom-1.6.SNAPSHOT.schema.json"
check_contains "the settings in /etc/vigil" "$contents" "-rw-r--r-- root/root ./etc/vigil/vigil.ini"
check_contains "the unit" "$contents" "./lib/systemd/system/vigil.service"
check_contains "the user's sysusers file" "$contents" "./usr/lib/sysusers.d/vigil.conf"
check_contains "the data folder" "$contents" "./var/lib/vigil/"
check_contains "the copyright file" "$contents" "./usr/share/doc/vigil/copyright"
check_contains "the operator's guide" "$contents" "./usr/share/doc/vigil/operator.md"
check_not_contains "nothing in /usr/local" "$contents" "./usr/local"
check_eq "every file owned by root" "$(awk '$2 != "root/root"' "$T_DIR/contents")" ""
check_eq "package name" "$(dpkg-deb -f "$deb" Package)" "vigil"
check_eq "architecture" "$(dpkg-deb -f "$deb" Architecture)" "$arch"
depends=$(dpkg-deb -f "$deb" Depends)
check_contains "depends on the C library (dpkg-shlibdeps)" "$depends" "libc6"
check_contains "depends on adduser" "$depends" "adduser"
check_contains "depends on procps (ExecReload's /bin/kill)" "$depends" "procps"
missing=""
for p in $(printf '%s\n' "$depends" | tr ',' '\n' | sed 's/(.*//; s/|.*//; s/ //g'); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
check_eq "every dependency is a package installed here" "$missing" ""
mkdir -p "$T_DIR/ctrl"
dpkg-deb -e "$deb" "$T_DIR/ctrl"
check_eq "the settings are a conffile" "$(cat "$T_DIR/ctrl/conffiles")" "/etc/vigil/vigil.ini"
for s in postinst prerm postrm; do
	ok "maintainer script $s, executable, valid sh" sh -c "test -x '$T_DIR/ctrl/$s' && sh -n '$T_DIR/ctrl/$s'"
done
check_contains "postinst makes the system user" "$(cat "$T_DIR/ctrl/postinst")" "systemd-sysusers"
check_contains "postrm deletes the data on purge" "$(cat "$T_DIR/ctrl/postrm")" 'rm -rf "$root/var/lib/vigil"'
ok "md5sums cover the files" grep -q ' usr/bin/vigil$' "$T_DIR/ctrl/md5sums"

# the settings file: every key, the data's place set, accepted by vigil
mkdir -p "$T_DIR/x"
dpkg-deb -x "$deb" "$T_DIR/x"
ini=$T_DIR/x/etc/vigil/vigil.ini
missing=""
for k in $("$VIGIL" config keys --json | jq -r '.[].key'); do
	sec=${k%%.*}
	name=${k#*.}
	awk -v s="[$sec]" -v n="$name" '
		$0 == s { in_s = 1; next } /^\[/ { in_s = 0 }
		in_s && ($0 ~ "^#?" n " =") { found = 1 } END { exit !found }' "$ini" ||
		missing="$missing $k"
done
check_eq "vigil.ini names every key of vigil config keys" "$missing" ""
check_contains "vigil.ini puts the database in /var/lib/vigil" "$(cat "$ini")" \
	"url = /var/lib/vigil/vigil.db"
check_eq "only the database is set, the rest commented out" \
	"$(grep -v '^#' "$ini" | grep -v '^\[' | grep -c '=')" 1
check_eq "vigil config check accepts vigil.ini" "$(run_cmd "$VIGIL" config check "$ini")" 0

if command -v lintian >/dev/null 2>&1; then
	lintian --tag-display-limit 0 "$deb" >"$T_DIR/lintian" 2>&1
	echo "lintian:"
	grep -v 'root privileges' "$T_DIR/lintian" | sed 's/^/    /'
	check_eq "lintian: no error" "$(grep -c '^E:' "$T_DIR/lintian")" 0
else
	echo "skip: lintian is not installed (apt-get install lintian)"
fi

# ---- the sandbox's score ----
if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
	systemd-analyze security --no-pager --offline=yes "$T_DIR/x/lib/systemd/system/vigil.service" \
		>"$T_DIR/score" 2>&1
	echo "systemd-analyze security --offline=yes vigil.service:"
	sed 's/^/    /' "$T_DIR/score"
	level=$(sed -n 's/.*Overall exposure level for vigil.service: \([0-9.]*\) \([A-Z]*\).*/\2/p' "$T_DIR/score")
	case $level in
	SAFE | OK) check_eq "the unit's exposure is OK or better" "$level" "$level" ;;
	*) check_eq "the unit's exposure is OK or better" "$level" "OK" ;;
	esac
	for d in "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" "NoNewPrivileges=yes" \
		"CapabilityBoundingSet=" "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" \
		"SystemCallFilter=@system-service" "ReadWritePaths=/var/lib/vigil" \
		"ExecReload=/bin/kill -HUP \$MAINPID" "User=vigil"; do
		ok "unit: $d" grep -qx "$d" "$T_DIR/x/lib/systemd/system/vigil.service"
	done
	if ldd "$VIGIL" | grep -q libsystemd; then
		ok "unit: Type=notify (built with libsystemd)" grep -qx "Type=notify" \
			"$T_DIR/x/lib/systemd/system/vigil.service"
	else
		ok "unit: Type=exec (built without libsystemd)" grep -qx "Type=exec" \
			"$T_DIR/x/lib/systemd/system/vigil.service"
	fi
else
	echo "skip: systemd-analyze has no --offline (systemd 252 or later needed)"
fi

# ---- installed into a clean root ----
if [ "$(id -u)" -ne 0 ]; then
	echo "skip: not root: dpkg --root cannot install with owners and make the user"
	finish
	exit $?
fi
if ! command -v systemd-sysusers >/dev/null 2>&1; then
	echo "skip: no systemd-sysusers (apt-get install systemd): postinst cannot make the user in a root"
	finish
	exit $?
fi
R=$T_DIR/root
mkdir -p "$R/etc" "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
: >"$R/var/lib/dpkg/status"
: >"$R/var/lib/dpkg/available"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\n' >"$R/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$R/etc/shadow"
printf 'root:*::\n' >"$R/etc/gshadow"
chmod 0640 "$R/etc/shadow" "$R/etc/gshadow"
# --force-depends: the clean root holds no libraries; the binary runs with
# this machine's (checked above: every dependency is installed here)
dpkgr() {
	dpkg --root="$R" --force-script-chrootless --force-depends --log=/dev/null "$@"
}
check_eq "dpkg --root installs it (maintainer scripts run)" "$(run_cmd dpkgr -i "$deb")" 0
check_contains "postinst ran" "$(cat "$T_DIR/out")" "Setting up vigil"
check_eq "installed" "$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Status}' vigil)" \
	"install ok installed"
check_contains "the conffile is registered" \
	"$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Conffiles}' vigil)" "/etc/vigil/vigil.ini"
user=$(grep '^vigil:' "$R/etc/passwd")
check_contains "postinst made the user vigil, home /var/lib/vigil, no login" "$user" \
	":/var/lib/vigil:/usr/sbin/nologin"
uid=$(printf '%s\n' "$user" | cut -d: -f3)
gid=$(grep '^vigil:' "$R/etc/group" | cut -d: -f3)
ok "a system user (uid below 1000)" test "${uid:-1000}" -lt 1000
check_eq "/var/lib/vigil: vigil's, 0750" "$(stat -c '%u:%g %a' "$R/var/lib/vigil")" "$uid:$gid 750"
check_eq "vigil.ini: root:vigil 0640" "$(stat -c '%u:%g %a' "$R/etc/vigil/vigil.ini")" "0:$gid 640"
check_eq "installing again (upgrade path) works" "$(run_cmd dpkgr -i "$deb")" 0
check_eq "the user is not made twice" "$(grep -c '^vigil:' "$R/etc/passwd")" 1

# the installed binary, run from the root, with the installed settings
VIGIL=$R/usr/bin/vigil
export VIGIL_CONFIG="$R/etc/vigil/vigil.ini"
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	fresh_db
else
	# the package's place for the data, inside the root; keys beside it
	unset VIGIL_SECRETS_KEY_FILE
	export VIGIL_DB="$R/var/lib/vigil/vigil.db"
	check_eq "vigil init with the installed binary" "$(run_cmd "$VIGIL" init)" 0
	ok "the audit checkpoint key beside the database" \
		test -f "$R/var/lib/vigil/vigil.db.checkpoint.key"
fi
mkdir -p "$T_DIR/w"
cp "$VIGIL_SHARED_DATA/sbom/cyclonedx-bom-examples/CBOM/Algorithm/bom.json" "$T_DIR/w/bom.json"
check_eq "the installed binary validates with the schemas of the root" \
	"$(cd "$T_DIR/w" && run_cmd "$VIGIL" sbom validate bom.json)" 0

# readiness and stop through a notification socket like systemd's
notify_listen() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
with open(sys.argv[2], "a") as f:
    while True:
        try:
            m = s.recv(4096).decode()
        except socket.timeout:
            break
        f.write(m.replace("\n", " ") + "\n")
        f.flush()
        if "STOPPING=1" in m:
            break
' "$1" "$2" &
	NOTIFY_PID=$!
	i=0
	while [ ! -S "$1" ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.05
	done
}
wait_line() { # FILE TEXT: wait until FILE has a line with TEXT
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $i -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
}
: >"$T_DIR/notify"
notify_listen "$T_DIR/notify.sock" "$T_DIR/notify"
# stderr is the journal when JOURNAL_STREAM names it: its device and inode
: >"$T_DIR/server.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T_DIR/server.log")
export JOURNAL_STREAM
export NOTIFY_SOCKET="$T_DIR/notify.sock"
start_server
unset JOURNAL_STREAM NOTIFY_SOCKET
check_eq "the installed server answers /api/v1/health" "$(http GET /api/v1/health)" 200
check_eq "health says ok" "$(body | jq -r .status)" "ok"
if ldd "$VIGIL" | grep -q libsystemd; then
	wait_line "$T_DIR/notify" "READY=1"
	check_eq "READY=1 once listening" "$(head -n 1 "$T_DIR/notify")" "READY=1"
	kill -HUP "$T_SERVER_PID"
	wait_line "$T_DIR/notify" "RELOADING=1"
	ok "RELOADING=1 on SIGHUP (with MONOTONIC_USEC)" grep -q "^RELOADING=1 MONOTONIC_USEC=[0-9]" "$T_DIR/notify"
	i=0
	while [ "$(grep -c '^READY=1' "$T_DIR/notify")" -lt 2 ] && [ $i -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	check_eq "READY=1 again after the reload" "$(sed -n 3p "$T_DIR/notify")" "READY=1"
else
	echo "skip: the binary is built without libsystemd: no sd_notify"
fi
stop_server
if ldd "$VIGIL" | grep -q libsystemd; then
	wait_line "$T_DIR/notify" "STOPPING=1"
	check_eq "STOPPING=1 on SIGTERM" "$(tail -n 1 "$T_DIR/notify")" "STOPPING=1"
fi
kill "$NOTIFY_PID" 2>/dev/null
wait "$NOTIFY_PID" 2>/dev/null
log=$(cat "$T_DIR/server.log")
check_contains "journal lines carry the priority: info is <6>" "$log" "<6>vigil[info]: listening on http://"
check_eq "every line starts with a priority" "$(grep -cv '^<[0-7]>vigil\[' "$T_DIR/server.log")" 0
# stderr not the journal: a time and the level, one line per event
start_server
stop_server
check_contains "without the journal: time and level" "$(cat "$T_DIR/server.log")" "Z vigil[info]: listening on"
check_eq "no priority prefix then" "$(grep -c '^<' "$T_DIR/server.log")" 0

# The system calls the service makes, as the user vigil, checked against
# the unit's SystemCallFilter= (where strace runs; SQLite only: the test's
# PostgreSQL key file is root's): start, health, pages, a failed login
# (Argon2, an audited write), SIGHUP, SIGTERM.
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	echo "skip: the system call check runs on SQLite"
elif [ "$("$VIGIL" --version --json | jq -r .build.sanitizers)" = true ]; then
	echo "skip: a sanitizer build (its runtime's calls and LeakSanitizer's ptrace are not the package's)"
elif ! command -v strace >/dev/null 2>&1 || ! command -v setpriv >/dev/null 2>&1; then
	echo "skip: strace or setpriv is missing: the system calls are not checked"
elif ! strace -f -qq -o /dev/null true 2>/dev/null; then
	echo "skip: strace cannot trace here (ptrace refused)"
else
	chmod 0711 "$T_DIR" # the user vigil reaches the root in it
	chown -R "$uid:$gid" "$R/var/lib/vigil"
	port_file=$R/var/lib/vigil/port
	(cd "$R/var/lib/vigil" && exec strace -f -qq -o "$T_DIR/strace" \
		setpriv --reuid="$uid" --regid="$gid" --clear-groups \
		"$VIGIL" serve --listen 127.0.0.1:0 --port-file "$port_file") >"$T_DIR/traced.log" 2>&1 &
	spid=$!
	i=0
	while [ ! -s "$port_file" ] && [ $i -lt 400 ] && kill -0 "$spid" 2>/dev/null; do
		i=$((i + 1))
		sleep 0.05
	done
	BASE=http://127.0.0.1:$(cat "$port_file" 2>/dev/null)
	check_eq "as the user vigil, traced: health" "$(http GET /api/v1/health)" 200
	check_eq "the login page" "$(http GET /ui/login)" 200
	http POST /ui/login -d "username=nobody&password=wrong" >/dev/null
	http GET /.well-known/security.txt >/dev/null
	vpid=$(pgrep -P "$spid" | head -n 1) # strace's child: setpriv, then vigil
	kill -HUP "$vpid"
	wait_line "$T_DIR/traced.log" "SIGHUP"
	kill -TERM "$vpid"
	wait "$spid"
	check_contains "it stopped cleanly" "$(cat "$T_DIR/traced.log")" "stopped"
	check_eq "its system calls are allowed by the unit's SystemCallFilter, no W+X memory, writes only in the data folder, /tmp and /dev" \
		"$(run_cmd python3 "$VIGIL_SOURCE_DIR/packaging/deb/syscalls.py" "$T_DIR/strace" \
			"$T_DIR/x/lib/systemd/system/vigil.service" "$R/var/lib/vigil")" 0
	sed 's/^/    /' "$T_DIR/out" "$T_DIR/err"
fi

# remove keeps the data and the settings; purge deletes them
check_eq "dpkg --remove" "$(run_cmd dpkgr -r vigil)" 0
ok "the binary is gone" test ! -e "$R/usr/bin/vigil"
ok "the settings stay after remove" test -f "$R/etc/vigil/vigil.ini"
if [ -z "${VIGIL_TEST_PG:-}" ]; then
	ok "the data stays after remove" test -f "$R/var/lib/vigil/vigil.db"
fi
check_eq "dpkg --purge" "$(run_cmd dpkgr -P vigil)" 0
ok "the data is gone after purge" test ! -e "$R/var/lib/vigil"
ok "the settings are gone after purge" test ! -e "$R/etc/vigil"

# ---- for real, where systemd runs ----
if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && [ -d /run/systemd/system ]; then
	if dpkg-query -W -f='${Status}' vigil 2>/dev/null | grep -q installed; then
		echo "skip: a vigil package is installed on this machine: not touching it"
	else
		port=$((18000 + $$ % 1000))
		check_eq "dpkg -i on this machine" "$(run_cmd dpkg -i "$deb")" 0
		mkdir -p /run/systemd/system/vigil.service.d
		printf '[Service]\nEnvironment=VIGIL_SERVER_LISTEN=127.0.0.1:%s\n' "$port" \
			>/run/systemd/system/vigil.service.d/t0024.conf
		systemctl daemon-reload
		check_eq "systemctl restart vigil" "$(run_cmd systemctl restart vigil)" 0
		check_eq "the unit is active (Type=notify: READY=1 came)" \
			"$(systemctl is-active vigil)" "active"
		BASE=http://127.0.0.1:$port
		check_eq "the service answers /api/v1/health" "$(http GET /api/v1/health)" 200
		check_eq "systemctl reload vigil" "$(run_cmd systemctl reload vigil)" 0
		check_eq "still active after the reload" "$(systemctl is-active vigil)" "active"
		systemd-analyze security --no-pager vigil.service | tail -n 1
		journalctl -u vigil --no-pager -n 20 -o short-iso 2>/dev/null | sed 's/^/    /'
		rm -rf /run/systemd/system/vigil.service.d
		check_eq "dpkg --purge on this machine" "$(run_cmd dpkg -P vigil)" 0
		systemctl daemon-reload
	fi
else
	echo "skip: systemd is not PID 1 here: the unit is not started for real"
fi

finish
