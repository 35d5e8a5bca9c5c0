package compare

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"path/filepath"

	"gobragg/imageio"
	"gobragg/raster"
)

// Panel sizing: the ROI is enlarged by an integer factor up to about
// panelTarget pixels when small, and shrunk by block pooling when its
// longer side exceeds panelMax.
const (
	panelTarget = 360
	panelMax    = 512
)

// Layout of the PNG in pixels.
const (
	margin  = 16
	gap     = 24 // between panels
	barH    = 14 // colour bar height
	line    = 15 // 1x text line height
	bigLine = 28 // 2x text line height
	titlesH = bigLine + line + 4
)

var (
	white   = color.RGBA{255, 255, 255, 255}
	black   = color.RGBA{0, 0, 0, 255}
	grey    = color.RGBA{90, 90, 90, 255}
	nanFill = color.RGBA{255, 0, 255, 255} // non-finite pixels
)

// divergingKnots is a blue-white-red map (ColorBrewer RdBu reversed) at
// t = -1, -0.75, ..., 1: blue where A < B, red where A > B.
var divergingKnots = [9][3]float64{
	{5, 48, 97}, {33, 102, 172}, {67, 147, 195}, {146, 197, 222}, {247, 247, 247},
	{244, 165, 130}, {214, 96, 77}, {178, 24, 43}, {103, 0, 31},
}

// Diverging returns the colour of t in [-1, 1] (clamped) on the
// blue-white-red map: -1 dark blue, 0 white, 1 dark red.
func Diverging(t float64) color.RGBA {
	if math.IsNaN(t) {
		return nanFill
	}
	t = math.Max(-1, math.Min(1, t))
	x := (t + 1) * 4 // 0..8
	j := min(int(x), 7)
	u := x - float64(j)
	var c [3]uint8
	for k := range c {
		c[k] = uint8(math.Round(divergingKnots[j][k] + u*(divergingKnots[j+1][k]-divergingKnots[j][k])))
	}
	return color.RGBA{c[0], c[1], c[2], 255}
}

// invStretch inverts imageio.IntensityScale: the intensity shown at
// brightness t in [0, 1] for the given limit and stretch. It labels the
// colour bars.
func invStretch(t, limit float64, s imageio.Stretch) float64 {
	b := limit * 1e-3 // imageio's softening b = limit/1000
	switch s {
	case imageio.Log:
		return b * math.Expm1(t*math.Log1p(limit/b))
	case imageio.Linear:
		return t * limit
	}
	return b * math.Sinh(t*math.Asinh(limit/b))
}

// signedScale maps a signed difference d to [-1, 1] on the intensity scale
// of the images: sign(d) * IntensityScale(|d|).
func signedScale(d, limit float64, s imageio.Stretch) float64 {
	if math.IsNaN(d) {
		return math.NaN()
	}
	return math.Copysign(imageio.IntensityScale(math.Abs(d), limit, s), d)
}

// panel is a pooled or enlarged copy of the ROI of one image.
type panel struct {
	w, h int       // pooled size in image pixels
	pix  []float64 // w*h values
	up   int       // display enlargement factor
}

// pool reduces the ROI of im (or of a-b when b is not nil) by factor k,
// keeping per block the largest value (images) or the difference of
// largest magnitude with its sign (differences). NaN wins a block.
func pool(a, b *Image, roi raster.ROI, k int) ([]float64, int, int) {
	w, h := (roi.Width()+k-1)/k, (roi.Height()+k-1)/k
	out := make([]float64, w*h)
	set := make([]bool, w*h)
	for s := roi.SlowMin(); s <= roi.SlowMax(); s++ {
		for f := roi.FastMin(); f <= roi.FastMax(); f++ {
			v := a.At(f, s)
			if b != nil {
				v -= b.At(f, s)
			}
			i := ((s-roi.SlowMin())/k)*w + (f-roi.FastMin())/k
			o := out[i]
			better := v > o
			if b != nil {
				better = math.Abs(v) > math.Abs(o)
			}
			if !set[i] || math.IsNaN(v) || (!math.IsNaN(o) && better) {
				out[i], set[i] = v, true
			}
		}
	}
	return out, w, h
}

// RenderOptions control Render.
type RenderOptions struct {
	Stretch imageio.Stretch // imageio.Log or imageio.Asinh (imageio.Linear also works)
	// Limit is the intensity shown in the brightest colour (and, signed,
	// in the darkest red and blue of A-B); 0 means imageio.DisplayLimit of
	// the ROI pixels of A and B together.
	Limit float64
}

