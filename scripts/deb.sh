#!/bin/sh
# Build the Debian package of vigil with dpkg-deb (docs/operator.md, "Debian
# package and systemd"). Usage:
#   sh scripts/deb.sh [--build DIR] [--out DIR] [--no-strip]
# --build DIR  an already built build directory (tests/integration/t0024-deb.sh
#              passes the test build). The installed binary finds its schemas
#              relative to itself (/usr/bin/../share/vigil), whatever prefix
#              the build was configured with. Without --build, build-deb/ is
#              configured with -DCMAKE_INSTALL_PREFIX=/usr and built (what
#              `make deb` does).
# --out DIR    where vigil_VERSION_ARCH.deb goes (default: the current folder);
#              its path is printed last.
# The layout: /usr/bin/vigil; /usr/share/vigil/schemas; /usr/share/doc/vigil;
# /etc/vigil/vigil.ini (a conffile: every key commented out with its default,
# written from `vigil config keys --json`, the table the code reads);
# /lib/systemd/system/vigil.service; /usr/lib/sysusers.d/vigil.conf (the
# user vigil, made by postinst); /var/lib/vigil (the data). The web assets
# are compiled into the binary. Needs dpkg-dev (dpkg-shlibdeps), python3.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
pkg=$here/packaging/deb
build=""
out=.
strip=1
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--no-strip) strip=0; shift ;;
	*) echo "usage: sh scripts/deb.sh [--build DIR] [--out DIR] [--no-strip]" >&2; exit 2 ;;
	esac
done

if [ -z "$build" ]; then
	build=$here/build-deb
	cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
		-DVIGIL_WERROR=ON >/dev/null
	cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target vigil
fi
[ -x "$build/vigil" ] || { echo "deb: no vigil binary in $build" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

stage=$(mktemp -d "${TMPDIR:-/tmp}/vigil-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
R=$stage/root
umask 022

# the binary, the schemas, the docs
DESTDIR=$R cmake --install "$build" --prefix /usr >/dev/null
if [ "$strip" = 1 ]; then
	strip --strip-unneeded --remove-section=.comment --remove-section=.note "$R/usr/bin/vigil"
fi

# the settings: every key commented out with its default, the data's place set
mkdir -p "$R/etc/vigil"
"$build/vigil" config keys --json | python3 "$pkg/ini.py" >"$R/etc/vigil/vigil.ini"

# the unit, the user, the data folder
install -D -m 0644 "$pkg/vigil.service" "$R/lib/systemd/system/vigil.service"
# Type=notify needs sd_notify: a binary built without libsystemd gets Type=exec
if ! ldd "$R/usr/bin/vigil" 2>/dev/null | grep -q libsystemd; then
	echo "deb: warning: vigil is built without libsystemd (apt-get install libsystemd-dev):" \
		"the unit gets Type=exec instead of Type=notify" >&2
	sed -i -e 's/^Type=notify$/Type=exec/' -e '/^NotifyAccess=/d' "$R/lib/systemd/system/vigil.service"
fi
install -D -m 0644 "$pkg/sysusers.conf" "$R/usr/lib/sysusers.d/vigil.conf"
install -D -m 0644 "$pkg/lintian-overrides" "$R/usr/share/lintian/overrides/vigil"
# 0755 and 0644 here; postinst makes them 0750 vigil:vigil and 0640 root:vigil
install -d -m 0755 "$R/var/lib/vigil"

# Debian's documentation files
doc=$R/usr/share/doc/vigil
install -m 0644 "$pkg/copyright" "$doc/copyright"
version=${VIGIL_DEB_VERSION:-$("$build/vigil" --version --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')}
arch=$(dpkg --print-architecture)
date=$(date -u -R -d "@${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}")
printf 'vigil (%s) unstable; urgency=medium\n\n  * Built from %s by scripts/deb.sh.\n\n -- vigil maintainers <vigil@vigil.invalid>  %s\n' \
	"$version" "$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo source)" "$date" |
	gzip -9n >"$doc/changelog.gz"

# the control files: dependencies from the libraries the binary links
mkdir -p "$R/DEBIAN" "$stage/src/debian"
printf 'Source: vigil\n\nPackage: vigil\nArchitecture: any\n' >"$stage/src/debian/control"
shlibs=$(cd "$stage/src" && dpkg-shlibdeps -O -e"$R/usr/bin/vigil" 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
size=$(du -sk --exclude=DEBIAN "$R" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
	-e "s/@DEPENDS@/$shlibs/" "$pkg/control.in" >"$R/DEBIAN/control"
echo /etc/vigil/vigil.ini >"$R/DEBIAN/conffiles"
for s in postinst prerm postrm; do
	install -m 0755 "$pkg/$s" "$R/DEBIAN/$s"
done
(cd "$R" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
	xargs -0 md5sum) >"$R/DEBIAN/md5sums"

deb=$out/vigil_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$R" "$deb" >/dev/null
echo "$deb"
