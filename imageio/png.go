package imageio

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"slices"

	"gobragg/raster"
)

// Stretch selects how intensities are mapped to display brightness.
type Stretch int

const (
	// Asinh maps v to asinh(v/b)/asinh(limit/b) with b = limit/1000:
	// linear for faint pixels, logarithmic over the three decades below
	// the limit, so background and Bragg spots are both readable.
	Asinh Stretch = iota
	// Log maps v to log(1+v/b)/log(1+limit/b) with b = limit/1000.
	Log
	// Linear maps v to v/limit.
	Linear
)

// String returns the stretch's name.
func (s Stretch) String() string {
	switch s {
	case Asinh:
		return "asinh"
	case Log:
		return "log"
	case Linear:
		return "linear"
	}
	return fmt.Sprintf("Stretch(%d)", int(s))
}

// ParseStretch returns the Stretch called name ("asinh", "log" or
// "linear").
func ParseStretch(name string) (Stretch, error) {
	switch name {
	case "asinh":
		return Asinh, nil
	case "log":
		return Log, nil
	case "linear":
		return Linear, nil
	}
	return 0, fmt.Errorf("unknown intensity stretch %q (want asinh, log or linear)", name)
}

// softFraction is b/limit for the Asinh and Log stretches when the
// image gives no background level (IntensityScale, and SoftLevel of an
// image without background).
const softFraction = 1e-3

// DisplayPercentile is the percentile of the positive pixels that
// DisplayLimit uses as the top of the display range.
const DisplayPercentile = 99.9

// DisplayLimit returns a robust top of the display range for img
// (photons): the DisplayPercentile-th percentile of its finite positive
// pixels, so that a few very bright pixels do not turn the rest of the
// frame black. Pixels above the limit, such as the cores of isolated Bragg
// spots, are shown in the brightest colour, so they stay visible. An image
// without positive pixels gives 1.
func DisplayLimit(img []float32) float64 {
	pos := make([]float32, 0, len(img))
	for _, v := range img {
		if v > 0 && !math.IsInf(float64(v), 0) {
			pos = append(pos, v)
		}
	}
	if len(pos) == 0 {
		return 1
	}
	slices.Sort(pos)
	k := int(math.Ceil(DisplayPercentile/100*float64(len(pos)))) - 1
	k = max(0, min(k, len(pos)-1))
	return float64(pos[k])
}

// IntensityScale maps an intensity v (photons) to display brightness in
// [0, 1] with stretch s and top of range limit (> 0), softening at
// limit/1000: 0 and below (and NaN) give 0, limit and above give 1, and
// the map increases in between. A limit that is not positive is treated
// as 1.
func IntensityScale(v, limit float64, s Stretch) float64 {
	if !(limit > 0) || math.IsInf(limit, 0) {
		limit = 1
	}
	return intensityScale(v, limit, limit*softFraction, s)
}

// intensityScale is IntensityScale with the asinh and log stretches
// turning from linear to logarithmic at soft photons (0 < soft).
func intensityScale(v, limit, soft float64, s Stretch) float64 {
	if !(v > 0) {
		return 0
	}
	if v >= limit {
		return 1
	}
	switch s {
	case Log:
		return math.Log1p(v/soft) / math.Log1p(limit/soft)
	case Linear:
		return v / limit
	}
	return math.Asinh(v/soft) / math.Asinh(limit/soft)
}

// PNGOptions control WritePNG. The zero value gives an asinh stretch from
// 0 to DisplayLimit softened at SoftLevel, viridis colours and frames at
// most 2048 pixels on a side.
type PNGOptions struct {
	Stretch Stretch
	Map     ColorMap
	// Limit is the intensity (photons) shown in the brightest colour;
	// 0 means DisplayLimit(img).
	Limit float64
	// MaxSide is the largest width or height of the PNG; larger frames are
	// shrunk by an integer factor keeping the brightest pixel of each block
	// (so single-pixel spots survive). 0 means 2048; negative means never.
	MaxSide int
	// Soft is the intensity (photons) where the asinh and log stretches
	// turn from linear to logarithmic (gobragg's -png_scale); 0 means
	// SoftLevel(img). Nothing is clipped below Limit: a smooth background
	// stays smooth and dim, and what stands a few of its own standard
	// deviations above it (the spots) is bright.
	Soft float64
}

