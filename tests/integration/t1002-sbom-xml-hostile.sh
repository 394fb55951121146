#!/bin/sh
# CycloneDX XML without DTDs, whatever the encoding (issue 16, item 1).
# Every document written by tests/fuzz/gen_xml_hostile.py (billion laughs,
# quadratic blowup, external and parameter entities, external subsets, each in
# UTF-8 and four UTF-16 forms; UTF-7 "+ADw-!DOCTYPE", EBCDIC, UTF-32 and other
# declared encodings; labels that contradict the bytes), plus the probe's own
# reproductions (--big), is refused with its reason by `vigil sbom validate`,
# `vigil sbom import`, the upload route, the validate route and the
# Dependency-Track PUT and multipart POST, and nothing is stored. The CLI
# runs under a modest address-space limit and a generous timeout: an
# expansion or a hang fails the check (no time is measured). A real CycloneDX XML still imports in
# UTF-8 and in UTF-16 with the right number of components.
# vigil-test: long (minutes: ctest starts it first)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
fresh_db
H="$T_DIR/hostile"
python3 "$VIGIL_SOURCE_DIR/tests/fuzz/gen_xml_hostile.py" "$H" || exit 1
python3 "$VIGIL_SOURCE_DIR/tests/fuzz/gen_xml_hostile.py" "$H" --big || exit 1
"$VIGIL" product create app >/dev/null || exit 1
ADM=$(admin_token)
CI=$("$VIGIL" token create --name ci --role ci --product "*" 2>/dev/null)

# Sanitizer builds reserve terabytes of address space: no limit there.
LIMIT_KB=300000
if [ -n "${ASAN_OPTIONS:-}" ] || grep -q __asan_init "$VIGIL" 2>/dev/null; then
	LIMIT_KB=unlimited
fi
# bounded CMD...: vigil under the memory limit and a timeout (124: it hung).
bounded() {
	(
		ulimit -v "$LIMIT_KB" || exit 99
		exec timeout 120 "$VIGIL" "$@"
	) >"$T_DIR/out" 2>"$T_DIR/err"
	echo $?
}

# The same limit really leaves room for a normal document.
check_eq "the limit leaves room for a normal validate" \
	"$(bounded sbom validate "$H/good-utf16le-bom.xml")" 0

expect_of() {
	case $(basename "$1") in
	hostile-dtd-*) echo "document type declarations (DTD) are not accepted" ;;
	hostile-enc-*) echo "only UTF-8 and UTF-16 are accepted" ;;
	hostile-mix-*) echo "but is written in" ;;
	esac
}

start_server
n=0
# the CLI's validate: every document in one bounded process (a document that
# expanded would blow its limit: the exit would not be 1)
check_eq "validate refuses every hostile document" "$(bounded sbom validate --json "$H"/hostile-*.xml)" 1
cp "$T_DIR/out" "$T_DIR/validate.json"
for f in "$H"/hostile-*.xml; do
	name=$(basename "$f" .xml)
	want=$(expect_of "$f")
	n=$((n + 1))
	check_contains "$name: validate says why" \
		"$(jq -r --arg f "$f" '.[] | select(.file == $f) | .errors[0].message' "$T_DIR/validate.json")" "$want"
	check_eq "$name: import refuses" "$(bounded sbom import "$f" --product app --version "v$n")" 1
	check_contains "$name: import says why" "$(cat "$T_DIR/err")" "$want"
	printf '%s\t%s\t%s\n' "$f" "$n" "$want" >>"$T_DIR/docs.tsv"
done
# the four HTTP entries, every document, over keep-alive connections
python3 - "$BASE" "$CI" "$ADM" "$T_DIR/docs.tsv" "$VIGIL_SOURCE_DIR/tests/integration" \
	>"$T_DIR/http.out" 2>&1 <<'PY'
import base64, json, sys, uuid
base, ci, adm, docs, lib = sys.argv[1:6]
sys.path.insert(0, lib)
from testlib import Checks, Client
c = Client(base, timeout=60)
check = Checks()
def msg(data, *path):
    try:
        v = json.loads(data)
        for p in path:
            v = v[p]
        return v
    except (ValueError, KeyError, IndexError, TypeError):
        return ""
