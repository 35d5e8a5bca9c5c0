# gobragg: make run simulates the default example, make test runs every test.
GO ?= go
# The lattice sums use SIMD (simd/archsimd, Go 1.26) when built with this
# experiment and the CPU has AVX-512; `make GOEXP= ...` builds the scalar
# kernel only. Both give the same bits.
GOEXP ?= simd
export GOEXPERIMENT = $(GOEXP)

.PHONY: all build run test test-short test-long test-refine test-wedge test-slurm test-dials test-ensemble bench vet

all: build

build:
	@# The commit for gobragg -version: -buildvcs=auto overrides a GOFLAGS of
	@# -buildvcs=false; -X covers checkouts the go command cannot stamp (worktrees).
	$(GO) build -buildvcs=auto -ldflags "-X main.buildCommit=$$(git rev-parse HEAD 2>/dev/null)" -o bin/gobragg ./cmd/gobragg

# Simulates a small protein-like crystal on a 512x512 detector and writes the
# float image, an SMV image and a PNG preview into out/.
# It first downloads every module the build and the tests need, so that make
# test fetches nothing more.
run:
	$(GO) mod download
	$(GO) run ./examples/forward -out out

vet:
	$(GO) vet ./...

# make test prints each package as it starts and ends, every 20 s the ones
# still running, the output of anything that fails, and how many golden cases
# match C (the parity test's log line); it fails when go test or a test does.
test: vet
	@st=$$(mktemp); { $(GO) test -count=1 -json ./...; echo $$? > $$st; } | \
		$(GO) run ./internal/testprogress -show 'c-parity: [0-9]+ of|skipping parity'; \
		r=$$?; s=$$(cat $$st); rm -f $$st; [ $$r -eq 0 ] && [ $$s -eq 0 ]
	@# The scalar kernel too (the SIMD build compares the two paths itself).
	GOEXPERIMENT= $(GO) test -count=1 ./graph/ ./physics/

# A real scheduler: a one-node Slurm cluster on localhost runs
# deploy/slurm/sweep.sbatch as a 4-task array over 16 frames and
# deploy/slurm/refine.sbatch over 4 stills (installs slurm-wlm and munge
# with apt-get when missing; needs root; about 35 s). Not part of make test.
test-slurm:
	bash deploy/slurm/test.sh

# gobragg ensemble on MPI: 200 stills, 1, 2 and 4 ranks write the same
# bytes, CC >= 0.99 with the truth, a killed rank and -resume (installs
# OpenMPI with apt-get when missing; about 5 minutes on 2 cores).
test-ensemble:
	bash deploy/mpi/test-ensemble.sh

# The expensive statistical and full-frame refinement tests (about 1.5 minutes on 2 cores).
test-long:
	GOBRAGG_LONG=1 $(GO) test -count=1 -timeout 30m -run 'TestRefinePulls|TestRefineStartSigns|TestRefineFullFrameSpots' -v ./refine/ ./cmd/gobragg/

# Refinement from random starts: 60 fits over 5 kinds of experiment (sharp
# spots, a mosaic still with water, a 3-frame wedge, a tilted detector,
# -select spots on 1024x1024), each from a start drawn within an indexing
# solution's errors; a line per fit, then the table of recovered, honestly
# failed and false fits (about 20 minutes on 2 cores).
# GOBRAGG_SCENARIO=NAME and GOBRAGG_STARTS=N run a part of it.
test-refine:
	GOBRAGG_LONG=1 $(GO) test -count=1 -timeout 80m -run 'TestRefineRandomStarts' -v ./refine/

# The ten measured L-cysteine frames refined from DIALS's model, F refined
# (needs ../shared/realdata; a few minutes on 2 cores).
test-wedge:
	GOBRAGG_WEDGE=1 $(GO) test -count=1 -timeout 15m -run 'TestLCysteineWedge' -v ./cmd/gobragg/

test-short:
	$(GO) test -short -count=1 ./...

# Benchmarks print ratios against a baseline measured in the same run:
# C nanoBragg when NANOBRAGG_C names a binary (same thread count), else a
# plain scalar Go loop. BENCH_RUNS=n sets the interleaved runs, BENCH_LARGE=1
# adds 1024x1024.
bench:
	$(GO) test -run '^$$' -bench 'PerformanceTable|Scaling' -benchtime 1x -timeout 60m ./sim/
	$(GO) test -run '^$$' -bench . -benchtime 3x ./refine/

# DIALS processes gobragg's datasets as real data: rotation sweeps (SMV,
# miniCBF, a tilted detector through -expt) indexed to the true cell and
# orientation, dxtbx reading headers and .expt files, fabio reading CBF.
# Installs Debian's DIALS first when it is missing and apt-get works; the
# tests skip with a message when DIALS is not there. A few minutes on 2 cores.
test-dials:
	@scripts/install-dials.sh
	GOBRAGG_DIALS=1 $(GO) test -count=1 -v -timeout 30m ./dials/
