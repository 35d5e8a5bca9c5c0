package graph

import (
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// tilePixels is the number of pixels per work unit. Work units are fixed
// by the detector size alone (spans start at multiples of it), never by the
// number of goroutines, so sums reduced in unit order give the same bits for
// any GOMAXPROCS.
const tilePixels = 2048

// Diffraction is the fused diffraction kernel: it streams every pixel x
// layer x subpixel x source x phi x mosaic subpath without storing per-subpath
// values, on all cores, and has a hand-written vector-Jacobian product that
// recomputes what it needs.
type Diffraction struct {
	Setup
	// Span is the range [Span[0], Span[1]) of pixel indices (slow*FPixels +
	// fast) one evaluation renders, and SpanLen the length of each output
	// row (pixels past Span[1] are 0): the model runs the graph over the
	// detector span by span so that memory stays bounded. Spans must be
	// rendered in increasing order starting at 0: C's serial state (the
	// first subpath, the interpolation switch-off) carries from one to the
	// next.
	Span    [2]int
	SpanLen int
	// Pixels, when non-nil, lists the only pixels rendered (detector
	// indices, increasing); spans then index this list (see pixelAt).
	Pixels []int
	// SourceWeights, when non-nil, weight each source's terms (see
	// pixelSources); nil: all sources count the same, as in C.
	SourceWeights []float64
	// cut is C's global interpolation switch-off found so far (C parity);
	// the backward pass reuses it.
	cut   interpCut
	first int
	// panels are the per-panel Setups (panelSetups), one for a single panel.
	panels []Setup
	// omegaTiles holds each work unit's sum of subpixel solid angles (C's
	// omega_sum statistic), added in order by OmegaSum.
	omegaTiles []float64
	rendered   int // pixels rendered since span 0, for Progress
}

// OmegaSum returns the sum of the solid angles of every rendered subpixel
// in the last forward pass (steradians; nanoBragg divides it by steps).
func (k *Diffraction) OmegaSum() float64 {
	sum := 0.0
	for _, v := range k.omegaTiles {
		sum += v
	}
	return sum
}

// NewDiffraction returns the kernel for a setup.
func NewDiffraction(s Setup) *Diffraction {
	if s.Oversample < 1 {
		s.Oversample = 1
	}
	if s.ThickSteps < 1 {
		s.ThickSteps = 1
	}
	n := s.NPix()
	return &Diffraction{Setup: s, Span: [2]int{0, n}, SpanLen: n, cut: noCut, first: -1, panels: s.panelSetups()}
}

func (k *Diffraction) workers() int {
	if k.Workers > 0 {
		return k.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// tiles returns the pixel ranges [start, end) of the work units of the span.
func (k *Diffraction) tiles() [][2]int { return tilesOf(k.Span[0], k.Span[1]) }

// tilesOf cuts rendered pixels [from, to) into tiles of tilePixels.
func tilesOf(from, to int) [][2]int {
	var t [][2]int
	for start := from; start < to; start += tilePixels {
		t = append(t, [2]int{start, min(start+tilePixels, to)})
	}
	return t
}

// parallel runs fn over every tile on the kernel's workers; worker is the
// index of the goroutine (for per-worker scratch).
func (k *Diffraction) parallel(tiles [][2]int, fn func(worker, tile int)) {
	var next int64 = -1
	var wg sync.WaitGroup
	nw := k.workers()
	if nw > len(tiles) {
		nw = len(tiles)
	}
	for w := 0; w < nw; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				t := int(atomic.AddInt64(&next, 1))
				if t >= len(tiles) {
					return
				}
				fn(w, t)
			}
		}(w)
	}
	wg.Wait()
}

// Forward computes the kernel outputs (outRows x SpanLen) of the span into out.
func (k *Diffraction) Forward(raw [][]float64, out []float64) {
	in := k.split(raw)
	for i := range out {
		out[i] = 0
	}
	if k.Span[0] == 0 {
		k.first = k.firstPixel(&in)
		k.cut = noCut
		k.omegaTiles = k.omegaTiles[:0]
		k.rendered = 0
	}
	// fails[p-Span[0]] is the first term of pixel p whose tricubic
	// neighbourhood left the table (-1: none); only C's global switch-off
	// needs it, until it has happened.
	var fails []int64
	if k.Quirks.InterpolationSwitchOff && k.Interpolate && k.cut.pixel < 0 {
		fails = make([]int64, k.SpanLen)
	}
	k.render(&in, out, fails, k.cut, k.Span[0])
	if fails != nil {
		// C switches interpolation off for the rest of the run at the first
		// sample (in its serial order) whose neighbourhood leaves the table.
		for p := k.Span[0]; p < k.Span[1]; p++ {
			if f := fails[p-k.Span[0]]; f >= 0 {
				k.cut = interpCut{pixel: k.detectorIndex(p), term: f}
				k.render(&in, out, nil, k.cut, p)
				break
			}
		}
	}
}

