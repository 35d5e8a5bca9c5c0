package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"gobragg/config"
	"gobragg/expt"
	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/refine"
	"gobragg/refl"
)

// dialsPrefix starts the -select value that takes DIALS's shoeboxes.
const dialsPrefix = "dials:"

// exptDetector is what refine takes from the -expt_in list besides the
// model: the panel's calibration and masks, and the scan that numbers the
// images of a DIALS reflection table.
type exptDetector struct {
	name  string
	panel expt.Panel
	// panels are a multi-panel detector's panels (nil for one panel).
	panels []expt.Panel
	scan   *expt.Scan
	// mask is the imageset's mask file read as an SMV mask (nil: none).
	mask []uint16
}

// readExptDetector reads the -expt_in list of s (nil when there is none):
// its experiment's panel, scan and imageset mask. The imageset's mask
// (a file name, relative to the list's directory) is read when it is an
// SMV mask; DIALS writes its masks as Python pickles, which are refused.
func readExptDetector(s *config.Settings) (*exptDetector, error) {
	if s.ExptIn == "" {
		return nil, nil
	}
	f, err := os.Open(s.ExptIn)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("-expt_in: cannot read %s: %v", s.ExptIn, err)}
	}
	defer f.Close()
	l, err := expt.Read(f, s.ExptIn)
	if err != nil {
		return nil, &usageError{"-expt_in: " + err.Error()}
	}
	e, err := l.Pick(s.ExptIndex, s.ExptIn)
	if err != nil {
		return nil, &usageError{"-expt_in: " + err.Error()}
	}
	d := &exptDetector{name: s.ExptIn, panel: e.Panel, scan: e.Scan}
	if len(e.Panels) > 1 {
		d.panels = e.Panels
	}
	k := max(s.ExptIndex, 0)
	if is := l.Experiments[k].ImageSet; is != nil && *is >= 0 && *is < len(l.ImageSets) {
		if m := l.ImageSets[*is].Mask; m != nil && *m != "" {
			if d.panels != nil {
				return nil, &usageError{fmt.Sprintf("-expt_in: expt %s: imageset[%d].mask %s: the mask of a multi-panel detector is not read (each panel's mask rectangles and trusted range are)", s.ExptIn, *is, *m)}
			}
			if d.mask, err = readExptMask(s.ExptIn, *is, *m, e.Panel.ImageSize); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

// readExptMask reads an imageset's mask file as an SMV mask of the panel's size.
func readExptMask(list string, set int, name string, size [2]int) ([]uint16, error) {
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(list), name)
	}
	where := fmt.Sprintf("-expt_in: expt %s: imageset[%d].mask %s", list, set, name)
	fr, err := imageio.ReadFrame(path, imageio.Dims{Fast: size[0], Slow: size[1]})
	if err != nil || fr.Format != "smv" {
		return nil, &usageError{where + ": not an SMV mask gobragg can read (DIALS writes masks as Python pickles: convert it to an SMV mask and give it with -mask)"}
	}
	if fr.Fast != size[0] || fr.Slow != size[1] {
		return nil, &usageError{fmt.Sprintf("%s: the mask is %dx%d pixels, the panel %dx%d", where, fr.Fast, fr.Slow, size[0], size[1])}
	}
	out := make([]uint16, len(fr.Pix))
	for i, v := range fr.Pix {
		out[i] = uint16(min(v, 1))
	}
	return out, nil
}

// calibration is how refine reads a data frame of s: counts = (ADU -
// adc) / gain for SMV; with -expt_in, the panel's gain (unless -gain is
// given), pedestal (CBF; an SMV's -adc is already the pedestal of a CCD
// panel), trusted range, masked regions and the imageset's mask.
func calibration(s *config.Settings, fl refineFlags, d *exptDetector) (refine.Calibration, error) {
	if d == nil {
		return refine.Calibration{OffsetADU: s.ADC, GainADU: fl.gain}, nil
	}
	return panelCalibration(s, fl, d, d.panel, d.mask)
}

