package refine

import (
	"math"

	"gobragg/expt"
	"gobragg/graph"
	"gobragg/refl"
	"gobragg/spots"
)

// CentroidRMSD is the root-mean-square difference between predicted and
// observed spot centroids, in DIALS's pixel coordinates (parallax
// corrected when the panel asks for it) and images of the scan.
type CentroidRMSD struct {
	N        int     // reflections compared
	XPx, YPx float64 // along the fast and slow axes, pixels
	ZImages  float64 // along the scan, images
}

// DIALSCentroids compares a model's and DIALS's predicted centroids with
// DIALS's observed ones (xyzobs.px.value) over the same reflections.
type DIALSCentroids struct {
	// Model is the experiment's predictions against xyzobs.px.value; DIALS
	// is DIALS's own xyzcal.px against xyzobs.px.value.
	Model, DIALS CentroidRMSD
	// Image is the fitted model image's spot centroids against
	// xyzobs.px.value (CompareImageCentroids); N is 0 when not compared.
	Image CentroidRMSD
	// Missed counts flagged reflections the model predicts nowhere (its
	// lattice point never crosses the Ewald sphere, or its ray misses the
	// panel); they are left out of both RMSDs.
	Missed int
}

// missedExcitation is the excitation error (1/Angstrom) above which a
// prediction did not find the Ewald sphere: a crossing is exact to
// rounding, about 1e-16 of |s0| ~ 1.5 1/Angstrom.
const missedExcitation = 1e-9

// CompareDIALSCentroids predicts every reflection of t flagged
// used_in_refinement with the experiment e at its current parameters,
// where its lattice point crosses the Ewald sphere nearest to the mean
// angle of e's frame, and compares the prediction and DIALS's xyzcal.px
// with DIALS's xyzobs.px.value. The scan's images start at scanStartDeg
// and are widthDeg wide (z counted from 0 at the scan's start); panel
// gives the pixel convention (px_mm_strategy, thickness, mu) and e the
// panel's place. A table without the columns is refused with
// ErrBadInput; without a flagged row that the model predicts, the RMSDs
// are NaN.
func CompareDIALSCentroids(e *graph.Experiment, panel expt.Panel, scanStartDeg, widthDeg float64, t *refl.Table) (DIALSCentroids, error) {
	var out DIALSCentroids
	if err := CheckDIALSCentroidColumns(t); err != nil {
		return out, err
	}
	if !(widthDeg > 0) {
		return out, badf("the scan's images have no width (%g degrees)", widthDeg)
	}
	view, err := e.BraggView(nil)
	if err != nil {
		return out, err
	}
	// Any crossing, the nearest to the frame's middle: DIALS's flagged
	// reflections lie within its wedge.
	view.HalfOscRad = math.Pi
	meanDeg := meanPhiRad(e) * 180 / math.Pi
	at := modelPanel(view, panel)
	var model, dials [3]float64
	for i, hkl := range t.HKL {
		if hkl == [3]int{} || !t.Has(i, refl.UsedInRefinement) {
			continue
		}
		pr, ok := spots.Predict(view, hkl)
		if !ok || math.Abs(pr.Excitation.V) > missedExcitation {
			out.Missed++
			continue
		}
		px := at.PixelOf([2]float64{pr.Fast.V * at.PixelSizeMM[0], pr.Slow.V * at.PixelSizeMM[1]})
		z := (meanDeg + pr.TurnRad.V*180/math.Pi - scanStartDeg) / widthDeg
		obs, cal := t.XYZObsPx[i], t.XYZCalPx[i]
		for k, v := range [3]float64{px[0], px[1], z} {
			model[k] += (v - obs[k]) * (v - obs[k])
			dials[k] += (cal[k] - obs[k]) * (cal[k] - obs[k])
		}
		out.Model.N++
	}
	out.DIALS.N = out.Model.N
	n := float64(out.Model.N) // 0: NaN RMSDs
	out.Model.XPx, out.Model.YPx, out.Model.ZImages = math.Sqrt(model[0]/n), math.Sqrt(model[1]/n), math.Sqrt(model[2]/n)
	out.DIALS.XPx, out.DIALS.YPx, out.DIALS.ZImages = math.Sqrt(dials[0]/n), math.Sqrt(dials[1]/n), math.Sqrt(dials[2]/n)
	return out, nil
}

