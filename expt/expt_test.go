package expt

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLabFrameIsExactForTheConventions(t *testing.T) {
	for _, c := range []struct {
		name          string
		beam, spindle [3]float64
	}{
		{"mosflm", [3]float64{1, 0, 0}, [3]float64{0, 0, 1}},
		{"xds", [3]float64{0, 0, 1}, [3]float64{1, 0, 0}},
		{"dials", [3]float64{0, 0, 1}, [3]float64{0, 1, 0}},
		{"custom spindle", [3]float64{1, 0, 0}, [3]float64{0, -1, 0}},
	} {
		f, err := NewLabFrame(c.beam, c.spindle)
		require.NoError(t, err)
		require.Equal(t, [3]float64{0, 0, -1}, f.ToDXTBX(c.beam), "%s: beam travels along -z", c.name)
		require.Equal(t, [3]float64{1, 0, 0}, f.ToDXTBX(c.spindle), "%s: spindle along +x", c.name)
		v := [3]float64{0.1234567891234, -7.25e-3, 1e5 / 3}
		require.Equal(t, v, f.FromDXTBX(f.ToDXTBX(v)), "%s: exact round trip", c.name)
	}
	// A general frame is a rotation: lengths are kept to rounding.
	f, err := NewLabFrame([3]float64{0.6, 0.8, 0}, [3]float64{0, 0.3, 1})
	require.NoError(t, err)
	w := f.ToDXTBX([3]float64{3, 4, 12})
	require.InDelta(t, 169, w[0]*w[0]+w[1]*w[1]+w[2]*w[2], 1e-12)
}

// listJSON is a valid one-experiment list, with markers to break.
const listJSON = `{"__id__": "ExperimentList",
 "experiment": [{"__id__": "Experiment", "beam": 0, "detector": 0, "goniometer": 0, "scan": 0, "crystal": 0, "imageset": 0}],
 "imageset": [{"__id__": "ImageSequence", "template": "/x/a_###.img"}],
 "beam": [{"direction": [0, 0, 1], "wavelength": 1.0, "polarization_normal": [0, 1, 0], "polarization_fraction": 0.5}],
 "detector": [{"panels": [PANEL]}],
 "goniometer": [{"rotation_axis": [1, 0, 0], "fixed_rotation": [1,0,0,0,1,0,0,0,1], "setting_rotation": [1,0,0,0,1,0,0,0,1]}],
 "scan": [{"image_range": [1, 10], "oscillation": [0, 0.5]}],
 "crystal": [{"__id__": "crystal", "real_space_a": [50, 0, 0], "real_space_b": [0, 60, 0], "real_space_c": [0, 0, 70], "space_group_hall_symbol": " P 1"}]}`

const panelJSON = `{"name": "Panel", "fast_axis": [1, 0, 0], "slow_axis": [0, -1, 0], "origin": [-10, 10, -100], "image_size": [64, 48], "pixel_size": [0.4, 0.4]}`

