#!/bin/sh
# Installs the Debian packages the test suite drives for real (run as root). One package per
# line, with what needs it.
set -eu
PACKAGES="
  libvirt-clients             virsh
  libvirt-daemon              libvirtd (real leases, events, net-update)
  libvirt-daemon-driver-qemu  libvirtd's qemu driver (domains)
  qemu-system-x86             the emulator libvirt starts domains with
  dnsmasq-base                libvirt's DHCP/DNS, and the DNS tests' own dnsmasq
  iptables                    libvirt's network set-up
  iproute2                    network namespaces and veths
  busybox                     udhcpc, for stand-in guests
  bind9-dnsutils              dig
  curl                        a client of the metadata service
  cloud-init                  cloud-init's own Python code, ds-identify
  amazon-ec2-utils            ec2-metadata
  wrk                         benchmarks
  virtinst                    virt-install, to check the README's recipes
  python3-bottle              bottle 0.12, the original's template renderer (golden tests)
  help2man                    the packages' manual page
  rpm                         rpmbuild
  debootstrap                 the Debian roots: the .deb's test root, the real guest's image
  shellcheck                  the shell scripts
  e2fsprogs                   the real guest: mkfs.ext4 -d builds its disk, debugfs reads it
  openssh-client              the real guest: logging in to it
  chromium                    the status page, in a real browser (headless)
"
# The first word of each line is the package.
PACKAGES=$(printf '%s\n' "$PACKAGES" | awk 'NF { print $1 }')

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
