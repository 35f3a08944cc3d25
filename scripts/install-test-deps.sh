#!/bin/sh
# Installs the Debian packages the test suite drives for real (run as root):
# virsh and libvirtd, dnsmasq, busybox (udhcpc for stand-in guests), dig, curl, cloud-init's
# Python code, amazon-ec2-utils (ec2-metadata), iproute2 (network namespaces), wrk (benchmarks),
# virtinst (virt-install, to check the README's recipes);
# for the packages: help2man (manual page), rpm (rpmbuild), debootstrap (the Debian root the
# .deb is installed into; lintian and systemd-analyze run there), shellcheck (shell scripts);
# for the real-guest test (npm run test:guest): debootstrap (builds the guest), e2fsprogs
# (mkfs.ext4 -d, debugfs) and openssh-client (logs in to the guest).
set -eu
PACKAGES="libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 \
  dnsmasq-base iptables iproute2 busybox bind9-dnsutils curl cloud-init amazon-ec2-utils wrk \
  virtinst help2man rpm debootstrap shellcheck e2fsprogs openssh-client"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "install-test-deps: all packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: missing packages:$missing; run this as root (sudo $0)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# --no-install-recommends keeps libvirt-daemon-system (and systemd with it) out.
# shellcheck disable=SC2086 # one word per package
apt-get install -y -q --no-install-recommends $missing
