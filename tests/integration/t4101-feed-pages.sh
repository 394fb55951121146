#!/bin/sh
# The feed status page (/ui/feeds) and "sync now": every configured feed
# with its URL redacted, last sync, result, records and errors; an admin
# asks for a sync, the request returns at once and the server's background
# job runs the existing sync (from a local HTTP server, as t4100 does) and
# records the result; a failing feed shows its error; psirt and auditor
# read the page but cannot ask; without the CSRF field a request is refused.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
NVD="$VIGIL_SHARED_DATA/vuln/nvd"
ESP="$NVD/osv.dev-vulnfeeds/nvdcve-2.0/CVE-2020-13595.json"
VIGIL_PASSWORD=pw-adm-4101 "$VIGIL" user add ada --role admin >/dev/null
VIGIL_PASSWORD=pw-pat-4101 "$VIGIL" user add pat --role psirt >/dev/null
VIGIL_PASSWORD=pw-aud-4101 "$VIGIL" user add aud --role auditor >/dev/null

mkdir -p "$T_DIR/www"
cp "$ESP" "$T_DIR/www/nvd.json"
printf '{"title":"kev","vulnerabilities":[{"cveID":"CVE-2020-13595","vendorProject":"Espressif","product":"esp-idf","vulnerabilityName":"x","dateAdded":"2026-01-02","shortDescription":"x","requiredAction":"x","dueDate":"2026-01-23","knownRansomwareCampaignUse":"Unknown"}]}' >"$T_DIR/www/kev.json"
cat >"$T_DIR/serve.py" <<'PY'
import http.server, os, sys
root, portfile = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0].lstrip("/")
        try:
            data = open(os.path.join(root, path), "rb").read()
        except OSError:
            self.send_response(404); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(portfile + ".tmp", "w").write(str(s.server_address[1]))