// panelCalibration is calibration of panel p of the -expt_in detector d
// with the mask (nil: none).
func panelCalibration(s *config.Settings, fl refineFlags, d *exptDetector, p expt.Panel, mask []uint16) (refine.Calibration, error) {
	cal := refine.Calibration{OffsetADU: s.ADC, GainADU: fl.gain}
	if !fl.gainSet && p.Gain > 0 {
		cal.GainADU = p.Gain
	}
	cal.PedestalADU = p.Pedestal
	if p.TrustedRange != [2]float64{} { // dxtbx's unset range
		cal.Trusted = &p.TrustedRange
	}
	rects, err := p.MaskRects()
	if err != nil {
		return cal, &usageError{fmt.Sprintf("-expt_in: expt %s: panel %v", d.name, err)}
	}
	cal.Rects, cal.Mask = rects, mask
	return cal, nil
}

// dialsInput is a -select dials:FILE.refl table with what refine needs
// to use it: the scan that numbers its images and the panel's pixel
// convention.
type dialsInput struct {
	path  string
	rows  refine.DIALSRows
	table *refl.Table
	det   *exptDetector
	// images holds, per frame of the fit, its image in the scan (set by
	// shoeboxes).
	images []int
}

// loadDIALS reads the -select dials: table (nil without one). It needs
// -expt_in with a scan: the table's images are the scan's.
func loadDIALS(fl refineFlags, frames []refineFrame) (*dialsInput, error) {
	if fl.dialsRefl == "" {
		return nil, nil
	}
	opt := "-select " + dialsPrefix + fl.dialsRefl
	det, err := readExptDetector(frames[0].prob.Settings)
	if err != nil {
		return nil, err
	}
	if det == nil || det.scan == nil || !(det.scan.Oscillation[1] > 0) {
		return nil, &usageError{opt + ": needs -expt_in with the rotation scan that numbers the table's images"}
	}
	f, err := os.Open(fl.dialsRefl)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("%s: %v", opt, err)}
	}
	defer f.Close()
	t, err := refl.Read(io.Reader(f), fl.dialsRefl)
	if err != nil {
		return nil, &usageError{"-select: " + err.Error()}
	}
	d := &dialsInput{path: fl.dialsRefl, rows: fl.dialsRows, table: t, det: det}
	if d.compares() {
		// Refused now, not after the fit.
		if err := refine.CheckDIALSCentroidColumns(t); err != nil {
			return nil, fmt.Errorf("%s: %w", opt, err)
		}
	}
	return d, nil
}

// compares reports whether the table has rows flagged used_in_refinement,
// whose centroids the report compares with the model's.
func (d *dialsInput) compares() bool {
	return d != nil && slices.ContainsFunc(d.table.Flags, func(f uint64) bool { return refl.Flag(f)&refl.UsedInRefinement != 0 })
}

// shoeboxes returns each frame's pixels inside DIALS's bounding boxes on
// the scan image the frame's header angle starts.
func (d *dialsInput) shoeboxes(frames []refineFrame) ([][]int, string, error) {
	opt := "-select " + dialsPrefix + d.path
	out := make([][]int, len(frames))
	boxes := 0
	for k, fr := range frames {
		s := fr.prob.Settings
		if math.IsNaN(fr.image.OscStartDeg) {
			return nil, "", &usageError{fmt.Sprintf("%s: %s gives no start angle to find its image in the scan", opt, fr.image.Name)}
		}
		z, err := refine.ScanImage(fr.image.OscStartDeg, d.det.scan.Oscillation[0], d.det.scan.Oscillation[1])
		d.images = append(d.images, z)
		if err == nil {
			var n int
			out[k], n, err = refine.DIALSShoeboxes(d.table, d.rows, z, s.FPixels, s.SPixels)
			boxes += n
		}
		if err != nil {
			return nil, "", &usageError{fmt.Sprintf("%s: %s: %v", opt, fr.image.Name, err)}
		}
	}
	return out, fmt.Sprintf("%d DIALS shoeboxes of %s", boxes, filepath.Base(d.path)), nil
}

