package sim

import (
	"errors"
	"fmt"
	"gonum.org/v1/gonum/stat/distuv"
	"math"
	"strings"

	"gobragg/beam"
	"gobragg/config"
	"gobragg/crand"
	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/dual"
	"gobragg/graph"
	"gobragg/physics"
)

// sourceDistanceM is nanoBragg's distance from the sample to every
// source point, in metres.
const sourceDistanceM = 10.0

// resolved is the physics of a run as nanoBragg sets it up, before any of
// it is a graph parameter: what wireGraph needs besides what Problem keeps
// (Geometry, Lattice, Grid, Oversample).
type resolved struct {
	quirks graph.Quirks // the C behaviours to reproduce: all in c-parity, none in spec
	// din is the detector as given; wireGraph makes its beam centre
	// explicit.
	din         detector.Input
	interpolate bool // tricubic interpolation of the structure factors
	cell        crystal.CellInput
	na, nb, nc  float64 // unit cells along a, b and c
	sourceGrid  beam.Grid
	fileSources []beam.FileSource // -sourcefile's (nil for the grid)
	sources     []beam.Source
	// sourceWeights are spec mode's -sourcefile weights (nil otherwise:
	// C ignores them).
	sourceWeights []float64
	spread        float64      // mosaic spread, radians
	mosaicDraws   [][3]float64 // every domain's draws (r1, r2, r3)
	// spindleQuantiles are the rocking mosaic's normal deviates per domain
	// (nil without -mosaic_spindle).
	spindleQuantiles []float64
	fluence          float64 // photons/m^2
}

// resolvePhysics builds the detector, crystal, structure-factor table,
// sources and mosaic domains from the settings and what was read, in
// nanoBragg's order, appending the lines nanoBragg prints to p.Log. It
// reads no file: a failed read's error (in) is returned where nanoBragg
// reads the file.
func (p *Problem) resolvePhysics(in *inputs) (*resolved, error) {
	s := p.Settings
	r := &resolved{}
	if s.Mode == config.ModeCParity {
		r.quirks = graph.CQuirks()
	}
	if err := p.resolveDetector(r); err != nil {
		return nil, err
	}
	r.interpolate = p.autoInterpolate()
	if err := p.resolveCrystal(r, in); err != nil {
		return nil, err
	}
	if err := p.resolveSize(r); err != nil {
		return nil, err
	}
	if err := p.resolveStructureFactors(in.sf); err != nil {
		return nil, err
	}
	if p.Grid == nil || p.Grid.Count == 0 {
		r.interpolate = false
	}
	for t := 0; t < s.DetectorThickSteps; t++ {
		p.logf("thick%d = %s um", t, fg(s.DetectorThickStep*float64(t)*1e6))
	}
	for t := 0; t < s.PhiSteps; t++ {
		p.logf("phi%d = %s", t, fg((s.Phi0+s.PhiStep*r.quirks.PhiStepAt(t))*rtd))
	}
	if s.StolFile != "" {
		if in.stolErr != nil {
			return nil, in.stolErr
		}
		p.logf("reading %s", s.StolFile)
	}
	if err := p.resolveSources(r, in); err != nil {
		return nil, err
	}
	if err := p.resolveMosaic(r); err != nil {
		return nil, err
	}
	r.fluence = beam.Fluence(s.Fluence, s.Flux, s.Exposure, s.BeamSize)
	return r, nil
}

// resolveDetector builds the detector geometry and logs C's detector
// set-up, with the warnings and the banner in C's places.
func (p *Problem) resolveDetector(r *resolved) error {
	s := p.Settings
	r.din = detectorInput(s)
	geo, err := detector.Build(r.din)
	if err != nil {
		return fmt.Errorf("detector: %w", err)
	}
	// Every pixel's solid angle is proportional to the close distance
	// (pixel^2 close/R^3), so a plane that does not face the sample gives a
	// negative or empty image; pixels beyond 90 degrees of a panel that
	// faces the sample are fine.
	if d := geo.CloseDistanceM.V; !(d > 0) {
		return &config.UsageError{Option: placedBy(s), Msg: fmt.Sprintf(
			"the detector does not face the sample: the sample lies %s mm behind the detector plane (its normal distance, nanoBragg's close_distance, must be positive), so every pixel's solid angle would be negative or zero",
			fg(-d*1000))}
	}
	p.Geometry = geo
	dlog := geo.Log()
	// C prints its sample-clipping warnings before the axes are set up
	// and the sampling warnings after its banner.
	var clipping, sampling []string
	for _, w := range s.Warnings {
		if strings.HasPrefix(w, "WARNING: clipping") {
			clipping = append(clipping, w)
		} else {
			sampling = append(sampling, w)
		}
	}
	p.Log = append(p.Log, clipping...)
	p.Log = append(p.Log, dlog.Warnings...)
	p.logf("gobragg nanocrystal diffraction simulator (nanoBragg-compatible, -mode %s)", s.Mode)
	p.Log = append(p.Log, sampling...)
	p.Log = append(p.Log, dlog.Setup...)
	return nil
}