// render computes the span's pixels from index `from` on; the first call
// of a span (from == Span[0]) also records the statistics and progress.
func (k *Diffraction) render(in *inputs, out []float64, fails []int64, cut interpCut, from int) {
	n := k.SpanLen
	base := k.Span[0]
	tiles := k.tiles()
	first := from == base
	omega := make([]float64, len(tiles))
	ins := k.panelInputs(in)
	var mu sync.Mutex
	k.parallel(tiles, func(_, t int) {
		st := new(pixelState) // the tile's scratch
		tile := tiles[t]
		rendered := 0
		for p := tile[0]; p < tile[1]; p++ {
			i := p - base
			if fails != nil {
				fails[i] = -1
			}
			if p < from {
				continue
			}
			v, fp, sp := k.pixelAt(p)
			if !v.active(fp, sp) {
				continue
			}
			r := k.pixelSources(st, v, &ins[v.panel], fp, sp, k.detectorIndex(p) == k.first, cut, nil)
			rendered++
			out[outI*n+i] = r.I
			out[outOmega*n+i], out[outPolar*n+i], out[outCapture*n+i] = k.outerFactors(r)
			omega[t] += r.omegaSum
			if fails != nil {
				fails[i] = r.interpFail
			}
		}
		if k.Progress != nil && first {
			mu.Lock()
			k.rendered += rendered
			k.Progress(k.rendered)
			mu.Unlock()
		}
	})
	if first {
		k.omegaTiles = append(k.omegaTiles, omega...)
	}
}

// tileGrad is one tile's share of the vector-Jacobian product.
type tileGrad struct {
	acc    *gradAcc
	fIdx   []int
	fValue []float64
}

// VJP computes the gradient of <gOut, outputs> with respect to every input.
// Forward must have run on the same inputs (it fixes C's interpolation cut).
func (k *Diffraction) VJP(raw [][]float64, gOut []float64, gIn [][]float64) {
	in := k.split(raw)
	n := k.SpanLen
	base := k.Span[0]
	tiles := k.tiles()
	scratch, marks := k.fScratch()
	results := make([]tileGrad, len(tiles))
	running := k.runningSum()
	ins := k.panelInputs(&in)
	k.parallel(tiles, func(w, t int) {
		st := new(pixelState) // the tile's scratch
		acc := newGradAcc(&k.Setup, scratch[w], marks[w])
		gp := pixGrad{acc: acc} // one per tile: reset per pixel, not rebuilt
		if k.Curved {
			gp.curved = in.det
		}
		for p := tiles[t][0]; p < tiles[t][1]; p++ {
			v, fp, sp := k.pixelAt(p)
			if !v.active(fp, sp) {
				continue
			}
			acc.panel(v.panel)
			i := p - base
			gI, gOmega, gPolar, gCapture := gOut[outI*n+i], gOut[outOmega*n+i], gOut[outPolar*n+i], gOut[outCapture*n+i]
			if gI == 0 && gOmega == 0 && gPolar == 0 && gCapture == 0 {
				continue
			}
			gp.reset(gI, gOmega, gPolar, gCapture)
			if running {
				gp.logTotal = k.pixelSources(st, v, &ins[v.panel], fp, sp, k.detectorIndex(p) == k.first, k.cut, nil).logQ
			}
			k.pixelSources(st, v, &ins[v.panel], fp, sp, k.detectorIndex(p) == k.first, k.cut, &gp)
		}
		acc.foldLattice(k.NPhi * k.NMos)
		sort.Ints(acc.touched)
		tg := tileGrad{acc: acc, fIdx: acc.touched, fValue: make([]float64, len(acc.touched))}
		for i, idx := range acc.touched {
			tg.fValue[i] = acc.fScratch[idx]
			acc.fScratch[idx] = 0
			acc.fMark[idx] = false
		}
		acc.fScratch, acc.fMark = nil, nil
		results[t] = tg
	})
	for i := range gIn {
		for j := range gIn[i] {
			gIn[i][j] = 0
		}
	}
	for _, tg := range results {
		small := [][]float64{tg.acc.lattice, tg.acc.recip, tg.acc.detAll, tg.acc.src, tg.acc.scal}
		for i, v := range small {
			for j, x := range v {
				gIn[i][j] += x
			}
		}
		for i, idx := range tg.fIdx {
			gIn[5][idx] += tg.fValue[i]
		}
	}
}