// boxes returns the table's shoeboxes on the fit's frames.
func (d *dialsInput) boxes(frames []refineFrame) []refine.Shoebox {
	return refine.DIALSBoxes(d.table, d.rows, d.images, frames[0].image.Fast, frames[0].image.Slow)
}

// writeGallery draws the brightest of the table's shoeboxes, observed,
// model and residual on every frame of the fit they span.
func (d *dialsInput) writeGallery(w io.Writer, frames []refineFrame, model [][]float64) error {
	observed := make([][]float64, len(frames))
	for k, fr := range frames {
		observed[k] = fr.image.Counts
	}
	return refine.WriteShoeboxPNG(w, d.boxes(frames), observed, model, frames[0].image.Fast)
}

// centroids compares the model of e (the first frame's, refined) with
// DIALS's observed centroids; nil without a table or without a reflection
// flagged used_in_refinement.
func (d *dialsInput) centroids(e *graph.Experiment) (*refine.DIALSCentroids, error) {
	if !d.compares() {
		return nil, nil // nothing to compare
	}
	c, err := refine.CompareDIALSCentroids(e, d.det.panel, d.det.scan.Oscillation[0], d.det.scan.Oscillation[1], d.table)
	if err != nil {
		return nil, fmt.Errorf("-select %s%s: %w", dialsPrefix, d.path, err)
	}
	return &c, nil
}

// centroidLine is the report's line of a centroid comparison.
func centroidLine(c *refine.DIALSCentroids) string {
	if c == nil {
		return ""
	}
	if c.Model.N == 0 {
		return fmt.Sprintf("centroid RMSD against DIALS's xyzobs: the model predicts none of the %d reflections used_in_refinement\n", c.Missed)
	}
	line := fmt.Sprintf("centroid RMSD against DIALS's xyzobs (%d reflections used_in_refinement): model %.3f %.3f px %.3f images, DIALS's own %.3f %.3f px %.3f images (x y z)\n",
		c.Model.N, c.Model.XPx, c.Model.YPx, c.Model.ZImages, c.DIALS.XPx, c.DIALS.YPx, c.DIALS.ZImages)
	if c.Missed > 0 {
		line += fmt.Sprintf("  (%d flagged reflections the model predicts nowhere are left out)\n", c.Missed)
	}
	if o := c.Image.Observed; o.N > 0 {
		line += fmt.Sprintf("  the fitted model image's spot centroids in DIALS's boxes (%d reflections): %.3f %.3f px %.3f images\n",
			o.N, o.XPx, o.YPx, o.ZImages)
	}
	if d := c.Image.Data; d.N > 0 {
		line += fmt.Sprintf("  the same against the data's centroids there, counts above the fitted background (%d reflections): %.3f %.3f px %.3f images\n",
			d.N, d.XPx, d.YPx, d.ZImages)
	}
	return line
}

// centroidsJSON is the -out record of a centroid comparison.
type centroidsJSON struct {
	Reflections int           `json:"reflections"`
	Missed      int           `json:"missed"`
	Model       [3]jsonNumber `json:"model_rmsd_xyz"` // null when none is predicted
	DIALS       [3]jsonNumber `json:"dials_rmsd_xyz"`
	// Image is the model image's spot centroids against xyzobs, DataImage
	// against the data's centroids in the same boxes (null when not
	// compared).
	Image     *[3]jsonNumber    `json:"model_image_rmsd_xyz"`
	DataImage *[3]jsonNumber    `json:"model_image_vs_data_rmsd_xyz"`
	Units     string            `json:"units"`
	Rows      []centroidRowJSON `json:"rows"`
}

// centroidRowJSON is one compared reflection: its table row and hkl, and
// its centroids (x, y pixels, z images): DIALS's observed and predicted,
// the model's Bragg prediction, and the fitted model image's and the
// data's in its box (null when not compared).
type centroidRowJSON struct {
	Row        int            `json:"row"`
	HKL        [3]int         `json:"hkl"`
	Observed   [3]float64     `json:"xyzobs"`
	DIALS      [3]float64     `json:"xyzcal"`
	Model      [3]jsonNumber  `json:"model"`
	ModelImage *[3]jsonNumber `json:"model_image"`
	DataImage  *[3]jsonNumber `json:"data_image"`
}

