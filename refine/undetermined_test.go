package refine_test

import (
	"math"
	"slices"
	"testing"

	"gobragg/refine"
)

// TestUndetermined: without water the image is proportional to fluence,
// so scale and fluence are one combination the data cannot split; with
// -nopolar the polarization factor changes nothing. Both are named, and
// get no standard error, while distance keeps its own.
func TestUndetermined(t *testing.T) {
	args := []string{"-cell", "70", "80", "90", "90", "90", "90", "-default_F", "100", "-N", "5",
		"-lambda", "1", "-distance", "100", "-pixel", "0.3", "-detpixels", "32", "-oversample", "1",
		"-misset", "10", "20", "30", "-fluence", "1e28", "-polar", "0.5", "-nopolar"}
	img, err := prepare(t, args...).Image()
	if err != nil {
		t.Fatal(err)
	}
	counts := noisy(img, 1, 1, 9)
	p := prepare(t, args...)
	setOption(t, p.Exp, "background", 1)
	res, err := refine.Refine(&refine.Problem{Frames: []refine.Frame{{Name: "frame", Exp: p.Exp, Counts: counts}},
		Names: []string{"distance", "scale", "fluence", "polar"}, Likelihood: refine.Poisson{}}, refine.Settings{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
	for _, want := range []string{"fluence+scale", "polar"} {
		if !slices.Contains(res.Undetermined, want) {
			t.Errorf("undetermined %q, want %q among them", res.Undetermined, want)
		}
	}
	for _, fp := range res.Parameters {
		if determined := fp.Name == "distance"; determined == math.IsNaN(fp.Sigma) {
			t.Errorf("%s: sigma %g", fp.Name, fp.Sigma)
		}
	}
}
