package main

import (
	"compress/gzip"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gobragg/internal/golden"
)

// panelRect is the inside of one picture panel of compare's PNG.
type panelRect struct{ x0, y0, w, h int }

var frameGrey = color.RGBA{90, 90, 90, 255}

func rgbaAt(img image.Image, x, y int) color.RGBA {
	return color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
}

// findPanels locates the three image panels of a compare PNG without
// relying on its layout constants: each panel has a thin grey frame, so the
// first row (from the top) holding three grey runs at least minRun long is
// the top edge of the three frames, and each frame's left edge gives its
// height.
func findPanels(img image.Image, minRun int) ([]panelRect, bool) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		var runs [][2]int // [start, end) of grey runs
		for x := b.Min.X; x < b.Max.X; {
			if rgbaAt(img, x, y) != frameGrey {
				x++
				continue
			}
			x1 := x
			for x1 < b.Max.X && rgbaAt(img, x1, y) == frameGrey {
				x1++
			}
			if x1-x >= minRun {
				runs = append(runs, [2]int{x, x1})
			}
			x = x1
		}
		if len(runs) != 3 {
			continue
		}
		var ps []panelRect
		for _, r := range runs {
			y1 := y
			for y1 < b.Max.Y && rgbaAt(img, r[0], y1) == frameGrey {
				y1++
			}
			// frame rows y and y1-1, columns r[0] and r[1]-1
			ps = append(ps, panelRect{r[0] + 1, y + 1, r[1] - r[0] - 2, y1 - y - 2})
		}
		return ps, true
	}
	return nil, false
}

// bright reports a colour near the top of viridis (yellow: about 253, 231, 37).
func bright(c color.RGBA) bool { return c.R > 200 && c.G > 190 && c.B < 120 }

// greySpot reports a neutral grey clearly darker than the A-B panel's white:
// where A = B the panel shows B as a grey underlay, so the spot is visible.
func greySpot(c color.RGBA) bool { return c.R == c.G && c.G == c.B && c.R < 200 }

// reddish reports a colour on the red (A > B) side of the diverging map.
func reddish(c color.RGBA) bool { return int(c.R) > int(c.B)+60 && int(c.R) > int(c.G)+40 }

// TestComparePNGShowsSpot writes compare's PNG for supervisor_roi_peak (A =
// gobragg, B = C) and checks that the spot, the brightest pixel of C's ROI
// window, is drawn bright in panels A and B at its position, that the rest of
// those panels is mostly not bright, and that the A-B panel is near white
// there (the images agree). A second PNG against an all-zero B shows the
// spot in the A-B panel as red and nothing bright in panel B.
func TestComparePNGShowsSpot(t *testing.T) {
	m := goldenOrSkip(t)
	c, ok := m.Case("supervisor_roi_peak")
	if !ok {
		t.Skip("golden case supervisor_roi_peak not found: skipping PNG test")
	}
	dir := t.TempDir()
	goFloat, _ := simulateCase(t, m, c, dir)
	roi := caseROI(c)
	raw, err := m.ReadAll(c, "floatimage.bin")
	if err != nil {
		t.Fatal(err)
	}
	pix := golden.Float32s(raw)
	spotS, spotF, best := -1, -1, float32(-1)
	for s := roi[2]; s <= roi[3]; s++ {
		for f := roi[0]; f <= roi[1]; f++ {
			if v := pix[s*c.Dims.Fast+f]; v > best {
				spotS, spotF, best = s, f, v
			}
		}
	}
	roiW, roiH := roi[1]-roi[0]+1, roi[3]-roi[2]+1

	// An all-zero B of the same size, gzipped.
	zeroPath := filepath.Join(dir, "zero.bin.gz")
	zf, err := os.Create(zeroPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(zf)
	if _, err := zw.Write(make([]byte, len(raw))); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zf.Close(); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name     string
		b        string
		wantCode int
		bSpot    bool // B has the spot
		diffOK   func(color.RGBA) bool
		diffWord string
	}{
		{"go_vs_c", cFloatPath(m, c), 0, true, greySpot, "grey underlay (A = B)"},
		{"go_vs_zero", zeroPath, 1, false, reddish, "red (A > B)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pngPath := filepath.Join(dir, tc.name+".png")
			r := runIn(t, dir, "compare", goFloat, tc.b,
				"-detpixels_x", strconv.Itoa(c.Dims.Fast), "-detpixels_y", strconv.Itoa(c.Dims.Slow),
				"-roi", strconv.Itoa(roi[0]), strconv.Itoa(roi[1]), strconv.Itoa(roi[2]), strconv.Itoa(roi[3]),
				"-png", pngPath)
			if r.panicked != "" || r.code != tc.wantCode {
				t.Fatalf("compare exit %d (want %d), stderr %q %s", r.code, tc.wantCode, r.stderr, r.panicked)
			}
			f, err := os.Open(pngPath)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatalf("decode %s: %v", pngPath, err)
			}
			panels, ok := findPanels(img, 3*min(roiW, roiH)/2)
			if !ok {
				t.Fatalf("no row with three panel frames in the %v PNG", img.Bounds())
			}
			for i, p := range panels {
				if p.w < roiW || p.h < roiH || p.w*roiH != p.h*roiW {
					t.Fatalf("panel %d is %dx%d, not an enlargement of the %dx%d ROI", i, p.w, p.h, roiW, roiH)
				}
				if p.w != panels[0].w || p.h != panels[0].h {
					t.Fatalf("panel %d is %dx%d, panel 0 %dx%d", i, p.w, p.h, panels[0].w, panels[0].h)
				}
			}
			// Screen position of the spot's centre and the half-size of
			// one ROI pixel on screen.
			up := panels[0].w / roiW
			cx := (spotF-roi[0])*up + up/2
			cy := (spotS-roi[2])*up + up/2
			for i, p := range panels {
				near, nBright := 0, 0
				for y := 0; y < p.h; y++ {
					for x := 0; x < p.w; x++ {
						col := rgbaAt(img, p.x0+x, p.y0+y)
						isNear := absInt(x-cx) <= up && absInt(y-cy) <= up
						switch {
						case i < 2 && bright(col):
							nBright++
							if isNear {
								near++
							}
						case i == 2 && isNear && tc.diffOK(col):
							near++
						}
					}
				}
				if i == 1 && !tc.bSpot {
					if nBright > 0 {
						t.Errorf("panel B (all zero): %d bright pixels", nBright)
					}
					continue
				}
				if near == 0 {
					col := rgbaAt(img, p.x0+cx, p.y0+cy)
					want := "bright"
					if i == 2 {
						want = tc.diffWord
					}
					t.Errorf("panel %d: no %s pixel within one ROI pixel of the spot (slow %d, fast %d; screen %d,%d colour %v)",
						i, want, spotS, spotF, p.x0+cx, p.y0+cy, col)
				}
				if i < 2 && nBright > p.w*p.h/20 {
					t.Errorf("panel %d: %d of %d pixels are bright; the spot should stand out", i, nBright, p.w*p.h)
				}
			}
		})
	}
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
