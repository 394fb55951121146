#!/bin/sh
# Releases over the API, on both artifact stores: a CI token uploads
# artifacts within its product scope (and is refused outside it), the
# upload streams to storage and the download streams out (a 200 MB
# artifact up and down with the server's peak resident size, VmHWM,
# growing by less than 64 MiB), a truncated body (Content-Length larger
# than sent) and a wrong Content-Length store nothing, an upload must state
# its SHA-256 or carry a signature; the Releases pages; and on PostgreSQL
# with the database store, two `vigil serve` processes on one database:
# an artifact uploaded through one is downloaded through the other.
# vigil-test: long (minutes: ctest starts it first)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
# Under ASan the allocator keeps freed memory in quarantine (256 MiB by
# default): the database store's 1 MiB chunks would read as growth. A small
# quarantine keeps the peak-memory bound meaningful there too.
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=4"
cd "$T_DIR" || exit 1

openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
head -c 2000000 /dev/urandom >fw.img
head -c 5000 /dev/urandom >small.bin
openssl dgst -sha256 -sign ec.key -out fw.img.sig fw.img
openssl dgst -sha256 -sign ec.key -out small.bin.sig small.bin
SHA_FW=$(sha256sum fw.img | cut -c1-64)
SHA_SMALL=$(sha256sum small.bin | cut -c1-64)
SIG_FW=$(base64 -w0 fw.img.sig)
SIG_SMALL=$(base64 -w0 small.bin.sig)
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json
head -c 209715200 /dev/zero | tr '\0' 'v' >big.bin
SHA_BIG=$(sha256sum big.bin | cut -c1-64)
count() { db_sql "SELECT COUNT(*) FROM $1"; }
hwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# post_raw PORT HEAD BODYFILE BYTES: send HEAD and BYTES bytes of BODYFILE
# (when that is more than the Content-Length of HEAD, the rest only after
# the answer, as a client with a wrong Content-Length would), close; prints
# the status line's code or "closed".
post_raw() {
	python3 - "$@" <<'EOF'
import re, socket, sys
port, head, body, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
cl = int(re.search(r"Content-Length: (\d+)", head).group(1))
data = open(body, "rb").read()[:n]
s = socket.create_connection(("127.0.0.1", port), timeout=10)
try:
    s.sendall(head.replace("\n", "\r\n").encode() + data[:cl])
    if n < cl:
        s.shutdown(socket.SHUT_WR)
    got = s.recv(4096)
except OSError:
    got = b""
try:
    s.sendall(data[cl:])
except OSError:
    pass
print(got.split(b" ")[1].decode() if got.startswith(b"HTTP/") else "closed")
EOF
}

