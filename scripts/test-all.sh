#!/bin/sh
# The whole test suite on a fresh machine, as root: system packages, node modules, static
# checks, then every test (unit, integration, and system tests with real libvirt and dnsmasq).
set -eu
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
npm ci --no-audit --no-fund
npm run typecheck
npm run lint
npm run format:check
npm test
