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
// and its accumulation into I (and, in the backward pass, into the VJP).
type pixelState struct {
	s      *Setup
	in     *inputs
	gp     *pixGrad // nil in the forward pass
	tr     *tracer  // nil unless tracing
	cut    interpCut
	pixIdx int
	kind   sumKind
	// runningSum: C multiplies the running sum by the oversample_* factors
	// after every term. weighted: each subpath's terms (and its share of the
	// background) carry the product w of the factors evaluated for that
	// subpath. layerCapture: without C's last-layer quirk every layer's own
	// capture fraction weights its terms.
	runningSum, weighted, layerCapture bool
	nsub                               float64 // subpaths sharing the background

	I, logQ               float64
	omega, polar, capture float64
	term                  int64 // terms so far, in C's order (interpolation switch-off)
	firstDone             bool  // C's first subpath (unrotated lattice) is past
	fc                    cellValue
	res                   pixelResult
}

// subpixel is the geometry of one subpixel.
type subpixel struct {
	here    subpixelRef
	pos, d  [3]float64 // lab position (m) and diffracted unit vector
	airpath float64    // distance from the sample, m
}

// pixel runs C's loop nest for pixel (fp, sp): detector layers x subpixels x
// sources x phi steps x mosaic domains. With gp == nil it only computes the
// outputs; with gp != nil it also accumulates the vector-Jacobian product.
// first marks the pixel whose first subpath uses the unrotated lattice.
func (s *Setup) pixel(in *inputs, fp, sp int, first bool, cut interpCut, gp *pixGrad, tr *tracer) pixelResult {
	var st pixelState // on the stack: its F_cell scratch is large
	st.init(s, in, fp, sp, first, cut, gp, tr)
	os := s.Oversample
	for thick := 0; thick < s.ThickSteps; thick++ {
		st.capture = 0.0
		if s.DetectorThickM == 0.0 {
			st.capture = 1.0
		}
		for subS := 0; subS < os; subS++ {
			for subF := 0; subF < os; subF++ {
				sub := st.subpixel(fp, sp, subF, subS, thick)
				for src := 0; src < s.NSources; src++ {
					st.source(&sub, src)
				}
				if gp != nil {
					gp.endSubpixel(s, in, sub.pos, sub.d, sub.airpath)
				}
			}
		}
	}
	return st.finish()
}

func (st *pixelState) init(s *Setup, in *inputs, fp, sp int, first bool, cut interpCut, gp *pixGrad, tr *tracer) {
	q := s.Quirks
	flagged := s.OversampleThick || s.OversamplePolar || s.OversampleOmega
	st.s, st.in, st.gp, st.tr, st.cut = s, in, gp, tr, cut
	st.pixIdx, st.firstDone = s.pixelBase+sp*s.FPixels+fp, !first
	st.runningSum = flagged && q.RunningSum
	st.layerCapture = !q.LastLayerCapture && s.DetectorThickM > 0 && !s.OversampleThick
	st.weighted = (flagged && !q.RunningSum) || st.layerCapture
	st.nsub = float64(s.Oversample * s.Oversample * s.NSources)
	st.kind = s.fastSum(in, st.runningSum, tr != nil)
	st.res.interpFail = -1
	if !st.weighted {
		st.background(1)
	}
	if s.NoPolar {
		st.polar = 1.0
	}
}

// background is the water background stage (in.bg, physics.WaterBackground
// or a weighted source pass's part of it). Unweighted, C starts the pixel's
// sum at I_bg: it runs once, before the loops, with w = 1. Weighted, each
// subpath adds its share w bg / nsub, w the product of the factors folded
// into that subpath. In the backward pass it also accumulates d I / d I_bg.
func (st *pixelState) background(w float64) {
	in, gp := st.in, st.gp
	if !st.weighted {
		st.I = in.bg
		if gp != nil {
			q := 1.0 // exp(0): no running-sum factors
			if gp.logTotal != 0 {
				q = math.Exp(gp.logTotal)
			}
			gp.acc.scal[scalIbg] += gp.gI * q * in.bgPart
		}
		return
	}
	st.I += w * in.bg / st.nsub
	if gp != nil {
		gp.acc.scal[scalIbg] += gp.gI * w / st.nsub * in.bgPart
	}
}

