# Scorpio: entry points. `make test` and `make demo` work alone on a fresh Debian 12 machine
# with the .NET 10 SDK: they install what is missing (apt), then build from scratch.
SHELL := /bin/bash
CONFIG ?= Release
JOBS ?= $(shell nproc)
NATIVE_LIB := native/build/libscorpio_torch.so
CLI_DLL := src/Scorpio.Cli/bin/$(CONFIG)/net10.0/scorpio.dll

.PHONY: all deps native build test demo demo-quick bench soak gallery eval eval-smoke clean

all: build

## deps: install libtorch, OpenBLAS (OpenMP build), cfitsio, cmake and g++ with apt-get when missing
deps:
	@tools/deps.sh

## native: the C shim over libtorch (native/build/libscorpio_torch.so)
native: $(NATIVE_LIB)

$(NATIVE_LIB): native/scorpio_torch.cpp native/CMakeLists.txt
	cmake -S native -B native/build -DCMAKE_BUILD_TYPE=Release > native/build.log 2>&1 || (cat native/build.log; exit 1)
	cmake --build native/build -j$(JOBS)

## build: shim + every .NET project (Release) + bin/scorpio
build: deps native
	dotnet build Scorpio.slnx -c $(CONFIG) -nologo -clp:ErrorsOnly
	@test -f $(CLI_DLL) && echo "built: bin/scorpio -> $(CLI_DLL)"

## test: build, then run every test project; ends with one 'N passed, N failed' line.
## The report browser tests need chromium + chromium-driver (installed here when missing; skipped with a notice when impossible).
test: build
	@tools/deps.sh --browser || echo "notice: chromium could not be installed; the report browser tests will be skipped"
	@tools/run-tests.sh $(CONFIG)
	@$(MAKE) -s eval-smoke

## eval-smoke: every science experiment in reduced mode, and docs/RESULTS.md in sync with its JSONs
eval-smoke: build
	eval/run all --smoke --threads $(JOBS)
	eval/run report --check

## eval: the full science evaluation (hours on a CPU): docs/results/*.json and docs/RESULTS.md
eval: build
	eval/run all

## demo: the main job end to end on simulated galaxies (demo-output/index.html)
demo: build
	bin/scorpio demo --out demo-output

demo-quick: build
	bin/scorpio demo --quick --out demo-output

## bench: engine, training and sampling benchmarks (JSON in bench/results/)
bench: build
	mkdir -p bench/results
	dotnet run -c Release --project bench/engine -- --out bench/results/engine.json
	dotnet run -c Release --project bench/train -- --out bench/results/train.json
	dotnet run -c Release --project bench/sample -- --out bench/results/sample.json
	dotnet run -c Release --project bench/train-distributed -- --out bench/results/train-distributed.json

## soak: the robustness soaks of issue 18 (about 1.5 hours on 2 cores): 10^5 fuzzed inputs, 20 kill -9 of a training run and 20 of sharded posterior runs, RSS and live tensors (bench/results/fuzz.json, kill.json, kill-catalogue.json, memory.json)
soak: build
	dotnet run -c Release --project bench/soak -- fuzz --out bench/results/fuzz.json
	dotnet run -c Release --project bench/soak -- kill --out bench/results/kill.json
	dotnet run -c Release --project bench/soak -- kill-catalogue --out bench/results/kill-catalogue.json
	dotnet run -c Release --project bench/soak -- memory --out bench/results/memory.json

## gallery: remake docs/gallery from the demo (figures, a screenshot of the posterior report's viewer) and the real data in ../shared/data
gallery: build
	bin/scorpio demo --out demo-output
	cp demo-output/figures/prior.png demo-output/figures/posterior.png demo-output/figures/posterior_samples.png demo-output/figures/inpaint.png docs/gallery/
	@tools/deps.sh --browser || true
	@if command -v chromium >/dev/null; then \
	  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update \
	    --disable-sync --hide-scrollbars --user-data-dir="$$(mktemp -d)" --window-size=900,1440 \
	    --screenshot=docs/gallery/viewer.png "file://$(CURDIR)/demo-output/posterior/report.html" 2>/dev/null; \
	else echo "notice: no chromium; docs/gallery/viewer.png not remade"; fi
	bin/scorpio data preview --file ../shared/data/galaxies/hst_cosmos_f814w_147246.fits --out docs/gallery/real/hst_cosmos_galaxy.png --overwrite
	bin/scorpio data preview --file ../shared/data/trails/satellite_trail_saao.fits --stretch zscale --out docs/gallery/real/satellite_trail.png --overwrite
	bin/scorpio data preview --file ../shared/data/soss/niriss_soss_wasp39_medframe.npy --out docs/gallery/real/soss_trace.png --overwrite

clean:
	rm -rf native/build native/build.log
	dotnet clean Scorpio.slnx -c $(CONFIG) -nologo >/dev/null
