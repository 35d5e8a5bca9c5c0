package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wedgeModel is the crystal and sampling of the L-cysteine wedge fit: a
// Gaussian reciprocal-space spot (nanoBragg's -gauss_xtal, whose width
// 0.56/N^3 1/Angstrom Na refines), Gaussian mosaic domains on a Halton
// sequence whose spread refines (from DIALS's sigma_m, 0.078 degree), and
// phi steps fine enough that the frame sums are smooth in the parameters
// (the sensor's two layers come from the list).
var wedgeModel = []string{"-gauss_xtal", "-N", "10", "-mosaic", "0.08", "-mosaic_dom", "16", "-mosaic_halton", "-mosaic_normal",
	"-phisteps", "4", "-oversample", "1"}

// wedgeRefine is what the wedge fit refines.
const wedgeRefine = "scale,background,misset_x,misset_y,misset_z,cell_a,cell_b,cell_c,mosaic,Na,F,Xbeam,Ybeam"

// Cells of L-cysteine (Angstrom): the full dataset's (the data's README)
// and DIALS's ten-frame model in 11_integrated.expt.
var (
	lcysFullCell  = [3]float64{5.428, 8.141, 12.038}
	lcysDIALSCell = [3]float64{5.43333, 8.13371, 12.0598}
)

