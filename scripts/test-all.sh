#!/bin/sh
# The whole test suite on a fresh machine: system packages, node modules, static checks, then
# every test (unit, integration, and system tests with real libvirt, dnsmasq and a Debian root),
# and last the slowest: a real Debian guest booted under emulation and configured by mdserver.
# It needs root: run it as root, or as a user with sudo, through which it then runs itself.
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null; then
		echo "test-all: the tests need root, and there is no sudo here: run this as root" >&2
		exit 1
	fi
	# The same node and npm as this user's: keep PATH.
	exec sudo -- env "PATH=$PATH" "$(pwd)/scripts/test-all.sh" "$@"
fi
# What the run makes in the checkout stays its owner's (a user who came through sudo).
owner=$(stat -c %u:%g .)
trap 'chown -R "$owner" node_modules build 2>/dev/null || true' EXIT
scripts/install-test-deps.sh
npm ci --no-audit --no-fund
npm run typecheck
npm run lint
npm run format:check
npm test
# It bounds itself (35 minutes at most, teardown included); the timeout is only a backstop.
timeout --kill-after=60 2280 npm run test:guest
