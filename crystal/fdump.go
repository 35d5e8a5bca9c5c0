package crystal

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gobragg/internal/inputlimit"
)

// WriteFdump writes g in nanoBragg's Fdump.bin layout: the header
// "hmin hmax kmin kmax lmin lmax\n\f" and then, for every h slot 0..nh,
// k slot 0..nk and l slot 0..nl inclusive (nh, nk, nl being the numbers of
// indices), a little-endian float64. nanoBragg allocates one slot more than
// the table in each direction and those extra slots hold 0. An empty table
// is an error.
func WriteFdump(w io.Writer, g *FGrid) error {
	if g == nil || g.size() == 0 || len(g.F) != g.size() {
		return fmt.Errorf("Fdump: no structure-factor table to write")
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d %d %d %d %d %d\n\f", g.Hmin, g.Hmax, g.Kmin, g.Kmax, g.Lmin, g.Lmax)
	nh, nk, nl := g.ranges()
	var b [8]byte
	for h := 0; h <= nh; h++ {
		for k := 0; k <= nk; k++ {
			for l := 0; l <= nl; l++ {
				v := 0.0
				if h < nh && k < nk && l < nl {
					v = g.F[(h*nk+k)*nl+l]
				}
				binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
				bw.Write(b[:])
			}
		}
	}
	return bw.Flush()
}

// maxFdumpHeader bounds the search for the header's form feed.
const maxFdumpHeader = 256

// ReadFdump reads a table written by WriteFdump or by nanoBragg; name is
// used in error messages. The extra slots are dropped (nanoBragg never
// reads them). Count is set as nanoBragg sets hkls for a dump file: the
// number of table points. A header that is not six integers followed by a
// form feed, an empty or oversized range, and data that is shorter or
// longer than the header implies, and a NaN, infinite or larger than MaxF
// amplitude are errors. Only the header and the data it implies are read.
//
// nanoBragg reads the header with fscanf("%d...%d\n\f"), which also eats
// data bytes that happen to look like white space; this reader takes the
// header up to the first form feed and the data byte-exactly after it.
func ReadFdump(r io.Reader, name string) (*FGrid, error) {
	br := bufio.NewReaderSize(r, maxFdumpHeader)
	head, err := br.Peek(maxFdumpHeader)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("Fdump %s: %w", name, err)
	}
	ff := bytes.IndexByte(head, '\f')
	if ff < 0 {
		return nil, fmt.Errorf("Fdump %s: no header (six integers ending in a form feed)", name)
	}
	header := string(head[:ff])
	if _, err := br.Discard(ff + 1); err != nil {
		return nil, fmt.Errorf("Fdump %s: %w", name, err)
	}
	fields := strings.Fields(header)
	if len(fields) != 6 {
		return nil, fmt.Errorf("Fdump %s: header %q: want 6 integers, found %d fields", name, header, len(fields))
	}
	var v [6]int
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n > maxIndex || n < -maxIndex {
			return nil, fmt.Errorf("Fdump %s: header field %d %q is not an index", name, i+1, f)
		}
		v[i] = n
	}
	g := &FGrid{Hmin: v[0], Hmax: v[1], Kmin: v[2], Kmax: v[3], Lmin: v[4], Lmax: v[5]}
	lo, hi := [3]int{v[0], v[2], v[4]}, [3]int{v[1], v[3], v[5]}
	for i := range 3 {
		if hi[i] < lo[i] {
			return nil, fmt.Errorf("Fdump %s: header %q: %c range %d..%d is empty", name, header, "hkl"[i], lo[i], hi[i])
		}
	}
	if n := gridPoints(lo, hi); n > MaxGridPoints {
		return nil, fmt.Errorf("Fdump %s: header %q needs %d table points (limit %d)", name, header, n, MaxGridPoints)
	}
	nh, nk, nl := g.ranges()
	want := (nh + 1) * (nk + 1) * (nl + 1) * 8
	// Read what the header promises and one byte more, never the whole of
	// a device such as /dev/zero.
	body, extra, err := inputlimit.Exactly(br, int64(want))
	if err != nil {
		return nil, fmt.Errorf("Fdump %s: %w", name, err)
	}
	if len(body) < want {
		return nil, fmt.Errorf("Fdump %s: truncated: %d data bytes, header needs %d", name, len(body), want)
	}
	if extra {
		return nil, fmt.Errorf("Fdump %s: more bytes after the %d data bytes the header implies", name, want)
	}
	g.F = make([]float64, nh*nk*nl)
	for h := range nh {
		for k := range nk {
			for l := range nl {
				off := ((h*(nk+1)+k)*(nl+1) + l) * 8
				F := math.Float64frombits(binary.LittleEndian.Uint64(body[off:]))
				if err := checkF(F); err != nil {
					return nil, fmt.Errorf("Fdump %s: h=%d k=%d l=%d: %w", name, g.Hmin+h, g.Kmin+k, g.Lmin+l, err)
				}
				g.F[(h*nk+k)*nl+l] = F
			}
		}
	}
	g.Count = nh * nk * nl
	return g, nil
}
