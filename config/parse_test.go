package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gobragg/detector"
)

// base is a minimal valid crystal and structure-factor set-up.
var base = []string{"-cell", "100", "100", "100", "90", "90", "90", "-default_F", "1"}

func withBase(args ...string) []string { return append(append([]string{}, base...), args...) }

func mustParse(t *testing.T, args ...string) *Settings {
	t.Helper()
	s, err := Parse(args)
	if err != nil {
		t.Fatalf("Parse(%q): %v", args, err)
	}
	return s
}

// TestBadInputs: every mistake gives one *UsageError naming the option (or
// argument) with a message that says what is wrong.
func TestBadInputs(t *testing.T) {
	tests := []struct {
		args    []string
		resolve bool // the error comes from Resolve, not Parse
		option  string
		msg     string
	}{
		{[]string{"-detpixel", "128"}, false, "-detpixel", "unknown option; did you mean -detpixels?"},
		{[]string{"-distnce", "100"}, false, "-distnce", "did you mean -distance?"},
		{[]string{"--distance", "100"}, false, "--distance", "did you mean -distance?"},
		{[]string{"-lamda", "1"}, false, "-lamda", "did you mean -lambda?"},
		{[]string{"-tophat_xtal"}, false, "-tophat_xtal", "unknown option"},
		{[]string{"-distance"}, false, "-distance", "missing value at the end of the command line"},
		{[]string{"-distance", "-pixel", "0.1"}, false, "-distance", "missing value (the next argument, -pixel, is an option)"},
		{[]string{"-distance", "abc"}, false, "-distance", `value "abc" is not a number`},
		{[]string{"-distance", "nan"}, false, "-distance", `value "nan" is not a finite number`},
		{[]string{"-lambda", "Inf"}, false, "-lambda", "not a finite number"},
		{[]string{"-detpixels", "0"}, false, "-detpixels", "pixel count must be positive, got 0"},
		{[]string{"-detpixels_y", "-5"}, false, "-detpixels_y", "pixel count must be positive, got -5"},
		{[]string{"-pixel", "-0.1"}, false, "-pixel", "pixel size must be positive"},
		{[]string{"-pixel", "0"}, false, "-pixel", "pixel size must be positive"},
		{[]string{"-detsize", "0"}, false, "-detsize", "detector size must be positive"},
		{[]string{"-N", "-1"}, false, "-N", "must not be negative, got -1"},
		{[]string{"-mode", "c-parity", "-Nb", "2.5"}, false, "-Nb", `value "2.5" is not an integer`}, // spec mode: real
		{[]string{"-Nb", "inf"}, false, "-Nb", `value "inf" is not`},
		{[]string{"-seed", "99999999999"}, false, "-seed", "not an integer"},
		{[]string{"-roi", "1", "2", "3"}, false, "-roi", "needs 4 values, got 3 at the end"},
		{[]string{"-fdet_vector", "0", "0", "-nopgm"}, false, "-fdet_vector", "needs 3 values, got 2 before option -nopgm"},
		{[]string{"-misset", "10", "20"}, false, "-misset", "needs 3 values"},
		{[]string{"-pivot", "middle"}, false, "-pivot", `"middle" is not beam or sample`},
		{[]string{"-oversample", "-2"}, false, "-oversample", "must not be negative"},
		{[]string{"-energy", "0"}, false, "-energy", "photon energy must be positive"},
		{[]string{"-lambda", "0"}, false, "-lambda", "wavelength must be positive"},
		{[]string{"-detector_abs", "thick"}, false, "-detector_abs", "not a number, inf or 0"},
		{[]string{"-mode", "bogus"}, false, "-mode", `unknown mode "bogus"`},
		{[]string{"-mode"}, false, "-mode", "missing value"},
		{[]string{"100"}, false, "100", `unexpected argument "100"`},
		{[]string{"-N", "5", "6"}, false, "6", "(-N takes one value)"},
		{[]string{"-cell", "-N", "5"}, false, "-cell", "missing value"},
		{[]string{"-img", "no/such/file.img"}, false, "-img", "cannot read no/such/file.img"},
		{[]string{"-mask", "no/such/mask.img"}, false, "-mask", "cannot read no/such/mask.img"},
		// Resolve-time checks.
		{withBase("-roi", "5", "2", "0", "3"), true, "-roi", "minimum above maximum"},
		{withBase("-detpixels", "128", "-roi", "0", "128", "0", "10"), true, "-roi", "outside the 128x128-pixel detector"},
		{withBase("-detsize", "0.04"), true, "-detsize", "smaller than one"},
		{withBase("-flux", "1e12", "-beamsize", "0"), true, "-beamsize", "outside the valid range (0, 1000] mm"},
		{[]string{"-default_F", "1"}, true, "", "give -cell a b c alpha beta gamma or -mat FILE"},
		{[]string{"-cell", "0", "-default_F", "1"}, true, "-cell", "cell edge a must be non-zero"},
	}
	t.Chdir(t.TempDir()) // no Fdump.bin here
	for _, tc := range tests {
		for _, mode := range []string{"spec", "c-parity"} {
			args := tc.args
			if mode == "c-parity" {
				args = append([]string{"-mode", "c-parity"}, args...)
				if tc.option == "-mode" {
					continue
				}
			}
			s, err := Parse(args)
			if tc.resolve {
				if err != nil {
					t.Errorf("%q: Parse failed before Resolve: %v", args, err)
					continue
				}
				err = s.Resolve()
			}
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Errorf("%q: got error %v (%T), want a *UsageError", args, err, err)
				continue
			}
			if ue.Option != tc.option || !strings.Contains(ue.Msg, tc.msg) {
				t.Errorf("%q: got %q (option %q), want option %q and a message containing %q", args, err.Error(), ue.Option, tc.option, tc.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("%q: message is not one line: %q", args, err.Error())
			}
		}
	}
}

