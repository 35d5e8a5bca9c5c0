package gradcheck

import (
	"fmt"
	"math"
	"sort"

	"gobragg/graph"
	"gobragg/sim"
)

var nan = math.NaN()

// StructureFactors adapts chosen entries of a *sim.Problem's dense
// structure-factor table (p.Exp.F) as parameters, so Check compares dL/dF
// with central differences. Entries are named "F(h,k,l)" by Miller index
// when the problem has a table, "F[i]" by dense index otherwise.
type StructureFactors struct {
	P       *sim.Problem
	Options graph.Options // loss of Loss and Gradient, as in Problem
	index   map[string]int
	names   []string
}

// NewStructureFactors returns the adapter for the dense table entries
// indices of p.
func NewStructureFactors(p *sim.Problem, indices []int) (*StructureFactors, error) {
	sf := &StructureFactors{P: p, index: map[string]int{}}
	for _, i := range indices {
		if i < 0 || i >= len(p.Exp.F) {
			return nil, fmt.Errorf("gradcheck: %w", errNoEntry(i, len(p.Exp.F)))
		}
		n := sf.name(i)
		if _, dup := sf.index[n]; dup {
			continue
		}
		sf.index[n] = i
		sf.names = append(sf.names, n)
	}
	return sf, nil
}

func (sf *StructureFactors) name(i int) string {
	g := sf.P.Grid
	if g == nil || g.Count == 0 {
		return fmt.Sprintf("F[%d]", i)
	}
	nk, nl := g.Kmax-g.Kmin+1, g.Lmax-g.Lmin+1
	return fmt.Sprintf("F(%d,%d,%d)", g.Hmin+i/(nk*nl), g.Kmin+i/nl%nk, g.Lmin+i%nl)
}

// Names returns the entries in the order given.
func (sf *StructureFactors) Names() []string { return append([]string(nil), sf.names...) }

// Index returns the dense index of a named entry, or -1.
func (sf *StructureFactors) Index(name string) int {
	if i, ok := sf.index[name]; ok {
		return i
	}
	return -1
}

// Value returns an entry's structure factor; NaN for an unknown name.
func (sf *StructureFactors) Value(name string) float64 {
	if i, ok := sf.index[name]; ok {
		return sf.P.Exp.F[i]
	}
	return nan
}

// SetValue changes an entry.
func (sf *StructureFactors) SetValue(name string, v float64) {
	if i, ok := sf.index[name]; ok {
		sf.P.Exp.F[i] = v
	}
}

// Loss runs the forward graph.
func (sf *StructureFactors) Loss() (float64, error) { return sf.P.LossWith(sf.Options) }

// Gradient returns the loss and dL/dF of the chosen entries.
func (sf *StructureFactors) Gradient() (float64, map[string]float64, error) {
	l, _, gf, err := sf.P.GradientWith(sf.Options)
	if err != nil {
		return 0, nil, err
	}
	return l, sf.pick(gf), nil
}

func (sf *StructureFactors) pick(gf []float64) map[string]float64 {
	out := make(map[string]float64, len(sf.names))
	for n, i := range sf.index {
		if i < len(gf) {
			out[n] = gf[i]
		}
	}
	return out
}

// Image renders the float64 image.
func (sf *StructureFactors) Image() ([]float64, error) { return sf.P.Image() }

// ImageSize is the detector size in pixels.
func (sf *StructureFactors) ImageSize() (slow, fast int) {
	return sf.P.Exp.Setup.SPixels, sf.P.Exp.Setup.FPixels
}

// WeightedGradient returns d(sum(w * image))/dF of the chosen entries.
func (sf *StructureFactors) WeightedGradient(w []float64) (map[string]float64, error) {
	_, _, gf, err := sf.P.GradientWith(graph.Options{Loss: graph.Weighted(w)})
	if err != nil {
		return nil, err
	}
	return sf.pick(gf), nil
}

var _ PixelTarget = (*StructureFactors)(nil)

// LargestF returns the dense indices of the n structure factors with the
// largest |dL/dF| for the summed-image loss, largest first (ties by
// index); entries with a zero derivative are never chosen.
func LargestF(p *sim.Problem, n int) ([]int, error) {
	_, _, gf, err := p.Gradient()
	if err != nil {
		return nil, fmt.Errorf("gradcheck: %w", err)
	}
	idx := make([]int, 0, len(gf))
	for i, g := range gf {
		if g != 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return math.Abs(gf[idx[a]]) > math.Abs(gf[idx[b]]) })
	if len(idx) > n {
		idx = idx[:n]
	}
	return idx, nil
}

// LossWeights is Problem.LossWeights.
func (sf *StructureFactors) LossWeights() ([]float64, bool) { return lossWeights(sf.Options) }

var _ LinearTarget = (*StructureFactors)(nil)