for STORE in dir db; do
	echo "# artifact store: $STORE"
	fresh_db
	export VIGIL_UPDATE_ARTIFACT_STORE=$STORE
	export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts-$STORE"
	rm -rf "$VIGIL_UPDATE_ARTIFACT_DIR"
	for p in fw tool; do
		"$VIGIL" product create $p >/dev/null
		"$VIGIL" sbom import bom.json --product $p --version 1.0 >/dev/null
	done
	"$VIGIL" ci-key add ci-ec ec.pub >/dev/null
	CI=$("$VIGIL" token create --name t-ci --role ci --product 'fw' 2>/dev/null)
	ADMIN=$(admin_token)
	start_server
	PORT=$(cat "$T_DIR/port")

	# create through the API
	check_eq "$STORE: CI creates a release in scope" "$(http POST /api/v1/releases -H "X-Api-Key: $CI" -H 'Content-Type: application/json' -d '{"product":"fw","version":"1.0","security":true,"fixes":["CVE-2026-1234"]}')" 201
	REL=$(jq .id "$T_DIR/body")
	check_eq "$STORE: ... not outside it" "$(http POST /api/v1/releases -H "X-Api-Key: $CI" -H 'Content-Type: application/json' -d '{"product":"tool","version":"1.0"}')" 403
	check_eq "$STORE: admin creates tool's" "$(http POST /api/v1/releases -H "X-Api-Key: $ADMIN" -H 'Content-Type: application/json' -d '{"product":"tool","version":"1.0"}')" 201
	TOOL=$(jq .id "$T_DIR/body")

	# uploads by CI
	check_eq "$STORE: CI uploads a signed artifact" "$(http POST "/api/v1/releases/$REL/artifacts?name=images/fw.img" -H "X-Api-Key: $CI" -H "X-Vigil-Signature: $SIG_FW" --data-binary @fw.img)" 201
	AID=$(jq .id "$T_DIR/body")
	check_eq "$STORE: ... verified with ci-ec" "$(jq -r '[.signature_key, .sha256] | join(" ")' "$T_DIR/body")" "ci-ec $SHA_FW"
	check_eq "$STORE: CI uploads with Content-Digest" "$(http POST "/api/v1/releases/$REL/artifacts?name=small.bin" -H "X-Api-Key: $CI" -H "Content-Digest: sha-256=:$(openssl dgst -sha256 -binary small.bin | base64 -w0):" --data-binary @small.bin)" 201
	check_eq "$STORE: CI refused outside its scope" "$(http POST "/api/v1/releases/$TOOL/artifacts?name=x.bin&sha256=$SHA_SMALL" -H "X-Api-Key: $CI" --data-binary @small.bin)" 403
	check_contains "$STORE: ... naming the product" "$(body)" "product 'tool' is outside the product scope"
	check_eq "$STORE: auditor may not upload" "$(http POST "/api/v1/releases/$REL/artifacts?name=y.bin&sha256=$SHA_SMALL" -H "X-Api-Key: $("$VIGIL" token create --name t-aud --role auditor 2>/dev/null)" --data-binary @small.bin)" 403
	check_eq "$STORE: an upload stating nothing refused" "$(http POST "/api/v1/releases/$REL/artifacts?name=z.bin" -H "X-Api-Key: $CI" --data-binary @small.bin)" 400
	check_contains "$STORE: ... saying what to send" "$(body)" "state its SHA-256"
	check_eq "$STORE: a wrong sha256 refused" "$(http POST "/api/v1/releases/$REL/artifacts?name=z.bin&sha256=$SHA_FW" -H "X-Api-Key: $CI" --data-binary @small.bin)" 400
	check_eq "$STORE: a signature of another artifact refused" "$(http POST "/api/v1/releases/$REL/artifacts?name=z.bin" -H "X-Api-Key: $CI" -H "X-Vigil-Signature: $SIG_SMALL" --data-binary @fw.img)" 403
	check_contains "$STORE: ... clearly" "$(body)" "verifies with no trusted CI key"
	check_eq "$STORE: '../' refused" "$(http POST "/api/v1/releases/$REL/artifacts?name=../z.bin&sha256=$SHA_SMALL" -H "X-Api-Key: $CI" --data-binary @small.bin)" 400
	check_eq "$STORE: bad base64 signature refused" "$(http POST "/api/v1/releases/$REL/artifacts?name=z.bin" -H "X-Api-Key: $CI" -H "X-Vigil-Signature: ***" --data-binary @small.bin)" 400

	# truncated and wrong Content-Length: nothing stored
	N_ART=$(count release_artifacts)
	N_BLOB=$(count artifact_blobs)
	check_eq "$STORE: a truncated body (Content-Length larger than sent) is not answered" "$(post_raw "$PORT" "POST /api/v1/releases/$REL/artifacts?name=cut.img&sha256=$SHA_FW HTTP/1.1
Host: x
X-Api-Key: $CI
Content-Length: 2000000

" fw.img 1000000)" closed
	check_eq "$STORE: a wrong Content-Length (smaller than sent) refused" "$(post_raw "$PORT" "POST /api/v1/releases/$REL/artifacts?name=short.img&sha256=$SHA_FW HTTP/1.1
Host: x
X-Api-Key: $CI
Content-Length: 1500000

" fw.img 2000000)" 400
	check_eq "$STORE: ... signed, with a wrong Content-Length" "$(post_raw "$PORT" "POST /api/v1/releases/$REL/artifacts?name=short2.img HTTP/1.1
Host: x
X-Api-Key: $CI
X-Vigil-Signature: $SIG_FW
Content-Length: 1999999

