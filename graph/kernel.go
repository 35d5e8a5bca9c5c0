package graph

import (
	"math"

	"gobragg/crystal"
	"gobragg/physics"
	"gobragg/raster"
)

// Layout of the small input vectors of the diffraction kernel.
const (
	detPix0     = 0  // detector origin, metres (3)
	detFast     = 3  // fast axis unit vector (3)
	detSlow     = 6  // slow axis unit vector (3)
	detNormal   = 9  // detector normal (3)
	detBeam     = 12 // beam direction (3), used by the curved detector
	detDistance = 15 // distance, metres
	detClose    = 16 // close distance, metres
	detLen      = 17

	scalNa       = 0
	scalNb       = 1
	scalNc       = 2
	scalKahn     = 3 // Kahn polarization factor
	scalFudge    = 4
	scalDefaultF = 5
	scalIbg      = 6 // water background before scaling (C's I_bg)
	scalLen      = 7

	srcLen = 4 // incident x, y, z and wavelength in metres
)

// Output rows of the diffraction kernel (each npix long).
const (
	outI       = 0 // accumulated intensity (C's I)
	outOmega   = 1 // solid angle factor applied outside the sum (1 where folded in)
	outPolar   = 2 // polarization factor applied outside the sum
	outCapture = 3 // capture fraction applied outside the sum
	outRows    = 4
)

// Quirks are the C nanoBragg behaviours that -mode c-parity reproduces and
// -mode spec corrects, one switch each so that a test can show that the
// difference between the modes is exactly one quirk.
type Quirks struct {
	// CarryOver: a phi step at exactly 0 is not rotated, so it keeps the
	// lattice of the previous rotation, usually the previous subpath's
	// phi-final one (golden: phi_carryover_tiny, phi_osc_phi0_zero,
	// supervisor_roi).
	CarryOver bool
	// RunningSum: -oversample_thick/_polar/_omega multiply the whole running
	// sum after every term instead of weighting the term (golden:
	// oversample_thick_polar_omega).
	RunningSum bool
	// LastLayerCapture: without -oversample_thick the sum over all sensor
	// layers is multiplied by the capture fraction of the last layer only
	// (golden: detector_absorption).
	LastLayerCapture bool
	// InterpolationSwitchOff: the first sample whose tricubic neighbourhood
	// leaves the table switches interpolation off for the rest of the run,
	// in C's serial pixel order (golden: hkl_interp_out_of_range).
	InterpolationSwitchOff bool
	// PolarUnitizesDiffracted: polarization_factor normalises the diffracted
	// vector in place, so later sources of that subpixel use the copy (a
	// last-bit effect with several sources).
	PolarUnitizesDiffracted bool
	// SincgFromIndex: F_latt's sincg takes C's arguments fl(π·h) and
	// fl(fl(π·h)·N), whose sines lose relative accuracy next to a node,
	// instead of the distance of h to its nearest integer (last bits
	// everywhere, up to 1e-12 relative next to the Bragg peaks).
	SincgFromIndex bool
	// PhiStepStart: phi step t is sampled at its start, phi0 + t·phistep,
	// so a frame's mean orientation comes phistep/2 before the middle of
	// its oscillation, where a DIALS model of the frame puts it; spec mode
	// samples the middle of every step, phi0 + (t + ½)·phistep (golden:
	// every case with -osc).
	PhiStepStart bool
}

// CQuirks returns every quirk switched on, as in C nanoBragg.
func CQuirks() Quirks {
	return Quirks{CarryOver: true, RunningSum: true, LastLayerCapture: true,
		InterpolationSwitchOff: true, PolarUnitizesDiffracted: true, SincgFromIndex: true,
		PhiStepStart: true}
}

// PhiStepAt is where phi step t is sampled, in steps from phi0: t at the
// step's start (PhiStepStart, as C), else t + ½ at its middle.
func (q Quirks) PhiStepAt(t int) float64 {
	if q.PhiStepStart {
		return float64(t)
	}
	return float64(t) + 0.5
}

