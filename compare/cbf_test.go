package compare

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/imageio"
)

func TestDecodeReadsMiniCBF(t *testing.T) {
	h := imageio.CBFHeader{SizeFast: 3, SizeSlow: 2, PixelSizeM: 1e-4, DistanceM: 0.1, WavelengthA: 1, CountCutoff: 1048575}
	var buf bytes.Buffer
	require.NoError(t, imageio.WriteCBF(&buf, h, []int32{0, 70000, -1, 3, 2, 1}))
	im, err := Decode(buf.Bytes(), "frame.cbf", Dims{})
	require.NoError(t, err)
	require.Equal(t, "cbf", im.Format)
	require.Equal(t, []float64{0, 70000, -1, 3, 2, 1}, im.Pix)
	require.Equal(t, 3, im.Fast)
	_, err = Decode(buf.Bytes(), "frame.cbf", Dims{Fast: 4})
	require.ErrorContains(t, err, "options say 4x0")
}
