package ensemble

import (
	"fmt"
	"math"
	"slices"

	"gobragg/graph"
	"gobragg/mpi"
	"gobragg/refine"
)

// Shot is one image with its fixed model: the counts of its fitted pixels
// and the compiled graph that simulates them.
type Shot struct {
	Name   string
	Exp    *graph.Experiment
	Pixels []int // detector pixels fitted (increasing)
	model  *graph.Model
}

// NewShot compiles the model of one shot: counts are the observed photons
// of every detector pixel (NaN: left out), pixels the ones fitted.
func NewShot(name string, exp *graph.Experiment, counts []float64, pixels []int) (*Shot, error) {
	if len(pixels) == 0 {
		return nil, fmt.Errorf("shot %s: no pixels to fit", name)
	}
	npix := exp.Setup.NPix()
	if len(counts) != npix {
		return nil, fmt.Errorf("shot %s: %d counts for a detector of %d pixels", name, len(counts), npix)
	}
	data := make([]float64, len(pixels))
	for j, p := range pixels {
		data[j] = counts[p]
	}
	m, err := graph.Build(exp, graph.Options{Gradient: true, Loss: refine.NewDataLoss(refine.Poisson{}, data, exp.Params), Pixels: pixels})
	if err != nil {
		return nil, fmt.Errorf("shot %s: %w", name, err)
	}
	return &Shot{Name: name, Exp: exp, Pixels: pixels, model: m}, nil
}

// Close releases the shot's graph.
func (s *Shot) Close() { s.model.Close() }

// setF writes the amplitudes exp(x) of the table's parameters into the
// shot's dense table.
func (s *Shot) setF(t *Table, x []float64) ([]float64, error) {
	F := append([]float64(nil), s.Exp.F...)
	for i, p := range t.param {
		if p >= 0 {
			F[i] = math.Exp(x[p])
		}
	}
	return F, s.model.SetF(F)
}

// evaluate returns the shot's loss and gradient with respect to x = ln F
// as a sparse term of an ordered sum: index 0 the loss, 1+p the
// derivative by parameter p.
func (s *Shot) evaluate(t *Table, x []float64) (mpi.Term, error) {
	F, err := s.setF(t, x)
	if err != nil {
		return mpi.Term{}, err
	}
	if err := s.model.Run(); err != nil {
		return mpi.Term{}, fmt.Errorf("shot %s: %w", s.Name, err)
	}
	gF, err := s.model.GradientF()
	if err != nil {
		return mpi.Term{}, err
	}
	loss := s.model.Loss()
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return mpi.Term{}, fmt.Errorf("shot %s: the loss is %v (a pixel with counts where the model expects none)", s.Name, loss)
	}
	byParam := map[int]float64{}
	for i, g := range gF {
		if p := t.param[i]; p >= 0 && g != 0 {
			byParam[p] += g * F[i] // d/d ln F = F d/dF
		}
	}
	return sparseTerm(loss, byParam), nil
}

// information returns the diagonal of the shot's Fisher information for
// x = ln F, sum over pixels of (d mu / d x_p)^2 times the Poisson weight
// 1/mu, as a sparse term
// (index 1+p; index 0 unused).
func (s *Shot) information(t *Table, x []float64) (mpi.Term, error) {
	F, err := s.setF(t, x)
	if err != nil {
		return mpi.Term{}, err
	}
	if err := s.model.Run(); err != nil {
		return mpi.Term{}, fmt.Errorf("shot %s: %w", s.Name, err)
	}
	_, rows, err := s.model.JacobianF(nil)
	if err != nil {
		return mpi.Term{}, err
	}
	scale, bkg := 1.0, 0.0
	if v, ok := s.Exp.Params.Get(graph.PScale); ok {
		scale = v
	}
	if v, ok := s.Exp.Params.Get(graph.PBackground); ok {
		bkg = v
	}
	img := s.model.Image()
	info := map[int]float64{}
	d := map[int]float64{}
	for j, row := range rows {
		w := refine.Poisson{}.Weight(scale*img[j] + bkg)
		if w == 0 {
			continue // no information (a mean <= 0)
		}
		clear(d)
		for k, i := range row.Index {
			if p := t.param[i]; p >= 0 {
				d[p] += scale * row.D[k] * F[i]
			}
		}
		for p, v := range d {
			info[p] += v * v * w
		}
	}
	return sparseTerm(0, info), nil
}

// sparseTerm makes the ordered-sum term of a loss (index 0) and values by
// parameter (index 1+p), in increasing index order so that the sum's
// order of addition never depends on a map's.
func sparseTerm(loss float64, byParam map[int]float64) mpi.Term {
	idx := make([]int, 0, len(byParam)+1)
	for p := range byParam {
		idx = append(idx, p)
	}
	slices.Sort(idx)
	t := mpi.Term{Index: []int{0}, Value: []float64{loss}}
	for _, p := range idx {
		t.Index = append(t.Index, 1+p)
		t.Value = append(t.Value, byParam[p])
	}
	return t
}