// Setup holds everything about the diffraction loop that is not a
// differentiable input: sizes, switches, the ROI and mask.
type Setup struct {
	// Quirks are the C behaviours to reproduce: CQuirks() in c-parity mode,
	// none in spec mode (the physics as specified).
	Quirks           Quirks
	FPixels, SPixels int
	PixelSizeM       float64
	Oversample       int
	ThickSteps       int
	ThickStepM       float64
	DetectorThickM   float64
	MuPerM           float64
	Curved           bool
	PointPixel       bool
	OversampleThick  bool
	OversamplePolar  bool
	OversampleOmega  bool
	NoPolar          bool
	PolarAxis        [3]float64
	Shape            crystal.Shape
	Interpolate      bool // tricubic interpolation of F at the start of the run
	WaterZero        bool // -water 0: C skips terms whose F_latt is 0
	DminM            float64
	NSources         int
	NPhi, NMos       int
	ROI              raster.ROI
	Mask             []uint16
	Grid             GridShape
	Workers          int // goroutines; 0 = GOMAXPROCS (results do not depend on it)
	// Progress, if set, is called during the forward pass with the number
	// of pixels rendered so far (calls are serialised and increasing).
	Progress func(rendered int)
	// Panels, when set, make the detector multi-panel (see panels.go): each
	// panel's pixels and sensor replace FPixels, SPixels, PixelSizeM and
	// the sensor fields above, ROI is ignored (Mask selects pixels), and
	// the image is the panels one after another.
	Panels []PanelSetup
	// pixelBase is the image offset of this Setup's first pixel and panel
	// its index, in the per-panel copies of panelSetups.
	pixelBase, panel int
}

// GridShape describes the dense structure-factor table.
type GridShape struct {
	Hmin, Hmax, Kmin, Kmax, Lmin, Lmax int
	Count                              int // reflections read; 0 means no table
}

func (g GridShape) size() int {
	if g.Count == 0 {
		return 1
	}
	return (g.Hmax - g.Hmin + 1) * (g.Kmax - g.Kmin + 1) * (g.Lmax - g.Lmin + 1)
}

// index returns the dense index of (h, k, l) or -1 outside the table.
func (g GridShape) index(h, k, l int) int {
	if g.Count == 0 || h < g.Hmin || h > g.Hmax || k < g.Kmin || k > g.Kmax || l < g.Lmin || l > g.Lmax {
		return -1
	}
	kr := g.Kmax - g.Kmin + 1
	lr := g.Lmax - g.Lmin + 1
	return ((h-g.Hmin)*kr+(k-g.Kmin))*lr + (l - g.Lmin)
}

// interpInRange reports whether the 4x4x4 neighbourhood C needs around
// (h, k, l) lies inside the table, using C's test on the fractional indices.
func (g GridShape) interpInRange(h, k, l float64) bool {
	hr := float64(g.Hmax - g.Hmin + 1)
	kr := float64(g.Kmax - g.Kmin + 1)
	lr := float64(g.Lmax - g.Lmin + 1)
	return !((h-float64(g.Hmin)+3) > hr || h-2 < float64(g.Hmin) ||
		(k-float64(g.Kmin)+3) > kr || k-2 < float64(g.Kmin) ||
		(l-float64(g.Lmin)+3) > lr || l-2 < float64(g.Lmin))
}

// inputs are the differentiable inputs of the kernel, as flat slices.
type inputs struct {
	lattice []float64 // [2][NPhi][NMos][9]: row 0 for C's first subpath, row 1 for all others
	// latticeSoA holds the same values field by field, [2][9][NPhi*NMos],
	// for the vector lattice sums (nil without them).
	latticeSoA []float64
	recip      []float64 // a*, b*, c* in 1/Angstrom (9)
	det        []float64 // detLen
	src        []float64 // [NSources][4]
	scal       []float64 // scalLen
	F          []float64 // dense structure factors
	// polar is each source's polarization frame (unit incident and axis,
	// B_in, E_in), built once per run instead of once per pixel.
	polar []physics.PolarFrame
	// bg is the water background one pixel pass adds (the background
	// stage, pixelState.background): I_bg, or for weighted sources each
	// source pass's 1/nsrc of it (Diffraction.split); bgPart is d bg / d I_bg.
	bg, bgPart float64
}

// Sizes returns the lengths of the kernel's input vectors in input order.
func (s *Setup) Sizes() []int {
	return []int{2 * s.NPhi * s.NMos * 9, 9, detLen * s.NPanels(), s.NSources * srcLen, scalLen, s.Grid.size()}
}

// NPix is the number of detector pixels (of every panel).
func (s *Setup) NPix() int {
	if s.Panels != nil {
		return s.PanelOffset(len(s.Panels))
	}
	return s.FPixels * s.SPixels
}

