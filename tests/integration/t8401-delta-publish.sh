#!/bin/sh
# The server makes deltas on publish (issue 20 item 4), on both artifact
# stores: `vigil release publish` queues the release (event
# release.published, audited delta.queue) and makes nothing in the request;
# the job delta.make (`vigil delta run`) makes a patch for each artifact from
# the same artifact of the last update.delta_from published releases of the
# product, publishes it as a TUF target of the product's delegated role and
# records it; delta_offer_find (`vigil delta offer`) answers for a device's
# installed version when the patch is small enough (update.delta_max_ratio),
# and the patch from the TUF export rebuilds the new artifact byte for byte.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1

openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
python3 - <<'EOF'
import random
r = random.Random(8401)
base = bytearray(r.randrange(256) for _ in range(400000))
for v in range(1, 6):
    img = bytearray(base)
    for _ in range(40 * v):  # each version edits a little more
        p = r.randrange(len(img) - 4)
        img[p:p + 4] = bytes(r.randrange(256) for _ in range(4))
    open("fw-%d.img" % v, "wb").write(img)
open("other-1.bin", "wb").write(bytes(r.randrange(256) for _ in range(3000)))
open("other-2.bin", "wb").write(bytes(r.randrange(256) for _ in range(3000)))
EOF
for f in fw-*.img other-*.bin; do openssl dgst -sha256 -sign ec.key -out "$f.sig" "$f"; done
printf '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[]}' >bom.json

