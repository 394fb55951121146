#!/bin/sh
# Install everything vigil needs to build, run and test on Debian 12.
# Idempotent: packages already present are skipped quickly. Works as root or
# through sudo. Test tools from npm are installed from tests/package-lock.json.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

PKGS="build-essential cmake pkg-config make gcc clang clang-format
libclang-rt-14-dev
libmicrohttpd-dev libgnutls28-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev
postgresql-15 postgresql-client-15
libssl-dev libcurl4-openssl-dev libzstd-dev liblzma-dev libarchive-dev libxml2-dev
libgpgme-dev gnupg libargon2-dev libinih-dev libcmocka-dev
p11-kit libp11-kit-dev softhsm2
jq curl ca-certificates chromium xxd
rpm ruby php-cli python3-packaging libmaven3-core-java openjdk-17-jre-headless
openssl python3 python3-yaml time libyaml-dev wrk nginx
libpcre2-dev json-schema-test-suite python3-jsonschema
libdivsufsort-dev nettle-dev bsdiff xdelta3 zstd
golang-go
golang-golang-x-mod-dev
bsdutils rsyslog
libsystemd-dev dpkg-dev lintian systemd strace debootstrap systemd-container"
# bsdutils: logger (t9002 syslog tests); rsyslog: omfwd relay in t9002 (skipped without)

# libsystemd-dev: sd_notify readiness of `vigil serve` under systemd (optional:
# vigil builds without it). dpkg-dev (dpkg-shlibdeps), lintian: `make deb`
# (scripts/deb.sh) and t0024-deb, which runs lintian when it is installed;
# systemd (systemd-analyze security, systemd-sysusers --root) and strace (the
# service's system calls against the unit's filter): t0024-deb.
# debootstrap, systemd-container (systemd-nspawn): t0028-deb-systemd boots a
# fresh Debian 12 root with systemd as its PID 1 and installs the package
# there (scripts/deb-systemd.sh).
# golang-go, golang-golang-x-mod-dev: t0020-tlog-go and the t91xx evidence
# tests check audit checkpoints, proofs and bundle signatures with
# golang.org/x/mod sumdb/note and sumdb/tlog (tests/tools/tlogcheck, built
# offline); they skip when Go is missing.
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if ! command -v node >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
else
	echo "deps: Debian packages present"
fi

# npm packages from the lockfile: the test tools (playwright-core, validators)
# and @cyclonedx/cyclonedx-library, whose res/schema the build copies into
# build/share/vigil/schemas and `cmake --install` installs with vigil
# (CMake cache variable VIGIL_CYCLONEDX_SCHEMAS).
if [ -f "$here/tests/package.json" ]; then
	if [ ! -d "$here/tests/node_modules" ] ||
		[ "$here/tests/package-lock.json" -nt "$here/tests/node_modules/.package-lock.json" ]; then
		echo "deps: npm ci in tests/"
		(cd "$here/tests" && npm ci --no-audit --no-fund --loglevel=error)
	else
		echo "deps: npm test tools present"
	fi
fi