" fw.img 2000000)" 403
	sleep 0.5
	check_eq "$STORE: nothing stored by them" "$(count release_artifacts) $(count artifact_blobs)" "$N_ART $N_BLOB"
	if [ "$STORE" = dir ]; then
		check_eq "$STORE: no stray file in the artifact directory" "$(find "$VIGIL_UPDATE_ARTIFACT_DIR" -type f | wc -l)" "$N_BLOB"
	fi

	# download
	check_eq "$STORE: download" "$(http GET "/api/v1/artifacts/$AID/content" -H "X-Api-Key: $CI")" 200
	check_eq "$STORE: ... the same bytes" "$(sha256sum "$T_DIR/body" | cut -c1-64)" "$SHA_FW"
	check_contains "$STORE: ... as a download" "$(cat "$T_DIR/headers")" "attachment; filename=\"fw.img\""
	check_contains "$STORE: ... with its hash" "$(cat "$T_DIR/headers")" "$SHA_FW"
	check_eq "$STORE: a Range across a chunk boundary" "$(http GET "/api/v1/artifacts/$AID/content" -H "X-Api-Key: $CI" -H 'Range: bytes=1048570-1048589')" 206
	check_eq "$STORE: ... its bytes" "$(od -An -tx1 "$T_DIR/body" | tr -d ' \n')" "$(dd if=fw.img bs=1 skip=1048570 count=20 2>/dev/null | od -An -tx1 | tr -d ' \n')"
	check_contains "$STORE: ... Content-Range" "$(cat "$T_DIR/headers")" "bytes 1048570-1048589/2000000"
	check_eq "$STORE: the last 10 bytes" "$(http GET "/api/v1/artifacts/$AID/content" -H "X-Api-Key: $CI" -H 'Range: bytes=-10'; od -An -tx1 "$T_DIR/body" | tr -d ' \n')" "206$(tail -c 10 fw.img | od -An -tx1 | tr -d ' \n')"
	check_eq "$STORE: a Range past the end is 416" "$(http GET "/api/v1/artifacts/$AID/content" -H "X-Api-Key: $CI" -H 'Range: bytes=2000000-')" 416
	check_eq "$STORE: If-None-Match of the ETag is 304" "$(http GET "/api/v1/artifacts/$AID/content" -H "X-Api-Key: $CI" -H "If-None-Match: \"$SHA_FW\"")" 304
	check_eq "$STORE: HEAD" "$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -I -H "X-Api-Key: $CI" "$BASE/api/v1/artifacts/$AID/content")" "200 0"
	check_eq "$STORE: release show by CI" "$(http GET "/api/v1/releases/$REL" -H "X-Api-Key: $CI")" 200
	check_eq "$STORE: ... lists the two artifacts" "$(jq -r '[.artifact_list[].name] | join(",")' "$T_DIR/body")" "images/fw.img,small.bin"
	check_eq "$STORE: CI lists only its products' releases" "$(http GET /api/v1/releases -H "X-Api-Key: $CI" >/dev/null; jq -r '[.releases[].product] | join(",")' "$T_DIR/body")" "fw"
	TAID=$(http POST "/api/v1/releases/$TOOL/artifacts?name=t.bin&sha256=$SHA_SMALL" -H "X-Api-Key: $ADMIN" --data-binary @small.bin >/dev/null; jq .id "$T_DIR/body")
	check_eq "$STORE: CI may not download outside its scope" "$(http GET "/api/v1/artifacts/$TAID/content" -H "X-Api-Key: $CI")" 403

	# the gate over the API, and the pages
	check_eq "$STORE: check through the API" "$(http POST "/api/v1/releases/$REL/check" -H "X-Api-Key: $ADMIN")" 200
	check_eq "$STORE: ... fails on the unsigned small.bin" "$(jq -c '[.passed, .checks.signed, (.artifacts[] | select(.name=="small.bin") | .reason)]' "$T_DIR/body")" "[false,false,\"artifact 'small.bin': unsigned (no CI signature)\"]"
	check_eq "$STORE: CI may not run the check" "$(http POST "/api/v1/releases/$REL/check" -H "X-Api-Key: $CI")" 403
	check_eq "$STORE: releases page" "$(http GET /ui/releases -H "X-Api-Key: $ADMIN")" 200
	check_contains "$STORE: ... with the gate per check" "$(body)" 'data-check="signed" class="error">FAIL'
	check_contains "$STORE: ... and the security flag" "$(body)" "<td>security</td>"
	check_eq "$STORE: the nav links to it" "$(grep -c 'href="/ui/releases"' "$T_DIR/body")" 1
	check_eq "$STORE: sorted by product" "$(http GET '/ui/releases?sort=product' -H "X-Api-Key: $ADMIN"; grep -o 'id="r[0-9]*"' "$T_DIR/body" | tr '\n' ' ')" "200id=\"r$REL\" id=\"r$TOOL\" "
	check_eq "$STORE: a bad offset is a 400" "$(http GET '/ui/releases?offset=x' -H "X-Api-Key: $ADMIN")" 400
	check_eq "$STORE: release page" "$(http GET "/ui/releases/$REL" -H "X-Api-Key: $ADMIN")" 200
	check_contains "$STORE: ... artifacts with size, hash, key" "$(body)" "<td>2000000</td><td><code>$SHA_FW</code></td><td>ci-ec</td>"
	check_contains "$STORE: ... the fixes" "$(body)" "CVE-2026-1234"
	check_eq "$STORE: yank through the API" "$(http POST "/api/v1/releases/$TOOL/yank" -H "X-Api-Key: $ADMIN" -H 'Content-Type: application/json' -d '{"reason":"bad build"}')" 200
	http GET "/ui/releases/$TOOL" -H "X-Api-Key: $ADMIN" >/dev/null
	check_contains "$STORE: the page shows the yank" "$(body)" "bad build"

	# streaming: 200 MB up and down, the peak resident size barely moves
	http GET "/api/v1/artifacts/$AID/content" -H "X-Api-Key: $CI" >/dev/null
	IDLE=$(hwm "$T_SERVER_PID")
	check_eq "$STORE: 200 MB upload" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -X POST -T big.bin -H "X-Api-Key: $CI" "$BASE/api/v1/releases/$REL/artifacts?name=big.bin&sha256=$SHA_BIG")" 201
	BID=$(jq .id "$T_DIR/body")
	check_eq "$STORE: 200 MB download, the same bytes" "$(curl -s -H "X-Api-Key: $CI" "$BASE/api/v1/artifacts/$BID/content" | sha256sum | cut -c1-64)" "$SHA_BIG"
	PEAK=$(hwm "$T_SERVER_PID")
	GROWTH=$((PEAK - IDLE))
	ok "$STORE: peak resident size grew by $GROWTH kB (bound 65536 kB)" test "$GROWTH" -lt 65536
	stop_server
