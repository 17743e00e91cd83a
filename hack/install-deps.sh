#!/usr/bin/env bash
# Installs what building, running and testing need, and nothing twice: npm packages from the
# lockfile when it changed since the last install, and Debian's kubectl when none is on PATH.
# Usage: hack/install-deps.sh [--with-kubectl]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--with-kubectl" ] && ! command -v kubectl >/dev/null 2>&1; then
  echo "install-deps: kubectl not found, installing Debian's kubernetes-client"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kubernetes-client
fi
