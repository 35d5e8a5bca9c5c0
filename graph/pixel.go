package graph

import (
	"math"

	"gobragg/crystal"
	"gobragg/physics"
)

// interpCut is C's global tricubic switch-off: every F_cell evaluation at or
// after term `term` of pixel `pixel` (in C's serial order) uses the nearest
// neighbour. A negative pixel means interpolation stays on everywhere.
type interpCut struct {
	pixel int
	term  int64
}

var noCut = interpCut{pixel: -1}

func (c interpCut) off(pixel int, term int64) bool {
	if c.pixel < 0 {
		return false
	}
	return pixel > c.pixel || (pixel == c.pixel && term >= c.term)
}

// pixelResult holds one pixel's kernel outputs.
type pixelResult struct {
	I, omega, polar, capture, omegaSum float64
	// outer are the factors applied outside the sum, 1 for a factor folded
	// into it (the kernel's outputs, by factor).
	outer [nFactors]float64
	// interpFail is the first term whose tricubic neighbourhood left the
	// table, or -1.
	interpFail int64
	// logQ is the log of the product of every running-sum factor (C parity
	// with oversample_* flags).
	logQ float64
	// last incident and diffracted vectors, for the trace's cos_2theta.
	lastInc, lastD [3]float64
}

// pixelState is one pixel's running state, shared by the stages of the
// loop nest: subpixel geometry, per-source factors, the phi x mosaic sum
// and its accumulation into I. The pass (forward, backward or trace) is
// the observer o; the rules r and the lattice-sum stage terms are decided
// once per pixel by init.
type pixelState struct {
	s     *Setup
	in    *inputs
	o     observer
	r     rules
	terms sumStage // the phi x mosaic stage
	// lattice is F_latt's stage, chosen by the shape (and the pass).
	lattice     latticeStage
	interpUntil int64   // first term that no longer interpolates F_cell
	cForm       bool    // the fast sums evaluate F_latt as C does
	pixIdx      int     // detector index of the pixel
	nsub        float64 // subpaths sharing the background

	I, logQ   float64
	fac       [nFactors]float64 // capture, polarization, solid angle
	term      int64             // terms so far, in C's order (interpolation switch-off)
	firstDone bool              // C's first subpath (unrotated lattice) is past
	fc        cellValue
	res       pixelResult
	// The current subpixel, subpath and term, kept here so that the hooks'
	// pointers to them do not move them to the heap.
	sub  subpixel
	path subpath
	tm   term
}

// subpixel is the geometry of one subpixel.
type subpixel struct {
	here    subpixelRef
	pos, d  [3]float64 // lab position (m) and diffracted unit vector
	airpath float64    // distance from the sample, m
}

// subpath is one source of one subpixel: its scattering vector, weight and
// lattice rows, and in the backward pass the adjoint of S and the sum of
// its terms.
type subpath struct {
	src      int
	inc      [3]float64 // incident unit vector
	lambda   float64    // m
	S        [3]float64 // scattering vector, 1/m
	w        float64    // product of the folded factors
	row      int        // 0: C's first subpath (unrotated lattice)
	base     int        // offset of the row in the lattice input
	lat, soa []float64  // the row, and field by field (vector sums)
	gS       [3]float64 // adjoint of S
	sumT     float64    // the terms before weighting
}

// pixel runs C's loop nest for pixel (fp, sp): detector layers x subpixels x
// sources x phi steps x mosaic domains, in st (scratch, reset here). The
// pass o computes the outputs only (forwardPass), also the vector-Jacobian
// product (*pixGrad) or C's trace lines (*tracer). first marks the pixel
// whose first subpath uses the unrotated lattice.
func (s *Setup) pixel(st *pixelState, in *inputs, fp, sp int, first bool, cut interpCut, o observer) pixelResult {
	clearUpper()
	st.init(s, in, fp, sp, first, cut, o)
	os := s.Oversample
	for thick := 0; thick < s.ThickSteps; thick++ {
		st.fac[facCapture] = st.r.captureStart
		for subS := 0; subS < os; subS++ {
			for subF := 0; subF < os; subF++ {
				sub := &st.sub
				st.subpixel(sub, fp, sp, subF, subS, thick)
				for src := 0; src < s.NSources; src++ {
					st.source(sub, src)
				}
				o.endSubpixel(st, sub)
			}
		}
	}
	return st.finish()
}

func (st *pixelState) init(s *Setup, in *inputs, fp, sp int, first bool, cut interpCut, o observer) {
	*st = pixelState{s: s, in: in, o: o, r: s.rules()}
	st.pixIdx, st.firstDone = s.pixelBase+sp*s.FPixels+fp, !first
	st.nsub = float64(s.Oversample * s.Oversample * s.NSources)
	st.interpUntil = s.interpUntil(cut, st.pixIdx)
	kind := s.fastSum(in, &st.r)
	st.cForm = kind == sumSquareC
	st.terms = o.sumStage(kind)
	st.lattice = o.latticeStage(s)
	st.res.interpFail = -1
	st.fac[facPolar] = st.r.polarStart
	st.r.startBackground(st)
}

