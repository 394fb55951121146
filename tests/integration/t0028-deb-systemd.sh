#!/bin/sh
# The package under a real systemd (issue 24, "Done when"): `dpkg -i
# vigil_*.deb && systemctl start vigil` on a fresh Debian 12, made with
# debootstrap and booted with systemd-nspawn so systemd is PID 1 there
# whatever this machine runs (scripts/deb-systemd.sh does the work and
# prints its checks). The unit starts (Type=notify), answers
# /api/v1/health, runs as vigil with no capabilities, NoNewPrivs, seccomp
# and a read-only /usr, scores OK or better in `systemd-analyze security`,
# restarts, reloads on SIGHUP in the same process, logs to the journal with
# priorities, stops, and is purged. The Debian root is made once per build
# folder (about 90 s and 260 MB from the Debian mirror) and reused.
# Skips without root, debootstrap or systemd-nspawn (scripts/deps.sh
# installs them), or with VIGIL_TEST_NSPAWN=0.
# vigil-test: conformance (run once, on SQLite)
# vigil-test: long (ctest starts it first)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

if [ "${VIGIL_TEST_NSPAWN:-1}" = 0 ]; then
	echo "skip: VIGIL_TEST_NSPAWN=0"
	finish
	exit $?
fi
build=${VIGIL_BUILD_DIR:-$(dirname "$VIGIL")}
check_eq "scripts/deb.sh builds the package" \
	"$(run_cmd sh "$VIGIL_SOURCE_DIR/scripts/deb.sh" --build "$build" --out "$T_DIR/pkg")" 0
deb=$(tail -n 1 "$T_DIR/out")
port=$((18500 + $$ % 400))
sh "$VIGIL_SOURCE_DIR/scripts/deb-systemd.sh" --deb "$deb" --cache "$build/debroot-bookworm" \
	--work "$T_DIR/nspawn" --port "$port" >"$T_DIR/ns.out" 2>&1
rc=$?
cat "$T_DIR/ns.out"
if [ $rc -eq 77 ]; then
	finish
	exit $?
fi
check_eq "every check of scripts/deb-systemd.sh passed" "$rc" 0
check_eq "no FAIL line" "$(grep -c '^FAIL' "$T_DIR/ns.out")" 0
check_contains "it ran the health check" "$(cat "$T_DIR/ns.out")" "ok - the service answers /api/v1/health"
finish
