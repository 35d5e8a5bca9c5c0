package crand

import (
	"testing"

	"gobragg/raster"
)

func TestPoissonImageROIEqualsCrop(t *testing.T) {
	const fp, sp = 20, 15
	img := make([]float32, fp*sp)
	for i := range img {
		img[i] = float32(i%37) * 0.9 // both poidev branches
	}
	roi := raster.ROI{3, 11, 4, 9}
	s1 := int64(-21)
	full, ph1, _ := New().PoissonImage(raster.Image[float32]{Pix: img, Fast: fp, Slow: sp, ROI: roi}, &s1, 40)

	cw, ch := roi.Width(), roi.Height()
	crop := make([]float32, 0, cw*ch)
	for s := roi.SlowMin(); s <= roi.SlowMax(); s++ {
		crop = append(crop, img[s*fp+roi.FastMin():s*fp+roi.FastMax()+1]...)
	}
	s2 := int64(-21)
	sub, ph2, _ := New().PoissonImage(raster.Whole(crop, cw, ch), &s2, 40)

	if ph1 != ph2 || s1 != s2 {
		t.Fatalf("ROI render: photons %v seed %d; crop render: photons %v seed %d", ph1, s1, ph2, s2)
	}
	for s := 0; s < sp; s++ {
		for f := 0; f < fp; f++ {
			got := full[s*fp+f]
			inside := roi.Contains(f, s)
			switch {
			case !inside && got != 0:
				t.Fatalf("pixel (%d,%d) outside the ROI is %d, want 0", s, f, got)
			case inside && got != sub[(s-roi.SlowMin())*cw+f-roi.FastMin()]:
				t.Fatalf("pixel (%d,%d): %d in the ROI render, %d in the crop", s, f, got, sub[(s-roi.SlowMin())*cw+f-roi.FastMin()])
			}
		}
	}
}

// Zero pixels (masked ones included) still draw one deviate each and get the
// ADC offset, truncated toward zero.
func TestPoissonImageZeroPixels(t *testing.T) {
	const n = 50
	img := make([]float32, n)
	seed := int64(-3)
	px, ph, ov := New().PoissonImage(raster.Image[float32]{Pix: img, Fast: n, Slow: 1, ROI: raster.ROI{0, n, 0, 1}}, &seed, 10.7)
	if ph != 0 || ov != 0 {
		t.Errorf("zero image: photons %v overloads %d", ph, ov)
	}
	for i, p := range px {
		if p != 10 {
			t.Fatalf("pixel %d = %d, want 10 (adc 10.7 truncated)", i, p)
		}
	}
	ref := int64(-3)
	g := New()
	for i := 0; i < n; i++ {
		g.Ran1(&ref)
	}
	if seed != ref {
		t.Errorf("seed after %d zero pixels is %d, after %d ran1 calls %d", n, seed, n, ref)
	}
}

func TestPoissonImageOverloads(t *testing.T) {
	img := []float32{1e5, 3, 70000, 65500}
	seed := int64(-9)
	px, ph, ov := New().PoissonImage(raster.Image[float32]{Pix: img, Fast: 2, Slow: 2, ROI: raster.ROI{0, 2, 0, 2}}, &seed, 40)
	if px[0] != 65535 || px[2] != 65535 {
		t.Errorf("bright pixels %d, %d: want clipped to 65535", px[0], px[2])
	}
	if ov < 2 {
		t.Errorf("overloads %d, want at least 2", ov)
	}
	if ph < 1e5+70000 {
		t.Errorf("photons %v: the sum must use the unclipped deviates", ph)
	}
}

func TestPoissonImageBadInput(t *testing.T) {
	seed := int64(-1)
	for _, c := range []struct {
		n, f, s int
	}{{10, 3, 3}, {0, -1, 0}, {4, 2, 3}} {
		px, ph, ov := New().PoissonImage(raster.Image[float32]{Pix: make([]float32, c.n), Fast: c.f, Slow: c.s, ROI: raster.ROI{0, 9, 0, 9}}, &seed, 40)
		if px != nil || ph != 0 || ov != 0 {
			t.Errorf("%d pixels for %dx%d: got %v, %v, %v; want nil, 0, 0", c.n, c.f, c.s, px, ph, ov)
		}
	}
	if seed != -1 {
		t.Errorf("bad input advanced the seed to %d", seed)
	}
}
