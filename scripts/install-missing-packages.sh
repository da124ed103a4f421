#!/usr/bin/env bash
# Installs the Debian packages named as arguments that are not installed yet (as root); otherwise prints the
# apt-get line to run and fails. Used by `make deps` and `make test-latex`.
set -euo pipefail
missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "Installing: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
else
    echo "Missing system packages. Run:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
fi