// subpixel is the geometry stage: position, direction and the solid angle
// and capture fraction where they are (re)evaluated.
func (st *pixelState) subpixel(fp, sp, subF, subS, thick int) subpixel {
	s, in, gp := st.s, st.in, st.gp
	det := in.det
	os := s.Oversample
	subpix := s.PixelSizeM / float64(os)
	odet := float64(thick) * s.ThickStepM
	fdet := subpix*float64(fp*os+subF) + subpix/2.0
	sdet := subpix*float64(sp*os+subS) + subpix/2.0
	var sub subpixel
	sub.pos = s.subpixelPosition(det, fdet, sdet, odet)
	sub.d, sub.airpath = physics.Unitize(sub.pos)
	sub.here = subpixelRef{fdet: fdet, sdet: sdet, odet: odet, layer: thick}
	if gp != nil {
		gp.beginSubpixel(sub.here, sub.pos, sub.d, sub.airpath)
	}
	if st.omega == 0.0 || s.OversampleOmega {
		st.omega = physics.SolidAngle(s.PixelSizeM, sub.airpath, det[detClose], s.PointPixel)
		if gp != nil {
			gp.setOmegaAt(s, in, sub.here)
		}
	}
	st.res.omegaSum += st.omega
	if st.capture == 0.0 || s.OversampleThick {
		d := sub.d
		parallax := d[0]*det[detNormal] + d[1]*det[detNormal+1] + d[2]*det[detNormal+2]
		st.capture = physics.CaptureFraction(thick, s.ThickStepM, s.MuPerM, parallax)
		if gp != nil {
			gp.setCaptureAt(s, in, sub.here)
		}
	}
	if st.tr != nil {
		st.tr.subpixel(det, sub.pos, sub.airpath, st.omega, sub.d)
	}
	return sub
}

// source is the per-source stage: the scattering vector, the -dmin cut,
// polarization and the subpath's weight, then the phi x mosaic sum.
func (st *pixelState) source(sub *subpixel, src int) {
	s, in, gp, tr := st.s, st.in, st.gp, st.tr
	sv := in.src[src*srcLen : (src+1)*srcLen]
	inc := [3]float64{sv[0], sv[1], sv[2]}
	lambda := sv[3]
	d := sub.d
	S := [3]float64{(d[0] - inc[0]) / lambda, (d[1] - inc[1]) / lambda, (d[2] - inc[2]) / lambda}
	if tr != nil {
		tr.lastStol = 0.5 * math.Sqrt(S[0]*S[0]+S[1]*S[1]+S[2]*S[2])
		if src == 0 {
			tr.source(inc, lambda, S)
		}
	}
	st.res.lastInc, st.res.lastD = inc, d
	if s.DminM > 0.0 {
		stol := 0.5 * math.Sqrt(S[0]*S[0]+S[1]*S[1]+S[2]*S[2])
		if stol > 0.0 && s.DminM > 0.5/stol {
			st.term += int64(s.NPhi * s.NMos)
			return
		}
	}
	if st.polar == 0.0 || s.OversamplePolar {
		if gp != nil {
			st.polar = gp.setPolarAt(s, in, sub, src)
		} else {
			st.polar = in.polar[src].Factor(in.scal[scalKahn], d)
		}
		if s.Quirks.PolarUnitizesDiffracted {
			// C's polarization_factor unitizes diffracted in place.
			sub.d, _ = physics.Unitize(sub.d)
		}
	}
	row := 1
	if !st.firstDone {
		row = 0
		st.firstDone = true
	}
	if tr != nil {
		tr.firstRow = row == 0
	}
	// The factors folded into this subpath's weight w (1 where not).
	wCap, wPol, wOm := 1.0, 1.0, 1.0
	if st.weighted {
		if s.OversampleThick || st.layerCapture {
			wCap = st.capture
		}
		if s.OversamplePolar {
			wPol = st.polar
		}
		if s.OversampleOmega {
			wOm = st.omega
		}
	}
	w := wCap * wPol * wOm
	if st.weighted {
		st.background(w)
	}
	rowLen := s.NPhi * s.NMos * 9
	lat := in.lattice[row*rowLen : (row+1)*rowLen]
	var gS [3]float64 // adjoint of the scattering vector
	sumT := 0.0       // the subpath's terms before weighting
	switch {
	case st.kind == sumGeneral:
		gS, sumT = st.termsGeneral(lat, row*rowLen, S, w, src)
	case gp != nil:
		var soa []float64
		if in.latticeSoA != nil {
			soa = in.latticeSoA[row*rowLen : (row+1)*rowLen]
		}
		gS, sumT = s.gradSquare(gp.acc, in, gp.gI, w, lat, soa, row*rowLen, S)
		st.I += w * sumT // not C's rounding: the backward pass does not use I
	case vectorSums:
		soa := in.latticeSoA[row*rowLen : (row+1)*rowLen]
		st.I = s.sumSquareVec(in, st.I, w, soa, S, st.kind == sumSquareC)
	default:
		st.I = s.sumSquare(in, st.I, w, lat, S, st.kind == sumSquareC)
	}
	if gp == nil {
		return
	}
	if st.weighted {
		// dI/dw for this subpath goes to the factors folded into w.
		gw := gp.gI * (in.bg/st.nsub + sumT)
		if s.OversampleThick || st.layerCapture {
			gp.pendCapture += gw * wPol * wOm
		}
		if s.OversamplePolar {
			gp.pendPolar += gw * wCap * wOm
		}
		if s.OversampleOmega {
			gp.pendOmega += gw * wCap * wPol
		}
	}
	gp.scattering(gS, sub.d, S, lambda, src)
}

