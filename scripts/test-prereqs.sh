#!/usr/bin/env bash
# Installs what Vigil's test suite needs from Debian's packages (when running as
# root and something is missing), clears stale mounts from the test cache and builds
# the cached rootfs fixture once.
# The tests compare Vigil against these real tools: rpm, go, python3, a JDK, ss, ip,
# pacman and its vercmp (makepkg and bsdtar build the pacman fixture's packages);
# dpkg-dev, g++ and make build the .deb (packaging/build-deb.sh); chromium (with a font)
# runs the web console's browser tests (test/console/), driven by playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(rpm debootstrap golang-go golang-golang-x-text-dev golang-golang-x-mod-dev git python3 python3-packaging ruby iproute2 openjdk-17-jdk-headless libmaven3-core-java ca-certificates php-cli php-composer-semver composer makepkg pacman-package-manager libarchive-tools dpkg-dev g++ make cargo chromium fonts-dejavu-core)
missing() {
  need=()
  for p in "${packages[@]}"; do
    [ "$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || need+=("$p")
  done
}
missing
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test prerequisites missing: ${need[*]} (install them with apt-get, or run as root)" >&2
    exit 1
  fi
  # Two runs starting together install once: the second waits, then looks again.
  mkdir -p /run/lock
  exec 8>/run/lock/vigil-test-prereqs.lock
  flock 8
  missing
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing test prerequisites: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${need[@]}" >/dev/null
fi
# A killed run can leave mounts (a chroot's /proc) inside the cache: unmounted here,
# under the fixture lock, before anything copies or deletes a tree from it.
bash scripts/fixtures/debootstrap-rootfs.sh --clear-stale
if [ "$(id -u)" -eq 0 ]; then
  echo "rootfs fixture: $(bash scripts/fixtures/debootstrap-rootfs.sh bookworm minbase)" >&2
fi