func (s *Setup) split(in [][]float64) inputs {
	v := inputs{lattice: in[0], recip: in[1], det: in[2], src: in[3], scal: in[4], F: in[5]}
	v.bg, v.bgPart = v.scal[scalIbg], 1
	if vectorSums {
		v.latticeSoA = latticeFields(v.lattice, s.NPhi*s.NMos)
	}
	v.polar = make([]physics.PolarFrame, s.NSources)
	for i := range v.polar {
		sv := v.src[i*srcLen : i*srcLen+3]
		v.polar[i] = physics.NewPolarFrame([3]float64{sv[0], sv[1], sv[2]}, s.PolarAxis)
	}
	return v
}

// active reports whether pixel (fp, sp) is rendered: inside the ROI and not masked.
func (s *Setup) active(fp, sp int) bool {
	if !s.ROI.Contains(fp, sp) {
		return false
	}
	if s.Mask != nil && s.Mask[sp*s.FPixels+fp] == 0 {
		return false
	}
	return true
}

// firstPixel returns the index of the first pixel whose phi loop C runs:
// the first subpath of that loop uses the unrotated phi = 0 lattice. With
// -dmin a pixel whose every subpath is cut off never reaches the loop.
// It returns -1 when no pixel does. Panels are taken in order.
func (k *Diffraction) firstPixel(in *inputs) int {
	ins := k.panelInputs(in)
	for i := range k.panels {
		s := &k.panels[i]
		for sp := 0; sp < s.SPixels; sp++ {
			for fp := 0; fp < s.FPixels; fp++ {
				if s.active(fp, sp) && (s.DminM <= 0 || s.reachesPhiLoop(&ins[i], fp, sp)) {
					return s.pixelBase + sp*s.FPixels + fp
				}
			}
		}
	}
	return -1
}

// reachesPhiLoop reports whether some subpath of pixel (fp, sp) passes the
// -dmin cut-off.
func (s *Setup) reachesPhiLoop(in *inputs, fp, sp int) bool {
	os := s.Oversample
	subpix := s.PixelSizeM / float64(os)
	for thick := 0; thick < s.ThickSteps; thick++ {
		for subS := 0; subS < os; subS++ {
			for subF := 0; subF < os; subF++ {
				fdet := subpix*float64(fp*os+subF) + subpix/2.0
				sdet := subpix*float64(sp*os+subS) + subpix/2.0
				d, _ := physics.Unitize(s.subpixelPosition(in.det, fdet, sdet, float64(thick)*s.ThickStepM))
				for src := 0; src < s.NSources; src++ {
					sv := in.src[src*srcLen : (src+1)*srcLen]
					S := [3]float64{(d[0] - sv[0]) / sv[3], (d[1] - sv[1]) / sv[3], (d[2] - sv[2]) / sv[3]}
					stol := 0.5 * math.Sqrt(S[0]*S[0]+S[1]*S[1]+S[2]*S[2])
					if !(stol > 0.0 && s.DminM > 0.5/stol) {
						return true
					}
				}
			}
		}
	}
	return false
}

// subpixelPosition returns the lab position (metres) of a subpixel centre,
// in C's evaluation order, and for the curved detector C's spherical mapping.
func (s *Setup) subpixelPosition(det []float64, fdet, sdet, odet float64) [3]float64 {
	var pos [3]float64
	for i := 0; i < 3; i++ {
		pos[i] = fdet*det[detFast+i] + sdet*det[detSlow+i] + odet*det[detNormal+i] + det[detPix0+i]
	}
	if s.Curved {
		pos = curvedPosition(det, pos)
	}
	return pos
}

// curvedPosition maps a flat-detector position onto the sphere of radius
// distance, as C does: it treats pos[1], pos[2] as arc lengths.
func curvedPosition(det []float64, pos [3]float64) [3]float64 {
	dist := det[detDistance]
	v := [3]float64{dist * det[detBeam], dist * det[detBeam+1], dist * det[detBeam+2]}
	s := [3]float64{det[detSlow], det[detSlow+1], det[detSlow+2]}
	f := [3]float64{det[detFast], det[detFast+1], det[detFast+2]}
	nv := physics.RotateAxis(v, s, pos[1]/dist)
	return physics.RotateAxis(nv, f, pos[2]/dist)
}

// HKL returns the Miller indices of entry i of the dense structure-factor
// table (the inverse of its index), and false outside the table.
func (g GridShape) HKL(i int) (h, k, l int, ok bool) {
	if g.Count == 0 || i < 0 || i >= g.size() {
		return 0, 0, 0, false
	}
	kr := g.Kmax - g.Kmin + 1
	lr := g.Lmax - g.Lmin + 1
	return i/(kr*lr) + g.Hmin, (i/lr)%kr + g.Kmin, i%lr + g.Lmin, true
}
