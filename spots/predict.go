package spots

import (
	"errors"
	"math"

	"gobragg/dual"
	"gobragg/graph"
)

// Prediction is where a view puts one reflection, each value carrying its
// partials with respect to the view's seed parameters (graph units).
type Prediction struct {
	// Fast and Slow are the spot's centre in pixels.
	Fast, Slow dual.Num
	// Excitation is |s0 + q| - 1/lambda in 1/Angstrom: how far the
	// reciprocal-lattice point lies outside the Ewald sphere.
	Excitation dual.Num
	// ResolutionA is the reflection's d-spacing in Angstrom.
	ResolutionA float64
	// TurnRad is the angle about the spindle, from the view's mean angle,
	// at which the position was predicted in radians: 0 for a still.
	TurnRad dual.Num
}

// ErrCurved: spot prediction models flat detectors only.
var ErrCurved = errors.New("spot prediction needs a flat detector (not -curved_det)")

// Index returns the fractional Miller indices of the scattering vector
// that points from the sample to detector position (fast, slow) in pixels.
func Index(v graph.BraggView, fast, slow float64) [3]float64 {
	g := v.Geometry
	px := g.PixelSizeM
	p0, fd, sd := g.Pix0.Values(), g.Fdet.Values(), g.Sdet.Values()
	beam := g.Beam.Values()
	var pos [3]float64
	for i := range pos {
		pos[i] = p0[i] + fast*px*fd[i] + slow*px*sd[i]
	}
	r := math.Sqrt(pos[0]*pos[0] + pos[1]*pos[1] + pos[2]*pos[2])
	lam := v.LambdaM.V
	var sv [3]float64
	for i := range sv {
		sv[i] = (pos[i]/r - beam[i]) / lam
	}
	var h [3]float64
	for k, axis := range []dual.Vec3{v.A, v.B, v.C} {
		a := axis.Values()
		h[k] = a[0]*sv[0] + a[1]*sv[1] + a[2]*sv[2]
	}
	return h
}

// Predict returns where reflection hkl meets the detector, and false when
// it cannot diffract (the origin, beyond 2/lambda) or its ray misses the
// detector plane (parallel or behind). The position may lie outside the
// detector's pixels.
//
// In a rotation frame (HalfOscRad > 0) the reflection is predicted where
// its reciprocal-lattice point crosses the Ewald sphere, when it crosses
// within the frame's angles: there it diffracts exactly, and its
// excitation error is 0. Otherwise (a still, or a point that crosses
// outside the frame or never) the point at the nearest angle of the frame
// is projected onto the sphere from its centre, along s0 + q, where a
// lattice peak of any width is brightest; its excitation error is its
// distance outside the sphere.
func Predict(v graph.BraggView, hkl [3]int) (Prediction, bool) {
	if v.Curved {
		return Prediction{}, false
	}
	a, b, c := v.A, v.B, v.C
	vol := a.Dot(b.Cross(c))
	// Reciprocal vectors in 1/m.
	inv := dual.Div(dual.C(1), vol)
	as, bs, cs := b.Cross(c).Scale(inv), c.Cross(a).Scale(inv), a.Cross(b).Scale(inv)
	q := as.Scale(dual.C(float64(hkl[0]))).Add(bs.Scale(dual.C(float64(hkl[1])))).Add(cs.Scale(dual.C(float64(hkl[2]))))
	qq := q.Dot(q)
	k := dual.Div(dual.C(1), v.LambdaM) // |s0|
	if qq.V == 0 || !(math.Sqrt(qq.V) < 2*k.V) {
		return Prediction{}, false
	}
	g := v.Geometry
	s0 := g.Beam.Scale(k)
	var turn dual.Num
	if v.HalfOscRad > 0 {
		turn = crossing(q, s0, v.Spindle, qq, v.HalfOscRad)
		q = q.RotateAxis(v.Spindle, turn)
	}
	d := s0.Add(q)
	dn := d.Norm()
	den := d.Dot(g.Odet)
	num := g.Pix0.Dot(g.Odet)
	if dn.V == 0 || den.V == 0 || num.V/den.V <= 0 {
		return Prediction{}, false
	}
	hit := d.Scale(dual.Div(num, den)).Sub(g.Pix0)
	perPixel := 1 / g.PixelSizeM
	return Prediction{
		Fast:        dual.Scale(perPixel, hit.Dot(g.Fdet)),
		Slow:        dual.Scale(perPixel, hit.Dot(g.Sdet)),
		Excitation:  dual.Scale(1e-10, dual.Sub(dn, k)),
		ResolutionA: 1e10 / math.Sqrt(qq.V),
		TurnRad:     turn,
	}, true
}

// crossing returns the angle about the unit axis e within [-half, half]
// radians nearest to where |s0 + q| = |s0|: the crossing of the Ewald
// sphere when it lies in that range, else the range's nearer end (or 0
// when q never crosses).
func crossing(q, s0, e dual.Vec3, qq dual.Num, half float64) dual.Num {
	along := e.Scale(q.Dot(e))
	perp := q.Sub(along)
	// s0 . q(delta) = s0.along + P cos(delta) + Q sin(delta) must equal
	// -|q|^2 / 2.
	p := s0.Dot(perp)
	qs := s0.Dot(e.Cross(perp))
	r := dual.Sub(dual.Scale(-0.5, qq), s0.Dot(along))
	rho := dual.Sqrt(dual.Add(dual.Mul(p, p), dual.Mul(qs, qs)))
	if rho.V == 0 || math.Abs(r.V/rho.V) > 1 {
		return dual.Num{}
	}
	x := dual.Div(r, rho)
	alpha := dual.Atan2(qs, p)
	acos := dual.Atan2(dual.Sqrt(dual.Sub(dual.C(1), dual.Mul(x, x))), x)
	// The two crossings; adding whole turns changes no derivative.
	best, other := dual.Add(alpha, acos), dual.Sub(alpha, acos)
	best.V, other.V = math.Remainder(best.V, 2*math.Pi), math.Remainder(other.V, 2*math.Pi)
	if math.Abs(other.V) < math.Abs(best.V) {
		best = other
	}
	if math.Abs(best.V) > half {
		best = dual.C(math.Copysign(half, best.V))
	}
	return best
}
