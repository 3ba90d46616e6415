#!/usr/bin/env bash
# CUDA check on a machine with a GPU and a CUDA PyTorch: builds the shim against python3's
# libtorch (2.x) and runs the CLI's GPU path end to end, comparing with the CPU where the answer
# must agree. Usage: tools/gpu-check.sh [SCORPIO_EXE] (default: bin/scorpio). Output dir: $OUT or /tmp/gpu-check.
set -euo pipefail
cd "$(dirname "$0")/.."
exe="${1:-bin/scorpio}"
out="${OUT:-/tmp/gpu-check}"
mkdir -p "$out"
work=$(mktemp -d)
dev="${GPU_CHECK_DEVICE:-cuda}"
if [ "$dev" = cuda ]; then
  SCORPIO_TORCH=python cmake -S native -B native/build-cuda -DCMAKE_BUILD_TYPE=Release > "$out/cmake.log" 2>&1 || { tail -40 "$out/cmake.log"; exit 1; }
  cmake --build native/build-cuda -j"$(nproc)" >> "$out/cmake.log" 2>&1 || { tail -60 "$out/cmake.log"; exit 1; }
  export SCORPIO_NATIVE="$PWD/native/build-cuda/libscorpio_torch.so"
fi
run() { echo "\$ scorpio $*"; local t0=$SECONDS; "$exe" "$@"; echo "  ($((SECONDS - t0)) s)"; }
run version
run simulate galaxies --n 512 --size 32 --noise-sigma 0.005 --out "$work/gal.fits" --seed 1
run train --data "$work/gal.fits" --out "$work/prior" --sde edm --preset cpu --width 16 --steps 200 --batch 32 --device "$dev" --seed 1
run sample --model "$work/prior" --n 16 --sampler edm-heun --steps 20 --out "$work/gen.fits" --device "$dev" --seed 1
run simulate psf --model moffat --fwhm 3 --size 15 --out "$work/psf.fits"
run simulate galaxies --n 1 --size 32 --noise-sigma 0.005 --out "$work/truth.fits" --seed 5
run simulate observe --image "$work/truth.fits" --psf "$work/psf.fits" --pool 2 --sigma 0.02 --out "$work/obs.fits" --seed 2
run posterior --prior "$work/prior" --obs "$work/obs.fits" --psf "$work/psf.fits" --pool 2 --likelihood gaussian --sigma 0.02 --steps 50 --n 8 --prior-samples 4 --out "$work/post" --device "$dev" --seed 1
run posterior --prior "$work/prior" --obs "$work/obs.fits" --psf "$work/psf.fits" --pool 2 --likelihood gaussian --sigma 0.02 --method dps --steps 50 --n 4 --prior-samples 4 --out "$work/dps" --device "$dev" --seed 1
# The same seeded CPU and CUDA runs must agree in their loss at step 1 (same data, same init).
run train --data "$work/gal.fits" --out "$work/cpu1" --sde edm --preset tiny --width 8 --steps 5 --batch 8 --device cpu --seed 3
run train --data "$work/gal.fits" --out "$work/gpu1" --sde edm --preset tiny --width 8 --steps 5 --batch 8 --device "$dev" --seed 3
echo "loss cpu:"; cat "$work/cpu1/loss.csv"; echo "loss cuda:"; cat "$work/gpu1/loss.csv"
cp "$work/post/summary.json" "$out/posterior_summary.json"; cp "$work/post/preview.png" "$out/posterior_preview.png" 2>/dev/null || true
echo "gpu-check: done"
