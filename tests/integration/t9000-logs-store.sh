#!/bin/sh
# t9000 - the log store from the command line (issue 21, items 2 to 4):
# generated JSON lines with known answers stored, queried by time, product,
# version, source and text before and after sealing; a query for one product
# version reads only the blocks the index names; stats; a changed byte in a
# sealed segment and a deleted segment found by `vigil logs verify`; both
# artifact stores (directory, database); bad input refused with its line;
# mapping rules; retention and legal holds with VIGIL_NOW.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

# gen N: JSON lines over 10 days from 2026-03-01, for products a and b
# (versions 1.0 and 2.0) and source gateway/nginx; every 7th line has
# "ERROR" in its message; lines without product have path /api/v2/... or
# /api/v1/... (for the mapping rule).
gen() {
	python3 - "$1" <<'EOF'
import json, sys
n = int(sys.argv[1])
base = 1772323200  # 2026-03-01T00:00:00Z
for i in range(n):
    t = base + (i * 864000) // n
    prod = ["a", "b", ""][i % 3]
    ver = ["1.0", "2.0"][(i // 3) % 2] if prod else ""
    src = ["gateway", "nginx"][(i // 6) % 2]
    ev = {"time": t, "source": src, "host": "h%d" % (i % 4),
          "message": "%s GET /api/v%d/item/%d %d" % ("ERROR" if i % 7 == 0 else "INFO", 1 + i % 2, i, 200 + i % 5)}
    if prod:
        ev["product"] = prod
        ev["version"] = ver
    else:
        ev["path"] = "/api/v%d/item/%d" % (1 + i % 2, i)
    ev["status"] = 200 + i % 5
    print(json.dumps(ev))
EOF
}

# expect N FILTER...: the count of generated events matching (python).
expect() {
	python3 - "$@" <<'EOF'
import sys
n = int(sys.argv[1]); args = dict(a.split("=", 1) for a in sys.argv[2:])
base = 1772323200
c = 0
for i in range(n):
    t = base + (i * 864000) // n
    prod = ["a", "b", ""][i % 3]
    ver = ["1.0", "2.0"][(i // 3) % 2] if prod else ""
    src = ["gateway", "nginx"][(i // 6) % 2]
    msg = "%s GET /api/v%d/item/%d %d" % ("ERROR" if i % 7 == 0 else "INFO", 1 + i % 2, i, 200 + i % 5)
    if "mapped" in args and not prod and src == "gateway" and (1 + i % 2) == 2:
        prod, ver = "gw", "9"
    if "product" in args and prod != args["product"]: continue
    if "version" in args and ver != args["version"]: continue
    if "source" in args and src != args["source"]: continue
    if "since" in args and t < int(args["since"]): continue
    if "until" in args and t > int(args["until"]): continue
    if "grep" in args and args["grep"] not in msg: continue
    c += 1
print(c)
EOF
}

count() {
	"$VIGIL" logs query --limit 100000 --json "$@" | jq '.events | length'
}

run_store() {
	label=$1
	N=3000
	gen $N >"$T_DIR/ev.jsonl"

	check_eq "$label: mapping rule added" \
		"$(run_cmd "$VIGIL" logs map add --source gateway --match 'path=/api/v2/*' --product gw --version 9)" 0
	check_eq "$label: ingest exit" "$(run_cmd "$VIGIL" logs ingest "$T_DIR/ev.jsonl")" 0
	check_contains "$label: ingest says how many" "$(cat "$T_DIR/out")" "3000 events stored"

	for phase in open sealed; do
		check_eq "$label/$phase: all events" "$(count)" "$N"
		check_eq "$label/$phase: product a" "$(count --product a)" "$(expect $N product=a mapped=1)"
		check_eq "$label/$phase: product b version 2.0" "$(count --product b --version 2.0)" \
			"$(expect $N product=b version=2.0 mapped=1)"
		check_eq "$label/$phase: mapped by the rule (gw 9)" "$(count --product gw --version 9)" \
			"$(expect $N product=gw version=9 mapped=1)"
		check_eq "$label/$phase: source nginx" "$(count --source nginx)" "$(expect $N source=nginx)"
		# one day: 2026-03-04
		check_eq "$label/$phase: one day, product a 1.0" \
			"$(count --product a --version 1.0 --since 2026-03-04T00:00:00Z --until 2026-03-04T23:59:59Z)" \
			"$(expect $N product=a version=1.0 since=1772582400 until=1772668799 mapped=1)"
		check_eq "$label/$phase: grep ERROR in source gateway" "$(count --source gateway --grep ERROR)" \
			"$(expect $N source=gateway grep=ERROR)"
		"$VIGIL" logs query --product a --version 1.0 --since 2026-03-04 --until 2026-03-04T23:59:59Z \
			--limit 5 --json >"$T_DIR/q.json"
		check_eq "$label/$phase: limit honoured" "$(jq '.events | length' "$T_DIR/q.json")" 5
		check_eq "$label/$phase: in time order" \
			"$(jq -r '[.events[].time] | (. == sort)' "$T_DIR/q.json")" true
		check_eq "$label/$phase: right product and version" \
			"$(jq -r '[.events[] | .product + " " + .version] | unique | join(",")' "$T_DIR/q.json")" "a 1.0"
		check_eq "$label/$phase: other fields kept" \
			"$(jq -r '.events[0].fields.status | type' "$T_DIR/q.json")" number
		# paging: offset 5 continues where limit 5 stopped
		a=$("$VIGIL" logs query --product b --limit 10 --json | jq -c '[.events[5:10][].message]')
		b=$("$VIGIL" logs query --product b --limit 5 --offset 5 --json | jq -c '[.events[].message]')
		check_eq "$label/$phase: paging by offset" "$b" "$a"
		# blocks read by a query of one product version: only the index's
		all=$("$VIGIL" logs query --limit 100000 --json | jq .blocks_read)
		one=$("$VIGIL" logs query --product a --version 1.0 --since 2026-03-04 \
			--until 2026-03-04T23:59:59Z --limit 100000 --json | jq .blocks_read)
		ok "$label/$phase: one version and day reads fewer blocks ($one of $all)" test "$one" -lt "$all"
		idx=$(db_sql "SELECT COUNT(*) FROM log_blocks WHERE product = 'a' AND version = '1.0' AND max_time >= 1772582400 AND min_time <= 1772668799")
		check_eq "$label/$phase: blocks read = blocks the index names" "$one" "$idx"
		"$VIGIL" logs query --product a --version 1.0 --limit 2 --format syslog >"$T_DIR/sys.txt"
		check_contains "$label/$phase: --format syslog is RFC 5424 with our SD" "$(cat "$T_DIR/sys.txt")" \
			'[vigil@32473 product="a" version="1.0"]'
		if [ $phase = open ]; then
			check_eq "$label: seal exit" "$(run_cmd "$VIGIL" logs seal --json)" 0
			check_eq "$label: two sources, two segments" "$(jq .segments "$T_DIR/out")" 2
		fi
	done

	"$VIGIL" logs stats --json >"$T_DIR/stats.json"
	check_eq "$label: stats events" "$(jq .events "$T_DIR/stats.json")" "$N"
	check_eq "$label: stats sources" "$(jq -r '[.sources[].source] | join(",")' "$T_DIR/stats.json")" "gateway,nginx"
	check_eq "$label: stats oldest" "$(jq -r .oldest "$T_DIR/stats.json")" "2026-03-01T00:00:00Z"
	check_eq "$label: nothing open after the seal" "$(jq .events_open "$T_DIR/stats.json")" 0
	check_eq "$label: retention default 10 years" "$(jq '.sources[0].retention_years' "$T_DIR/stats.json")" 10
	ok "$label: bytes per event reported" jq -e '.bytes_per_event > 0' "$T_DIR/stats.json"
	check_contains "$label: stats text" "$("$VIGIL" logs stats)" "bytes stored"
	check_eq "$label: seal audited with the hash" \
		"$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'logs.seal'")" 2
	check_eq "$label: verify ok" "$(run_cmd "$VIGIL" logs verify)" 0
	check_contains "$label: verify counts" "$(cat "$T_DIR/out")" "2 sealed segments verified"
}

# ---- the directory store (SQLite default, or a directory with PostgreSQL) ----
fresh_db
export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts"
run_store dir
seg=$(db_sql "SELECT sha256 FROM log_segments ORDER BY id LIMIT 1")
f="$T_DIR/artifacts/$(echo "$seg" | cut -c1-2)/$seg"
ok "dir: the segment is a file named by its SHA-256" test -f "$f"
# change one byte in the middle of the first segment
chmod u+w "$f"
python3 -c "
import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(b)" "$f"
check_eq "dir: a changed byte fails verify" "$(run_cmd "$VIGIL" logs verify)" 1
check_contains "dir: names the changed segment" "$(cat "$T_DIR/err")" "segment 1 (source gateway) has changed"
python3 -c "
import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(b)" "$f"
check_eq "dir: restored, verify ok" "$(run_cmd "$VIGIL" logs verify)" 0
seg2=$(db_sql "SELECT sha256 FROM log_segments ORDER BY id DESC LIMIT 1")
mv "$T_DIR/artifacts/$(echo "$seg2" | cut -c1-2)/$seg2" "$T_DIR/moved"
check_eq "dir: a deleted segment fails verify" "$(run_cmd "$VIGIL" logs verify)" 1
check_contains "dir: names the missing segment" "$(cat "$T_DIR/err")" "segment 2 (source nginx"
check_contains "dir: says missing" "$(cat "$T_DIR/err")" "is missing"
mv "$T_DIR/moved" "$T_DIR/artifacts/$(echo "$seg2" | cut -c1-2)/$seg2"
# rewriting the index row's hash too is caught by the audit record
db_sql "UPDATE log_segments SET sha256 = 'ff$(echo "$seg" | cut -c3-)' WHERE id = 1" >/dev/null
check_eq "dir: a rewritten hash fails verify" "$(run_cmd "$VIGIL" logs verify)" 1
check_contains "dir: against the audit trail" "$(cat "$T_DIR/err")" "not the one the audit trail recorded"
db_sql "UPDATE log_segments SET sha256 = '$seg' WHERE id = 1" >/dev/null

# ---- retention and legal holds (VIGIL_NOW) ----
check_eq "retention: under 10 years refused without override" \
	"$(run_cmd "$VIGIL" logs retention set --source gateway --years 2)" 1
check_contains "retention: says why" "$(cat "$T_DIR/err")" "shorter than the 10 years"
export VIGIL_NOW=2036-03-05T00:00:00Z
check_eq "expire before 10 years: nothing" "$("$VIGIL" logs expire --json | jq .deleted)" 0
export VIGIL_NOW=2036-03-12T00:00:00Z
check_eq "hold add (product a)" "$(run_cmd "$VIGIL" logs hold add --product a --reason 'case 7 evidence' --case 7)" 0
check_eq "hold list" "$("$VIGIL" logs hold list --json | jq -r '.[0].case')" 7
check_eq "expire after 10 years: the held segments stay" "$("$VIGIL" logs expire --json | jq .deleted)" 0
check_eq "hold release" "$(run_cmd "$VIGIL" logs hold release 1)" 0
check_eq "hold release twice refused" "$(run_cmd "$VIGIL" logs hold release 1)" 1
check_eq "hold on a time range" "$(run_cmd "$VIGIL" logs hold add --since 2026-03-05 --until 2026-03-06 --reason 'incident window')" 0
check_eq "expire: still held by the time range" "$("$VIGIL" logs expire --json | jq .deleted)" 0
check_eq "release the time-range hold" "$(run_cmd "$VIGIL" logs hold release 2)" 0
check_eq "expire: both segments go" "$("$VIGIL" logs expire --json | jq .deleted)" 2
check_eq "expired: audited with the hash" \
	"$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'logs.segment.expire' AND before_json LIKE '%sha256%'")" 2
check_eq "expired: the files are gone" "$(find "$T_DIR/artifacts" -type f | wc -l | tr -d ' ')" 0
check_eq "expired: no events left" "$(count)" 0
check_eq "expired: verify still ok" "$(run_cmd "$VIGIL" logs verify)" 0
check_eq "override under 10 years (audited)" \
	"$(run_cmd "$VIGIL" logs retention set --source gateway --years 2 --override 'test system, no product data')" 0
check_eq "override audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'logs.retention.override'")" 1
unset VIGIL_NOW

# ---- the database store ----
fresh_db
export VIGIL_UPDATE_ARTIFACT_STORE=db
unset VIGIL_UPDATE_ARTIFACT_DIR
run_store db
check_eq "db: chunks in the database" "$(db_sql "SELECT COUNT(*) > 0 FROM artifact_chunks")" "$(db_sql "SELECT 1 = 1")"
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	db_sql "UPDATE artifact_chunks SET data = decode(repeat('00', length(data)), 'hex') WHERE seq = 0 AND sha256 = (SELECT sha256 FROM log_segments WHERE id = 2)" >/dev/null
else
	db_sql "UPDATE artifact_chunks SET data = zeroblob(length(data)) WHERE seq = 0 AND sha256 = (SELECT sha256 FROM log_segments WHERE id = 2)" >/dev/null
fi
check_eq "db: a changed chunk fails verify" "$(run_cmd "$VIGIL" logs verify)" 1
check_contains "db: names segment 2" "$(cat "$T_DIR/err")" "segment 2"
unset VIGIL_UPDATE_ARTIFACT_STORE

# ---- bad input ----
fresh_db
export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts2"
printf '{"time":"2026-03-01T00:00:00Z","source":"s","message":"ok"}\n{"time":"yesterday","source":"s","message":"x"}\n' >"$T_DIR/bad1"
check_eq "bad time refused" "$(run_cmd "$VIGIL" logs ingest "$T_DIR/bad1")" 1
check_contains "bad time: names line and field" "$(cat "$T_DIR/err")" "line 2"
check_contains "bad time: names the field" "$(cat "$T_DIR/err")" '"time"'
printf '{"time":"2026-03-01T00:00:00Z","message":"x"}\n' >"$T_DIR/bad2"
check_eq "no source refused" "$(run_cmd "$VIGIL" logs ingest "$T_DIR/bad2")" 1
check_contains "no source: named" "$(cat "$T_DIR/err")" '"source"'
printf '{"time":"2026-03-01T00:00:00Z","source":"s","message":"a\342\200\256b"}\n' >"$T_DIR/bad3"
check_eq "direction control refused" "$(run_cmd "$VIGIL" logs ingest "$T_DIR/bad3")" 1
printf '{"time":"2026-03-01T00:00:00Z","source":"s","message":"\377"}\n' >"$T_DIR/bad4"
check_eq "invalid UTF-8 refused" "$(run_cmd "$VIGIL" logs ingest "$T_DIR/bad4")" 1
check_eq "nothing stored from bad files" "$(count)" 0
check_eq "query: until before since" "$(run_cmd "$VIGIL" logs query --since 2026-03-02 --until 2026-03-01)" 2
check_eq "query: bad limit" "$(run_cmd "$VIGIL" logs query --limit 0)" 2
check_eq "query: version without product" "$(run_cmd "$VIGIL" logs query --version 1)" 2
check_eq "map: bad match" "$(run_cmd "$VIGIL" logs map add --source s --match nothing --product p)" 2
check_eq "verify on an empty store" "$(run_cmd "$VIGIL" logs verify)" 0

finish
