package config

import "gobragg/imageio"

// Keys of a spec-mode gobragg SMV header that keep nanoBragg's beam centre
// (Xbeam, Ybeam in mm), since its BEAM_CENTER_X/Y hold the values dxtbx reads.
const (
	nanoBraggXbeamKey = "NANOBRAGG_XBEAM"
	nanoBraggYbeamKey = "NANOBRAGG_YBEAM"
)

// headerBeam makes -img and -mask read a spec-mode gobragg header as they
// read nanoBragg's: Xbeam/Ybeam from its NANOBRAGG_XBEAM/YBEAM keys (a
// mask's Y flipped as for BEAM_CENTER_Y). readHeader calls it last, with
// the header it read. Headers without the keys are left as readHeader set
// them, and so is every header in c-parity mode (nanoBragg reads
// BEAM_CENTER_X/Y whatever wrote them).
func (s *Settings) headerBeam(smv *imageio.SMV, mask bool) {
	if s.Mode == ModeCParity {
		return
	}
	x, xok := smv.Value(nanoBraggXbeamKey)
	y, yok := smv.Value(nanoBraggYbeamKey)
	if !xok || !yok {
		return
	}
	s.Xbeam = x / 1000.0
	if mask {
		s.Ybeam = s.DetsizeS - y/1000.0
	} else {
		s.Ybeam = y / 1000.0
	}
}