// autoInterpolate resolves C's interpolation flag, deciding "auto" from
// the N values as parsed.
func (p *Problem) autoInterpolate() bool {
	s := p.Settings
	interpolate := s.Interpolate
	if interpolate > 1 {
		if s.Na <= 2 || s.Nb <= 2 || s.Nc <= 2 {
			p.logf("auto-selected tricubic interpolation of structure factors")
			interpolate = 1
		} else {
			p.logf("auto-selected no interpolation")
			interpolate = 0
		}
	}
	return interpolate == 1
}

func detectorInput(s *config.Settings) detector.Input {
	nan := dual.C(math.NaN())
	orNaN := func(v float64) dual.Num {
		if math.IsNaN(v) {
			return nan
		}
		return dual.C(v)
	}
	din := detector.Input{
		Convention:     s.Convention,
		Pivot:          s.EffectivePivot(),
		KeepPivot:      s.Mode == config.ModeSpec && s.PivotGiven,
		FPixels:        s.FPixels,
		SPixels:        s.SPixels,
		PixelSizeM:     s.PixelSize,
		DetsizeFM:      s.DetsizeF,
		DetsizeSM:      s.DetsizeS,
		DistanceM:      dual.C(s.Distance),
		CloseDistanceM: orNaN(s.CloseDistance),
		XbeamM:         orNaN(s.Xbeam),
		YbeamM:         orNaN(s.Ybeam),
		XcloseM:        orNaN(s.Xclose),
		YcloseM:        orNaN(s.Yclose),
		ORGX:           orNaN(s.ORGX),
		ORGY:           orNaN(s.ORGY),
		RotX:           dual.C(s.DetectorRot[0]),
		RotY:           dual.C(s.DetectorRot[1]),
		RotZ:           dual.C(s.DetectorRot[2]),
		TwoTheta:       dual.C(s.Twotheta),
		Fdet:           s.FdetVector,
		Sdet:           s.SdetVector,
		Odet:           s.OdetVector,
		Beam:           s.BeamVector,
		Polar:          s.PolarVector,
		Spindle:        s.SpindleAxis,
		TwoThetaAxis:   s.TwothetaAxis,
	}
	if s.UsePix0() {
		v := s.Pix0Vector
		pix0 := [3]dual.Num{dual.C(v[0]), dual.C(v[1]), dual.C(v[2])}
		din.Pix0M = &pix0
		din.HonourPix0 = true
		din.Pix0Anchor = s.Pix0Anchor
	}
	return din
}

