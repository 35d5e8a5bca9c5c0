package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/physics"
)

// group is a heading of the usage text.
type group int

const (
	gCrystal group = iota
	gStructure
	gBeam
	gDetector
	gSampling
	gOutput
	gExtras
)

var groupTitles = [...]string{
	gCrystal:   "Crystal",
	gStructure: "Structure factors",
	gBeam:      "Beam",
	gDetector:  "Detector geometry",
	gSampling:  "Sampling",
	gOutput:    "Noise and output",
	gExtras:    "gobragg extras",
}

// Special arities of an option (values >= 0 are a fixed count of values).
const (
	argsCell   = -1 // 1 to 6 numbers, stopping at an argument that starts with '-'
	argsMisset = -2 // "random" or three angles
)

// option is one row of the table that both Parse and Usage read.
type option struct {
	names []string // canonical spelling first, then every accepted alias
	group group
	nargs int    // number of values, or argsCell / argsMisset
	args  string // value placeholder for the usage text, units included
	help  string
	// def formats the default in the option's units from a fresh Settings;
	// nil when there is nothing useful to show.
	def func(s *Settings) string
	// apply stores the values; name is the spelling used, idx its position in args.
	apply func(c *ctx, name string, v []string) error
}

// ctx is the state while options are applied.
type ctx struct {
	s    *Settings
	args []string // the full argument list (for c-parity look-ahead)
	idx  int      // position of the option being applied
}

func (c *ctx) cparity() bool { return c.s.Mode == ModeCParity }