// subpixel is the geometry stage: position, direction (into sub) and the
// solid angle and capture fraction where they are (re)evaluated.
func (st *pixelState) subpixel(sub *subpixel, fp, sp, subF, subS, thick int) {
	s, in := st.s, st.in
	det := in.det
	os := s.Oversample
	subpix := s.PixelSizeM / float64(os)
	odet := float64(thick) * s.ThickStepM
	fdet := subpix*float64(fp*os+subF) + subpix/2.0
	sdet := subpix*float64(sp*os+subS) + subpix/2.0
	sub.pos = s.subpixelPosition(det, fdet, sdet, odet)
	sub.d, sub.airpath = physics.Unitize(sub.pos)
	sub.here = subpixelRef{fdet: fdet, sdet: sdet, odet: odet, layer: thick}
	st.o.beginSubpixel(st, sub)
	if st.r.eval[facOmega](st.fac[facOmega]) {
		st.fac[facOmega] = physics.SolidAngle(s.PixelSizeM, sub.airpath, det[detClose], s.PointPixel)
		st.o.factorAt(st, facOmega, sub)
	}
	st.res.omegaSum += st.fac[facOmega]
	if st.r.eval[facCapture](st.fac[facCapture]) {
		d := sub.d
		parallax := d[0]*det[detNormal] + d[1]*det[detNormal+1] + d[2]*det[detNormal+2]
		st.fac[facCapture] = physics.CaptureFraction(thick, s.ThickStepM, s.MuPerM, parallax)
		st.o.factorAt(st, facCapture, sub)
	}
}

// source is the per-source stage: the scattering vector, the -dmin cut,
// polarization and the subpath's weight, then the phi x mosaic sum.
func (st *pixelState) source(sub *subpixel, src int) {
	s, in := st.s, st.in
	sv := in.src[src*srcLen : (src+1)*srcLen]
	p := &st.path
	*p = subpath{src: src, inc: [3]float64{sv[0], sv[1], sv[2]}, lambda: sv[3]}
	d := sub.d
	p.S = [3]float64{(d[0] - p.inc[0]) / p.lambda, (d[1] - p.inc[1]) / p.lambda, (d[2] - p.inc[2]) / p.lambda}
	st.o.source(st, sub, p)
	st.res.lastInc, st.res.lastD = p.inc, d
	if st.r.cut(st.r.dmin, p.S) {
		st.term += int64(s.NPhi * s.NMos)
		return
	}
	if st.r.eval[facPolar](st.fac[facPolar]) {
		st.fac[facPolar] = st.o.polarFactor(st, sub, src)
		sub.d = st.r.polar(sub.d)
	}
	p.row = 1
	if !st.firstDone {
		p.row = 0
		st.firstDone = true
	}
	p.w = 1.0
	for _, f := range st.r.folded.list() {
		p.w *= st.fac[f]
	}
	st.r.subpathBackground(st, p.w)
	rowLen := s.NPhi * s.NMos * 9
	p.base = p.row * rowLen
	p.lat = in.lattice[p.base : p.base+rowLen]
	if in.latticeSoA != nil {
		p.soa = in.latticeSoA[p.base : p.base+rowLen]
	}
	st.terms(st, p)
	st.o.endSubpath(st, sub, p)
}

// sumStage is a phi x mosaic stage: it adds one subpath's terms to the
// pixel's sum (and in the backward pass their adjoints).
type sumStage func(st *pixelState, p *subpath)

// sumScalar is the forward fast sum (see fastSum).
func sumScalar(st *pixelState, p *subpath) {
	st.I = st.s.sumSquare(st.in, st.I, p.w, p.lat, p.S, st.cForm)
}

// sumVector is sumScalar with vectorSums, the same bits.
func sumVector(st *pixelState, p *subpath) {
	st.I = st.s.sumSquareVec(st.in, st.I, p.w, p.soa, p.S, st.cForm)
}

// sumTerms is the general stage, termsGeneral.
func sumTerms(st *pixelState, p *subpath) { st.termsGeneral(p) }

// term is one phi x mosaic term of a subpath, for the passes' hooks.
type term struct {
	t, m   int       // phi step, mosaic domain
	b      int       // offset of the term's lattice in the subpath's row
	L      []float64 // a, b, c
	hkl    miller    // Miller indices and nearest node
	x      xtal      // the crystal's scalars, the same for every term
	fl     latticeValue
	fc     *cellValue
	val, w float64 // the term F_cell² F_latt², and its weight
}

