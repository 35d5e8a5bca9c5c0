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

// pixel runs C's loop nest for pixel (fp, sp): detector layers x subpixels x
// sources x phi steps x mosaic domains. With gp == nil it only computes the
// outputs; with gp != nil it also accumulates the vector-Jacobian product.
// first marks the pixel whose first subpath uses the unrotated lattice.
func (s *Setup) pixel(in *inputs, fp, sp int, first bool, cut interpCut, gp *pixGrad, tr *tracer) pixelResult {
	pixIdx := sp*s.FPixels + fp
	det := in.det
	na, nb, nc := in.scal[scalNa], in.scal[scalNb], in.scal[scalNc]
	kahn := in.scal[scalKahn]
	fudge := in.scal[scalFudge]
	defaultF := in.scal[scalDefaultF]
	ibg := in.scal[scalIbg]
	os := s.Oversample
	subpix := s.PixelSizeM / float64(os)
	q := s.Quirks
	flagged := s.OversampleThick || s.OversamplePolar || s.OversampleOmega
	// C multiplies the running sum by the oversample_* factors after every term.
	runningSum := flagged && q.RunningSum
	// Without C's last-layer quirk every layer's own capture fraction weights its terms.
	layerCapture := !q.LastLayerCapture && s.DetectorThickM > 0 && !s.OversampleThick
	// weighted: each subpath's terms (and its share of the background) carry
	// the product w of the factors evaluated for that subpath.
	weighted := (flagged && !q.RunningSum) || layerCapture
	nsub := float64(os * os * s.NSources)
	kind := s.fastSum(in, runningSum, gp != nil, tr != nil)
	lattRow := s.NPhi * s.NMos * 9

	res := pixelResult{interpFail: -1}
	I := 0.0
	if !weighted {
		I = ibg
		if gp != nil {
			gp.acc.scal[scalIbg] += gp.gI * math.Exp(gp.logTotal)
		}
	}
	polar := 0.0
	if s.NoPolar {
		polar = 1.0
	}
	omega := 0.0
	capture := 0.0
	logQ := 0.0
	firstDone := !first
	var fc cellValue // reused: its interpolation scratch is large
	var term int64

	for thick := 0; thick < s.ThickSteps; thick++ {
		odet := float64(thick) * s.ThickStepM
		capture = 0.0
		if s.DetectorThickM == 0.0 {
			capture = 1.0
		}
		for subS := 0; subS < os; subS++ {
			for subF := 0; subF < os; subF++ {
				fdet := subpix*float64(fp*os+subF) + subpix/2.0
				sdet := subpix*float64(sp*os+subS) + subpix/2.0
				pos := s.subpixelPosition(det, fdet, sdet, odet)
				d, airpath := physics.Unitize(pos)
				here := subpixelRef{fdet: fdet, sdet: sdet, odet: odet, layer: thick}
				if gp != nil {
					gp.beginSubpixel(here)
				}
				if omega == 0.0 || s.OversampleOmega {
					omega = physics.SolidAngle(s.PixelSizeM, airpath, det[detClose], s.PointPixel)
					if gp != nil {
						gp.setOmegaAt(s, in, here)
					}
				}
				res.omegaSum += omega
				if capture == 0.0 || s.OversampleThick {
					parallax := d[0]*det[detNormal] + d[1]*det[detNormal+1] + d[2]*det[detNormal+2]
					capture = physics.CaptureFraction(thick, s.ThickStepM, s.MuPerM, parallax)
					if gp != nil {
						gp.setCaptureAt(s, in, here)
					}
				}
				if tr != nil {
					tr.subpixel(det, pos, airpath, omega, d)
				}
				for src := 0; src < s.NSources; src++ {
					sv := in.src[src*srcLen : (src+1)*srcLen]
					inc := [3]float64{sv[0], sv[1], sv[2]}
					lambda := sv[3]
					S := [3]float64{(d[0] - inc[0]) / lambda, (d[1] - inc[1]) / lambda, (d[2] - inc[2]) / lambda}
					if tr != nil {
						tr.lastStol = 0.5 * math.Sqrt(S[0]*S[0]+S[1]*S[1]+S[2]*S[2])
						if src == 0 {
							tr.source(inc, lambda, S)
						}
					}
					res.lastInc, res.lastD = inc, d
					if s.DminM > 0.0 {
						stol := 0.5 * math.Sqrt(S[0]*S[0]+S[1]*S[1]+S[2]*S[2])
						if stol > 0.0 && s.DminM > 0.5/stol {
							term += int64(s.NPhi * s.NMos)
							continue
						}
					}
					if polar == 0.0 || s.OversamplePolar {
						polar = physics.Polarization(kahn, inc, d, s.PolarAxis)
						if gp != nil {
							gp.setPolarAt(s, in, here, src)
						}
						if q.PolarUnitizesDiffracted {
							// C's polarization_factor unitizes diffracted in place.
							d, _ = physics.Unitize(d)
						}
					}
					row := 1
					if !firstDone {
						row = 0
						firstDone = true
					}
					if tr != nil {
						tr.firstRow = row == 0
					}
					// The factors folded into this subpath's weight w (1 where not).
					wCap, wPol, wOm := 1.0, 1.0, 1.0
					if weighted {
						if s.OversampleThick || layerCapture {
							wCap = capture
						}
						if s.OversamplePolar {
							wPol = polar
						}
						if s.OversampleOmega {
							wOm = omega
						}
					}
					w := wCap * wPol * wOm
					if weighted {
						I += w * ibg / nsub
					}
					switch kind {
					case sumSquareC:
						I = s.sumSquareCArgs(in, I, w, in.lattice[row*lattRow:(row+1)*lattRow], S)
						continue
					case sumSquareDelta:
						I = s.sumSquareDelta(in, I, w, in.lattice[row*lattRow:(row+1)*lattRow], S)
						continue
					}
					var gS [3]float64 // adjoint of the scattering vector
					sumT := 0.0
					for t := 0; t < s.NPhi; t++ {
						for m := 0; m < s.NMos; m++ {
							tt := term
							term++
							base := ((row*s.NPhi+t)*s.NMos + m) * 9
							L := in.lattice[base : base+9]
							h := L[0]*S[0] + L[1]*S[1] + L[2]*S[2]
							k := L[3]*S[0] + L[4]*S[1] + L[5]*S[2]
							l := L[6]*S[0] + L[7]*S[1] + L[8]*S[2]
							h0 := math.Ceil(h - 0.5)
							k0 := math.Ceil(k - 0.5)
							l0 := math.Ceil(l - 0.5)
							var fl latticeValue
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
							useInterp := s.Interpolate && !(q.InterpolationSwitchOff && cut.off(pixIdx, tt))
							s.cellFactor(&fc, in, h, k, l, int(h0), int(k0), int(l0), defaultF, useInterp)
							if fc.outOfRange && res.interpFail < 0 {
								res.interpFail = tt
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
							if !weighted {
								if gp != nil {
									gt = gp.gI * math.Exp(gp.logTotal-logQ)
								}
								I += tval
								if runningSum {
									// C multiplies the running sum after every term.
									if s.OversampleThick {
										if gp != nil {
											gp.pendCapture += gp.gI * I * math.Exp(gp.logTotal-logQ-math.Log(capture))
										}
										I *= capture
										logQ += math.Log(capture)
									}
									if s.OversamplePolar {
										if gp != nil {
											gp.pendPolar += gp.gI * I * math.Exp(gp.logTotal-logQ-math.Log(polar))
										}
										I *= polar
										logQ += math.Log(polar)
									}
									if s.OversampleOmega {
										if gp != nil {
											gp.pendOmega += gp.gI * I * math.Exp(gp.logTotal-logQ-math.Log(omega))
										}
										I *= omega
										logQ += math.Log(omega)
									}
								}
							} else {
								I += w * tval
								if gp != nil {
									gt = gp.gI * w
								}
							}
							if gp != nil && gt != 0 {
								s.termGrad(gp.acc, in, gt, &fl, &fc, S, L, base, h, k, l, h0, k0, l0, na, nb, nc, fudge, &gS)
							}
						}
					}
					if gp != nil {
						if weighted {
							// dI/dw for this subpath goes to the factors folded into w.
							gw := gp.gI * (ibg/nsub + sumT)
							gp.acc.scal[scalIbg] += gp.gI * w / nsub
							if s.OversampleThick || layerCapture {
								gp.pendCapture += gw * wPol * wOm
							}
							if s.OversamplePolar {
								gp.pendPolar += gw * wCap * wOm
							}
							if s.OversampleOmega {
								gp.pendOmega += gw * wCap * wPol
							}
						}
						gp.scattering(gS, d, S, lambda, src)
					}
				}
				if gp != nil {
					gp.endSubpixel(s, in, pos, d, airpath)
				}
			}
		}
	}
	res.I = I
	res.logQ = logQ
	res.omega, res.polar, res.capture = omega, polar, capture
	if gp != nil {
		if !s.OversampleOmega {
			gp.pendOmega += gp.gOmega
		}
		if !s.OversamplePolar && !s.NoPolar {
			gp.pendPolar += gp.gPolar
		}
		if !s.OversampleThick && !layerCapture {
			gp.pendCapture += gp.gCapture
		}
		gp.finish(s, in)
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
	// square, backward pass only: d factor/d(pi h) and d factor/dN per axis
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
				v.fa, v.dfa, v.dfNa = sincgGrad(math.Pi*h, na)
			}
			if nb > 1 {
				v.fb, v.dfb, v.dfNb = sincgGrad(math.Pi*k, nb)
			}
			if nc > 1 {
				v.fc, v.dfc, v.dfNc = sincgGrad(math.Pi*l, nc)
			}
			v.F = v.fa * v.fb * v.fc
			return
		}
		v.fa, v.fb, v.fc = 1, 1, 1
		F := 1.0
		if na > 1 {
			v.fa = physics.Sincg(math.Pi*h, na)
			F *= v.fa
		}
		if nb > 1 {
			v.fb = physics.Sincg(math.Pi*k, nb)
			F *= v.fb
		}
		if nc > 1 {
			v.fc = physics.Sincg(math.Pi*l, nc)
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
