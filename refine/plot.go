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

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"gobragg/compare"
	"gobragg/imageio"
	"gobragg/raster"
)

// panelMax is the largest panel side in the PNG; bigger frames are shown
// by the mean of square blocks of pixels.
const panelMax = 400

// WritePNG draws observed | model | residual (observed - model) of one
// frame side by side on one intensity scale (counts from 0 to the 99.5th
// percentile of the fitted pixels; the residual in a blue-white-red map
// over plus and minus that range), with the loss per iteration below. A
// frame larger than 400 pixels is shown in blocks, each with its most
// extreme pixel. Pixels without a model value (not fitted) are grey.
// observed and model must be images of the same fast x slow pixels (in
// counts); their ROIs are not read.
func WritePNG(w io.Writer, observed, model raster.Image[float64], lossHistory []float64) error {
	switch {
	case !observed.Valid():
		return fmt.Errorf("png: the observed image has %d values for %dx%d pixels", len(observed.Pix), observed.Fast, observed.Slow)
	case !model.Valid():
		return fmt.Errorf("png: the model image has %d values for %dx%d pixels", len(model.Pix), model.Fast, model.Slow)
	case observed.Fast != model.Fast || observed.Slow != model.Slow:
		return fmt.Errorf("png: the observed image is %dx%d pixels, the model %dx%d (fast x slow)", observed.Fast, observed.Slow, model.Fast, model.Slow)
	}
	fast, slow := observed.Fast, observed.Slow
	block := max(1, (max(fast, slow)+panelMax-1)/panelMax)
	bw, bh := (fast+block-1)/block, (slow+block-1)/block
	zoom := max(1, 360/max(bw, bh)) // small frames are drawn larger, in blocks
	pw, ph := bw*zoom, bh*zoom
	resid := make([]float64, len(observed.Pix))
	var finite []float64
	for i := range observed.Pix {
		resid[i] = observed.Pix[i] - model.Pix[i] // NaN where not fitted
		if !math.IsNaN(resid[i]) {
			finite = append(finite, observed.Pix[i])
		}
	}
	// A block of a large frame shows its most extreme fitted pixel, so
	// that spots a few pixels wide stay visible.
	obs := blockExtreme(observed.Pix, resid, fast, slow, block)
	mod := blockExtreme(model.Pix, resid, fast, slow, block)
	res := blockExtreme(resid, resid, fast, slow, block)
	hi := 1.0 // counts at the top of the colour scale
	if len(finite) > 0 {
		sort.Float64s(finite)
		// The 99.5th percentile keeps a few bright spots from washing out the rest.
		hi = math.Max(finite[len(finite)*995/1000], 1e-12)
	}
	// Each panel is an image drawn into a gonum plot with its title.
	grey := color.RGBA{128, 128, 128, 255}
	titles := []string{"observed (counts)", "model", "observed - model"}
	const side, curveH = 360, 260
	width := 3 * side
	top := vgimg.NewWith(vgimg.UseWH(vg.Length(width), vg.Length(side)), vgimg.UseDPI(72))
	tiles := vgdraw.Tiles{Rows: 1, Cols: 3, PadX: vg.Points(4), PadTop: vg.Points(2), PadBottom: vg.Points(2)}
	canvases := plot.Align([][]*plot.Plot{{nil, nil, nil}}, tiles, vgdraw.New(top))
	for k, panel := range [][]float64{obs, mod, res} {
		im := image.NewRGBA(image.Rect(0, 0, pw, ph))
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				v := panel[(y/zoom)*bw+x/zoom]
				c := grey
				switch {
				case math.IsNaN(v):
				case k < 2:
					c = imageio.Colormap(imageio.Viridis, v/hi)
				default:
					c = compare.Diverging(v / hi)
				}
				im.SetRGBA(x, y, c)
			}
		}
		pl := plot.New()
		pl.Title.Text = titles[k]
		pl.HideAxes()
		// Slow pixel 0 at the top, as detector viewers show it.
		pl.Add(plotter.NewImage(im, 0, float64(slow), float64(fast), 0))
		pl.Draw(canvases[0][k])
	}
	curve, err := lossCurve(lossHistory, vg.Length(width), curveH)
	if err != nil {
		return err
	}
	canvas := image.NewRGBA(image.Rect(0, 0, width, side+curveH))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(canvas, image.Rect(0, 0, width, side), top.Image(), image.Point{}, draw.Src)
	draw.Draw(canvas, image.Rect(0, side, width, side+curveH), curve, image.Point{}, draw.Src)
	return png.Encode(w, canvas)
}

// blockExtreme returns, per block x block pixels, the value of largest
// magnitude among those where mask is not NaN (NaN when there is none).
func blockExtreme(v, mask []float64, fast, slow, block int) []float64 {
	pw, ph := (fast+block-1)/block, (slow+block-1)/block
	out := make([]float64, pw*ph)
	for j := range out {
		out[j] = math.NaN()
	}
	for s := 0; s < slow; s++ {
		for f := 0; f < fast; f++ {
			i := s*fast + f
			if math.IsNaN(mask[i]) || math.IsNaN(v[i]) {
				continue
			}
			j := (s/block)*pw + f/block
			if math.IsNaN(out[j]) || math.Abs(v[i]) > math.Abs(out[j]) {
				out[j] = v[i]
			}
		}
	}
	return out
}

// lossCurve plots the loss per iteration, relative to its final value.
func lossCurve(history []float64, width vg.Length, heightPx int) (image.Image, error) {
	p := plot.New()
	p.Title.Text = "loss - final loss per iteration"
	p.X.Label.Text = "iteration"
	p.Y.Label.Text = "loss - final"
	pts := plotter.XYs{}
	if n := len(history); n > 0 {
		last := history[n-1]
		for i, v := range history {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				pts = append(pts, plotter.XY{X: float64(i), Y: v - last})
			}
		}
	}
	// A log axis shows the approach to the minimum: only points above it.
	var above plotter.XYs
	for _, q := range pts {
		if q.Y > 0 {
			above = append(above, q)
		}
	}
	if len(above) > 1 {
		pts = above
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{}
	}
	if len(pts) > 0 {
		line, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("png: %w", err)
		}
		p.Add(line)
	}
	c := vgimg.NewWith(vgimg.UseWH(width, vg.Length(heightPx)), vgimg.UseDPI(72))
	p.Draw(vgdraw.New(c))
	return c.Image(), nil
}
