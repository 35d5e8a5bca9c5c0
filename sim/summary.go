package sim

import (
	"fmt"
	"math"
)

// summary appends nanoBragg's parameter summary block, the last lines
// Prepare records.
func (p *Problem) summary(r *resolved) {
	s := p.Settings
	hkls := 0
	if p.Grid != nil {
		hkls = p.Grid.Count
	}
	p.logf("  %d initialized hkls (all others =%s)", hkls, fg(s.DefaultF))
	p.logf("  %s xtal: %sx%sx%s cells", s.Shape, cells(r.na), cells(r.nb), cells(r.nc))
	p.logf("  wave=%s meters +/- %s%% in %d steps", fg(s.Lambda0), fg(s.Dispersion*100), s.DispSteps)
	if s.NoPolar {
		p.logf("  polarization effect disabled")
	} else {
		p.logf("  Kahn polarization factor: %f", s.Polarization)
	}
	if s.CurvedDetector {
		p.logf("  curved detector: all pixels same distance from origin")
	}
	if s.PointPixel {
		p.logf("  pixel obliquity effect disabled")
	}
	p.logf("  incident fluence: %s photons/m^2", fg(r.fluence))
	dl := p.Geometry.Log()
	p.Log = append(p.Log, dl.Distance)
	mu := s.DetectorMu
	if math.IsNaN(mu) {
		mu = -1
	}
	p.logf("  sensor is %s m thick in %d layers with mu= %s", fg(s.DetectorThick), s.DetectorThickSteps, fg(mu))
	p.Log = append(p.Log, dl.Summary...)
	p.logf("  roi: %d < x < %d && %d < y < %d", s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax)
	p.logf("  hdivrange=%s hdivstep=%s  radians", fg(s.HDivRange), fg(s.HDivStep))
	p.logf("  vdivrange=%s vdivstep=%s  radians", fg(s.VDivRange), fg(s.VDivStep))
	p.logf("  %d sources", len(r.sources))
	p.logf("  %d mosaic domains over mosaic spread of %s degrees", s.MosaicDomains, fg(s.MosaicSpread*rtd))
	if s.MosaicNormal {
		p.logf("  turned by Gaussian rotation vectors of that standard deviation")
	}
	if s.MosaicSpindle != 0 {
		p.logf("  and a rocking spread of %s degrees about the spindle", fg(s.MosaicSpindle*rtd))
	}
	p.logf("  %d phi steps from %s to %s degrees", s.PhiSteps, fg(s.Phi0*rtd), fg((s.Phi0+s.Osc)*rtd))
	line := fmt.Sprintf("  %dx%d pixel oversample steps", p.Oversample, p.Oversample)
	if s.OversampleThick {
		line += " +thick"
	}
	if s.OversamplePolar {
		line += " +polar"
	}
	if s.OversampleOmega {
		line += " +omega"
	}
	p.Log = append(p.Log, line)
	if s.Mask != nil {
		p.logf("  skipping zero-flagged pixels in %s", s.MaskFile)
	}
	if s.WriteNoise {
		p.logf("")
		p.logf("  noise image paramters:")
		p.logf("  seed: %d", s.Seed)
		p.logf("  water droplet size: %s m", fg(s.WaterSize))
	}
}

// cells prints a number of unit cells as C's %.0f, or with its fraction
// when spec mode was given a real number.
func cells(n float64) string {
	if n == math.Trunc(n) {
		return fmt.Sprintf("%.0f", n)
	}
	return fg(n)
}