// CheckDIALSCentroidColumns refuses, with ErrBadInput, a table without a
// column CompareDIALSCentroids reads, so that a caller can refuse it
// before a fit rather than after.
func CheckDIALSCentroidColumns(t *refl.Table) error {
	for _, c := range []struct {
		name    string
		present bool
	}{{"miller_index", t.HKL != nil}, {"flags", t.Flags != nil}, {"xyzobs.px.value", t.XYZObsPx != nil}, {"xyzcal.px", t.XYZCalPx != nil}} {
		if !c.present {
			return badf("the table has no %s column", c.name)
		}
	}
	return nil
}

// meanPhiRad is the angle a Bragg view of e turns its crystal to: the
// middle of its phi steps (the phi parameter for a still).
func meanPhiRad(e *graph.Experiment) float64 {
	if phis := e.PhiAngles(); len(phis) > 0 {
		return (phis[0] + phis[len(phis)-1]) / 2
	}
	phi, _ := e.Params.Get(graph.PPhi)
	return phi
}

// modelPanel is panel placed where the view's detector is (origin and
// axes in the view's frame; PixelOf uses only their relative directions),
// so that a refined geometry converts its positions with its own
// parallax.
func modelPanel(v graph.BraggView, panel expt.Panel) expt.Panel {
	g := v.Geometry
	p0 := g.Pix0.Values()
	pixelMM := g.PixelSizeM * 1000
	panel.Origin = [3]float64{p0[0] * 1000, p0[1] * 1000, p0[2] * 1000}
	panel.FastAxis, panel.SlowAxis = g.Fdet.Values(), g.Sdet.Values()
	panel.PixelSizeMM = [2]float64{pixelMM, pixelMM}
	return panel
}

// CompareImageCentroids compares the centroids of a fitted model's spots
// with DIALS's observed ones (xyzobs.px.value), over the rows of t DIALS
// refined against (RefinedRows): each spot's centroid is that of model[k] -
// background[k] over the pixels of its box (DIALSBoxes) that were fitted,
// on the fit's frames k (scan image images[k], counted from 0) the box
// spans, at pixel centres (x + 0.5, y + 0.5, image + 0.5), as DIALS
// centroids the data. Unlike a Bragg prediction it carries the model's
// profile and the bbox's truncation at the scan's ends, as the observed
// centroid does. model and background hold per frame a fast-pixel-wide
// detector (NaN where not fitted). A row without model signal in its box
// is left out.
func CompareImageCentroids(t *refl.Table, images []int, fast int, model, background [][]float64) CentroidRMSD {
	var out CentroidRMSD
	if len(model) == 0 || fast <= 0 {
		return out
	}
	var sq [3]float64
	for _, box := range DIALSBoxes(t, RefinedRows, images, fast, len(model[0])/fast) {
		var sum, sx, sy, sz float64
		for _, k := range box.Frames {
			z := float64(images[k]) + 0.5
			for y := box.Y0; y < box.Y1; y++ {
				for x := box.X0; x < box.X1; x++ {
					j := y*fast + x
					if math.IsNaN(model[k][j]) {
						continue
					}
					w := model[k][j] - background[k][j]
					sum += w
					sx += w * (float64(x) + 0.5)
					sy += w * (float64(y) + 0.5)
					sz += w * z
				}
			}
		}
		if !(sum > 0) {
			continue
		}
		obs := t.XYZObsPx[box.Row]
		for k, v := range [3]float64{sx / sum, sy / sum, sz / sum} {
			sq[k] += (v - obs[k]) * (v - obs[k])
		}
		out.N++
	}
	n := float64(out.N)
	out.XPx, out.YPx, out.ZImages = math.Sqrt(sq[0]/n), math.Sqrt(sq[1]/n), math.Sqrt(sq[2]/n)
	return out
}
