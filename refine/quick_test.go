package refine_test

import (
	"testing"
	"time"
	"fmt"

	"gobragg/refine"
)

func TestQuick(t *testing.T) {
	p := prepare(t, simArgs...)
	t0 := time.Now()
	img, err := p.Image()
	if err != nil {
		t.Fatal(err)
	}
	mx, sum := 0.0, 0.0
	for _, v := range img { if v > mx { mx = v }; sum += v }
	t.Logf("render %v max %g sum %g", time.Since(t0), mx, sum)
	counts := noisy(img, 1, 2, 1)
	q := prepare(t, simArgs...)
	setOption(t, q.Exp, "background", 2)
	setOption(t, q.Exp, "distance", 50.75)
	setOption(t, q.Exp, "Xbeam", getOption(q.Exp, "Xbeam")+0.25)
	setOption(t, q.Exp, "cell_a", 70.7)
	setOption(t, q.Exp, "misset_x", 10.3)
	setOption(t, q.Exp, "Na", 6.25)
	names := []string{"distance", "Xbeam", "Ybeam", "cell_a", "cell_b", "cell_c", "misset_x", "misset_y", "misset_z", "Na", "scale"}
	res, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "sim", Exp: q.Exp, Counts: counts}}, Names: names, Loss: refine.Poisson},
		refine.Settings{Progress: func(it refine.Iteration) { fmt.Println(it.Iter, it.Loss, it.GradNorm, it.Elapsed, it.Values) }}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
}