func jsonTriple(v [3]float64) [3]jsonNumber {
	return [3]jsonNumber{jsonNumber(v[0]), jsonNumber(v[1]), jsonNumber(v[2])}
}

// rmsdJSON is an RMSD's x, y, z (null where NaN).
func rmsdJSON(c refine.CentroidRMSD) *[3]jsonNumber {
	v := jsonTriple([3]float64{c.XPx, c.YPx, c.ZImages})
	return &v
}

func newCentroidsJSON(c *refine.DIALSCentroids) *centroidsJSON {
	if c == nil {
		return nil
	}
	out := &centroidsJSON{Reflections: c.Model.N, Missed: c.Missed,
		Model: *rmsdJSON(c.Model), DIALS: *rmsdJSON(c.DIALS), Units: "px px images"}
	if c.Image.Observed.N > 0 {
		out.Image = rmsdJSON(c.Image.Observed)
	}
	if c.Image.Data.N > 0 {
		out.DataImage = rmsdJSON(c.Image.Data)
	}
	images := map[int]refine.ImageCentroidRow{}
	for _, r := range c.Image.Rows {
		images[r.Row] = r
	}
	out.Rows = []centroidRowJSON{}
	for _, r := range c.Rows {
		row := centroidRowJSON{Row: r.Row, HKL: r.HKL, Observed: r.Observed, DIALS: r.DIALS, Model: jsonTriple(r.Model)}
		if im, ok := images[r.Row]; ok {
			m, d := jsonTriple(im.Model), jsonTriple(im.Data)
			row.ModelImage, row.DataImage = &m, &d
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// leftOutNote describes the data pixels left out, by reason ("" if none).
func leftOutNote(frames []refineFrame) string {
	var gaps, over, untrusted, masked int
	for _, fr := range frames {
		gaps += fr.image.Gaps
		over += fr.image.Overloads
		untrusted += fr.image.Untrusted
		masked += fr.image.Masked
	}
	note := ""
	for _, c := range []struct {
		n    int
		what string
	}{{over, "overloaded"}, {gaps, "gap or bad (negative)"}, {untrusted, "untrusted"}, {masked, "masked"}} {
		if c.n > 0 {
			note += fmt.Sprintf(", %d %s pixels left out", c.n, c.what)
		}
	}
	return note
}

// compareF correlates the refined F with the table's integrated
// intensities (nil without a table or refined F).
func (d *dialsInput) compareF(res *refine.Result) *refine.DIALSF {
	if d == nil || len(res.F) == 0 || d.table.IntensitySum == nil || d.table.Flags == nil {
		return nil
	}
	c := refine.CompareDIALSF(res.F, d.table)
	if c.N == 0 {
		return nil
	}
	return &c
}

// dialsFLine is the report's line of an F comparison.
func dialsFLine(c *refine.DIALSF) string {
	if c == nil {
		return ""
	}
	line := fmt.Sprintf("refined F against DIALS's integrated intensities (%d reflections): CC %.4f with sqrt(I)", c.N, c.Raw)
	if !math.IsNaN(c.Corrected) {
		line += fmt.Sprintf(", %.4f with sqrt(I lp / partiality)", c.Corrected)
	}
	return line + "\n"
}

// dialsFJSON is the -out record of an F comparison.
type dialsFJSON struct {
	Reflections int        `json:"reflections"`
	CCRaw       jsonNumber `json:"cc_sqrt_I"`
	CCCorrected jsonNumber `json:"cc_sqrt_I_lp_over_partiality"` // null without lp and partiality
}

func newDIALSFJSON(c *refine.DIALSF) *dialsFJSON {
	if c == nil {
		return nil
	}
	return &dialsFJSON{Reflections: c.N, CCRaw: jsonNumber(c.Raw), CCCorrected: jsonNumber(c.Corrected)}
}