func TestHelp(t *testing.T) {
	for _, h := range []string{"-h", "-help", "--help"} {
		if _, err := Parse([]string{"-distance", "100", h}); !errors.Is(err, ErrHelp) {
			t.Errorf("Parse with %s: got %v, want ErrHelp", h, err)
		}
	}
}

// TestCellStopsAtOption: like C, -cell reads up to six numbers and stops at
// an argument starting with '-'; the rest stay 0.
func TestCellStopsAtOption(t *testing.T) {
	s := mustParse(t, "-cell", "100", "120", "-default_F", "1", "-N", "3")
	if s.CellValues != 2 || s.CellAngstrom != [3]float64{100, 120, 0} || s.CellAngles != [3]float64{} || !s.UserCell {
		t.Errorf("cell = %v %v (%d values), want [100 120 0] [0 0 0] (2 values)", s.CellAngstrom, s.CellAngles, s.CellValues)
	}
	if s.DefaultF != 1 || s.Na != 3 {
		t.Errorf("options after -cell lost: default_F %g, Na %d", s.DefaultF, s.Na)
	}
	t.Chdir(t.TempDir())
	// Spec mode refuses the partial cell; c-parity keeps C's reading
	// (b = c = a... here c = a, angles 90) with a warning for stderr.
	if err := s.Resolve(); err == nil || !strings.Contains(err.Error(), "got 2 of the 6 values") {
		t.Errorf("spec Resolve: got %v, want the partial -cell refused", err)
	}
	c := mustParse(t, "-mode", "c-parity", "-cell", "100", "120", "-default_F", "1", "-N", "3")
	if err := c.Resolve(); err != nil {
		t.Errorf("c-parity Resolve: %v", err)
	}
	if len(c.Alerts) != 1 || !strings.Contains(c.Alerts[0], "-cell") {
		t.Errorf("c-parity alerts %q, want one naming -cell", c.Alerts)
	}
}

