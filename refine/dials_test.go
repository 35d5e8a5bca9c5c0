package refine_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gobragg/expt"
	"gobragg/refine"
	"gobragg/refl"
)

// The L-cysteine wedge: DIALS's integrated model and reflections of the
// first ten 0.1-degree frames of the DIALS small-molecule tutorial data
// (Diamond I19-1, PILATUS 2M; DIALS test data l_cysteine, images Zenodo
// 51405, CC-BY 4.0).
var (
	lcysDir  = filepath.Join("..", "..", "shared", "realdata", "l_cysteine")
	lcysExpt = filepath.Join(lcysDir, "11_integrated.expt")
	lcysRefl = filepath.Join(lcysDir, "11_integrated.refl")
)

// lcysteine reads DIALS's model and table, skipping when the data are absent.
func lcysteine(t *testing.T) (expt.Single, *refl.Table) {
	t.Helper()
	ef, err := os.Open(lcysExpt)
	if err != nil {
		t.Skipf("%v: skipping (the real data live in ../shared/realdata)", err)
	}
	defer ef.Close()
	l, err := expt.Read(ef, lcysExpt)
	if err != nil {
		t.Fatal(err)
	}
	model, err := l.Single(lcysExpt)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := os.Open(lcysRefl)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	tab, err := refl.Read(rf, lcysRefl)
	if err != nil {
		t.Fatal(err)
	}
	return model, tab
}

// TestDIALSShoeboxesLCysteine: on every image of the wedge the pixels are
// exactly the union of the chosen rows' boxes that cover it, counted
// here independently with a set of pixel coordinates.
func TestDIALSShoeboxesLCysteine(t *testing.T) {
	model, tab := lcysteine(t)
	fast, slow := model.Panel.ImageSize[0], model.Panel.ImageSize[1]
	for _, rows := range []string{"predicted", "integrated", "used_in_refinement"} {
		choice, err := refine.ParseDIALSRows(rows)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for z := range 10 {
			pix, n, err := refine.DIALSShoeboxes(tab, choice, z, fast, slow)
			if rows == "used_in_refinement" && err != nil {
				continue // some images hold none of the 16
			}
			if err != nil {
				t.Fatalf("%s, image %d: %v", rows, z, err)
			}
			want := map[[2]int]bool{}
			boxes := 0
			for i, b := range tab.BBox {
				f := refl.Flag(tab.Flags[i])
				chosen := tab.HKL[i] != [3]int{} && f&refl.Predicted != 0 &&
					(rows != "integrated" || f&(refl.IntegratedSum|refl.IntegratedPrf) != 0) &&
					(rows != "used_in_refinement" || f&refl.UsedInRefinement != 0)
				if !chosen || z < b[4] || z >= b[5] {
					continue
				}
				boxes++
				for y := b[2]; y < b[3]; y++ {
					for x := b[0]; x < b[1]; x++ {
						if x >= 0 && x < fast && y >= 0 && y < slow {
							want[[2]int{x, y}] = true
						}
					}
				}
			}
			if n != boxes || len(pix) != len(want) {
				t.Errorf("%s, image %d: %d boxes, %d pixels; want %d, %d", rows, z, n, len(pix), boxes, len(want))
			}
			for k, d := range pix {
				if !want[[2]int{d % fast, d / fast}] || (k > 0 && d <= pix[k-1]) {
					t.Fatalf("%s, image %d: pixel %d is not in a box or out of order", rows, z, d)
				}
			}
			total += n
		}
		t.Logf("%s: %d shoeboxes over the 10 images", rows, total)
	}
}

// TestDIALSShoeboxesRefused: tables and images a selection cannot use.
func TestDIALSShoeboxesRefused(t *testing.T) {
	one := func(bbox [6]int, panel int) *refl.Table {
		return &refl.Table{Rows: 1, HKL: [][3]int{{1, 2, 3}}, BBox: [][6]int{bbox}, Panel: []int{panel},
			ID: []int{0}, Flags: []uint64{uint64(refl.Predicted)}}
	}
	noBBox := one([6]int{0, 2, 0, 2, 0, 1}, 0)
	noBBox.BBox = nil
	cases := []struct {
		name string
		t    *refl.Table
		z    int
		want string
	}{
		{"no bbox column", noBBox, 0, "no bbox column"},
		{"panel 1", one([6]int{0, 2, 0, 2, 0, 1}, 1), 0, "panel 1"},
		{"outside the panel", one([6]int{20, 25, 0, 2, 0, 1}, 0), 0, "outside the 10x8 panel"},
		{"above the panel", one([6]int{0, 2, -5, 0, 0, 1}, 0), 0, "outside the 10x8 panel"},
		{"another image", one([6]int{0, 2, 0, 2, 3, 5}, 0), 2, "covers image 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := refine.DIALSShoeboxes(c.t, refine.PredictedRows, c.z, 10, 8)
			if !errors.Is(err, refine.ErrBadInput) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want ErrBadInput mentioning %q", err, c.want)
			}
		})
	}
	// A box reaching past the corner is clipped to the panel.
	pix, n, err := refine.DIALSShoeboxes(one([6]int{8, 12, 6, 9, 0, 1}, 0), refine.PredictedRows, 0, 10, 8)
	if err != nil || n != 1 || len(pix) != 4 || pix[0] != 6*10+8 || pix[3] != 7*10+9 {
		t.Errorf("clipped box: %v, %d, %v; want the 2x2 corner", pix, n, err)
	}
}