for line in open(docs):
    f, n, want = line.rstrip("\n").split("\t")
    name = f.rsplit("/", 1)[-1][:-4]
    raw = open(f, "rb").read()
    st, data = c.request("POST", "/api/v1/products/app/versions/h%s/sboms" % n, raw, {"X-Api-Key": ci})
    check(st == 400, "%s: upload route 400 (%d)" % (name, st))
    check(want in msg(data, "error", "message"), "%s: upload says why" % name)
    st, data = c.request("POST", "/api/v1/sbom/validate", raw, {"X-Api-Key": ci})
    check(st == 422, "%s: validate route 422 (%d)" % (name, st))
    check(want in msg(data, "errors", 0, "message"), "%s: validate route says why" % name)
    dt = json.dumps({"projectName": "app", "projectVersion": "d" + n,
                     "bom": base64.b64encode(raw).decode()})
    st, data = c.request("PUT", "/api/v1/bom", dt, {"X-Api-Key": adm, "Content-Type": "application/json"})
    check(st == 400, "%s: Dependency-Track PUT 400 (%d)" % (name, st))
    b = uuid.uuid4().hex
    parts = []
    for k, v in (("projectName", b"app"), ("projectVersion", ("m" + n).encode())):
        parts.append(b"--" + b.encode() + b'\r\nContent-Disposition: form-data; name="' + k.encode() +
                     b'"\r\n\r\n' + v + b"\r\n")
    parts.append(b"--" + b.encode() + b'\r\nContent-Disposition: form-data; name="bom"; filename="' +
                 name.encode() + b'.xml"\r\nContent-Type: application/octet-stream\r\n\r\n' + raw + b"\r\n")
    body = b"".join(parts) + b"--" + b.encode() + b"--\r\n"
    st, data = c.request("POST", "/api/v1/bom", body,
                   {"X-Api-Key": adm, "Content-Type": "multipart/form-data; boundary=" + b})
    check(st == 400, "%s: Dependency-Track multipart POST 400 (%d)" % (name, st))
    check(want in msg(data, "error", "message"), "%s: multipart says why" % name)
PY
check_eq "the HTTP checks ran to their end" "$?" 0
tally "$T_DIR/http.out"
check_eq "every hostile document was tried" "$([ "$n" -gt 100 ] && echo yes)" yes
check_eq "nothing stored: no revision" "$(db_sql 'SELECT COUNT(*) FROM sboms')" 0
check_eq "nothing stored: no original" "$(db_sql 'SELECT COUNT(*) FROM blobs')" 0
check_eq "nothing stored: no component" "$(db_sql 'SELECT COUNT(*) FROM components')" 0
check_eq "the server is still up" "$(http GET /api/v1/health)" 200

# A real CycloneDX XML (proton-bridge 1.8.0, spec 1.2): in UTF-8 as it is,
# and in UTF-16 (little-endian with a byte-order mark, big-endian without),
# declared as such. Components counted by Python's ElementTree.
BR="$VIGIL_SHARED_DATA/sbom/cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.xml"
want=$(python3 -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
print(sum(1 for e in r.iter() if e.tag == "{http://cyclonedx.org/schema/bom/1.2}component"))' "$BR")
python3 -c '
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = re.sub(r"encoding=\"[^\"]*\"", "encoding=\"UTF-16\"", t, count=1)
open(sys.argv[2], "wb").write(b"\xff\xfe" + t.encode("utf-16-le"))
open(sys.argv[3], "wb").write(t.encode("utf-16-be"))' "$BR" "$T_DIR/le.xml" "$T_DIR/be.xml"
check_eq "ElementTree counts 202 components" "$want" 202
check_eq "the UTF-16 copy is UTF-16" "$(head -c 4 "$T_DIR/le.xml" | od -An -tx1 | tr -d ' ')" "fffe3c00"
check_eq "UTF-8 validates" "$(bounded sbom validate "$BR")" 0
check_eq "UTF-16 validates" "$(bounded sbom validate "$T_DIR/le.xml")" 0
check_eq "UTF-8 import" "$(bounded sbom import "$BR" --product app --version utf8 --json)" 0
check_eq "UTF-8 component count" "$(jq -r .components "$T_DIR/out")" "$want"
check_eq "UTF-16LE import" "$(bounded sbom import "$T_DIR/le.xml" --product app --version utf16le --json)" 0
check_eq "UTF-16LE component count" "$(jq -r .components "$T_DIR/out")" "$want"
check_eq "UTF-16BE upload" "$(http POST /api/v1/products/app/versions/utf16be/sboms \
	-H "X-Api-Key: $CI" --data-binary @"$T_DIR/be.xml")" 201
check_eq "UTF-16BE component count" "$(body | jq -r .components)" "$want"
check_eq "UTF-16 and UTF-8 give the same components" \
	"$(db_sql "SELECT COUNT(*) FROM (SELECT c.name, c.version, c.purl FROM components c JOIN sboms s ON s.id = c.sbom_id JOIN product_versions v ON v.id = s.version_id WHERE v.version = 'utf16le' EXCEPT SELECT c.name, c.version, c.purl FROM components c JOIN sboms s ON s.id = c.sbom_id JOIN product_versions v ON v.id = s.version_id WHERE v.version = 'utf8') x")" 0
check_eq "three revisions stored" "$(db_sql 'SELECT COUNT(*) FROM sboms')" 3
check_eq "no entity text reached a bom-ref" \
	"$(db_sql "SELECT COUNT(*) FROM components WHERE ref LIKE '%expanded%' OR ref LIKE '%lollol%'")" 0
finish
