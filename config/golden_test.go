package config

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gobragg/crystal"
	"gobragg/detector"
	"gobragg/internal/golden"
)

// goldenCases loads the manifest and moves into the golden folder, since the
// case arguments name inputs/... relative to it.
func goldenCases(t *testing.T) []golden.Case {
	t.Helper()
	m := golden.Require(t)
	t.Chdir(m.Dir)
	return m.Cases
}

func parseMode(t *testing.T, args []string, mode string) *Settings {
	t.Helper()
	full := append(append([]string{}, args...), "-mode", mode)
	s, err := Parse(full)
	if err != nil {
		t.Fatalf("Parse(%q): %v", full, err)
	}
	if err := s.Resolve(); err != nil {
		t.Fatalf("Resolve after Parse(%q): %v", full, err)
	}
	return s
}

var (
	reDetsize = regexp.MustCompile(`detsize=(\S+)x(\S+)  pixel=(\S+) meters \((\d+)x(\d+) pixels\)`)
	reWave    = regexp.MustCompile(`  wave=.*`)
	reMosaic  = regexp.MustCompile(`\d+ mosaic domains over mosaic spread of .*`)
	rePhi     = regexp.MustCompile(`\d+ phi steps from .*`)
)

// TestGoldenCommandLines parses every golden command line in both modes,
// resolves it, and compares what C printed about the same quantities
// (detector size and pixel counts, wavelength and dispersion steps, mosaic
// domains, phi steps) with the resolved settings formatted as C does (%g).
func TestGoldenCommandLines(t *testing.T) {
	for _, gc := range goldenCases(t) {
		for _, mode := range []string{"spec", "c-parity"} {
			t.Run(gc.Name+"/"+mode, func(t *testing.T) {
				s := parseMode(t, gc.Args, mode)
				logText, err := os.ReadFile(filepath.Join(gc.Name, "c.log"))
				if err != nil || gc.ExitCode != 0 {
					return // hkl_commented_file: C stops before printing these lines
				}
				log := string(logText)
				want := []struct{ what, got, c string }{
					{"wave line", fmt.Sprintf("  wave=%s meters +/- %s%% in %d steps", g(s.Lambda0), g(s.Dispersion*100), s.DispSteps), reWave.FindString(log)},
					{"mosaic line", fmt.Sprintf("%d mosaic domains over mosaic spread of %s degrees", s.MosaicDomains, g(s.MosaicSpread*rtd)), reMosaic.FindString(log)},
					{"phi line", fmt.Sprintf("%d phi steps from %s to %s degrees", s.PhiSteps, g(s.Phi0*rtd), g((s.Phi0+s.Osc)*rtd)), rePhi.FindString(log)},
					{"detector line", fmt.Sprintf("detsize=%sx%s  pixel=%s meters (%dx%d pixels)", g(s.DetsizeF), g(s.DetsizeS), g(s.PixelSize), s.FPixels, s.SPixels), reDetsize.FindString(log)},
				}
				for _, w := range want {
					if w.got != w.c {
						t.Errorf("%s: settings give %q, c.log has %q", w.what, w.got, w.c)
					}
				}
			})
		}
	}
}