func TestSingleAcceptsAndRefusesByName(t *testing.T) {
	good := strings.Replace(listJSON, "PANEL", panelJSON, 1)
	l, err := Read(strings.NewReader(good), "good.expt")
	require.NoError(t, err)
	e, err := l.Single("good.expt")
	require.NoError(t, err)
	require.Equal(t, [2]int{64, 48}, e.Panel.ImageSize)

	cases := []struct{ name, json, want string }{
		{"no crystal", strings.Replace(strings.Replace(good, `"crystal": 0, `, "", 1), "PANEL", panelJSON, 1), "no crystal"},
		{"two experiments", strings.Replace(good, `"experiment": [{`, `"experiment": [{"__id__": "Experiment"}, {`, 1), "2 experiments"},
		{"broken JSON", good[:len(good)/2], "not valid JSON"},
		{"not a list", `{"__id__": "Reflections"}`, "not a DIALS experiment list"},
		{"fixed rotation not a rotation", strings.Replace(good, `"fixed_rotation": [1,0,0`, `"fixed_rotation": [0,1,0`, 1), "goniometer[0].fixed_rotation: [0 1 0 0 1 0 0 0 1] is not a rotation"},
		{"setting rotation a reflection", strings.Replace(good, `"setting_rotation": [1,0,0`, `"setting_rotation": [-1,0,0`, 1), "is a reflection"},
		{"no rotation axis", strings.Replace(good, `"rotation_axis": [1, 0, 0], `, ``, 1), "no rotation_axis"},
		{"scan axis out of range", strings.Replace(good, `"rotation_axis": [1, 0, 0], "fixed_rotation": [1,0,0,0,1,0,0,0,1], "setting_rotation": [1,0,0,0,1,0,0,0,1]`, `"axes": [[1,0,0],[0,1,0]], "angles": [0, 0], "names": ["PHI", "OMEGA"], "scan_axis": 2`, 1), "scan_axis 2 is not one of the 2 axes"},
		{"angles short", strings.Replace(good, `"rotation_axis": [1, 0, 0], "fixed_rotation": [1,0,0,0,1,0,0,0,1], "setting_rotation": [1,0,0,0,1,0,0,0,1]`, `"axes": [[1,0,0],[0,1,0]], "angles": [0], "scan_axis": 1`, 1), "2 axes but 1 angles"},
		{"axis not unit", strings.Replace(good, `"rotation_axis": [1, 0, 0], "fixed_rotation": [1,0,0,0,1,0,0,0,1], "setting_rotation": [1,0,0,0,1,0,0,0,1]`, `"axes": [[1,0,0],[0,1.1,0]], "angles": [0, 0], "names": ["PHI", "OMEGA"], "scan_axis": 0`, 1), "axis 1 (OMEGA)"},
		{"skewed axes", strings.Replace(good, `"slow_axis": [0, -1, 0]`, `"slow_axis": [0.01, -0.99995, 0]`, 1), "are not perpendicular (cosine 0.01)"},
		{"zero-size panel", strings.Replace(good, `"image_size": [64, 48]`, `"image_size": [0, 48]`, 1), "image_size"},
		{"thousands of panels", strings.Replace(listJSON, "PANEL", strings.TrimSuffix(strings.Repeat(panelJSON+",", 5000), ","), 1), "5000 panels (1 to 4096)"},
		{"second panel skewed", strings.Replace(listJSON, "PANEL", panelJSON+","+strings.Replace(panelJSON, `"slow_axis": [0, -1, 0]`, `"slow_axis": [0.01, -0.99995, 0]`, 1), 1), "detector[0].panels[1]: fast_axis [1 0 0] and slow_axis [0.01 -0.99995 0] are not perpendicular"},
		{"second panel of zero size", strings.Replace(listJSON, "PANEL", panelJSON+","+strings.Replace(panelJSON, `"image_size": [64, 48]`, `"image_size": [64, 0]`, 1), 1), "detector[0].panels[1].image_size: [64 0] is not a usable size"},
		{"bad axis", strings.Replace(good, `"fast_axis": [1, 0, 0]`, `"fast_axis": [2, 0, 0]`, 1), "not a unit vector"},
		{"zero wavelength", strings.Replace(good, `"wavelength": 1.0`, `"wavelength": 0`, 1), "wavelength"},
		{"bad index", strings.Replace(good, `"beam": 0`, `"beam": 3`, 1), "beam 3 is not in the list"},
	}
	for _, c := range cases {
		l, err := Read(strings.NewReader(c.json), "bad.expt")
		if err == nil {
			_, err = l.Single("bad.expt")
		}
		require.Error(t, err, c.name)
		require.Contains(t, err.Error(), c.want, c.name)
		require.Contains(t, err.Error(), "bad.expt", c.name)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	mos := 0.25
	l, err := NewList([]Shot{{Beam: Beam{Direction: [3]float64{0, 0, 1}, WavelengthA: 1.2, PolarizationNormal: [3]float64{0, 1, 0}, PolarizationFraction: 0.5},
		Panel:      Panel{FastAxis: [3]float64{1, 0, 0}, SlowAxis: [3]float64{0, -1, 0}, ImageSize: [2]int{10, 12}, PixelSizeMM: [2]float64{0.1, 0.1}, Origin: [3]float64{1.0 / 3, 2, -50}},
		Goniometer: &Goniometer{RotationAxis: [3]float64{1, 0, 0}, FixedRotation: Identity, SettingRotation: Identity},
		Scan:       &Scan{ImageRange: [2]int{1, 5}, Oscillation: [2]float64{0, 0.1}},
		Crystal:    &Crystal{ID: "crystal", RealSpaceA: [3]float64{50.123456789012345, 0, 0}, RealSpaceB: [3]float64{0, 60, 0}, RealSpaceC: [3]float64{0, 0, 70}, MosaicityDeg: &mos},
		Template:   "/data/x_###.img"}})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, l.Write(&buf))
	back, err := Read(&buf, "rt.expt")
	require.NoError(t, err)
	e, err := back.Single("rt.expt")
	require.NoError(t, err)
	require.Equal(t, 1.0/3, e.Panel.Origin[0])
	require.Equal(t, 50.123456789012345, e.Crystal.RealSpaceA[0])
	require.Equal(t, 0.25, *e.Crystal.MosaicityDeg)
	require.Equal(t, "/data/x_###.img", back.ImageSets[0].Template)
}

func TestTemplateOf(t *testing.T) {
	tpl, n, ok := TemplateOf("dir/x1_0042.img")
	require.True(t, ok)
	require.Equal(t, "dir/x1_####.img", tpl)
	require.Equal(t, 42, n)
	_, _, ok = TemplateOf("dir7/intimage.img")
	require.False(t, ok)
}

func TestPickChoosesOneExperiment(t *testing.T) {
	good := strings.Replace(listJSON, "PANEL", panelJSON, 1)
	two := strings.Replace(good, `"crystal": [{"__id__": "crystal", "real_space_a": [50, 0, 0]`,
		`"crystal": [{"__id__": "crystal", "real_space_a": [51, 0, 0], "real_space_b": [0, 60, 0], "real_space_c": [0, 0, 70]}, {"__id__": "crystal", "real_space_a": [50, 0, 0]`, 1)
	two = strings.Replace(two, `"experiment": [{"__id__": "Experiment", "beam": 0, "detector": 0, "goniometer": 0, "scan": 0, "crystal": 0, "imageset": 0}]`,
		`"experiment": [{"__id__": "Experiment", "beam": 0, "detector": 0, "goniometer": 0, "scan": 0, "crystal": 0, "imageset": 0}, {"__id__": "Experiment", "beam": 0, "detector": 0, "crystal": 1}]`, 1)
	l, err := Read(strings.NewReader(two), "two.expt")
	require.NoError(t, err)
	_, err = l.Pick(-1, "two.expt")
	require.EqualError(t, err, "expt two.expt: 2 experiments; choose one with -expt_index 0 to 1")
	e0, err := l.Pick(0, "two.expt")
	require.NoError(t, err)
	require.Equal(t, 51.0, e0.Crystal.RealSpaceA[0])
	require.NotNil(t, e0.Scan)
	e1, err := l.Pick(1, "two.expt")
	require.NoError(t, err)
	require.Equal(t, 50.0, e1.Crystal.RealSpaceA[0])
	require.Nil(t, e1.Scan, "experiment 1 is a still")
	_, err = l.Pick(2, "two.expt")
	require.EqualError(t, err, "expt two.expt: experiment 2 is not in the list (2 given)")
}
