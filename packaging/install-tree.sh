#!/bin/sh
# Lays out mdserver under DESTDIR as both packages install it (their "make install"): the
# launcher, the bundled program (from packaging/bundle.mjs), the sample configuration, the
# defaults file, the systemd unit, the logrotate file, the manual page and the README.
# The SysV init script is left to the .deb (it uses Debian's start-stop-daemon).
# Usage: packaging/install-tree.sh BUNDLEDIR DESTDIR
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
bundle=$1
dest=$2

install -d -m 0755 "$dest" "$dest/usr/bin" "$dest/usr/lib/mdserver" "$dest/etc/mdserver/userdata"
# bin/mdserver with an absolute interpreter and the bundle in place of the compiled tree.
sed -e '1s|^#!/usr/bin/env node$|#!/usr/bin/node|' \
	-e 's|^import("../build/src/main.js");$|import("../lib/mdserver/mdserver.js");|' \
	"$repo/bin/mdserver" >"$dest/usr/bin/mdserver"
if ! head -1 "$dest/usr/bin/mdserver" | grep -qx '#!/usr/bin/node' ||
	! grep -qx 'import("../lib/mdserver/mdserver.js");' "$dest/usr/bin/mdserver"; then
	echo "install-tree: bin/mdserver changed; update the sed lines above" >&2
	exit 1
fi
chmod 0755 "$dest/usr/bin/mdserver"
install -m 0644 "$bundle/mdserver.js" "$bundle/package.json" "$dest/usr/lib/mdserver/"
install -D -m 0644 "$repo/etc/mdserver.conf" "$dest/etc/mdserver/mdserver.conf"
install -D -m 0644 "$repo/etc/default/mdserver" "$dest/etc/default/mdserver"
install -D -m 0644 "$repo/etc/logrotate.d/mdserver" "$dest/etc/logrotate.d/mdserver"
install -D -m 0644 "$repo/etc/systemd/mdserver.service" \
	"$dest/usr/lib/systemd/system/mdserver.service"
install -D -m 0644 "$repo/README.md" "$dest/usr/share/doc/mdserver/README.md"

# The manual page, from the installed command's own --help (so it cannot drift from it).
install -d -m 0755 "$dest/usr/share/man/man1"
help2man --no-info --no-discard-stderr --section=1 \
	--name="metadata server for libvirt guests" \
	--include="$repo/packaging/mdserver.h2m" \
	--output="$dest/usr/share/man/man1/mdserver.1" \
	"$dest/usr/bin/mdserver"
gzip -9n "$dest/usr/share/man/man1/mdserver.1"