// TestGoldenSpotChecks checks parsed values, in SI units, for a selection of
// golden cases. Expected values are written as C computes them (value/1000.0,
// value/rtd) so the comparison is exact.
func TestGoldenSpotChecks(t *testing.T) {
	cases := map[string]*golden.Case{}
	for _, gc := range goldenCases(t) {
		cases[gc.Name] = &gc
	}
	type check struct {
		what      string
		got, want any
	}
	tests := []struct {
		name  string
		check func(s *Settings, mode string) []check
	}{
		{"mosflm_default", func(s *Settings, _ string) []check {
			return []check{
				{"CellAngstrom", s.CellAngstrom, [3]float64{100, 100, 100}},
				{"CellAngles", s.CellAngles, [3]float64{90 / rtd, 90 / rtd, 90 / rtd}},
				{"Na,Nb,Nc", [3]int{s.Na, s.Nb, s.Nc}, [3]int{5, 5, 5}},
				{"Lambda0", s.Lambda0, rt(1) / 1.0e10},
				{"Distance", s.Distance, rt(100) / 1000.0},
				{"PixelSize", s.PixelSize, rt(0.1) / 1000.0},
				{"FPixels,SPixels", [2]int{s.FPixels, s.SPixels}, [2]int{128, 128}},
				{"Seed", s.Seed, int64(-1)},
				{"WriteNoise,WritePGM", [2]bool{s.WriteNoise, s.WritePGM}, [2]bool{true, true}},
				{"Oversample", s.Oversample, -1},
				{"Convention", s.Convention, detector.MOSFLM},
				{"EffectivePivot", s.EffectivePivot(), detector.PivotBeam},
				{"ROI", [4]int{s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax}, [4]int{0, 128, 0, 128}},
			}
		}},
		{"mosflm_beam_center", func(s *Settings, _ string) []check {
			return []check{
				{"Xbeam", s.Xbeam, rt(5.0) / 1000.0}, {"Ybeam", s.Ybeam, rt(7.3) / 1000.0},
				{"WriteNoise,WritePGM,Progress", [3]bool{s.WriteNoise, s.WritePGM, s.Progress}, [3]bool{false, false, false}},
				{"Oversample", s.Oversample, 1},
			}
		}},
		{"mosflm_pivot_flag_overridden", func(s *Settings, mode string) []check {
			want := detector.PivotSample // spec: -pivot wins
			if mode == "c-parity" {
				want = detector.PivotBeam // C: MOSFLM forces the beam pivot
			}
			return []check{
				{"Pivot", s.Pivot, detector.PivotSample},
				{"EffectivePivot", s.EffectivePivot(), want},
				{"DetectorRot", s.DetectorRot, Vec3{3 / rtd, 2 / rtd, 4 / rtd}},
			}
		}},
		{"xds_orgx_nonsquare", func(s *Settings, _ string) []check {
			return []check{
				{"FPixels,SPixels", [2]int{s.FPixels, s.SPixels}, [2]int{96, 80}},
				{"DetsizeF,DetsizeS", [2]float64{s.DetsizeF, s.DetsizeS}, [2]float64{rt(0.1) / 1000.0 * 96, rt(0.1) / 1000.0 * 80}},
				{"ORGX,ORGY", [2]float64{s.ORGX, s.ORGY}, [2]float64{40.5, 30.25}},
				{"Convention", s.Convention, detector.XDS},
				{"EffectivePivot", s.EffectivePivot(), detector.PivotSample},
			}
		}},
		{"xds_xbeam_only", func(s *Settings, mode string) []check {
			want := detector.PivotSample // no -pivot: the convention decides in both modes
			return []check{{"Pivot", s.Pivot, detector.PivotBeam}, {"EffectivePivot", s.EffectivePivot(), want}}
		}},
		{"custom_twotheta_close", func(s *Settings, _ string) []check {
			return []check{
				{"Convention", s.Convention, detector.Custom},
				{"TwothetaAxis", s.TwothetaAxis, Vec3{0, 0, -1}},
				{"Twotheta", s.Twotheta, 12 / rtd},
				{"CloseDistance", s.CloseDistance, rt(95) / 1000.0},
				{"Distance (default)", s.Distance, 100.0e-3},
				{"EffectivePivot", s.EffectivePivot(), detector.PivotSample},
			}
		}},
		{"custom_vectors_pix0", func(s *Settings, mode string) []check {
			return []check{
				{"Pix0Vector", s.Pix0Vector, Vec3{-0.1, 0.05, 0.05}},
				{"UsePix0", s.UsePix0(), mode == "spec"},
				{"BeamVector", s.BeamVector, Vec3{0.999950004, 0.009999833, 0}},
				{"Convention", s.Convention, detector.Custom},
				{"EffectivePivot", s.EffectivePivot(), detector.PivotBeam},
			}
		}},
		{"supervisor_roi", func(s *Settings, mode string) []check {
			return []check{
				{"Pix0Vector (mm -> m)", s.Pix0Vector, Vec3{-rt(216.336293) / 1000.0, rt(215.205512) / 1000.0, -rt(230.200866) / 1000.0}},
				{"UsePix0", s.UsePix0(), mode == "spec"},
				{"SpindleAxis", s.SpindleAxis, Vec3{-1, 0, 0}},
				{"FPixels,SPixels", [2]int{s.FPixels, s.SPixels}, [2]int{2463, 2527}},
				{"PixelSize", s.PixelSize, rt(0.172) / 1000.0},
				{"Na,Nb,Nc", [3]int{s.Na, s.Nb, s.Nc}, [3]int{36, 47, 29}},
				{"Fluence", s.Fluence, rt(1e18) * 1 / (rt(1.0) / 1000) / (rt(1.0) / 1000)},
				{"Osc,PhiSteps,PhiStep", []any{s.Osc, s.PhiSteps, s.PhiStep}, []any{0.1 / rtd, 10, 0.1 / rtd / 10}},
				{"ROI", [4]int{s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax}, [4]int{1010, 1069, 655, 714}},
				{"Interpolate", s.Interpolate, 0},
				{"MatFile,HKLFile", [2]string{s.MatFile, s.HKLFile}, [2]string{"inputs/A.mat", "inputs/scaled.hkl"}},
			}
		}},
		{"misset_random_seeded", func(s *Settings, _ string) []check {
			return []check{{"Misset", s.Misset, MissetRandom}, {"MissetSeed", s.MissetSeed, int64(-12345)}}
		}},
		{"mask", func(s *Settings, _ string) []check {
			zeros := 0
			for _, v := range s.Mask {
				if v == 0 {
					zeros++
				}
			}
			return []check{
				{"mask size", [3]int{len(s.Mask), s.MaskWidth, s.MaskHeight}, [3]int{64 * 64, 64, 64}},
				{"mask has zeros and ones", zeros > 0 && zeros < len(s.Mask), true},
				{"FPixels,SPixels", [2]int{s.FPixels, s.SPixels}, [2]int{64, 64}},
				{"Distance", s.Distance, rt(80) / 1000.0},
				{"Xbeam", s.Xbeam, rt(3) / 1000.0},
				{"Ybeam (flipped)", s.Ybeam, rt(0.1)/1000.0*64 - rt(3.5)/1000.0},
				{"Seed", s.Seed, int64(-9)},
			}
		}},
		{"energy", func(s *Settings, _ string) []check {
			return []check{{"Lambda0", s.Lambda0, (rt(12398.42) / 9000) / 1.0e10}}
		}},
		{"dispersion", func(s *Settings, _ string) []check {
			return []check{{"Dispersion,DispSteps,DispStep", []any{s.Dispersion, s.DispSteps, s.DispStep}, []any{rt(4) / 100.0, 5, rt(4) / 100.0 / 4}}}
		}},
		{"divergence_square", func(s *Settings, _ string) []check {
			return []check{
				{"HDiv", []any{s.HDivRange, s.HDivSteps, s.HDivStep}, []any{rt(1.0) / 1000.0, 3, rt(1.0) / 1000.0 / 2}},
				{"VDiv", []any{s.VDivRange, s.VDivSteps, s.VDivStep}, []any{rt(1.0) / 1000.0, 3, rt(1.0) / 1000.0 / 2}},
				{"RoundDiv", s.RoundDiv, false},
			}
		}},
		{"mosaic", func(s *Settings, _ string) []check {
			return []check{{"Mosaic", []any{s.MosaicSpread, s.MosaicDomains, s.MosaicSeed}, []any{0.8 / rtd, 12, int64(-42)}}}
		}},
		{"detector_absorption", func(s *Settings, _ string) []check {
			return []check{
				{"DetectorMu", s.DetectorMu, 1.0 / (rt(500) * 1e-6)},
				{"DetectorThick", s.DetectorThick, 450 * 1e-6},
				{"DetectorThickSteps,Step", []any{s.DetectorThickSteps, s.DetectorThickStep}, []any{5, rt(450) * 1e-6 / 4}},
				{"Twotheta", s.Twotheta, 20 / rtd},
			}
		}},
		{"flux_exposure_beamsize", func(s *Settings, _ string) []check {
			bs := rt(0.02) / 1000
			f := rt(2e19) * 2 / bs / bs
			return []check{{"BeamSize", s.BeamSize, bs}, {"Fluence", s.Fluence, f}, {"Flux", s.Flux, f / 2 * bs * bs}, {"Seed", s.Seed, int64(-11)}}
		}},
		{"phi_osc_phi0_nonzero", func(s *Settings, _ string) []check {
			return []check{{"Phi", []any{s.Phi0, s.Osc, s.PhiSteps, s.PhiStep}, []any{10 / rtd, 1.0 / rtd, 5, 1.0 / rtd / 5}}}
		}},
		{"noise_adc_scale_pgmscale", func(s *Settings, _ string) []check {
			return []check{{"ADC,IntScale,PGMScale", [3]float64{s.ADC, s.IntScale, s.PGMScale}, [3]float64{10, 2.5, 3}}, {"PGMFile", s.PGMFile, "image.pgm"}}
		}},
		{"tophat_spots_fudge", func(s *Settings, _ string) []check {
			return []check{{"Shape", s.Shape, crystal.Tophat}, {"Fudge", s.Fudge, 0.5}}
		}},
		{"curved_det", func(s *Settings, _ string) []check {
			return []check{{"CurvedDetector", s.CurvedDetector, true}, {"Distance", s.Distance, rt(40) / 1000.0}}
		}},
		{"hkl_interpolate", func(s *Settings, _ string) []check {
			return []check{{"Interpolate", s.Interpolate, 1}, {"Misset", []any{s.Misset, s.MissetAngles}, []any{MissetAngles, Vec3{5 / rtd, 3 / rtd, 2 / rtd}}}}
		}},
		{"hkl_interp_auto_N2", func(s *Settings, _ string) []check {
			return []check{{"Interpolate", s.Interpolate, 2}, {"N", s.Na, 2}}
		}},
		{"n0", func(s *Settings, _ string) []check { return []check{{"Na", s.Na, 0}} }},
		{"roi", func(s *Settings, _ string) []check {
			return []check{{"ROI", [4]int{s.RoiXMin, s.RoiXMax, s.RoiYMin, s.RoiYMax}, [4]int{20, 90, 30, 100}}}
		}},
		{"sourcefile", func(s *Settings, _ string) []check {
			return []check{{"SourceFile", s.SourceFile, "inputs/sources.txt"}}
		}},
		{"spindle_axis", func(s *Settings, _ string) []check {
			return []check{{"SpindleAxis", s.SpindleAxis, Vec3{0, 1, 0}}, {"Convention", s.Convention, detector.Custom}}
		}},
	}
	for _, tc := range tests {
		gc := cases[tc.name]
		if gc == nil {
			t.Errorf("golden case %s not in manifest", tc.name)
			continue
		}
		for _, mode := range []string{"spec", "c-parity"} {
			s := parseMode(t, gc.Args, mode)
			for _, c := range tc.check(s, mode) {
				if fmt.Sprint(c.got) != fmt.Sprint(c.want) || !sameBits(c.got, c.want) {
					t.Errorf("%s (%s): %s = %v, want %v", tc.name, mode, c.what, c.got, c.want)
				}
			}
		}
	}
}