// Render draws r's images A, B and A-B (inside the ROI) side by side on one
// intensity scale, with titles naming the files, a colour bar for A and B,
// a diverging colour bar for A-B, and a footer with the main figures. Fast
// runs left to right and slow top to bottom. Non-finite pixels are magenta.
func Render(r *Result, opt RenderOptions) (*image.RGBA, error) {
	roi := r.Stats.ROI
	limit := opt.Limit
	limitNote := ""
	if limit == 0 {
		limitNote = " (99.9th percentile of positive A,B pixels)"
		vals := make([]float32, 0, 2*roi.Pixels())
		for _, im := range []*Image{r.A, r.B} {
			for s := roi.SlowMin(); s <= roi.SlowMax(); s++ {
				for f := roi.FastMin(); f <= roi.FastMax(); f++ {
					vals = append(vals, float32(im.At(f, s)))
				}
			}
		}
		limit = imageio.DisplayLimit(vals)
	}
	if !(limit > 0) || math.IsInf(limit, 0) {
		return nil, fmt.Errorf("render: display limit %g is not a positive number", limit)
	}

	side := max(roi.Width(), roi.Height())
	k, up := 1, 1
	if side > panelMax {
		k = (side + panelTarget - 1) / panelTarget
	} else {
		up = max(1, panelTarget/side)
	}
	var panels [3]panel
	for i := range panels {
		var pix []float64
		var w, h int
		switch i {
		case 0:
			pix, w, h = pool(r.A, nil, roi, k)
		case 1:
			pix, w, h = pool(r.B, nil, roi, k)
		case 2:
			pix, w, h = pool(r.A, r.B, roi, k)
		}
		panels[i] = panel{w, h, pix, up}
	}
	pw, ph := panels[0].w*up, panels[0].h*up

	a, b := filepath.ToSlash(r.A.Name), filepath.ToSlash(r.B.Name) // clip keeps the end
	st := r.Stats
	footer := []string{
		fmt.Sprintf("correlation %.9g   rmse %.4g   max|A-B| %.4g at slow %d fast %d (%.3g of max|B|)",
			st.Correlation, st.RMSE, st.MaxAbsDiff, st.MaxAbsDiffSlow, st.MaxAbsDiffFast, st.MaxRelDiff),
		fmt.Sprintf("sum A %.7g   sum B %.7g   ratio A/B %.7g   roi %s   %s",
			st.SumA, st.SumB, st.SumRatio, roi, passWord(r.Pass)),
		fmt.Sprintf("%s scale, one for all panels: colours saturate at %.4g%s; magenta: NaN/Inf",
			opt.Stretch, limit, limitNote),
		"fast axis left to right, slow axis top to bottom",
	}
	if k > 1 {
		footer = append(footer, fmt.Sprintf("shown shrunk %dx (each screen pixel is the brightest, or for A-B the largest |A-B|, of a %dx%d block)", k, k, k))
	}
	width := 2*margin + 3*pw + 2*gap
	for _, s := range footer {
		width = max(width, 2*margin+textWidth(s, 1))
	}
	height := margin + titlesH + ph + 8 + line + 8 + barH + 4 + line + 8 + line + 12 + len(footer)*line + margin

	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), &image.Uniform{white}, image.Point{}, draw.Src)

	titles := [3]string{"A", "B", "A - B"}
	names := [3]string{a, b, "red: A > B   blue: A < B   grey: B"}
	y0 := margin + titlesH
	for i, p := range panels {
		x0 := margin + i*(pw+gap)
		drawText(img, x0, margin, titles[i], 2, black)
		if i == 2 { // verdict at the top right
			v, c := passWord(r.Pass), color.RGBA{0, 130, 0, 255}
			if !r.Pass {
				c = color.RGBA{200, 0, 0, 255}
			}
			drawText(img, x0+pw-textWidth(v, 2), margin, v, 2, c)
		}
		drawText(img, x0, margin+bigLine, clip(names[i], pw), 1, grey)
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				v := p.pix[(y/up)*p.w+x/up]
				var c color.RGBA
				switch {
				case i == 2:
					// The difference over a faint grey underlay of B, so the
					// spots stay visible where A and B agree.
					c = Diverging(signedScale(v, limit, opt.Stretch))
					under := panels[1].pix[(y/up)*panels[1].w+x/up]
					if !math.IsNaN(under) && !math.IsInf(under, 0) {
						shade := 1 - 0.45*imageio.IntensityScale(under, limit, opt.Stretch)
						c.R, c.G, c.B = uint8(float64(c.R)*shade), uint8(float64(c.G)*shade), uint8(float64(c.B)*shade)
					}
				case math.IsNaN(v) || math.IsInf(v, 0):
					c = nanFill
				default:
					c = imageio.Colormap(imageio.Viridis, imageio.IntensityScale(v, limit, opt.Stretch))
				}
				img.SetRGBA(x0+x, y0+y, c)
			}
		}
		// Thin frame so that a black or white panel still has an edge.
		frame(img, x0-1, y0-1, x0+pw, y0+ph, grey)
	}
	// Per-panel caption: sum and max.
	yc := y0 + ph + 8
	drawText(img, margin, yc, clip(fmt.Sprintf("sum %.6g  max %.6g", st.SumA, maxOf(r.A, roi)), pw), 1, black)
	drawText(img, margin+pw+gap, yc, clip(fmt.Sprintf("sum %.6g  max %.6g", st.SumB, maxOf(r.B, roi)), pw), 1, black)
	drawText(img, margin+2*(pw+gap), yc, clip(fmt.Sprintf("max|A-B| %.4g", st.MaxAbsDiff), pw), 1, black)

	// Colour bars: one under A and B together, one under A-B.
	yb := yc + line + 8
	bar(img, margin, yb, 2*pw+gap, barH, func(u float64) color.RGBA {
		return imageio.Colormap(imageio.Viridis, u)
	}, func(u float64) float64 { return invStretch(u, limit, opt.Stretch) }, []float64{0, 0.25, 0.5, 0.75, 1}, false)
	bar(img, margin+2*(pw+gap), yb, pw, barH, func(u float64) color.RGBA {
		return Diverging(2*u - 1)
	}, func(u float64) float64 {
		t := 2*u - 1
		return math.Copysign(invStretch(math.Abs(t), limit, opt.Stretch), t)
	}, []float64{0, 0.25, 0.5, 0.75, 1}, true)
	yl := yb + barH + 4 + line + 8
	drawText(img, margin, yl, "intensity of A and B (same scale)", 1, grey)
	drawText(img, margin+2*(pw+gap), yl, clip("A - B on the same scale", pw), 1, grey)

	yf := yl + line + 12
	for i, s := range footer {
		drawText(img, margin, yf+i*line, s, 1, black)
	}
	return img, nil
}

