package gather

import (
	"fmt"
	"io"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// tileWidth and tileHeight are the size of one parameter's panel.
const tileWidth, tileHeight = 4 * vg.Inch, 3 * vg.Inch

// WriteDistributions draws a PNG with one histogram per parameter of the
// refined values over the shots whose fits converged, titled with the
// number of shots, the mean and standard deviation of the values, the
// median standard error and how many shots were left out as not converged.
func WriteDistributions(w io.Writer, shots []Shot) error {
	names, units, err := ParameterNames(shots)
	if err != nil {
		return err
	}
	shots, left := Converged(shots)
	cols := int(math.Ceil(math.Sqrt(float64(len(names)))))
	rows := (len(names) + cols - 1) / cols
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
	}
	for k, name := range names {
		p, err := histogram(shots, name, units[name], left)
		if err != nil {
			return err
		}
		plots[k/cols][k%cols] = p
	}
	img := vgimg.NewWith(vgimg.UseWH(vg.Length(cols)*tileWidth, vg.Length(rows)*tileHeight), vgimg.UseDPI(96))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
	canvases := plot.Align(plots, tiles, dc)
	for r := range plots {
		for c, p := range plots[r] {
			if p != nil {
				p.Draw(canvases[r][c])
			}
		}
	}
	_, err = vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// histogram is one parameter's panel.
func histogram(shots []Shot, name, unit string, left int) (*plot.Plot, error) {
	var values, sigmas []float64
	for _, s := range shots {
		if p, ok := s.Parameters[name]; ok && !math.IsNaN(p.Value) {
			values = append(values, p.Value)
			if !math.IsNaN(p.Sigma) {
				sigmas = append(sigmas, p.Sigma)
			}
		}
	}
	p := plot.New()
	mean, sd := stat.MeanStdDev(values, nil)
	if len(values) < 2 {
		sd = 0
	}
	p.Title.Text = fmt.Sprintf("%s: %d shots, mean %.6g, sd %.3g", name, len(values), mean, sd)
	if len(sigmas) > 0 {
		sort.Float64s(sigmas)
		p.Title.Text += fmt.Sprintf("\nmedian standard error %.3g", stat.Quantile(0.5, stat.Empirical, sigmas, nil))
	}
	if left > 0 {
		p.Title.Text += fmt.Sprintf("\n%d shots left out: did not converge", left)
	}
	p.X.Label.Text = name
	if unit != "" {
		p.X.Label.Text += " (" + unit + ")"
	}
	p.Y.Label.Text = "shots"
	if len(values) == 0 {
		return p, nil // no converged shot: an empty panel under its title
	}
	bins := max(1, min(30, int(math.Ceil(math.Sqrt(float64(len(values)))))))
	h, err := plotter.NewHist(plotter.Values(values), bins)
	if err != nil {
		return nil, fmt.Errorf("histogram of %s: %v", name, err)
	}
	if lo, hi := minMax(values); hi == lo {
		// Every shot gave the same value: one bin of visible width around it.
		half := math.Max(math.Abs(lo)*1e-6, 1e-12)
		h.Bins = []plotter.HistogramBin{{Min: lo - half, Max: lo + half, Weight: float64(len(values))}}
		h.Width = 2 * half
	}
	p.Add(h)
	return p, nil
}

func minMax(xs []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}
