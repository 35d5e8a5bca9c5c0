package sim

import (
	"fmt"
	"math"

	"gobragg/expt"
)

// ImageFormat says how a data set's images are stored, which sets the
// panel's type, trusted range and pedestal in an experiment list.
type ImageFormat int

const (
	// FormatSMV: SMV noise frames (unsigned 16-bit with the ADC offset).
	FormatSMV ImageFormat = iota
	// FormatCBF: miniCBF frames (signed 32-bit photon counts).
	FormatCBF
)

// Models are the dxtbx models of this problem, in dxtbx's laboratory frame
// (Frame maps nanoBragg's frame to it). The crystal is the lattice at
// spindle angle 0 (after -misset): dxtbx rotates it about the goniometer
// axis by the scan angle, as nanoBragg rotates it by phi.
type Models struct {
	Frame      expt.LabFrame
	Beam       expt.Beam
	Panel      expt.Panel
	Goniometer expt.Goniometer
	Crystal    expt.Crystal
}

// ExptModels returns the beam, detector panel, goniometer and crystal that
// were simulated. -expt_in reads them back with the command line's unit
// conversions (mm/1000.0, Å/1e10, deg/RTD), which give the simulated values
// bit for bit whenever x*1000/1000.0 == x and so on, as for values that
// were typed in those units; the crystal vectors are in Å as built, so they
// come back exactly.
func (p *Problem) ExptModels(format ImageFormat) (Models, error) {
	s, g := p.Settings, p.Geometry
	beam := g.Beam.Values()
	f, err := expt.NewLabFrame(beam, g.Spindle)
	if err != nil {
		return Models{}, err
	}
	mm := func(v [3]float64) [3]float64 { return [3]float64{v[0] * 1000, v[1] * 1000, v[2] * 1000} }
	neg := func(v [3]float64) [3]float64 { return [3]float64{-v[0], -v[1], -v[2]} }
	m := Models{Frame: f}

	// Kahn's factor K is 2*fraction - 1; nanoBragg's E-vector lies in the
	// polarization plane, whose normal is beam x E.
	fraction := (1 + s.Polarization) / 2
	if s.NoPolar {
		fraction = 0.5
	}
	m.Beam = expt.Beam{
		Direction:            f.ToDXTBX(neg(beam)),
		WavelengthA:          s.Lambda0 * 1e10,
		PolarizationNormal:   f.ToDXTBX(g.Vert),
		PolarizationFraction: fraction,
		Transmission:         1,
	}

	pixelMM := s.PixelSize * 1000
	m.Panel = expt.Panel{
		Name:           "Panel",
		FastAxis:       f.ToDXTBX(g.Fdet.Values()),
		SlowAxis:       f.ToDXTBX(g.Sdet.Values()),
		Origin:         f.ToDXTBX(mm(g.Pix0.Values())),
		ImageSize:      [2]int{s.FPixels, s.SPixels},
		PixelSizeMM:    [2]float64{pixelMM, pixelMM},
		Mask:           []any{},
		Gain:           1,
		PxMmStrategy:   map[string]any{"type": "SimplePxMmStrategy"},
		RawImageOffset: [2]int{0, 0},
	}
	switch format {
	case FormatCBF:
		m.Panel.Type = "SENSOR_PAD"
		m.Panel.TrustedRange = [2]float64{-1, pilatusCountCutoff}
	default:
		m.Panel.Type = "SENSOR_CCD"
		m.Panel.TrustedRange = [2]float64{-1, 65535 - s.ADC}
		m.Panel.Pedestal = s.ADC
	}
	if s.DetectorThick > 0 {
		m.Panel.ThicknessMM = s.DetectorThick * 1000
		mu := s.DetectorMu
		if math.IsNaN(mu) {
			mu = 0
		}
		m.Panel.MuPerMM = mu / 1000
		m.Panel.Material = "Si"
		if mu > 0 {
			m.Panel.PxMmStrategy = map[string]any{"type": "ParallaxCorrectedPxMmStrategy"}
		}
	}

	m.Goniometer = expt.Goniometer{RotationAxis: f.ToDXTBX(g.Spindle), FixedRotation: expt.Identity, SettingRotation: expt.Identity}

	vecs := p.Lattice.VectorsA
	m.Crystal = expt.Crystal{
		ID:             "crystal",
		RealSpaceA:     f.ToDXTBX(vecs[0].Values()),
		RealSpaceB:     f.ToDXTBX(vecs[1].Values()),
		RealSpaceC:     f.ToDXTBX(vecs[2].Values()),
		SpaceGroupHall: " P 1",
	}
	if spread := s.MosaicSpread; spread > 0 {
		deg := spread * rtd
		m.Crystal.MosaicityDeg = &deg
	}
	for _, v := range [][3]float64{m.Panel.Origin, m.Crystal.RealSpaceA, m.Beam.Direction} {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return Models{}, fmt.Errorf("expt: the model has a non-finite value %v", v)
			}
		}
	}
	return m, nil
}

