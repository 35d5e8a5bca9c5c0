package config

import (
	"math"
	"time"

	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/expt"
	"gobragg/physics"
	"gobragg/raster"
)

// Vec3 is a direction or position (x, y, z) in nanoBragg's lab frame.
type Vec3 = [3]float64

// Settings holds every quantity gobragg's command line can set, converted to SI
// units (metres, radians, seconds; dimensionless where noted) exactly as
// nanoBragg.c converts them, so that the same double-precision values reach
// the simulation.
//
// A quantity that nanoBragg marks "not given" with NaN or -1 is NaN here for
// floating-point fields and -1 for integer fields; Resolve fills the ones that
// nanoBragg fills before rendering. The beam-centre family (Xbeam, Ybeam,
// Xclose, Yclose, ORGX, ORGY, CloseDistance) stays NaN after Resolve when not
// given, because its defaults depend on the detector convention and are the
// detector set-up's job.
type Settings struct {
	// Mode is the behaviour profile chosen with -mode (default ModeSpec).
	Mode Mode

	// ---- input files ----

	// MatFile is the MOSFLM-style A matrix file (-mat), "" if none.
	MatFile string
	// HKLFile is the h k l F text file (-hkl), "" if none.
	HKLFile string
	// DumpFile is the binary structure-factor cache (-dump), default "Fdump.bin"
	// in the working directory.
	DumpFile string
	// NoDump turns the DumpFile cache off (-nodump): it is neither written
	// after -hkl nor read without it.
	NoDump bool
	// ImgFile is the SMV file whose header initialises the detector (-img).
	ImgFile string
	// MaskFile is the SMV mask file (-mask).
	MaskFile string
	// SourceFile is the text file of sources: X Y Z weight lambda (-sourcefile).
	SourceFile string
	// StolFile is the S(Q) file (-stol, -4stol or -Q); read but unused by nanoBragg.
	StolFile string
	// StolFileMult is the factor that turns StolFile's first column into
	// sin(theta)/lambda in 1/m: 1e10 for -stol, 1e10/4 for -4stol, 1e10/pi/4 for -Q.
	StolFileMult float64
	// StolOutFile is the S(Q) output file name (-stolout), default "output.stol".
	StolOutFile string

	// Mask holds the -mask pixels (fast index fastest), nil without -mask;
	// a pixel whose value is 0 is not rendered. Its size is MaskWidth x MaskHeight.
	Mask []uint16
	// MaskWidth and MaskHeight are the mask's fast and slow sizes in pixels.
	MaskWidth, MaskHeight int

	// ---- crystal ----

	// UserCell is true when -cell was given (C's user_cell).
	UserCell bool
	// CellAngstrom holds a, b, c as typed after -cell, in Angstrom (0 = not
	// given). Kept in Angstrom because nanoBragg builds the reciprocal cell in
	// Angstrom and only then scales by 1e-10; converting here would change the
	// last bits.
	CellAngstrom [3]float64
	// CellAngles holds alpha, beta, gamma from -cell in radians (0 = not given).
	CellAngles [3]float64
	// CellValues is how many of the six -cell numbers were given (C stops
	// reading at an argument starting with '-').
	CellValues int
	// Misset says whether -misset gave angles, asked for a random orientation,
	// or was not given.
	Misset MissetKind
	// MissetAngles are the -misset rotations about x, y, z in radians.
	MissetAngles Vec3
	// MissetSeed is the seed of the random orientation as C stores it: minus
	// the -misset_seed value; default the clock-based noise seed default
	// (-seed does not change it).
	MissetSeed int64
	// Na, Nb, Nc are the unit cells along a, b, c (-Na, -Nb, -Nc, -N); default 1.
	// Values below 1 are clamped to 1 by the crystal set-up.
	Na, Nb, Nc int
	// NCells are Na, Nb, Nc as real numbers: in spec mode -N/-Na/-Nb/-Nc
	// take any real value (crystal size is a continuous parameter; Na..Nc
	// then hold the values truncated); c-parity keeps C's integers.
	NCells [3]float64
	// SampleX, SampleY, SampleZ are the crystal full widths in metres
	// (-samplesize/-xtalsize and the per-axis options; given in mm); 0 = use N.
	SampleX, SampleY, SampleZ float64
	// Density is the sample density in g/m^3 (-density, given in g/cm^3; default 1e6).
	Density float64
	// MolecularWeight in g/mol (-MW; default 18).
	MolecularWeight float64
	// Shape is the lattice-transform shape (-square_xtal, -round_xtal,
	// -gauss_xtal, -tophat_spots/-binary_spots).
	Shape crystal.Shape
	// Fudge scales the spot-shape argument (-fudge; default 1, dimensionless).
	Fudge float64
	// MosaicSpread is the isotropic mosaic spread in radians (-mosaic, given in
	// degrees); NaN = not given.
	MosaicSpread float64
	// MosaicDomains is the number of mosaic domains (-mosaic_dom); -1 = auto.
	MosaicDomains int
	// MosaicHalton (-mosaic_halton) draws the domains' (r1, r2, r3) from
	// the Halton sequence of bases 2, 3 and 5 instead of C's ran1.
	MosaicHalton bool
	// MosaicNormal (-mosaic_normal, spec mode) turns each domain by a
	// rotation vector of three normal deviates times MosaicSpread: a
	// Gaussian spread of that standard deviation about every axis, instead
	// of C's cap of that radius.
	MosaicNormal bool
	// MosaicSpindle is the rocking mosaic spread in radians (-mosaic_spindle,
	// given in degrees; spec mode): domain m also turns about the spindle
	// by this times a fixed normal quantile. 0 = none.
	MosaicSpindle float64
	// MosaicSeed is the mosaic-domain seed as C stores it (minus the
	// -mosaic_seed value); default -12345678.
	MosaicSeed int64
	// WaterSize is the thickness of the water background in metres (-water,
	// given in micrometres); default 0.
	WaterSize float64

	// ---- structure factors ----

	// DefaultF is the structure factor of reflections not in the table (-default_F).
	DefaultF float64
	// Interpolate is C's interpolate flag: 2 auto, 1 on (-interpolate), 0 off
	// (-nointerpolate).
	Interpolate int

	// ---- beam ----

	// Lambda0 is the central wavelength in metres (-lambda/-wave in Angstrom,
	// or -energy in eV as (12398.42/E)/1e10); default 1e-10.
	Lambda0 float64
	// Dispersion is the spectral width as a fraction (-dispersion, given in
	// percent); default 0.
	Dispersion float64
	// DispSteps is the number of wavelengths (-dispsteps); -1 = auto.
	DispSteps int
	// DispStep is the fractional wavelength step; no option sets it (NaN), Resolve does.
	DispStep float64
	// HDivRange, VDivRange are the divergence ranges in radians (-hdivrange,
	// -vdivrange, -divergence, given in mrad); NaN = not given.
	HDivRange, VDivRange float64
	// HDivStep, VDivStep are the divergence steps in radians (-hdivstep,
	// -vdivstep, given in mrad); NaN = not given.
	HDivStep, VDivStep float64
	// HDivSteps, VDivSteps are the numbers of divergence steps (-hdivsteps,
	// -vdivsteps, -divsteps); -1 = auto.
	HDivSteps, VDivSteps int
	// RoundDiv trims the divergence grid to an ellipse (-round_div, default)
	// instead of the full raster (-square_div).
	RoundDiv bool
	// Polarization is the Kahn polarization factor (-polar; default 0, dimensionless).
	Polarization float64
	// NoPolar turns off the polarization correction (-nopolar).
	NoPolar bool
	// Fluence in photons/m^2 (-fluence; default 1.25932015286227e29).
	Fluence float64
	// Flux in photons/s (-flux; default 0).
	Flux float64
	// Exposure in seconds (-exposure; default 1).
	Exposure float64
	// BeamSize is the beam's full width in metres (-beamsize, given in mm; default 1e-4).
	BeamSize float64
	// Coherent adds amplitudes instead of intensities (-coherent).
	Coherent bool
	// BeamVector is the beam direction (-beam_vector; default 1 0 0).
	BeamVector Vec3
	// PolarVector is the E-vector direction (-polar_vector; default 0 0 1).
	PolarVector Vec3

	// ---- detector geometry ----

	// Convention is the beam-centre convention (-mosflm (default), -xds,
	// -adxv, -denzo, -dials; any custom vector option gives Custom).
	Convention detector.Convention
	// Pivot is the pivot as the options left it, in argument order (-pivot,
	// -distance, -Xbeam ... ); see EffectivePivot for the one the detector uses.
	Pivot detector.Pivot
	// PivotGiven is true when -pivot appeared.
	PivotGiven bool
	// PixelSize in metres (-pixel, given in mm; default 1e-4).
	PixelSize float64
	// FPixels, SPixels are the fast and slow pixel counts (-detpixels*); 0 =
	// derive from the detector size. Resolve sets them.
	FPixels, SPixels int
	// DetsizeF, DetsizeS are the detector sides in metres (-detsize*, given in
	// mm; default 0.1024). When pixel counts are given Resolve sets them to
	// PixelSize*count; otherwise they stay as given and the counts are
	// derived from them.
	DetsizeF, DetsizeS float64
	// Distance from sample to detector along the beam in metres (-distance,
	// given in mm; default 0.1).
	Distance float64
	// CloseDistance is the sample-to-detector-plane distance in metres
	// (-close_distance, given in mm); NaN = derive from Distance.
	CloseDistance float64
	// Xbeam, Ybeam are the direct-beam position in metres (-Xbeam/-Ybeam, given
	// in mm); NaN = convention default.
	Xbeam, Ybeam float64
	// Xclose, Yclose are the near point in metres (-Xclose/-Yclose, given in
	// mm); NaN = default.
	Xclose, Yclose float64
	// ORGX, ORGY are the XDS near point in pixels (-ORGX/-ORGY); NaN = not given.
	ORGX, ORGY float64
	// DetectorRot holds the detector rotations about x, y, z in radians
	// (-detector_rotx/y/z, given in degrees).
	DetectorRot Vec3
	// Twotheta is the detector two-theta swing in radians (-twotheta, given in degrees).
	Twotheta float64
	// TwothetaAxis is the two-theta rotation axis (-twotheta_axis; default 0 1 0,
	// C's initial value, which the non-custom conventions replace).
	TwothetaAxis Vec3
	// FdetVector, SdetVector, OdetVector are the fast, slow and normal
	// detector axes (-fdet_vector ...; defaults 0 0 1, 0 -1 0, 1 0 0).
	FdetVector, SdetVector, OdetVector Vec3
	// Pix0Vector is the vector from the sample to the first pixel in metres
	// (-pix0_vector in metres, -pix0_vector_mm in mm). See UsePix0.
	Pix0Vector Vec3
	// Pix0Given is true when -pix0_vector or -pix0_vector_mm appeared.
	Pix0Given bool
	// Pix0Anchor, set by -expt_in, holds the distance, Xbeam and Ybeam
	// (metres, Custom convention, beam pivot) that Pix0Vector implies;
	// Distance, Xbeam and Ybeam start there and move the detector rigidly
	// from Pix0Vector (see detector.Input.Pix0Anchor). Nil: the origin is
	// fixed, as -pix0_vector fixes it.
	Pix0Anchor *[3]float64
	// SpindleAxis is the phi rotation axis (-spindle_axis; default 0 0 1).
	SpindleAxis Vec3
	// CurvedDetector puts every pixel at the same distance (-curved_det).
	CurvedDetector bool
	// PointPixel uses 1/R^2 as the solid angle (-point_pixel).
	PointPixel bool
	// DetectorMu is the sensor attenuation coefficient in 1/m (-detector_abs,
	// given as attenuation depth in micrometres; "inf" or 0 give 0); NaN = not
	// given (Resolve sets 1/DetectorThick when a thickness is given).
	DetectorMu float64
	// DetectorThick is the sensor thickness in metres (-detector_thick, given
	// in micrometres; default 0).
	DetectorThick float64
	// DetectorThickSteps is the number of sensor layers (-detector_thicksteps,
	// -thicksteps); -1 = auto.
	DetectorThickSteps int
	// DetectorThickStep is the layer thickness in metres; no option sets it
	// (NaN), Resolve does.
	DetectorThickStep float64

	// ---- sampling ----

	// Phi0 is the starting spindle angle in radians (-phi, given in degrees).
	Phi0 float64
	// Osc is the oscillation range in radians (-osc, given in degrees); NaN = auto.
	Osc float64
	// PhiStep is the spindle step in radians (-phistep, given in degrees); NaN = auto.
	PhiStep float64
	// PhiSteps is the number of spindle steps (-phisteps); -1 = auto.
	PhiSteps int
	// Dmin is the smallest d-spacing rendered in metres (-dmin, given in
	// Angstrom); 0 = no cut-off.
	Dmin float64
	// Oversample is the sub-pixel grid per axis (-oversample); -1 = auto
	// (C also treats 0 as auto).
	Oversample int
	// OversampleThick, OversamplePolar, OversampleOmega recompute the sensor
	// absorption, polarization and solid angle per sub-pixel.
	OversampleThick, OversamplePolar, OversampleOmega bool
	// RoiXMin, RoiXMax, RoiYMin, RoiYMax are the inclusive fast and slow pixel
	// limits (-roi xmin xmax ymin ymax); -1 = unset. Resolve sets unset
	// minima to 0 and unset maxima to FPixels / SPixels (as C does).
	RoiXMin, RoiXMax, RoiYMin, RoiYMax int

	// ---- noise and output ----

	// FloatFile is the raw float image (-floatfile; default "floatimage.bin"), always written.
	FloatFile string
	// IntFile is the scaled SMV image (-intfile; default "intimage.img"), always written.
	IntFile string
	// PGMFile is the 8-bit preview (-pgmfile; default "image.pgm").
	PGMFile string
	// NoiseFile is the SMV image with Poisson noise (-noisefile; default "noiseimage.img").
	NoiseFile string
	// WritePGM is true unless -nopgm (-pgmfile and -pgmscale turn it back on).
	WritePGM bool
	// WriteNoise is true unless -nonoise (-noisefile turns it back on).
	WriteNoise bool
	// IntScale multiplies the float image for IntFile (-scale); <= 0 = auto.
	IntScale float64
	// PGMScale multiplies the float image for PGMFile (-pgmscale); <= 0 = auto.
	PGMScale float64
	// ADC is the offset added to SMV pixels (-adc; default 40).
	ADC float64
	// Seed is the noise seed as C stores it: minus the -seed value; default
	// minus the Unix time at parse.
	Seed int64
	// Printout prints pixel values (-printout).
	Printout bool
	// PrintoutFast, PrintoutSlow restrict -printout to one pixel
	// (-printout_pixel fast slow); -1 = every pixel.
	PrintoutFast, PrintoutSlow int
	// TracePixel is the (slow, fast) pixel to trace (-trace_pixel slow fast);
	// -1, -1 = none.
	TracePixel [2]int
	// Progress shows the progress meter (default; -noprogress turns it off).
	Progress bool

	// ---- gobragg extras ----

	// PNGFile is an optional PNG preview (-pngfile); "" = none.
	PNGFile string
	// PNGScale is the PNG preview's stretch scale in photons (-png_scale;
	// imageio.PNGOptions.Soft); 0 = from the image's background.
	PNGScale float64

	// Force lets a run go ahead although its estimated work or memory is
	// above the limits sim checks before rendering (-force).
	Force bool
	// CBFFile is an optional miniCBF noise frame (-cbffile): Poisson
	// counts as signed 32-bit integers, no ADC offset; "" = none.
	CBFFile string
	// ExptFile is an optional DIALS experiment list to write (-expt); "" = none.
	ExptFile string
	// ExptIn is the DIALS experiment list read by -expt_in; "" = none.
	ExptIn string
	// ExptPanels is the experiment -expt_in read when its detector has
	// more than one panel (nil otherwise): the simulation renders its
	// panels (sim.Problem.UsePanels); the single-panel fields hold its
	// first panel.
	ExptPanels *expt.Single
	// ExptIndex is the experiment of ExptIn to simulate (-expt_index,
	// from 0); -1 = the list's only one.
	ExptIndex int
	// CrystalVectorsA are the real-space cell vectors a, b, c in Å at
	// phi = 0 set by -expt_in (nil otherwise; then -cell or -mat set the cell).
	CrystalVectorsA *[3]Vec3

	// Warnings are the WARNING lines nanoBragg would print for these settings,
	// in C's order, filled by Resolve.
	Warnings []string
	// Alerts are gobragg's own warnings for stderr, filled by Resolve: a
	// value accepted only because c-parity mode keeps C's reading of it.
	Alerts []string

	// setBy maps a field name to the option (or header key) that last set it,
	// so that Resolve can name the culprit.
	setBy    map[string]string
	resolved bool
}