// bar draws a horizontal colour bar at (x, y) of size w x h with colours
// col(u), u in [0, 1] left to right, and tick labels value(u) at ticks.
func bar(img *image.RGBA, x, y, w, h int, col func(float64) color.RGBA, value func(float64) float64, ticks []float64, signed bool) {
	for i := 0; i < w; i++ {
		u := float64(i) / float64(max(1, w-1))
		c := col(u)
		for j := 0; j < h; j++ {
			img.SetRGBA(x+i, y+j, c)
		}
	}
	frame(img, x-1, y-1, x+w, y+h, grey)
	for _, u := range ticks {
		tx := x + int(math.Round(u*float64(w-1)))
		for j := 0; j < 4; j++ {
			img.SetRGBA(tx, y+h+j, black)
		}
		v := value(u)
		label := fmt.Sprintf("%.3g", v)
		if math.Abs(v) < 1e-300 {
			label = "0"
		}
		if signed && v > 0 {
			label = "+" + label
		}
		lw := textWidth(label, 1)
		lx := max(x, min(tx-lw/2, x+w-lw))
		drawText(img, lx, y+h+4, label, 1, black)
	}
}

func frame(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	for x := x0; x <= x1; x++ {
		img.SetRGBA(x, y0, c)
		img.SetRGBA(x, y1, c)
	}
	for y := y0; y <= y1; y++ {
		img.SetRGBA(x0, y, c)
		img.SetRGBA(x1, y, c)
	}
}

func maxOf(im *Image, roi raster.ROI) float64 {
	m := math.Inf(-1)
	for s := roi.SlowMin(); s <= roi.SlowMax(); s++ {
		for f := roi.FastMin(); f <= roi.FastMax(); f++ {
			m = math.Max(m, im.At(f, s))
		}
	}
	return m
}

func passWord(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}