// termsGeneral is the phi x mosaic stage for every case the fast sums do
// not cover (any shape, interpolation, C's running sum, traces), one term
// at a time in C's order; the pass's hooks see each term.
func (st *pixelState) termsGeneral(p *subpath) {
	s, in := st.s, st.in
	defaultF := in.scal[scalDefaultF]
	tm := &st.tm
	*tm = term{fc: &st.fc, w: p.w, x: xtalOf(in)}
	for t := 0; t < s.NPhi; t++ {
		for m := 0; m < s.NMos; m++ {
			tt := st.term
			st.term++
			tm.t, tm.m = t, m
			tm.b = (t*s.NMos + m) * 9
			tm.L = p.lat[tm.b : tm.b+9]
			tm.hkl.h, tm.hkl.k, tm.hkl.l = millerIndices(tm.L, p.S)
			tm.hkl.setNearest()
			st.lattice(&tm.fl, in, &tm.hkl, &tm.x)
			st.o.latticeTerm(st, p, tm)
			if tm.fl.F == 0.0 && s.WaterZero {
				continue
			}
			s.cellFactor(tm.fc, in, &tm.hkl, defaultF, tt < st.interpUntil)
			if tm.fc.outOfRange && st.res.interpFail < 0 {
				st.res.interpFail = tt
			}
			tm.val = tm.fc.F * tm.fc.F * tm.fl.F * tm.fl.F
			p.sumT += tm.val
			st.o.term(st, p, tm)
			st.r.addTerm(st, tm.val, p.w)
		}
	}
}

// finish is the accumulation stage's end: the pixel's outputs and, in the
// backward pass, the adjoints of the factors applied outside the sum.
func (st *pixelState) finish() pixelResult {
	res := st.res
	res.I = st.I
	res.logQ = st.logQ
	res.capture, res.polar, res.omega = st.fac[facCapture], st.fac[facPolar], st.fac[facOmega]
	res.outer = [nFactors]float64{1, 1, 1}
	for _, f := range st.r.outer.list() {
		res.outer[f] = st.fac[f]
	}
	st.o.finish(st)
	return res
}

// outerFactors returns the per-pixel factors applied outside the sum: 1 for
// a factor already folded into the sum.
func (s *Setup) outerFactors(r pixelResult) (omega, polar, capture float64) {
	return r.outer[facOmega], r.outer[facPolar], r.outer[facCapture]
}

// latticeValue is F_latt with the pieces its gradient needs.
type latticeValue struct {
	F          float64
	fa, fb, fc float64    // square: the three sincg factors (1 when N <= 1)
	dx         [3]float64 // gauss, tophat: reciprocal-space distance to the nearest node
	gaussExp   float64    // gauss, backward pass only: F / (Na Nb Nc)
	// square, backward pass only: d factor/dh (resp. dk, dl) and d factor/dN per axis
	dfa, dfb, dfc    float64
	dfNa, dfNb, dfNc float64
	hasDeriv         bool // the backward pass's stage set the fields above (square) or gaussExp
}

// latticeStage computes F_latt (into v) at Miller indices m for the
// crystal's scalars x. m and x are read only; they come by pointer because
// copying a just-written struct by value stalls store forwarding.
type latticeStage func(v *latticeValue, in *inputs, m *miller, x *xtal)

// latticeStage returns F_latt's stage for the Setup's shape; with deriv
// (the backward pass) the square shape also gets its partial derivatives
// from one fused evaluation.
func (s *Setup) latticeStage(deriv bool) latticeStage {
	switch s.Shape {
	case crystal.Square:
		switch {
		case deriv:
			return latticeSquareDeriv
		case s.Quirks.SincgFromIndex:
			return latticeSquareC
		}
		return latticeSquare
	case crystal.Round:
		return latticeRound
	case crystal.GaussHKL:
		return latticeGaussHKL
	case crystal.Gauss:
		if deriv {
			return latticeGaussDeriv
		}
		return latticeGauss
	}
	return latticeTophat
}

func latticeSquareDeriv(v *latticeValue, _ *inputs, m *miller, x *xtal) {
	v.fa, v.fb, v.fc = 1, 1, 1
	v.hasDeriv = true
	if x.na > 1 {
		v.fa, v.dfa, v.dfNa = sincgGrad(m.h, x.na)
	}
	if x.nb > 1 {
		v.fb, v.dfb, v.dfNb = sincgGrad(m.k, x.nb)
	}
	if x.nc > 1 {
		v.fc, v.dfc, v.dfNc = sincgGrad(m.l, x.nc)
	}
	v.F = v.fa * v.fb * v.fc
}

// latticeSquareC is the square shape with C's sincg arguments (SincgFromIndex).
func latticeSquareC(v *latticeValue, _ *inputs, m *miller, x *xtal) {
	squareFactors(v, m, x, sincgC)
}

