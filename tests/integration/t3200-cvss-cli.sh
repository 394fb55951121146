#!/bin/sh
# `vigil cvss score`: plain and --json output for every CVSS version, exit
# codes for malformed vectors and bad usage, and the CLI agreeing with NVD's
# baseScore on the real NVD records of the shared data.
# vigil-test: no-database (the PostgreSQL run skips it)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"

# plain output: base score and severity
check_eq "v3.1 exits 0" "$(run_cmd "$VIGIL" cvss score 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')" 0
check_eq "v3.1 Shellshock" "$(cat "$T_DIR/out")" "9.8 critical"
check_eq "nothing on stderr" "$(cat "$T_DIR/err")" ""
check_eq "v3.0 POODLE" "$("$VIGIL" cvss score 'CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N')" "3.1 low"
check_eq "v2 base" "$("$VIGIL" cvss score 'AV:N/AC:L/Au:N/C:P/I:P/A:P')" "7.5 high"
check_eq "v4.0 base" "$("$VIGIL" cvss score 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N')" "6.9 medium"
check_eq "no impact is none" "$("$VIGIL" cvss score 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N')" "0.0 none"
# threat and environmental metrics: a second line with the score they make
"$VIGIL" cvss score 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A' >"$T_DIR/out"
check_eq "v4 BTE second line" "$(sed -n 2p "$T_DIR/out")" "CVSS-BTE 8.7 high"

# --json
J="$T_DIR/out"
check_eq "json exits 0" "$(run_cmd "$VIGIL" cvss score --json 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A')" 0
check_eq "json vector" "$(jq -r .vector "$J")" "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A"
check_eq "json version" "$(jq -r .version "$J")" "4.0"
check_eq "json score" "$(jq -r .score "$J")" "8.7"
check_eq "json nomenclature" "$(jq -r .nomenclature "$J")" "CVSS-BTE"
check_eq "json base is CVSS-B" "$(jq -r '.base_score > .score' "$J")" "true"
check_eq "json severity of base" "$(jq -r .severity "$J")" "critical"
check_eq "json metrics as given" "$(jq -c .metrics "$J")" \
	'{"AV":"N","AC":"L","AT":"N","PR":"N","UI":"N","VC":"H","VI":"H","VA":"L","SC":"N","SI":"N","SA":"N","E":"A","MAV":"A"}'

"$VIGIL" cvss score --json 'AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H' >"$J"
check_eq "v2 guide example: base" "$(jq -r .base_score "$J")" "7.8"
check_eq "v2 guide example: temporal" "$(jq -r .temporal_score "$J")" "6.4"
check_eq "v2 guide example: environmental" "$(jq -r .environmental_score "$J")" "9.2"
check_eq "v2 NVD severity" "$(jq -r .nvd_v2_severity "$J")" "high"
check_eq "v2 version" "$(jq -r .version "$J")" "2.0"

"$VIGIL" cvss score --json 'CVSS:3.1/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X' >"$J"
check_eq "v3.1 any order" "$(jq -r '[.base_score, .temporal_score, .score] | map(tostring) | join(" ")' "$J")" "3.8 3.7 3.7"
check_eq "X kept in metrics" "$(jq -r .metrics.RL "$J")" "X"

# malformed vectors: exit 1, the message names the vector and the metric
check_eq "bad value exits 1" "$(run_cmd "$VIGIL" cvss score 'CVSS:4.0/AV:F/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N')" 1
check_contains "bad value message" "$(cat "$T_DIR/err")" "metric 'AV' has illegal value 'F'"
check_contains "message quotes the vector" "$(cat "$T_DIR/err")" "CVSS:4.0/AV:F/AC:L"
check_eq "nothing on stdout on failure" "$(cat "$T_DIR/out")" ""
check_eq "v4 order enforced" "$(run_cmd "$VIGIL" cvss score 'CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N')" 1
check_contains "order message" "$(cat "$T_DIR/err")" "out of order"
check_eq "missing metric exits 1" "$(run_cmd "$VIGIL" cvss score --json 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H')" 1
check_contains "missing metric message" "$(cat "$T_DIR/err")" "mandatory metric 'A' is missing"
check_eq "duplicate exits 1" "$(run_cmd "$VIGIL" cvss score 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L')" 1
check_eq "unknown prefix exits 1" "$(run_cmd "$VIGIL" cvss score 'CVSS:5.0/AV:N')" 1

# usage
check_eq "no vector is a usage error" "$(run_cmd "$VIGIL" cvss score)" 2
check_eq "two vectors is a usage error" "$(run_cmd "$VIGIL" cvss score 'AV:N/AC:L/Au:N/C:P/I:P/A:P' 'AV:N/AC:L/Au:N/C:P/I:P/A:P')" 2
check_eq "unknown verb exits 2" "$(run_cmd "$VIGIL" cvss frob)" 2
check_eq "cvss --help exits 0" "$(run_cmd "$VIGIL" cvss --help)" 0
check_contains "help lists score" "$(cat "$T_DIR/out")" "score"

# every v3.x and v4.0 metric of the NVD records: the CLI's base score is NVD's
n=0
bad=0
for f in $(find "$VIGIL_SHARED_DATA/vuln/nvd" -name '*.json' -not -path '*/schema/*'); do
	jq -r '.. | objects | select(has("vectorString") and has("baseScore") and (.vectorString | type == "string") and (.vectorString | startswith("CVSS:"))) | [.vectorString, (.baseScore | tostring)] | @tsv' "$f" 2>/dev/null
done | sort -u >"$T_DIR/cases"
while IFS="$(printf '\t')" read -r vec want; do
	n=$((n + 1))
	got=$("$VIGIL" cvss score --json "$vec" | jq -r '.base_score | tostring')
	# jq prints 10 for 10.0: compare as numbers
	if [ "$(jq -n "$got == $want")" != "true" ]; then
		bad=$((bad + 1))
		echo "    $vec -> $got (NVD $want)"
	fi
done <"$T_DIR/cases"
check_eq "NVD v3.x/v4.0 base scores through the CLI ($n distinct)" "$bad" 0
ok "there were such vectors" test "$n" -gt 50

finish
