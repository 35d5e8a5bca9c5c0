package spots_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"gobragg/expt"
	"gobragg/refl"
	"gobragg/spots"
)

// The L-cysteine wedge: DIALS's integrated model and reflections of the
// first ten 0.1-degree frames of the DIALS small-molecule tutorial data
// (Diamond I19-1, PILATUS 2M at 30 degrees two-theta; Zenodo 51405,
// CC-BY 4.0). Its goniometer scans omega with phi fixed.
var (
	lcysExpt = filepath.Join("..", "..", "shared", "realdata", "l_cysteine", "11_integrated.expt")
	lcysRefl = filepath.Join("..", "..", "shared", "realdata", "l_cysteine", "11_integrated.refl")
)

// dialsAgreementPx is the bound on the RMSD between gobragg's and
// DIALS's predicted centroids of the same model.
const dialsAgreementPx = 0.1

// TestPredictionsMatchDIALS simulates the first L-cysteine frame from
// DIALS's model (-expt_in) and predicts every indexed reflection of
// DIALS's table where its lattice point crosses the Ewald sphere. The
// positions, in DIALS's pixel convention (parallax corrected), and the
// image numbers must agree with DIALS's own predictions (xyzcal.px).
func TestPredictionsMatchDIALS(t *testing.T) {
	ef, err := os.Open(lcysExpt)
	if err != nil {
		t.Skipf("%v: skipping (the real data live in ../shared/realdata)", err)
	}
	l, err := expt.Read(ef, lcysExpt)
	ef.Close()
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
	tab, err := refl.Read(rf, lcysRefl)
	rf.Close()
	if err != nil {
		t.Fatal(err)
	}

	p := prepare(t, "-expt_in", lcysExpt, "-default_F", "100", "-N", "20", "-detpixels_f", "1475", "-detpixels_s", "1679")
	view, err := p.Exp.BraggView(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Look for each crossing within 10 degrees of the first frame: DIALS's
	// table holds partials predicted up to 3 degrees outside the wedge.
	view.HalfOscRad = 10 * math.Pi / 180
	oscStart, oscWidth := model.Scan.Oscillation[0], model.Scan.Oscillation[1]
	frameMid := oscStart + oscWidth/2 // the view's angle: frame 1's middle (degrees)
	pixelMM := model.Panel.PixelSizeMM[0]

	var sumXY, sumZ float64
	n := 0
	for i, hkl := range tab.HKL {
		if hkl == [3]int{} {
			continue // a strong spot DIALS did not index
		}
		pr, ok := spots.Predict(view, hkl)
		if !ok {
			t.Errorf("%v: no prediction", hkl)
			continue
		}
		px := model.Panel.PixelOf([2]float64{pr.Fast.V * pixelMM, pr.Slow.V * pixelMM})
		z := (frameMid + pr.TurnRad.V*180/math.Pi - oscStart) / oscWidth
		want := tab.XYZCalPx[i]
		dx, dy, dz := px[0]-want[0], px[1]-want[1], z-want[2]
		sumXY += dx*dx + dy*dy
		sumZ += dz * dz
		n++
		if math.Hypot(dx, dy) > 3*dialsAgreementPx {
			t.Logf("%v: gobragg %.3f %.3f %.3f, DIALS %.3f %.3f %.3f", hkl, px[0], px[1], z, want[0], want[1], want[2])
		}
	}
	rmsXY, rmsZ := math.Sqrt(sumXY/float64(n)), math.Sqrt(sumZ/float64(n))
	t.Logf("%d reflections: RMSD %.2e px on the detector, %.2e images in z", n, rmsXY, rmsZ)
	if n < 80 || rmsXY > dialsAgreementPx || rmsZ > dialsAgreementPx {
		t.Errorf("%d reflections: RMSD %.4f px, %.4f images; want at most %g", n, rmsXY, rmsZ, dialsAgreementPx)
	}
}