os.rename(portfile + ".tmp", portfile)
s.serve_forever()
PY
python3 "$T_DIR/serve.py" "$T_DIR/www" "$T_DIR/pyport" &
PY_PID=$!
i=0
while [ ! -s "$T_DIR/pyport" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
U="http://127.0.0.1:$(cat "$T_DIR/pyport")"
# the NVD URL carries a key in its query: shown masked
printf '[feeds]\nnvd_url = %s/nvd.json?apiKey=s3cr3t-key\nkev_url = %s/kev.json\ncsaf_url = %s/missing.json\n[jobs]\ntick = 1\n' \
	"$U" "$U" "$U" >"$T_DIR/feeds.ini"
VIGIL_CONFIG="$T_DIR/feeds.ini"
export VIGIL_CONFIG
start_server

J="$T_DIR/jar"
login() { # user password -> status
	rm -f "$J"
	csrf=$(curl -s -c "$J" -b "$J" "$BASE/ui/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$J" -b "$J" --data-urlencode "csrf=$csrf" \
		--data-urlencode "user=$1" --data-urlencode "password=$2" "$BASE/ui/login"
}
page() { # path -> status; body in $T_DIR/body, its CSRF token in $T_DIR/csrf
	s=$(curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$BASE$1")
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_DIR/body" | head -1 >"$T_DIR/csrf"
	echo "$s"
}
post() { # path [curl args ...] -> status (with the CSRF token of the last page)
	p=$1
	shift
	set -- --data-urlencode "csrf=$(cat "$T_DIR/csrf")" "$@"
	curl -s -o "$T_DIR/body" -D "$T_DIR/headers" -w '%{http_code}' -b "$J" "$@" "$BASE$p"
}
finished() { # wait until the run has finished; prints its ok flag
	i=0
	while [ $i -lt 150 ]; do
		v=$(db_sql "SELECT ok FROM feed_sync_now WHERE name = 'feeds' AND finished_at >= started_at AND started_at >= requested_at")
		if [ -n "$v" ]; then
			echo "$v"
			return
		fi
		sleep 0.2
		i=$((i + 1))
	done
	echo "timeout"
}

# ---- before any sync ----
check_eq "anonymous: to the login page" "$(http GET /ui/feeds)" 303
check_eq "psirt logs in" "$(login pat pw-pat-4101)" 303
check_eq "psirt: feeds page" "$(page /ui/feeds)" 200
check_contains "NVD listed" "$(body)" '<tr data-kind="nvd"><td>NVD (CVE API 2.0)</td>'
check_contains "KEV listed" "$(body)" '<tr data-kind="kev">'
check_contains "CSAF listed" "$(body)" '<tr data-kind="csaf">'
check_not_contains "the key is never shown" "$(body)" "s3cr3t"
check_contains "never synced" "$(body)" ">never<"
check_contains "no schedule" "$(body)" "only when asked"
check_not_contains "psirt: no sync button" "$(body)" 'id="sync-now"'
check_eq "psirt: asking refused" "$(post /ui/feeds/sync)" 403
check_eq "auditor logs in" "$(login aud pw-aud-4101)" 303
check_eq "auditor: feeds page" "$(page /ui/feeds)" 200
check_eq "auditor: asking refused" "$(post /ui/feeds/sync)" 403

# ---- an admin asks ----
check_eq "admin logs in" "$(login ada pw-adm-4101)" 303
check_eq "admin: feeds page" "$(page /ui/feeds)" 200
check_contains "sync button" "$(body)" 'id="sync-now"'
check_eq "without the CSRF field: refused" "$(curl -s -o /dev/null -w '%{http_code}' -b "$J" -X POST "$BASE/ui/feeds/sync")" 403
check_eq "sync now" "$(post /ui/feeds/sync)" 303
check_contains "back to the page" "$(cat "$T_DIR/headers")" "Location: /ui/feeds?asked=1"
check_eq "asked, audited as the admin" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action == "feed.sync_requested")] | last | .actor')" "ada"
check_eq "the job runs it: csaf fails, so the run fails" "$(finished)" 0
check_eq "page after the run" "$(page /ui/feeds)" 200
check_contains "result shown" "$(body)" 'id="run-state" class="error">Failed: finished'
check_contains "counts" "$(body)" "2 fetched"
check_contains "the failing feed's error at its row" "$(body)" "csaf feed http://127.0.0.1:"
check_contains "its HTTP status" "$(body)" "HTTP status 404"
check_contains "NVD synced" "$(body)" "new data imported (HTTP 200)"
check_eq "NVD records counted" "$(sed -n 's/.*<tr data-kind="nvd">.*HTTP 200)<\/td><td>\([0-9]*\)<\/td>.*/\1/p' "$T_DIR/body")" 1
check_eq "KEV imported by the job" "$(db_sql "SELECT COUNT(*) FROM kev")" 1
check_eq "started and finished audited as the job" "$("$VIGIL" audit log --json | jq -r '[.[] | select(.action == "feed.sync_finished")] | last | "\(.actor) \(.after.ok) \(.after.fetched)"')" "system false 2"

# ---- fixed: a second run succeeds ----
printf '{"document":{"category":"csaf_security_advisory","csaf_version":"2.0","publisher":{"category":"vendor","name":"x","namespace":"https://x.example"},"title":"t","tracking":{"current_release_date":"2026-01-01T00:00:00Z","id":"X-1","initial_release_date":"2026-01-01T00:00:00Z","revision_history":[{"date":"2026-01-01T00:00:00Z","number":"1","summary":"s"}],"status":"final","version":"1"}}}' >"$T_DIR/www/missing.json"
# times are whole seconds: a second request in the second the first run
# started would look finished already, so the second asks a second later
sleep 1.1
check_eq "sync again" "$(post /ui/feeds/sync)" 303
check_eq "asking twice while it waits: told so" "$(page /ui/feeds >/dev/null; post /ui/feeds/sync)" 303
check_contains "busy or done" "$(cat "$T_DIR/headers")" "Location: /ui/feeds?"
check_eq "the second run succeeds" "$(finished)" 1
check_eq "page" "$(page /ui/feeds)" 200
check_contains "succeeded" "$(body)" 'class="ok">Succeeded: finished'
check_not_contains "no error left" "$(body)" "HTTP status 404"

kill "$PY_PID" 2>/dev/null
finish
