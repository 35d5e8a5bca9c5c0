package sim

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math"
	"testing"

	"gobragg/imageio"
)

// TestSupervisorFullFrame renders the whole 2463x2527 supervisor frame in
// c-parity mode (the supervisor_roi command without -roi) and checks it
// against the statistics of C's frame recorded in the manifest.
func TestSupervisorFullFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("full 6.2-megapixel frame: skipped in -short")
	}
	m := loadManifest(t)
	c, ok := m.Case("supervisor_roi")
	if !ok {
		t.Fatal("no supervisor_roi case")
	}
	var args []string
	for i := 0; i < len(c.Args); i++ {
		if c.Args[i] == "-roi" {
			i += 4
			continue
		}
		args = append(args, c.Args[i])
	}
	p := mustPrepare(t, m.Dir, append([]string{"-mode", "c-parity"}, args...)...)
	s := p.Settings
	res, err := p.Render()
	if err != nil {
		t.Fatal(err)
	}
	defer res.Model.Close()
	want := m.FullFrame.FloatStats
	sum, maxV, arg := 0.0, 0.0, 0
	for i, v := range res.Float32 {
		sum += float64(v)
		if float64(v) > maxV {
			maxV, arg = float64(v), i
		}
	}
	// Both sums add the same float32 pixels in the same order; C's frame
	// differs from gobragg's only in last bits of a few pixels.
	if math.Abs(sum-want.Sum) > 1e-9*want.Sum {
		t.Errorf("sum %.15g, C %.15g", sum, want.Sum)
	}
	if maxV != want.Max {
		t.Errorf("max %.9g, C %.9g", maxV, want.Max)
	}
	if arg/s.FPixels != want.ArgmaxSlow || arg%s.FPixels != want.ArgmaxFast {
		t.Errorf("brightest pixel (slow %d, fast %d), C (%d, %d)", arg/s.FPixels, arg%s.FPixels, want.ArgmaxSlow, want.ArgmaxFast)
	}
	// C's frame is stored only as its statistics and its sha256; gobragg's
	// c-parity frame is the same file byte for byte.
	var buf bytes.Buffer
	if err := imageio.WriteFloat32(&buf, res.Float32); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%x", sha256.Sum256(buf.Bytes())); got != m.FullFrame.FloatSHA256 {
		t.Errorf("floatimage sha256 %s, C's %s", got, m.FullFrame.FloatSHA256)
	}
	t.Logf("full frame: sum %.15g (C %.15g), max %.9g at (%d, %d)", sum, want.Sum, maxV, arg/s.FPixels, arg%s.FPixels)
}
