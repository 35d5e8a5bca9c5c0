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
	// xyzobs.px.value and the data's (CompareImageCentroids); N is 0 when
	// not compared.
	Image ImageCentroids
	// Rows are the compared reflections one by one, in table order.
	Rows []CentroidRow
	// Missed counts flagged reflections the model predicts nowhere (its
	// lattice point never crosses the Ewald sphere, or its ray misses the
	// panel); they are left out of both RMSDs.
	Missed int
}

// CentroidRow is one reflection's centroids (x, y pixels, z images):
// DIALS's observed one (xyzobs.px.value), DIALS's prediction (xyzcal.px)
// and the model's Bragg prediction.
type CentroidRow struct {
	Row                    int // in the table
	HKL                    [3]int
	Observed, DIALS, Model [3]float64
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
		out.Rows = append(out.Rows, CentroidRow{Row: i, HKL: hkl, Observed: obs, DIALS: cal, Model: [3]float64{px[0], px[1], z}})
	}
	out.DIALS.N = out.Model.N
	out.Model.setRMSD(model)
	out.DIALS.setRMSD(dials)
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

// ImageCentroids are the fitted model image's spot centroids compared
// with DIALS's observed ones and with the data's own, taken the same way.
type ImageCentroids struct {
	// Observed is the model's against xyzobs.px.value (DIALS's centroid of
	// its strong, thresholded pixels).
	Observed CentroidRMSD
	// Data is the model's against the data's centroid of the counts above
	// the same fitted background over the same box: a like-for-like
	// comparison, free of the difference between the two estimators.
	Data CentroidRMSD
	// Rows are the compared reflections one by one, in box order.
	Rows []ImageCentroidRow
}

// ImageCentroidRow is one reflection's centroids (x, y pixels, z images)
// in the fitted model image and in the data (NaN where it has no signal).
type ImageCentroidRow struct {
	Row         int // in the table
	Model, Data [3]float64
}

// CompareImageCentroids compares the centroids of a fitted model's spots
// with DIALS's observed ones (xyzobs.px.value) and with the data's, over
// the rows of t DIALS refined against (RefinedRows): each spot's centroid
// is that of an image minus background[k] over the pixels of its box
// (DIALSBoxes) that were fitted, on the fit's frames k (scan image
// images[k], counted from 0) the box spans, at pixel centres (x + 0.5,
// y + 0.5, image + 0.5), as DIALS centroids the data; the image is
// model[k] for the model's centroid and counts[k] for the data's. Unlike
// a Bragg prediction it carries the model's profile and the bbox's
// truncation at the scan's ends, as the observed centroid does. model,
// background and counts hold per frame a fast-pixel-wide detector (model
// NaN where not fitted). A row without model signal in its box is left
// out, and from the data comparison one without data signal.
func CompareImageCentroids(t *refl.Table, images []int, fast int, model, background, counts [][]float64) ImageCentroids {
	var out ImageCentroids
	if len(model) == 0 || fast <= 0 {
		return out
	}
	var obsSq, dataSq [3]float64
	for _, box := range DIALSBoxes(t, RefinedRows, images, fast, len(model[0])/fast) {
		at, ok := boxCentroid(box, images, fast, model, model, background)
		if !ok {
			continue
		}
		obs := t.XYZObsPx[box.Row]
		for k := range at {
			obsSq[k] += (at[k] - obs[k]) * (at[k] - obs[k])
		}
		out.Observed.N++
		row := ImageCentroidRow{Row: box.Row, Model: at, Data: [3]float64{math.NaN(), math.NaN(), math.NaN()}}
		if data, ok := boxCentroid(box, images, fast, model, counts, background); ok {
			for k := range at {
				dataSq[k] += (at[k] - data[k]) * (at[k] - data[k])
			}
			out.Data.N++
			row.Data = data
		}
		out.Rows = append(out.Rows, row)
	}
	out.Observed.setRMSD(obsSq)
	out.Data.setRMSD(dataSq)
	return out
}

// boxCentroid is the centroid (x, y, image) of image minus background over
// the box's fitted pixels (model not NaN); false when their sum is not
// positive.
func boxCentroid(box Shoebox, images []int, fast int, model, image, background [][]float64) ([3]float64, bool) {
	var sum, sx, sy, sz float64
	for _, k := range box.Frames {
		z := float64(images[k]) + 0.5
		for y := box.Y0; y < box.Y1; y++ {
			for x := box.X0; x < box.X1; x++ {
				j := y*fast + x
				if math.IsNaN(model[k][j]) {
					continue
				}
				w := image[k][j] - background[k][j]
				sum += w
				sx += w * (float64(x) + 0.5)
				sy += w * (float64(y) + 0.5)
				sz += w * z
			}
		}
	}
	if !(sum > 0) {
		return [3]float64{}, false
	}
	return [3]float64{sx / sum, sy / sum, sz / sum}, true
}

// setRMSD sets the RMSDs from sums of squares over c.N rows (NaN for none).
func (c *CentroidRMSD) setRMSD(sq [3]float64) {
	n := float64(c.N)
	c.XPx, c.YPx, c.ZImages = math.Sqrt(sq[0]/n), math.Sqrt(sq[1]/n), math.Sqrt(sq[2]/n)
}
