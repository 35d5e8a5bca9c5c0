package refine

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/optimize"
)

// scanLow, scanHigh and scanPoints set a scan stage's grid: scanPoints
// values from scanLow to scanHigh times the current value, evenly spaced
// in the logarithm (about 2.6 % apart, finer than the wells of the loss).
const (
	scanLow, scanHigh = 0.6, 1.5
	scanPoints        = 37
)

// scanStage searches each active parameter in turn on its grid, the
// others held, and returns the values of the lowest loss.
func (f *fitter) scanStage(values []float64, active []int) ([]float64, int, error) {
	cur := append([]float64(nil), values...)
	best, _, err := f.lossGrad(cur)
	if err != nil {
		return nil, 0, err
	}
	evals := 0
	for _, j := range active {
		centre := cur[j]
		info := f.infos[j]
		for i := 0; i < scanPoints; i++ {
			v := centre * math.Exp(math.Log(scanLow)+float64(i)*math.Log(scanHigh/scanLow)/(scanPoints-1))
			if !inside(v, info.Lower, info.Upper) || v == centre {
				continue
			}
			try := append([]float64(nil), cur...)
			try[j] = v
			loss, _, err := f.lossGrad(try)
			if err != nil {
				return nil, evals, err
			}
			evals++
			if loss < best {
				best, cur = loss, try
			}
		}
	}
	f.cacheOK = false
	return cur, evals, nil
}

// hopSpread is how far a hop moves each crystal-size or mosaic parameter:
// a factor exp(u), u uniform in [-hopSpread, hopSpread] (about +-30 %, the
// error of a starting N).
const hopSpread = 0.3

// hopSeed seeds the hops' draws: the same problem hops the same way.
const hopSeed = 20261206

// hopStage tries up to hops random starts around values while the model
// does not fit the data: the active (crystal-size and mosaic) parameters
// drawn afresh around their values, then a pixel fit of everything. A hop
// that ends with a lower loss is kept.
func (f *fitter) hopStage(values []float64, active []int, hops int, method optimize.Method) ([]float64, pixelOutcome, string, error) {
	best, _, err := f.lossGrad(values)
	if err != nil {
		return nil, pixelOutcome{}, "", err
	}
	bestOut := pixelOutcome{values: values, loss: best, status: optimize.GradientThreshold}
	r := rand.New(rand.NewPCG(hopSeed, uint64(len(values))))
	all := f.active(Stage{Kind: PixelStage, Group: AllParams})
	tried, kept := 0, 0
	for h := 0; h < hops; h++ {
		fits, g, err := f.fits(bestOut.values)
		if err != nil {
			return nil, bestOut, "", err
		}
		if fits && tried == 0 {
			return values, bestOut, fmt.Sprintf("not needed: the model fits (%.1f sigma)", g.Z), nil
		}
		if fits {
			break
		}
		start := append([]float64(nil), bestOut.values...)
		for _, j := range active {
			v := start[j] * math.Exp(hopSpread*(2*r.Float64()-1))
			if inside(v, f.infos[j].Lower, f.infos[j].Upper) {
				start[j] = v
			}
		}
		f.recentre(start)
		out, err := f.pixelStage(all, method)
		if err != nil {
			return nil, bestOut, "", err
		}
		tried++
		if out.loss < bestOut.loss {
			bestOut = out
			kept++
		}
	}
	f.cacheOK = false
	return bestOut.values, bestOut, fmt.Sprintf("%d hops, %d kept", tried, kept), nil
}