// resolveCrystal builds the phi = 0 lattice from -cell, -mat and -misset.
func (p *Problem) resolveCrystal(r *resolved, in *inputs) error {
	s := p.Settings
	if s.Shape == crystal.GaussHKL && s.Mode != config.ModeSpec {
		return &config.UsageError{Option: "-gauss_hkl", Msg: "spec mode only (C's -gauss_xtal is one radius in 1/Angstrom)"}
	}
	c := crystal.CellInput{UserCell: s.UserCell, LambdaM: dual.C(s.Lambda0)}
	if v := s.CrystalVectorsA; v != nil {
		c.RealA = &[3]dual.Vec3{dual.V3(v[0][0], v[0][1], v[0][2]), dual.V3(v[1][0], v[1][1], v[1][2]), dual.V3(v[2][0], v[2][1], v[2][2])}
		// The cell constants of the vectors become parameters (U B): at
		// these values the lattice is the vectors themselves.
		cell := crystal.CellOf([3][3]float64{v[0], v[1], v[2]})
		var rc [6]dual.Num
		for i := range rc {
			rc[i] = dual.C(cell[i])
		}
		c.RealCell = &rc
	}
	if s.UserCell {
		a, b, cc := s.CellAngstrom[0], s.CellAngstrom[1], s.CellAngstrom[2]
		al, be, ga := s.CellAngles[0], s.CellAngles[1], s.CellAngles[2]
		// nanoBragg's defaults for values -cell did not give.
		if b <= 0 {
			b = a
		}
		if cc <= 0 {
			cc = a
		}
		if al <= 0 {
			al = math.Pi / 2
		}
		if be <= 0 {
			be = math.Pi / 2
		}
		if ga <= 0 {
			ga = math.Pi / 2
		}
		c.A, c.B, c.C = dual.C(a), dual.C(b), dual.C(cc)
		c.Alpha, c.Beta, c.Gamma = dual.C(al), dual.C(be), dual.C(ga)
	}
	if s.MatFile != "" {
		if in.matErr != nil {
			return in.matErr
		}
		p.logf("reading %s", s.MatFile)
		var md [9]dual.Num
		for i, v := range in.mat {
			md[i] = dual.C(v)
		}
		c.Mat = &md
	}
	// misset_x/y/z are always parameters (0 without -misset), so that
	// orientation can be refined from an indexed matrix: rotations by
	// exact zeros leave every value bit for bit unchanged.
	ms := [3]dual.Num{dual.C(0), dual.C(0), dual.C(0)}
	switch s.Misset {
	case config.MissetRandom:
		seed := s.MissetSeed
		ang := crand.RandomMisset(p.Gen, &seed)
		p.logf("random orientation misset angles: %f %f %f deg", ang[0]*rtd, ang[1]*rtd, ang[2]*rtd)
		ms = [3]dual.Num{dual.C(ang[0]), dual.C(ang[1]), dual.C(ang[2])}
	case config.MissetAngles:
		a := s.MissetAngles
		ms = [3]dual.Num{dual.C(a[0]), dual.C(a[1]), dual.C(a[2])}
	}
	c.Misset = &ms
	lat, err := crystal.BuildLattice(c)
	if errors.Is(err, crystal.ErrCell) {
		return &config.UsageError{Option: crystalBy(s), Msg: err.Error()}
	}
	if err != nil {
		return err
	}
	p.Lattice = lat
	r.cell = c
	p.Log = append(p.Log, strings.Split(strings.TrimRight(lat.Summary(), "\n"), "\n")...)
	return nil
}

// resolveSize sizes the crystal in unit cells (from -N, or -samplesize
// over the cell), refuses one above config.MaxCrystalM, chooses the pixel
// oversampling the crystal asks for (unless -oversample) and checks the
// render's budget.
func (p *Problem) resolveSize(r *resolved) error {
	s := p.Settings
	lat := p.Lattice
	na, nb, nc := s.NCells[0], s.NCells[1], s.NCells[2]
	aM, bM, cM := lat.A.Norm().V, lat.B.Norm().V, lat.C.Norm().V
	if s.SampleX > 0 {
		na = math.Ceil(s.SampleX / aM)
	}
	if s.SampleY > 0 {
		nb = math.Ceil(s.SampleY / bM)
	}
	if s.SampleZ > 0 {
		nc = math.Ceil(s.SampleZ / cM)
	}
	na, nb, nc = math.Max(na, 1), math.Max(nb, 1), math.Max(nc, 1)
	r.na, r.nb, r.nc = na, nb, nc
	xa, xb, xc := aM*na, bM*nb, cM*nc
	p.logf("crystal is %s x %s x %s microns", fg(xa*1e6), fg(xb*1e6), fg(xc*1e6))
	xmax := math.Max(xa, math.Max(xb, xc))
	if !(xmax <= config.MaxCrystalM) {
		return &config.UsageError{Option: "-N", Msg: fmt.Sprintf(
			"the crystal is %s x %s x %s m (%s x %s x %s cells), above the %s m limit", fg(xa), fg(xb), fg(xc), fg(na), fg(nb), fg(nc), fg(config.MaxCrystalM))}
	}
	recipPixel := s.Lambda0 * p.Geometry.DistanceM.V / s.PixelSize
	// In float64 first: degenerate geometry can ask for more than an int holds.
	recommended := math.Ceil(3.0 * xmax / recipPixel)
	if !(recommended > 0) {
		recommended = 1
	}
	oversample := s.Oversample
	if oversample <= 0 {
		oversample = p.capOversample(recommended)
		p.logf("auto-selected %d-fold oversampling", oversample)
	}
	if float64(oversample) < recommended {
		p.logf("WARNING: maximum dimension of sample is %s A", fg(xmax*1e10))
		p.logf("         but reciprocal pixel size is %s A", fg(recipPixel*1e10))
		p.logf("         intensity may vary significantly across a pixel!")
		p.logf("         recommend -oversample %.0f to work around this", recommended)
	}
	p.Oversample = oversample
	// The grid's source count is an upper bound (-round_div trims it); a
	// source file is counted once read, in resolveSources.
	gridSources := float64(s.DispSteps) * float64(s.HDivSteps) * float64(s.VDivSteps)
	if s.SourceFile != "" {
		gridSources = 1
	}
	if err := p.checkBudget(oversample, gridSources); err != nil {
		return err
	}
	volume := xa * xb * xc
	p.logf("approximate MW = %s", fg(volume*1.2e6*physics.Avogadro/(na*nb*nc)))
	return nil
}