// TestScanImage: a frame's image number from its start angle, at random
// scans, and frames between images refused.
func TestScanImage(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 17))
	for range 200 {
		start := 360 * (2*r.Float64() - 1)
		width := 0.01 + r.Float64()
		k := r.IntN(2000) - 1000
		// Headers write the angle to 4 decimals.
		phi := math.Round((start+float64(k)*width)*1e4) / 1e4
		got, err := refine.ScanImage(phi, start, width)
		if err != nil || got != k {
			t.Fatalf("start %g width %g phi %g: image %d (%v), want %d", start, width, phi, got, err, k)
		}
		if _, err := refine.ScanImage(start+(float64(k)+0.3)*width, start, width); !errors.Is(err, refine.ErrBadInput) {
			t.Fatalf("a frame 0.3 images off a boundary gave %v", err)
		}
	}
	if _, err := refine.ScanImage(1, 0, 0); !errors.Is(err, refine.ErrBadInput) {
		t.Errorf("a scan of no width gave %v", err)
	}
}

// dialsAgreement bounds the difference between gobragg's and DIALS's
// centroid RMSDs from DIALS's own model: the predictions agree to about
// 4e-13 px (spots/dials_test.go), so the RMSDs agree to rounding.
const dialsAgreement = 1e-9

// TestCompareDIALSCentroidsOwnModel: from DIALS's own model, gobragg's
// centroid RMSD against xyzobs equals DIALS's (xyzcal against xyzobs)
// over the 16 reflections flagged used_in_refinement, on every frame of
// the wedge as the reference.
func TestCompareDIALSCentroidsOwnModel(t *testing.T) {
	model, tab := lcysteine(t)
	start, width := model.Scan.Oscillation[0], model.Scan.Oscillation[1]
	for _, frame := range []int{0, 4, 9} {
		p := prepare(t, "-expt_in", lcysExpt, "-default_F", "100", "-N", "20",
			"-phi", fmtFloat(start+float64(frame)*width), "-osc", fmtFloat(width))
		got, err := refine.CompareDIALSCentroids(p.Exp, model.Panel, start, width, tab)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("frame %d: gobragg %+v, DIALS %+v, missed %d", frame, got.Model, got.DIALS, got.Missed)
		if got.Model.N != 16 || got.Missed != 0 {
			t.Errorf("frame %d: %d reflections compared, %d missed; want the 16 flagged", frame, got.Model.N, got.Missed)
		}
		for _, d := range [][2]float64{{got.Model.XPx, got.DIALS.XPx}, {got.Model.YPx, got.DIALS.YPx}, {got.Model.ZImages, got.DIALS.ZImages}} {
			if math.Abs(d[0]-d[1]) > dialsAgreement {
				t.Errorf("frame %d: gobragg RMSD %.12g, DIALS %.12g", frame, d[0], d[1])
			}
		}
		// Row by row, the model's prediction is DIALS's.
		if len(got.Rows) != got.Model.N {
			t.Errorf("frame %d: %d rows for %d reflections", frame, len(got.Rows), got.Model.N)
		}
		for _, r := range got.Rows {
			for k := range 3 {
				if math.Abs(r.Model[k]-r.DIALS[k]) > dialsAgreement || r.DIALS[k] != tab.XYZCalPx[r.Row][k] || r.HKL != tab.HKL[r.Row] {
					t.Errorf("frame %d: row %d %v: model %v, DIALS %v", frame, r.Row, r.HKL, r.Model, r.DIALS)
					break
				}
			}
		}
	}
}

// TestCompareDIALSCentroidsMoved: a model moved off DIALS's by a random
// detector shift along fast and slow is that many pixels worse in x and
// y together (the RMSD of observed minus a constant offset).
func TestCompareDIALSCentroidsMoved(t *testing.T) {
	model, tab := lcysteine(t)
	start, width := model.Scan.Oscillation[0], model.Scan.Oscillation[1]
	p := prepare(t, "-expt_in", lcysExpt, "-default_F", "100", "-N", "20")
	base, err := refine.CompareDIALSCentroids(p.Exp, model.Panel, start, width, tab)
	if err != nil {
		t.Fatal(err)
	}
	if base.Model.XPx == 0 || base.Model.ZImages == 0 {
		t.Fatalf("DIALS's model fits its observations exactly: %+v", base.Model)
	}
	r := rand.New(rand.NewPCG(3, 5))
	for range 3 {
		// A shift of the beam centre moves every spot by (nearly) the
		// same number of pixels.
		dx, dy := 3+2*r.Float64(), -(3 + 2*r.Float64())
		q := prepare(t, "-expt_in", lcysExpt, "-default_F", "100", "-N", "20",
			"-Xbeam", fmtFloat(getOption(p.Exp, "Xbeam")+dx*0.172), "-Ybeam", fmtFloat(getOption(p.Exp, "Ybeam")+dy*0.172))
		got, err := refine.CompareDIALSCentroids(q.Exp, model.Panel, start, width, tab)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("shift %.2f %.2f px: %+v", dx, dy, got.Model)
		// Xbeam and Ybeam may map to either pixel axis: compare lengths.
		if math.Hypot(got.Model.XPx, got.Model.YPx) < math.Hypot(dx, dy)-2*math.Hypot(base.Model.XPx, base.Model.YPx) {
			t.Errorf("shift %.2f %.2f px: RMSD %+v, want about the shift", dx, dy, got.Model)
		}
	}
}

func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
