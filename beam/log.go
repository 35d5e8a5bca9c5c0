package beam

import (
	"fmt"

	"gobragg/imageio"
)

// Log returns the lines nanoBragg prints while setting up its sources, in
// its order and printf formats, without newlines. For generated sources
// (g != nil) these are "divergence deviation: %g %g" for every kept
// divergence point and "lambda%d = %.15g" for every wavelength step; then,
// for both kinds, "  created a total of %d sources:" and one
// "%g %g %g   %g %g" line per source (position before unitizing, weight,
// wavelength). Pass g = nil for sources read from a file.
func Log(g *Grid, sources []Source) []string {
	fg := imageio.FormatG
	var lines []string
	if g != nil {
		for _, p := range g.divergencePoints() {
			lines = append(lines, fmt.Sprintf("divergence deviation: %s %s", fg(p.h), fg(p.v)))
		}
		for i := 0; i < g.DispSteps; i++ {
			lines = append(lines, fmt.Sprintf("lambda%d = %s", i, imageio.FormatGPrec(g.lambda(i).V, 15)))
		}
	}
	lines = append(lines, fmt.Sprintf("  created a total of %d sources:", len(sources)))
	for _, s := range sources {
		lines = append(lines, fmt.Sprintf("%s %s %s   %s %s",
			fg(s.Position[0]), fg(s.Position[1]), fg(s.Position[2]), fg(s.Weight), fg(s.LambdaM.V)))
	}
	return lines
}