// BackgroundLevel returns robust statistics of an image's background
// (photons): the median of its finite pixels and their robust standard
// deviation, 1.4826 times the median absolute deviation (the standard
// deviation for normally distributed values; spots, a few per cent of the
// pixels, hardly move either). An image without finite pixels gives 0, 0.
func BackgroundLevel(img []float32) (median, sigma float64) {
	v := make([]float64, 0, len(img))
	for _, x := range img {
		if !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) {
			v = append(v, float64(x))
		}
	}
	if len(v) == 0 {
		return 0, 0
	}
	slices.Sort(v)
	median = v[len(v)/2]
	for i, x := range v {
		v[i] = math.Abs(x - median)
	}
	slices.Sort(v)
	return median, 1.4826 * v[len(v)/2]
}

// BackgroundSigmas is how many robust standard deviations above the median
// SoftLevel puts the soft point of the stretch.
const BackgroundSigmas = 3

// SoftLevel returns the default soft point of the preview's stretch for
// img: the background's median plus BackgroundSigmas robust standard
// deviations, the level up to which an intensity can still be background.
// The background is then shown linearly in the lower part of the colour
// range, brighter features logarithmically above it. Without a background
// (a median of 0 or below) it is softFraction of limit.
func SoftLevel(img []float32, limit float64) float64 {
	median, sigma := BackgroundLevel(img)
	if soft := median + BackgroundSigmas*sigma; median > 0 && soft < limit {
		return soft
	}
	return limit * softFraction
}

// DefaultMaxSide is the PNG size limit used when PNGOptions.MaxSide is 0.
const DefaultMaxSide = 2048

// WritePNG writes a colour preview of every pixel of a float image as
// PNG (the ROI is not consulted), fast axis left to right and slow axis
// top to bottom (the first pixel in the top-left corner). nanoBragg has
// no such output; the file is for people, not for parity. It fails unless
// img is img.Valid and not empty.
func WritePNG(w io.Writer, img raster.Image[float32], opt PNGOptions) error {
	if img.Fast <= 0 || img.Slow <= 0 || !img.Valid() {
		return fmt.Errorf("png: %d pixels given for a %dx%d image", len(img.Pix), img.Fast, img.Slow)
	}
	limit := opt.Limit
	if limit == 0 {
		limit = DisplayLimit(img.Pix)
	}
	if !(limit > 0) || math.IsInf(limit, 0) {
		return fmt.Errorf("png: display limit %g is not a positive number", limit)
	}
	side := opt.MaxSide
	if side == 0 {
		side = DefaultMaxSide
	}
	k := 1
	if side > 0 {
		k = max((img.Fast+side-1)/side, (img.Slow+side-1)/side, 1)
	}
	soft := opt.Soft
	if soft == 0 {
		soft = SoftLevel(img.Pix, limit)
	}
	if !(soft > 0) || math.IsInf(soft, 0) {
		return fmt.Errorf("png: stretch scale %g is not a positive number", soft)
	}
	small := maxPool(img, k)
	out := image.NewRGBA(image.Rect(0, 0, small.Fast, small.Slow))
	for y := 0; y < small.Slow; y++ {
		for x := 0; x < small.Fast; x++ {
			t := intensityScale(float64(small.At(x, y)), limit, soft, opt.Stretch)
			out.SetRGBA(x, y, Colormap(opt.Map, t))
		}
	}
	return png.Encode(w, out)
}

// maxPool shrinks img by factor k, keeping the largest value of each k x k
// block (NaN values are ignored unless a block has nothing else). The
// result's ROI is its whole image.
func maxPool(img raster.Image[float32], k int) raster.Image[float32] {
	if k <= 1 {
		return img
	}
	w2, h2 := (img.Fast+k-1)/k, (img.Slow+k-1)/k
	out := make([]float32, w2*h2)
	for i := range out {
		out[i] = float32(math.NaN())
	}
	for s := 0; s < img.Slow; s++ {
		row := (s / k) * w2
		for f := 0; f < img.Fast; f++ {
			v := img.Pix[s*img.Fast+f]
			o := &out[row+f/k]
			if math.IsNaN(float64(*o)) || v > *o {
				*o = v
			}
		}
	}
	return raster.Whole(out, w2, h2)
}