done

# Two servers on one PostgreSQL with the database store.
if [ -n "${VIGIL_TEST_PG:-}" ]; then
	export VIGIL_UPDATE_ARTIFACT_STORE=db
	unset VIGIL_UPDATE_ARTIFACT_DIR
	start_server
	A_PID=$T_SERVER_PID
	A=$BASE
	T_SERVER_PID=""
	mv "$T_DIR/server.log" "$T_DIR/server-a.log"
	start_server
	B=$BASE
	check_eq "two servers: upload through A" "$(curl -s -o "$T_DIR/body" -w '%{http_code}' -H "X-Api-Key: $CI" -H "X-Vigil-Signature: $SIG_SMALL" --data-binary @small.bin "$A/api/v1/releases/$REL/artifacts?name=two.bin")" 201
	ID2=$(jq .id "$T_DIR/body")
	check_eq "two servers: download through B" "$(curl -s -H "X-Api-Key: $CI" "$B/api/v1/artifacts/$ID2/content" | sha256sum | cut -c1-64)" "$SHA_SMALL"
	check_eq "two servers: the 200 MB one through B too" "$(curl -s -H "X-Api-Key: $CI" "$B/api/v1/artifacts/$BID/content" | sha256sum | cut -c1-64)" "$SHA_BIG"
	kill -TERM "$A_PID"
	wait "$A_PID" 2>/dev/null
else
	echo "# skipped: two servers on one database need PostgreSQL (VIGIL_TEST_PG)"
fi
finish
