#!/bin/sh
# Builds mdserver-<version>-1.noarch.rpm with rpmbuild (npm run package:rpm) into OUTDIR (dist/),
# from packaging/rpm/mdserver.spec and a source tarball of the bundled program. Needs
# node_modules (npm ci), help2man and rpmbuild (Debian's "rpm" package); not root.
# Usage: packaging/build-rpm.sh [OUTDIR]
set -eu
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "$0")/common.sh"
out=$(mkdir -p "${1:-$repo/dist}" && cd "${1:-$repo/dist}" && pwd)
spec=$repo/packaging/rpm/mdserver.spec
if ! grep -qx "Version: *$version" "$spec"; then
	echo "packaging/rpm/mdserver.spec: Version is not $version (package.json)" >&2
	exit 1
fi

# The source tarball: what install-tree.sh installs from.
src=$work/mdserver-$version
mkdir -p "$src/packaging" "$work/SOURCES"
cp -R "$repo/bin" "$repo/etc" "$repo/README.md" "$work/bundle" "$src/"
cp "$repo/packaging/install-tree.sh" "$repo/packaging/mdserver.h2m" "$src/packaging/"
tar -C "$work" --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
	-czf "$work/SOURCES/mdserver-$version.tar.gz" "mdserver-$version"

# --nodeps: a Debian host's rpm database is empty, so BuildRequires cannot be checked. No
# post-install processing: nothing to strip, the manual page is compressed already, and
# Debian's brp-compress needs bash.
rpmbuild -bb --nodeps --quiet --define "__os_install_post %{nil}" \
	--define "_topdir $work/rpmbuild" --define "_sourcedir $work/SOURCES" \
	--define "use_source_date_epoch_as_buildtime 1" \
	--define "clamp_mtime_to_source_date_epoch 1" --define "_buildhost reproducible" \
	--define "_binary_payload w9.xzdio" \
	"$spec"
for rpm in "$work"/rpmbuild/RPMS/noarch/*.rpm; do
	cp "$rpm" "$out/"
	echo "$out/$(basename "$rpm")"
done
