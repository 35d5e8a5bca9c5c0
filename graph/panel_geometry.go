package graph

import (
	"errors"
	"fmt"

	"gobragg/dual"
)

// PanelFrame places one panel of a multi-panel detector in nanoBragg's
// laboratory frame: Pix0M the corner of its first pixel from the sample
// (metres), Fast and Slow its unit axes.
type PanelFrame struct {
	Pix0M, Fast, Slow [3]float64
}

// ErrPanelBehind is the error (wrapped) of a model one of whose panels
// has been moved so that it no longer faces the sample: no image exists
// there (a fit's line search backs off from it).
var ErrPanelBehind = errors.New("the panel does not face the sample")

// panelValues are one panel's detLen geometry values: origin, fast, slow
// and normal (fast x slow) axes, the beam, and the distance and close
// distance, both the distance of the panel's plane from the sample
// (pix0 . normal), the factor of nanoBragg's solid angle. Tilted panels
// have no beam-pivot distance of their own; only the curved detector,
// which has one panel, reads it.
func panelValues(pix0, fast, slow, beam dual.Vec3) ([]dual.Num, error) {
	normal := fast.Cross(slow)
	close := pix0.Dot(normal)
	if !(close.V > 0) {
		return nil, fmt.Errorf("%w (its plane is %g m along its normal)", ErrPanelBehind, close.V)
	}
	out := make([]dual.Num, 0, detLen)
	for _, v := range []dual.Vec3{pix0, fast, slow, normal, beam} {
		out = append(out, v[0], v[1], v[2])
	}
	return append(out, close, close), nil
}

// panelsFunc: theta -> every panel's detLen geometry values, in panel
// order: each panel's reference frame moved by its own and its groups'
// parameters (panel_params.go). The beam comes from the detector
// template's geometry.
func (e *Experiment) panelsFunc() Func {
	n := len(e.Panels)
	return dualFunc{Label: "panels", Sizes: []int{e.Params.Len()}, Out: n * detLen,
		Body: func(in [][]dual.Num) ([]dual.Num, error) {
			v := paramView{e.Params, in[0]}
			geo, err := e.geometry(v)
			if err != nil {
				return nil, err
			}
			chains, err := e.panelChains()
			if err != nil {
				return nil, err
			}
			out := make([]dual.Num, 0, n*detLen)
			for i, f := range e.Panels {
				c := func(a [3]float64) dual.Vec3 { return dual.V3(a[0], a[1], a[2]) }
				pix0, fast, slow := c(f.Pix0M), c(f.Fast), c(f.Slow)
				for _, nd := range chains[i] {
					pix0, fast, slow = nd.move(in[0], pix0, true), nd.move(in[0], fast, false), nd.move(in[0], slow, false)
				}
				vals, err := panelValues(pix0, fast, slow, geo.Beam)
				if err != nil {
					return nil, fmt.Errorf("panel %d: %w", i, err)
				}
				out = append(out, vals...)
			}
			return out, nil
		}}
}
