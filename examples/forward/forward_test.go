package main

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gobragg/imageio"
)

// TestRunSmallDetector runs the example on a 64x64 detector of the same
// size and checks every file it promises.
func TestRunSmallDetector(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	if err := run(dir, 64, &log); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	fl, err := imageio.ReadFloatImageFile(filepath.Join(dir, "floatimage.bin"), 64, 64)
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]float64, len(fl))
	for i, v := range fl {
		vals[i] = float64(v)
	}
	slices.Sort(vals)
	median, top := vals[len(vals)/2], vals[len(vals)-1]
	if !(median > 0) || !(top > 10*median) {
		t.Errorf("float image: median %g, max %g; want a water background and spots at least 10x brighter", median, top)
	}
	for _, name := range []string{"intimage.img", "noiseimage.img"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := imageio.ReadSMV(bytes.NewReader(data), name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Width != 64 || f.Height != 64 {
			t.Errorf("%s is %dx%d, want 64x64", name, f.Width, f.Height)
		}
	}
	for _, name := range []string{"image.png", "noiseimage.png"} {
		fh, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != 64 || b.Dy() != 64 {
			t.Errorf("%s is %dx%d, want 64x64", name, b.Dx(), b.Dy())
		}
		if !strings.Contains(log.String(), filepath.Join(dir, name)) {
			t.Errorf("the log does not say where %s is", name)
		}
	}
	hkl, err := os.ReadFile(filepath.Join(dir, "example.hkl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(hkl), "\n"); n < 100000 {
		t.Errorf("example.hkl has %d reflections; a 79x79x38 A cell to 1.9 A has over 100000", n)
	}
}

func TestDSpacing(t *testing.T) {
	ortho := cell{79.1, 79.1, 38.4, 90, 90, 90}
	mono := cell{50, 60, 70, 90, 110, 90}
	tri := cell{40, 50, 60, 80, 95, 100}
	cases := []struct {
		c       cell
		h, k, l int
		want    float64
	}{
		{ortho, 1, 0, 0, 79.1},
		{ortho, 0, 0, 2, 19.2},
		{ortho, 3, 4, 0, 79.1 / 5},
		// Monoclinic: 1/d^2 = (h^2/a^2 + l^2/c^2 - 2hl cos(beta)/(ac))/sin^2(beta) + k^2/b^2.
		{mono, 1, 2, 3, 1 / math.Sqrt((1/2500.0+9/4900.0-2*3*math.Cos(110*math.Pi/180)/(50*70))/
			math.Pow(math.Sin(110*math.Pi/180), 2)+4/3600.0)},
		// d(100) is the cell volume over the area of the b-c face.
		{tri, 1, 0, 0, triVolume(tri) / (tri.B * tri.C * math.Sin(tri.Alpha*math.Pi/180))},
	}
	for _, c := range cases {
		if got := c.c.dSpacing(c.h, c.k, c.l); math.Abs(got-c.want) > 1e-9*c.want {
			t.Errorf("%+v d(%d %d %d) = %.12g, want %.12g", c.c, c.h, c.k, c.l, got, c.want)
		}
	}
}

func triVolume(c cell) float64 {
	r := math.Pi / 180
	ca, cb, cg := math.Cos(c.Alpha*r), math.Cos(c.Beta*r), math.Cos(c.Gamma*r)
	return c.A * c.B * c.C * math.Sqrt(1-ca*ca-cb*cb-cg*cg+2*ca*cb*cg)
}

// TestAmplitudes checks Friedel symmetry, determinism and the Wilson
// statistics of the synthetic structure factors.
func TestAmplitudes(t *testing.T) {
	w := wilson{BFactor: 25, SolventD: 12, MeanF: 400, Seed: 1}
	c := cell{79.1, 79.1, 38.4, 90, 90, 90}
	if a, b := w.amplitude(3, -5, 7, 4), w.amplitude(-3, 5, -7, 4); a != b {
		t.Errorf("Friedel mates differ: %g and %g", a, b)
	}
	if a, b := w.amplitude(3, -5, 7, 4), w.amplitude(3, -5, 7, 4); a != b {
		t.Errorf("not deterministic: %g then %g", a, b)
	}
	// In a thin shell <F^2> = MeanF^2 * exp(-B s^2/2) * solvent term; with
	// a few thousand acentric reflections the sample mean is within 10%.
	for _, shell := range [][2]float64{{2.9, 3.1}, {2.0, 2.1}} {
		var sum float64
		n := 0
		var want float64
		for h := -40; h <= 40; h++ {
			for k := -40; k <= 40; k++ {
				for l := -20; l <= 20; l++ {
					d := c.dSpacing(h, k, l)
					if d < shell[0] || d >= shell[1] {
						continue
					}
					f := w.amplitude(h, k, l, d)
					sum += f * f
					s := 1 / d
					sd := s * w.SolventD
					want += w.MeanF * w.MeanF * math.Exp(-w.BFactor*s*s/2) * (1 - 0.85*math.Exp(-2*sd*sd))
					n++
				}
			}
		}
		if n < 2000 {
			t.Fatalf("shell %v has %d reflections", shell, n)
		}
		if r := sum / want; math.Abs(r-1) > 0.1 {
			t.Errorf("shell %v A: <F^2> is %.3f times the Wilson mean over %d reflections", shell, r, n)
		}
	}
}
