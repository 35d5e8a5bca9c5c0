package sim

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"gobragg/graph"
	"gobragg/physics"
)

// TestPrintoutPixel: -printout_pixel reports nanoBragg's per-pixel lines,
// and their numbers are consistent with the float image: pixel = r_e^2
// fluence (I/steps) polar omega capfrac. (The full text was compared with
// C nanoBragg's while developing: identical.)
func TestPrintoutPixel(t *testing.T) {
	args := []string{"-cell", "70", "80", "90", "75", "85", "95", "-misset", "10", "20", "30", "-default_F", "100",
		"-N", "3", "-distance", "80", "-detpixels", "16", "-pixel", "0.5", "-oversample", "2",
		"-printout_pixel", "5", "7", "-nonoise", "-nopgm"}
	p := mustPrepare(t, "", args...)
	var out bytes.Buffer
	if err := p.Simulate(&out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if n := strings.Count(text, " : stol = "); n != 1 {
		t.Fatalf("%d printout blocks, want 1 (only pixel fast 5, slow 7):\n%s", n, text)
	}
	block := text[strings.Index(text, "   5    7 : stol = "):]
	value := func(key string) float64 {
		i := strings.Index(block, "\n"+key)
		if i < 0 {
			t.Fatalf("no %q line in:\n%s", key, block)
		}
		var v float64
		if _, err := fmt.Sscan(block[i+1+len(key):], &v); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		return v
	}
	fluence, _ := p.Exp.Params.Get(graph.PFluence)
	want := physics.ReSqr * fluence * value("I/steps") * value("polar") * value("omega") * value("capfrac")
	pixel := value("pixel")
	// The pixel is the float32 image value (about 7 significant digits).
	if math.Abs(pixel-want) > 1e-7*math.Abs(want) {
		t.Errorf("pixel %g, but r_e^2 fluence I/steps polar omega capfrac = %g", pixel, want)
	}
	if !strings.Contains(block, "real-space cell vectors (Angstrom):") {
		t.Error("no cell vectors in the printout")
	}
}