// MissetKind says how the crystal orientation is perturbed.
type MissetKind int

const (
	// MissetNone applies no misset rotation.
	MissetNone MissetKind = iota
	// MissetAngles rotates by MissetAngles (x, then y, then z).
	MissetAngles
	// MissetRandom draws a random orientation from MissetSeed.
	MissetRandom
)

// String returns "none", "angles" or "random".
func (k MissetKind) String() string {
	switch k {
	case MissetAngles:
		return "angles"
	case MissetRandom:
		return "random"
	}
	return "none"
}

// rtd is nanoBragg's RTD = 180.0*M_1_PI, computed in float64 at run time so
// that angle conversions v/rtd match C bit for bit.
var rtd = physics.RTD

// piF64 is M_PI as a float64 variable (to keep C's rounding in run-time expressions).
var piF64 float64 = math.Pi

// defaults returns nanoBragg's initial values, with the clock-based noise
// seed taken at call time.
func defaults() *Settings {
	nan := math.NaN()
	seed := -time.Now().Unix()
	return &Settings{
		Mode:         ModeSpec,
		DumpFile:     "Fdump.bin",
		StolFileMult: 1.0e10,
		StolOutFile:  "output.stol",

		MissetSeed:      seed,
		Na:              1,
		NCells:          [3]float64{1, 1, 1},
		Nb:              1,
		Nc:              1,
		Density:         1.0e6,
		MolecularWeight: 18.0,
		Shape:           crystal.Square,
		Fudge:           1,
		MosaicSpread:    nan,
		MosaicDomains:   -1,
		MosaicSeed:      -12345678,

		Interpolate: 2,

		Lambda0:            1.0e-10,
		DispSteps:          -1,
		DispStep:           nan,
		HDivRange:          nan,
		VDivRange:          nan,
		HDivStep:           nan,
		VDivStep:           nan,
		HDivSteps:          -1,
		VDivSteps:          -1,
		RoundDiv:           true,
		Fluence:            125932015286227086360700780544.0,
		Exposure:           1.0,
		BeamSize:           1e-4,
		BeamVector:         Vec3{1, 0, 0},
		PolarVector:        Vec3{0, 0, 1},
		Convention:         detector.MOSFLM,
		Pivot:              detector.PivotBeam,
		PixelSize:          0.1e-3,
		DetsizeF:           102.4e-3,
		DetsizeS:           102.4e-3,
		Distance:           100.0e-3,
		CloseDistance:      nan,
		Xbeam:              nan,
		Ybeam:              nan,
		Xclose:             nan,
		Yclose:             nan,
		ORGX:               nan,
		ORGY:               nan,
		TwothetaAxis:       Vec3{0, 1, 0},
		FdetVector:         Vec3{0, 0, 1},
		SdetVector:         Vec3{0, -1, 0},
		OdetVector:         Vec3{1, 0, 0},
		SpindleAxis:        Vec3{0, 0, 1},
		DetectorMu:         nan,
		DetectorThickSteps: -1,
		DetectorThickStep:  nan,

		Osc:        nan,
		PhiStep:    nan,
		ExptIndex:  -1,
		PhiSteps:   -1,
		Oversample: -1,
		RoiXMin:    -1,
		RoiXMax:    -1,
		RoiYMin:    -1,
		RoiYMax:    -1,

		FloatFile:    "floatimage.bin",
		IntFile:      "intimage.img",
		PGMFile:      "image.pgm",
		NoiseFile:    "noiseimage.img",
		WritePGM:     true,
		WriteNoise:   true,
		ADC:          40.0,
		Seed:         seed,
		PrintoutFast: -1,
		PrintoutSlow: -1,
		TracePixel:   [2]int{-1, -1},
		Progress:     true,

		setBy: map[string]string{},
	}
}

// set records that field was last set by option (for error messages).
func (s *Settings) set(field, option string) {
	if s.setBy == nil {
		s.setBy = map[string]string{}
	}
	s.setBy[field] = option
}

// Origin names what last set the Settings field called field, as errors
// name it: the option, the header key or the experiment list's field; def
// when nothing recorded it.
func (s *Settings) Origin(field, def string) string { return s.origin(field, def) }

// origin names what set field: the option or header key, or def when
// nothing did.
func (s *Settings) origin(field, def string) string {
	if o, ok := s.setBy[field]; ok {
		return o
	}
	return def
}

// ROI is the -roi window as a raster.ROI (fast min, fast max, slow min,
// slow max, inclusive), once Resolve has filled in the unset limits.
func (s *Settings) ROI() raster.ROI {
	return raster.ROI{s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax}
}
