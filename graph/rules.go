package graph

import (
	"math"

	"gobragg/crystal"
	"gobragg/physics"
)

// The run-time rules of the loop nest (which factors are evaluated once and
// which at every subpixel or source, where each factor enters the image,
// how a term enters the sum, the -dmin cut, interpolation) are decided here,
// once per pixel pass, as small values and stage functions. The stages of
// pixel.go call them and never test a mode flag of the Setup themselves
// (TestLoopStagesTestNoModeFlag checks this).

// factor names one of the per-pixel factors of the image.
type factor int

const (
	facCapture factor = iota // detector capture fraction
	facPolar                 // polarization
	facOmega                 // solid angle, steradians
	nFactors
)

// factorSet is a short ordered list of factors (capture, polar, omega order,
// which is C's order of the running-sum multiplications).
type factorSet struct {
	f [nFactors]factor
	n int
}

func (s *factorSet) add(f factor) { s.f[s.n] = f; s.n++ }

// list returns the factors in order.
func (s *factorSet) list() []factor { return s.f[:s.n] }

// evalRule reports whether a factor of current value v is evaluated (again)
// at this subpixel (omega, capture) or source (polar).
type evalRule func(v float64) bool

// everyTime is -oversample_*: the factor is evaluated at every subpixel or source.
func everyTime(float64) bool { return true }

// whileUnset is C's default: the factor is evaluated only while it is 0,
// that is at the pixel's first subpixel (omega), first source (polar) or
// each layer's first subpixel (capture).
func whileUnset(v float64) bool { return v == 0 }

// cutRule reports whether the subpath of scattering vector S (1/m) is
// cut off by -dmin.
type cutRule func(dmin float64, S [3]float64) bool

func noDminCut(float64, [3]float64) bool { return false }

// dminCut is C's test: sin(theta)/lambda = |S|/2 beyond 1/(2 dmin).
func dminCut(dmin float64, S [3]float64) bool {
	stol := 0.5 * math.Sqrt(S[0]*S[0]+S[1]*S[1]+S[2]*S[2])
	return stol > 0.0 && dmin > 0.5/stol
}

// afterPolarRule is what the polarization factor leaves of the diffracted
// unit vector: itself, or (C's PolarUnitizesDiffracted) its unitized copy.
type afterPolarRule func(d [3]float64) [3]float64

func keepDiffracted(d [3]float64) [3]float64 { return d }

func unitizeDiffracted(d [3]float64) [3]float64 {
	u, _ := physics.Unitize(d)
	return u
}

// rules are the loop nest's run-time rules for one Setup.
type rules struct {
	// eval is each factor's evaluation rule.
	eval [nFactors]evalRule
	// captureStart is the capture fraction at the start of a layer: 1 for a
	// detector of no thickness (never evaluated), else 0 (evaluated).
	captureStart float64
	// polarStart is the polarization at the start of a pixel: 1 with
	// -nopolar, else 0.
	polarStart float64
	// folded are the factors that weight each subpath's terms and its
	// share of the background (the weighted sum); running the factors C
	// multiplies the whole running sum by after every term; outer the
	// factors applied outside the sum, the kernel's outputs. Each factor is
	// in exactly one of them.
	folded, running, outer factorSet
	// weighted: the background is added per subpath with the subpath's
	// weight, instead of once at the start of the pixel.
	weighted bool
	// general: the fast lattice sums cannot serve this Setup's pixels
	// (C's running sum, interpolation, a shape other than square).
	general bool
	cut     cutRule
	dmin    float64 // -dmin, m
	polar   afterPolarRule
	// addTerm adds one term of weight w to the pixel's sum.
	addTerm func(st *pixelState, t, w float64)
	// termScale is d I / d term for a term of weight w, given the log of
	// the pixel's total running-sum factor.
	termScale func(st *pixelState, w, logTotal float64) float64
	// startBackground and subpathBackground add the water background:
	// once at the start of the pixel, or a weighted share per subpath.
	startBackground   func(st *pixelState)
	subpathBackground func(st *pixelState, w float64)
}

