package imageio

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func cbfFixture(t *testing.T) (CBFHeader, []int32, []byte) {
	t.Helper()
	h := CBFHeader{SizeFast: 7, SizeSlow: 5, PixelSizeM: 172e-6, DistanceM: 0.25, BeamXPixels: 3.25, BeamYPixels: 2.5,
		WavelengthA: 0.9, StartAngleDeg: 12.5, AngleIncrementDeg: 0.1, ExposureTimeS: 0.05, ThicknessM: 320e-6, CountCutoff: 1048575}
	// Differences of every width the byte-offset scheme has.
	pix := []int32{0, 1, -1, 127, -127, 128, -128, 32767, -32767, 32768, -32768, math.MaxInt32, math.MinInt32, 0, 5}
	for len(pix) < h.SizeFast*h.SizeSlow {
		pix = append(pix, int32(len(pix)*1000-17000))
	}
	var buf bytes.Buffer
	require.NoError(t, WriteCBF(&buf, h, pix))
	return h, pix, buf.Bytes()
}

func TestCBFRoundTrip(t *testing.T) {
	h, pix, data := cbfFixture(t)
	c, err := ReadCBF(bytes.NewReader(data), "x.cbf")
	require.NoError(t, err)
	require.Equal(t, h.SizeFast, c.Width)
	require.Equal(t, h.SizeSlow, c.Height)
	require.Equal(t, pix, c.Pixels)
	require.Equal(t, "(3.25, 2.5) pixels", c.Values["Beam_xy"])
	require.Equal(t, "0.25 m", c.Values["Detector_distance"])
	require.Equal(t, "12.5 deg.", c.Values["Start_angle"])
	require.Equal(t, "sensor, thickness 0.00032 m", c.Values["Silicon"])
}

func TestByteOffsetWidths(t *testing.T) {
	cases := []struct {
		values []int32
		bytes  int
	}{
		{[]int32{127, 0}, 2},
		{[]int32{128}, 3},
		{[]int32{-32767}, 3},
		{[]int32{32768}, 7},
		{[]int32{math.MaxInt32, math.MinInt32}, 7 + 7 + 8}, // the jump needs 64 bits
	}
	for _, c := range cases {
		enc := ByteOffsetEncode(c.values)
		require.Len(t, enc, c.bytes, "%v", c.values)
		dec, used, err := ByteOffsetDecode(enc, len(c.values))
		require.NoError(t, err)
		require.Equal(t, c.values, dec)
		require.Equal(t, len(enc), used)
	}
}

func TestCBFBadInput(t *testing.T) {
	_, _, good := cbfFixture(t)
	marker := bytes.Index(good, cbfBinaryStart) + len(cbfBinaryStart)
	cut := func(n int) []byte { return append([]byte(nil), good[:n]...) }
	flip := func(at int) []byte {
		b := append([]byte(nil), good...)
		b[at] = 0x80 // a flag byte where a delta was: the stream no longer parses as written
		return b
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"not cbf", []byte("hello"), "not a CBF"},
		{"no binary", cut(marker - 10), "no binary section"},
		{"truncated", cut(marker + 5), "truncated"},
		{"corrupt stream", flip(marker + 1), "MD5"},
		{"bad size", []byte(strings.Replace(string(good), "X-Binary-Number-of-Elements: 35", "X-Binary-Number-of-Elements: 36", 1)), "36 elements"},
	}
	for _, c := range cases {
		_, err := ReadCBF(bytes.NewReader(c.data), "bad.cbf")
		require.Error(t, err, c.name)
		require.Contains(t, err.Error(), c.want, c.name)
		require.Contains(t, err.Error(), "bad.cbf", c.name)
	}
	// Without the digest the damaged stream itself is caught.
	noMD5 := []byte(strings.Replace(string(flip(marker+1)), "Content-MD5:", "X-Ignored:", 1))
	_, err := ReadCBF(bytes.NewReader(noMD5), "bad.cbf")
	require.Error(t, err)
	require.Contains(t, err.Error(), "byte-offset")
}
