package imageio

import (
	"bufio"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// A multi-panel detector is written as a full imgCIF/CBF file in the layout
// of dxtbx's FullCBFWriter, which dxtbx's FormatCBFMultiTileHierarchy (and
// so dials.import) reads back panel by panel with its hierarchy: every
// group of panels is a rotation axis (its frame's rotation, as an axis and
// a setting angle, and its origin as the axis's offset) depending on its
// parent group's axis; every panel is an axis at its origin with its slow
// and then its fast axis as translation axes (pixel steps of
// displacement_increment); each panel is an array of its own (one binary
// section, uncompressed little-endian signed 32-bit counts).

// CBFNode is a group (Panel < 0) or a panel of a multi-panel CBF: its frame
// local to its parent's, in mm, and the groups and panels in it.
type CBFNode struct {
	Panel              int
	Fast, Slow, Origin [3]float64
	Children           []*CBFNode
}

// CBFPanel is one panel's array: its size, square pixels (mm), trusted
// range and gain, and its counts (slow*SizeFast + fast).
type CBFPanel struct {
	SizeFast, SizeSlow int
	PixelSizeMM        float64
	TrustedRange       [2]float64
	Gain               float64
	Counts             []int32
}

// MultiCBF is an image of a multi-panel detector in dxtbx's laboratory
// frame: its hierarchy (Root), its panels in index order, the beam's
// wavelength (Å) and, for a frame of a rotation sweep, its rotation (nil:
// a still).
type MultiCBF struct {
	Root        *CBFNode
	Panels      []CBFPanel
	WavelengthA float64
	Rotation    *CBFRotation
}

// CBFRotation is the spindle of a rotation frame: its unit axis in dxtbx's
// laboratory frame, and the frame's start and width in degrees. It is
// written as one goniometer axis (GONIOMETER, scanned by the frame), which
// dxtbx reads as a goniometer and a one-image scan (so dials.import makes a
// sequence of such frames, numbered by their file names).
type CBFRotation struct {
	Axis               [3]float64
	StartDeg, WidthDeg float64
}

// cbfAxis is one row of the _axis category.
type cbfAxis struct {
	id, kind, dependsOn, component string
	vector, offset                 [3]float64
	angleDeg                       float64
}

// WriteMultiCBF writes m as a full CBF (see above). It fails, writing
// nothing, when a panel's counts do not fill it or the hierarchy does not
// hold every panel once.
func WriteMultiCBF(w io.Writer, m MultiCBF) error {
	n := len(m.Panels)
	for i, p := range m.Panels {
		if p.SizeFast <= 0 || p.SizeSlow <= 0 || len(p.Counts) != p.SizeFast*p.SizeSlow {
			return fmt.Errorf("cbf: panel %d: %d counts for %dx%d pixels", i, len(p.Counts), p.SizeFast, p.SizeSlow)
		}
	}
	var axes []cbfAxis
	panelAxis := make([]string, n) // each panel's fast axis (its axis set)
	seen := make([]bool, n)
	groups := 0
	var walk func(nd *CBFNode, parent string, level int) error
	walk = func(nd *CBFNode, parent string, level int) error {
		comp := "detector_level_" + strconv.Itoa(level)
		axis, angle := axisAngle(nd.Fast, nd.Slow)
		if nd.Panel >= 0 {
			i := nd.Panel
			if i >= n || seen[i] {
				return fmt.Errorf("cbf: panel %d is not a panel or is in the hierarchy twice", i)
			}
			seen[i] = true
			id := "PANEL" + strconv.Itoa(i)
			// The panel's own axes are its fast and slow vectors; its
			// rotation axis only places its origin.
			axes = append(axes,
				cbfAxis{id: id, kind: "rotation", dependsOn: parent, component: comp, vector: [3]float64{0, 0, 1}, offset: nd.Origin},
				cbfAxis{id: id + "_S", kind: "translation", dependsOn: id, component: comp, vector: nd.Slow},
				cbfAxis{id: id + "_F", kind: "translation", dependsOn: id + "_S", component: comp, vector: nd.Fast})
			panelAxis[i] = id
			return nil
		}
		id := "GROUP" + strconv.Itoa(groups)
		groups++
		if parent == "." {
			// The detector's root: three translations (at 0) and its frame.
			axes = append(axes,
				cbfAxis{id: id + "_Z", kind: "translation", dependsOn: ".", component: comp, vector: [3]float64{0, 0, 1}},
				cbfAxis{id: id + "_Y", kind: "translation", dependsOn: id + "_Z", component: comp, vector: [3]float64{0, 1, 0}},
				cbfAxis{id: id + "_X", kind: "translation", dependsOn: id + "_Y", component: comp, vector: [3]float64{1, 0, 0}})
			parent = id + "_X"
			id += "_R"
		}
		axes = append(axes, cbfAxis{id: id, kind: "rotation", dependsOn: parent, component: comp, vector: axis, offset: nd.Origin, angleDeg: angle})
		for _, c := range nd.Children {
			if err := walk(c, id, level+1); err != nil {
				return err
			}
		}
		return nil
	}
	if m.Root == nil || m.Root.Panel >= 0 {
		return fmt.Errorf("cbf: the hierarchy has no root group")
	}
	if err := walk(m.Root, ".", 0); err != nil {
		return err
	}
	for i, ok := range seen {
		if !ok {
			return fmt.Errorf("cbf: panel %d is in no group", i)
		}
	}

	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\r\n", args...) }
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', 17, 64) }
	vec := func(v [3]float64) string { return num(v[0]) + " " + num(v[1]) + " " + num(v[2]) }
	line("###CBF: VERSION 1.5, gobragg multi-panel full CBF (CBFlib-compatible)")
	line("")
	line("data_gobragg")
	line("")
	line("_diffrn.id gobragg")
	line("_diffrn_source.diffrn_id gobragg")
	line("_diffrn_source.source simulated")
	line("_diffrn_source.type gobragg")
	line("")
	line("_diffrn_detector.diffrn_id gobragg")
	line("_diffrn_detector.id gobragg_detector")
	line("_diffrn_detector.type 'gobragg multi-panel detector'")
	line("_diffrn_detector.details .")
	line("_diffrn_detector.number_of_axes %d", len(axes))
	line("")
	line("loop_\r\n_diffrn_detector_axis.detector_id\r\n_diffrn_detector_axis.axis_id")
	for _, a := range axes {
		line(" gobragg_detector %s", a.id)
	}
	line("")
	line("loop_\r\n_diffrn_detector_element.id\r\n_diffrn_detector_element.detector_id")
	for i := range n {
		line(" ELE_PANEL%d gobragg_detector", i)
	}
	line("")
	line("loop_\r\n_diffrn_data_frame.id\r\n_diffrn_data_frame.detector_element_id\r\n_diffrn_data_frame.array_id\r\n_diffrn_data_frame.binary_id")
	for i := range n {
		line(" FRAME1 ELE_PANEL%d ARRAY_PANEL%d %d", i, i, i+1)
	}
	line("")
	line("_diffrn_radiation.diffrn_id gobragg")
	line("_diffrn_radiation.wavelength_id WAVELENGTH1")
	line("_diffrn_radiation.probe x-ray")
	line("")
	line("_diffrn_radiation_wavelength.id WAVELENGTH1")
	line("_diffrn_radiation_wavelength.wavelength %s", num(m.WavelengthA))
	line("_diffrn_radiation_wavelength.wt 1.0")
	line("")
	rot := m.Rotation
	date := "unknown"
	if rot == nil {
		line("_diffrn_measurement.diffrn_id gobragg")
		line("_diffrn_measurement.id unknown")
		line("_diffrn_measurement.number_of_axes 0")
		line("_diffrn_measurement.method unknown")
		line("_diffrn_measurement.details ?")
		line("")
	} else {
		line("_diffrn_measurement.diffrn_id gobragg")
		line("_diffrn_measurement.id GONIOMETER")
		line("_diffrn_measurement.number_of_axes 1")
		line("_diffrn_measurement.method rotation")
		line("")
		line("_diffrn_measurement_axis.measurement_id GONIOMETER")
		line("_diffrn_measurement_axis.axis_id GONIOMETER")
		line("")
		// dxtbx's scan reads a time stamp; a fixed one keeps frames reproducible.
		date = "2000-01-01T00:00:00"
	}
	line("_diffrn_scan.id SCAN1")
	line("_diffrn_scan.frame_id_start FRAME1")
	line("_diffrn_scan.frame_id_end FRAME1")
	line("_diffrn_scan.frames 1")
	line("")
	line("_diffrn_scan_frame.frame_id FRAME1")
	line("_diffrn_scan_frame.frame_number 1")
	line("_diffrn_scan_frame.integration_time 0.0")
	line("_diffrn_scan_frame.scan_id SCAN1")
	line("_diffrn_scan_frame.date %s", date)
	line("")
	line("loop_\r\n_array_intensities.array_id\r\n_array_intensities.binary_id\r\n_array_intensities.linearity\r\n_array_intensities.gain\r\n_array_intensities.gain_esd\r\n_array_intensities.overload\r\n_array_intensities.undefined_value")
	for i, p := range m.Panels {
		gain := p.Gain
		if gain == 0 {
			gain = 1
		}
		line(" ARRAY_PANEL%d %d linear %s 0.0 %s %s", i, i+1, num(gain), num(p.TrustedRange[1]), num(p.TrustedRange[0]))
	}
	line("")
	line("loop_\r\n_axis.id\r\n_axis.type\r\n_axis.equipment\r\n_axis.depends_on\r\n_axis.vector[1]\r\n_axis.vector[2]\r\n_axis.vector[3]\r\n_axis.offset[1]\r\n_axis.offset[2]\r\n_axis.offset[3]\r\n_axis.equipment_component")
	line(" AXIS_SOURCE general source . 0 0 1 . . . .")
	line(" AXIS_GRAVITY general gravity . 0 -1 0 . . . .")
	if rot != nil {
		line(" GONIOMETER rotation goniometer . %s . . . .", vec(rot.Axis))
	}
	for _, a := range axes {
		line(" %s %s detector %s %s %s %s", a.id, a.kind, a.dependsOn, vec(a.vector), vec(a.offset), a.component)
	}
	line("")
	line("loop_\r\n_diffrn_scan_axis.axis_id\r\n_diffrn_scan_axis.scan_id\r\n_diffrn_scan_axis.angle_start\r\n_diffrn_scan_axis.angle_range\r\n_diffrn_scan_axis.angle_increment\r\n_diffrn_scan_axis.displacement_start\r\n_diffrn_scan_axis.displacement_range\r\n_diffrn_scan_axis.displacement_increment")
	line(" AXIS_SOURCE SCAN1 0 0 0 0 0 0")
	line(" AXIS_GRAVITY SCAN1 0 0 0 0 0 0")
	if rot != nil {
		line(" GONIOMETER SCAN1 %s %s %s 0 0 0", num(rot.StartDeg), num(rot.WidthDeg), num(rot.WidthDeg))
	}
	for _, a := range axes {
		line(" %s SCAN1 0 0 0 0 0 0", a.id)
	}
	line("")
	line("loop_\r\n_diffrn_scan_frame_axis.axis_id\r\n_diffrn_scan_frame_axis.frame_id\r\n_diffrn_scan_frame_axis.angle\r\n_diffrn_scan_frame_axis.displacement")
	line(" AXIS_SOURCE FRAME1 0 0")
	line(" AXIS_GRAVITY FRAME1 0 0")
	if rot != nil {
		line(" GONIOMETER FRAME1 %s 0", num(rot.StartDeg))
	}
	for _, a := range axes {
		line(" %s FRAME1 %s 0", a.id, num(a.angleDeg))
	}
	line("")
	line("loop_\r\n_array_structure_list.array_id\r\n_array_structure_list.index\r\n_array_structure_list.dimension\r\n_array_structure_list.precedence\r\n_array_structure_list.direction\r\n_array_structure_list.axis_set_id")
	for i, p := range m.Panels {
		line(" ARRAY_PANEL%d 1 %d 1 increasing %s_F", i, p.SizeFast, panelAxis[i])
		line(" ARRAY_PANEL%d 2 %d 2 increasing %s_S", i, p.SizeSlow, panelAxis[i])
	}
	line("")
	line("loop_\r\n_array_structure_list_axis.axis_set_id\r\n_array_structure_list_axis.axis_id\r\n_array_structure_list_axis.displacement\r\n_array_structure_list_axis.displacement_increment")
	for i, p := range m.Panels {
		// dxtbx takes the origin from the axes' offsets (the first
		// pixel's corner) and the pixel size from the increments.
		px := num(p.PixelSizeMM)
		line(" %s_F %s_F 0.0 %s", panelAxis[i], panelAxis[i], px)
		line(" %s_S %s_S 0.0 %s", panelAxis[i], panelAxis[i], px)
	}
	line("")
	line("loop_\r\n_array_structure.id\r\n_array_structure.encoding_type\r\n_array_structure.compression_type\r\n_array_structure.byte_order")
	for i := range n {
		line(" ARRAY_PANEL%d \"signed 32-bit integer\" none little_endian", i)
	}
	line("")
	line("loop_\r\n_array_data.array_id\r\n_array_data.binary_id\r\n_array_data.data")
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(b.String())
	for i, p := range m.Panels {
		// Uncompressed: dxtbx takes a full CBF whose first section is
		// byte-offset compressed for a single-array image
		// (FormatCBFFullByteOffset) before it looks at its arrays.
		packed := make([]byte, 4*len(p.Counts))
		for k, c := range p.Counts {
			binary.LittleEndian.PutUint32(packed[4*k:], uint32(c))
		}
		sum := md5.Sum(packed)
		var s strings.Builder
		fmt.Fprintf(&s, " ARRAY_PANEL%d %d\r\n;\r\n--CIF-BINARY-FORMAT-SECTION--\r\n", i, i+1)
		s.WriteString("Content-Type: application/octet-stream\r\n")
		s.WriteString("Content-Transfer-Encoding: BINARY\r\n")
		fmt.Fprintf(&s, "X-Binary-Size: %d\r\nX-Binary-ID: %d\r\n", len(packed), i+1)
		s.WriteString("X-Binary-Element-Type: \"signed 32-bit integer\"\r\nX-Binary-Element-Byte-Order: LITTLE_ENDIAN\r\n")
		fmt.Fprintf(&s, "Content-MD5: %s\r\n", base64.StdEncoding.EncodeToString(sum[:]))
		fmt.Fprintf(&s, "X-Binary-Number-of-Elements: %d\r\n", len(p.Counts))
		fmt.Fprintf(&s, "X-Binary-Size-Fastest-Dimension: %d\r\nX-Binary-Size-Second-Dimension: %d\r\n", p.SizeFast, p.SizeSlow)
		// dxtbx shapes each array by all three dimensions.
		s.WriteString("X-Binary-Size-Third-Dimension: 1\r\nX-Binary-Size-Padding: 0\r\n\r\n")
		bw.WriteString(s.String())
		bw.Write(cbfBinaryStart)
		bw.Write(packed)
		bw.WriteString("\r\n--CIF-BINARY-FORMAT-SECTION----\r\n;\r\n")
	}
	bw.WriteString("\r\n")
	return bw.Flush()
}

// axisAngle returns the rotation taking x and y to the unit vectors fast
// and slow (z to fast x slow) as a unit axis and an angle in degrees, from
// the rotation's quaternion (stable at 0 and 180 degrees).
func axisAngle(fast, slow [3]float64) ([3]float64, float64) {
	n := [3]float64{fast[1]*slow[2] - fast[2]*slow[1], fast[2]*slow[0] - fast[0]*slow[2], fast[0]*slow[1] - fast[1]*slow[0]}
	// Columns of R are fast, slow, n: R[i][j] = col j, row i.
	r := [3][3]float64{{fast[0], slow[0], n[0]}, {fast[1], slow[1], n[1]}, {fast[2], slow[2], n[2]}}
	var w, x, y, z float64
	switch tr := r[0][0] + r[1][1] + r[2][2]; {
	case tr > 0:
		s := 2 * math.Sqrt(1+tr)
		w, x, y, z = s/4, (r[2][1]-r[1][2])/s, (r[0][2]-r[2][0])/s, (r[1][0]-r[0][1])/s
	case r[0][0] > r[1][1] && r[0][0] > r[2][2]:
		s := 2 * math.Sqrt(1+r[0][0]-r[1][1]-r[2][2])
		w, x, y, z = (r[2][1]-r[1][2])/s, s/4, (r[0][1]+r[1][0])/s, (r[0][2]+r[2][0])/s
	case r[1][1] > r[2][2]:
		s := 2 * math.Sqrt(1+r[1][1]-r[0][0]-r[2][2])
		w, x, y, z = (r[0][2]-r[2][0])/s, (r[0][1]+r[1][0])/s, s/4, (r[1][2]+r[2][1])/s
	default:
		s := 2 * math.Sqrt(1+r[2][2]-r[0][0]-r[1][1])
		w, x, y, z = (r[1][0]-r[0][1])/s, (r[0][2]+r[2][0])/s, (r[1][2]+r[2][1])/s, s/4
	}
	sin := math.Sqrt(x*x + y*y + z*z)
	if sin == 0 {
		return [3]float64{0, 0, 1}, 0
	}
	return [3]float64{x / sin, y / sin, z / sin}, 2 * math.Atan2(sin, w) * 180 / math.Pi
}