// resolveStructureFactors makes the structure-factor table from -hkl (to
// be written to Fdump.bin with the outputs, as C does) or from a dump
// file, or leaves it empty for -default_F alone.
func (p *Problem) resolveStructureFactors(sf sfInput) error {
	s := p.Settings
	switch {
	case s.HKLFile != "":
		p.logf("counting entries in %s", s.HKLFile)
		if sf.err != nil {
			return sf.err
		}
		if s.DefaultF != 0 {
			p.logf("initializing to default_F = %s:", fg(s.DefaultF))
			p.logf("done initializing:")
		}
		p.logf("re-reading %s", s.HKLFile)
		p.Grid = crystal.NewFGrid(sf.refl, s.DefaultF)
		// Written with the images (WriteOutputs), once everything has been
		// checked, so a failing run leaves no file behind.
		if !s.NoDump && !p.Dirs.NoDump {
			p.dumpPath = p.Dirs.out(s.DumpFile)
			p.logf("writing dump file for next time: %s", s.DumpFile)
		}
	case sf.dumpOpened:
		p.logf("reading Fs from %s", s.DumpFile)
		if sf.err != nil {
			return sf.err
		}
		p.Grid = sf.dump
		// C reads a dump file left by an earlier run without a word; users
		// rely on that, but a stale table is easy to miss.
		if sf.dated {
			p.alertf("no -hkl: read %d structure factors from %s, written %s (give -hkl to replace it, -nodump to ignore it)",
				sf.dump.Count, p.Dirs.out(s.DumpFile), sf.written.UTC().Format("2006-01-02 15:04:05 UTC"))
		}
	case sf.err != nil:
		return sf.err
	default:
		return p.checkDefaultF(sf.none)
	}
	return nil
}

// checkDefaultF refuses a run without a structure-factor table whose
// -default_F is 0: every structure factor, and so the image, would be 0.
func (p *Problem) checkDefaultF(why string) error {
	if p.Settings.DefaultF == 0 {
		return &config.UsageError{Option: "-default_F", Msg: fmt.Sprintf(
			"is 0 with no -hkl FILE and %s: no structure factors, every one would be 0 (give -hkl FILE, or -default_F above 0)", why)}
	}
	return nil
}