// TestAliases: every spelling of an option gives the same settings as its
// canonical spelling.
func TestAliases(t *testing.T) {
	values := func(o *option) []string {
		switch o.names[0] {
		case "-pivot":
			return []string{"sample"}
		case "-mode":
			return []string{"c-parity"}
		}
		switch o.nargs {
		case 0:
			return nil
		case argsCell:
			return []string{"50", "60", "70", "80", "90", "100"}
		case argsMisset, 3:
			return []string{"0.5", "1", "0"}
		case 4:
			return []string{"1", "2", "3", "4"}
		}
		v := make([]string, o.nargs)
		for i := range v {
			v[i] = "2"
		}
		return v
	}
	n := 0
	for i := range table {
		o := &table[i]
		if len(o.names) < 2 || o.names[0] == "-help" {
			continue
		}
		want := mustParse(t, append([]string{o.names[0]}, values(o)...)...)
		for _, alias := range o.names[1:] {
			got := mustParse(t, append([]string{alias}, values(o)...)...)
			got.Seed, got.MissetSeed = want.Seed, want.MissetSeed // clock-based defaults
			if d := fieldDiff(got, want); d != "" {
				t.Errorf("%s differs from %s: %s", alias, o.names[0], d)
			}
			n++
		}
	}
	if n < 30 {
		t.Errorf("only %d aliases checked", n)
	}
}

