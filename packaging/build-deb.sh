#!/bin/sh
# Builds mdserver_<version>_all.deb with dpkg-deb (npm run package:deb) into OUTDIR (dist/).
# Needs node_modules (npm ci), help2man and dpkg-deb; not root.
# Usage: packaging/build-deb.sh [OUTDIR]
set -eu
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"
out=$(mkdir -p "${1:-$repo/dist}" && cd "${1:-$repo/dist}" && pwd)
root=$work/root

"$repo/packaging/install-tree.sh" "$work/bundle" "$root"
install -D -m 0755 "$repo/etc/init.d/mdserver" "$root/etc/init.d/mdserver"
doc=$root/usr/share/doc/mdserver
install -m 0644 "$work/bundle/copyright" "$doc/copyright"
# A native package's changelog (Debian policy 12.7).
gzip -9n <"$repo/packaging/debian/changelog" >"$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

install -d -m 0755 "$root/DEBIAN"
install -m 0755 "$repo/packaging/debian/postinst" "$repo/packaging/debian/prerm" \
	"$repo/packaging/debian/postrm" "$root/DEBIAN/"
# Everything under /etc is the administrator's: dpkg keeps their changes (conffiles).
(cd "$root" && find etc -type f | sort | sed 's|^|/|') >"$root/DEBIAN/conffiles"
(cd "$root" && find usr -type f | sort | xargs md5sum) >"$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$size/" \
	"$repo/packaging/debian/control" >"$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb=$out/mdserver_${version}_all.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
