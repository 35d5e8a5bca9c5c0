package sim

import (
	"math"
	"strings"
	"testing"

	"gobragg/graph"
)

// quirkSwitch turns one C quirk off in a c-parity problem: a kernel
// switch, or (setExp) a change of the c-parity experiment taken from the
// spec one.
type quirkSwitch struct {
	name   string
	off    func(q *graph.Quirks)
	setExp func(cp, spec *graph.Experiment)
}

var (
	carryOver  = quirkSwitch{name: "phi = 0 carry-over", off: func(q *graph.Quirks) { q.CarryOver = false }}
	runningSum = quirkSwitch{name: "oversample_* factors multiply the running sum", off: func(q *graph.Quirks) { q.RunningSum = false }}
	lastLayer  = quirkSwitch{name: "capture fraction of the last layer only", off: func(q *graph.Quirks) { q.LastLayerCapture = false }}
	interpOff  = quirkSwitch{name: "global tricubic switch-off", off: func(q *graph.Quirks) { q.InterpolationSwitchOff = false }}
	polarUnit  = quirkSwitch{name: "polarization renormalises the diffracted vector", off: func(q *graph.Quirks) { q.PolarUnitizesDiffracted = false }}
	phiStart   = quirkSwitch{name: "phi steps sampled at their start", off: func(q *graph.Quirks) { q.PhiStepStart = false }}
	weights    = quirkSwitch{name: "source-file weights ignored",
		setExp: func(cp, spec *graph.Experiment) { cp.SourceWeights = spec.SourceWeights }}
	kernelQuirk = map[string][]quirkSwitch{
		"phi_carryover_tiny":           {carryOver, phiStart},
		"phi_osc_phi0_zero":            {carryOver, phiStart},
		"phi_osc_phi0_nonzero":         {phiStart},
		"spindle_axis":                 {phiStart},
		"oversample_thick_polar_omega": {runningSum},
		"detector_absorption":          {lastLayer},
		"hkl_interp_out_of_range":      {interpOff},
		"sourcefile":                   {weights},
	}
	// Cases whose command line means something else in spec mode.
	configQuirk = map[string]string{
		"mosflm_pivot_flag_overridden": "spec honours -pivot sample; C forces the beam pivot for MOSFLM",
		"supervisor_roi":               "spec uses -pix0_vector_mm; C ignores it (and the carry-over fires)",
		"supervisor_roi_peak":          "spec uses -pix0_vector_mm; C ignores it (and the carry-over fires)",
		"misset_seed_after_random":     "bl831 reads -misset_seed 12345 -N 5 as misset angles; spec keeps -misset random",
		"hkl_commented_file":           "C stops at the first comment line of the hkl file and exits; spec skips comments",
	}
	// Cases whose command line is impossible in spec mode, which refuses
	// it (with this text); C ignores what makes it so.
	specRefuses = map[string]string{
		// -pix0_vector -0.1 0.05 0.05 puts the panel 97 mm upstream of
		// the sample, its normal (-odet_vector) pointing downstream.
		"custom_vectors_pix0": "-pix0_vector: the detector does not face the sample",
	}
)

// sameTol bounds the difference between images that should agree: the modes
// run the same float64 code, so only rounding (last-bit) effects remain.
const sameTol = 1e-9

func relDiff(a, b []float64) float64 {
	var maxB, maxD float64
	for i := range a {
		maxB = math.Max(maxB, math.Abs(b[i]))
		maxD = math.Max(maxD, math.Abs(a[i]-b[i]))
	}
	if maxB == 0 {
		return maxD
	}
	return maxD / maxB
}

func image(t *testing.T, p *Problem) []float64 {
	t.Helper()
	img, err := p.Image()
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestSpecVersusCParity shows where -mode spec and -mode c-parity differ:
// every golden case gives the same image in both modes except the named
// ones, and for each named kernel quirk, switching just that quirk off in
// c-parity mode reproduces the spec image.
func TestSpecVersusCParity(t *testing.T) {
	m := loadManifest(t)
	for i := range m.Cases {
		c := &m.Cases[i]
		t.Run(c.Name, func(t *testing.T) {
			if testing.Short() && c.RoiCrop != nil {
				t.Skip("large detector: skipped in -short")
			}
			spec, specErr := prepareCase(t, m, c, "spec")
			cp, cpErr := prepareCase(t, m, c, "c-parity")
			if want, ok := specRefuses[c.Name]; ok {
				if specErr == nil || !strings.Contains(specErr.Error(), want) {
					t.Fatalf("spec mode: error %v, want one holding %q", specErr, want)
				}
				if cpErr != nil {
					t.Fatalf("c-parity failed: %v", cpErr)
				}
				return
			}
			if reason, ok := configQuirk[c.Name]; ok {
				if specErr != nil {
					t.Fatalf("spec mode failed: %v", specErr)
				}
				if cpErr != nil {
					t.Logf("%s: c-parity fails as C does (%v)", reason, cpErr)
					return
				}
				if d := relDiff(image(t, spec), renderedImage(t, c, cp)); d <= sameTol {
					t.Errorf("%s: expected the modes to differ, max rel diff %g", reason, d)
				} else {
					t.Logf("%s: max rel diff %.3g", reason, d)
				}
				return
			}
			if specErr != nil || cpErr != nil {
				if c.ExitCode == 0 {
					t.Fatalf("spec: %v, c-parity: %v", specErr, cpErr)
				}
				return
			}
			specImg := image(t, spec)
			cpImg := renderedImage(t, c, cp) // shared with TestGoldenCParity
			quirks := kernelQuirk[c.Name]
			d := relDiff(specImg, cpImg)
			if len(quirks) == 0 {
				if d > sameTol {
					t.Errorf("modes differ (max rel diff %g) but no quirk is expected to fire", d)
				}
				return
			}
			if d <= sameTol {
				t.Errorf("expected %s to change the image, max rel diff %g", quirks[0].name, d)
			}
			for _, q := range quirks {
				if q.off != nil {
					q.off(&cp.Exp.Setup.Quirks)
				}
				if q.setExp != nil {
					q.setExp(cp.Exp, spec.Exp)
				}
			}
			polarUnit.off(&cp.Exp.Setup.Quirks)
			if d2 := relDiff(specImg, image(t, cp)); d2 > sameTol {
				t.Errorf("with %s switched off c-parity still differs from spec by %g", quirks[0].name, d2)
			} else {
				t.Logf("%s: modes differ by %.3g; without it by %.3g", quirks[0].name, d, d2)
			}
		})
	}
}
