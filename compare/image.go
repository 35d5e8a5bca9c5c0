package compare

import (
	"fmt"

	"gobragg/imageio"
	"gobragg/raster"
)

// Image is a named detector image in float64: its pixels, in
// nanoBragg's order, and their fast and slow sizes are the embedded
// raster.Image (whose ROI, the whole image, compare does not read: the
// region compared is Options.ROI).
type Image struct {
	Name   string // file name, for messages and labels
	Format string // "float32", "smv" or "cbf"
	raster.Image[float64]
}

// Dims are the image dimensions given on the command line; zero means not
// given. They are needed for raw float images whose pixel count is not a
// perfect square, and are checked against an SMV or miniCBF header when
// given.
type Dims struct {
	Fast, Slow int
}

// Load reads the image at path with imageio.ReadFrame (which bounds how
// much it reads); see Decode.
func Load(path string, dims Dims) (*Image, error) {
	fr, err := imageio.ReadFrame(path, imageio.Dims(dims))
	if err != nil {
		return nil, err
	}
	return fromFrame(fr, dims)
}

// Decode interprets data as an image named name with imageio.DecodeFrame:
// gzip, SMV, miniCBF or raw float32, the pixels as the file holds them.
// A header's size must agree with the dims that are given.
func Decode(data []byte, name string, dims Dims) (*Image, error) {
	fr, err := imageio.DecodeFrame(data, name, imageio.Dims(dims))
	if err != nil {
		return nil, err
	}
	return fromFrame(fr, dims)
}

func fromFrame(fr *imageio.Frame, dims Dims) (*Image, error) {
	if fr.Format != "float32" && ((dims.Fast != 0 && dims.Fast != fr.Fast) || (dims.Slow != 0 && dims.Slow != fr.Slow)) {
		return nil, fmt.Errorf("%s %s: header says %dx%d (fast x slow), options say %dx%d", fr.Format, fr.Name, fr.Fast, fr.Slow, dims.Fast, dims.Slow)
	}
	return &Image{Name: fr.Name, Format: fr.Format, Image: raster.Whole(fr.Pix, fr.Fast, fr.Slow)}, nil
}
