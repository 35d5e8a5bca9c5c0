package sim

import (
	"bytes"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/config"
	"gobragg/imageio"
)

// dxtbxBeam reads a header as dxtbx's FormatSMVJHSim does: the beam at fast
// BEAM_CENTER_X + pixel, slow height - BEAM_CENTER_Y + pixel (mm from the
// corner of the first pixel).
func dxtbxBeam(t *testing.T, h imageio.SMVHeader) (fastMM, slowMM, pedestal float64, headerBytes int) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, imageio.WriteSMV(&buf, h, make([]uint16, h.SizeFast*h.SizeSlow)))
	smv, err := imageio.ReadSMV(&buf, "header")
	require.NoError(t, err)
	v := func(k string) float64 {
		x, ok := smv.Value(k)
		require.True(t, ok, k)
		return x
	}
	px := v("PIXEL_SIZE")
	pedestal = 1 // dxtbx's default without ADC_OFFSET
	if p, ok := smv.Value("ADC_OFFSET"); ok {
		pedestal = p
	}
	return v("BEAM_CENTER_X") + px, px*v("SIZE2") - v("BEAM_CENTER_Y") + px, pedestal, smv.HeaderBytes
}

func TestSpecHeaderGivesDXTBXTheTrueBeam(t *testing.T) {
	// A %g header value has 6 significant digits: below 0.0005 mm for beam
	// centres under 1000 mm.
	const tolMM = 5e-4
	for _, conv := range []string{"-mosflm", "-denzo", "-adxv", "-xds", "-dials"} {
		for _, centre := range []string{"", "-Xbeam 10 -Ybeam 7", "-Xbeam 3.3 -Ybeam 17.1"} {
			args := conv + " -cell 50 60 70 90 90 90 -default_F 1 -detpixels_f 64 -detpixels_s 48 -pixel 0.4 -distance 60 -adc 25 " + centre
			s, err := config.Parse(strings.Fields(args))
			require.NoError(t, err)
			p, err := Prepare(s, Dirs{})
			require.NoError(t, err)
			f, sl, ok := p.Geometry.BeamSpot()
			require.True(t, ok)
			h := p.Header()
			gotF, gotS, ped, hb := dxtbxBeam(t, h)
			require.InDelta(t, f*1000, gotF, tolMM, "%s: fast", args)
			require.InDelta(t, sl*1000, gotS, tolMM, "%s: slow", args)
			require.Equal(t, 25.0, ped, "%s: pedestal", args)
			require.True(t, hb%512 == 0 && len(h.Text()) <= hb, "%s: HEADER_BYTES=%d is the padded size", args, hb)

			// c-parity keeps C's header: BEAM_CENTER is Xbeam/Ybeam, no ADC_OFFSET.
			s, err = config.Parse(append(strings.Fields(args), "-mode", "c-parity"))
			require.NoError(t, err)
			pc, err := Prepare(s, Dirs{})
			require.NoError(t, err)
			hc := pc.Header()
			require.NotContains(t, hc.Text(), "ADC_OFFSET")
			require.Equal(t, pc.Geometry.XbeamM*1000, hc.BeamCenterXMM)
			require.False(t, math.IsNaN(hc.BeamCenterYMM))
		}
	}
}

// TestImgReadsSpecHeadersAsNanoBraggDoes: -img of a spec-mode image sets
// the same beam centre as the run that wrote it (from NANOBRAGG_XBEAM/YBEAM),
// although BEAM_CENTER_X/Y hold dxtbx's values.
func TestImgReadsSpecHeadersAsNanoBraggDoes(t *testing.T) {
	dir := t.TempDir()
	args := strings.Fields("-cell 50 60 70 90 90 90 -default_F 1 -detpixels_f 64 -detpixels_s 48 -pixel 0.4 -distance 60 -Xbeam 10.1 -Ybeam 7.3 -nopgm -nonoise -noprogress -intfile x.img")
	s, err := config.Parse(args)
	require.NoError(t, err)
	p, err := Prepare(s, Dirs{OutputDir: dir})
	require.NoError(t, err)
	require.NoError(t, p.Simulate(io.Discard))
	again, err := config.Parse([]string{"-img", filepath.Join(dir, "x.img")})
	require.NoError(t, err)
	require.Equal(t, s.Xbeam, again.Xbeam)
	require.Equal(t, s.Ybeam, again.Ybeam)
	cp, err := config.Parse([]string{"-mode", "c-parity", "-img", filepath.Join(dir, "x.img")})
	require.NoError(t, err)
	require.NotEqual(t, s.Xbeam, cp.Xbeam, "c-parity reads BEAM_CENTER_X, as nanoBragg does")
}

func TestExptImageWarning(t *testing.T) {
	for _, c := range []struct {
		extra string
		warn  bool
	}{
		{"", true}, // noiseimage.img has no frame number
		{"-noisefile frame_0001.img", false},
		{"-cbffile x.cbf", true},
		{"-nonoise -intfile run7.img", false},
	} {
		s, err := config.Parse(strings.Fields("-cell 50 60 70 90 90 90 -default_F 1 -detpixels 8 -expt x.expt " + c.extra))
		require.NoError(t, err)
		p, err := Prepare(s, Dirs{})
		require.NoError(t, err)
		require.Equal(t, c.warn, p.ExptImageWarning() != "", c.extra)
	}
}