// termsGeneral is the phi x mosaic stage for every case the fast sums do
// not cover (any shape, interpolation, C's running sum, traces), one term
// at a time in C's order, with the term's gradient in the backward pass.
func (st *pixelState) termsGeneral(lat []float64, base int, S [3]float64, w float64, src int) (gS [3]float64, sumT float64) {
	s, in, gp, tr := st.s, st.in, st.gp, st.tr
	na, nb, nc := in.scal[scalNa], in.scal[scalNb], in.scal[scalNc]
	fudge := in.scal[scalFudge]
	defaultF := in.scal[scalDefaultF]
	q := s.Quirks
	var fl latticeValue
	for t := 0; t < s.NPhi; t++ {
		for m := 0; m < s.NMos; m++ {
			tt := st.term
			st.term++
			b := (t*s.NMos + m) * 9
			L := lat[b : b+9]
			h, k, l := millerIndices(L, S)
			h0 := math.Ceil(h - 0.5)
			k0 := math.Ceil(k - 0.5)
			l0 := math.Ceil(l - 0.5)
			s.latticeFactor(&fl, in, h, k, l, h0, k0, l0, na, nb, nc, fudge, gp != nil && tr == nil)
			if tr != nil {
				tr.lastHKL = [6]float64{h, k, l, h0, k0, l0}
				tr.lastFLatt = fl.F
				copy(tr.lastLattice[:], L)
				if src == 0 && m == 0 {
					tr.lattice(t, L, in.recip, h, k, l, h0, k0, l0, &fl, s.Shape)
				}
			}
			if fl.F == 0.0 && s.WaterZero {
				continue
			}
			useInterp := s.Interpolate && !(q.InterpolationSwitchOff && st.cut.off(st.pixIdx, tt))
			fc := &st.fc
			s.cellFactor(fc, in, h, k, l, int(h0), int(k0), int(l0), defaultF, useInterp)
			if fc.outOfRange && st.res.interpFail < 0 {
				st.res.interpFail = tt
			}
			if tr != nil {
				tr.lastFCell = fc.F
				if src == 0 && m == 0 && t == 0 {
					tr.cell(fc.F)
				}
			}
			tval := fc.F * fc.F * fl.F * fl.F
			sumT += tval
			gt := 0.0
			switch {
			case st.weighted:
				st.I += w * tval
				if gp != nil {
					gt = gp.gI * w
				}
			case st.runningSum:
				if gp != nil {
					gt = gp.gI * math.Exp(gp.logTotal-st.logQ)
				}
				st.I += tval
				st.applyRunningSum()
			default:
				st.I += tval
				if gp != nil {
					gt = gp.gI
				}
			}
			if gp != nil && gt != 0 {
				s.termGrad(gp.acc, in, gt, &fl, fc, S, L, base+b, h, k, l, h0, k0, l0, na, nb, nc, fudge, &gS)
			}
		}
	}
	return gS, sumT
}

// applyRunningSum multiplies the running sum by the oversample_* factors
// after a term, as C does, and in the backward pass records their adjoints.
func (st *pixelState) applyRunningSum() {
	s, gp := st.s, st.gp
	factors := [3]struct {
		on      bool
		v       float64
		pending *float64
	}{
		{s.OversampleThick, st.capture, nil},
		{s.OversamplePolar, st.polar, nil},
		{s.OversampleOmega, st.omega, nil},
	}
	if gp != nil {
		factors[0].pending, factors[1].pending, factors[2].pending = &gp.pendCapture, &gp.pendPolar, &gp.pendOmega
	}
	for _, f := range factors {
		if !f.on {
			continue
		}
		if gp != nil {
			*f.pending += gp.gI * st.I * math.Exp(gp.logTotal-st.logQ-math.Log(f.v))
		}
		st.I *= f.v
		st.logQ += math.Log(f.v)
	}
}

