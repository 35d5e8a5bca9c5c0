package sim

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

// benchArgs is golden/bench.json's configuration (400 subpaths per pixel:
// 4 subpixels x 10 phi steps x 10 mosaic domains) on a smaller detector,
// with a triclinic cell and misset so that every geometry parameter matters.
func benchArgs(pixels int) []string {
	return []string{"-cell", "100", "100", "100", "90", "90", "90", "-misset", "10", "20", "30",
		"-default_F", "100", "-N", "10", "-mosaic", "0.5", "-mosaic_dom", "10", "-mosaic_seed", "1234",
		"-phisteps", "10", "-osc", "0.5", "-oversample", "2", "-distance", "100", "-pixel", "0.1",
		"-detpixels", fmt.Sprint(pixels), "-lambda", "1", "-polar", "0.9", "-water", "2",
		"-detector_rotx", "0.5", "-twotheta", "1", "-nonoise", "-nopgm", "-noprogress"}
}

func timeIt(b *testing.B, n int, f func()) time.Duration {
	start := time.Now()
	for i := 0; i < n; i++ {
		f()
	}
	return time.Since(start) / time.Duration(n)
}

// BenchmarkGradientVersusForward measures the full gradient (every
// parameter and every structure factor at once, reverse mode) against the
// forward pass in the same run and reports their ratio. With NANOBRAGG_C
// naming a C nanoBragg binary it also times C on the same command line.
func BenchmarkGradientVersusForward(b *testing.B) {
	p := mustPrepare(b, "", benchArgs(128)...)
	fwd := timeIt(b, b.N, func() {
		if _, err := p.Loss(); err != nil {
			b.Fatal(err)
		}
	})
	grad := timeIt(b, b.N, func() {
		if _, _, _, err := p.Gradient(); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(fwd.Milliseconds()), "forward-ms")
	b.ReportMetric(float64(grad.Milliseconds()), "gradient-ms")
	b.ReportMetric(float64(grad)/float64(fwd), "gradient/forward")
	b.ReportMetric(float64(p.Exp.Params.Len()), "parameters")
	if c := os.Getenv("NANOBRAGG_C"); c != "" {
		dir := b.TempDir()
		cmd := exec.Command(c, benchArgs(128)...)
		cmd.Dir = dir
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", c, err, out)
		}
		b.ReportMetric(float64(time.Since(start))/float64(fwd), "C/forward")
	}
}