// latticeSquare is the square shape with sincg from the distance to the
// nearest node (for integer N).
func latticeSquare(v *latticeValue, _ *inputs, m *miller, x *xtal) {
	squareFactors(v, m, x, sincgNode)
}

// squareFactors sets the square shape's three factors (1 along an axis of
// one cell) and their product in C's order, with the given sincg.
func squareFactors(v *latticeValue, m *miller, x *xtal, sincg func(h, n float64) float64) {
	v.fa, v.fb, v.fc = 1, 1, 1
	F := 1.0
	if x.na > 1 {
		v.fa = sincg(m.h, x.na)
		F *= v.fa
	}
	if x.nb > 1 {
		v.fb = sincg(m.k, x.nb)
		F *= v.fb
	}
	if x.nc > 1 {
		v.fc = sincg(m.l, x.nc)
		F *= v.fc
	}
	v.F = F
}

func latticeRound(v *latticeValue, _ *inputs, m *miller, x *xtal) {
	v.F = physics.LatticeRound(m.h, m.k, m.l, m.h0, m.k0, m.l0, x.na, x.nb, x.nc, x.fudge)
}

func latticeGaussHKL(v *latticeValue, _ *inputs, m *miller, x *xtal) {
	v.F = physics.LatticeGaussHKL(m.h, m.k, m.l, m.h0, m.k0, m.l0, x.na, x.nb, x.nc, x.fudge)
}

// recipDistance sets v.dx, the reciprocal-space distance to the nearest node.
func recipDistance(v *latticeValue, in *inputs, m *miller) {
	r := in.recip
	v.dx[0], v.dx[1], v.dx[2] = physics.RecipDistance(m.h, m.k, m.l, m.h0, m.k0, m.l0,
		[3]float64{r[0], r[1], r[2]}, [3]float64{r[3], r[4], r[5]}, [3]float64{r[6], r[7], r[8]})
}

func latticeGauss(v *latticeValue, in *inputs, m *miller, x *xtal) {
	recipDistance(v, in, m)
	v.F = physics.LatticeGauss(v.dx[0], v.dx[1], v.dx[2], x.na, x.nb, x.nc, x.fudge)
}

// latticeGaussDeriv is latticeGauss keeping its exponential for the
// backward pass (LatticeGaussGradAt), so each term evaluates exp once.
func latticeGaussDeriv(v *latticeValue, in *inputs, m *miller, x *xtal) {
	recipDistance(v, in, m)
	v.F, v.gaussExp = physics.LatticeGaussExp(v.dx[0], v.dx[1], v.dx[2], x.na, x.nb, x.nc, x.fudge)
	v.hasDeriv = true
}

func latticeTophat(v *latticeValue, in *inputs, m *miller, x *xtal) {
	recipDistance(v, in, m)
	v.F = physics.LatticeTophat(v.dx[0], v.dx[1], v.dx[2], x.na, x.nb, x.nc, x.fudge)
}

// cellValue is F_cell with where it came from.
type cellValue struct {
	F          float64
	idx        int // table index of the nearest lookup, -1 for default_F
	interp     bool
	ha, ka, la [4]float64
	sub        [4][4][4]float64
	ih, ik, il [4]int
	outOfRange bool
}

// cellFactor sets v to F_cell at Miller indices m: tricubic interpolation
// with interp, else the table entry at the nearest node or defaultF.
func (s *Setup) cellFactor(v *cellValue, in *inputs, m *miller, defaultF float64, interp bool) {
	h, k, l := m.h, m.k, m.l
	g := s.Grid
	v.idx = -1
	v.interp = false
	v.outOfRange = false
	if interp && !g.interpInRange(h, k, l) {
		// C warns, switches interpolation off and uses the nearest neighbour.
		v.outOfRange = true
		interp = false
	}
	if interp {
		hf, kf, lf := int(math.Floor(h)), int(math.Floor(k)), int(math.Floor(l))
		for i := 0; i < 4; i++ {
			v.ih[i], v.ik[i], v.il[i] = hf-1+i, kf-1+i, lf-1+i
			v.ha[i], v.ka[i], v.la[i] = float64(v.ih[i]), float64(v.ik[i]), float64(v.il[i])
		}
		for i1 := 0; i1 < 4; i1++ {
			for i2 := 0; i2 < 4; i2++ {
				for i3 := 0; i3 < 4; i3++ {
					v.sub[i1][i2][i3] = in.F[g.index(v.ih[i1], v.ik[i2], v.il[i3])]
				}
			}
		}
		v.F = physics.Polin3(v.ha, v.ka, v.la, &v.sub, h, k, l)
		v.interp = true
		return
	}
	if idx := g.index(int(m.h0), int(m.k0), int(m.l0)); idx >= 0 {
		v.idx = idx
		v.F = in.F[idx]
		return
	}
	v.F = defaultF
}
