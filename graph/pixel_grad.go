package graph

import (
	"math"

	"gobragg/crystal"
	"gobragg/dual"
	"gobragg/physics"
)

// gradAcc accumulates the vector-Jacobian product of the diffraction kernel
// for one tile of pixels. The structure-factor part is kept sparse: a dense
// scratch array shared by the tiles one worker runs, and the list of entries
// this tile touched.
type gradAcc struct {
	lattice, recip, det, src, scal []float64
	// detAll holds every panel's geometry adjoint; det is the share of the
	// panel being rendered (see panel).
	detAll []float64
	// latticeSoA is the vector sums' share of the lattice adjoint, field
	// by field as inputs.latticeSoA (nil without them); foldLattice adds
	// it into lattice.
	latticeSoA []float64
	fScratch   []float64
	fMark      []bool
	touched    []int
}

func newGradAcc(s *Setup, scratch []float64, mark []bool) *gradAcc {
	sz := s.Sizes()
	var soa []float64
	if vectorSums {
		soa = make([]float64, sz[0])
	}
	a := &gradAcc{
		latticeSoA: soa,
		lattice:    make([]float64, sz[0]),
		recip:      make([]float64, sz[1]),
		detAll:     make([]float64, sz[2]),
		src:        make([]float64, sz[3]),
		scal:       make([]float64, sz[4]),
		fScratch:   scratch,
		fMark:      mark,
	}
	a.det = a.detAll[:detLen]
	return a
}

// panel points det at panel i's share of detAll.
func (a *gradAcc) panel(i int) {
	a.det = a.detAll[i*detLen : (i+1)*detLen]
}

// foldLattice adds the field-by-field lattice adjoint into lattice.
func (a *gradAcc) foldLattice(nt int) {
	if a.latticeSoA == nil {
		return
	}
	for row := 0; row < 2; row++ {
		for j := 0; j < nt; j++ {
			for f := 0; f < 9; f++ {
				i := (row*9+f)*nt + j
				a.lattice[(row*nt+j)*9+f] += a.latticeSoA[i]
				a.latticeSoA[i] = 0
			}
		}
	}
}

func (a *gradAcc) addF(idx int, v float64) {
	if !a.fMark[idx] {
		a.fMark[idx] = true
		a.touched = append(a.touched, idx)
	}
	a.fScratch[idx] += v
}

// subpixelRef locates a subpixel: its detector-plane coordinates and layer.
type subpixelRef struct {
	fdet, sdet, odet float64
	layer            int
}

// pixGrad is the per-pixel gradient state threaded through Setup.pixel.
type pixGrad struct {
	gI       float64           // upstream gradient of I
	gOuter   [nFactors]float64 // upstream gradients of the outer factors
	logTotal float64           // log of the pixel's total running-sum factor
	acc      *gradAcc

	cur     subpixelRef
	curPos  [3]float64 // the current subpixel's position, direction and distance
	curD    [3]float64
	curAir  float64
	gd      [3]float64 // adjoint of the current subpixel's diffracted unit vector
	hasOm   bool
	omegaAt subpixelRef
	hasPol  bool
	polarAt subpixelRef
	polSrc  int
	// the polarization factor's derivatives at polarAt, taken when it was
	// evaluated: d/d incident, d/d position and d/d kahn
	polGInc, polGPos [3]float64
	polGKahn         float64
	hasCap           bool
	capAt            subpixelRef

	// the adjoint of posAt's lab position not yet sent to the detector
	// (the factors and the direction of one subpixel share one send)
	posAt   subpixelRef
	posPend [3]float64
	hasPos  bool

	pend   [nFactors]float64 // adjoints of the factor values
	curved []float64         // detector inputs when the detector is curved, else nil
}

// reset starts a pixel with these upstream gradients of its outputs
// (finish leaves no pending adjoint behind, only the flags below).
func (gp *pixGrad) reset(gI, gOmega, gPolar, gCapture float64) {
	gp.gI, gp.gOuter = gI, [nFactors]float64{facCapture: gCapture, facPolar: gPolar, facOmega: gOmega}
	gp.logTotal = 0
	gp.hasOm, gp.hasPol, gp.hasCap, gp.hasPos = false, false, false, false
	gp.pend = [nFactors]float64{}
}

// The backward pass's hooks (see observer).

func (gp *pixGrad) sumStage(k sumKind) sumStage {
	if k == sumGeneral {
		return sumTerms
	}
	return sumGradSquare
}

