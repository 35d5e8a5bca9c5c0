package refine

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sort"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"gobragg/compare"
	"gobragg/imageio"
)

// Shoebox is one reflection's box in a fit: pixels [X0, X1) x [Y0, Y1) of
// the fit's frames listed in Frames (indices into the fit's frames, in
// order).
type Shoebox struct {
	HKL [3]int
	// Row is the reflection's row in the DIALS table it came from (-1:
	// none).
	Row            int
	X0, X1, Y0, Y1 int
	Frames         []int
}

// Gallery limits: the brightest galleryBoxes shoeboxes are drawn, each
// pixel as a galleryZoom-pixel square, at most galleryFrames frames each.
const (
	galleryBoxes  = 12
	galleryZoom   = 5
	galleryFrames = 12
	galleryLabelW = 150 // the label column, pixels
)

// WriteShoeboxPNG draws the brightest shoeboxes of a fit as a gallery:
// per reflection three rows, observed, model and observed - model, with one
// column per frame its box spans, so that the rocking curve reads left to
// right. Each reflection has its own scale (counts from 0 to its brightest
// observed pixel; the residual blue-white-red over plus and minus that),
// because a gallery of spots a thousand times apart in intensity would
// otherwise show one. Pixels not fitted are grey. observed and model hold
// per frame the counts and expected counts of a fast-pixel-wide frame
// (model NaN where not fitted).
func WriteShoeboxPNG(w io.Writer, boxes []Shoebox, observed, model [][]float64, fast int) error {
	if len(observed) != len(model) {
		return fmt.Errorf("png: %d observed and %d model frames", len(observed), len(model))
	}
	type ranked struct {
		box Shoebox
		sum float64
	}
	var rs []ranked
	for _, b := range boxes {
		sum := 0.0
		for _, k := range b.Frames {
			if k < 0 || k >= len(observed) {
				return fmt.Errorf("png: box %v names frame %d of %d", b.HKL, k, len(observed))
			}
			for y := b.Y0; y < b.Y1; y++ {
				for x := b.X0; x < b.X1; x++ {
					if i := y*fast + x; i < len(model[k]) && !math.IsNaN(model[k][i]) {
						sum += observed[k][i]
					}
				}
			}
		}
		if sum > 0 {
			rs = append(rs, ranked{b, sum})
		}
	}
	if len(rs) == 0 {
		return fmt.Errorf("png: no shoebox has a fitted pixel with counts")
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].sum > rs[j].sum })
	rs = rs[:min(len(rs), galleryBoxes)]
	const gap = 3
	tileW, tileH, cols := 0, 0, 0
	for _, r := range rs {
		tileW = max(tileW, (r.box.X1-r.box.X0)*galleryZoom)
		tileH = max(tileH, (r.box.Y1-r.box.Y0)*galleryZoom)
		cols = max(cols, min(len(r.box.Frames), galleryFrames))
	}
	rowH := tileH + gap
	const header = 36 // hkl, counts and frame labels above the tiles
	blockH := header + 3*rowH + 3*gap
	width := galleryLabelW + cols*(tileW+gap)
	height := len(rs) * blockH
	canvas := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	grey := color.RGBA{128, 128, 128, 255}
	text := &font.Drawer{Dst: canvas, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13}
	label := func(x, y int, s string) {
		text.Dot = fixed.P(x, y)
		text.DrawString(s)
	}
	for n, r := range rs {
		b := r.box
		top := n * blockH
		hi := 1e-12
		for _, k := range b.Frames {
			for y := b.Y0; y < b.Y1; y++ {
				for x := b.X0; x < b.X1; x++ {
					if i := y*fast + x; !math.IsNaN(model[k][i]) {
						hi = math.Max(hi, observed[k][i])
					}
				}
			}
		}
		label(4, top+14, fmt.Sprintf("%d %d %d", b.HKL[0], b.HKL[1], b.HKL[2]))
		label(4, top+28, fmt.Sprintf("%.0f counts", r.sum))
		for row, name := range []string{"observed", "model", "obs - model"} {
			label(4, top+header+row*rowH+tileH/2+4, name)
		}
		for c, k := range b.Frames[:min(len(b.Frames), galleryFrames)] {
			x0 := galleryLabelW + c*(tileW+gap)
			for row := 0; row < 3; row++ {
				y0 := top + header + row*rowH
				for y := b.Y0; y < b.Y1; y++ {
					for x := b.X0; x < b.X1; x++ {
						i := y*fast + x
						col := grey
						m := model[k][i]
						switch {
						case math.IsNaN(m):
						case row == 0:
							col = imageio.Colormap(imageio.Viridis, observed[k][i]/hi)
						case row == 1:
							col = imageio.Colormap(imageio.Viridis, m/hi)
						default:
							col = compare.Diverging((observed[k][i] - m) / hi)
						}
						px := x0 + (x-b.X0)*galleryZoom
						py := y0 + (y-b.Y0)*galleryZoom
						draw.Draw(canvas, image.Rect(px, py, px+galleryZoom, py+galleryZoom), image.NewUniform(col), image.Point{}, draw.Src)
					}
				}
			}
			label(x0, top+header-4, fmt.Sprintf("frame %d", k+1))
		}
	}
	return png.Encode(w, canvas)
}