// finish is the accumulation stage's end: the pixel's outputs and, in the
// backward pass, the adjoints of the factors applied outside the sum.
func (st *pixelState) finish() pixelResult {
	s, gp := st.s, st.gp
	res := st.res
	res.I = st.I
	res.logQ = st.logQ
	res.omega, res.polar, res.capture = st.omega, st.polar, st.capture
	if gp != nil {
		if !s.OversampleOmega {
			gp.pendOmega += gp.gOmega
		}
		if !s.OversamplePolar && !s.NoPolar {
			gp.pendPolar += gp.gPolar
		}
		if !s.OversampleThick && !st.layerCapture {
			gp.pendCapture += gp.gCapture
		}
		gp.finish(s, st.in)
	}
	return res
}

// outerFactors returns the per-pixel factors applied outside the sum: 1 for
// a factor already folded into the sum.
func (s *Setup) outerFactors(r pixelResult) (omega, polar, capture float64) {
	omega, polar, capture = r.omega, r.polar, r.capture
	if s.OversampleOmega {
		omega = 1
	}
	if s.OversamplePolar {
		polar = 1
	}
	if s.OversampleThick || (!s.Quirks.LastLayerCapture && s.DetectorThickM > 0) {
		capture = 1
	}
	return
}

// latticeValue is F_latt with the pieces its gradient needs.
type latticeValue struct {
	F          float64
	fa, fb, fc float64    // square: the three sincg factors (1 when N <= 1)
	dx         [3]float64 // gauss, tophat: reciprocal-space distance to the nearest node
	// square, backward pass only: d factor/dh (resp. dk, dl) and d factor/dN per axis
	dfa, dfb, dfc    float64
	dfNa, dfNb, dfNc float64
	hasDeriv         bool
}

// latticeFactor computes F_latt; with deriv (the backward pass) the square
// shape also gets its partial derivatives from one fused evaluation.
func (s *Setup) latticeFactor(v *latticeValue, in *inputs, h, k, l, h0, k0, l0, na, nb, nc, fudge float64, deriv bool) {
	switch s.Shape {
	case crystal.Square:
		if deriv {
			v.fa, v.fb, v.fc = 1, 1, 1
			v.hasDeriv = true
			if na > 1 {
				v.fa, v.dfa, v.dfNa = sincgGrad(h, na)
			}
			if nb > 1 {
				v.fb, v.dfb, v.dfNb = sincgGrad(k, nb)
			}
			if nc > 1 {
				v.fc, v.dfc, v.dfNc = sincgGrad(l, nc)
			}
			v.F = v.fa * v.fb * v.fc
			return
		}
		v.fa, v.fb, v.fc = 1, 1, 1
		F := 1.0
		if na > 1 {
			v.fa = s.sincg(h, na)
			F *= v.fa
		}
		if nb > 1 {
			v.fb = s.sincg(k, nb)
			F *= v.fb
		}
		if nc > 1 {
			v.fc = s.sincg(l, nc)
			F *= v.fc
		}
		v.F = F
	case crystal.Round:
		v.F = physics.LatticeRound(h, k, l, h0, k0, l0, na, nb, nc, fudge)
	case crystal.Gauss, crystal.Tophat:
		r := in.recip
		v.dx[0], v.dx[1], v.dx[2] = physics.RecipDistance(h, k, l, h0, k0, l0,
			[3]float64{r[0], r[1], r[2]}, [3]float64{r[3], r[4], r[5]}, [3]float64{r[6], r[7], r[8]})
		if s.Shape == crystal.Gauss {
			v.F = physics.LatticeGauss(v.dx[0], v.dx[1], v.dx[2], na, nb, nc, fudge)
		} else {
			v.F = physics.LatticeTophat(v.dx[0], v.dx[1], v.dx[2], na, nb, nc, fudge)
		}
	}
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

func (s *Setup) cellFactor(v *cellValue, in *inputs, h, k, l float64, h0, k0, l0 int, defaultF float64, interp bool) {
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
	if idx := g.index(h0, k0, l0); idx >= 0 {
		v.idx = idx
		v.F = in.F[idx]
		return
	}
	v.F = defaultF
}
