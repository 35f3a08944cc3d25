# shellcheck shell=sh
# Shared by build-deb.sh and build-rpm.sh (sourced): the version, a reproducible time stamp,
# a scratch directory, and the bundled program in "$work/bundle".
repo=$(cd "$(dirname "$0")/.." && pwd)
# package.json's "1.0.0-dev" is "1.0.0~dev" for both dpkg and rpm: "~" sorts before the
# release, as a pre-release should.
version=$(node -p 'require(process.argv[1]).version' "$repo/package.json" | tr - '~')
changelog_version=$(sed -n '1s/^mdserver (\([^)]*\)).*/\1/p' "$repo/packaging/debian/changelog")
if [ "$changelog_version" != "$version" ]; then
	echo "packaging/debian/changelog starts at $changelog_version; package.json says $version:" \
		"add a changelog entry" >&2
	exit 1
fi
# Files get the date of the last changelog entry, so two builds of one tree are identical.
SOURCE_DATE_EPOCH=$(date -d "$(sed -n 's/^ -- .*>  //p' "$repo/packaging/debian/changelog" |
	head -1)" +%s)
export SOURCE_DATE_EPOCH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$repo/packaging/bundle.mjs" "$work/bundle"
