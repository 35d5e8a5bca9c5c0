package imageio

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// ReadPanels reads the multi-panel image at path whose panels have the
// sizes given (a detector's, in order): a full CBF of one array per panel
// (WriteMultiCBF; read with ReadCBFArrays) or a raw little-endian float32
// image of the panels one after another (each slow x fast, fast-major), as
// the simulation writes them. The Frame's Pix are the values in that
// order, Panels the sizes; a file whose arrays or length do not match the
// sizes is refused with an error naming it and both sizes.
func ReadPanels(path string, sizes []Dims) (*Frame, error) {
	total := 0
	for i, d := range sizes {
		n, err := imageSize{what: fmt.Sprintf("panel %d is", i), fast: d.Fast, slow: d.Slow}.pixels()
		if err != nil {
			return nil, fmt.Errorf("image %s: %w", path, err)
		}
		if n > MaxPixels-total {
			return nil, fmt.Errorf("image %s: the panels have more than the %d pixels a detector may have", path, MaxPixels)
		}
		total += n
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, max(len(cbfMagic), len(smvMagic)))
	k, _ := io.ReadFull(f, head)
	head = head[:k]
	st, err := f.Stat()
	f.Close()
	if err != nil {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte(cbfMagic)):
		return readPanelsCBF(path, sizes, total)
	case st.Mode().IsRegular() && !bytes.HasPrefix(head, []byte(smvMagic)) && !bytes.HasPrefix(head, []byte(gzipMagic)) && st.Size() != 4*int64(total):
		// A raw float image of another detector: say whose sizes differ.
		return nil, fmt.Errorf("float image %s: %d bytes (%d floats), the %d panels have %d pixels in all (%d bytes)", path, st.Size(), st.Size()/4, len(sizes), total, 4*int64(total))
	}
	fr, err := ReadFrame(path, Dims{Fast: total, Slow: 1})
	if err != nil {
		return nil, fmt.Errorf("%w (the %d panels have %d pixels in all)", err, len(sizes), total)
	}
	if fr.Format != "float32" {
		return nil, fmt.Errorf("image %s: a one-panel %s frame of %dx%d pixels; the detector has %d panels (give their full CBF or float image)", path, fr.Format, fr.Fast, fr.Slow, len(sizes))
	}
	fr.Panels = sizes
	return fr, nil
}

// readPanelsCBF reads a multi-panel CBF of total pixels in the panels of
// sizes.
func readPanelsCBF(path string, sizes []Dims, total int) (*Frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	arrays, err := ReadCBFArrays(f, path)
	if err != nil {
		return nil, err
	}
	if len(arrays) != len(sizes) {
		return nil, fmt.Errorf("cbf %s: %d arrays (panels), the detector has %d panels", path, len(arrays), len(sizes))
	}
	pix := make([]float64, 0, total)
	for i, a := range arrays {
		if a.SizeFast != sizes[i].Fast || a.SizeSlow != sizes[i].Slow {
			return nil, fmt.Errorf("cbf %s: array %d is %dx%d pixels (fast x slow), the detector's panel %d %dx%d", path, i, a.SizeFast, a.SizeSlow, i, sizes[i].Fast, sizes[i].Slow)
		}
		for _, c := range a.Counts {
			pix = append(pix, float64(c))
		}
	}
	return &Frame{Name: path, Format: "cbf", Fast: total, Slow: 1, Pix: pix, Panels: sizes}, nil
}
