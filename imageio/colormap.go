package imageio

import (
	"fmt"
	"image/color"
	"math"
)

// ColorMap names a colour table for previews.
type ColorMap int

const (
	// Viridis is matplotlib's perceptually uniform dark-blue to yellow map.
	Viridis ColorMap = iota
	// Inferno is matplotlib's perceptually uniform black to pale-yellow map.
	Inferno
	// Grey maps 0 to black and 1 to white.
	Grey
)

// String returns the map's name.
func (m ColorMap) String() string {
	switch m {
	case Viridis:
		return "viridis"
	case Inferno:
		return "inferno"
	case Grey:
		return "grey"
	}
	return fmt.Sprintf("ColorMap(%d)", int(m))
}

// ParseColorMap returns the ColorMap called name ("viridis", "inferno",
// "grey" or "gray").
func ParseColorMap(name string) (ColorMap, error) {
	switch name {
	case "viridis":
		return Viridis, nil
	case "inferno":
		return Inferno, nil
	case "grey", "gray":
		return Grey, nil
	}
	return 0, fmt.Errorf("unknown colour map %q (want viridis, inferno or grey)", name)
}

// knot is one entry of a colour table at position index/255.
type knot struct {
	index   int
	r, g, b uint8
}

// viridisKnots and infernoKnots are every 16th entry (and the last) of
// matplotlib's 256-entry tables; linear interpolation between them stays
// within a couple of levels of the full tables.
var viridisKnots = []knot{
	{0, 0x44, 0x01, 0x54}, {16, 0x48, 0x18, 0x6a}, {32, 0x47, 0x2d, 0x7b}, {48, 0x42, 0x40, 0x86},
	{64, 0x3b, 0x52, 0x8b}, {80, 0x33, 0x63, 0x8d}, {96, 0x2c, 0x72, 0x8e}, {112, 0x26, 0x82, 0x8e},
	{128, 0x21, 0x91, 0x8c}, {144, 0x1f, 0xa0, 0x88}, {160, 0x28, 0xae, 0x80}, {176, 0x3f, 0xbc, 0x73},
	{192, 0x5e, 0xc9, 0x62}, {208, 0x84, 0xd4, 0x4b}, {224, 0xad, 0xdc, 0x30}, {240, 0xd8, 0xe2, 0x19},
	{255, 0xfd, 0xe7, 0x25},
}

var infernoKnots = []knot{
	{0, 0x00, 0x00, 0x04}, {16, 0x0b, 0x07, 0x24}, {32, 0x21, 0x0c, 0x4a}, {48, 0x3d, 0x09, 0x65},
	{64, 0x57, 0x10, 0x6e}, {80, 0x71, 0x19, 0x6e}, {96, 0x8a, 0x22, 0x6a}, {112, 0xa3, 0x2c, 0x61},
	{128, 0xbc, 0x37, 0x54}, {144, 0xd2, 0x46, 0x44}, {160, 0xe4, 0x5a, 0x31}, {176, 0xf1, 0x73, 0x1d},
	{192, 0xf9, 0x8e, 0x09}, {208, 0xfc, 0xac, 0x11}, {224, 0xf9, 0xcb, 0x35}, {240, 0xf2, 0xea, 0x69},
	{255, 0xfc, 0xff, 0xa4},
}

// Colormap returns the opaque colour of map m at t, where t in [0, 1]
// runs from the lowest to the highest intensity. t outside [0, 1] is
// clamped and NaN counts as 0.
func Colormap(m ColorMap, t float64) color.RGBA {
	if !(t > 0) {
		t = 0
	}
	if t > 1 {
		t = 1
	}
	var knots []knot
	switch m {
	case Inferno:
		knots = infernoKnots
	case Viridis:
		knots = viridisKnots
	default:
		v := uint8(math.Round(255 * t))
		return color.RGBA{v, v, v, 255}
	}
	x := 255 * t
	j := 1
	for j < len(knots)-1 && float64(knots[j].index) < x {
		j++
	}
	a, b := knots[j-1], knots[j]
	u := (x - float64(a.index)) / float64(b.index-a.index)
	mix := func(p, q uint8) uint8 {
		return uint8(math.Round(float64(p) + u*(float64(q)-float64(p))))
	}
	return color.RGBA{mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b), 255}
}
