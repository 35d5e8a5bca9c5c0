package sim

import (
	"math"

	"gobragg/config"
	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/dual"
	"gobragg/graph"
)

// wireGraph assembles the graph's experiment from the resolved physics:
// the parameters, packed in the order they have always had (detector,
// cell, orientation, crystal size, structure factors, phi, beam, mosaic
// spread, scale), the sources, mosaic draws and structure-factor table,
// and the kernel's set-up. An -expt_in detector of several panels then
// replaces the single panel.
func (p *Problem) wireGraph(r *resolved) error {
	s := p.Settings
	params := graph.NewParams()
	exp := &graph.Experiment{Params: params}
	p.Exp = exp

	din := r.din
	beamCentreParams(s, &din, p.Geometry, params)
	if math.IsNaN(s.CloseDistance) {
		params.Set(graph.PDistance, din.DistanceM.V)
	} else {
		params.Set(graph.PCloseDistance, s.CloseDistance)
	}
	params.Set(graph.PRotX, s.DetectorRot[0])
	params.Set(graph.PRotY, s.DetectorRot[1])
	params.Set(graph.PRotZ, s.DetectorRot[2])
	params.Set(graph.PTwoTheta, s.Twotheta)
	exp.Detector = din

	crystalParams(r.cell, params)
	exp.Cell = r.cell
	params.Set(graph.PNa, r.na)
	params.Set(graph.PNb, r.nb)
	params.Set(graph.PNc, r.nc)

	gridShape := graph.GridShape{}
	if g := p.Grid; g != nil && g.Count > 0 {
		gridShape = graph.GridShape{Hmin: g.Hmin, Hmax: g.Hmax, Kmin: g.Kmin, Kmax: g.Kmax, Lmin: g.Lmin, Lmax: g.Lmax, Count: g.Count}
		exp.F = append([]float64(nil), g.F...)
	} else {
		exp.F = []float64{0}
	}
	params.Set(graph.PDefaultF, s.DefaultF)
	params.Set(graph.PPhi, s.Phi0)
	params.Set(graph.PPhiStep, s.PhiStep)
	exp.PhiSteps = s.PhiSteps

	params.Set(graph.PLambda, s.Lambda0)
	exp.SourceDistanceM = sourceDistanceM
	exp.SourceGrid = r.sourceGrid
	exp.FileSources = r.fileSources
	exp.SourceWeights = r.sourceWeights

	params.Set(graph.PMosaic, r.spread)
	exp.MosaicDraws = r.mosaicDraws
	exp.MosaicNormal = s.MosaicNormal
	if r.spindleQuantiles != nil {
		params.Set(graph.PMosaicSpindle, s.MosaicSpindle)
		exp.SpindleQuantiles = r.spindleQuantiles
	}
	exp.MosaicOn = r.spread > 0

	params.Set(graph.PFluence, r.fluence)
	params.Set(graph.PPolar, s.Polarization)
	params.Set(graph.PWater, s.WaterSize)
	params.Set(graph.PFudge, s.Fudge)
	exp.Steps = float64(len(r.sources) * s.MosaicDomains * s.PhiSteps * p.Oversample * p.Oversample)
	exp.Setup = kernelSetup(s, r, p.Oversample, p.Geometry.Polar, gridShape)
	if s.ExptPanels != nil {
		return p.usePanelsOf(s)
	}
	return nil
}

