package sim

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gobragg/beam"
	"gobragg/config"
	"gobragg/crand"
	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/dual"
	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/physics"
	reflfile "gobragg/refl"
)

// Dirs says where relative file names point: inputs (-hkl, -mat, -sourcefile,
// -stol) are read from InputDir, outputs and Fdump.bin live in OutputDir.
// The CLI uses the working directory for both. NoDump keeps a command away
// from the Fdump.bin cache altogether, as -nodump does (refine: a fit's
// structure factors come from -hkl or -default_F, never from a table a
// past run left behind).
type Dirs struct {
	InputDir, OutputDir string
	NoDump              bool
}

func (d Dirs) in(name string) string {
	if name == "" || filepath.IsAbs(name) || d.InputDir == "" {
		return name
	}
	return filepath.Join(d.InputDir, name)
}

func (d Dirs) out(name string) string {
	if name == "" || filepath.IsAbs(name) || d.OutputDir == "" {
		return name
	}
	return filepath.Join(d.OutputDir, name)
}

// rtd is nanoBragg's RTD = 180*M_1_PI.
var rtd = physics.RTD

// Problem is a resolved simulation: the graph's experiment plus what the
// command line asks to be written and printed.
type Problem struct {
	Settings *config.Settings
	Dirs     Dirs
	Exp      *graph.Experiment
	Geometry detector.Geometry
	Lattice  crystal.Lattice
	Grid     *crystal.FGrid // nil without a structure-factor table
	Gen      *crand.Generator
	Log      []string // stdout lines in nanoBragg's order, up to the render
	// Alerts are gobragg's warnings for stderr (config's Alerts, a capped
	// oversampling, a leftover dump file read in place of -hkl).
	Alerts []string
	// Derived numbers the outputs need.
	Oversample int
	PhiSteps   int
	Lambda0M   float64
	dumpPath   string // Fdump.bin to write with the outputs ("" for none)
	// ProgressBar, when set (to a terminal), shows Simulate's render as a
	// progress bar instead of nanoBragg's "N% done" lines in the log.
	ProgressBar io.Writer
}

func (p *Problem) logf(format string, args ...any) {
	p.Log = append(p.Log, fmt.Sprintf(format, args...))
}

func (p *Problem) alertf(format string, args ...any) {
	p.Alerts = append(p.Alerts, fmt.Sprintf(format, args...))
}

var fg = imageio.FormatG

