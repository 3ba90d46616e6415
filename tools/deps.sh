#!/usr/bin/env bash
# Installs Scorpio's system dependencies with apt-get when any is missing.
# `tools/deps.sh --browser` installs Debian's chromium and chromium-driver instead, for the report browser tests.
# libopenblas0-openmp rather than -pthread: the pthread build's own thread pool fights
# libtorch's OpenMP threads (15-40% slower, see ENGINE-NOTES.md); either replaces the slow
# reference BLAS that Debian's libtorch otherwise links.
set -euo pipefail
# fonts-dejavu-core: the font of every figure (titles, colour-bar ticks).
PACKAGES=(libtorch-dev libgloo-dev libopenblas0-openmp libcfitsio-dev cmake g++ make fonts-dejavu-core)
if [ "${1:-}" = "--browser" ]; then
  PACKAGES=(chromium chromium-driver)
fi
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
