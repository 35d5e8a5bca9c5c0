package imageio

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFitHeaderGrowsPastFullBlocks: a spec-mode header whose text is
// longer than 512 bytes says HEADER_BYTES=1024 and is padded to it, so
// readers that trust HEADER_BYTES (dxtbx) find the pixels.
func TestFitHeaderGrowsPastFullBlocks(t *testing.T) {
	long := -123456.789e-7 // prints with 6 significant digits and an exponent
	h := SMVHeader{SizeFast: 3, SizeSlow: 2, PixelSizeMM: 0.1, DistanceMM: long, WavelengthA: long,
		BeamCenterXMM: long, BeamCenterYMM: long, ADXVCenterXMM: long, ADXVCenterYMM: long,
		MOSFLMCenterXMM: long, MOSFLMCenterYMM: long, DenzoXBeamMM: long, DenzoYBeamMM: long,
		DialsOriginMM: [3]float64{long, long, long}, XDSOrgX: long, XDSOrgY: long, CloseDistanceMM: long,
		PhiDeg: long, OscStartDeg: long, OscRangeDeg: long, TwoThetaDeg: long,
		HasADCOffset: true, ADCOffset: 40, FitHeader: true}
	require.Greater(t, len(h.Text()), 512)
	var buf bytes.Buffer
	pix := []uint16{1, 2, 3, 4, 5, 65535}
	require.NoError(t, WriteSMV(&buf, h, pix))
	require.Equal(t, 1024+2*len(pix), buf.Len())
	require.True(t, strings.HasPrefix(buf.String(), "{\nHEADER_BYTES=1024;\n"))
	s, err := ReadSMV(&buf, "long.img")
	require.NoError(t, err)
	require.Equal(t, 1024, s.HeaderBytes)
	require.Equal(t, pix, s.Pixels)
	v, ok := s.Value("ADC_OFFSET")
	require.True(t, ok)
	require.Equal(t, 40.0, v)
}
