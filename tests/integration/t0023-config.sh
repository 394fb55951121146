#!/bin/sh
# Configuration reference (issue 24 item 7): docs/configuration.md is the
# output of `vigil config keys --markdown` (generated from app_config_keys,
# the table the code reads); every key the code reads is in that table and
# every row is read by the code; a literal default in the code equals the
# table's; an unknown INI key is refused naming the file, line and key.
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1
SRC=$VIGIL_SOURCE_DIR/src
DOC=$VIGIL_SOURCE_DIR/docs/configuration.md

"$VIGIL" config keys --markdown >gen.md
sed -n '/^<!-- BEGIN vigil config keys --markdown -->$/,/^<!-- END vigil config keys --markdown -->$/p' "$DOC" | sed '1d;$d' >doc.md
if cmp -s gen.md doc.md; then
	check_eq "docs/configuration.md is current" same same
else
	diff doc.md gen.md | head -20
	check_eq "docs/configuration.md is current (run sh scripts/config-doc.sh build/vigil)" differs same
fi
"$VIGIL" config keys --json >keys.json
jq -r '.[].key' keys.json >keys.txt
check_eq "keys sorted and unique" "$(sort -u keys.txt | cmp -s - keys.txt && echo yes)" yes
check_eq "the environment form" "$(jq -r '.[] | select(.key == "server.max_conns_per_addr") | .env' keys.json)" VIGIL_SERVER_MAX_CONNS_PER_ADDR
check_eq "every row has a default and a meaning" "$(jq '[.[] | select(.default == "" or .meaning == "")] | length' keys.json)" 0

# Keys the code reads: vg_config_get/int and the rooms' wrappers over them
# (server.c setting_int, stpublish.c setting/split/days), feeds.%s_url.
grep -rhoE '(vg_config_get|vg_config_int|setting_int|setting|split|days)\((s, )?"[a-z0-9_]+\.[a-z0-9_]+"' "$SRC" --include=*.c |
	grep -v '^\(setting\|split\|days\)(s, "securitytxt\.\(publish\|settings\)' |
	sed 's/.*"\(.*\)"/\1/' | sort -u >read.txt
for k in $(grep -rhoE 'kinds\[\] = \{[^}]*\}' "$SRC/vuln/feed_sync.c" | grep -oE '"[a-z]+"' | tr -d '"'); do
	echo "feeds.${k}_url"
done >>read.txt
sort -u read.txt -o read.txt
ok "the code reads keys (found $(wc -l <read.txt))" test "$(wc -l <read.txt)" -gt 60
MISSING=$(comm -23 read.txt keys.txt | tr '\n' ' ')
check_eq "every key the code reads is in the table" "$MISSING" ""
UNUSED=""
for k in $(cat keys.txt); do
	case $k in feeds.*_url) pat='"feeds.%s_url"' ;; *) pat="\"$k\"" ;; esac
	grep -rqF "$pat" "$SRC" --include=*.c --exclude=config_keys.c || UNUSED="$UNUSED $k"
done
check_eq "every row of the table is read by the code" "$UNUSED" ""

# Literal defaults in the code equal the table's.
grep -rhoE '(vg_config_int|setting_int)\("[a-z0-9_.]+", [0-9]+[,)]' "$SRC" --include=*.c |
	sed -E 's/.*"([^"]+)", ([0-9]+)./\1 \2/' | sort -u >intdef.txt
grep -rhoE 'vg_config_get\("[a-z0-9_.]+", "[^"]+"\)' "$SRC" --include=*.c |
	sed -E 's/.*"([^"]+)", "([^"]*)"\)/\1 \2/' | sort -u >strdef.txt
N=0
BAD=""
while read -r k d; do
	N=$((N + 1))
	t=$(jq -r --arg k "$k" '.[] | select(.key == $k) | .default' keys.json)
	[ "$t" = "$d" ] || BAD="$BAD $k:code=$d,table=$t"
done <<EOF2
$(cat intdef.txt strdef.txt)
EOF2
ok "literal defaults compared ($N)" test "$N" -gt 30
check_eq "the code's literal defaults are the table's" "$BAD" ""

# Unknown keys are an error naming the file, line and key; nothing runs.
fresh_db
printf '; a comment\n[server]\nthreads = 2\n\n[sever]\nthreads = 3\n' >typo.ini
check_eq "an unknown key refused" "$(run_cmd "$VIGIL" --config "$T_DIR/typo.ini" user list)" 1
check_contains "... naming the file, line and key" "$(cat err)" "typo.ini: line 6: unknown key 'sever.threads'"
check_eq "... also through VIGIL_CONFIG" "$(VIGIL_CONFIG=$T_DIR/typo.ini run_cmd "$VIGIL" user list)" 1
check_eq "... and by serve, before it listens" "$(run_cmd "$VIGIL" --config "$T_DIR/typo.ini" serve --listen 127.0.0.1:0 --port-file "$T_DIR/port")" 1
ok "... which never listened" test ! -s "$T_DIR/port"
check_eq "config check names it too" "$(run_cmd "$VIGIL" config check "$T_DIR/typo.ini")" 1
check_contains "... the same sentence" "$(cat err)" "line 6: unknown key 'sever.threads'"
printf '[server]\nthreads = 2\nlisten = 127.0.0.1:0\n[feeds]\nnvd_url = https://example.com/x\n[securitytxt]\ncontact = mailto:a@example.com\n' >good.ini
check_eq "config check accepts known keys" "$(run_cmd "$VIGIL" config check "$T_DIR/good.ini")" 0
check_eq "a known file runs" "$(run_cmd "$VIGIL" --config "$T_DIR/good.ini" user list)" 0
printf '[server\nthreads = 2\n' >syntax.ini
check_eq "a syntax error still names the line" "$(run_cmd "$VIGIL" config check "$T_DIR/syntax.ini")" 1
check_contains "... line 1" "$(cat err)" "syntax.ini: line 1"
check_eq "a missing file named" "$(run_cmd "$VIGIL" config check "$T_DIR/none.ini")" 1
check_contains "... with a sentence" "$(cat err)" "none.ini: cannot open configuration file"
finish
