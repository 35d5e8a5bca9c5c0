package detector

import (
	"math"
	"testing"

	"gobragg/dual"
)

// param is one seeded input of a Jacobian scenario.
type param struct {
	name  string
	value float64
	step  float64 // finite-difference step
	set   func(in *Input, x dual.Num)
}

var (
	pDistance = func(v float64) param {
		return param{"distance", v, 1e-7, func(in *Input, x dual.Num) { in.DistanceM = x }}
	}
	pClose = func(v float64) param {
		return param{"close_distance", v, 1e-7, func(in *Input, x dual.Num) { in.CloseDistanceM = x }}
	}
	pXbeam  = func(v float64) param { return param{"Xbeam", v, 1e-7, func(in *Input, x dual.Num) { in.XbeamM = x }} }
	pYbeam  = func(v float64) param { return param{"Ybeam", v, 1e-7, func(in *Input, x dual.Num) { in.YbeamM = x }} }
	pXclose = func(v float64) param { return param{"Xclose", v, 1e-7, func(in *Input, x dual.Num) { in.XcloseM = x }} }
	pYclose = func(v float64) param { return param{"Yclose", v, 1e-7, func(in *Input, x dual.Num) { in.YcloseM = x }} }
	pORGX   = func(v float64) param { return param{"ORGX", v, 1e-4, func(in *Input, x dual.Num) { in.ORGX = x }} }
	pORGY   = func(v float64) param { return param{"ORGY", v, 1e-4, func(in *Input, x dual.Num) { in.ORGY = x }} }
	pRotX   = func(v float64) param { return param{"rotx", v, 1e-6, func(in *Input, x dual.Num) { in.RotX = x }} }
	pRotY   = func(v float64) param { return param{"roty", v, 1e-6, func(in *Input, x dual.Num) { in.RotY = x }} }
	pRotZ   = func(v float64) param { return param{"rotz", v, 1e-6, func(in *Input, x dual.Num) { in.RotZ = x }} }
	pTwoTh  = func(v float64) param {
		return param{"twotheta", v, 1e-6, func(in *Input, x dual.Num) { in.TwoTheta = x }}
	}
	pPix0 = func(i int, v float64) param {
		return param{"pix0[" + string(rune('0'+i)) + "]", v, 1e-7, func(in *Input, x dual.Num) { in.Pix0M[i] = x }}
	}
)

// outputNames label the flattened outputs of flatten.
var outputNames = []string{
	"pix0.x", "pix0.y", "pix0.z", "fdet.x", "fdet.y", "fdet.z", "sdet.x", "sdet.y", "sdet.z",
	"odet.x", "odet.y", "odet.z", "distance", "close_distance", "Fbeam", "Sbeam", "Fclose", "Sclose",
	"ORGX", "ORGY", "dials.x", "dials.y", "dials.z",
}

func flatten(g Geometry) []dual.Num {
	var out []dual.Num
	for _, v := range []dual.Vec3{g.Pix0, g.Fdet, g.Sdet, g.Odet} {
		out = append(out, v[:]...)
	}
	out = append(out, g.DistanceM, g.CloseDistanceM, g.FbeamM, g.SbeamM, g.FcloseM, g.ScloseM, g.ORGX, g.ORGY)
	return append(out, g.DialsOriginMM[:]...)
}

// TestJacobianFiniteDifference compares the dual partials of the geometry
// with central differences in every convention, both pivots, with the
// distance or the close distance given, and at zero and non-zero angles.
func TestJacobianFiniteDifference(t *testing.T) {
	type scenario struct {
		name   string
		conv   Convention
		pivot  Pivot
		params []param
		pix0   bool
	}
	withBeam := []param{pDistance(0.1), pXbeam(0.0061), pYbeam(0.0047), pRotX(0.03), pRotY(-0.02), pRotZ(0.05), pTwoTh(0.15)}
	withClose := []param{pClose(0.09), pORGX(70.3), pORGY(55.1), pRotX(0), pRotY(0.1), pRotZ(0), pTwoTh(0)}
	withNear := []param{pDistance(0.12), pXclose(0.0071), pYclose(0.0052), pRotX(-0.04), pRotY(0), pRotZ(0.02), pTwoTh(0.2)}
	var scenarios []scenario
	for _, conv := range []Convention{MOSFLM, DENZO, ADXV, XDS, DIALS, Custom} {
		for _, pivot := range []Pivot{PivotBeam, PivotSample} {
			if _, forced := ForcedPivot(conv); forced && pivot == PivotSample {
				continue // the convention decides; one run is enough
			}
			for _, set := range []struct {
				name string
				p    []param
			}{{"beam centre", withBeam}, {"close distance", withClose}, {"near point", withNear}} {
				scenarios = append(scenarios, scenario{conv.String() + "/" + set.name, conv, pivot, set.p, false})
			}
		}
	}
	scenarios = append(scenarios, scenario{"custom/spec pix0", Custom, PivotBeam,
		[]param{pPix0(0, 0.1), pPix0(1, 0.004), pPix0(2, -0.006), pRotX(0.02), pRotY(0), pRotZ(-0.03), pTwoTh(0.1)}, true})

	build := func(sc scenario, vals []float64, seeded bool) []dual.Num {
		in := withPixels(DefaultInput(), 0.1, 140, 120)
		in.Convention, in.Pivot = sc.conv, sc.pivot
		// A tilted custom frame so no component is trivially zero.
		in.Fdet = [3]float64{-0.0334697, -0.0532303, 0.998021}
		in.Sdet = [3]float64{0.0279669, -0.998240, -0.0523041}
		in.Odet = [3]float64{0, 0, 0}
		in.Beam = [3]float64{0.99995, 0.0099998, 0}
		in.TwoThetaAxis = [3]float64{0, 0.6, -0.8}
		if sc.pix0 {
			in.HonourPix0 = true
			in.Pix0M = &[3]dual.Num{}
		}
		for i, p := range sc.params {
			x := dual.C(vals[i])
			if seeded {
				x = dual.Var(vals[i], i, len(sc.params))
			}
			p.set(&in, x)
		}
		g, err := Build(in)
		if err != nil {
			t.Fatalf("%s: Build: %v", sc.name, err)
		}
		return flatten(g)
	}
	for _, sc := range scenarios {
		vals := make([]float64, len(sc.params))
		for i, p := range sc.params {
			vals[i] = p.value
		}
		got := build(sc, vals, true)
		for j, p := range sc.params {
			plus := append([]float64(nil), vals...)
			minus := append([]float64(nil), vals...)
			plus[j] += p.step
			minus[j] -= p.step
			fp, fm := build(sc, plus, false), build(sc, minus, false)
			fds := make([]float64, len(got))
			colScale := 0.0
			for k := range got {
				fds[k] = (fp[k].V - fm[k].V) / (2 * p.step)
				colScale = math.Max(colScale, math.Abs(fds[k]))
			}
			for k := range got {
				d := got[k].Grad(j)
				// Central differences: truncation ~step^2, rounding ~1e-16*|f|/step;
				// both are far below 1e-6 relative or 1e-8 of the column's largest partial.
				if math.Abs(d-fds[k]) > 1e-6*math.Abs(fds[k])+1e-8*colScale {
					t.Errorf("%s: d %s / d %s = %.10g, finite difference %.10g", sc.name, outputNames[k], p.name, d, fds[k])
				}
			}
		}
	}
}
