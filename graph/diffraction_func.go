package graph

import "fmt"

// diffractionFunc wraps the fused kernel as a graph Func whose output packs
// outRows vectors of SpanLen values (I, omega, polar, capture) for the
// kernel's current span of pixels.
type diffractionFunc struct{ k *Diffraction }

func (f diffractionFunc) Name() string   { return "diffraction" }
func (f diffractionFunc) InSizes() []int { return f.k.Sizes() }
func (f diffractionFunc) OutSize() int   { return outRows * f.k.SpanLen }

func (f diffractionFunc) Forward(in [][]float64, out []float64) error {
	if err := f.check(in); err != nil {
		return err
	}
	f.k.Forward(in, out)
	return nil
}

func (f diffractionFunc) VJP(in [][]float64, gOut []float64, gIn [][]float64) error {
	if err := f.check(in); err != nil {
		return err
	}
	f.k.VJP(in, gOut, gIn)
	return nil
}

func (f diffractionFunc) check(in [][]float64) error {
	for i, s := range f.k.Sizes() {
		if len(in[i]) != s {
			return fmt.Errorf("diffraction: input %d has %d values, want %d", i, len(in[i]), s)
		}
	}
	return nil
}
