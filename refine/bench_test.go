package refine_test

import (
	"fmt"
	"testing"
	"time"

	"gobragg/graph"
	"gobragg/refine"
)

// benchArgs is sim's benchmark configuration (4 subpixels x 10 phi steps x
// 10 mosaic domains per pixel) on 96x96 pixels.
var benchArgs = []string{"-cell", "100", "100", "100", "90", "90", "90", "-misset", "10", "20", "30",
	"-default_F", "100", "-N", "10", "-mosaic", "0.5", "-mosaic_dom", "10", "-mosaic_seed", "1234",
	"-phisteps", "10", "-osc", "0.5", "-oversample", "2", "-distance", "100", "-pixel", "0.1",
	"-detpixels", "96", "-lambda", "1", "-polar", "0.9", "-water", "2"}

// BenchmarkJacobianVersusForward measures the exact image Jacobian that
// the standard errors need (10 parameters) against a forward pass and a
// forward+backward pass (gradient) of the same model, in the same run.
func BenchmarkJacobianVersusForward(b *testing.B) {
	p := prepare(b, benchArgs...)
	exp := p.Exp
	names := []string{graph.PCellA, graph.PCellB, graph.PCellC, graph.PMissetX, graph.PMissetY, graph.PMissetZ,
		graph.PNa, graph.PDistance, graph.PXbeam, graph.PYbeam}
	var cols []int
	for _, n := range names {
		cols = append(cols, exp.Params.Index(n))
	}
	img, err := p.Image()
	if err != nil {
		b.Fatal(err)
	}
	fwdModel, err := graph.Build(exp, graph.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer fwdModel.Close()
	gradModel, err := graph.Build(exp, graph.Options{Gradient: true, Loss: refine.NewDataLoss(refine.Poisson{}, img, exp.Params)})
	if err != nil {
		b.Fatal(err)
	}
	defer gradModel.Close()
	timeIt := func(f func() error) time.Duration {
		start := time.Now()
		for i := 0; i < b.N; i++ {
			if err := f(); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start) / time.Duration(b.N)
	}
	// One untimed run of each warms caches and fixes the kernel's state.
	for _, m := range []*graph.Model{fwdModel, gradModel} {
		if err := m.Run(); err != nil {
			b.Fatal(err)
		}
	}
	fwd := timeIt(fwdModel.Run)
	grad := timeIt(gradModel.Run)
	jac := timeIt(func() error { _, err := fwdModel.Jacobian(cols); return err })
	b.ReportMetric(float64(fwd.Milliseconds()), "forward-ms")
	b.ReportMetric(float64(grad)/float64(fwd), "gradient/forward")
	b.ReportMetric(float64(jac)/float64(fwd), "jacobian/forward")
	b.ReportMetric(float64(len(cols)), "parameters")
	fmt.Printf("jacobian of %d parameters: %.2f forward passes (gradient: %.2f)\n", len(cols), float64(jac)/float64(fwd), float64(grad)/float64(fwd))
}