// kernelSetup is the kernel's set-up: the detector's sampling, the
// crystal's shape, the loop counts and C's quirks.
func kernelSetup(s *config.Settings, r *resolved, oversample int, polarAxis [3]float64, grid graph.GridShape) graph.Setup {
	return graph.Setup{
		FPixels:         s.FPixels,
		SPixels:         s.SPixels,
		PixelSizeM:      s.PixelSize,
		Oversample:      oversample,
		ThickSteps:      s.DetectorThickSteps,
		ThickStepM:      s.DetectorThickStep,
		DetectorThickM:  s.DetectorThick,
		MuPerM:          s.DetectorMu,
		Curved:          s.CurvedDetector,
		PointPixel:      s.PointPixel,
		OversampleThick: s.OversampleThick,
		OversamplePolar: s.OversamplePolar,
		OversampleOmega: s.OversampleOmega,
		NoPolar:         s.NoPolar,
		PolarAxis:       polarAxis,
		Shape:           s.Shape,
		Interpolate:     r.interpolate,
		WaterZero:       s.WaterSize == 0,
		DminM:           s.Dmin,
		NSources:        len(r.sources),
		NPhi:            s.PhiSteps,
		NMos:            s.MosaicDomains,
		ROI:             s.ROI(),
		Mask:            s.Mask,
		Grid:            grid,
		Quirks:          r.quirks,
	}
}

// crystalParams makes the crystal's inputs parameters: the cell constants
// of -expt_in's vectors and of -cell, the -mat matrix's elements and the
// misset angles.
func crystalParams(c crystal.CellInput, params *graph.Params) {
	names := [6]string{graph.PCellA, graph.PCellB, graph.PCellC, graph.PCellAlpha, graph.PCellBeta, graph.PCellGamma}
	if c.RealCell != nil {
		for i, name := range names {
			params.Set(name, c.RealCell[i].V)
		}
	}
	if c.UserCell {
		for i, v := range [6]dual.Num{c.A, c.B, c.C, c.Alpha, c.Beta, c.Gamma} {
			params.Set(names[i], v.V)
		}
	}
	if c.Mat != nil {
		for i, v := range c.Mat {
			params.Set(graph.MatParam(i/3, i%3), v.V)
		}
	}
	params.Set(graph.PMissetX, c.Misset[0].V)
	params.Set(graph.PMissetY, c.Misset[1].V)
	params.Set(graph.PMissetZ, c.Misset[2].V)
}

// beamCentreParams makes the beam centre a parameter. Where the convention
// takes the default beam centre from the detector size (MOSFLM, DENZO,
// ADXV), or -Xbeam/-Ybeam was given, the effective Xbeam/Ybeam become
// explicit parameters: the geometry is unchanged (the parity tests check
// it). Where the default beam centre is the near point (XDS, DIALS, CUSTOM)
// Xbeam/Ybeam stay derived from -Xclose/-Yclose or -ORGX/-ORGY, so those are
// the parameters, made explicit at their effective values when not given.
func beamCentreParams(s *config.Settings, din *detector.Input, geo detector.Geometry, params *graph.Params) {
	fromNear := s.Convention == detector.XDS || s.Convention == detector.DIALS || s.Convention == detector.Custom
	axes := []struct {
		beam, close, org  string
		given, closeGiven float64
		orgGiven, effBeam float64
		effClose          float64
		beamIn, closeIn   *dual.Num
	}{
		{graph.PXbeam, graph.PXclose, graph.PORGX, s.Xbeam, s.Xclose, s.ORGX, geo.XbeamM, geo.XcloseM, &din.XbeamM, &din.XcloseM},
		{graph.PYbeam, graph.PYclose, graph.PORGY, s.Ybeam, s.Yclose, s.ORGY, geo.YbeamM, geo.YcloseM, &din.YbeamM, &din.YcloseM},
	}
	for _, a := range axes {
		if !fromNear || !math.IsNaN(a.given) {
			*a.beamIn = dual.C(a.effBeam)
			params.Set(a.beam, a.effBeam)
		}
		switch {
		case !math.IsNaN(a.closeGiven):
			params.Set(a.close, a.closeGiven)
		case !math.IsNaN(a.orgGiven):
			params.Set(a.org, a.orgGiven)
		case fromNear && math.IsNaN(a.given):
			*a.closeIn = dual.C(a.effClose)
			params.Set(a.close, a.effClose)
		}
		if !math.IsNaN(a.closeGiven) && !math.IsNaN(a.orgGiven) {
			params.Set(a.org, a.orgGiven)
		}
	}
}