// sumGradSquare is the backward fast sum, gradSquare.
func sumGradSquare(st *pixelState, p *subpath) {
	gp := st.o.(*pixGrad)
	p.gS, p.sumT = st.s.gradSquare(gp.acc, st.in, gp.gI, p.w, p.lat, p.soa, p.base, p.S)
	st.I += p.w * p.sumT // not C's rounding: the backward pass does not use I
}

func (gp *pixGrad) latticeStage(s *Setup) latticeStage { return s.latticeStage(true) }

// beginSubpixel starts subpixel sub, whose geometry (position, unit
// direction, distance) the pixel loop has just computed.
func (gp *pixGrad) beginSubpixel(_ *pixelState, sub *subpixel) {
	gp.cur = sub.here
	gp.gd = [3]float64{}
	gp.curPos, gp.curD, gp.curAir = sub.pos, sub.d, sub.airpath
}

func (gp *pixGrad) factorAt(st *pixelState, f factor, sub *subpixel) {
	switch f {
	case facOmega:
		gp.setOmegaAt(st.s, st.in, sub.here)
	case facCapture:
		gp.setCaptureAt(st.s, st.in, sub.here)
	}
}

func (gp *pixGrad) polarFactor(st *pixelState, sub *subpixel, src int) float64 {
	return gp.setPolarAt(st.s, st.in, sub, src)
}

func (gp *pixGrad) source(*pixelState, *subpixel, *subpath) {}

// background adds d I / d I_bg of w bg / div added to I, which every
// running-sum factor multiplies.
func (gp *pixGrad) background(st *pixelState, w, div float64) {
	q := 1.0 // exp(0): no running-sum factors
	if gp.logTotal != 0 {
		q = math.Exp(gp.logTotal)
	}
	gp.acc.scal[scalIbg] += gp.gI * q * w / div * st.in.bgPart
}

func (gp *pixGrad) latticeTerm(*pixelState, *subpath, *term) {}

// term adds the term's gradient.
func (gp *pixGrad) term(st *pixelState, p *subpath, tm *term) {
	gt := gp.gI * st.r.termScale(st, tm.w, gp.logTotal)
	if gt == 0 {
		return
	}
	st.s.termGrad(gp.acc, st.in, gt, &tm.fl, tm.fc, p.S, tm.L, p.base+tm.b, &tm.hkl, &tm.x, &p.gS)
}

// runningFactor records the adjoint of a running-sum factor: I, times
// every factor after this one.
func (gp *pixGrad) runningFactor(st *pixelState, f factor, v float64) {
	gp.pend[f] += gp.gI * st.I * math.Exp(gp.logTotal-st.logQ-math.Log(v))
}

// endSubpath sends the subpath's adjoints: dI/dw to the factors folded
// into w, and the adjoint of S to the geometry and the source.
func (gp *pixGrad) endSubpath(st *pixelState, sub *subpixel, p *subpath) {
	folded := st.r.folded.list()
	gw := gp.gI * (st.in.bg/st.nsub + p.sumT)
	for _, f := range folded {
		g := gw
		for _, o := range folded {
			if o != f {
				g *= st.fac[o]
			}
		}
		gp.pend[f] += g
	}
	gp.scattering(p.gS, sub.d, p.S, p.lambda, p.src)
}

// finish adds the outer factors' upstream gradients and sends the
// pending factor adjoints to the geometry.
func (gp *pixGrad) finish(st *pixelState) {
	for _, f := range st.r.outer.list() {
		gp.pend[f] += gp.gOuter[f]
	}
	gp.flush(st.s, st.in)
}

func (gp *pixGrad) setOmegaAt(s *Setup, in *inputs, here subpixelRef) {
	gp.flushOmega(s, in)
	gp.omegaAt, gp.hasOm = here, true
}

// setPolarAt evaluates the polarization factor of source src at subpixel
// sub with its derivatives, kept until its adjoint is known, and returns it.
func (gp *pixGrad) setPolarAt(s *Setup, in *inputs, sub *subpixel, src int) float64 {
	gp.flushPolar(s, in)
	gp.polarAt, gp.polSrc, gp.hasPol = sub.here, src, true
	p, gInc, gD, gKahn := in.polar[src].Grad(in.scal[scalKahn], sub.d)
	gp.polGInc, gp.polGKahn = gInc, gKahn
	gp.polGPos = physics.UnitizeBack(sub.d, sub.airpath, gD)
	return p
}

