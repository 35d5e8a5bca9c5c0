# gobragg: make run simulates the default example, make test runs every test.
GO ?= go
# The lattice sums use SIMD (simd/archsimd, Go 1.26) when built with this
# experiment and the CPU has AVX-512; `make GOEXP= ...` builds the scalar
# kernel only. Both give the same bits.
GOEXP ?= simd
export GOEXPERIMENT = $(GOEXP)

.PHONY: all build run test test-short bench vet

all: build

build:
	$(GO) build -o bin/gobragg ./cmd/gobragg

# Simulates a small protein-like crystal on a 512x512 detector and writes the
# float image, an SMV image and a PNG preview into out/.
run:
	$(GO) run ./examples/forward -out out

vet:
	$(GO) vet ./...

test: vet
	$(GO) test -count=1 ./...
	@# The scalar kernel too (the SIMD build compares the two paths itself).
	GOEXPERIMENT= $(GO) test -count=1 ./graph/ ./physics/
	@# Print how many golden cases match C (the parity test logs it).
	@$(GO) test -count=1 -run 'TestGoldenCParity$$' -v ./sim/ | grep -E 'c-parity: [0-9]+ of|skipping parity' || true

test-short:
	$(GO) test -short -count=1 ./...

# Benchmarks print ratios against a baseline measured in the same run:
# C nanoBragg when NANOBRAGG_C names a binary (same thread count), else a
# plain scalar Go loop. BENCH_RUNS=n sets the interleaved runs, BENCH_LARGE=1
# adds 1024x1024.
bench:
	$(GO) test -run '^$$' -bench 'PerformanceTable|Scaling' -benchtime 1x -timeout 60m ./sim/
