# gobragg: make run simulates the default example, make test runs every test.
GO ?= go

.PHONY: all build run test test-short test-long bench vet

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
	@# Print how many golden cases match C (the parity test logs it).
	@$(GO) test -count=1 -run 'TestGoldenCParity$$' -v ./sim/ | grep -E 'c-parity: [0-9]+ of|skipping parity' || true

# The expensive statistical and full-frame refinement tests (about 1.5 minutes on 2 cores).
test-long:
	GOBRAGG_LONG=1 $(GO) test -count=1 -run 'TestRefinePulls|TestRefineStartSigns|TestRefineFullFrameSpots' -v ./refine/ ./cmd/gobragg/

test-short:
	$(GO) test -short -count=1 ./...

# Benchmarks print ratios against a baseline measured in the same run.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./sim/ ./refine/