// Prepare resolves settings into a Problem: it reads every input file,
// builds the crystal, detector, sources and mosaic domains exactly as
// nanoBragg does and records the lines nanoBragg prints.
func Prepare(s *config.Settings, dirs Dirs) (*Problem, error) {
	if err := s.Resolve(); err != nil {
		return nil, err
	}
	p := &Problem{Settings: s, Dirs: dirs, Gen: crand.New(), Alerts: append([]string(nil), s.Alerts...)}
	params := graph.NewParams()
	exp := &graph.Experiment{Params: params}
	p.Exp = exp
	// The C behaviours to reproduce: all of them in c-parity, none in spec.
	var quirks graph.Quirks
	if s.Mode == config.ModeCParity {
		quirks = graph.CQuirks()
	}
	p.Lambda0M = s.Lambda0

	// Detector geometry.
	din := detectorInput(s)
	geo, err := detector.Build(din)
	if err != nil {
		return nil, fmt.Errorf("detector: %w", err)
	}
	// Every pixel's solid angle is proportional to the close distance
	// (pixel^2 close/R^3), so a plane that does not face the sample gives a
	// negative or empty image; pixels beyond 90 degrees of a panel that
	// faces the sample are fine.
	if d := geo.CloseDistanceM.V; !(d > 0) {
		return nil, &config.UsageError{Option: placedBy(s), Msg: fmt.Sprintf(
			"the detector does not face the sample: the sample lies %s mm behind the detector plane (its normal distance, nanoBragg's close_distance, must be positive), so every pixel's solid angle would be negative or zero",
			fg(-d*1000))}
	}
	beamCentreParams(s, &din, geo, params)
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

	// Interpolation: C decides from the N values as parsed.
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

	// Crystal.
	if err := p.buildCrystal(params); err != nil {
		return nil, err
	}
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
	params.Set(graph.PNa, na)
	params.Set(graph.PNb, nb)
	params.Set(graph.PNc, nc)
	xa, xb, xc := aM*na, bM*nb, cM*nc
	p.logf("crystal is %s x %s x %s microns", fg(xa*1e6), fg(xb*1e6), fg(xc*1e6))
	xmax := math.Max(xa, math.Max(xb, xc))
	if !(xmax <= config.MaxCrystalM) {
		return nil, &config.UsageError{Option: "-N", Msg: fmt.Sprintf(
			"the crystal is %s x %s x %s m (%s x %s x %s cells), above the %s m limit", fg(xa), fg(xb), fg(xc), fg(na), fg(nb), fg(nc), fg(config.MaxCrystalM))}
	}
	recipPixel := s.Lambda0 * geo.DistanceM.V / s.PixelSize
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
	// source file is counted once read, below.
	gridSources := float64(s.DispSteps) * float64(s.HDivSteps) * float64(s.VDivSteps)
	if s.SourceFile != "" {
		gridSources = 1
	}
	if err := p.checkBudget(oversample, gridSources); err != nil {
		return nil, err
	}
	volume := xa * xb * xc
	p.logf("approximate MW = %s", fg(volume*1.2e6*physics.Avogadro/(na*nb*nc)))

	// Structure factors.
	if err := p.loadStructureFactors(); err != nil {
		return nil, err
	}
	gridShape := graph.GridShape{}
	if p.Grid != nil && p.Grid.Count > 0 {
		g := p.Grid
		gridShape = graph.GridShape{Hmin: g.Hmin, Hmax: g.Hmax, Kmin: g.Kmin, Kmax: g.Kmax, Lmin: g.Lmin, Lmax: g.Lmax, Count: g.Count}
		exp.F = append([]float64(nil), g.F...)
	} else {
		interpolate = 0
		exp.F = []float64{0}
	}
	params.Set(graph.PDefaultF, s.DefaultF)

	for t := 0; t < s.DetectorThickSteps; t++ {
		p.logf("thick%d = %s um", t, fg(s.DetectorThickStep*float64(t)*1e6))
	}
	p.PhiSteps = s.PhiSteps
	for t := 0; t < s.PhiSteps; t++ {
		p.logf("phi%d = %s", t, fg((s.Phi0+s.PhiStep*quirks.PhiStepAt(t))*rtd))
	}
	params.Set(graph.PPhi, s.Phi0)
	params.Set(graph.PPhiStep, s.PhiStep)
	exp.PhiSteps = s.PhiSteps

	if s.StolFile != "" {
		if err := checkStolFile(dirs.in(s.StolFile)); err != nil {
			return nil, err
		}
		p.logf("reading %s", s.StolFile)
	}

	// Sources.
	params.Set(graph.PLambda, s.Lambda0)
	exp.SourceDistanceM = 10.0
	exp.SourceGrid = beam.Grid{Lambda0M: dual.C(s.Lambda0), Dispersion: s.Dispersion, DispStep: s.DispStep, DispSteps: s.DispSteps,
		HDivRange: s.HDivRange, HDivStep: s.HDivStep, HDivSteps: s.HDivSteps,
		VDivRange: s.VDivRange, VDivStep: s.VDivStep, VDivSteps: s.VDivSteps, RoundDiv: s.RoundDiv}
	if s.SourceFile != "" {
		fs, err := readSourceFile(dirs.in(s.SourceFile))
		if err != nil {
			return nil, err
		}
		exp.FileSources = fs
	}
	srcs, err := exp.Sources()
	if err != nil {
		return nil, err
	}
	if exp.FileSources != nil {
		p.Log = append(p.Log, beam.Log(nil, srcs)...)
	} else {
		p.Log = append(p.Log, beam.Log(&exp.SourceGrid, srcs)...)
	}
	if len(srcs) == 0 {
		return nil, errors.New("no sources: the divergence and dispersion settings leave no source point")
	}
	if err := p.checkBudget(oversample, float64(len(srcs))); err != nil {
		return nil, err
	}
	if exp.FileSources != nil && s.Mode == config.ModeSpec {
		// Spec mode honours the -sourcefile weights, which C ignores.
		ws := make([]float64, len(srcs))
		for i, src := range srcs {
			ws[i] = src.Weight
		}
		if exp.SourceWeights, err = graph.SourceWeights(ws); err != nil {
			return nil, fmt.Errorf("sourcefile %s: %w", s.SourceFile, err)
		}
	}

	// Mosaic domains: C draws for every domain, then forces domain 0 to identity.
	spread := s.MosaicSpread
	if math.IsNaN(spread) {
		spread = 0
	}
	params.Set(graph.PMosaic, spread)
	if s.MosaicHalton && s.Mode != config.ModeSpec {
		return nil, &config.UsageError{Option: "-mosaic_halton", Msg: "spec mode only (C draws its domains at random)"}
	}
	seed := s.MosaicSeed
	for m := 0; m < s.MosaicDomains; m++ {
		r1, r2, r3 := p.Gen.MosaicDraw(&seed)
		if s.MosaicHalton {
			r1, r2, r3 = crand.HaltonDraw(m + 1)
		}
		exp.MosaicDraws = append(exp.MosaicDraws, [3]float64{r1, r2, r3})
	}
	exp.MosaicOn = spread > 0
	p.logf("  created a total of %d mosaic domains", s.MosaicDomains)

	// Scalars and the kernel set-up.
	fluence := beam.Fluence(s.Fluence, s.Flux, s.Exposure, s.BeamSize)
	params.Set(graph.PFluence, fluence)
	params.Set(graph.PPolar, s.Polarization)
	params.Set(graph.PWater, s.WaterSize)
	params.Set(graph.PFudge, s.Fudge)
	exp.Steps = float64(len(srcs) * s.MosaicDomains * s.PhiSteps * oversample * oversample)
	exp.Setup = graph.Setup{
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
		PolarAxis:       geo.Polar,
		Shape:           s.Shape,
		Interpolate:     interpolate == 1,
		WaterZero:       s.WaterSize == 0,
		DminM:           s.Dmin,
		NSources:        len(srcs),
		NPhi:            s.PhiSteps,
		NMos:            s.MosaicDomains,
		ROI:             [4]int{s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax},
		Mask:            s.Mask,
		Grid:            gridShape,
		Quirks:          quirks,
	}
	if s.ExptPanels != nil {
		if err := p.usePanelsOf(s); err != nil {
			return nil, err
		}
	}

	p.summary(len(srcs), na, nb, nc, fluence, interpolate)
	return p, nil
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

func readSourceFile(path string) (fs []beam.FileSource, err error) {
	err = readInput(path, "sourcefile", func(r io.Reader) error {
		fs, err = beam.ReadSourceFile(r, path)
		return err
	})
	return fs, err
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

// buildCrystal builds the phi = 0 lattice from -cell, -mat and -misset.
func (p *Problem) buildCrystal(params *graph.Params) error {
	s := p.Settings
	in := crystal.CellInput{UserCell: s.UserCell, LambdaM: dual.C(s.Lambda0)}
	if v := s.CrystalVectorsA; v != nil {
		in.RealA = &[3]dual.Vec3{dual.V3(v[0][0], v[0][1], v[0][2]), dual.V3(v[1][0], v[1][1], v[1][2]), dual.V3(v[2][0], v[2][1], v[2][2])}
		// The cell constants of the vectors become parameters (U B): at
		// these values the lattice is the vectors themselves.
		cell := crystal.CellOf([3][3]float64{v[0], v[1], v[2]})
		var rc [6]dual.Num
		for i, name := range []string{graph.PCellA, graph.PCellB, graph.PCellC, graph.PCellAlpha, graph.PCellBeta, graph.PCellGamma} {
			params.Set(name, cell[i])
			rc[i] = dual.C(cell[i])
		}
		in.RealCell = &rc
	}
	if s.UserCell {
		a, b, c := s.CellAngstrom[0], s.CellAngstrom[1], s.CellAngstrom[2]
		al, be, ga := s.CellAngles[0], s.CellAngles[1], s.CellAngles[2]
		// nanoBragg's defaults for values -cell did not give.
		if b <= 0 {
			b = a
		}
		if c <= 0 {
			c = a
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
		in.A, in.B, in.C = dual.C(a), dual.C(b), dual.C(c)
		in.Alpha, in.Beta, in.Gamma = dual.C(al), dual.C(be), dual.C(ga)
		for _, pv := range []struct {
			name string
			v    float64
		}{{graph.PCellA, a}, {graph.PCellB, b}, {graph.PCellC, c}, {graph.PCellAlpha, al}, {graph.PCellBeta, be}, {graph.PCellGamma, ga}} {
			params.Set(pv.name, pv.v)
		}
	}
	if s.MatFile != "" {
		path := p.Dirs.in(s.MatFile)
		var m [9]float64
		if err := readInput(path, "mat", func(r io.Reader) (err error) {
			m, err = crystal.ReadMat(r, path)
			return err
		}); err != nil {
			return err
		}
		p.logf("reading %s", s.MatFile)
		var md [9]dual.Num
		for i, v := range m {
			md[i] = dual.C(v)
			params.Set(graph.MatParam(i/3, i%3), v)
		}
		in.Mat = &md
	}
	switch s.Misset {
	case config.MissetRandom:
		seed := s.MissetSeed
		ang := crand.RandomMisset(p.Gen, &seed)
		p.logf("random orientation misset angles: %f %f %f deg", ang[0]*rtd, ang[1]*rtd, ang[2]*rtd)
		ms := [3]dual.Num{dual.C(ang[0]), dual.C(ang[1]), dual.C(ang[2])}
		in.Misset = &ms
	case config.MissetAngles:
		a := s.MissetAngles
		ms := [3]dual.Num{dual.C(a[0]), dual.C(a[1]), dual.C(a[2])}
		in.Misset = &ms
	}
	if in.Misset == nil {
		// misset_x/y/z are always parameters (0 without -misset), so that
		// orientation can be refined from an indexed matrix: rotations by
		// exact zeros leave every value bit for bit unchanged.
		ms := [3]dual.Num{dual.C(0), dual.C(0), dual.C(0)}
		in.Misset = &ms
	}
	params.Set(graph.PMissetX, in.Misset[0].V)
	params.Set(graph.PMissetY, in.Misset[1].V)
	params.Set(graph.PMissetZ, in.Misset[2].V)
	lat, err := crystal.BuildLattice(in)
	if errors.Is(err, crystal.ErrCell) {
		return &config.UsageError{Option: crystalBy(s), Msg: err.Error()}
	}
	if err != nil {
		return err
	}
	p.Lattice = lat
	p.Exp.Cell = in
	p.Log = append(p.Log, strings.Split(strings.TrimRight(lat.Summary(), "\n"), "\n")...)
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

// loadStructureFactors reads -hkl (and writes Fdump.bin, as C does) or
// reads Fdump.bin, or leaves the table empty for -default_F alone.
func (p *Problem) loadStructureFactors() error {
	s := p.Settings
	dump := p.Dirs.out(s.DumpFile)
	if s.HKLFile != "" {
		path := p.Dirs.in(s.HKLFile)
		p.logf("counting entries in %s", s.HKLFile)
		var refl []crystal.Reflection
		if err := readInput(path, "hkl", func(r io.Reader) (err error) {
			br := bufio.NewReader(r)
			if head, _ := br.Peek(64); reflfile.IsTable(head) {
				refl, err = reflectionsFromTable(br, path, s.Mode)
				return err
			}
			refl, err = crystal.ReadHKL(br, path, crystal.HKLOptions{CParity: s.Mode == config.ModeCParity})
			return err
		}); err != nil {
			return err
		}
		if len(refl) == 0 {
			return fmt.Errorf("hkl %s: not enough HKL indices (no reflection could be read)", path)
		}
		if s.DefaultF != 0 {
			p.logf("initializing to default_F = %s:", fg(s.DefaultF))
			p.logf("done initializing:")
		}
		p.logf("re-reading %s", s.HKLFile)
		p.Grid = crystal.NewFGrid(refl, s.DefaultF)
		// Written with the images (WriteOutputs), once everything has been
		// checked, so a failing run leaves no file behind.
		if !s.NoDump && !p.Dirs.NoDump {
			p.dumpPath = dump
			p.logf("writing dump file for next time: %s", s.DumpFile)
		}
		return nil
	}
	if s.NoDump {
		return p.checkDefaultF("-nodump is given")
	}
	if p.Dirs.NoDump {
		return p.checkDefaultF("this command reads no " + s.DumpFile)
	}
	f, err := os.Open(dump)
	if err == nil {
		defer f.Close()
		p.logf("reading Fs from %s", s.DumpFile)
		g, err := crystal.ReadFdump(f, dump)
		if err != nil {
			return err
		}
		p.Grid = g
		// C reads a dump file left by an earlier run without a word; users
		// rely on that, but a stale table is easy to miss.
		if st, err := f.Stat(); err == nil {
			p.alertf("no -hkl: read %d structure factors from %s, written %s (give -hkl to replace it, -nodump to ignore it)",
				g.Count, dump, st.ModTime().UTC().Format("2006-01-02 15:04:05 UTC"))
		}
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("dump file: %w", err)
	}
	return p.checkDefaultF("there is no " + dump + " to read")
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

// summary appends nanoBragg's parameter summary block.
func (p *Problem) summary(nsrc int, na, nb, nc, fluence float64, interpolate int) {
	s := p.Settings
	hkls := 0
	if p.Grid != nil {
		hkls = p.Grid.Count
	}
	p.logf("  %d initialized hkls (all others =%s)", hkls, fg(s.DefaultF))
	p.logf("  %s xtal: %sx%sx%s cells", s.Shape, cells(na), cells(nb), cells(nc))
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
	p.logf("  incident fluence: %s photons/m^2", fg(fluence))
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
	p.logf("  %d sources", nsrc)
	p.logf("  %d mosaic domains over mosaic spread of %s degrees", s.MosaicDomains, fg(s.MosaicSpread*rtd))
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
	_ = interpolate
}

// cells prints a number of unit cells as C's %.0f, or with its fraction
// when spec mode was given a real number.
func cells(n float64) string {
	if n == math.Trunc(n) {
		return fmt.Sprintf("%.0f", n)
	}
	return fg(n)
}
