package refine

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"

	"gobragg/imageio"
)

// Image is a measured frame read for fitting, in photons.
type Image struct {
	Name       string
	Format     string // "smv", "float32" (or "cbf")
	Fast, Slow int
	// Counts are photons per pixel (fast-major); NaN marks an overloaded
	// pixel, which is left out of the fit.
	Counts []float64
	// OscStartDeg and OscRangeDeg are the header's spindle start and width
	// (NaN when the file does not give them).
	OscStartDeg, OscRangeDeg float64
	Overloads                int
}

// smvOverload is the value nanoBragg (and ADSC detectors) write for a
// saturated 16-bit pixel.
const smvOverload = 65535

// ReadImage reads a measured frame of fast x slow pixels: an SMV frame
// (counts = (ADU - offsetADU) / gainADU, overloads left out), a miniCBF
// frame (signed counts; negative ones, Pilatus' gaps and bad pixels, left out) or a raw little-endian float32 image in photons.
// gzip files are decompressed first. A file of another size or kind, or
// with a NaN or infinite value, is refused with ErrBadInput.
func ReadImage(path string, fast, slow int, offsetADU, gainADU float64) (*Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	return DecodeImage(data, path, fast, slow, offsetADU, gainADU)
}

// DecodeImage is ReadImage on the bytes of a file named name.
func DecodeImage(data []byte, name string, fast, slow int, offsetADU, gainADU float64) (*Image, error) {
	if !(gainADU > 0) || math.IsInf(gainADU, 0) || math.IsNaN(offsetADU) || math.IsInf(offsetADU, 0) {
		return nil, badf("gain must be positive and the offset finite (gain %g ADU/photon, offset %g ADU)", gainADU, offsetADU)
	}
	if bytes.HasPrefix(data, []byte("\x1f\x8b")) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err == nil {
			data, err = io.ReadAll(zr)
		}
		if err != nil {
			return nil, badf("%s: gzip: %v", name, err)
		}
	}
	var im *Image
	var err error
	switch {
	case bytes.HasPrefix(data, []byte("{\nHEADER_BYT")):
		im, err = decodeSMV(data, name, offsetADU, gainADU)
	case bytes.HasPrefix(data, []byte("###CBF")):
		im, err = decodeCBF(data, name, offsetADU, gainADU)
	default:
		im, err = decodeFloat(data, name, fast, slow)
	}
	if err != nil {
		return nil, err
	}
	if im.Fast != fast || im.Slow != slow {
		return nil, badf("%s is %dx%d pixels (fast x slow), the model's detector %dx%d", name, im.Fast, im.Slow, fast, slow)
	}
	for i, y := range im.Counts {
		if math.IsInf(y, 0) || (math.IsNaN(y) && im.Format == "float32") {
			return nil, badf("%s: pixel (slow %d, fast %d) is %g, not a count", name, i/fast, i%fast, y)
		}
	}
	return im, nil
}

func decodeSMV(data []byte, name string, offsetADU, gainADU float64) (*Image, error) {
	s, err := imageio.ReadSMV(bytes.NewReader(data), name)
	if err != nil {
		return nil, badf("%v", err)
	}
	im := &Image{Name: name, Format: "smv", Fast: s.Width, Slow: s.Height, Counts: make([]float64, len(s.Pixels)),
		OscStartDeg: math.NaN(), OscRangeDeg: math.NaN()}
	if v, ok := s.Value("OSC_START"); ok {
		im.OscStartDeg = v
	}
	if v, ok := s.Value("OSC_RANGE"); ok {
		im.OscRangeDeg = v
	}
	for i, v := range s.Pixels {
		if v == smvOverload {
			im.Counts[i] = math.NaN()
			im.Overloads++
			continue
		}
		im.Counts[i] = (float64(v) - offsetADU) / gainADU
	}
	return im, nil
}

func decodeFloat(data []byte, name string, fast, slow int) (*Image, error) {
	if len(data) != 4*fast*slow {
		return nil, badf("%s is neither an SMV nor a CBF frame nor a raw float32 image of %dx%d pixels (%d bytes, want %d)",
			name, fast, slow, len(data), 4*fast*slow)
	}
	im := &Image{Name: name, Format: "float32", Fast: fast, Slow: slow, Counts: make([]float64, fast*slow),
		OscStartDeg: math.NaN(), OscRangeDeg: math.NaN()}
	for i := range im.Counts {
		im.Counts[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:])))
	}
	return im, nil
}
