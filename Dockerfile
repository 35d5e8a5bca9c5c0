# A static gobragg image: the binary alone on an empty base, run as a
# non-root user. Build and try it:
#   docker build -t gobragg .
#   docker run --rm gobragg -help
# The build stage needs only the Go toolchain and the module proxy.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# No cgo: the binary needs no C library, so it runs on "scratch".
RUN CGO_ENABLED=0 GOEXPERIMENT=simd go build -trimpath -ldflags="-s -w" -o /out/gobragg ./cmd/gobragg \
	&& mkdir -p /out/tmp && chmod 1777 /out/tmp

FROM scratch
COPY --from=build /out/gobragg /gobragg
COPY --from=build /out/tmp /tmp
USER 65532:65532
WORKDIR /tmp
ENTRYPOINT ["/gobragg"]
