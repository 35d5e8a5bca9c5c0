package refine

import (
	"fmt"
	"strings"

	"gobragg/graph"
)

// StageKind is what a stage of a strategy fits.
type StageKind int

const (
	// PixelStage minimises the pixel loss (Problem.Loss) with the Method.
	PixelStage StageKind = iota
	// SpotStage fits the geometry to the centroids of the spots found on
	// the data: observed centroids against the positions the Bragg
	// condition predicts for their reflections, with the excitation error
	// as a third residual. Its basin is as wide as the spot spacing, where
	// the pixel likelihood of sharp spots is a field of narrow wells.
	SpotStage
	// ScanStage hops out of a false minimum: when the model does not fit
	// the data (Settings.FitSigmas), it searches each crystal-size
	// parameter (Na, Nb, Nc) on a grid of its current value times 0.6 to
	// 1.5, the others held, and keeps the lowest loss. The fringes of a
	// finite crystal's shape transform make the loss in N a row of wells a
	// few cells apart. When the model fits, it does nothing.
	ScanStage
	// BroadStage is a pixel stage over the geometry on a model whose
	// crystal is Broaden times smaller (N / Broaden, scale * Broaden^3, so
	// that the spots keep their integrated counts): its spots are wider on
	// the detector and in rotation, so its loss is smooth where the sharp
	// model's is a field of narrow wells (continuation, coarse to fine).
	BroadStage
	// HopStage hops out of a false minimum at random: while the model does
	// not fit the data, up to Hops times, it draws the crystal-size and
	// mosaic parameters afresh within about 30 % of their values and
	// refines everything from there, keeping the lowest loss (basin
	// hopping, as diffBragg's hopper).
	HopStage
)

// Group is a set of parameters a stage refines.
type Group int

const (
	// AllParams is every refined parameter.
	AllParams Group = iota
	// GeometryParams are the detector, orientation, cell, wavelength and
	// rotation parameters: those that move spots.
	GeometryParams
	// ShapeParams are the rest: crystal size, mosaic spread, scale,
	// background, polarization, fluence, water.
	ShapeParams
)

// Stage is one step of a coarse-to-fine strategy.
type Stage struct {
	Kind  StageKind
	Group Group
	// Broaden is a BroadStage's factor (> 1).
	Broaden float64
	// Hops bounds a HopStage's hops.
	Hops int
}

// String is the stage's name as ParseStrategy reads it.
func (s Stage) String() string {
	switch s.Kind {
	case SpotStage:
		return "spots"
	case ScanStage:
		return "scan"
	case BroadStage:
		return fmt.Sprintf("broad:%g", s.Broaden)
	case HopStage:
		return fmt.Sprintf("hop:%d", s.Hops)
	}
	return [...]string{"all", "geometry", "shape"}[s.Group]
}

// DefaultStrategy is what Refine does without Settings.Strategy:
// spots,all,scan,all,hop:4. The spot stage brings the geometry into the
// basin of every spot; then everything is refined on the pixels. Should
// the model still not fit the data, N is searched on a grid and everything
// refined again, and then up to four random hops in N and mosaic spread
// are tried. From the starting errors of an indexing solution it reaches
// the global minimum (TestRefineRandomStarts measures it over five kinds
// of experiment); the broadened stages (broad:K) were not needed there,
// and are left for the user to add.
func DefaultStrategy() []Stage {
	all := Stage{Kind: PixelStage, Group: AllParams}
	return []Stage{{Kind: SpotStage}, all, {Kind: ScanStage}, all, {Kind: HopStage, Hops: 4}}
}

// ParseStrategy reads stages separated by commas: spots, geometry, shape
// and all (pixel stages over those groups). The last stage must be all,
// since the standard errors and the convergence are those of the whole
// fit.
func ParseStrategy(s string) ([]Stage, error) {
	var out []Stage
	for _, w := range strings.Split(s, ",") {
		switch strings.TrimSpace(w) {
		case "spots":
			out = append(out, Stage{Kind: SpotStage})
		case "scan":
			out = append(out, Stage{Kind: ScanStage})
		case "geometry":
			out = append(out, Stage{Kind: PixelStage, Group: GeometryParams})
		case "shape":
			out = append(out, Stage{Kind: PixelStage, Group: ShapeParams})
		case "all":
			out = append(out, Stage{Kind: PixelStage, Group: AllParams})
		default:
			var k float64
			if n, err := fmt.Sscanf(strings.TrimSpace(w), "broad:%g", &k); err == nil && n == 1 && k > 1 && k <= 100 {
				out = append(out, Stage{Kind: BroadStage, Broaden: k})
				continue
			}
			var hops int
			if n, err := fmt.Sscanf(strings.TrimSpace(w), "hop:%d", &hops); err == nil && n == 1 && hops >= 1 && hops <= 100 {
				out = append(out, Stage{Kind: HopStage, Hops: hops})
				continue
			}
			return nil, fmt.Errorf("unknown stage %q (want spots, scan, hop:N with 1 <= N <= 100, broad:K with 1 < K <= 100, geometry, shape or all)", w)
		}
	}
	if len(out) == 0 || !endsWithAll(out) {
		return nil, fmt.Errorf("%q must end with the stage all or hop:N", s)
	}
	return out, nil
}

// endsWithAll reports whether a strategy's last stage fits everything: all,
// or hops (each of which is a fit of everything).
func endsWithAll(st []Stage) bool {
	last := st[len(st)-1]
	return last == (Stage{Kind: PixelStage, Group: AllParams}) || last.Kind == HopStage
}

// geometric lists the graph parameters that move spots on the detector.
var geometric = map[string]bool{
	graph.PCellA: true, graph.PCellB: true, graph.PCellC: true,
	graph.PCellAlpha: true, graph.PCellBeta: true, graph.PCellGamma: true,
	graph.PMissetX: true, graph.PMissetY: true, graph.PMissetZ: true,
	graph.PPhi: true, graph.PPhiStep: true, graph.PLambda: true,
	graph.PDistance: true, graph.PCloseDistance: true,
	graph.PXbeam: true, graph.PYbeam: true, graph.PXclose: true, graph.PYclose: true,
	graph.PORGX: true, graph.PORGY: true,
	graph.PRotX: true, graph.PRotY: true, graph.PRotZ: true, graph.PTwoTheta: true,
}

// sizeParams are the crystal-size parameters a scan stage searches.
var sizeParams = map[string]bool{graph.PNa: true, graph.PNb: true, graph.PNc: true}

// isGeometric: the geometric list, the A matrix and the motions of the
// panels and groups of a multi-panel detector.
func isGeometric(param string) bool {
	return geometric[param] || strings.HasPrefix(param, "mat_") || graph.IsPanelMotion(param)
}

// active returns the indices of the refined parameters a stage moves.
func (f *fitter) active(st Stage) []int {
	var out []int
	for j, in := range f.infos {
		g := isGeometric(in.Param)
		switch {
		case st.Kind == ScanStage && !sizeParams[in.Param]:
		case st.Kind == HopStage && !sizeParams[in.Param] && in.Param != graph.PMosaic && in.Param != graph.PMosaicSpindle:
		case (st.Kind == SpotStage || st.Kind == BroadStage) && !g:
		case st.Kind == PixelStage && st.Group == GeometryParams && !g:
		case st.Kind == PixelStage && st.Group == ShapeParams && g:
		default:
			out = append(out, j)
		}
	}
	return out
}
