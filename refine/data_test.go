package refine_test

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/imageio"
	"gobragg/refine"
)

func TestDecodeImageCounts(t *testing.T) {
	nan := math.NaN()
	var smv, cbf, flt, bad bytes.Buffer
	require.NoError(t, imageio.WriteSMV(&smv, imageio.SMVHeader{SizeFast: 3, SizeSlow: 2, OscStartDeg: 1.5, OscRangeDeg: 0.25}, []uint16{40, 42, 44, 46, 48, 65535}))
	require.NoError(t, imageio.WriteCBF(&cbf, imageio.CBFHeader{SizeFast: 3, SizeSlow: 2, PixelSizeM: 1e-4, DistanceM: 0.1, WavelengthA: 1,
		StartAngleDeg: 10, AngleIncrementDeg: 0.5}, []int32{0, 4, -1, 6, -2, 8}))
	require.NoError(t, imageio.WriteFloat32(&flt, []float32{1, 2, 3, 4, 5, 6.5}))
	require.NoError(t, imageio.WriteFloat32(&bad, []float32{1, 2, 3, 4, 5, float32(nan)}))
	tests := []struct {
		name, format       string
		data               []byte
		counts             []float64
		startDeg, rangeDeg float64
		overloads          int
	}{
		{"smv: offset 40 and gain 2 undone, overload left out", "smv", smv.Bytes(), []float64{0, 1, 2, 3, 4, nan}, 1.5, 0.25, 1},
		{"cbf: gain 2 undone, negative values left out", "cbf", cbf.Bytes(), []float64{0, 2, nan, 3, nan, 4}, 10, 0.5, 0},
		{"float: photons as they are", "float32", flt.Bytes(), []float64{1, 2, 3, 4, 5, 6.5}, nan, nan, 0},
	}
	for _, tc := range tests {
		im, err := refine.DecodeImage(tc.data, "x.img", 3, 2, 40, 2)
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.format, im.Format, tc.name)
		require.Equal(t, len(tc.counts), len(im.Counts), tc.name)
		for i, want := range tc.counts {
			got := im.Counts[i]
			require.True(t, got == want || (math.IsNaN(got) && math.IsNaN(want)), "%s: pixel %d is %g, want %g", tc.name, i, got, want)
		}
		require.Equal(t, math.IsNaN(tc.startDeg), math.IsNaN(im.OscStartDeg), tc.name)
		if !math.IsNaN(tc.startDeg) {
			require.Equal(t, [2]float64{tc.startDeg, tc.rangeDeg}, [2]float64{im.OscStartDeg, im.OscRangeDeg}, tc.name)
		}
		require.Equal(t, tc.overloads, im.Overloads, tc.name)
	}

	// Loose header values that set the model's phi are refused, not read
	// as 0 or dropped.
	loose := func(from, to string, b []byte) []byte { return bytes.Replace(b, []byte(from), []byte(to), 1) }
	errs := []struct {
		name       string
		data       []byte
		fast, slow int
		want       string
	}{
		{"OSC_START=a", loose("OSC_START=1.5;", "OSC_START=a;  ", smv.Bytes()), 3, 2, "x.img: header OSC_START=a is not a finite number"},
		{"OSC_RANGE=nan", loose("OSC_RANGE=0.25;", "OSC_RANGE=nan; ", smv.Bytes()), 3, 2, "x.img: header OSC_RANGE=nan is not a finite number"},
		{"Start_angle abc", loose("# Start_angle 10", "# Start_angle ab", cbf.Bytes()), 3, 2, "x.img: header # Start_angle ab is not a finite number"},
		{"Angle_increment nan", loose("# Angle_increment 0.5", "# Angle_increment nan", cbf.Bytes()), 3, 2, "x.img: header # Angle_increment nan is not a finite number"},
		{"smv of another size", smv.Bytes(), 2, 3, "x.img is 3x2 pixels (fast x slow), the model's detector 2x3"},
		{"float NaN", bad.Bytes(), 3, 2, "x.img: pixel (slow 1, fast 2) is NaN, not a count"},
		{"not an image", []byte("some notes\n"), 3, 2, "x.img is neither an SMV nor a miniCBF frame nor a raw float32 image of 3x2 pixels"},
	}
	for _, tc := range errs {
		_, err := refine.DecodeImage(tc.data, "x.img", tc.fast, tc.slow, 40, 1)
		require.ErrorContains(t, err, tc.want, tc.name)
		require.True(t, errors.Is(err, refine.ErrBadInput), tc.name)
	}
	_, err := refine.DecodeImage(flt.Bytes(), "x.img", 3, 2, 40, 0)
	require.ErrorContains(t, err, "gain must be positive")
}