func (gp *pixGrad) setCaptureAt(s *Setup, in *inputs, here subpixelRef) {
	gp.flushCapture(s, in)
	gp.capAt, gp.hasCap = here, true
}

// flush sends the pending factor adjoints to the geometry.
func (gp *pixGrad) flush(s *Setup, in *inputs) {
	gp.flushOmega(s, in)
	gp.flushPolar(s, in)
	gp.flushCapture(s, in)
	gp.flushPosition()
}

// geometry returns subpixel r's geometry, recomputed unless r is the
// current subpixel (a factor flushed within its own subpixel, or at the end
// of a pixel of one subpixel).
func (gp *pixGrad) geometry(s *Setup, in *inputs, r subpixelRef) (pos, d [3]float64, air float64) {
	if r == gp.cur {
		return gp.curPos, gp.curD, gp.curAir
	}
	pos = s.subpixelPosition(in.det, r.fdet, r.sdet, r.odet)
	d, air = physics.Unitize(pos)
	return
}

// take returns and clears a pending factor adjoint; ok is false when there
// is nothing to send (no factor computed yet, or a zero adjoint).
func take(computed bool, pending *float64) (g float64, ok bool) {
	g, *pending = *pending, 0
	return g, computed && g != 0
}

func (gp *pixGrad) flushOmega(s *Setup, in *inputs) {
	g, ok := take(gp.hasOm, &gp.pend[facOmega])
	if !ok {
		return
	}
	_, d, air := gp.geometry(s, in, gp.omegaAt)
	_, dAir, dClose, _ := physics.SolidAngleGrad(s.PixelSizeM, air, in.det[detClose], s.PointPixel)
	gp.acc.det[detClose] += g * dClose
	gpos := [3]float64{g * dAir * d[0], g * dAir * d[1], g * dAir * d[2]}
	gp.addPosition(gp.omegaAt, gpos)
}

func (gp *pixGrad) flushPolar(s *Setup, in *inputs) {
	g, ok := take(gp.hasPol, &gp.pend[facPolar])
	if !ok {
		return
	}
	gsrc := gp.acc.src[gp.polSrc*srcLen:]
	var gpos [3]float64
	for i := 0; i < 3; i++ {
		gsrc[i] += g * gp.polGInc[i]
		gpos[i] = g * gp.polGPos[i]
	}
	gp.acc.scal[scalKahn] += g * gp.polGKahn
	gp.addPosition(gp.polarAt, gpos)
}

func (gp *pixGrad) flushCapture(s *Setup, in *inputs) {
	g, ok := take(gp.hasCap, &gp.pend[facCapture])
	if !ok {
		return
	}
	if s.DetectorThickM == 0 {
		return // the capture fraction is the constant 1
	}
	_, d, air := gp.geometry(s, in, gp.capAt)
	o := in.det[detNormal : detNormal+3]
	parallax := d[0]*o[0] + d[1]*o[1] + d[2]*o[2]
	_, dPar, _, _ := physics.CaptureFractionGrad(gp.capAt.layer, s.ThickStepM, s.MuPerM, parallax)
	gPar := g * dPar
	var gd [3]float64
	for i := 0; i < 3; i++ {
		gd[i] = gPar * o[i]
		gp.acc.det[detNormal+i] += gPar * d[i]
	}
	gp.addPosition(gp.capAt, physics.UnitizeBack(d, air, gd))
}

// scattering sends the adjoint gS of S = (d - inc)/lambda to d, the
// incident direction and the wavelength of source src.
func (gp *pixGrad) scattering(gS, d, S [3]float64, lambda float64, src int) {
	gsrc := gp.acc.src[src*srcLen : (src+1)*srcLen]
	for i := 0; i < 3; i++ {
		gp.gd[i] += gS[i] / lambda
		gsrc[i] -= gS[i] / lambda
	}
	gsrc[3] -= (S[0]*gS[0] + S[1]*gS[1] + S[2]*gS[2]) / lambda
}

// endSubpixel sends the adjoint of the subpixel's diffracted direction to
// the detector geometry.
func (gp *pixGrad) endSubpixel(_ *pixelState, sub *subpixel) {
	if gp.gd == [3]float64{} {
		return
	}
	gp.addPosition(gp.cur, physics.UnitizeBack(sub.d, sub.airpath, gp.gd))
}

