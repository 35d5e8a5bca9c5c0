package compare

import (
	"image"
	"image/color"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// face is the bitmap font of the PNG labels: 7x13 pixels per character.
var face = basicfont.Face7x13

// textWidth is the width in pixels of s drawn at integer scale.
func textWidth(s string, scale int) int {
	return len([]rune(s)) * face.Advance * scale
}

// clip shortens s with a leading "..." so that it fits in w pixels at
// scale 1 (keeping the end of a long path, which names the file).
func clip(s string, w int) string {
	r := []rune(s)
	n := w / face.Advance
	if len(r) <= n {
		return s
	}
	if n <= 3 {
		return string(r[len(r)-max(n, 0):])
	}
	return "..." + string(r[len(r)-(n-3):])
}

// drawText draws s with its top-left corner at (x, y), enlarged by an
// integer scale (nearest neighbour), in colour c. Pixels outside dst are
// skipped.
func drawText(dst *image.RGBA, x, y int, s string, scale int, c color.RGBA) {
	if s == "" {
		return
	}
	w, h := textWidth(s, 1), face.Height
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(0, face.Ascent)}
	d.DrawString(s)
	for py := 0; py < h*scale; py++ {
		for px := 0; px < w*scale; px++ {
			if mask.AlphaAt(px/scale, py/scale).A >= 128 {
				dst.SetRGBA(x+px, y+py, c)
			}
		}
	}
}
