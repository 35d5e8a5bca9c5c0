package graph

import (
	"fmt"
	"sort"

	G "gorgonia.org/gorgonia"
)

// The exact Jacobian d image / d theta, for Fisher information (standard
// errors of a fit). The kernel's backward pass is run pixel by pixel, each
// with its own accumulator, so that one pass over the pixels gives every
// pixel's gradient with respect to the kernel's small inputs u (lattice,
// reciprocal cell, detector, sources, scalars); contracting it with
// du/dtheta, the Jacobian of the geometry steps (a reverse pass through
// them per component of u), gives each pixel's row of d image / d theta.
// The cost is about that of one forward plus one backward pass.

// tapeStep is one geometry step of the graph: out = f(in...).
type tapeStep struct {
	f   Func
	in  []*G.Node
	out *G.Node
}

// geometryJacobian returns du/dtheta for the kernel inputs u (lattice,
// recip, det, src, scal concatenated): row k holds du_k/dtheta.
func (m *Model) geometryJacobian() ([][]float64, error) {
	vals := map[*G.Node][]float64{m.theta: m.Exp.Params.Values()}
	inVals := make([][][]float64, len(m.tape))
	for s, st := range m.tape {
		in := make([][]float64, len(st.in))
		for i, n := range st.in {
			in[i] = vals[n]
		}
		out := make([]float64, st.f.OutSize())
		if err := st.f.Forward(in, out); err != nil {
			return nil, fmt.Errorf("graph: jacobian: %w", err)
		}
		vals[st.out] = out
		inVals[s] = in
	}
	var rows [][]float64
	for _, u := range []*G.Node{m.latNode, m.recipNode, m.detNode, m.srcNode, m.scalNode} {
		for c := range vals[u] {
			grads := map[*G.Node][]float64{u: make([]float64, len(vals[u]))}
			grads[u][c] = 1
			for s := len(m.tape) - 1; s >= 0; s-- {
				st := m.tape[s]
				gOut := grads[st.out]
				if allZero(gOut) {
					continue
				}
				gIn := make([][]float64, len(st.in))
				for i, n := range st.in {
					gIn[i] = make([]float64, len(vals[n]))
				}
				if err := st.f.VJP(inVals[s], gOut, gIn); err != nil {
					return nil, fmt.Errorf("graph: jacobian: %w", err)
				}
				for i, n := range st.in {
					acc := grads[n]
					if acc == nil {
						acc = make([]float64, len(vals[n]))
						grads[n] = acc
					}
					for j, x := range gIn[i] {
						acc[j] += x
					}
				}
			}
			row := grads[m.theta]
			if row == nil {
				row = make([]float64, m.Exp.Params.Len())
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func allZero(v []float64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// Jacobian returns the exact derivative of every rendered pixel of the
// image (photons, in Image order) with respect to the parameters at
// indices cols of the packed vector (graph units, see Params): row i,
// column j of the result is d image_i / d theta_cols[j], stored row-major.
// The model must have run (it reuses C's serial state of that run).
func (m *Model) Jacobian(cols []int) ([]float64, error) {
	out, _, err := m.jacobian(cols, false)
	return out, err
}

// FRow is one pixel's derivatives with respect to the dense structure
// factors (Experiment.F): d image / d F[Index[i]] = D[i], photons per unit
// of F, only the entries the pixel depends on, in increasing Index order.
type FRow struct {
	Index []int
	D     []float64
}

// JacobianF is Jacobian plus every rendered pixel's row of d image / d F
// (Image order), from the same pass: the structure-factor columns of a fit
// that refines amplitudes are sparse, one or a few entries per pixel.
func (m *Model) JacobianF(cols []int) ([]float64, []FRow, error) {
	return m.jacobian(cols, true)
}

func (m *Model) jacobian(cols []int, withF bool) ([]float64, []FRow, error) {
	if !m.ran {
		return nil, nil, fmt.Errorf("graph: jacobian before run")
	}
	for _, c := range cols {
		if c < 0 || c >= m.Exp.Params.Len() {
			return nil, nil, fmt.Errorf("graph: jacobian: no parameter %d", c)
		}
	}
	B, err := m.geometryJacobian()
	if err != nil {
		return nil, nil, err
	}
	k := m.Kernel
	in := m.kernelInputs()
	theta := m.Exp.Params.Values()
	scale, err := newScaleFunc(m.Exp, k.SpanLen)
	if err != nil {
		return nil, nil, err
	}
	sc := scale.scale(theta)
	npix := k.renderedPixels()
	nc := len(cols)
	out := make([]float64, npix*nc)
	var fRows []FRow
	if withF {
		fRows = make([]FRow, npix)
	}
	tiles := tilesOf(0, npix)
	scratch, marks := k.fScratch()
	running := k.runningSum()
	ins := k.panelInputs(&in)
	k.parallel(tiles, func(w, t int) {
		st := new(pixelState) // the tile's scratch
		acc := newGradAcc(&k.Setup, scratch[w], marks[w])
		parts := [][]float64{acc.lattice, acc.recip, acc.detAll, acc.src, acc.scal}
		gp := pixGrad{acc: acc} // one per tile: reset per pixel, not rebuilt
		for p := tiles[t][0]; p < tiles[t][1]; p++ {
			v, fp, sp := k.pixelAt(p)
			if !v.active(fp, sp) {
				continue
			}
			acc.panel(v.panel)
			first := k.detectorIndex(p) == k.first
			r := k.pixelSources(st, v, &ins[v.panel], fp, sp, first, k.cut, nil)
			om, pol, capt := k.outerFactors(r)
			d := sc.partials(r.I, om, pol, capt)
			gp.reset(d.I, d.Omega, d.Polar, d.Capture)
			if k.Curved {
				gp.curved = in.det
			}
			if running {
				gp.logTotal = r.logQ
			}
			k.pixelSources(st, v, &ins[v.panel], fp, sp, first, k.cut, &gp)
			acc.foldLattice(k.NPhi * k.NMos) // the SIMD sums keep their lattice share field by field
			row := out[p*nc : (p+1)*nc]
			u := 0
			for _, part := range parts {
				for i, a := range part {
					if a != 0 {
						b := B[u+i]
						for j, c := range cols {
							row[j] += a * b[c]
						}
						part[i] = 0
					}
				}
				u += len(part)
			}
			for j, c := range cols {
				if c == scale.Fluence {
					row[j] += d.Fluence
				}
			}
			if withF && len(acc.touched) > 0 {
				sort.Ints(acc.touched)
				fr := FRow{Index: append([]int(nil), acc.touched...), D: make([]float64, len(acc.touched))}
				for i, idx := range acc.touched {
					fr.D[i] = acc.fScratch[idx]
				}
				fRows[p] = fr
			}
			for _, idx := range acc.touched {
				acc.fScratch[idx] = 0
				acc.fMark[idx] = false
			}
			acc.touched = acc.touched[:0]
		}
	})
	return out, fRows, nil
}

// fScratch returns each worker's dense scratch for the structure-factor
// part of the backward pass, and its marks.
func (k *Diffraction) fScratch() ([][]float64, [][]bool) {
	nw := k.workers()
	gsize := k.Grid.size()
	scratch := make([][]float64, nw)
	marks := make([][]bool, nw)
	for w := range scratch {
		scratch[w] = make([]float64, gsize)
		marks[w] = make([]bool, gsize)
	}
	return scratch, marks
}
