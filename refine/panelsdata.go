package refine

import (
	"math"

	"gobragg/imageio"
)

// ReadPanels reads a measured frame of a multi-panel detector whose
// panels have the sizes given (fast, slow) and calibrations cals (one per
// panel): a full CBF of one array per panel, whose counts are (value -
// pedestal) / gain with negative values (gaps, bad pixels) left out, or a
// raw float32 image in photons, the panels one after another
// (imageio.ReadPanels). Each panel's trusted range and masks leave its
// pixels out as ReadCalibrated's do. The Image's Counts are the panels'
// one after another (the order graph.Setup.PanelOffset gives), Fast their
// number, Slow 1 and Panels the sizes. A file that does not fit the panels
// is refused with ErrBadInput.
func ReadPanels(path string, sizes [][2]int, cals []Calibration) (*Image, error) {
	if len(cals) != len(sizes) {
		return nil, badf("%d calibrations for %d panels", len(cals), len(sizes))
	}
	dims := make([]imageio.Dims, len(sizes))
	for i, z := range sizes {
		if err := cals[i].check(z[0], z[1]); err != nil {
			return nil, badf("panel %d: %v", i, err)
		}
		dims[i] = imageio.Dims{Fast: z[0], Slow: z[1]}
	}
	fr, err := imageio.ReadPanels(path, dims)
	if err != nil {
		return nil, badf("%v", err)
	}
	im := &Image{Name: fr.Name, Format: fr.Format, Fast: fr.Fast, Slow: fr.Slow, Counts: fr.Pix, Panels: sizes,
		OscStartDeg: math.NaN(), OscRangeDeg: math.NaN()}
	off := 0
	for i, z := range sizes {
		n := z[0] * z[1]
		p := &Image{Name: im.Name, Format: im.Format, Fast: z[0], Slow: z[1], Counts: im.Counts[off : off+n]}
		for j, y := range p.Counts {
			if math.IsInf(y, 0) || (math.IsNaN(y) && p.Format == "float32") {
				return nil, badf("%s: panel %d pixel (slow %d, fast %d) is %g, not a count", im.Name, i, j/p.Fast, j%p.Fast, y)
			}
		}
		cals[i].leaveOut(p)
		if p.Format == "cbf" {
			// A multi-panel CBF states no count cutoff: the panels'
			// trusted ranges (leaveOut) take out the overloads.
			cbfPhotons(p, math.Inf(1), cals[i].PedestalADU, cals[i].GainADU)
		}
		im.Gaps += p.Gaps
		im.Overloads += p.Overloads
		im.Untrusted += p.Untrusted
		im.Masked += p.Masked
		off += n
	}
	return im, nil
}
