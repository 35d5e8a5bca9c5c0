package imageio

import (
	"strconv"
	"strings"
	"testing"

	"gobragg/internal/golden"
	"gobragg/raster"
)

// readGoldenOutput returns the uncompressed bytes of a case's output file.
func readGoldenOutput(t testing.TB, m *golden.Manifest, c *golden.Case, file string) []byte {
	t.Helper()
	raw, err := m.ReadAll(c, file)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	return raw
}

// argFloat returns the value following flag in args.
func argFloat(t testing.TB, args []string, flag string) (float64, bool) {
	t.Helper()
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			v, err := strconv.ParseFloat(args[i+1], 64)
			if err != nil {
				t.Fatalf("%s %s: %v", flag, args[i+1], err)
			}
			return v, true
		}
	}
	return 0, false
}

// argROI returns the -roi window of args or the whole detector.
func argROI(t testing.TB, args []string, fast, slow int) raster.ROI {
	t.Helper()
	for i, a := range args {
		if a == "-roi" && i+4 < len(args) {
			var r [4]int
			for k := range r {
				v, err := strconv.Atoi(args[i+1+k])
				if err != nil {
					t.Fatalf("-roi: %v", err)
				}
				r[k] = v
			}
			return r
		}
	}
	return raster.ROI{0, fast, 0, slow} // C's default window
}

// parseHeaderText turns the manifest's smv_header text back into an
// SMVHeader (the numbers are what C printed with %g).
func parseHeaderText(t testing.TB, text string) SMVHeader {
	t.Helper()
	kv := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		kv[k] = strings.TrimSuffix(v, ";")
	}
	num := func(k string) float64 {
		s, ok := kv[k]
		if !ok {
			t.Fatalf("header has no %s", k)
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("header %s=%q: %v", k, s, err)
		}
		return v
	}
	var h SMVHeader
	h.SizeFast, h.SizeSlow = int(num("SIZE1")), int(num("SIZE2"))
	h.PixelSizeMM, h.DistanceMM, h.WavelengthA = num("PIXEL_SIZE"), num("DISTANCE"), num("WAVELENGTH")
	h.BeamCenterXMM, h.BeamCenterYMM = num("BEAM_CENTER_X"), num("BEAM_CENTER_Y")
	h.ADXVCenterXMM, h.ADXVCenterYMM = num("ADXV_CENTER_X"), num("ADXV_CENTER_Y")
	h.MOSFLMCenterXMM, h.MOSFLMCenterYMM = num("MOSFLM_CENTER_X"), num("MOSFLM_CENTER_Y")
	h.DenzoXBeamMM, h.DenzoYBeamMM = num("DENZO_X_BEAM"), num("DENZO_Y_BEAM")
	parts := strings.Split(kv["DIALS_ORIGIN"], ",")
	if len(parts) != 3 {
		t.Fatalf("DIALS_ORIGIN=%q", kv["DIALS_ORIGIN"])
	}
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			t.Fatalf("DIALS_ORIGIN: %v", err)
		}
		h.DialsOriginMM[i] = v
	}
	h.XDSOrgX, h.XDSOrgY = num("XDS_ORGX"), num("XDS_ORGY")
	h.CloseDistanceMM = num("CLOSE_DISTANCE")
	h.PhiDeg, h.OscStartDeg, h.OscRangeDeg = num("PHI"), num("OSC_START"), num("OSC_RANGE")
	h.TwoThetaDeg = num("TWOTHETA")
	return h
}
