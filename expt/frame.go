package expt

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/spatial/r3"
)

// LabFrame maps nanoBragg's laboratory frame to dxtbx's: rows X, Y, Z are
// the nanoBragg vectors that become dxtbx's x, y and z axes. Z is minus
// the beam direction (dxtbx's beam travels along -z), X the unit part of
// the spindle across the beam, Y = Z x X.
type LabFrame struct{ X, Y, Z r3.Vec }

// NewLabFrame builds the frame from nanoBragg's unit beam direction and
// spindle axis. A spindle along the beam has no across-beam part; the frame
// then takes the lab axis least aligned with the beam for X.
func NewLabFrame(beam, spindle [3]float64) (LabFrame, error) {
	b := r3.Vec{X: beam[0], Y: beam[1], Z: beam[2]}
	if n := r3.Norm(b); !(n > 0) || math.IsInf(n, 0) {
		return LabFrame{}, errors.New("expt: beam direction has no length")
	}
	b = r3.Unit(b)
	s := r3.Vec{X: spindle[0], Y: spindle[1], Z: spindle[2]}
	across := r3.Sub(s, r3.Scale(r3.Dot(s, b), b))
	if r3.Norm(across) < 1e-9 {
		axes := []r3.Vec{{X: 1}, {Y: 1}, {Z: 1}}
		best := axes[0]
		for _, a := range axes[1:] {
			if math.Abs(r3.Dot(a, b)) < math.Abs(r3.Dot(best, b)) {
				best = a
			}
		}
		across = r3.Sub(best, r3.Scale(r3.Dot(best, b), b))
	}
	f := LabFrame{Z: r3.Scale(-1, b)}
	f.X = unitExact(across)
	f.Y = r3.Cross(f.Z, f.X)
	return f, nil
}

// unitExact normalizes v, leaving a vector that is already unit (such as
// an axis) untouched so that axis-aligned frames stay exact.
func unitExact(v r3.Vec) r3.Vec {
	if r3.Dot(v, v) == 1 {
		return v
	}
	return r3.Unit(v)
}

// ToDXTBX returns v (nanoBragg frame) in dxtbx's frame.
func (f LabFrame) ToDXTBX(v [3]float64) [3]float64 {
	w := r3.Vec{X: v[0], Y: v[1], Z: v[2]}
	return [3]float64{r3.Dot(f.X, w), r3.Dot(f.Y, w), r3.Dot(f.Z, w)}
}

// FromDXTBX returns v (dxtbx frame) in nanoBragg's frame.
func (f LabFrame) FromDXTBX(v [3]float64) [3]float64 {
	w := r3.Add(r3.Add(r3.Scale(v[0], f.X), r3.Scale(v[1], f.Y)), r3.Scale(v[2], f.Z))
	return [3]float64{w.X, w.Y, w.Z}
}
