package expt

import (
	"fmt"
	"math"
)

// MaskRects returns the panel's mask: the regions dxtbx leaves out of
// every image (a Pilatus panel's module gaps), each fast0, slow0, fast1,
// slow1 in pixels, half-open. An entry that is not four whole numbers
// within the panel, with fast0 <= fast1 and slow0 <= slow1, is an error
// naming it.
func (p Panel) MaskRects() ([][4]int, error) {
	var out [][4]int
	for k, m := range p.Mask {
		vals, ok := m.([]any)
		if !ok || len(vals) != 4 {
			return nil, fmt.Errorf("mask[%d] is not four numbers (fast0 slow0 fast1 slow1)", k)
		}
		var r [4]int
		for j, v := range vals {
			x, ok := v.(float64)
			if !ok || x != math.Trunc(x) || x < 0 || x > maxPanelPixels {
				return nil, fmt.Errorf("mask[%d][%d] is %v, not a pixel index", k, j, v)
			}
			r[j] = int(x)
		}
		if r[0] > r[2] || r[1] > r[3] || r[2] > p.ImageSize[0] || r[3] > p.ImageSize[1] {
			return nil, fmt.Errorf("mask[%d] %v does not lie within the %dx%d panel", k, r, p.ImageSize[0], p.ImageSize[1])
		}
		out = append(out, r)
	}
	return out, nil
}