// Scan returns the scan of frames first..last of a sweep whose frame first
// starts at phi0Deg with oscDeg per frame.
func (p *Problem) Scan(first, last int, phi0Deg, oscDeg float64) expt.Scan {
	n := last - first + 1
	sc := expt.Scan{ImageRange: [2]int{first, last}, Oscillation: [2]float64{phi0Deg, oscDeg},
		ExposureTime: make([]float64, n), Epochs: make([]float64, n), ValidImageRanges: map[string]any{}}
	for i := range sc.ExposureTime {
		sc.ExposureTime[i] = p.Settings.Exposure
	}
	return sc
}

// SingleImageList is the experiment list of a plain run: one experiment
// whose image is the -cbffile, else the -noisefile, else the -intfile
// image, as a one-image sequence when its name carries a number and a
// one-image set otherwise (dxtbx opens such an image only when its name
// has a number: see ExptImageWarning).
func (p *Problem) SingleImageList() (*expt.List, error) {
	s := p.Settings
	image, format := p.exptImage()
	image = p.Dirs.out(image)
	m, err := p.ExptModels(format)
	if err != nil {
		return nil, err
	}
	phi0, osc := s.Phi0*rtd, 0.0
	if s.Osc > 0 {
		osc = s.Osc * rtd
	}
	shot := expt.Shot{Beam: m.Beam, Panel: m.Panel, Goniometer: &m.Goniometer, Crystal: &m.Crystal}
	if tpl, n, ok := expt.TemplateOf(image); ok {
		sc := p.Scan(n, n, phi0, osc)
		shot.Scan, shot.Template = &sc, tpl
	} else {
		sc := p.Scan(1, 1, phi0, osc)
		shot.Scan, shot.Images = &sc, []string{image}
	}
	return expt.NewList([]expt.Shot{shot})
}

// ExptImageWarning is the line to print when the image a plain run's
// experiment list names cannot be opened by dxtbx (its file name has no
// frame number), "" otherwise.
func (p *Problem) ExptImageWarning() string {
	s := p.Settings
	image, _ := p.exptImage()
	if _, _, ok := expt.TemplateOf(image); ok {
		return ""
	}
	return fmt.Sprintf("WARNING: dxtbx opens only images whose names carry a frame number (name_00001.img): DIALS can read the models of %s but not %s", s.ExptFile, image)
}

// exptImage is the image a plain run's experiment list names, and its
// format: the -cbffile, else the -noisefile, else the -intfile.
func (p *Problem) exptImage() (string, ImageFormat) {
	s := p.Settings
	switch {
	case s.CBFFile != "":
		return s.CBFFile, FormatCBF
	case s.WriteNoise:
		return s.NoiseFile, FormatSMV
	}
	return s.IntFile, FormatSMV
}
