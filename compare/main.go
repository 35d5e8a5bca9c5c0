package compare

import (
	"fmt"
	"image/png"
	"io"
	"strconv"
	"strings"

	"gobragg/imageio"
	"gobragg/raster"
)

// Usage is the synopsis of the compare command.
const Usage = "usage: gobragg compare A B [-roi xmin xmax ymin ymax] [-json out.json] [-png out.png] " +
	"[-detpixels N | -detpixels_x NF -detpixels_y NS] [-corr 0.9995] [-sum_ratio 0.99 1.01] [-peaks N] [-scale log|asinh]"

// cli holds the parsed command line.
type cli struct {
	files    []string
	dims     Dims
	opt      Options
	jsonPath string
	pngPath  string
	stretch  imageio.Stretch
}

// Main runs "gobragg compare A B [options]" with args being the arguments
// after "compare". It prints the figures to stdout and returns 0 when the
// images pass (correlation >= -corr and sum ratio within -sum_ratio), 1
// when they do not, and 2 on bad input (unknown option, unreadable or
// wrongly sized image, mismatched dimensions), after one error line on
// stderr. -json and -png files are written atomically.
func Main(args []string, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err == errHelp {
		fmt.Fprint(stdout, Help)
		return 0
	}
	if err != nil {
		return fail(stderr, err)
	}
	a, err := Load(c.files[0], c.dims)
	if err != nil {
		return fail(stderr, err)
	}
	b, err := Load(c.files[1], c.dims)
	if err != nil {
		return fail(stderr, err)
	}
	res, err := Run(a, b, c.opt)
	if err != nil {
		return fail(stderr, err)
	}
	if err := res.WriteText(stdout); err != nil {
		return fail(stderr, err)
	}
	// Both outputs or neither: a -png that cannot be written must not
	// leave the -json behind.
	var batch imageio.Batch
	if err := c.writeOutputs(res, &batch); err != nil {
		batch.Abort()
		return fail(stderr, err)
	}
	if err := batch.Commit(); err != nil {
		return fail(stderr, err)
	}
	if !res.Pass {
		return 1
	}
	return 0
}

// writeOutputs adds the -json and -png files to batch.
func (c *cli) writeOutputs(res *Result, batch *imageio.Batch) error {
	if c.jsonPath != "" {
		data, err := res.MarshalJSON()
		if err != nil {
			return err
		}
		if err := batch.Add(c.jsonPath, func(w io.Writer) error {
			_, err := w.Write(append(data, '\n'))
			return err
		}); err != nil {
			return err
		}
	}
	if c.pngPath != "" {
		img, err := Render(res, RenderOptions{Stretch: c.stretch})
		if err != nil {
			return err
		}
		if err := batch.Add(c.pngPath, func(w io.Writer) error { return png.Encode(w, img) }); err != nil {
			return err
		}
	}
	return nil
}

var errHelp = fmt.Errorf("help requested")

// parseArgs reads the command line. Options may come before, between or
// after the two file names, spelled -name or --name.
func parseArgs(args []string) (*cli, error) {
	c := &cli{opt: DefaultOptions, stretch: imageio.Log}
	detSquare := 0
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if len(arg) < 2 || arg[0] != '-' || isNumber(arg) {
			c.files = append(c.files, arg)
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-")
		// values returns the next n arguments.
		values := func(n int) ([]string, error) {
			if i+n >= len(args) {
				return nil, fmt.Errorf("option %s needs %d value(s) (%s)", arg, n, Usage)
			}
			v := args[i+1 : i+1+n]
			i += n
			return v, nil
		}
		ints := func(n int, min int) ([]int, error) {
			v, err := values(n)
			if err != nil {
				return nil, err
			}
			out := make([]int, n)
			for k, s := range v {
				x, err := strconv.Atoi(s)
				if err != nil || x < min {
					return nil, fmt.Errorf("option %s: bad value %q (want an integer >= %d)", arg, s, min)
				}
				out[k] = x
			}
			return out, nil
		}
		floats := func(n int) ([]float64, error) {
			v, err := values(n)
			if err != nil {
				return nil, err
			}
			out := make([]float64, n)
			for k, s := range v {
				x, err := strconv.ParseFloat(s, 64)
				if err != nil || x != x {
					return nil, fmt.Errorf("option %s: bad value %q (want a number)", arg, s)
				}
				out[k] = x
			}
			return out, nil
		}
		var err error
		switch name {
		case "h", "help":
			return nil, errHelp
		case "roi":
			var v []int
			if v, err = ints(4, 0); err == nil {
				c.opt.ROI = &raster.ROI{v[0], v[1], v[2], v[3]}
			}
		case "json", "png":
			var v []string
			if v, err = values(1); err == nil {
				if name == "json" {
					c.jsonPath = v[0]
				} else {
					c.pngPath = v[0]
				}
			}
		case "detpixels":
			var v []int
			if v, err = ints(1, 1); err == nil {
				detSquare = v[0]
			}
		case "detpixels_x", "detpixels_y":
			var v []int
			if v, err = ints(1, 1); err == nil {
				if name == "detpixels_x" {
					c.dims.Fast = v[0]
				} else {
					c.dims.Slow = v[0]
				}
			}
		case "corr":
			var v []float64
			if v, err = floats(1); err == nil {
				c.opt.CorrMin = v[0]
			}
		case "sum_ratio":
			var v []float64
			if v, err = floats(2); err == nil {
				if v[0] > v[1] {
					err = fmt.Errorf("option %s: lower bound %g is above upper bound %g", arg, v[0], v[1])
				}
				c.opt.SumRatioMin, c.opt.SumRatioMax = v[0], v[1]
			}
		case "peaks":
			var v []int
			if v, err = ints(1, 0); err == nil {
				c.opt.Peaks = v[0]
			}
		case "scale":
			var v []string
			if v, err = values(1); err == nil {
				c.stretch, err = imageio.ParseStretch(v[0])
				if err != nil {
					err = fmt.Errorf("option %s: %w", arg, err)
				}
			}
		default:
			err = fmt.Errorf("unknown option %q (%s)", arg, Usage)
		}
		if err != nil {
			return nil, err
		}
	}
	if detSquare > 0 {
		if (c.dims.Fast != 0 && c.dims.Fast != detSquare) || (c.dims.Slow != 0 && c.dims.Slow != detSquare) {
			return nil, fmt.Errorf("-detpixels %d conflicts with -detpixels_x %d / -detpixels_y %d", detSquare, c.dims.Fast, c.dims.Slow)
		}
		c.dims = Dims{detSquare, detSquare}
	}
	if len(c.files) != 2 {
		return nil, fmt.Errorf("need two images A and B, got %d (%s)", len(c.files), Usage)
	}
	if err := imageio.CheckOutputs([]imageio.NamedPath{{Option: "image A", Path: c.files[0]}, {Option: "image B", Path: c.files[1]}},
		[]imageio.NamedPath{{Option: "-json", Path: c.jsonPath}, {Option: "-png", Path: c.pngPath}}); err != nil {
		return nil, err
	}
	return c, nil
}

// isNumber reports whether s is a number such as "-1", so that a negative
// value is never taken for an option.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "gobragg compare: %s\n", err)
	return 2
}
