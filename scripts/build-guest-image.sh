#!/bin/sh
# Builds the Debian guest that test/guest boots, once, and prints the directory holding it
# (root.img, vmlinuz, initrd.img). Run as root; the first build needs Debian's mirror.
#
# The guest is what a vendor's cloud image is: Debian bookworm with cloud-init (enabled, its
# defaults untouched: the default user `debian`, ds-identify deciding the datasource, no seed,
# no datasource_list), openssh-server, sudo, locales, ifupdown + isc-dhcp-client and the cloud
# kernel. The one test-specific addition is mdserver-test-harvest.service (below): after
# cloud-final it copies /run/cloud-init to /var/lib/mdserver-test, so the test can read it from
# the disk image with debugfs afterwards, and powers the guest off (at once if no ssh key was installed,
# else after a grace period that the test ends early by powering off over ssh).
#
# The image is cached outside the clone, under $MDSERVER_GUEST_CACHE (default
# /var/cache/mdserver-test), in a directory named after this file's hash: a rerun with the same
# recipe skips the build, a changed recipe builds anew. Builds queue on a lock in that directory.
set -eu

SUITE=bookworm
MIRROR=${MDSERVER_GUEST_MIRROR:-http://deb.debian.org/debian}
CACHE_ROOT=${MDSERVER_GUEST_CACHE:-/var/cache/mdserver-test}
# debootstrap cannot --include cloud-init (a virtual dependency it does not resolve), so these
# are installed with apt in the chroot afterwards. Recommends are left out, as they add nothing
# the tests use (cloud-init's recommended sudo is named).
PACKAGES="systemd-sysv udev netbase iproute2 linux-image-cloud-amd64 cloud-init openssh-server \
  sudo locales ifupdown isc-dhcp-client"
IMAGE_SIZE=2G
# Longest wait for another build of the same cache (a cold build takes a few minutes).
LOCK_WAIT_S=1800

KEY=$(sha256sum "$0" | cut -c1-16)
OUT="$CACHE_ROOT/guest-$KEY"
if [ -f "$OUT/ready" ]; then
  touch "$OUT/last-used"
  echo "$OUT"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "build-guest-image: needs root (debootstrap, chroot)" >&2
  exit 1
fi
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/guest-build.lock"
if ! flock -w "$LOCK_WAIT_S" 9; then
  echo "build-guest-image: another build holds $CACHE_ROOT/guest-build.lock" >&2
  exit 1
fi
if [ -f "$OUT/ready" ]; then
  touch "$OUT/last-used"
  echo "$OUT"
  exit 0
fi
# Holding the lock, no other build runs: what a killed build left behind can go, and so can
# images of other recipes unused for a week (another checkout may still use a recent one).
rm -rf "$CACHE_ROOT"/guest-build-*
find "$CACHE_ROOT" -mindepth 2 -maxdepth 2 -path "$CACHE_ROOT/guest-*/last-used" -mtime +7 \
  -printf '%h\n' | xargs -r rm -rf

WORK=$(mktemp -d "$CACHE_ROOT/guest-build-$KEY.XXXXXX")
LOG="$WORK/build.log"
ROOT="$WORK/root"
cleanup() {
  status=$?
  if [ "$status" -ne 0 ] && [ -f "$LOG" ]; then
    echo "build-guest-image: failed; the end of $LOG:" >&2
    tail -n 40 "$LOG" >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started=$(date +%s)
step() { echo "build-guest-image: $* ($(($(date +%s) - started)) s)" >&2; }

step "debootstrap $SUITE from $MIRROR"
debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >>"$LOG" 2>&1

step "apt-get install $PACKAGES"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# A private mount namespace: /proc, /sys and /dev in the chroot vanish with it, even on failure.
# shellcheck disable=SC2016 # the inner script expands its own arguments
unshare --mount --propagation private sh -eu -c '
  root=$1; shift
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  mount --rbind /dev "$root/dev"
  chroot "$root" sh -eu -c "
    export DEBIAN_FRONTEND=noninteractive LC_ALL=C
    # No service starts inside the chroot.
    printf \"#!/bin/sh\\nexit 101\\n\" >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    apt-get update -q
    apt-get install -y -q --no-install-recommends $*
    apt-get clean
    rm -f /usr/sbin/policy-rc.d
  "
' build "$ROOT" "$PACKAGES" >>"$LOG" 2>&1

step "configure"
# As a vendor image: measured fixes for a minbase root (REFERENCE.md §5), no identity baked in
# (machine-id and ssh host keys are made at first boot), networking left to cloud-init.
echo "LANG=C.UTF-8" >"$ROOT/etc/default/locale"
echo "localhost" >"$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
echo "/dev/vda / ext4 defaults,errors=remount-ro 0 1" >"$ROOT/etc/fstab"
printf 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n' \
  >"$ROOT/etc/network/interfaces"
rm -f "$ROOT/etc/resolv.conf" "$ROOT"/etc/ssh/ssh_host_* "$ROOT/var/lib/dbus/machine-id"
: >"$ROOT/etc/machine-id"
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin

# The test-specific addition (see the top of this file).
cat >"$ROOT/usr/local/sbin/mdserver-test-harvest" <<'EOF'
#!/bin/sh
# mdserver's real-guest test, not part of a vendor image: keeps what the test reads from the
# disk afterwards, then powers off. cloud-init's run-time state lives in /run (a tmpfs).
out=/var/lib/mdserver-test
rm -rf "$out"
mkdir -p "$out"
cp -rL /run/cloud-init "$out/run-cloud-init" 2>/dev/null
hostname >"$out/hostname"
cloud-init status --long >"$out/cloud-init-status" 2>&1
ip -o addr >"$out/ip-addr" 2>&1
ip route >"$out/ip-route" 2>&1
systemctl --failed --no-legend --plain >"$out/failed-units" 2>&1
touch "$out/done"
sync
# With a key installed the test logs in over ssh and powers off itself; this is the backstop.
if [ -s /home/debian/.ssh/authorized_keys ]; then sleep 180; fi
systemctl poweroff
EOF
chmod 755 "$ROOT/usr/local/sbin/mdserver-test-harvest"
cat >"$ROOT/etc/systemd/system/mdserver-test-harvest.service" <<'EOF'
[Unit]
Description=mdserver test: keep /run/cloud-init on disk after cloud-final, then power off
# After multi-user.target too, so that target does not wait for it (cloud-final runs after it).
After=multi-user.target cloud-final.service

[Service]
Type=simple
ExecStart=/usr/local/sbin/mdserver-test-harvest

[Install]
WantedBy=multi-user.target
EOF
ln -s /etc/systemd/system/mdserver-test-harvest.service \
  "$ROOT/etc/systemd/system/multi-user.target.wants/mdserver-test-harvest.service"

step "kernel and root file system"
mkdir -p "$WORK/out"
cp "$(readlink -f "$ROOT/vmlinuz")" "$WORK/out/vmlinuz"
cp "$(readlink -f "$ROOT/initrd.img")" "$WORK/out/initrd.img"
mkfs.ext4 -q -L root -d "$ROOT" "$WORK/out/root.img" "$IMAGE_SIZE" >>"$LOG" 2>&1
# shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
chroot "$ROOT" dpkg-query -W -f '${Package} ${Version}\n' >"$WORK/out/packages.txt"
chmod 755 "$WORK/out"
chmod 644 "$WORK/out"/*
touch "$WORK/out/ready" "$WORK/out/last-used"
rm -rf "$OUT"
mv "$WORK/out" "$OUT"
step "built $OUT"
echo "$OUT"
