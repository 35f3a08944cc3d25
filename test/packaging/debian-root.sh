#!/bin/sh
# Builds the Debian root the packaging tests install mdserver into (test/helpers/debian-root.ts
# caches it outside the clone, keyed by this file's text and the mirror): Debian 13 "trixie",
# the first Debian whose nodejs is >= 20, minbase, plus mdserver's dependencies and what the
# tests run there: systemd (systemd-analyze, and a service manager to boot), lintian, logrotate.
# Usage (as root): debian-root.sh MIRROR TARGET    TARGET is made beside, then renamed.
set -eu
mirror=$1
target=$2
tmp=$target.partial
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT

debootstrap --variant=minbase trixie "$tmp" "$mirror"
# Nothing starts while packages are installed.
printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
chmod 0755 "$tmp/usr/sbin/policy-rc.d"
# /proc only in a mount namespace of this command's own, so nothing is left mounted.
# shellcheck disable=SC2016 # $1 expands in the inner shell
unshare --mount --propagation private sh -c '
	mount -t proc proc "$1/proc"
	exec chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive sh -c "
		apt-get update -q &&
		apt-get install -y -q --no-install-recommends \
			nodejs libvirt-clients adduser systemd lintian logrotate &&
		apt-get clean"' sh "$tmp"
rm "$tmp/usr/sbin/policy-rc.d"
mv "$tmp" "$target"
