package sim

import (
	"fmt"
	"io"
	"math"

	"gobragg/imageio"
)

// printout writes nanoBragg's -printout report: for every rendered pixel,
// or only the -printout_pixel one, the last subpath's geometry, indices and
// factors and the pixel's value, in C's wording and formats.
func (p *Problem) printout(out io.Writer, res *Result) error {
	s := p.Settings
	for sp := s.RoiYMin; sp <= s.RoiYMax && sp < s.SPixels; sp++ {
		for fp := s.RoiXMin; fp <= s.RoiXMax && fp < s.FPixels; fp++ {
			idx := sp*s.FPixels + fp
			if s.Mask != nil && s.Mask[idx] == 0 {
				continue
			}
			if s.PrintoutFast >= 0 && (fp != s.PrintoutFast || sp != s.PrintoutSlow) {
				continue
			}
			tv, err := res.Model.Trace(nil, sp, fp, nil)
			if err != nil {
				return err
			}
			pos := tv.Position
			twotheta := math.Atan2(math.Sqrt(pos[1]*pos[1]+pos[2]*pos[2]), pos[0])
			stolAlt := math.Sin(twotheta/2.0) / (s.Lambda0 * 1e10)
			g10 := func(x float64) string { return fmt.Sprintf("%15s", imageio.FormatGPrec(x, 10)) }
			fmt.Fprintf(out, "%4d %4d : stol = %s or %s\n", fp, sp, fg(tv.Stol), fg(stolAlt))
			fmt.Fprintf(out, "at %s %s %s\n", fg(pos[0]), fg(pos[1]), fg(pos[2]))
			fmt.Fprintf(out, "hkl= %f %f %f  hkl0= %d %d %d\n", tv.HKL[0], tv.HKL[1], tv.HKL[2], tv.HKL0[0], tv.HKL0[1], tv.HKL0[2])
			fmt.Fprintf(out, " F_cell=%s  F_latt=%s   I = %s\n", fg(tv.FCell), fg(tv.FLatt), fg(tv.I))
			fmt.Fprintf(out, "I/steps %s\n", g10(tv.I/p.Exp.Steps))
			fmt.Fprintf(out, "polar   %s\n", g10(tv.Polar))
			fmt.Fprintf(out, "omega   %s\n", g10(tv.Omega))
			fmt.Fprintf(out, "capfrac %s\n", g10(tv.Capture))
			fmt.Fprintf(out, "pixel   %s\n", g10(float64(res.Float32[idx])))
			fmt.Fprintln(out, "real-space cell vectors (Angstrom):")
			fmt.Fprintf(out, "     %-10s  %-10s  %-10s\n", "a", "b", "c")
			L := tv.Lattice
			for i, axis := range []string{"X", "Y", "Z"} {
				fmt.Fprintf(out, "%s: %11.8f %11.8f %11.8f\n", axis, L[i]*1e10, L[3+i]*1e10, L[6+i]*1e10)
			}
		}
	}
	return nil
}