// TestArgumentOrder: options apply in order and later ones win, including
// their effect on the pivot and the convention.
func TestArgumentOrder(t *testing.T) {
	tests := []struct {
		args  []string
		check func(s *Settings) (got, want any)
	}{
		{[]string{"-distance", "100", "-pivot", "sample"}, func(s *Settings) (any, any) { return s.Pivot, detector.PivotSample }},
		{[]string{"-pivot", "sample", "-distance", "100"}, func(s *Settings) (any, any) { return s.Pivot, detector.PivotBeam }},
		{[]string{"-twotheta", "5", "-Xbeam", "3"}, func(s *Settings) (any, any) { return s.Pivot, detector.PivotBeam }},
		{[]string{"-Xbeam", "3", "-ORGX", "5"}, func(s *Settings) (any, any) { return s.Pivot, detector.PivotSample }},
		{[]string{"-Yclose", "3"}, func(s *Settings) (any, any) { return s.Pivot, detector.PivotSample }},
		{[]string{"-close_distance", "90"}, func(s *Settings) (any, any) { return []any{s.Pivot, s.Distance}, []any{detector.PivotSample, 0.1} }},
		{[]string{"-xds"}, func(s *Settings) (any, any) {
			return []any{s.Convention, s.Pivot}, []any{detector.XDS, detector.PivotSample}
		}},
		{[]string{"-xds", "-distance", "80"}, func(s *Settings) (any, any) {
			return []any{s.Convention, s.Pivot}, []any{detector.XDS, detector.PivotBeam}
		}},
		{[]string{"-fdet_vector", "0", "0", "1", "-mosflm"}, func(s *Settings) (any, any) { return s.Convention, detector.MOSFLM }},
		{[]string{"-mosflm", "-polar_vector", "0", "1", "0"}, func(s *Settings) (any, any) { return s.Convention, detector.Custom }},
		{[]string{"-adxv", "-pix0_vector", "0.1", "0", "0"}, func(s *Settings) (any, any) { return s.Convention, detector.Custom }},
		{[]string{"-denzo"}, func(s *Settings) (any, any) { return s.Convention, detector.DENZO }},
		{[]string{"-dials"}, func(s *Settings) (any, any) {
			return []any{s.Convention, s.EffectivePivot()}, []any{detector.DIALS, detector.PivotSample}
		}},
		{[]string{"-nopgm", "-pgmfile", "a.pgm"}, func(s *Settings) (any, any) { return []any{s.WritePGM, s.PGMFile}, []any{true, "a.pgm"} }},
		{[]string{"-pgmfile", "a.pgm", "-nopgm"}, func(s *Settings) (any, any) { return s.WritePGM, false }},
		{[]string{"-nopgm", "-pgmscale", "2"}, func(s *Settings) (any, any) { return s.WritePGM, true }},
		{[]string{"-nonoise", "-noisefile", "n.img"}, func(s *Settings) (any, any) { return s.WriteNoise, true }},
		{[]string{"-nopolar", "-polar", "0.5"}, func(s *Settings) (any, any) { return []any{s.NoPolar, s.Polarization}, []any{false, 0.5} }},
		{[]string{"-detector_thick", "200", "-detector_abs", "inf"}, func(s *Settings) (any, any) { return []any{s.DetectorThick, s.DetectorMu}, []any{0.0, 0.0} }},
		{[]string{"-detector_abs", "0", "-detector_thick", "200"}, func(s *Settings) (any, any) { return []any{s.DetectorThick, s.DetectorMu}, []any{rt(200) * 1e-6, 0.0} }},
		{[]string{"-lambda", "2", "-energy", "12398.42"}, func(s *Settings) (any, any) { return s.Lambda0, 1e-10 }},
		{[]string{"-samplesize", "0.01", "-sample_y", "0.02"}, func(s *Settings) (any, any) {
			return [3]float64{s.SampleX, s.SampleY, s.SampleZ}, [3]float64{rt(0.01) / 1000, rt(0.02) / 1000, rt(0.01) / 1000}
		}},
		{[]string{"-N", "3", "-Nb", "4"}, func(s *Settings) (any, any) { return [3]int{s.Na, s.Nb, s.Nc}, [3]int{3, 4, 3} }},
		{[]string{"-divergence", "2", "-vdivrange", "1"}, func(s *Settings) (any, any) {
			return [2]float64{s.HDivRange, s.VDivRange}, [2]float64{2 / 1000.0, 1 / 1000.0}
		}},
		{[]string{"-misset", "1", "2", "3", "-misset", "random"}, func(s *Settings) (any, any) { return s.Misset, MissetRandom }},
		{[]string{"-misset", "random", "-misset", "-1", "2", "3"}, func(s *Settings) (any, any) {
			return []any{s.Misset, s.MissetAngles}, []any{MissetAngles, Vec3{-1 / rtd, 2 / rtd, 3 / rtd}}
		}},
		{[]string{"-seed", "5", "-mosaic_seed", "6", "-misset_seed", "7"}, func(s *Settings) (any, any) {
			return [3]int64{s.Seed, s.MosaicSeed, s.MissetSeed}, [3]int64{-5, -6, -7}
		}},
		{[]string{"-stol", "a", "-Q", "b"}, func(s *Settings) (any, any) { return []any{s.StolFile, s.StolFileMult}, []any{"b", 1e10 / piF64 / 4} }},
		{[]string{"-trace_pixel", "3", "4", "-printout_pixel", "5", "6"}, func(s *Settings) (any, any) {
			return []int{s.TracePixel[0], s.TracePixel[1], s.PrintoutFast, s.PrintoutSlow}, []int{3, 4, 5, 6}
		}},
		{[]string{"-noprogress", "-progress"}, func(s *Settings) (any, any) { return s.Progress, true }},
		{[]string{"-png_scale", "20"}, func(s *Settings) (any, any) { return s.PNGScale, 20.0 }},
		{[]string{"-interpolate", "-nointerpolate"}, func(s *Settings) (any, any) { return s.Interpolate, 0 }},
		{[]string{"-pix0_vector_mm", "-100", "50", "25"}, func(s *Settings) (any, any) {
			return s.Pix0Vector, Vec3{-100 / 1000.0, 50 / 1000.0, 25 / 1000.0}
		}},
		{[]string{"-pngfile", "p.png", "-dump", "F.bin"}, func(s *Settings) (any, any) { return [2]string{s.PNGFile, s.DumpFile}, [2]string{"p.png", "F.bin"} }},
	}
	for _, tc := range tests {
		s := mustParse(t, tc.args...)
		got, want := tc.check(s)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: got %v, want %v", tc.args, got, want)
		}
	}
}

