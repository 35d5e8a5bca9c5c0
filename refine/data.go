package refine

import (
	"math"

	"gobragg/imageio"
)

// Image is a measured frame read for fitting, in photons.
type Image struct {
	Name       string
	Format     string // "smv", "float32" or "cbf"
	Fast, Slow int
	// Counts are photons per pixel (fast-major); NaN marks an overloaded
	// pixel, which is left out of the fit.
	Counts []float64
	// OscStartDeg and OscRangeDeg are the header's spindle start and width
	// (NaN when the file does not give them).
	OscStartDeg, OscRangeDeg float64
	// Pixels left out, each counted once under the first reason that
	// applies: Gaps are negative CBF values (Pilatus module gaps -1, bad
	// pixels -2), Overloads values at or above the overload (SMV 65535,
	// the CBF count cutoff, above the trusted range), Untrusted values
	// below the trusted range, Masked pixels of a mask or masked region.
	Gaps, Overloads, Untrusted, Masked int
	// Panels are the sizes (fast, slow) of a multi-panel frame's panels,
	// whose counts follow one another (ReadPanels); nil for one panel.
	Panels [][2]int
}

// smvOverload is the value nanoBragg (and ADSC detectors) write for a
// saturated 16-bit pixel.
const smvOverload = 65535

// ReadImage reads a measured frame of fast x slow pixels with
// imageio.ReadFrame (gzip, SMV, miniCBF or raw float32, size-bounded): an
// SMV frame gives counts = (ADU - offsetADU) / gainADU, overloads left
// out; a miniCBF frame signed counts / gainADU, negative ones (Pilatus'
// gaps and bad pixels) and those at its count cutoff left out; a raw
// little-endian float32 image is in photons. A file of another size or
// kind, or with a NaN or infinite value, is refused with ErrBadInput.
// ReadCalibrated adds a detector's trusted range, pedestal and masks.
// fast = slow = 0 takes the size an SMV or miniCBF header gives (a raw
// float32 image must then be square).
func ReadImage(path string, fast, slow int, offsetADU, gainADU float64) (*Image, error) {
	return ReadCalibrated(path, fast, slow, Calibration{OffsetADU: offsetADU, GainADU: gainADU})
}

// DecodeImage is ReadImage on the bytes of a file named name.
func DecodeImage(data []byte, name string, fast, slow int, offsetADU, gainADU float64) (*Image, error) {
	cal := Calibration{OffsetADU: offsetADU, GainADU: gainADU}
	if err := cal.check(fast, slow); err != nil {
		return nil, err
	}
	fr, err := imageio.DecodeFrame(data, name, imageio.Dims{Fast: fast, Slow: slow})
	if err != nil {
		return nil, badf("%v", err)
	}
	return fromFrame(fr, fast, slow, cal)
}

func checkGain(offsetADU, gainADU float64) error {
	if !(gainADU > 0) || math.IsInf(gainADU, 0) || math.IsNaN(offsetADU) || math.IsInf(offsetADU, 0) {
		return badf("gain must be positive and the offset finite (gain %g ADU/photon, offset %g ADU)", gainADU, offsetADU)
	}
	return nil
}

// fromFrame turns a frame's pixel values into counts (in place) after
// checking its size against the model's detector, leaving out what cal
// does not trust.
func fromFrame(fr *imageio.Frame, fast, slow int, cal Calibration) (*Image, error) {
	im := &Image{Name: fr.Name, Format: fr.Format, Fast: fr.Fast, Slow: fr.Slow, Counts: fr.Pix,
		OscStartDeg: math.NaN(), OscRangeDeg: math.NaN()}
	if (fast != 0 || slow != 0) && (im.Fast != fast || im.Slow != slow) {
		return nil, badf("%s is %dx%d pixels (fast x slow), the model's detector %dx%d", im.Name, im.Fast, im.Slow, fast, slow)
	}
	for i, y := range im.Counts {
		if math.IsInf(y, 0) || (math.IsNaN(y) && im.Format == "float32") {
			return nil, badf("%s: pixel (slow %d, fast %d) is %g, not a count", im.Name, i/im.Fast, i%im.Fast, y)
		}
	}
	cal.leaveOut(im)
	var err error
	switch fr.Format {
	case "smv":
		err = smvCounts(im, fr.SMV, cal.OffsetADU, cal.GainADU)
	case "cbf":
		err = cbfCounts(im, fr.CBF, cal.PedestalADU, cal.GainADU)
	}
	if err != nil {
		// A header value that sets the model's phi is read strictly, as
		// -img reads the beam centre: never as 0 for "abc".
		return nil, badf("%s: %v", im.Name, err)
	}
	return im, nil
}

// smvCounts converts an SMV frame's ADU to photons; the wedge comes from
// the OSC_START and OSC_RANGE header keys, which must be finite numbers
// when present.
func smvCounts(im *Image, s *imageio.SMV, offsetADU, gainADU float64) error {
	for _, k := range []struct {
		key string
		to  *float64
	}{{"OSC_START", &im.OscStartDeg}, {"OSC_RANGE", &im.OscRangeDeg}} {
		v, ok, err := s.Number(k.key)
		if err != nil {
			return err
		}
		if ok {
			*k.to = v
		}
	}
	for i, v := range im.Counts {
		if v == smvOverload {
			im.Counts[i] = math.NaN()
			im.Overloads++
			continue
		}
		im.Counts[i] = (v - offsetADU) / gainADU
	}
	return nil
}