// rt returns x as a run-time float64, so that a multi-step expression is
// evaluated in float64 as in C rather than exactly as a Go constant.
func rt(x float64) float64 { return x }

// sameBits compares float64 values exactly (fmt.Sprint rounds).
func sameBits(a, b any) bool {
	fa, oka := a.(float64)
	fb, okb := b.(float64)
	if oka && okb {
		return math.Float64bits(fa) == math.Float64bits(fb)
	}
	return true
}

// TestGoldenMissetSeedAfterRandom: golden case misset_seed_after_random.
// bl831 reads "-misset_seed 12345 -N 5" also as "-misset 12345 -N 5":
// angles 12345 deg, atof("-N") = 0 and 5 deg replace the earlier -misset
// random. Spec mode keeps the random orientation from seed 12345.
func TestGoldenMissetSeedAfterRandom(t *testing.T) {
	var gc *golden.Case
	for _, c := range goldenCases(t) {
		if c.Name == "misset_seed_after_random" {
			gc = &c
		}
	}
	if gc == nil {
		t.Fatal("misset_seed_after_random not in manifest")
	}
	spec := parseMode(t, gc.Args, "spec")
	if spec.Misset != MissetRandom || spec.MissetSeed != -12345 {
		t.Errorf("spec: Misset %v seed %d, want random seed -12345", spec.Misset, spec.MissetSeed)
	}
	cp := parseMode(t, gc.Args, "c-parity")
	want := Vec3{12345 / rtd, 0 / rtd, 5 / rtd}
	if cp.Misset != MissetAngles || cp.MissetAngles != want || cp.MissetSeed != -12345 {
		t.Errorf("c-parity: Misset %v angles %v seed %d, want angles %v seed -12345", cp.Misset, cp.MissetAngles, cp.MissetSeed, want)
	}
	if cp.Na != 5 {
		t.Errorf("c-parity: -N after -misset_seed must still be applied, Na = %d", cp.Na)
	}
	// Everything else is the same in both modes.
	a, b := *spec, *cp
	a.Mode, b.Mode = 0, 0
	a.Misset, b.Misset = 0, 0
	a.MissetAngles, b.MissetAngles = Vec3{}, Vec3{}
	a.Seed, b.Seed = 0, 0 // clock-based, may tick between the two parses
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("modes differ beyond the misset:\nspec     %+v\nc-parity %+v", a, b)
	}
	if !strings.Contains(fmt.Sprint(gc.Args), "-misset random") {
		t.Errorf("golden args changed: %q", gc.Args)
	}
}
