package sim

import (
	"fmt"
	"io"
)

// progressMeter returns the callback that prints nanoBragg's "N% done"
// lines as pixels are rendered: the same lines at the same pixel counts as
// C's meter (which counts rendered pixels against the ROI's area), printed
// in order whatever the order in which tiles finish.
func (p *Problem) progressMeter(out io.Writer) func(int) {
	s := p.Settings
	total := (s.RoiXMax - s.RoiXMin + 1) * (s.RoiYMax - s.RoiYMin + 1)
	if total/100 <= 0 {
		return nil
	}
	next := 0 // index of the next rendered pixel whose line is due
	return func(rendered int) {
		for ; next < rendered; next++ {
			pp := next
			if pp%(total/20) == 0 || ((10*pp < total || 10*pp > 9*total) && pp%(total/100) == 0) {
				fmt.Fprintf(out, "%d%% done\n", pp*100/total)
			}
		}
	}
}
