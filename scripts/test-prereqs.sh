#!/usr/bin/env bash
# Installs what Vigil's test suite needs from Debian's packages (when running as
# root and something is missing) and builds the cached rootfs fixtures once.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v rpm >/dev/null || need+=(rpm)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v go >/dev/null || need+=(golang-go)
command -v python3 >/dev/null || need+=(python3)
command -v ip >/dev/null || need+=(iproute2)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test prerequisites missing: ${need[*]} (install them with apt-get, or run as root)" >&2
    exit 1
  fi
  echo "installing test prerequisites: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "rootfs fixture: $(bash scripts/fixtures/debootstrap-rootfs.sh bookworm minbase)" >&2
fi