// TestLCysteineWedge refines the ten measured L-cysteine frames (DIALS
// small-molecule tutorial data, Diamond I19-1, PILATUS 2M; DIALS test
// data l_cysteine, images Zenodo 51405, CC-BY 4.0) from DIALS's
// integrated model inside DIALS's shoeboxes, with the structure factors
// of the integrated reflections and a background per shoebox refined, and checks the fit against what
// DIALS's own model achieves: a refined cell nearer the full dataset's, a
// model whose spots are centred nearer the observed centroids along the
// scan, F that correlate with DIALS's integrated intensities, and an
// honest status. GOBRAGG_WEDGE=1 (make test-wedge): a few minutes.
func TestLCysteineWedge(t *testing.T) {
	if os.Getenv("GOBRAGG_WEDGE") == "" {
		t.Skip("the ten-frame real wedge takes minutes: set GOBRAGG_WEDGE=1 (make test-wedge)")
	}
	exptPath, _ := filepath.Abs(filepath.Join(lcysDir, "11_integrated.expt"))
	table, _ := filepath.Abs(filepath.Join(lcysDir, "11_integrated.refl"))
	var frames []string
	for k := 1; k <= 10; k++ {
		p, _ := filepath.Abs(filepath.Join(lcysDir, fmt.Sprintf("l-cyst_01_%05d.cbf", k)))
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%v: skipping (the real data live in ../shared/realdata)", err)
		}
		frames = append(frames, p)
	}
	out := t.TempDir()
	args := append([]string{"refine", "-expt_in", exptPath, "-select", dialsPrefix + table, "-dials_rows", "integrated",
		"-data", strings.Join(frames, ","), "-hkl", table, "-refine", wedgeRefine, "-restraint", "F=1", "-background", "0.05", "-strategy", "all",
		"-background_model", "shoebox", "-out", filepath.Join(out, "r.json"), "-hklout", filepath.Join(out, "F.hkl"), "-png", filepath.Join(out, "boxes.png"),
		"-noprogress"}, wedgeModel...)
	res := runIn(t, out, args...)
	t.Logf("gobragg %s\n%s", strings.Join(args, " "), res.stdout)
	if res.code != 0 && res.code != 3 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	raw, err := os.ReadFile(filepath.Join(out, "r.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Converged  bool   `json:"converged"`
		Reason     string `json:"reason"`
		Parameters map[string]struct {
			Value float64  `json:"value"`
			Sigma *float64 `json:"sigma"`
		} `json:"parameters"`
		GoodnessOfFit struct {
			PerPixel float64 `json:"per_pixel"`
			Expected float64 `json:"expected_per_pixel"`
		} `json:"goodness_of_fit"`
		DIALS struct {
			N     int        `json:"reflections"`
			Model [3]float64 `json:"model_rmsd_xyz"`
			DIALS [3]float64 `json:"dials_rmsd_xyz"`
			Image [3]float64 `json:"model_image_rmsd_xyz"`
			Data  [3]float64 `json:"model_image_vs_data_rmsd_xyz"`
		} `json:"dials_centroids"`
		Backgrounds struct {
			Count int `json:"count"`
			Boxes []struct {
				Value float64 `json:"value"`
			} `json:"shoeboxes"`
		} `json:"shoebox_backgrounds"`
		DIALSF struct {
			N         int     `json:"reflections"`
			Raw       float64 `json:"cc_sqrt_I"`
			Corrected float64 `json:"cc_sqrt_I_lp_over_partiality"`
		} `json:"dials_F"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	// The status is honest: a fit that did not converge says why and
	// gives no standard errors.
	if (res.code == 0) != r.Converged || (!r.Converged && (r.Reason == "" || r.Parameters["cell_a"].Sigma != nil)) {
		t.Errorf("exit %d with converged %v, reason %q, sigma %v", res.code, r.Converged, r.Reason, r.Parameters["cell_a"].Sigma)
	}
	t.Logf("converged %v (%s); deviance %.3f per pixel, expected %.3f", r.Converged, r.Reason, r.GoodnessOfFit.PerPixel, r.GoodnessOfFit.Expected)

	// One background per DIALS shoebox on the fitted frames, none negative.
	if b := r.Backgrounds; b.Count == 0 || len(b.Boxes) != b.Count {
		t.Errorf("%d shoebox backgrounds, %d listed", b.Count, len(b.Boxes))
	}
	for i, b := range r.Backgrounds.Boxes {
		if !(b.Value >= 0) {
			t.Errorf("shoebox %d: background %g", i, b.Value)
		}
	}

	// The refined cell: each edge at least as near the full dataset's as
	// DIALS's ten-frame model's worst edge (0.18 %), and c, which DIALS's
	// ten frames leave 0.18 % long, nearer than DIALS's.
	worstDIALS := 0.0
	for k := range lcysFullCell {
		worstDIALS = math.Max(worstDIALS, math.Abs(lcysDIALSCell[k]/lcysFullCell[k]-1))
	}
	for k, n := range []string{"cell_a", "cell_b", "cell_c"} {
		got := r.Parameters[n].Value
		off := math.Abs(got/lcysFullCell[k] - 1)
		t.Logf("%s %.4f Angstrom: %.3f %% from the full dataset's %.3f (DIALS's ten frames %.4f, %.3f %%)", n, got, 100*off,
			lcysFullCell[k], lcysDIALSCell[k], 100*math.Abs(lcysDIALSCell[k]/lcysFullCell[k]-1))
		if off > worstDIALS {
			t.Errorf("%s = %.4f is %.3f %% from the full dataset's, worse than DIALS's worst edge (%.3f %%)", n, got, 100*off, 100*worstDIALS)
		}
	}
	if c := r.Parameters["cell_c"].Value; math.Abs(c-lcysFullCell[2]) >= math.Abs(lcysDIALSCell[2]-lcysFullCell[2]) {
		t.Errorf("cell_c = %.4f is no nearer %.3f than DIALS's %.4f", c, lcysFullCell[2], lcysDIALSCell[2])
	}

	// Centroids over the 16 reflections DIALS refined against.
	d := r.DIALS
	t.Logf("centroid RMSD (x px, y px, z images) over %d reflections: Bragg predictions %.3f %.3f %.3f, model image %.3f %.3f %.3f, DIALS's own %.3f %.3f %.3f; model image against the data's centroids in the same boxes %.3f %.3f %.3f",
		d.N, d.Model[0], d.Model[1], d.Model[2], d.Image[0], d.Image[1], d.Image[2], d.DIALS[0], d.DIALS[1], d.DIALS[2], d.Data[0], d.Data[1], d.Data[2])
	if d.N != 16 || !(d.Image[2] < d.DIALS[2]) {
		t.Errorf("the model image's spots along the scan (%.3f images over %d reflections) are no nearer the observed centroids than DIALS's (%.3f)",
			d.Image[2], d.N, d.DIALS[2])
	}

	// F against DIALS's integrated intensities, corrected as |F|^2 is
	// proportional to: the Lorentz-polarization factor and the partiality.
	f := r.DIALSF
	t.Logf("%d refined F: CC %.4f with sqrt(I lp / partiality), %.4f with sqrt(I)", f.N, f.Corrected, f.Raw)
	if f.N < 15 || !(f.Corrected >= 0.95) {
		t.Errorf("%d refined F correlate at %.4f with DIALS's corrected amplitudes, want >= 0.95 over >= 15", f.N, f.Corrected)
	}
}
