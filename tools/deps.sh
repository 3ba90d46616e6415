#!/usr/bin/env bash
# Installs Scorpio's system dependencies with apt-get when any is missing.
# libopenblas0-openmp rather than -pthread: the pthread build's own thread pool fights
# libtorch's OpenMP threads (15-40% slower, see ENGINE-NOTES.md); either replaces the slow
# reference BLAS that Debian's libtorch otherwise links.
set -euo pipefail
PACKAGES=(libtorch-dev libgloo-dev libopenblas0-openmp libcfitsio-dev cmake g++ make)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    cmd="sudo sh -c '$cmd'"
  else
    echo "Scorpio needs: ${missing[*]}" >&2
    echo "Run as root:  $cmd" >&2
    exit 1
  fi
fi
echo "installing: ${missing[*]}" >&2
eval "$cmd"
