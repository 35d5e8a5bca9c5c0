package refine

import (
	"fmt"
	"math"
	"slices"

	"gobragg/refl"
)

// DIALSRows says which rows of a DIALS reflection table give shoeboxes.
type DIALSRows int

const (
	// PredictedRows are every indexed reflection DIALS predicted (flag
	// predicted, an experiment id, hkl not 0 0 0): the shoeboxes it
	// integrated, and the strong spots it indexed.
	PredictedRows DIALSRows = iota
	// IntegratedRows are the predicted rows DIALS integrated (flag
	// integrated_sum or integrated_prf).
	IntegratedRows
	// RefinedRows are the rows DIALS used in its own refinement (flag
	// used_in_refinement).
	RefinedRows
)

// ParseDIALSRows reads a row choice: predicted, integrated or
// used_in_refinement.
func ParseDIALSRows(s string) (DIALSRows, error) {
	switch s {
	case "predicted":
		return PredictedRows, nil
	case "integrated":
		return IntegratedRows, nil
	case "used_in_refinement":
		return RefinedRows, nil
	}
	return 0, fmt.Errorf("%q is not predicted, integrated or used_in_refinement", s)
}

// take reports whether row i of t is one of the rows r chooses.
func (r DIALSRows) take(t *refl.Table, i int) bool {
	if t.HKL[i] == [3]int{} || (t.ID != nil && t.ID[i] < 0) || !t.Has(i, refl.Predicted) {
		return false
	}
	switch r {
	case IntegratedRows:
		return t.Has(i, refl.IntegratedSum) || t.Has(i, refl.IntegratedPrf)
	case RefinedRows:
		return t.Has(i, refl.UsedInRefinement)
	}
	return true
}

// DIALSShoeboxes returns the detector pixels (increasing indices
// slow*fast + fast) inside the bounding boxes DIALS gave the chosen
// reflections of t on image z of its scan (counted from 0 at the scan's
// first image): the rows whose bbox z range [z0, z1) holds z, their
// boxes [x0, x1) x [y0, y1) clipped to the fast x slow panel, overlapping
// boxes counted once. It also returns how many reflections gave pixels.
// A table without the bbox, miller_index or flags column, a chosen row on
// a panel other than 0 (gobragg models one panel), and an image on which
// no chosen box lies are refused with ErrBadInput.
func DIALSShoeboxes(t *refl.Table, rows DIALSRows, z, fast, slow int) ([]int, int, error) {
	for _, c := range []struct {
		name    string
		present bool
	}{{"bbox", t.BBox != nil}, {"miller_index", t.HKL != nil}, {"flags", t.Flags != nil}} {
		if !c.present {
			return nil, 0, badf("the table has no %s column", c.name)
		}
	}
	in := make([]bool, fast*slow)
	covering, used := 0, 0
	for i := range t.Rows {
		if !rows.take(t, i) {
			continue
		}
		if t.Panel != nil && t.Panel[i] != 0 {
			return nil, 0, badf("row %d (hkl %v) lies on panel %d; the detector has one panel", i, t.HKL[i], t.Panel[i])
		}
		b := t.BBox[i]
		if z < b[4] || z >= b[5] {
			continue
		}
		covering++
		x0, x1 := max(b[0], 0), min(b[1], fast)
		y0, y1 := max(b[2], 0), min(b[3], slow)
		if x0 >= x1 || y0 >= y1 {
			continue // outside the panel
		}
		used++
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				in[y*fast+x] = true
			}
		}
	}
	switch {
	case covering == 0:
		return nil, 0, badf("no chosen reflection's bbox covers image %d of the scan", z)
	case used == 0:
		return nil, 0, badf("the bboxes of all %d reflections on image %d lie outside the %dx%d panel", covering, z, fast, slow)
	}
	var out []int
	for d, ok := range in {
		if ok {
			out = append(out, d)
		}
	}
	return slices.Clip(out), used, nil
}

// ScanImage is the image of a scan, counted from 0 at its first image,
// that a frame starting at phiStartDeg covers: the scan's images start at
// scanStartDeg and are widthDeg wide. A frame that does not start on an
// image boundary (within a hundredth of an image), or a scan of no width,
// is refused with ErrBadInput.
func ScanImage(phiStartDeg, scanStartDeg, widthDeg float64) (int, error) {
	if !(widthDeg > 0) {
		return 0, badf("the scan's images have no width (%g degrees)", widthDeg)
	}
	z := (phiStartDeg - scanStartDeg) / widthDeg
	if !(math.Abs(z) < math.MaxInt32) {
		return 0, badf("the frame starts at %g degrees, %g images from the scan's start (%g degrees, width %g)", phiStartDeg, z, scanStartDeg, widthDeg)
	}
	k := int(math.Round(z))
	// Headers write angles to 4 decimals: a hundredth of an image is
	// above that rounding for any width above 0.01 degrees.
	if d := z - float64(k); d > 0.01 || d < -0.01 {
		return 0, badf("the frame starts at %g degrees, %.3f images into the scan (start %g, width %g degrees): not at an image's start", phiStartDeg, z, scanStartDeg, widthDeg)
	}
	return k, nil
}

// DIALSBoxes returns the boxes of the reflections of t that rows chooses,
// on a fit whose frame k is image images[k] of the scan (counted from 0):
// each box clipped to the fast x slow panel, with the fit's frames its
// bbox z range [z0, z1) covers. Rows on no frame of the fit, or outside
// the panel, give no box.
func DIALSBoxes(t *refl.Table, rows DIALSRows, images []int, fast, slow int) []Shoebox {
	var out []Shoebox
	for i := range t.Rows {
		if t.BBox == nil || !rows.take(t, i) {
			continue
		}
		b := t.BBox[i]
		box := Shoebox{HKL: t.HKL[i], Row: i, X0: max(b[0], 0), X1: min(b[1], fast), Y0: max(b[2], 0), Y1: min(b[3], slow)}
		for k, z := range images {
			if z >= b[4] && z < b[5] {
				box.Frames = append(box.Frames, k)
			}
		}
		if len(box.Frames) > 0 && box.X0 < box.X1 && box.Y0 < box.Y1 {
			out = append(out, box)
		}
	}
	return out
}
