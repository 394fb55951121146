#!/bin/sh
# t9004 - sealing a large backlog holds a bounded amount in memory (issue 25
# soak finding: the seal of a 64 MiB backlog of vigil's own access log
# peaked at about 320 MB). About 44 MB of JSON lines of one source (25 MiB of
# raw block text) are sealed as segments of at most LOGS_SEGMENT_RAW (8 MiB)
# raw each, one after the other; every event is kept and found again; the
# seal's peak resident size stays under 96 MiB above what the same binary
# takes to print the store's statistics (without the cap one segment held the
# whole backlog: about 125 MiB above, and more for a larger one). Queries and verify pass afterwards.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1
fresh_db
export VIGIL_UPDATE_ARTIFACT_STORE=db # sealed segments in the database: the same on both backends
python3 - <<'PY'
import json, random
random.seed(7)
with open("logs.jsonl", "w") as f:
    for i in range(200000):
        f.write(json.dumps({"time": 1796600000 + i // 10, "source": "gateway",
            "message": "GET /api/v2/items/%d?q=%x HTTP/1.1 200 %d bytes id=%032x" % (
                i, random.getrandbits(40), random.randint(100, 99999), random.getrandbits(128)),
            "product": "fw", "version": "1.%d" % (i % 7), "host": "gw-%d" % (i % 5)}) + "\n")
PY
check_eq "ingest 200,000 events" "$(run_cmd "$VIGIL" logs ingest logs.jsonl --json)" 0
check_eq "... all stored" "$(jq .events "$T_DIR/out")" 200000
# the same binary's baseline: statistics of the store
/usr/bin/time -f '%M' -o base.rss "$VIGIL" logs stats --json >/dev/null 2>&1
/usr/bin/time -f '%M' -o seal.rss "$VIGIL" logs seal --json >seal.json 2>seal.err
check_eq "the seal succeeded" "$(jq .events seal.json)" 200000
sed 's/^/    /' seal.err
segs=$(jq .segments seal.json)
ok "the 25 MiB backlog became 3 or more segments (got $segs)" test "$segs" -ge 3
check_eq "each segment at most 8 MiB raw plus one block" \
	"$(db_sql "SELECT COUNT(*) FROM log_segments WHERE raw_bytes > 8 * 1024 * 1024 + 256 * 1024")" 0
check_eq "the segments hold every event" "$(db_sql "SELECT SUM(events) FROM log_segments")" 200000
base=$(tail -n 1 base.rss)
peak=$(tail -n 1 seal.rss)
echo "    seal peak RSS ${peak} KiB, baseline ${base} KiB"
if [ "$("$VIGIL" --version --json | jq .build.sanitizers)" = true ]; then
	echo "skip: the peak RSS bound (the sanitizers' shadow memory and quarantine)"
else
	ok "the seal's peak RSS is under 96 MiB above the baseline" test $((peak - base)) -lt 98304
fi
check_eq "verify" "$(run_cmd "$VIGIL" logs verify)" 0
"$VIGIL" logs query --product fw --version 1.3 --limit 100000 --json >q1.json
check_eq "a query across the segments" "$(jq '.events | length' q1.json)" 28571
"$VIGIL" logs query --grep 'items/199999?' --limit 10 --json >q2.json
check_eq "... and by text" "$(jq '.events | length' q2.json)" 1
finish