// rules decides the run-time rules of the loop nest from the Setup's
// switches and quirks.
func (s *Setup) rules() rules {
	q := s.Quirks
	over := [nFactors]bool{facCapture: s.OversampleThick, facPolar: s.OversamplePolar, facOmega: s.OversampleOmega}
	flagged := s.OversampleThick || s.OversamplePolar || s.OversampleOmega
	// Without C's last-layer quirk every layer's own capture fraction
	// weights its terms.
	layerCapture := !q.LastLayerCapture && s.DetectorThickM > 0 && !s.OversampleThick
	weighted := (flagged && !q.RunningSum) || layerCapture
	inSum := over
	inSum[facCapture] = over[facCapture] || layerCapture
	r := rules{
		weighted: weighted,
		general:  s.runningSum() || s.Interpolate || s.Shape != crystal.Square,
		cut:      noDminCut,
		polar:    keepDiffracted,
	}
	for f := range nFactors {
		r.eval[f] = whileUnset
		if over[f] {
			r.eval[f] = everyTime
		}
		switch {
		case !inSum[f]:
			r.outer.add(f)
		case weighted:
			r.folded.add(f)
		default: // C's running sum: flagged without weighting
			r.running.add(f)
		}
	}
	if s.DetectorThickM == 0.0 {
		r.captureStart = 1
	}
	if s.NoPolar {
		r.polarStart = 1
	}
	if s.DminM > 0 {
		r.cut, r.dmin = dminCut, s.DminM
	}
	if q.PolarUnitizesDiffracted {
		r.polar = unitizeDiffracted
	}
	switch {
	case weighted:
		r.addTerm, r.termScale = addWeighted, scaleWeighted
		r.startBackground, r.subpathBackground = noStartBackground, subpathBackground
	case r.running.n > 0:
		r.addTerm, r.termScale = addRunning, scaleRunning
		r.startBackground, r.subpathBackground = startBackground, noSubpathBackground
	default: // a plain sum: the weighted one with every weight 1
		r.addTerm, r.termScale = addWeighted, scaleWeighted
		r.startBackground, r.subpathBackground = startBackground, noSubpathBackground
	}
	return r
}

// runningSum reports whether C's running sum is on: -oversample_thick,
// _polar or _omega with the RunningSum quirk. Its backward pass needs the
// total factor of a forward pass first (logQ; 0 when the sum is weighted).
func (s *Setup) runningSum() bool {
	return s.Quirks.RunningSum && (s.OversampleThick || s.OversamplePolar || s.OversampleOmega)
}

// interpUntil is the first term (in C's order) of pixel pixIdx that no
// longer interpolates F_cell: 0 without interpolation, never (MaxInt64)
// without C's switch-off or before its cut.
func (s *Setup) interpUntil(cut interpCut, pixIdx int) int64 {
	switch {
	case !s.Interpolate:
		return 0
	case !s.Quirks.InterpolationSwitchOff || cut.pixel < 0 || pixIdx < cut.pixel:
		return math.MaxInt64
	case pixIdx > cut.pixel:
		return 0
	}
	return cut.term
}

// addWeighted adds w·t (w == 1 keeps t's bits: the plain sum).
func addWeighted(st *pixelState, t, w float64) { st.I += w * t }

func scaleWeighted(_ *pixelState, w, _ float64) float64 { return w }

// addRunning adds t, then multiplies the running sum by the running
// factors, as C does after every term, telling the pass each factor.
func addRunning(st *pixelState, t, _ float64) {
	st.I += t
	for _, f := range st.r.running.list() {
		v := st.fac[f]
		st.o.runningFactor(st, f, v)
		st.I *= v
		st.logQ += math.Log(v)
	}
}

// scaleRunning: a term is multiplied by every running factor after it.
func scaleRunning(st *pixelState, _, logTotal float64) float64 {
	return math.Exp(logTotal - st.logQ)
}

// startBackground: C starts the pixel's sum at I_bg.
func startBackground(st *pixelState) {
	st.I = st.in.bg
	st.o.background(st, 1, 1)
}

func noStartBackground(*pixelState) {}

// subpathBackground: each subpath adds its share w bg / nsub.
func subpathBackground(st *pixelState, w float64) {
	st.I += w * st.in.bg / st.nsub
	st.o.background(st, w, st.nsub)
}

func noSubpathBackground(*pixelState, float64) {}
