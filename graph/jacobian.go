package graph

import (
	"fmt"
	"runtime"
	"sort"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The exact Jacobian d image / d theta, for Fisher information (standard
// errors of a fit). The kernel's backward pass is run pixel by pixel, each
// with its own accumulator, so that one pass over the pixels gives every
// pixel's gradient with respect to the kernel's small inputs u (lattice,
// reciprocal cell, detector, sources, scalars); contracting it with
// du/dtheta gives each pixel's row of d image / d theta. du/dtheta comes
// from Gorgonia, the engine of every gradient: the geometry steps wired
// by wireGeometry, differentiated by Backpropagate with a unit seed per
// component of u.

// geometryJacobian is the graph that gives du/dtheta: theta, the geometry
// steps, a seed vector per kernel input u, and the gradient with respect
// to theta of the sum over u of <seed, u>, compiled once per Model.
type geometryJacobian struct {
	theta   *G.Node
	seeds   []tensor.Tensor // one per kernel input, set to a unit vector in turn
	grad    G.Value
	machine G.VM
}

func newGeometryJacobian(exp *Experiment) (*geometryJacobian, error) {
	gr := NewGraph()
	j := &geometryJacobian{theta: gr.Vector("theta", exp.Params.Values())}
	geo, err := wireGeometry(gr, j.theta, exp)
	if err != nil {
		return nil, err
	}
	outs := geo.nodes()
	seedNodes := make(G.Nodes, len(outs))
	for i, u := range outs {
		t := newVector(make([]float64, u.Shape().TotalSize()))
		j.seeds = append(j.seeds, t.(tensor.Tensor))
		seedNodes[i] = G.NewVector(gr.G, tensor.Float64, G.WithShape(u.Shape()...), G.WithName(fmt.Sprintf("seed%d", i)), G.WithValue(t))
	}
	grads, err := G.Backpropagate(outs, seedNodes, G.Nodes{j.theta})
	if err != nil {
		return nil, fmt.Errorf("graph: jacobian: %w", err)
	}
	G.Read(grads[0], &j.grad)
	j.machine = G.NewTapeMachine(gr.G)
	return j, nil
}

// rows returns du/dtheta at theta: row k holds du_k/dtheta for the kernel
// inputs u (lattice, recip, det, src, scal) concatenated.
func (j *geometryJacobian) rows(theta []float64) ([][]float64, error) {
	if err := G.Let(j.theta, newVector(append([]float64(nil), theta...))); err != nil {
		return nil, fmt.Errorf("graph: jacobian: %w", err)
	}
	var rows [][]float64
	for _, seed := range j.seeds {
		unit := seed.Data().([]float64)
		for c := range unit {
			unit[c] = 1
			j.machine.Reset()
			err := j.machine.RunAll()
			unit[c] = 0
			if err != nil {
				return nil, fmt.Errorf("graph: jacobian: %w", vmError{err})
			}
			rows = append(rows, append([]float64(nil), values(j.grad)...))
		}
	}
	return rows, nil
}

func (j *geometryJacobian) close() {
	j.machine.Close()
	runtime.SetFinalizer(j.machine, nil) // see Model.Close
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
	if m.geoJac == nil {
		j, err := newGeometryJacobian(m.Exp)
		if err != nil {
			return nil, nil, err
		}
		m.geoJac = j
	}
	B, err := m.geoJac.rows(m.Exp.Params.Values())
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
