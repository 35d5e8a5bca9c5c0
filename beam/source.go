package beam

import (
	"math"

	"gobragg/dual"
)

// FileSource is one line of a source file: the source position X, Y, Z
// (metres from the sample), its weight and its wavelength (metres). A
// column missing from the line is NaN.
type FileSource struct {
	X, Y, Z, Weight, LambdaM float64
}

// Source is one X-ray source as nanoBragg's render loop uses it.
type Source struct {
	// Incident is the unit vector along the beam from this source towards
	// the sample: minus the unit vector of Position, as C's loop sets
	// incident = -source_X after unitizing the positions.
	Incident [3]float64
	// Position is the source position (metres) before unitizing, the
	// numbers nanoBragg prints.
	Position [3]float64
	// LambdaM is the wavelength in metres.
	LambdaM dual.Num
	// Weight is the source weight: 1/(number of sources) for a generated
	// grid, the file's fourth column (default 1) for a source file. The C
	// renderer prints it but does not use it.
	Weight float64
}

// Grid describes nanoBragg's generated sources: a divergence grid of
// HDivSteps x VDivSteps angles (radians) spaced by HDivStep and VDivStep
// around the beam and centred on it, trimmed to an ellipse when RoundDiv,
// and DispSteps wavelengths lambda0*(1 + DispStep*i - Dispersion/2), where
// Dispersion is a fraction (not percent). The caller resolves steps and
// ranges from the command line as nanoBragg does before calling FromGrid.
type Grid struct {
	Lambda0M   dual.Num
	Dispersion float64
	DispStep   float64
	DispSteps  int
	HDivRange  float64
	HDivStep   float64
	HDivSteps  int
	VDivRange  float64
	VDivStep   float64
	VDivSteps  int
	RoundDiv   bool
}

// divPoint is one kept (hdiv, vdiv) pair of the divergence grid.
type divPoint struct{ h, v float64 }

// divergencePoints returns the divergence angles nanoBragg keeps, in its
// loop order (hdiv outer, vdiv inner), with its elliptical trimming test.
func (g Grid) divergencePoints() []divPoint {
	var pts []divPoint
	for ht := 0; ht < g.HDivSteps; ht++ {
		for vt := 0; vt < g.VDivSteps; vt++ {
			h := float64(g.HDivStep*float64(ht)) - g.HDivRange/2.0
			v := float64(g.VDivStep*float64(vt)) - g.VDivRange/2.0
			// Force an elliptical divergence; the step term centres the
			// ellipse between the two middle points of an even grid. A zero
			// range gives NaN, which C's comparison keeps.
			test := (h*h - g.HDivStep*g.HDivStep/4.0*float64(1-g.HDivSteps%2)) / g.HDivRange / g.HDivRange
			test += (v*v - g.VDivStep*g.VDivStep/4.0*float64(1-g.VDivSteps%2)) / g.VDivRange / g.VDivRange
			if g.RoundDiv && test*4.0 > 1.1 {
				continue
			}
			pts = append(pts, divPoint{h, v})
		}
	}
	return pts
}

// lambdaFactor returns 1 + DispStep*i - Dispersion/2 in C's order.
func (g Grid) lambdaFactor(i int) float64 {
	return float64(1.0+float64(g.DispStep*float64(i))) - g.Dispersion/2.0
}

// lambda returns wavelength i of the dispersion sweep, lambda0*factor.
func (g Grid) lambda(i int) dual.Num {
	return dual.Mul(g.Lambda0M, dual.C(g.lambdaFactor(i)))
}

