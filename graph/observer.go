package graph

// observer is what a pass of the loop nest does beside the forward sum:
// nothing (forwardPass), the vector-Jacobian product (*pixGrad) or C's
// trace lines (*tracer). The stages of pixel.go call its hooks at fixed
// points, so the three passes run the same stage functions and none of
// them tests which pass it is in.
type observer interface {
	// sumStage and latticeStage choose, once per pixel, the phi x mosaic
	// stage for a sum kind (fastSum) and F_latt's stage.
	sumStage(k sumKind) sumStage
	latticeStage(s *Setup) latticeStage
	// beginSubpixel: the subpixel's geometry is computed.
	beginSubpixel(st *pixelState, sub *subpixel)
	// factorAt: the solid angle or capture fraction was (re)evaluated at sub.
	factorAt(st *pixelState, f factor, sub *subpixel)
	// polarFactor evaluates the polarization of source src at sub.
	polarFactor(st *pixelState, sub *subpixel, src int) float64
	// source: the subpath's scattering vector is computed (before the cut).
	source(st *pixelState, sub *subpixel, p *subpath)
	// background: w bg / div of the water background was added to I
	// (before any running-sum factor).
	background(st *pixelState, w, div float64)
	// latticeTerm: a term's F_latt is computed; term: its F_cell and value
	// too, before it is added to I.
	latticeTerm(st *pixelState, p *subpath, tm *term)
	term(st *pixelState, p *subpath, tm *term)
	// runningFactor: C's running sum I (a term just added) is about to be
	// multiplied by factor f of value v.
	runningFactor(st *pixelState, f factor, v float64)
	// endSubpath, endSubpixel: the subpath's terms, the subpixel's sources are done.
	endSubpath(st *pixelState, sub *subpixel, p *subpath)
	endSubpixel(st *pixelState, sub *subpixel)
	// finish: the pixel is done.
	finish(st *pixelState)
}

// forwardPass is the forward pass: the outputs only.
type forwardPass struct{}

func (forwardPass) sumStage(k sumKind) sumStage {
	switch {
	case k == sumGeneral:
		return sumTerms
	case vectorSums:
		return sumVector
	}
	return sumScalar
}

func (forwardPass) latticeStage(s *Setup) latticeStage { return s.latticeStage(false) }

func (forwardPass) polarFactor(st *pixelState, sub *subpixel, src int) float64 {
	return st.in.polar[src].Factor(st.in.scal[scalKahn], sub.d)
}

func (forwardPass) beginSubpixel(*pixelState, *subpixel)        {}
func (forwardPass) factorAt(*pixelState, factor, *subpixel)     {}
func (forwardPass) source(*pixelState, *subpixel, *subpath)     {}
func (forwardPass) background(*pixelState, float64, float64)    {}
func (forwardPass) latticeTerm(*pixelState, *subpath, *term)    {}
func (forwardPass) term(*pixelState, *subpath, *term)           {}
func (forwardPass) runningFactor(*pixelState, factor, float64)  {}
func (forwardPass) endSubpath(*pixelState, *subpixel, *subpath) {}
func (forwardPass) endSubpixel(*pixelState, *subpixel)          {}
func (forwardPass) finish(*pixelState)                          {}

// passOf is the observer of a pass with optional gradient state gp.
func passOf(gp *pixGrad) observer {
	if gp == nil {
		return forwardPass{}
	}
	return gp
}