// addPosition adds the adjoint of a subpixel's lab position, kept until
// another subpixel's arrives or the pixel ends.
func (gp *pixGrad) addPosition(r subpixelRef, gpos [3]float64) {
	if gp.hasPos && r == gp.posAt {
		for i := range 3 {
			gp.posPend[i] += gpos[i]
		}
		return
	}
	gp.flushPosition()
	gp.posAt, gp.posPend, gp.hasPos = r, gpos, true
}

// flushPosition sends the pending position adjoint to the detector origin
// and axes (flat detector: pos = F f + S s + O o + pix0; the curved
// detector maps that point onto a sphere first).
func (gp *pixGrad) flushPosition() {
	if !gp.hasPos {
		return
	}
	gp.hasPos = false
	r, gpos := gp.posAt, gp.posPend
	det := gp.acc.det
	if gp.curved != nil {
		gpos = curvedAdjoint(gp.curved, r, gpos, det)
	}
	for i := 0; i < 3; i++ {
		det[detPix0+i] += gpos[i]
		det[detFast+i] += r.fdet * gpos[i]
		det[detSlow+i] += r.sdet * gpos[i]
		det[detNormal+i] += r.odet * gpos[i]
	}
}

// termGrad accumulates the gradient of one term t = F_cell^2 F_latt^2 with
// upstream adjoint gt, at Miller indices m for the crystal's scalars x.
func (s *Setup) termGrad(acc *gradAcc, in *inputs, gt float64, fl *latticeValue, fc *cellValue,
	S [3]float64, L []float64, base int, m *miller, x *xtal, gS *[3]float64) {
	h, k, l, h0, k0, l0 := m.h, m.k, m.l, m.h0, m.k0, m.l0
	na, nb, nc, fudge := x.na, x.nb, x.nc, x.fudge
	gFc := gt * 2 * fc.F * fl.F * fl.F
	gFl := gt * 2 * fc.F * fc.F * fl.F
	var gh, gk, gl float64
	scal := acc.scal
	switch s.Shape {
	case crystal.Square:
		if fl.hasDeriv {
			gh += gFl * fl.dfa * fl.fb * fl.fc
			gk += gFl * fl.fa * fl.dfb * fl.fc
			gl += gFl * fl.fa * fl.fb * fl.dfc
			scal[scalNa] += gFl * fl.dfNa * fl.fb * fl.fc
			scal[scalNb] += gFl * fl.fa * fl.dfNb * fl.fc
			scal[scalNc] += gFl * fl.fa * fl.fb * fl.dfNc
			break
		}
		if na > 1 {
			gh += gFl * physics.SincgDx(math.Pi*h, na) * math.Pi * fl.fb * fl.fc
			scal[scalNa] += gFl * physics.SincgDN(math.Pi*h, na) * fl.fb * fl.fc
		}
		if nb > 1 {
			gk += gFl * fl.fa * physics.SincgDx(math.Pi*k, nb) * math.Pi * fl.fc
			scal[scalNb] += gFl * fl.fa * physics.SincgDN(math.Pi*k, nb) * fl.fc
		}
		if nc > 1 {
			gl += gFl * fl.fa * fl.fb * physics.SincgDx(math.Pi*l, nc) * math.Pi
			scal[scalNc] += gFl * fl.fa * fl.fb * physics.SincgDN(math.Pi*l, nc)
		}
	case crystal.Round, crystal.GaussHKL:
		grad := physics.LatticeRoundGrad
		if s.Shape == crystal.GaussHKL {
			grad = physics.LatticeGaussHKLGrad
		}
		_, dh, dk, dl, dna, dnb, dnc, dfudge := grad(h, k, l, h0, k0, l0, na, nb, nc, fudge)
		gh += gFl * dh
		gk += gFl * dk
		gl += gFl * dl
		scal[scalNa] += gFl * dna
		scal[scalNb] += gFl * dnb
		scal[scalNc] += gFl * dnc
		scal[scalFudge] += gFl * dfudge
	case crystal.Gauss, crystal.Tophat:
		var gdx [3]float64
		var dna, dnb, dnc, dfudge float64
		switch {
		case s.Shape == crystal.Gauss && fl.hasDeriv:
			_, gdx[0], gdx[1], gdx[2], dna, dnb, dnc, dfudge = physics.LatticeGaussGradAt(fl.gaussExp, fl.dx[0], fl.dx[1], fl.dx[2], na, nb, nc, fudge)
		case s.Shape == crystal.Gauss:
			_, gdx[0], gdx[1], gdx[2], dna, dnb, dnc, dfudge = physics.LatticeGaussGrad(fl.dx[0], fl.dx[1], fl.dx[2], na, nb, nc, fudge)
		default:
			_, gdx[0], gdx[1], gdx[2], dna, dnb, dnc, dfudge = physics.LatticeTophatGrad(fl.dx[0], fl.dx[1], fl.dx[2], na, nb, nc, fudge)
		}
		scal[scalNa] += gFl * dna
		scal[scalNb] += gFl * dnb
		scal[scalNc] += gFl * dnc
		scal[scalFudge] += gFl * dfudge
		r := in.recip
		for i := 0; i < 3; i++ {
			g := gFl * gdx[i]
			// dx_i = (h-h0) a*_i + (k-k0) b*_i + (l-l0) c*_i
			gh += g * r[i]
			gk += g * r[3+i]
			gl += g * r[6+i]
			acc.recip[i] += g * (h - h0)
			acc.recip[3+i] += g * (k - k0)
			acc.recip[6+i] += g * (l - l0)
		}
	}
	switch {
	case fc.interp:
		_, dh, dk, dl, w := physics.Polin3Grad(fc.ha, fc.ka, fc.la, &fc.sub, h, k, l)
		gh += gFc * dh
		gk += gFc * dk
		gl += gFc * dl
		for i1 := 0; i1 < 4; i1++ {
			for i2 := 0; i2 < 4; i2++ {
				for i3 := 0; i3 < 4; i3++ {
					acc.addF(s.Grid.index(fc.ih[i1], fc.ik[i2], fc.il[i3]), gFc*w[i1][i2][i3])
				}
			}
		}
	case fc.idx >= 0:
		acc.addF(fc.idx, gFc)
	default:
		scal[scalDefaultF] += gFc
	}
	// h = a.S, k = b.S, l = c.S
	gl3 := acc.lattice[base : base+9]
	for i := 0; i < 3; i++ {
		gl3[i] += gh * S[i]
		gl3[3+i] += gk * S[i]
		gl3[6+i] += gl * S[i]
		gS[i] += gh*L[i] + gk*L[3+i] + gl*L[6+i]
	}
}