// TestDefaults: the values nanoBragg.c starts from.
func TestDefaults(t *testing.T) {
	s := mustParse(t)
	got := fmt.Sprint(s.FloatFile, s.IntFile, s.PGMFile, s.NoiseFile, s.DumpFile, s.WritePGM, s.WriteNoise,
		s.MosaicSeed, s.Interpolate, s.RoiXMin, s.TracePixel, s.Oversample, s.PixelSize, s.Distance, s.DetsizeF,
		s.Lambda0, s.Fluence, s.BeamSize, s.Exposure, s.ADC, s.Convention, s.Pivot, s.FdetVector, s.SdetVector,
		s.OdetVector, s.BeamVector, s.PolarVector, s.SpindleAxis, s.TwothetaAxis, s.Mode)
	want := fmt.Sprint("floatimage.bin", "intimage.img", "image.pgm", "noiseimage.img", "Fdump.bin", true, true,
		int64(-12345678), 2, -1, [2]int{-1, -1}, -1, 0.0001, 0.1, 0.1024,
		1e-10, 125932015286227086360700780544.0, 0.0001, 1.0, 40.0, detector.MOSFLM, detector.PivotBeam, Vec3{0, 0, 1}, Vec3{0, -1, 0},
		Vec3{1, 0, 0}, Vec3{1, 0, 0}, Vec3{0, 0, 1}, Vec3{0, 0, 1}, Vec3{0, 1, 0}, ModeSpec)
	if got != want {
		t.Errorf("defaults:\n got %s\nwant %s", got, want)
	}
	if s.Seed >= 0 || s.MissetSeed != s.Seed {
		t.Errorf("seed defaults: noise %d misset %d, want minus the clock, equal", s.Seed, s.MissetSeed)
	}
}

// TestCParityQuirks pins each c-parity argument quirk against spec mode.
func TestCParityQuirks(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		spec, cpar func(s *Settings) bool
		what       func(s *Settings) string
	}{
		{"twotheta_axis also sets two-theta and the sample pivot (custom_twotheta_close)",
			[]string{"-twotheta_axis", "7", "0", "0"},
			func(s *Settings) bool { return s.Twotheta == 0 && s.Pivot == detector.PivotBeam },
			func(s *Settings) bool { return s.Twotheta == 7/rtd && s.Pivot == detector.PivotSample },
			func(s *Settings) string { return fmt.Sprint(s.Twotheta, s.Pivot) }},
		{"a later -twotheta wins over the axis quirk",
			[]string{"-twotheta_axis", "7", "0", "0", "-twotheta", "3"},
			func(s *Settings) bool { return s.Twotheta == 3/rtd },
			func(s *Settings) bool { return s.Twotheta == 3/rtd },
			func(s *Settings) string { return fmt.Sprint(s.Twotheta) }},
		{"-curved_det as the last argument is ignored by C (curved_det)",
			[]string{"-curved_det"},
			func(s *Settings) bool { return s.CurvedDetector },
			func(s *Settings) bool { return !s.CurvedDetector },
			func(s *Settings) string { return fmt.Sprint(s.CurvedDetector) }},
		{"-curved_det followed by another argument counts in both modes",
			[]string{"-curved_det", "-nopgm"},
			func(s *Settings) bool { return s.CurvedDetector },
			func(s *Settings) bool { return s.CurvedDetector },
			func(s *Settings) string { return fmt.Sprint(s.CurvedDetector) }},
		{"-printout_pixel turns on -printout (both modes)",
			[]string{"-printout_pixel", "3", "4"},
			func(s *Settings) bool { return s.Printout && s.PrintoutFast == 3 && s.PrintoutSlow == 4 },
			func(s *Settings) bool { return s.Printout && s.PrintoutFast == 3 && s.PrintoutSlow == 4 },
			func(s *Settings) string { return fmt.Sprint(s.Printout, s.PrintoutFast, s.PrintoutSlow) }},
		{"-misset_seed followed by three arguments sets misset angles",
			[]string{"-misset", "random", "-misset_seed", "7", "-nopgm", "-N", "2"},
			func(s *Settings) bool { return s.Misset == MissetRandom && s.MissetSeed == -7 },
			func(s *Settings) bool {
				return s.Misset == MissetAngles && s.MissetAngles == Vec3{7 / rtd, 0, 0} && s.MissetSeed == -7 && s.Na == 2
			},
			func(s *Settings) string { return fmt.Sprint(s.Misset, s.MissetAngles, s.MissetSeed, s.Na) }},
		{"-misset_seed with fewer than three arguments after it leaves the misset",
			[]string{"-misset", "random", "-misset_seed", "7", "-nopgm"},
			func(s *Settings) bool { return s.Misset == MissetRandom },
			func(s *Settings) bool { return s.Misset == MissetRandom },
			func(s *Settings) string { return fmt.Sprint(s.Misset) }},
		{"-pix0_vector is used only in spec mode (custom_vectors_pix0)",
			[]string{"-pix0_vector", "0.1", "0", "0"},
			func(s *Settings) bool { return s.UsePix0() },
			func(s *Settings) bool { return !s.UsePix0() && s.Pix0Given },
			func(s *Settings) string { return fmt.Sprint(s.UsePix0(), s.Pix0Given) }},
		{"the convention overrides -pivot (mosflm_pivot_flag_overridden)",
			[]string{"-pivot", "sample"},
			func(s *Settings) bool { return s.EffectivePivot() == detector.PivotSample },
			func(s *Settings) bool { return s.EffectivePivot() == detector.PivotBeam },
			func(s *Settings) string { return fmt.Sprint(s.EffectivePivot()) }},
		{"-twotheta without -pivot: MOSFLM keeps the beam pivot in both modes (mosflm_twotheta)",
			[]string{"-twotheta", "15"},
			func(s *Settings) bool { return s.EffectivePivot() == detector.PivotBeam },
			func(s *Settings) bool { return s.EffectivePivot() == detector.PivotBeam },
			func(s *Settings) string { return fmt.Sprint(s.EffectivePivot()) }},
		{"custom convention keeps the parsed pivot",
			[]string{"-beam_vector", "0", "0", "1", "-twotheta", "15"},
			func(s *Settings) bool { return s.EffectivePivot() == detector.PivotSample },
			func(s *Settings) bool { return s.EffectivePivot() == detector.PivotSample },
			func(s *Settings) string { return fmt.Sprint(s.EffectivePivot()) }},
	}
	for _, tc := range tests {
		spec := mustParse(t, tc.args...)
		cpar := mustParse(t, append([]string{"-mode", "c-parity"}, tc.args...)...)
		if !tc.spec(spec) {
			t.Errorf("%s: spec mode gives %s", tc.name, tc.what(spec))
		}
		if !tc.cpar(cpar) {
			t.Errorf("%s: c-parity mode gives %s", tc.name, tc.what(cpar))
		}
	}
}

func TestModeFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want Mode
	}{
		{nil, ModeSpec},
		{[]string{"-mode", "c-parity"}, ModeCParity},
		{[]string{"-mode", "c-parity", "-mode", "spec"}, ModeSpec},
	} {
		if s := mustParse(t, tc.args...); s.Mode != tc.want {
			t.Errorf("%q: mode %v, want %v", tc.args, s.Mode, tc.want)
		}
	}
}

// fieldDiff lists the exported fields of two Settings that print differently.
func fieldDiff(a, b *Settings) string {
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	var d []string
	for i := 0; i < va.NumField(); i++ {
		f := va.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		x, y := fmt.Sprint(va.Field(i).Interface()), fmt.Sprint(vb.Field(i).Interface())
		if x != y {
			d = append(d, fmt.Sprintf("%s %s vs %s", f.Name, x, y))
		}
	}
	return strings.Join(d, "; ")
}

// TestRealN: spec mode reads -N/-Na/-Nb/-Nc as real numbers (crystal size
// is continuous), c-parity as C's integers.
func TestRealN(t *testing.T) {
	s, err := Parse([]string{"-N", "3", "-Na", "4.004", "-Nc", "2.5"})
	if err != nil {
		t.Fatal(err)
	}
	if s.NCells != [3]float64{4.004, 3, 2.5} || s.Na != 4 || s.Nb != 3 || s.Nc != 2 {
		t.Errorf("NCells %v, Na %d Nb %d Nc %d; want [4.004 3 2.5], 4 3 2", s.NCells, s.Na, s.Nb, s.Nc)
	}
	if _, err := Parse([]string{"-mode", "c-parity", "-Na", "4.004"}); err == nil {
		t.Error("c-parity accepted -Na 4.004; C reads an integer")
	}
}