for STORE in dir db; do
	echo "# artifact store: $STORE"
	fresh_db
	export VIGIL_UPDATE_ARTIFACT_STORE=$STORE
	export VIGIL_UPDATE_ARTIFACT_DIR="$T_DIR/artifacts-$STORE"
	unset VIGIL_UPDATE_DELTA_FROM VIGIL_UPDATE_DELTA_MAX_RATIO
	for n in r1 tg sn ts prod; do
		"$VIGIL" signer keygen "$n" --software "$T_DIR/$STORE-$n.key" --algorithm ed25519 >/dev/null || exit 1
	done
	"$VIGIL" tuf init --root-signers r1 --root-threshold 1 --targets-signer tg --snapshot-signer sn --timestamp-signer ts >/dev/null || exit 1
	"$VIGIL" product create fw >/dev/null
	"$VIGIL" tuf delegate --product fw --signer prod >/dev/null || exit 1
	"$VIGIL" ci-key add ci ec.pub >/dev/null
	for v in 1 2 3 4 5; do
		"$VIGIL" sbom import bom.json --product fw --version "$v.0" >/dev/null
		"$VIGIL" release create --product fw --version "$v.0" >/dev/null
		"$VIGIL" release upload "fw@$v.0" "fw-$v.img" --name fw.img --signature "fw-$v.img.sig" >/dev/null || exit 1
	done
	"$VIGIL" release upload fw@1.0 other-1.bin --name other.bin --signature other-1.bin.sig >/dev/null
	"$VIGIL" release upload fw@2.0 other-2.bin --name other.bin --signature other-2.bin.sig >/dev/null

	# publish 1.0 and 2.0: queued, nothing made in the request
	export VIGIL_NOW=2026-12-01T10:00:00Z
	check_eq "$STORE: publish 1.0" "$(run_cmd "$VIGIL" release publish fw@1.0)" 0
	export VIGIL_NOW=2026-12-02T10:00:00Z
	check_eq "$STORE: publish 2.0" "$(run_cmd "$VIGIL" release publish fw@2.0)" 0
	check_eq "$STORE: both queued for the job" "$(db_sql "SELECT COUNT(*) FROM delta_jobs WHERE done_at = 0")" 2
	check_eq "$STORE: ... audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'delta.queue'")" 2
	check_eq "$STORE: no delta made by the publish request" "$(db_sql "SELECT COUNT(*) FROM deltas")" 0
	check_eq "$STORE: the job makes them" "$("$VIGIL" delta run --json | jq -c .)" '{"releases":2,"made":1}'
	check_eq "$STORE: one delta, 1.0 -> 2.0 of fw.img (other.bin's unrelated patch is no smaller)" \
		"$("$VIGIL" delta list --json | jq -c '[.[] | [.from_version, .to_version, .artifact, .target]]')" \
		'[["1.0","2.0","fw.img","fw/fw.img.from-1.0.vgdelta"]]'
	check_eq "$STORE: ... a TUF target of the product's role" \
		"$(db_sql "SELECT COUNT(*) FROM tuf_targets WHERE name = 'fw/fw.img.from-1.0.vgdelta' AND current = 1")" 1
	check_eq "$STORE: ... audited" "$(db_sql "SELECT COUNT(*) FROM audit_log WHERE action = 'delta.make'")" 2
	check_eq "$STORE: the queue is empty" "$(db_sql "SELECT COUNT(*) FROM delta_jobs WHERE done_at = 0")" 0

	# the last K (update.delta_from=2): 5.0 gets deltas from 4.0 and 3.0, not 2.0 or 1.0
	export VIGIL_UPDATE_DELTA_FROM=2
	for v in 3 4 5; do
		export VIGIL_NOW=2026-12-0$((v + 1))T10:00:00Z
		"$VIGIL" release publish "fw@$v.0" >/dev/null || exit 1
	done
	"$VIGIL" delta run >/dev/null
	check_eq "$STORE: delta_from=2: 5.0 from the last two" \
		"$("$VIGIL" delta list --release fw@5.0 --json | jq -r '[.[].from_version] | sort | join(" ")')" "3.0 4.0"

	# the offer (delta_offer_find)
	check_eq "$STORE: offer for a device on 3.0" \
		"$("$VIGIL" delta offer fw@5.0 --target fw/fw.img --from 3.0 --json | jq -c '[.found, .target, .full_target]')" \
		'[true,"fw/fw.img.from-3.0.vgdelta","fw/fw.img"]'
	check_eq "$STORE: none for a device on 1.0 (no delta from there)" \
		"$("$VIGIL" delta offer fw@5.0 --target fw/fw.img --from 1.0 --json | jq -c .found)" false
	check_eq "$STORE: none for another target" \
		"$("$VIGIL" delta offer fw@5.0 --target fw/other.bin --from 3.0 --json | jq -c .found)" false
	check_eq "$STORE: none when the patch is not small enough (update.delta_max_ratio=0.0001)" \
		"$(VIGIL_UPDATE_DELTA_MAX_RATIO=0.0001 "$VIGIL" delta offer fw@5.0 --target fw/fw.img --from 3.0 --json | jq -c .found)" false

	# the published patch rebuilds the new image, and its hash is the target's
	"$VIGIL" tuf export "$T_DIR/exp-$STORE" >/dev/null
	SHA=$("$VIGIL" delta offer fw@5.0 --target fw/fw.img --from 3.0 --json | jq -r .sha256)
	P="$T_DIR/exp-$STORE/targets/fw/$SHA.fw.img.from-3.0.vgdelta"
	check_eq "$STORE: the target's bytes have the offered hash" "$(sha256sum <"$P" | cut -c1-64)" "$SHA"
	check_eq "$STORE: applied to 3.0's image" "$(run_cmd "$VIGIL" delta apply fw-3.img "$P" -o rebuilt-$STORE)" 0
	ok "$STORE: ... rebuilds 5.0's byte for byte" cmp rebuilt-$STORE fw-5.img
	check_eq "$STORE: ... refused on 4.0's image" "$(run_cmd "$VIGIL" delta apply fw-4.img "$P" -o wrong-$STORE)" 1

	# an image above update.delta_max_image gets no delta: the full image is
	# offered, the skip audited with the lengths (the suffix array alone
	# would take 4 bytes per old byte)
	"$VIGIL" sbom import bom.json --product fw --version 6.0 >/dev/null
	"$VIGIL" release create --product fw --version 6.0 >/dev/null
	"$VIGIL" release upload fw@6.0 fw-1.img --name fw.img --signature fw-1.img.sig >/dev/null || exit 1
	export VIGIL_NOW=2026-12-07T10:00:00Z
	"$VIGIL" release publish fw@6.0 >/dev/null || exit 1
	check_eq "$STORE: delta_max_image=100000: nothing made" \
		"$(VIGIL_UPDATE_DELTA_MAX_IMAGE=100000 "$VIGIL" delta run --json 2>/dev/null | jq -c .)" '{"releases":1,"made":0}'
	check_eq "$STORE: ... the skips audited (from 5.0 and 4.0)" \
		"$(db_sql "SELECT after_json FROM audit_log WHERE action = 'delta.skip'" | jq -c '[.[] | [.artifact, .from_version, .new_length, .max_image]]')" \
		'[["fw.img","5.0",400000,100000],["fw.img","4.0",400000,100000]]'
	check_eq "$STORE: ... the full image is offered" \
		"$("$VIGIL" delta offer fw@6.0 --target fw/fw.img --from 5.0 --json | jq -c .found)" false
	check_eq "$STORE: ... the job is done, no error" "$(db_sql "SELECT CASE WHEN done_at > 0 THEN 1 ELSE 0 END, CASE WHEN error IS NULL THEN 1 ELSE 0 END FROM delta_jobs WHERE release_id = (SELECT id FROM releases WHERE version = '6.0')")" "1|1"
	ok "$STORE: audit chain intact" "$VIGIL" audit verify
	unset VIGIL_NOW VIGIL_UPDATE_DELTA_FROM
done

finish
