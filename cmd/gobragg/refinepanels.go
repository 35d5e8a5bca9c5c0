package main

import (
	"fmt"
	"os"

	"gobragg/config"
	"gobragg/graph"
	"gobragg/imageio"
	"gobragg/refine"
	"gobragg/sim"
)

// A multi-panel detector comes from -expt_in; its data are a full CBF of
// one array per panel or a float image of the panels one after another,
// read in that order (refine.ReadPanels), the order the model renders.

// panelStrategy is the default strategy of a multi-panel fit: the default
// without its spots stage, whose spot finder and centroid fit read one
// panel's grid.
const panelStrategy = "all,scan,all,hop:4"

// checkPanelRun refuses, before any data are read, what a fit of the
// multi-panel detector of s cannot do.
func checkPanelRun(fl refineFlags, s *config.Settings) error {
	n := len(s.ExptPanels.Panels)
	switch {
	case fl.png != "":
		return &usageError{fmt.Sprintf("-png: draws one panel's image; the -expt_in detector has %d panels", n)}
	case fl.selectMode == "found" || fl.selectMode == "dials":
		return &usageError{fmt.Sprintf("-select %s: finds or takes spots on one panel; the -expt_in detector has %d panels (use spots or all)", fl.selectMode, n)}
	}
	for _, st := range fl.strategy {
		if st.Kind == refine.SpotStage {
			return &usageError{fmt.Sprintf("-strategy: the spots stage fits the centroids on one panel; the -expt_in detector has %d panels (default for it: %s)", n, panelStrategy)}
		}
	}
	return nil
}

// panelDefaults sets the default strategy of a multi-panel fit.
func panelDefaults(fl *refineFlags, frames []refineFrame) error {
	if frames[0].prob.Exp.Setup.Panels == nil || fl.strategy != nil {
		return nil
	}
	st, err := refine.ParseStrategy(panelStrategy)
	fl.strategy = st
	return err
}

// readPanelData reads a multi-panel -data image with each panel's
// calibration from the -expt_in detector d.
func readPanelData(path string, s *config.Settings, fl refineFlags, d *exptDetector) (*refine.Image, error) {
	sizes := make([][2]int, len(d.panels))
	cals := make([]refine.Calibration, len(d.panels))
	for i, p := range d.panels {
		sizes[i] = p.ImageSize
		cal, err := panelCalibration(s, fl, d, p, nil)
		if err != nil {
			return nil, err
		}
		cals[i] = cal
	}
	im, err := refine.ReadPanels(path, sizes, cals)
	if err != nil {
		return nil, fmt.Errorf("-data: %w", err)
	}
	return im, nil
}

// multiPanelData refuses a -data multi-panel CBF given without an
// -expt_in list of a multi-panel detector (nil when path is not one).
func multiPanelData(path string, d *exptDetector) error {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	arrays, err := imageio.ReadCBFArrays(f, path)
	if err != nil || len(arrays) < 2 {
		return nil
	}
	if d != nil {
		return &usageError{fmt.Sprintf("-data %s: a multi-panel CBF of %d arrays; the -expt_in detector has one panel", path, len(arrays))}
	}
	return &usageError{fmt.Sprintf("-data %s: a multi-panel CBF of %d arrays; give its detector with -expt_in (the experiment list it was written with)", path, len(arrays))}
}

// keepRefinedMotions leaves, of the panel and group motions of p's
// multi-panel detector, those -refine names as parameters.
func keepRefinedMotions(p *sim.Problem, names []string) error {
	var motions []string
	for _, n := range names {
		if graph.IsPanelMotion(n) {
			motions = append(motions, n)
		}
	}
	if err := p.KeepMotions(motions...); err != nil {
		return &usageError{"-refine: " + err.Error()}
	}
	return nil
}

// selectPanelSpots is -select spots on a multi-panel model: each panel's
// shoeboxes on its own slow x fast grid (a box never crosses a panel's
// edge), as indices into the panels one after another.
func selectPanelSpots(mu []float64, sizes [][2]int, halfWidth int) []int {
	var out []int
	off := 0
	for _, z := range sizes {
		n := z[0] * z[1]
		for _, i := range refine.SelectSpots(mu[off:off+n], z[0], z[1], halfWidth, refine.SpotThreshold{}) {
			out = append(out, off+i)
		}
		off += n
	}
	return out
}
