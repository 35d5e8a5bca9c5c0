package expt

// List is an experiment list (ExperimentList.to_dict), with the models
// every experiment refers to by index.
type List struct {
	ID          string       `json:"__id__"`
	Experiments []Experiment `json:"experiment"`
	ImageSets   []ImageSet   `json:"imageset"`
	Beams       []Beam       `json:"beam"`
	Detectors   []Detector   `json:"detector"`
	Goniometers []Goniometer `json:"goniometer"`
	Scans       []Scan       `json:"scan"`
	Crystals    []Crystal    `json:"crystal"`
	Profiles    []any        `json:"profile"`
	Scaling     []any        `json:"scaling_model"`
}

// Experiment points at its models by index; nil means none.
type Experiment struct {
	ID         string `json:"__id__"`
	Identifier string `json:"identifier"`
	Beam       *int   `json:"beam,omitempty"`
	Detector   *int   `json:"detector,omitempty"`
	Goniometer *int   `json:"goniometer,omitempty"`
	Scan       *int   `json:"scan,omitempty"`
	Crystal    *int   `json:"crystal,omitempty"`
	ImageSet   *int   `json:"imageset,omitempty"`
}

// ImageSet is an "ImageSequence" (a rotation sweep named by a template
// with '#' for the image number) or an "ImageSet" (a list of still images).
type ImageSet struct {
	ID       string         `json:"__id__"`
	Template string         `json:"template,omitempty"`
	Images   []string       `json:"images,omitempty"`
	Mask     *string        `json:"mask"`
	Gain     *string        `json:"gain"`
	Pedestal *string        `json:"pedestal"`
	DX       *string        `json:"dx"`
	DY       *string        `json:"dy"`
	Params   map[string]any `json:"params"`
}

// Beam: Direction is the unit vector from the sample towards the source;
// wavelength in Å; PolarizationFraction is the fraction of the intensity
// polarized perpendicular to PolarizationNormal.
type Beam struct {
	Direction            [3]float64 `json:"direction"`
	WavelengthA          float64    `json:"wavelength"`
	Divergence           float64    `json:"divergence"`
	SigmaDivergence      float64    `json:"sigma_divergence"`
	PolarizationNormal   [3]float64 `json:"polarization_normal"`
	PolarizationFraction float64    `json:"polarization_fraction"`
	Flux                 float64    `json:"flux"`
	Transmission         float64    `json:"transmission"`
}

// Detector is a list of panels with their hierarchy.
type Detector struct {
	Panels    []Panel        `json:"panels"`
	Hierarchy map[string]any `json:"hierarchy,omitempty"`
}

// Panel: Origin is the corner of the first pixel in mm from the sample,
// FastAxis and SlowAxis unit vectors; pixel size and thickness in mm, mu in 1/mm.
type Panel struct {
	Name           string         `json:"name"`
	Type           string         `json:"type"`
	FastAxis       [3]float64     `json:"fast_axis"`
	SlowAxis       [3]float64     `json:"slow_axis"`
	Origin         [3]float64     `json:"origin"`
	RawImageOffset [2]int         `json:"raw_image_offset"`
	ImageSize      [2]int         `json:"image_size"`
	PixelSizeMM    [2]float64     `json:"pixel_size"`
	TrustedRange   [2]float64     `json:"trusted_range"`
	ThicknessMM    float64        `json:"thickness"`
	Material       string         `json:"material"`
	MuPerMM        float64        `json:"mu"`
	Identifier     string         `json:"identifier"`
	Mask           []any          `json:"mask"`
	Gain           float64        `json:"gain"`
	Pedestal       float64        `json:"pedestal"`
	PxMmStrategy   map[string]any `json:"px_mm_strategy"`
}

// Goniometer is dxtbx's single-axis model: the crystal at scan angle phi
// is SettingRotation R(RotationAxis, phi) FixedRotation times its
// orientation at 0 (matrices row by row). A multi-axis goniometer (Axes
// listed from the crystal outwards, the scan axis among them) is read
// into the same three values, as dxtbx derives them (goniometer.go), and
// keeps its axes so that it is written back as it was read.
type Goniometer struct {
	RotationAxis    [3]float64 `json:"rotation_axis"`
	FixedRotation   [9]float64 `json:"fixed_rotation"`
	SettingRotation [9]float64 `json:"setting_rotation"`

	Axes     [][3]float64 `json:"axes,omitempty"`
	Angles   []float64    `json:"angles,omitempty"`
	Names    []string     `json:"names,omitempty"`
	ScanAxis *int         `json:"scan_axis,omitempty"`

	// invalid is why a goniometer read from a list cannot be used (no
	// axis, a scan axis out of range, ...), reported by List.Experiment.
	invalid error
}

// Scan: ImageRange is the first and last image number; Oscillation the
// start angle of the first image and the width of every image, in degrees.
type Scan struct {
	ImageRange       [2]int         `json:"image_range"`
	BatchOffset      int            `json:"batch_offset"`
	Oscillation      [2]float64     `json:"oscillation"`
	ExposureTime     []float64      `json:"exposure_time"`
	Epochs           []float64      `json:"epochs"`
	ValidImageRanges map[string]any `json:"valid_image_ranges"`
}

// Crystal: the real-space cell vectors in Å at spindle angle 0 and the
// space group; Mosaicity (degrees, MosaicCrystalKabsch2010) when set.
type Crystal struct {
	ID             string     `json:"__id__"`
	RealSpaceA     [3]float64 `json:"real_space_a"`
	RealSpaceB     [3]float64 `json:"real_space_b"`
	RealSpaceC     [3]float64 `json:"real_space_c"`
	SpaceGroupHall string     `json:"space_group_hall_symbol"`
	MosaicityDeg   *float64   `json:"mosaicity,omitempty"`
}

// Identity is the 3x3 identity, row by row (fixed and setting rotations).
var Identity = [9]float64{1, 0, 0, 0, 1, 0, 0, 0, 1}

// hierarchy is the trivial detector hierarchy dxtbx writes for one panel.
func hierarchy() map[string]any {
	return map[string]any{
		"name": "", "type": "", "fast_axis": []float64{1, 0, 0}, "slow_axis": []float64{0, 1, 0}, "origin": []float64{0, 0, 0},
		"raw_image_offset": []int{0, 0}, "image_size": []int{0, 0}, "pixel_size": []float64{0, 0}, "trusted_range": []float64{0, 0},
		"thickness": 0.0, "material": "", "mu": 0.0, "identifier": "", "mask": []any{}, "gain": 1.0, "pedestal": 0.0,
		"px_mm_strategy": map[string]any{"type": "SimplePxMmStrategy"}, "children": []any{map[string]any{"panel": 0}},
	}
}