// g formats x like C's %g.
func g(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func gq(x float64) string {
	if math.IsNaN(x) {
		return "unset"
	}
	return g(x)
}

// Option constructors. Each conversion copies nanoBragg.c's arithmetic (a
// division by 1000.0 is not a multiplication by 1e-3).

// floatOpt is an option with one number, stored by set.
func floatOpt(names []string, gr group, args, help string, def func(*Settings) string,
	set func(c *ctx, name string, x float64) error) option {
	return option{names: names, group: gr, nargs: 1, args: args, help: help, def: def,
		apply: func(c *ctx, name string, v []string) error {
			x, err := parseFloat(name, v[0])
			if err != nil {
				return err
			}
			return set(c, name, x)
		}}
}

// intOpt is an option with one integer.
func intOpt(names []string, gr group, args, help string, def func(*Settings) string,
	set func(c *ctx, name string, n int) error) option {
	return option{names: names, group: gr, nargs: 1, args: args, help: help, def: def,
		apply: func(c *ctx, name string, v []string) error {
			n, err := parseInt(name, v[0])
			if err != nil {
				return err
			}
			return set(c, name, n)
		}}
}

// stringOpt is an option with one file name or word.
func stringOpt(names []string, gr group, args, help string, def func(*Settings) string,
	set func(c *ctx, name, v string) error) option {
	return option{names: names, group: gr, nargs: 1, args: args, help: help, def: def,
		apply: func(c *ctx, name string, v []string) error {
			if v[0] == "" {
				return usagef(name, "value is empty (give a file name or word)")
			}
			return set(c, name, v[0])
		}}
}

// flagOpt is an option without a value.
func flagOpt(names []string, gr group, help string, set func(c *ctx, name string) error) option {
	return option{names: names, group: gr, nargs: 0, help: help,
		apply: func(c *ctx, name string, v []string) error { return set(c, name) }}
}

// vecOpt is an option with three numbers.
func vecOpt(names []string, gr group, args, help string, def func(*Settings) string,
	set func(c *ctx, name string, x Vec3) error) option {
	return option{names: names, group: gr, nargs: 3, args: args, help: help, def: def,
		apply: func(c *ctx, name string, v []string) error {
			var x Vec3
			for i := range x {
				var err error
				if x[i], err = parseFloat(name, v[i]); err != nil {
					return err
				}
			}
			return set(c, name, x)
		}}
}

func names(n ...string) []string { return n }

func vecText(v Vec3) string { return g(v[0]) + " " + g(v[1]) + " " + g(v[2]) }

func positive(name string, x float64, what string) error {
	if x <= 0 {
		return usagef(name, "%s must be positive, got %s", what, g(x))
	}
	return nil
}

func nonNegativeInt(name string, n int, what string) error {
	if n < 0 {
		return usagef(name, "%s must not be negative, got %d", what, n)
	}
	return nil
}

func positiveInt(name string, n int, what string) error {
	if n <= 0 {
		return usagef(name, "%s must be positive, got %d", what, n)
	}
	return nil
}

// isRandomWord reports whether a -misset value asks for a random orientation:
// "random" or "rand"; in c-parity mode any word containing "rand" (C strstr).
func isRandomWord(v string, mode Mode) bool {
	if mode == ModeCParity {
		return strings.Contains(v, "rand")
	}
	return v == "random" || v == "rand"
}

// table lists every option gobragg accepts: nanoBragg.c's options under their
// full spellings plus the shortened or alternative spellings C's substring
// matching lets users type, and gobragg's own additions.
var table []option

// byName maps every accepted spelling to its row.
var byName map[string]*option

func init() {
	table = buildTable()
	byName = map[string]*option{}
	for i := range table {
		for _, n := range table[i].names {
			if _, dup := byName[n]; dup {
				panic("config: option spelled twice: " + n)
			}
			byName[n] = &table[i]
		}
	}
}

func buildTable() []option {
	// -N/-Na/-Nb/-Nc: integers in c-parity mode (as C reads them), real
	// numbers in spec mode.
	setN := func(which string) func(c *ctx, name string, v []string) error {
		return func(c *ctx, name string, v []string) error {
			var x float64
			if c.cparity() {
				n, err := parseInt(name, v[0])
				if err != nil {
					return err
				}
				if err := nonNegativeInt(name, n, "number of unit cells"); err != nil {
					return err
				}
				x = float64(n)
			} else {
				f, err := parseFloat(name, v[0])
				if err != nil {
					return err
				}
				if f < 0 {
					return usagef(name, "number of unit cells must not be negative, got %s", v[0])
				}
				if math.IsNaN(f) || f > math.MaxInt32 {
					return usagef(name, "number of unit cells must be finite, got %s", v[0])
				}
				x = f
			}
			s := c.s
			axes := map[string][]int{"a": {0}, "b": {1}, "c": {2}, "abc": {0, 1, 2}}[which]
			for _, a := range axes {
				s.NCells[a] = x
			}
			s.Na, s.Nb, s.Nc = int(s.NCells[0]), int(s.NCells[1]), int(s.NCells[2])
			return nil
		}
	}
	nOpt := func(name, help string, def func(s *Settings) string, which string) option {
		return option{names: names(name), group: gCrystal, nargs: 1, args: "<cells>", help: help, def: def, apply: setN(which)}
	}
	nDef := func(a int) func(s *Settings) string {
		return func(s *Settings) string { return strconv.FormatFloat(s.NCells[a], 'g', -1, 64) }
	}
	mmSample := func(axes string) func(c *ctx, name string, x float64) error {
		return func(c *ctx, name string, x float64) error {
			if x < 0 {
				return usagef(name, "crystal size must not be negative, got %s", g(x))
			}
			for _, a := range axes {
				switch a {
				case 'x':
					c.s.SampleX = x / 1000
				case 'y':
					c.s.SampleY = x / 1000
				case 'z':
					c.s.SampleZ = x / 1000
				}
			}
			return nil
		}
	}
	convention := func(conv detector.Convention, piv detector.Pivot) func(c *ctx, name string) error {
		return func(c *ctx, name string) error {
			c.s.Convention = conv
			c.s.Pivot = piv
			return nil
		}
	}
	custom := func(dst func(s *Settings) *Vec3) func(c *ctx, name string, x Vec3) error {
		return func(c *ctx, name string, x Vec3) error {
			c.s.Convention = detector.Custom
			*dst(c.s) = x
			return nil
		}
	}
	mm := func(x float64) string { return g(x * 1000) }
	deg := func(x float64) string { return g(x * rtd) }

	t := []option{
		// ---------------- crystal ----------------
		{names: names("-cell"), group: gCrystal, nargs: argsCell, args: "a b c alpha beta gamma",
			help: "unit cell in Angstrom and degrees (alternative to -mat), all six values; c-parity mode also takes fewer, as C: missing b, c = a, missing angles 90",
			apply: func(c *ctx, name string, v []string) error {
				s := c.s
				s.UserCell = true
				s.CellValues = len(v)
				for i, a := range v {
					x, err := parseFloat(name, a)
					if err != nil {
						return err
					}
					if i < 3 {
						s.CellAngstrom[i] = x
					} else {
						s.CellAngles[i-3] = x / rtd
					}
				}
				return nil
			}},
		{names: names("-misset"), group: gCrystal, nargs: argsMisset, args: "rotx roty rotz | random",
			help: "crystal misset rotations about x, y, z in degrees, or a random orientation",
			apply: func(c *ctx, name string, v []string) error {
				s := c.s
				if len(v) == 1 {
					s.Misset = MissetRandom
					return nil
				}
				var a Vec3
				for i := range a {
					x, err := parseFloat(name, v[i])
					if err != nil {
						return err
					}
					a[i] = x / rtd
				}
				s.Misset, s.MissetAngles = MissetAngles, a
				return nil
			}},
		intOpt(names("-misset_seed"), gCrystal, "<int>", "seed of -misset random",
			func(*Settings) string { return "the clock-based -seed default" },
			func(c *ctx, name string, n int) error {
				if c.cparity() {
					cParityMissetSeed(c)
				}
				c.s.MissetSeed = -int64(n)
				return nil
			}),
		nOpt("-N", "unit cells along a, b and c (values below 1 count as 1; real in spec mode)", nDef(0), "abc"),
		nOpt("-Na", "unit cells along a", nDef(0), "a"),
		nOpt("-Nb", "unit cells along b", nDef(1), "b"),
		nOpt("-Nc", "unit cells along c", nDef(2), "c"),
		floatOpt(names("-samplesize", "-sample_size", "-xtalsize", "-xtal_size"), gCrystal, "<mm>",
			"crystal full width along x, y and z (alternative to -N)", func(s *Settings) string { return "from -N" }, mmSample("xyz")),
		floatOpt(names("-sample_thick", "-sample_x", "-xtal_thick", "-xtal_x"), gCrystal, "<mm>",
			"crystal full width along x (the beam)", nil, mmSample("x")),
		floatOpt(names("-sample_width", "-sample_y", "-xtal_width", "-xtal_y", "-width"), gCrystal, "<mm>",
			"crystal full width along y", nil, mmSample("y")),
		floatOpt(names("-sample_height", "-sample_z", "-xtal_height", "-xtal_z", "-height"), gCrystal, "<mm>",
			"crystal full width along z", nil, mmSample("z")),
		floatOpt(names("-density", "-sample_density", "-sample_den"), gCrystal, "<g/cm^3>", "sample density",
			func(s *Settings) string { return g(s.Density / 1e6) },
			func(c *ctx, name string, x float64) error { c.s.Density = x * 1e6; return nil }),
		floatOpt(names("-MW", "-molecular_weight", "-molec"), gCrystal, "<g/mol>", "molecular weight",
			func(s *Settings) string { return g(s.MolecularWeight) },
			func(c *ctx, name string, x float64) error { c.s.MolecularWeight = x; return nil }),
		flagOpt(names("-square_xtal"), gCrystal, "parallelepiped crystal: sincg lattice transform (default)",
			func(c *ctx, name string) error { c.s.Shape = crystal.Square; return nil }),
		flagOpt(names("-round_xtal"), gCrystal, "ellipsoidal crystal: sinc3 lattice transform",
			func(c *ctx, name string) error { c.s.Shape = crystal.Round; return nil }),
		flagOpt(names("-gauss_xtal"), gCrystal, "Gaussian spots: no inter-Bragg maxima",
			func(c *ctx, name string) error { c.s.Shape = crystal.Gauss; return nil }),
		flagOpt(names("-gauss_hkl"), gCrystal, "Gaussian spots 1/Na, 1/Nb, 1/Nc of an index wide along a*, b*, c* (spec mode)",
			func(c *ctx, name string) error { c.s.Shape = crystal.GaussHKL; return nil }),
		flagOpt(names("-tophat_spots", "-binary_spots"), gCrystal, "flat-topped spots clipped at the FWHM",
			func(c *ctx, name string) error { c.s.Shape = crystal.Tophat; return nil }),
		floatOpt(names("-fudge"), gCrystal, "<factor>", "spot-shape scale factor (dimensionless)",
			func(s *Settings) string { return g(s.Fudge) },
			func(c *ctx, name string, x float64) error { c.s.Fudge = x; return nil }),
		floatOpt(names("-mosaic", "-mosaici", "-mosaic_spread", "-mosaic_spr"), gCrystal, "<deg>",
			"isotropic mosaic spread (90 for powder)", func(*Settings) string { return "0" },
			func(c *ctx, name string, x float64) error { c.s.MosaicSpread = x / rtd; return nil }),
		intOpt(names("-mosaic_domains", "-mosaic_dom"), gCrystal, "<int>", "number of mosaic domains",
			func(*Settings) string { return "1, or 10 with a mosaic spread" },
			func(c *ctx, name string, n int) error { c.s.MosaicDomains = n; return nil }),
		flagOpt(names("-mosaic_halton"), gCrystal, "place the mosaic domains on a Halton sequence, not at random: a smoother spot profile for as many domains (spec mode)",
			func(c *ctx, name string) error { c.s.MosaicHalton = true; return nil }),
		flagOpt(names("-mosaic_normal"), gCrystal, "turn each domain by a rotation vector of three normal deviates times -mosaic: a Gaussian mosaic of that standard deviation about every axis (DIALS's sigma_m about the spindle), not C's cap of that radius (spec mode)",
			func(c *ctx, name string) error { c.s.MosaicNormal = true; return nil }),
		floatOpt(names("-mosaic_spindle"), gCrystal, "<deg>",
			"rocking mosaic spread: each domain also turns about the spindle by a normal quantile times this, which widens the rocking curve and not the spot (DIALS's sigma_m; spec mode, with -mosaic)",
			func(*Settings) string { return "0" },
			func(c *ctx, name string, x float64) error { c.s.MosaicSpindle = x / rtd; return nil }),
		intOpt(names("-mosaic_seed"), gCrystal, "<int>", "seed of the mosaic domain orientations",
			func(s *Settings) string { return strconv.FormatInt(-s.MosaicSeed, 10) },
			func(c *ctx, name string, n int) error { c.s.MosaicSeed = -int64(n); return nil }),
		floatOpt(names("-water"), gCrystal, "<um>", "thickness of water around the crystal, for a uniform background",
			func(s *Settings) string { return g(s.WaterSize * 1e6) },
			func(c *ctx, name string, x float64) error { c.s.WaterSize = x / 1e6; return nil }),

		// ---------------- structure factors ----------------
		stringOpt(names("-mat"), gStructure, "<file>", "MOSFLM-style A matrix (reciprocal cell vectors scaled by 1/lambda)", nil,
			func(c *ctx, name, v string) error { c.s.MatFile = v; return nil }),
		stringOpt(names("-hkl"), gStructure, "<file>", "text file of h k l F (P1, no symmetry applied), or (spec mode) a DIALS reflection table: F = sqrt(max(I, 0)) of its integrated intensities, averaged per hkl", nil,
			func(c *ctx, name, v string) error { c.s.HKLFile = v; return nil }),
		floatOpt(names("-default_F"), gStructure, "<F>", "structure factor of every reflection not in the table",
			func(s *Settings) string { return g(s.DefaultF) },
			func(c *ctx, name string, x float64) error { c.s.DefaultF = x; return nil }),
		stringOpt(names("-dump"), gStructure, "<file>", "binary structure-factor cache, in the output directory: written after -hkl, read without it (a warning names it)",
			func(s *Settings) string { return s.DumpFile },
			func(c *ctx, name, v string) error { c.s.DumpFile = v; return nil }),
		flagOpt(names("-nodump"), gStructure, "neither write the -dump cache after -hkl nor read it without -hkl (gobragg extra)",
			func(c *ctx, name string) error { c.s.NoDump = true; return nil }),
		flagOpt(names("-interpolate"), gStructure, "tricubic interpolation of F between Bragg peaks (default: on when any N <= 2)",
			func(c *ctx, name string) error { c.s.Interpolate = 1; return nil }),
		flagOpt(names("-nointerpolate"), gStructure, "no interpolation of F",
			func(c *ctx, name string) error { c.s.Interpolate = 0; return nil }),
		stringOpt(names("-stol"), gStructure, "<file>", "S(Q) file with sin(theta)/lambda in 1/Angstrom (read, unused)", nil,
			func(c *ctx, name, v string) error { c.s.StolFile, c.s.StolFileMult = v, 1e10; return nil }),
		stringOpt(names("-4stol"), gStructure, "<file>", "S(Q) file with 4 sin(theta)/lambda in 1/Angstrom (read, unused)", nil,
			func(c *ctx, name, v string) error { c.s.StolFile, c.s.StolFileMult = v, 1e10/4; return nil }),
		stringOpt(names("-Q"), gStructure, "<file>", "S(Q) file with Q = 4 pi sin(theta)/lambda in 1/Angstrom (read, unused)", nil,
			func(c *ctx, name, v string) error { c.s.StolFile, c.s.StolFileMult = v, 1e10/piF64/4; return nil }),
		stringOpt(names("-stolout"), gStructure, "<file>", "S(Q) output file (unused)",
			func(s *Settings) string { return s.StolOutFile },
			func(c *ctx, name, v string) error { c.s.StolOutFile = v; return nil }),

		// ---------------- beam ----------------
		floatOpt(names("-lambda", "-wave", "-wavelength"), gBeam, "<A>", "central wavelength",
			func(s *Settings) string { return g(s.Lambda0 * 1e10) },
			func(c *ctx, name string, x float64) error {
				if err := positive(name, x, "wavelength"); err != nil {
					return err
				}
				c.s.Lambda0 = x / 1.0e10
				c.s.set("Lambda0", name)
				return nil
			}),
		floatOpt(names("-energy"), gBeam, "<eV>", "central photon energy (sets the wavelength)", nil,
			func(c *ctx, name string, x float64) error {
				if err := positive(name, x, "photon energy"); err != nil {
					return err
				}
				c.s.Lambda0 = (physics.HCEVAngstrom / x) / 1.0e10
				c.s.set("Lambda0", name)
				return nil
			}),
		floatOpt(names("-dispersion"), gBeam, "<percent>", "spectral width delta-lambda/lambda",
			func(s *Settings) string { return g(s.Dispersion * 100) },
			func(c *ctx, name string, x float64) error { c.s.Dispersion = x / 100.0; return nil }),
		intOpt(names("-dispsteps"), gBeam, "<int>", "number of wavelengths across the dispersion",
			func(*Settings) string { return "auto" },
			func(c *ctx, name string, n int) error { c.s.DispSteps = n; return nil }),
		floatOpt(names("-divergence"), gBeam, "<mrad>", "horizontal and vertical divergence range", nil,
			func(c *ctx, name string, x float64) error {
				c.s.HDivRange, c.s.VDivRange = x/1000.0, x/1000.0
				return nil
			}),
		floatOpt(names("-hdivrange"), gBeam, "<mrad>", "horizontal divergence range", func(*Settings) string { return "0" },
			func(c *ctx, name string, x float64) error { c.s.HDivRange = x / 1000.0; return nil }),
		floatOpt(names("-vdivrange"), gBeam, "<mrad>", "vertical divergence range", func(*Settings) string { return "0" },
			func(c *ctx, name string, x float64) error { c.s.VDivRange = x / 1000.0; return nil }),
		floatOpt(names("-hdivstep"), gBeam, "<mrad>", "horizontal divergence step", func(*Settings) string { return "auto" },
			func(c *ctx, name string, x float64) error { c.s.HDivStep = x / 1000.0; return nil }),
		floatOpt(names("-vdivstep"), gBeam, "<mrad>", "vertical divergence step", func(*Settings) string { return "auto" },
			func(c *ctx, name string, x float64) error { c.s.VDivStep = x / 1000.0; return nil }),
		intOpt(names("-hdivsteps"), gBeam, "<int>", "number of horizontal divergence steps", func(*Settings) string { return "auto" },
			func(c *ctx, name string, n int) error { c.s.HDivSteps = n; return nil }),
		intOpt(names("-vdivsteps"), gBeam, "<int>", "number of vertical divergence steps", func(*Settings) string { return "auto" },
			func(c *ctx, name string, n int) error { c.s.VDivSteps = n; return nil }),
		intOpt(names("-divsteps"), gBeam, "<int>", "number of horizontal and vertical divergence steps", nil,
			func(c *ctx, name string, n int) error { c.s.HDivSteps, c.s.VDivSteps = n, n; return nil }),
		flagOpt(names("-round_div"), gBeam, "trim the divergence grid to an ellipse (default)",
			func(c *ctx, name string) error { c.s.RoundDiv = true; return nil }),
		flagOpt(names("-square_div"), gBeam, "use the full divergence grid",
			func(c *ctx, name string) error { c.s.RoundDiv = false; return nil }),
		stringOpt(names("-sourcefile"), gBeam, "<file>", "sources, one a line: X Y Z weight lambda (metres)", nil,
			func(c *ctx, name, v string) error { c.s.SourceFile = v; return nil }),
		floatOpt(names("-polar"), gBeam, "<factor>", "Kahn polarization factor (dimensionless)",
			func(s *Settings) string { return g(s.Polarization) },
			func(c *ctx, name string, x float64) error { c.s.Polarization, c.s.NoPolar = x, false; return nil }),
		flagOpt(names("-nopolar"), gBeam, "turn off the polarization correction",
			func(c *ctx, name string) error { c.s.NoPolar = true; return nil }),
		floatOpt(names("-fluence"), gBeam, "<photons/m^2>", "integrated beam intensity",
			func(s *Settings) string { return g(s.Fluence) },
			func(c *ctx, name string, x float64) error { c.s.Fluence = x; c.s.set("Fluence", name); return nil }),
		floatOpt(names("-flux"), gBeam, "<photons/s>", "beam flux (with -exposure and -beamsize, sets the fluence)",
			func(s *Settings) string { return g(s.Flux) },
			func(c *ctx, name string, x float64) error { c.s.Flux = x; return nil }),
		floatOpt(names("-exposure"), gBeam, "<s>", "exposure time",
			func(s *Settings) string { return g(s.Exposure) },
			func(c *ctx, name string, x float64) error { c.s.Exposure = x; return nil }),
		floatOpt(names("-beamsize"), gBeam, "<mm>", "beam full width (clips the crystal)",
			func(s *Settings) string { return mm(s.BeamSize) },
			func(c *ctx, name string, x float64) error { c.s.BeamSize = x / 1000; return nil }),
		flagOpt(names("-coherent"), gBeam, "add all sources coherently",
			func(c *ctx, name string) error { c.s.Coherent = true; return nil }),
		vecOpt(names("-beam_vector"), gBeam, "x y z", "x-ray beam direction (selects the custom convention)",
			func(s *Settings) string { return vecText(s.BeamVector) },
			custom(func(s *Settings) *Vec3 { return &s.BeamVector })),
		vecOpt(names("-polar_vector"), gBeam, "x y z", "x-ray E-vector direction (selects the custom convention)",
			func(s *Settings) string { return vecText(s.PolarVector) },
			custom(func(s *Settings) *Vec3 { return &s.PolarVector })),

		// ---------------- detector ----------------
		stringOpt(names("-img"), gDetector, "<file>", "SMV image whose header sets detector size, pixel, distance, wavelength, beam centre, phi, osc", nil,
			func(c *ctx, name, v string) error { c.s.ImgFile = v; return nil }), // header read before the other options
		stringOpt(names("-mask"), gDetector, "<file>", "SMV mask (0 = skip pixel); its header is read like -img", nil,
			func(c *ctx, name, v string) error { c.s.MaskFile = v; return nil }), // header read before the other options
		floatOpt(names("-pixel"), gDetector, "<mm>", "pixel size",
			func(s *Settings) string { return mm(s.PixelSize) },
			func(c *ctx, name string, x float64) error {
				if err := positive(name, x, "pixel size"); err != nil {
					return err
				}
				c.s.PixelSize = x / 1000.0
				c.s.set("PixelSize", name)
				return nil
			}),
		intOpt(names("-detpixels"), gDetector, "<pixels>", "pixels along both detector axes",
			func(*Settings) string { return "from -detsize" },
			func(c *ctx, name string, n int) error {
				if err := positiveInt(name, n, "pixel count"); err != nil {
					return err
				}
				c.s.FPixels, c.s.SPixels = n, n
				c.s.set("FPixels", name)
				c.s.set("SPixels", name)
				return nil
			}),
		intOpt(names("-detpixels_f", "-detpixels_x"), gDetector, "<pixels>", "pixels along the fast axis", nil,
			func(c *ctx, name string, n int) error {
				if err := positiveInt(name, n, "pixel count"); err != nil {
					return err
				}
				c.s.FPixels = n
				c.s.set("FPixels", name)
				return nil
			}),
		intOpt(names("-detpixels_s", "-detpixels_y"), gDetector, "<pixels>", "pixels along the slow axis", nil,
			func(c *ctx, name string, n int) error {
				if err := positiveInt(name, n, "pixel count"); err != nil {
					return err
				}
				c.s.SPixels = n
				c.s.set("SPixels", name)
				return nil
			}),
		floatOpt(names("-detsize"), gDetector, "<mm>", "detector side along both axes",
			func(s *Settings) string { return mm(s.DetsizeF) },
			func(c *ctx, name string, x float64) error {
				if err := positive(name, x, "detector size"); err != nil {
					return err
				}
				c.s.DetsizeF, c.s.DetsizeS = x/1000.0, x/1000.0
				c.s.set("DetsizeF", name)
				c.s.set("DetsizeS", name)
				return nil
			}),
		floatOpt(names("-detsize_f"), gDetector, "<mm>", "detector side along the fast axis", nil,
			func(c *ctx, name string, x float64) error {
				if err := positive(name, x, "detector size"); err != nil {
					return err
				}
				c.s.DetsizeF = x / 1000.0
				c.s.set("DetsizeF", name)
				return nil
			}),
		floatOpt(names("-detsize_s"), gDetector, "<mm>", "detector side along the slow axis", nil,
			func(c *ctx, name string, x float64) error {
				if err := positive(name, x, "detector size"); err != nil {
					return err
				}
				c.s.DetsizeS = x / 1000.0
				c.s.set("DetsizeS", name)
				return nil
			}),
		floatOpt(names("-distance"), gDetector, "<mm>", "sample to detector along the beam (selects the beam pivot)",
			func(s *Settings) string { return mm(s.Distance) },
			func(c *ctx, name string, x float64) error {
				c.s.Distance = x / 1000.0
				c.s.set("Distance", name)
				c.s.Pivot = detector.PivotBeam
				return nil
			}),
		floatOpt(names("-close_distance"), gDetector, "<mm>", "sample to detector plane along its normal (selects the sample pivot)",
			func(*Settings) string { return "from -distance" },
			func(c *ctx, name string, x float64) error {
				c.s.CloseDistance = x / 1000.0
				c.s.set("CloseDistance", name)
				c.s.Pivot = detector.PivotSample
				return nil
			}),
		floatOpt(names("-Xbeam"), gDetector, "<mm>", "direct-beam position, first detector coordinate (selects the beam pivot)",
			func(*Settings) string { return "detector centre" },
			func(c *ctx, name string, x float64) error {
				c.s.Xbeam = x / 1000.0
				c.s.set("Xbeam", name)
				c.s.Pivot = detector.PivotBeam
				return nil
			}),
		floatOpt(names("-Ybeam"), gDetector, "<mm>", "direct-beam position, second detector coordinate (selects the beam pivot)",
			func(*Settings) string { return "detector centre" },
			func(c *ctx, name string, x float64) error {
				c.s.Ybeam = x / 1000.0
				c.s.set("Ybeam", name)
				c.s.Pivot = detector.PivotBeam
				return nil
			}),
		floatOpt(names("-Xclose"), gDetector, "<mm>", "near point, fast coordinate (selects the sample pivot)", nil,
			func(c *ctx, name string, x float64) error {
				c.s.Xclose = x / 1000.0
				c.s.Pivot = detector.PivotSample
				return nil
			}),
		floatOpt(names("-Yclose"), gDetector, "<mm>", "near point, slow coordinate (selects the sample pivot)", nil,
			func(c *ctx, name string, x float64) error {
				c.s.Yclose = x / 1000.0
				c.s.Pivot = detector.PivotSample
				return nil
			}),
		floatOpt(names("-ORGX"), gDetector, "<pixels>", "XDS near point, fast axis (selects the sample pivot)", nil,
			func(c *ctx, name string, x float64) error {
				c.s.ORGX = x
				c.s.Pivot = detector.PivotSample
				return nil
			}),
		floatOpt(names("-ORGY"), gDetector, "<pixels>", "XDS near point, slow axis (selects the sample pivot)", nil,
			func(c *ctx, name string, x float64) error {
				c.s.ORGY = x
				c.s.Pivot = detector.PivotSample
				return nil
			}),
		stringOpt(names("-pivot"), gDetector, "beam|sample", "point kept fixed when the detector rotates",
			func(*Settings) string { return "beam" },
			func(c *ctx, name, v string) error {
				beam, sample := v == "beam", v == "sample"
				if c.cparity() { // C: strstr on the value, "sample" tested first, "beam" wins
					beam, sample = strings.Contains(v, "beam"), strings.Contains(v, "sample")
				}
				switch {
				case beam:
					c.s.Pivot = detector.PivotBeam
				case sample:
					c.s.Pivot = detector.PivotSample
				default:
					return usagef(name, "value %q is not beam or sample", v)
				}
				c.s.PivotGiven = true
				return nil
			}),
		flagOpt(names("-mosflm"), gDetector, "MOSFLM convention, beam pivot (default)", convention(detector.MOSFLM, detector.PivotBeam)),
		flagOpt(names("-xds"), gDetector, "XDS convention, sample pivot", convention(detector.XDS, detector.PivotSample)),
		flagOpt(names("-adxv"), gDetector, "ADXV convention, beam pivot", convention(detector.ADXV, detector.PivotBeam)),
		flagOpt(names("-denzo"), gDetector, "DENZO convention, beam pivot", convention(detector.DENZO, detector.PivotBeam)),
		flagOpt(names("-dials"), gDetector, "DIALS convention (sample pivot once set up)", convention(detector.DIALS, detector.PivotBeam)),
		vecOpt(names("-fdet_vector"), gDetector, "x y z", "fast detector axis (selects the custom convention)",
			func(s *Settings) string { return vecText(s.FdetVector) },
			custom(func(s *Settings) *Vec3 { return &s.FdetVector })),
		vecOpt(names("-sdet_vector"), gDetector, "x y z", "slow detector axis (selects the custom convention)",
			func(s *Settings) string { return vecText(s.SdetVector) },
			custom(func(s *Settings) *Vec3 { return &s.SdetVector })),
		vecOpt(names("-odet_vector"), gDetector, "x y z", "detector normal (selects the custom convention)",
			func(s *Settings) string { return vecText(s.OdetVector) },
			custom(func(s *Settings) *Vec3 { return &s.OdetVector })),
		vecOpt(names("-spindle_axis"), gDetector, "x y z", "phi rotation axis (selects the custom convention)",
			func(s *Settings) string { return vecText(s.SpindleAxis) },
			custom(func(s *Settings) *Vec3 { return &s.SpindleAxis })),
		vecOpt(names("-twotheta_axis"), gDetector, "x y z", "two-theta rotation axis (selects the custom convention)",
			func(s *Settings) string { return vecText(s.TwothetaAxis) },
			func(c *ctx, name string, x Vec3) error {
				c.s.Convention = detector.Custom
				c.s.TwothetaAxis = x
				if c.cparity() {
					cParityTwothetaAxis(c, x)
				}
				return nil
			}),
		vecOpt(names("-pix0_vector"), gDetector, "x y z", "sample to first pixel in metres (selects the custom convention)",
			func(*Settings) string { return "from beam centre and distance" },
			func(c *ctx, name string, x Vec3) error {
				c.s.Convention = detector.Custom
				c.s.Pix0Vector, c.s.Pix0Given = x, true
				c.s.set("Pix0Vector", name)
				return nil
			}),
		vecOpt(names("-pix0_vector_mm"), gDetector, "x y z", "sample to first pixel in mm (selects the custom convention)", nil,
			func(c *ctx, name string, x Vec3) error {
				c.s.Convention = detector.Custom
				c.s.Pix0Vector = Vec3{x[0] / 1000.0, x[1] / 1000.0, x[2] / 1000.0}
				c.s.Pix0Given = true
				c.s.set("Pix0Vector", name)
				return nil
			}),
		floatOpt(names("-twotheta"), gDetector, "<deg>", "detector swing about the two-theta axis (selects the sample pivot)",
			func(s *Settings) string { return deg(s.Twotheta) },
			func(c *ctx, name string, x float64) error {
				c.s.Twotheta = x / rtd
				c.s.Pivot = detector.PivotSample
				return nil
			}),
		floatOpt(names("-detector_rotx"), gDetector, "<deg>", "detector rotation about x", func(*Settings) string { return "0" },
			func(c *ctx, name string, x float64) error { c.s.DetectorRot[0] = x / rtd; return nil }),
		floatOpt(names("-detector_roty"), gDetector, "<deg>", "detector rotation about y", func(*Settings) string { return "0" },
			func(c *ctx, name string, x float64) error { c.s.DetectorRot[1] = x / rtd; return nil }),
		floatOpt(names("-detector_rotz"), gDetector, "<deg>", "detector rotation about z", func(*Settings) string { return "0" },
			func(c *ctx, name string, x float64) error { c.s.DetectorRot[2] = x / rtd; return nil }),
		flagOpt(names("-curved_det", "-curved_detector"), gDetector, "every pixel at the same distance from the sample",
			func(c *ctx, name string) error {
				if c.cparity() && !cParityCurvedCounts(c) {
					return nil
				}
				c.s.CurvedDetector = true
				return nil
			}),
		flagOpt(names("-point_pixel"), gDetector, "solid angle 1/R^2 without the pixel area and obliquity",
			func(c *ctx, name string) error { c.s.PointPixel = true; return nil }),
		stringOpt(names("-detector_abs", "-detector_absorb", "-detector_absorption"), gDetector, "<um>|inf|0",
			"sensor attenuation depth; inf or 0 turn absorption off (and zero the thickness)",
			func(*Settings) string { return "inf" },
			func(c *ctx, name, v string) error {
				off := false
				if c.cparity() {
					off = strings.Contains(v, "inf")
				} else {
					l := strings.ToLower(v)
					off = l == "inf" || l == "+inf" || l == "infinity"
				}
				if !off {
					x, err := parseFloat(name, v)
					if err != nil {
						return usagef(name, "value %q is not a number, inf or 0", v)
					}
					if x < 0 {
						return usagef(name, "attenuation depth must be positive, inf or 0, got %s", g(x))
					}
					off = x == 0.0
					if !off {
						c.s.DetectorMu = 1.0 / (x * 1e-6)
						c.s.set("DetectorMu", name)
						return nil
					}
				}
				c.s.DetectorThick, c.s.DetectorMu = 0.0, 0.0
				return nil
			}),
		floatOpt(names("-detector_thick"), gDetector, "<um>", "sensor thickness",
			func(s *Settings) string { return g(s.DetectorThick * 1e6) },
			func(c *ctx, name string, x float64) error {
				if x < 0 {
					return usagef(name, "thickness must not be negative, got %s", g(x))
				}
				c.s.DetectorThick = x * 1e-6
				c.s.set("DetectorThick", name)
				return nil
			}),
		intOpt(names("-detector_thicksteps", "-thicksteps"), gDetector, "<int>", "sensor layers",
			func(*Settings) string { return "1" },
			func(c *ctx, name string, n int) error { c.s.DetectorThickSteps = n; return nil }),

		// ---------------- sampling ----------------
		floatOpt(names("-phi"), gSampling, "<deg>", "starting spindle angle",
			func(s *Settings) string { return deg(s.Phi0) },
			func(c *ctx, name string, x float64) error { c.s.Phi0 = x / rtd; c.s.set("Phi0", name); return nil }),
		floatOpt(names("-osc"), gSampling, "<deg>", "oscillation range",
			func(*Settings) string { return "auto" },
			func(c *ctx, name string, x float64) error { c.s.Osc = x / rtd; c.s.set("Osc", name); return nil }),
		floatOpt(names("-phistep"), gSampling, "<deg>", "spindle step",
			func(*Settings) string { return "auto" },
			func(c *ctx, name string, x float64) error { c.s.PhiStep = x / rtd; return nil }),
		intOpt(names("-phisteps"), gSampling, "<int>", "number of spindle steps",
			func(*Settings) string { return "auto" },
			func(c *ctx, name string, n int) error { c.s.PhiSteps = n; return nil }),
		floatOpt(names("-dmin"), gSampling, "<A>", "skip scattering with d-spacing below this (0 = no cut-off)",
			func(s *Settings) string { return g(s.Dmin * 1e10) },
			func(c *ctx, name string, x float64) error { c.s.Dmin = x * 1e-10; return nil }),
		intOpt(names("-oversample"), gSampling, "<int>", "sub-pixels per pixel axis (0 = auto)",
			func(*Settings) string { return "auto" },
			func(c *ctx, name string, n int) error {
				if err := nonNegativeInt(name, n, "oversampling"); err != nil {
					return err
				}
				c.s.Oversample = n
				return nil
			}),
		flagOpt(names("-oversample_thick"), gSampling, "recompute sensor absorption for every sub-pixel",
			func(c *ctx, name string) error { c.s.OversampleThick = true; return nil }),
		flagOpt(names("-oversample_polar"), gSampling, "recompute polarization for every sub-pixel",
			func(c *ctx, name string) error { c.s.OversamplePolar = true; return nil }),
		flagOpt(names("-oversample_omega"), gSampling, "recompute the solid angle for every sub-pixel",
			func(c *ctx, name string) error { c.s.OversampleOmega = true; return nil }),
		{names: names("-roi"), group: gSampling, nargs: 4, args: "xmin xmax ymin ymax",
			help: "render only fast pixels xmin..xmax and slow pixels ymin..ymax (inclusive, 0-based)",
			def:  func(*Settings) string { return "whole detector" },
			apply: func(c *ctx, name string, v []string) error {
				var r [4]int
				for i := range r {
					n, err := parseInt(name, v[i])
					if err != nil {
						return err
					}
					if n < 0 {
						return usagef(name, "pixel limit must not be negative, got %d", n)
					}
					r[i] = n
				}
				c.s.RoiXMin, c.s.RoiXMax, c.s.RoiYMin, c.s.RoiYMax = r[0], r[1], r[2], r[3]
				return nil
			}},

		// ---------------- noise and output ----------------
		stringOpt(names("-floatfile", "-floatimage"), gOutput, "<file>", "raw 4-byte float image in photons/pixel",
			func(s *Settings) string { return s.FloatFile },
			func(c *ctx, name, v string) error { c.s.FloatFile = v; return nil }),
		stringOpt(names("-intfile", "-intimage"), gOutput, "<file>", "noiseless SMV image (scaled)",
			func(s *Settings) string { return s.IntFile },
			func(c *ctx, name, v string) error { c.s.IntFile = v; return nil }),
		stringOpt(names("-pgmfile", "-pgmimage"), gOutput, "<file>", "8-bit PGM preview",
			func(s *Settings) string { return s.PGMFile },
			func(c *ctx, name, v string) error { c.s.PGMFile, c.s.WritePGM = v, true; return nil }),
		stringOpt(names("-noisefile", "-noiseimage"), gOutput, "<file>", "SMV image with Poisson noise",
			func(s *Settings) string { return s.NoiseFile },
			func(c *ctx, name, v string) error { c.s.NoiseFile, c.s.WriteNoise = v, true; return nil }),
		flagOpt(names("-nonoise"), gOutput, "do not write the noise image",
			func(c *ctx, name string) error { c.s.WriteNoise = false; return nil }),
		flagOpt(names("-nopgm"), gOutput, "do not write the PGM image",
			func(c *ctx, name string) error { c.s.WritePGM = false; return nil }),
		floatOpt(names("-scale"), gOutput, "<factor>", "scale of the SMV image (<= 0: auto, brightest pixel near 55000)",
			func(*Settings) string { return "auto" },
			func(c *ctx, name string, x float64) error { c.s.IntScale = x; return nil }),
		floatOpt(names("-pgmscale"), gOutput, "<factor>", "scale of the PGM image (<= 0: auto)",
			func(*Settings) string { return "auto" },
			func(c *ctx, name string, x float64) error { c.s.PGMScale, c.s.WritePGM = x, true; return nil }),
		floatOpt(names("-adc"), gOutput, "<counts>", "offset added to SMV pixels",
			func(s *Settings) string { return g(s.ADC) },
			func(c *ctx, name string, x float64) error { c.s.ADC = x; return nil }),
		intOpt(names("-seed"), gOutput, "<int>", "noise seed",
			func(*Settings) string { return "time-based" },
			func(c *ctx, name string, n int) error { c.s.Seed = -int64(n); return nil }),
		flagOpt(names("-printout"), gOutput, "print pixel values",
			func(c *ctx, name string) error { c.s.Printout = true; return nil }),
		{names: names("-printout_pixel"), group: gOutput, nargs: 2, args: "fast slow",
			help: "limit -printout to one pixel",
			apply: func(c *ctx, name string, v []string) error {
				f, err := parseInt(name, v[0])
				if err != nil {
					return err
				}
				sl, err := parseInt(name, v[1])
				if err != nil {
					return err
				}
				// Asking for one pixel's printout turns printing on, in both
				// modes (in C through substring matching of -printout).
				c.s.Printout = true
				c.s.PrintoutFast, c.s.PrintoutSlow = f, sl
				return nil
			}},
		{names: names("-trace_pixel", "-dump_pixel"), group: gOutput, nargs: 2, args: "slow fast",
			help: "trace the computation of one pixel (the instrumented C build's option)",
			apply: func(c *ctx, name string, v []string) error {
				sl, err := parseInt(name, v[0])
				if err != nil {
					return err
				}
				f, err := parseInt(name, v[1])
				if err != nil {
					return err
				}
				if sl < 0 || f < 0 {
					return usagef(name, "pixel (%d, %d) is outside the detector: slow and fast must be >= 0", sl, f)
				}
				c.s.TracePixel = [2]int{sl, f}
				return nil
			}},
		flagOpt(names("-progress"), gOutput, "show the progress meter (default): a bar with rate and time left on stderr when that\n"+
			"        is a terminal, else nanoBragg's \"N% done\" lines in the log",
			func(c *ctx, name string) error { c.s.Progress = true; return nil }),
		flagOpt(names("-noprogress"), gOutput, "hide the progress meter",
			func(c *ctx, name string) error { c.s.Progress = false; return nil }),

		// ---------------- gobragg extras ----------------
		stringOpt(names("-mode"), gExtras, "spec|c-parity", "spec: the physics and options as documented in the README.\n"+
			"        c-parity: reproduce single-threaded C nanoBragg's images byte for byte, keeping the C behaviours\n"+
			"        that spec fixes: the phi = 0 lattice carry-over, -oversample_thick/_polar/_omega applied to\n"+
			"        the running sum, the last layer's capture fraction for every layer, the run-wide tricubic\n"+
			"        switch-off, convention-forced pivots, -pix0_vector ignored, substring option matching\n"+
			"        (-misset_seed also sets -misset) and the hkl reader stopping at a comment line (README, \"Two modes\")",
			func(*Settings) string { return "spec" },
			func(c *ctx, name, v string) error { return nil }), // read before the other options
		stringOpt(names("-pngfile"), gExtras, "<file>", "PNG preview image", func(*Settings) string { return "none" },
			func(c *ctx, name, v string) error { c.s.PNGFile = v; return nil }),
		floatOpt(names("-png_scale"), gExtras, "<photons>", "PNG preview stretch: intensities up to about this are shown linearly,\n"+
			"        brighter ones logarithmically (asinh) up to the 99.9th percentile",
			func(*Settings) string { return "auto: the background's median + 3 robust standard deviations" },
			func(c *ctx, name string, x float64) error {
				if err := positive(name, x, "PNG scale"); err != nil {
					return err
				}
				c.s.PNGScale = x
				return nil
			}),
		flagOpt(names("-force"), gExtras, "render although the estimated work or memory is above the limits checked before rendering",
			func(c *ctx, name string) error { c.s.Force = true; return nil }),
		stringOpt(names("-cbffile"), gExtras, "<file>", "miniCBF (Pilatus) frame with Poisson noise, signed 32-bit counts", func(*Settings) string { return "none" },
			func(c *ctx, name, v string) error { c.s.CBFFile = v; return nil }),
		stringOpt(names("-expt"), gExtras, "<file>", "write the simulated model as a DIALS experiment list (JSON)", func(*Settings) string { return "none" },
			func(c *ctx, name, v string) error { c.s.ExptFile = v; return nil }),
		stringOpt(names("-expt_in"), gExtras, "<file>", "take beam, detector, goniometer, scan and crystal from a DIALS experiment list (one panel, one crystal)", func(*Settings) string { return "none" },
			func(c *ctx, name, v string) error { c.s.ExptIn = v; return nil }), // read before the other options
		intOpt(names("-expt_index"), gExtras, "<int>", "which experiment of the -expt_in list to simulate, from 0 (needed when it holds several)", func(*Settings) string { return "the only one" },
			func(c *ctx, name string, n int) error {
				if n < 0 {
					return &UsageError{Option: name, Msg: fmt.Sprintf("%d is not an experiment number (0, 1, ...)", n)}
				}
				c.s.ExptIndex = n
				return nil
			}), // read with -expt_in
		flagOpt(names("-help", "-h", "--help"), gExtras, "print this help and exit",
			func(c *ctx, name string) error { return ErrHelp }),
	}
	return t
}