// resolveSources makes the sources: the -sourcefile's, or the grid of
// divergence and dispersion steps.
func (p *Problem) resolveSources(r *resolved, in *inputs) error {
	s := p.Settings
	r.sourceGrid = beam.Grid{Lambda0M: dual.C(s.Lambda0), Dispersion: s.Dispersion, DispStep: s.DispStep, DispSteps: s.DispSteps,
		HDivRange: s.HDivRange, HDivStep: s.HDivStep, HDivSteps: s.HDivSteps,
		VDivRange: s.VDivRange, VDivStep: s.VDivStep, VDivSteps: s.VDivSteps, RoundDiv: s.RoundDiv}
	if s.SourceFile != "" {
		if in.sourcesErr != nil {
			return in.sourcesErr
		}
		r.fileSources = in.sources
	}
	geo := p.Geometry
	if r.fileSources != nil {
		r.sources = beam.FromFile(r.fileSources, geo.Beam.Values(), r.sourceGrid.Lambda0M, sourceDistanceM)
		p.Log = append(p.Log, beam.Log(nil, r.sources)...)
	} else {
		r.sources = beam.FromGrid(r.sourceGrid, geo.Beam.Values(), geo.Polar, geo.Vert, sourceDistanceM)
		p.Log = append(p.Log, beam.Log(&r.sourceGrid, r.sources)...)
	}
	if len(r.sources) == 0 {
		return errors.New("no sources: the divergence and dispersion settings leave no source point")
	}
	if err := p.checkBudget(p.Oversample, float64(len(r.sources))); err != nil {
		return err
	}
	if r.fileSources != nil && s.Mode == config.ModeSpec {
		// Spec mode honours the -sourcefile weights, which C ignores.
		ws := make([]float64, len(r.sources))
		for i, src := range r.sources {
			ws[i] = src.Weight
		}
		var err error
		if r.sourceWeights, err = graph.SourceWeights(ws); err != nil {
			return fmt.Errorf("sourcefile %s: %w", s.SourceFile, err)
		}
	}
	return nil
}

// resolveMosaic draws the mosaic domains: C draws for every domain (and
// the kernel then forces domain 0 to identity).
func (p *Problem) resolveMosaic(r *resolved) error {
	s := p.Settings
	r.spread = s.MosaicSpread
	if math.IsNaN(r.spread) {
		r.spread = 0
	}
	if s.MosaicHalton && s.Mode != config.ModeSpec {
		return &config.UsageError{Option: "-mosaic_halton", Msg: "spec mode only (C draws its domains at random)"}
	}
	if s.MosaicNormal && s.Mode != config.ModeSpec {
		return &config.UsageError{Option: "-mosaic_normal", Msg: "spec mode only (C turns its domains within a cap)"}
	}
	if s.MosaicSpindle != 0 {
		switch {
		case s.Mode != config.ModeSpec:
			return &config.UsageError{Option: "-mosaic_spindle", Msg: "spec mode only (C's domains turn isotropically)"}
		case r.spread <= 0 || s.MosaicDomains < 2:
			return &config.UsageError{Option: "-mosaic_spindle", Msg: "needs -mosaic > 0 and at least 2 -mosaic_domains (the domains carry both spreads)"}
		}
		r.spindleQuantiles = spindleQuantiles(s.MosaicDomains)
	}
	seed := s.MosaicSeed
	for m := 0; m < s.MosaicDomains; m++ {
		r1, r2, r3 := p.Gen.MosaicDraw(&seed)
		if s.MosaicHalton {
			r1, r2, r3 = crand.HaltonDraw(m + 1)
		}
		r.mosaicDraws = append(r.mosaicDraws, [3]float64{r1, r2, r3})
	}
	p.logf("  created a total of %d mosaic domains", s.MosaicDomains)
	return nil
}

// crystalBy names what gave the crystal: the -expt_in list's crystal, -mat
// or -cell.
func crystalBy(s *config.Settings) string {
	switch {
	case s.CrystalVectorsA != nil:
		return s.Origin("CrystalVectorsA", "-expt_in")
	case s.MatFile != "":
		return "-mat " + s.MatFile
	}
	return "-cell"
}

// placedBy names what placed the detector: the origin (-pix0_vector or an
// -expt_in list's panel origin) or else the rotations and axes that turn
// the plane.
func placedBy(s *config.Settings) string {
	if s.UsePix0() {
		return s.Origin("Pix0Vector", "-pix0_vector")
	}
	var opts []string
	if s.Twotheta != 0 {
		opts = append(opts, "-twotheta")
	}
	for i, r := range s.DetectorRot {
		if r != 0 {
			opts = append(opts, "-detector_rot"+"xyz"[i:i+1])
		}
	}
	if len(opts) == 0 {
		return "-odet_vector"
	}
	return strings.Join(opts, " ")
}

// spindleQuantiles are the rocking mosaic's fixed normal deviates of n
// domains: 0 for domain 0, which stays unrotated as in C, and the
// mid-quantiles of n-1 equal strata for the others, so that the domains'
// turns about the spindle sample a normal distribution evenly.
func spindleQuantiles(n int) []float64 {
	z := make([]float64, n)
	for m := 1; m < n; m++ {
		z[m] = distuv.UnitNormal.Quantile((float64(m) - 0.5) / float64(n-1))
	}
	return z
}