// FromGrid generates nanoBragg's sources for a divergence grid and
// dispersion sweep. Each divergence point starts from the position
// -sourceDistanceM*beam, is rotated by vdiv about polar and then by hdiv
// about vert (nanoBragg's rotate_axis arithmetic with correctly rounded
// sine and cosine, as glibc's, so positions equal C's bit for bit; vert is
// the unit vector of beam x polar), and gets one source per wavelength, every source
// weighing 1/(number of sources). beam, polar and vert are unit vectors.
func FromGrid(g Grid, beam, polar, vert [3]float64, sourceDistanceM float64) []Source {
	pts := g.divergencePoints()
	n := len(pts) * max(g.DispSteps, 0)
	if n == 0 {
		return nil
	}
	weight := 1.0 / float64(n)
	lambdas := make([]dual.Num, g.DispSteps)
	for i := range lambdas {
		lambdas[i] = g.lambda(i)
	}
	pol := dual.V3(polar[0], polar[1], polar[2])
	ver := dual.V3(vert[0], vert[1], vert[2])
	out := make([]Source, 0, n)
	for _, p := range pts {
		start := dual.V3(-sourceDistanceM*beam[0], -sourceDistanceM*beam[1], -sourceDistanceM*beam[2])
		pos := start.RotateAxis(pol, dual.C(p.v)).RotateAxis(ver, dual.C(p.h)).Values()
		for _, l := range lambdas {
			out = append(out, newSource(pos, l, weight))
		}
	}
	return out
}

// FromFile turns source-file lines into sources with nanoBragg's defaults
// for missing columns: position -sourceDistanceM*beam (per coordinate),
// weight 1, wavelength lambda0M.
func FromFile(fs []FileSource, beam [3]float64, lambda0M dual.Num, sourceDistanceM float64) []Source {
	out := make([]Source, 0, len(fs))
	for _, f := range fs {
		pos := [3]float64{f.X, f.Y, f.Z}
		for k := range pos {
			if math.IsNaN(pos[k]) {
				pos[k] = -sourceDistanceM * beam[k]
			}
		}
		w := f.Weight
		if math.IsNaN(w) {
			w = 1.0
		}
		l := lambda0M
		if !math.IsNaN(f.LambdaM) {
			l = dual.C(f.LambdaM)
		}
		out = append(out, newSource(pos, l, w))
	}
	return out
}

// newSource unitizes pos as nanoBragg's unitize (component/magnitude, a
// zero vector stays zero) and points the incident direction the other way.
func newSource(pos [3]float64, lambda dual.Num, weight float64) Source {
	s := Source{Position: pos, LambdaM: lambda, Weight: weight}
	mag := math.Sqrt(float64(float64(pos[0]*pos[0])+float64(pos[1]*pos[1])) + float64(pos[2]*pos[2]))
	if mag != 0 {
		for k := range pos {
			s.Incident[k] = -(pos[k] / mag)
		}
	}
	return s
}

// Fluence returns the incident fluence (photons/m²) as nanoBragg sets it:
// flux*exposure/beamsize/beamsize when flux != 0, exposureS > 0 and
// beamsizeM >= 0, otherwise the given fluence unchanged. flux is in
// photons/s. (A zero beam size gives +Inf, as in C.)
func Fluence(fluence, flux, exposureS, beamsizeM float64) float64 {
	if flux != 0.0 && exposureS > 0.0 && beamsizeM >= 0 {
		return float64(float64(flux*exposureS)/beamsizeM) / beamsizeM
	}
	return fluence
}

// AutoSteps completes one of nanoBragg's (range, step, steps) triples —
// horizontal divergence, vertical divergence or dispersion — from what the
// user gave, as the C program does before generating sources. A negative
// rangeV, a step <= 0 and steps <= 0 mean "not given".
//
//	nothing given:         1 step, range 0, step 0
//	step only:             range = step, 2 steps
//	range only:            step = range, 2 steps
//	range and step:        steps = ceil(range/step)
//	steps only:            range 1, step = 1/steps
//	steps and step:        range = step, 2 steps
//	steps and range:       steps at least 2, step = range/(steps-1)
//	all three:             unchanged
func AutoSteps(rangeV, step float64, steps int) (float64, float64, int) {
	if steps <= 0 {
		switch {
		case rangeV < 0 && step <= 0:
			return 0, 0, 1
		case rangeV < 0:
			return step, step, 2
		case step <= 0:
			return rangeV, rangeV, 2
		}
		return rangeV, step, int(math.Ceil(rangeV / step))
	}
	switch {
	case rangeV < 0 && step <= 0:
		return 1, 1.0 / float64(steps), steps
	case rangeV < 0:
		return step, step, 2
	case step <= 0:
		if steps <= 1 {
			steps = 2
		}
		return rangeV, rangeV / float64(steps-1), steps
	}
	return rangeV, step, steps
}
