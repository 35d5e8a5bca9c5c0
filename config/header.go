package config

import (
	"fmt"
	"os"

	"gobragg/imageio"
)

// readHeader initialises the detector from the SMV file name, as nanoBragg
// does for -img (mask false) and -mask (mask true): the image size, and the
// header keys PIXEL_SIZE (mm), DISTANCE (mm), CLOSE_DISTANCE (mm),
// WAVELENGTH (Angstrom), BEAM_CENTER_X/Y (mm), ORGX/ORGY (pixels), PHI (deg),
// OSC_RANGE (deg) and TWOTHETA (deg) when present. A mask header's
// BEAM_CENTER_Y is flipped (detector height minus value); an -img header's is
// not. The mask pixels are kept in s.Mask. The image pixels of -img are not
// used.
func (s *Settings) readHeader(name string, mask bool) error {
	opt := "-img"
	if mask {
		opt = "-mask"
	}
	f, err := os.Open(name)
	if err != nil {
		return &UsageError{Option: opt, Msg: fmt.Sprintf("cannot read %s: %v", name, err)}
	}
	defer f.Close()
	smv, err := imageio.ReadSMV(f, name)
	if err != nil {
		return &UsageError{Option: opt, Msg: fmt.Sprintf("cannot read %s: %v", name, err)}
	}
	if smv.Width <= 0 || smv.Height <= 0 {
		return &UsageError{Option: opt, Msg: fmt.Sprintf("%s: image size %dx%d is not usable", name, smv.Width, smv.Height)}
	}
	key := func(k string) string { return fmt.Sprintf("%s %s header %s", opt, name, k) }
	// A key's value must be a finite number (C's atof would read
	// BEAM_CENTER_X=abc as 0 and PIXEL_SIZE=nan as "not given").
	value := func(k string) (float64, bool, error) {
		v, ok, err := smv.Number(k)
		if err != nil {
			return 0, false, &UsageError{Option: opt, Msg: fmt.Sprintf("%s: %v", name, err)}
		}
		return v, ok, nil
	}

	s.FPixels, s.SPixels = smv.Width, smv.Height
	s.set("FPixels", key("SIZE1"))
	s.set("SPixels", key("SIZE2"))
	if v, ok, err := value("PIXEL_SIZE"); err != nil {
		return err
	} else if ok {
		if v <= 0 {
			return &UsageError{Option: key("PIXEL_SIZE"), Msg: fmt.Sprintf("pixel size must be positive, got %s", g(v))}
		}
		s.PixelSize = v / 1000.0
		s.set("PixelSize", key("PIXEL_SIZE"))
	}
	s.DetsizeF = s.PixelSize * float64(s.FPixels)
	s.DetsizeS = s.PixelSize * float64(s.SPixels)

	fields := []struct {
		k   string
		set func(v float64)
	}{
		{"DISTANCE", func(v float64) { s.Distance = v / 1000.0; s.set("Distance", key("DISTANCE")) }},
		{"CLOSE_DISTANCE", func(v float64) { s.CloseDistance = v / 1000.0; s.set("CloseDistance", key("CLOSE_DISTANCE")) }},
		{"WAVELENGTH", func(v float64) { s.Lambda0 = v / 1e10; s.set("Lambda0", key("WAVELENGTH")) }},
		{"BEAM_CENTER_X", func(v float64) { s.Xbeam = v / 1000.0; s.set("Xbeam", key("BEAM_CENTER_X")) }},
		{"BEAM_CENTER_Y", func(v float64) {
			s.set("Ybeam", key("BEAM_CENTER_Y"))
			if mask {
				s.Ybeam = s.DetsizeS - v/1000.0
			} else {
				s.Ybeam = v / 1000.0
			}
		}},
		{"ORGX", func(v float64) { s.ORGX = v }},
		{"ORGY", func(v float64) { s.ORGY = v }},
		{"PHI", func(v float64) { s.Phi0 = v / rtd }},
		{"OSC_RANGE", func(v float64) { s.Osc = v / rtd }},
		{"TWOTHETA", func(v float64) {
			// C stores this in its scattering-angle variable, not in the
			// detector two-theta, so c-parity ignores it.
			if s.Mode != ModeCParity {
				s.Twotheta = v / rtd
			}
		}},
	}
	for _, fd := range fields {
		v, ok, err := value(fd.k)
		if err != nil {
			return err
		}
		if ok {
			fd.set(v)
		}
	}

	if mask {
		n := smv.Width * smv.Height
		if len(smv.Pixels) < n {
			return &UsageError{Option: opt, Msg: fmt.Sprintf("%s: %d pixels for a %dx%d image", name, len(smv.Pixels), smv.Width, smv.Height)}
		}
		s.Mask = append([]uint16(nil), smv.Pixels[:n]...)
		s.MaskWidth, s.MaskHeight = smv.Width, smv.Height
	}
	s.headerBeam(smv, mask)
	return nil
}
