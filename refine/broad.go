package refine

import (
	"math"

	"gonum.org/v1/gonum/optimize"

	"gobragg/graph"
)

// broadStage fits the active (geometry) parameters on a model whose N is
// divided by k and whose scale is multiplied by k^3, then returns values
// with the geometry so found and everything else as it was.
func (f *fitter) broadStage(values []float64, active []int, k float64, method optimize.Method) ([]float64, pixelOutcome, error) {
	broad := append([]float64(nil), values...)
	refined := map[string]bool{}
	for j, in := range f.infos {
		refined[in.Param] = true
		broad[j] = broaden(in.Param, values[j], k)
	}
	// Parameters that are not refined are changed in the models, and put
	// back afterwards.
	type saved struct {
		m    *graph.Model
		name string
		v    float64
	}
	var restore []saved
	for _, m := range f.models {
		for _, name := range []string{graph.PNa, graph.PNb, graph.PNc, graph.PScale} {
			if v, ok := m.Exp.Params.Get(name); ok && !refined[name] {
				restore = append(restore, saved{m, name, v})
				m.Exp.Params.Set(name, broaden(name, v, k))
			}
		}
	}
	defer func() {
		for _, s := range restore {
			s.m.Exp.Params.Set(s.name, s.v)
		}
		f.cacheOK = false
	}()
	f.recentre(broad)
	out, err := f.pixelStage(active, method)
	if err != nil {
		return nil, out, err
	}
	next := append([]float64(nil), values...)
	for _, j := range active {
		next[j] = out.values[j]
	}
	return next, out, nil
}

// broaden is parameter name's value v in a model broadened k times: N / k
// (above its bound of 1), scale * k^3 (the spots keep their integrated
// counts); any other parameter as it is.
func broaden(name string, v, k float64) float64 {
	switch {
	case sizeParams[name]:
		return math.Max(v/k, 1.0001)
	case name == graph.PScale:
		return v * k * k * k
	}
	return v
}
