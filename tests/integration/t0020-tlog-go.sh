#!/bin/sh
# Checkpoints and proofs of the audit trail verified by an implementation that
# is not ours: golang.org/x/mod/sumdb/note and sumdb/tlog (Debian
# golang-golang-x-mod-dev), through tests/tools/tlogcheck built here offline.
# Skips (exit 0 with a message) when Go or the package is missing.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/golang.org/x/mod/sumdb ]; then
	echo "SKIP: needs golang-go and golang-golang-x-mod-dev (scripts/deps.sh)"
	exit 0
fi
G=$T_DIR/go
mkdir -p "$G/src/tlogcheck"
cp "$VIGIL_SOURCE_DIR/tests/tools/tlogcheck/main.go" "$G/src/tlogcheck/"
(cd "$G/src/tlogcheck" && GO111MODULE=off GOPATH="$G:/usr/share/gocode" GOCACHE="$G/cache" \
	GOFLAGS= GOPROXY=off go build -o "$T_DIR/tlogcheck" .) || { echo "FAIL - go build tlogcheck"; exit 1; }
TC=$T_DIR/tlogcheck

export VIGIL_AUDIT_ORIGIN=vigil.test/audit
fresh_db
VKEY=$("$VIGIL" audit key show)
i=0
while [ $i -lt 5 ]; do
	VIGIL_PASSWORD=pw-user-$i-long "$VIGIL" user add "user$i" --role psirt >/dev/null
	i=$((i + 1))
done
"$VIGIL" audit checkpoint >"$T_DIR/cp1"
N1=$(sed -n 2p "$T_DIR/cp1")
check_eq "x/mod note.Open accepts our checkpoint" "$(run_cmd "$TC" checkpoint "$VKEY" "$T_DIR/cp1")" 0
check_eq "and reads its origin, size and root" "$(cat "$T_DIR/out")" \
	"vigil.test/audit $N1 $("$VIGIL" audit checkpoint --json | jq -r .root)"

# every record's inclusion proof against the checkpoint, checked by x/mod tlog
bad=0
seq=1
while [ $seq -le "$N1" ]; do
	"$VIGIL" audit prove inclusion $seq --json >"$T_DIR/p.json"
	"$TC" inclusion "$VKEY" "$T_DIR/cp1" "$T_DIR/p.json" >/dev/null 2>"$T_DIR/err" || { bad=$seq; cat "$T_DIR/err"; break; }
	seq=$((seq + 1))
done
check_eq "x/mod tlog.CheckRecord accepts all $N1 inclusion proofs (and RecordHash of each record)" "$bad" 0

i=0
while [ $i -lt 9 ]; do
	VIGIL_PASSWORD=pw-more-$i-long "$VIGIL" user add "more$i" --role auditor >/dev/null
	i=$((i + 1))
done
"$VIGIL" audit checkpoint >"$T_DIR/cp2"
N2=$(sed -n 2p "$T_DIR/cp2")
"$VIGIL" audit prove consistency "$N1" "$N2" --json >"$T_DIR/c.json"
check_eq "x/mod tlog.CheckTree accepts the consistency proof $N1 -> $N2" \
	"$(run_cmd "$TC" consistency "$VKEY" "$T_DIR/cp1" "$T_DIR/cp2" "$T_DIR/c.json")" 0
# a third checkpoint: both older ones are prefixes of it
VIGIL_PASSWORD=pw-last-long "$VIGIL" user add last --role auditor >/dev/null
"$VIGIL" audit checkpoint >"$T_DIR/cp3"
N3=$(sed -n 2p "$T_DIR/cp3")
for pair in "1 3" "2 3"; do
	a=${pair% *}
	b=${pair#* }
	na=$(sed -n 2p "$T_DIR/cp$a")
	nb=$(sed -n 2p "$T_DIR/cp$b")
	"$VIGIL" audit prove consistency "$na" "$nb" --json >"$T_DIR/c$a$b.json"
	check_eq "x/mod tlog.CheckTree: checkpoint $a ($na) -> checkpoint $b ($nb)" \
		"$(run_cmd "$TC" consistency "$VKEY" "$T_DIR/cp$a" "$T_DIR/cp$b" "$T_DIR/c$a$b.json")" 0
done
check_eq "x/mod refuses the proof between the wrong pair" \
	"$(run_cmd "$TC" consistency "$VKEY" "$T_DIR/cp1" "$T_DIR/cp3" "$T_DIR/c23.json")" 1
check_eq "the third checkpoint is larger" "$([ "$N3" -gt "$N2" ] && echo yes)" yes

# tampered inputs are refused by x/mod too
"$VIGIL" audit prove consistency "$N1" "$N2" --json | jq '.proof[0] |= (.[0:63] + (if .[63:64] == "0" then "1" else "0" end))' >"$T_DIR/c-bad.json"
check_eq "x/mod refuses a changed consistency proof" \
	"$(run_cmd "$TC" consistency "$VKEY" "$T_DIR/cp1" "$T_DIR/cp2" "$T_DIR/c-bad.json")" 1
U0=$("$VIGIL" audit log --json | jq '[.[] | select(.object_id == "user0")][0].seq')
"$VIGIL" audit prove inclusion "$U0" --size "$N1" --json | jq '.record |= sub("user0"; "mallory")' >"$T_DIR/p-bad.json"
check_contains "the record was changed" "$(jq -r .record "$T_DIR/p-bad.json")" mallory
check_eq "x/mod refuses a changed record" "$(run_cmd "$TC" inclusion "$VKEY" "$T_DIR/cp1" "$T_DIR/p-bad.json")" 1
sed '2s/.*/999/' "$T_DIR/cp1" >"$T_DIR/cp-bad"
check_eq "x/mod refuses a changed checkpoint" "$(run_cmd "$TC" checkpoint "$VKEY" "$T_DIR/cp-bad")" 1
check_eq "x/mod refuses another key" \
	"$(run_cmd "$TC" checkpoint "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW" "$T_DIR/cp1")" 1

finish
