package refine

import (
	"math"

	"gobragg/imageio"
)

// Calibration says how a frame's raw values become photons and which of
// them to trust: what a DIALS experiment list's panel (gain, pedestal,
// trusted_range, mask) and a mask file give.
type Calibration struct {
	// OffsetADU and GainADU: an SMV frame's counts are (ADU - OffsetADU) /
	// GainADU, a CBF frame's (value - PedestalADU) / GainADU.
	OffsetADU, GainADU float64
	PedestalADU        float64
	// Trusted, when not nil, is the range [min, max] of raw values
	// trusted, both ends included (dxtbx's trusted_range since 2022;
	// older lists, whose range excludes its ends, start at -1 for Pilatus
	// panels, whose negative values are left out anyway, and end at the
	// count cutoff, which the CBF header marks as an overload). A value
	// above it is an overload, one below it untrusted.
	Trusted *[2]float64
	// Rects are regions of the panel left out, each fast0, slow0, fast1,
	// slow1 in pixels, half-open (dxtbx's panel mask: Pilatus module gaps).
	Rects [][4]int
	// Mask, when not nil, leaves out the pixels (fast-major) where it is 0.
	Mask []uint16
}

// ReadCalibrated is ReadImage with cal's pedestal, trusted range and
// masks; a Mask or Rect that does not fit the fast x slow detector is
// refused with ErrBadInput.
func ReadCalibrated(path string, fast, slow int, cal Calibration) (*Image, error) {
	if err := cal.check(fast, slow); err != nil {
		return nil, err
	}
	fr, err := imageio.ReadFrame(path, imageio.Dims{Fast: fast, Slow: slow})
	if err != nil {
		return nil, badf("%v", err)
	}
	return fromFrame(fr, fast, slow, cal)
}

// check refuses a calibration no frame of fast x slow pixels can use.
func (c Calibration) check(fast, slow int) error {
	if err := checkGain(c.OffsetADU, c.GainADU); err != nil {
		return err
	}
	if math.IsNaN(c.PedestalADU) || math.IsInf(c.PedestalADU, 0) {
		return badf("the pedestal %g ADU is not a finite number", c.PedestalADU)
	}
	if t := c.Trusted; t != nil && !(t[0] <= t[1]) {
		return badf("the trusted range [%g, %g] is empty", t[0], t[1])
	}
	for _, r := range c.Rects {
		if r[0] < 0 || r[1] < 0 || r[0] > r[2] || r[1] > r[3] || r[2] > fast || r[3] > slow {
			return badf("the masked region %v (fast0 slow0 fast1 slow1) lies outside the %dx%d panel", r, fast, slow)
		}
	}
	if c.Mask != nil && len(c.Mask) != fast*slow {
		return badf("the mask has %d pixels, the detector %dx%d", len(c.Mask), fast, slow)
	}
	return nil
}

// leaveOut marks (NaN) and counts the raw values of im that c does not
// trust, before the format's conversion: values outside the trusted range
// (a CBF's negative values are left to the conversion, which counts them
// as gaps), then masked pixels.
func (c Calibration) leaveOut(im *Image) {
	masked := make([]bool, len(im.Counts))
	for _, r := range c.Rects {
		for s := r[1]; s < r[3]; s++ {
			for f := r[0]; f < r[2]; f++ {
				masked[s*im.Fast+f] = true
			}
		}
	}
	for i, v := range im.Counts {
		if math.IsNaN(v) || (v < 0 && im.Format == "cbf") {
			continue
		}
		switch {
		case c.Trusted != nil && v > c.Trusted[1]:
			im.Overloads++
		case c.Trusted != nil && v < c.Trusted[0]:
			im.Untrusted++
		case masked[i] || (c.Mask != nil && c.Mask[i] == 0):
			im.Masked++
		default:
			continue
		}
		im.Counts[i] = math.NaN()
	}
}

// LeftOut is the number of pixels left out for any reason.
func (im *Image) LeftOut() int { return im.Gaps + im.Overloads + im.Untrusted + im.Masked }
