#!/bin/sh
# `vigil delta make` and `vigil delta apply` (issue 20 item 1): byte-exact
# round trips on real shared libraries of two Debian versions of a package
# (apt-get download at test time; files the test makes when the network or
# apt is not there), on empty, identical, unrelated and truncated inputs;
# a flipped byte in a patch is detected; a patch applied to the wrong old
# file is refused before anything is written; nothing is left at -o on any
# failure and an existing file there is untouched.
# vigil-test: no-database (the PostgreSQL run skips it)
. "$VIGIL_SOURCE_DIR/tests/integration/lib.sh"
cd "$T_DIR" || exit 1

# roundtrip NAME OLD NEW: make, apply, compare
roundtrip() {
	rm -f "$1.patch" "$1.out"
	check_eq "$1: make" "$(run_cmd "$VIGIL" delta make "$2" "$3" -o "$1.patch")" 0
	check_eq "$1: apply" "$(run_cmd "$VIGIL" delta apply "$2" "$1.patch" -o "$1.out")" 0
	ok "$1: rebuilt byte for byte" cmp "$1.out" "$3"
}

# two versions of a library from Debian: LIB_OLD, LIB_NEW (empty when not to be had)
debian_pair() {
	pkg=$1 file=$2
	command -v apt-get >/dev/null && command -v apt-cache >/dev/null || return 1
	vers=$(apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u)
	[ "$(echo "$vers" | grep -c .)" -ge 2 ] || return 1
	v1=$(echo "$vers" | sed -n 1p)
	v2=$(echo "$vers" | sed -n 2p)
	mkdir -p "deb-$pkg" && (cd "deb-$pkg" &&
		timeout 120 apt-get download -q "$pkg=$v1" "$pkg=$v2" >/dev/null 2>&1) || return 1
	i=0
	for d in "deb-$pkg"/*.deb; do
		i=$((i + 1))
		dpkg-deb -x "$d" "deb-$pkg/x$i" || return 1
	done
	LIB_OLD=$(find "deb-$pkg/x1" -name "$file" -type f | head -1)
	LIB_NEW=$(find "deb-$pkg/x2" -name "$file" -type f | head -1)
	[ -n "$LIB_OLD" ] && [ -n "$LIB_NEW" ] && ! cmp -s "$LIB_OLD" "$LIB_NEW"
}

REAL=0
for spec in "zlib1g libz.so.1.*" "libcurl4 libcurl.so.4.*"; do
	set -- $spec
	if debian_pair "$1" "$2"; then
		REAL=$((REAL + 1))
		roundtrip "$1" "$LIB_OLD" "$LIB_NEW"
		check_eq "$1: the patch is smaller than a tenth of the new library" \
			"$(test "$(stat -c %s "$1.patch")" -lt $(($(stat -c %s "$LIB_NEW") / 10)) && echo yes)" yes
		roundtrip "$1-backwards" "$LIB_NEW" "$LIB_OLD"
		[ -n "${P_OLD:-}" ] || { P_OLD=$LIB_OLD; P=$1.patch; }
	fi
done
if [ "$REAL" -eq 0 ]; then
	echo "# no Debian packages to download here: made files instead"
fi
# made files: a binary-like image and an edited copy (always, beside the real ones)
python3 - <<'EOF'
import random
r = random.Random(8400)
words = [bytes(r.randrange(256) for _ in range(r.randrange(4, 40))) for _ in range(400)]
old = bytearray()
while len(old) < 600000:
    old += r.choice(words)
new = bytearray(old)
for _ in range(300):  # scattered edits, an insertion, a deletion
    p = r.randrange(len(new) - 8)
    new[p:p + 4] = bytes(r.randrange(256) for _ in range(4))
new[1000:1000] = bytes(r.randrange(256) for _ in range(5000))
del new[300000:310000]
open("made.old", "wb").write(old)
open("made.new", "wb").write(new)
EOF
roundtrip made made.old made.new
# the patch the damage tests below start from: a real library's when there is one
[ -n "${P_OLD:-}" ] || { P_OLD=made.old; P=made.patch; }

# empty, identical, unrelated
: >empty
head -c 100000 /dev/urandom >rand1
head -c 70000 /dev/urandom >rand2
roundtrip "empty to empty" empty empty
roundtrip "empty to a file" empty rand1
roundtrip "a file to empty" rand1 empty
roundtrip identical rand1 rand1
check_eq "identical: the patch is small" "$(test "$(stat -c %s identical.patch)" -lt 300 && echo yes)" yes
roundtrip unrelated rand1 rand2
check_eq "--json: lengths and hashes" \
	"$("$VIGIL" delta make rand1 rand2 -o j.patch --json | jq -c '[.old.length, .new.length, .new.sha256 == "'"$(sha256sum rand2 | cut -c1-64)"'", .patch.length > 0]')" \
	'[100000,70000,true,true]'
check_eq "apply --json: the new image's hash" \
	"$("$VIGIL" delta apply rand1 j.patch -o j.out --json | jq -r .new.sha256)" "$(sha256sum rand2 | cut -c1-64)"
check_contains "info names the old image's hash" "$("$VIGIL" delta info j.patch)" "$(sha256sum rand1 | cut -c1-64)"
# the layouts of the differences: each alone rebuilds; the tokens need version 2
python3 -c "
import sys
b = bytearray(open('rand1', 'rb').read())
for i in range(0, len(b), 17):
    b[i] = (b[i] + 0x20) & 0xff
open('shifted', 'wb').write(b)"
for l in planes runs tokens auto; do
	check_eq "--layout $l: version, layout" \
		"$("$VIGIL" delta make rand1 shifted -o l.patch --layout $l --json | jq -c '[.version, .stats.layout]')" \
		"$(case $l in planes) echo '[1,"planes"]' ;; runs) echo '[1,"runs"]' ;; *) echo '[2,"tokens"]' ;; esac)"
	rm -f l.out
	check_eq "--layout $l: applies" "$(run_cmd "$VIGIL" delta apply rand1 l.patch -o l.out)" 0
	ok "--layout $l: ... byte for byte" cmp l.out shifted
done
check_eq "--layout rows: a usage error" "$(run_cmd "$VIGIL" delta make rand1 shifted -o l.patch --layout rows)" 2

# truncated inputs: every cut of a real patch is refused, nothing left at -o
N=$(stat -c %s "$P")
BAD=0
for cut in 0 1 50 127 128 129 $((N / 2)) $((N - 2)) $((N - 1)); do
	head -c "$cut" "$P" >cut.patch
	rc=$(run_cmd "$VIGIL" delta apply "$P_OLD" cut.patch -o cut.out)
	if [ "$rc" != 1 ] || [ -e cut.out ]; then
		BAD=$((BAD + 1))
		echo "# cut at $cut: exit $rc"
	fi
done
check_eq "a truncated patch is refused (9 cuts), nothing at -o" "$BAD" 0
head -c $((N / 2)) "$P" >cut.patch
run_cmd "$VIGIL" delta apply "$P_OLD" cut.patch -o cut.out >/dev/null
check_contains "... saying it is truncated" "$(cat "$T_DIR/err")" "truncated"
head -c 50 "$P" >cut.patch
run_cmd "$VIGIL" delta apply "$P_OLD" cut.patch -o cut.out >/dev/null
check_contains "... or shorter than the header" "$(cat "$T_DIR/err")" "less than its 128-byte header"
cp "$P" long.patch
printf 'x' >>long.patch
check_eq "a byte after the end is refused" "$(run_cmd "$VIGIL" delta apply "$P_OLD" long.patch -o long.out)" 1
check_eq "... nothing at -o" "$(test -e long.out && echo there || echo none)" none
# a truncated old image
head -c 1000 "$P_OLD" >short.old
check_eq "a truncated old image is refused" "$(run_cmd "$VIGIL" delta apply short.old "$P" -o short.out)" 1
check_contains "... as not the old image" "$(cat "$T_DIR/err")" "old_mismatch"

# a flipped byte anywhere in the patch is detected
BAD=0
for off in 3 10 20 40 70 100 130 $((N / 3)) $((N / 2)) $((N - 5)); do
	python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[int(sys.argv[2])] ^= 0x20; open("flip.patch", "wb").write(d)' "$P" "$off"
	rc=$(run_cmd "$VIGIL" delta apply "$P_OLD" flip.patch -o flip.out)
	if [ "$rc" != 1 ] || [ -e flip.out ]; then
		BAD=$((BAD + 1))
		echo "# flip at $off: exit $rc"
	fi
done
check_eq "a flipped byte (10 places: magic, version, lengths, hashes, body) is detected" "$BAD" 0

# the wrong old file: refused before anything is written, -o untouched
echo "keep me" >keep.out
check_eq "the wrong old file is refused" "$(run_cmd "$VIGIL" delta apply rand2 "$P" -o keep.out)" 1
check_contains "... naming the mismatch" "$(cat "$T_DIR/err")" "old image"
check_eq "... the existing -o untouched" "$(cat keep.out)" "keep me"
check_eq "... no temporary file left" "$(ls | grep -c 'tmp-')" 0
check_eq "not a patch is refused" "$(run_cmd "$VIGIL" delta apply rand1 rand2 -o x.out)" 1
check_contains "... saying what was expected" "$(cat "$T_DIR/err")" "VGDELTA"
check_eq "a missing old file: exit 1" "$(run_cmd "$VIGIL" delta make nosuch rand1 -o x.patch)" 1
check_eq "... nothing at -o" "$(test -e x.patch && echo there || echo none)" none
check_eq "usage: no -o" "$(run_cmd "$VIGIL" delta make rand1 rand2)" 2

# The device's copy: delta_apply.c alone, built as a device would (C11, no
# vigil header, no define): it needs libzstd and libc, nothing else.
check_eq "the apply unit builds alone with cc -std=c11 -Werror" "$(cc -std=c11 -O2 -Wall -Wextra -Werror -c "$VIGIL_SOURCE_DIR/src/update/delta_apply.c" -o "$T_DIR/da.o" 2>&1; echo $?)" 0
check_eq "... and calls only zstd and libc" "$(nm -u "$T_DIR/da.o" | awk '{ print $2 }' | grep -v -E '^(ZSTD_[A-Za-z_]+|free|malloc|realloc|calloc|memcmp|memcpy|memmove|memset|vsnprintf|snprintf|strlen|__stack_chk_fail)$' | tr '\n' ' ')" ""

finish