// curvedAdjoint returns the adjoint of the flat position given the adjoint
// gpos of the curved one, and adds the curved mapping's own dependence on
// the distance, the beam and the fast and slow axes into gdet. The mapping's
// Jacobian comes from dual numbers (13 seeds), which is cheap next to the
// subpixel's terms.
func curvedAdjoint(det []float64, r subpixelRef, gpos [3]float64, gdet []float64) [3]float64 {
	const n = 13 // flat position, slow axis, fast axis, beam, distance
	v := func(x float64, i int) dual.Num { return dual.Var(x, i, n) }
	var flat [3]float64
	for i := 0; i < 3; i++ {
		flat[i] = r.fdet*det[detFast+i] + r.sdet*det[detSlow+i] + r.odet*det[detNormal+i] + det[detPix0+i]
	}
	p := dual.Vec3{v(flat[0], 0), v(flat[1], 1), v(flat[2], 2)}
	sAxis := dual.Vec3{v(det[detSlow], 3), v(det[detSlow+1], 4), v(det[detSlow+2], 5)}
	fAxis := dual.Vec3{v(det[detFast], 6), v(det[detFast+1], 7), v(det[detFast+2], 8)}
	beam := dual.Vec3{v(det[detBeam], 9), v(det[detBeam+1], 10), v(det[detBeam+2], 11)}
	dist := v(det[detDistance], 12)
	start := beam.Scale(dist)
	out := start.RotateAxis(sAxis, dual.Div(p[1], dist)).RotateAxis(fAxis, dual.Div(p[2], dist))
	var g [n]float64
	for i := 0; i < 3; i++ {
		for j := 0; j < n; j++ {
			g[j] += gpos[i] * out[i].Grad(j)
		}
	}
	for i := 0; i < 3; i++ {
		gdet[detSlow+i] += g[3+i]
		gdet[detFast+i] += g[6+i]
		gdet[detBeam+i] += g[9+i]
	}
	gdet[detDistance] += g[12]
	return [3]float64{g[0], g[1], g[2]}
}
