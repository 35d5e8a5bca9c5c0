package physics

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// testdata/c_reference.txt holds inputs and results of nanoBragg's own
// functions (sincg, sinc3, polarization_factor, polin3, and the main-loop
// expressions for F_latt, omega, capture fraction and ceil(x-0.5)) evaluated
// by the C code compiled with gcc -O2 against glibc on pseudo-random inputs,
// all as hex floats. One line per case: a tag, then the numbers. After the
// result, lines also carry C's intermediate values around each C-library
// call (the argument passed and the value returned), so that the evaluation
// order of everything except sin/cos/exp/atan2 can be checked bit for bit.

type cCase struct {
	line int
	tag  string
	v    []float64
}

func readCReference(t *testing.T) []cCase {
	t.Helper()
	f, err := os.Open("testdata/c_reference.txt")
	if err != nil {
		t.Fatalf("open C reference: %v", err)
	}
	defer f.Close()
	var cases []cCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		c := cCase{line: n, tag: fields[0]}
		for _, s := range fields[1:] {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("c_reference.txt line %d: %v", n, err)
			}
			c.v = append(c.v, x)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read C reference: %v", err)
	}
	return cases
}

// ulpDiff returns the distance in units in the last place between a and b
// (0 when bit-identical, including both NaN).
func ulpDiff(a, b float64) uint64 {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return 0
	}
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if ia < 0 {
		ia = math.MinInt64 - ia
	}
	if ib < 0 {
		ib = math.MinInt64 - ib
	}
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

// ulp returns the spacing of float64 values at |v|.
func ulp(v float64) float64 {
	v = math.Abs(v)
	return math.Nextafter(v, math.Inf(1)) - v
}

// sinErr bounds the difference between Go's math.Sin(x) = s and glibc's:
// one ulp, plus the absolute error of Go's argument reduction (π/4 is
// carried to about 1e-31 relative), which dominates next to multiples of π
// where sin is tiny: measured 2e-29 at x ≈ 91, 8e-29 at x ≈ 314.
func sinErr(x, s float64) float64 { return ulp(s) + 1e-30*(1+math.Abs(x)) }

// TestCParity compares every value function with the C reference. Where the
// formula calls no transcendental function the result must be bit-identical.
// Where it does, Go's math and glibc may differ by one ulp in each call
// (libm.go), so the allowed difference is that one-ulp-per-call error
// propagated through the formula (plus two ulps of the result); this is
// large next to a Bragg peak, where C's own sincg and sinc3 cancel.
func TestCParity(t *testing.T) {
	cases := readCReference(t)
	type tally struct {
		n, exact  int
		worst     uint64
		worstLine int
	}
	stats := map[string]*tally{}
	check := func(c cCase, name string, got, want, slack float64) {
		s := stats[name]
		if s == nil {
			s = &tally{}
			stats[name] = s
		}
		s.n++
		d := ulpDiff(got, want)
		if d == 0 {
			s.exact++
			return
		}
		if d > s.worst {
			s.worst, s.worstLine = d, c.line
		}
		if !(math.Abs(got-want) <= slack) {
			t.Errorf("%s, c_reference.txt line %d: got %v, C %v (diff %g, %d ulp; allowed %g)",
				name, c.line, got, want, got-want, d, slack)
		}
	}
	// exact checks the C order: given C's own libm values, the Go formula
	// must give C's result bit for bit.
	exact := func(c cCase, name string, got, want float64) {
		t.Helper()
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%s, c_reference.txt line %d: got %v, C %v (%d ulp): evaluation order differs",
				name, c.line, got, want, ulpDiff(got, want))
		}
	}
	v3 := func(v []float64) [3]float64 { return [3]float64{v[0], v[1], v[2]} }
	sinc3Slack := func(x float64) float64 {
		if x == 0 {
			return 0
		}
		return 3 * (ulp(math.Sin(x))/math.Abs(x) + ulp(math.Cos(x))) / (x * x)
	}
	for _, c := range cases {
		v := c.v
		switch c.tag {
		case "sincg":
			x, n := v[0], v[1]
			s1, s2 := math.Sin(x*n), math.Sin(x)
			r := s1 / s2
			e1, e2 := sinErr(x*n, s1), sinErr(x, s2)
			check(c, "Sincg", Sincg(x, n), v[2], e1/math.Abs(s2)+math.Abs(r)*e2/math.Abs(s2)+2*ulp(r))
		case "sinc3":
			got := Sinc3(v[0])
			check(c, "Sinc3", got, v[1], sinc3Slack(v[0])+4*ulp(got))
			if v[0] != 0 {
				exact(c, "sinc3 formula with C's sin, cos", sinc3Parts(v[0], v[2], v[3]), v[1])
			}
		case "round":
			got := LatticeRound(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9])
			x := math.Pi * math.Sqrt(hradSqr(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8])*v[9])
			check(c, "LatticeRound", got, v[10], v[6]*v[7]*v[8]*roundShapeScale*sinc3Slack(x)+4*ulp(got))
			exact(c, "round sinc3 argument", x, v[11])
			exact(c, "round F with C's sinc3", v[6]*v[7]*v[8]*roundShapeScale*v[12], v[10])
		case "star":
			dx, dy, dz := RecipDistance(v[0], v[1], v[2], v[3], v[4], v[5], v3(v[6:]), v3(v[9:]), v3(v[12:]))
			check(c, "RecipDistance", dx, v[19], 0)
			check(c, "RecipDistance", dy, v[20], 0)
			check(c, "RecipDistance", dz, v[21], 0)
			got := LatticeGauss(v[19], v[20], v[21], v[15], v[16], v[17], v[18])
			check(c, "LatticeGauss", got, v[22], v[15]*v[16]*v[17]*ulp(got/(v[15]*v[16]*v[17]))+2*ulp(got))
			exact(c, "gauss exponent", gaussExponent(v[19], v[20], v[21], v[15], v[16], v[17], v[18]), v[24])
			exact(c, "gauss F with C's exp", v[15]*v[16]*v[17]*v[25], v[22])
			check(c, "LatticeTophat", LatticeTophat(v[19], v[20], v[21], v[15], v[16], v[17], v[18]), v[23], 0)
		case "polar":
			kahn := v[0]
			got := Polarization(kahn, v3(v[1:]), v3(v[4:]), v3(v[7:]))
			slack := 0.0
			if kahn != 0 {
				i, _ := unitize(v3(v[1:]))
				d, _ := unitize(v3(v[4:]))
				f := NewPolarFrame(v3(v[1:]), v3(v[7:]))
				psi, _ := f.psiOf(d)
				cc := dot(i, d)
				dcos := 2*math.Abs(math.Sin(2*psi))*ulp(psi) + ulp(math.Cos(2*psi))
				slack = 0.5*math.Abs(kahn)*(1-cc*cc)*dcos + 2*ulp(got)
			}
			check(c, "Polarization", got, v[10], slack)
			// C's intermediates: cos²2θ, sin²2θ, B_out, E_out, ψ, cos(2ψ)
			i, _ := unitize(v3(v[1:]))
			d, _ := unitize(v3(v[4:]))
			c2 := float64(dot(i, d) * dot(i, d))
			exact(c, "polar cos²2θ", c2, v[11])
			exact(c, "polar sin²2θ", 1-c2, v[12])
			if kahn != 0 {
				f := NewPolarFrame(v3(v[1:]), v3(v[7:]))
				_, st := f.psiOf(d)
				exact(c, "polar B_out", st.bo, v[13])
				exact(c, "polar E_out", st.eo, v[14])
			}
			exact(c, "polar formula with C's cos(2ψ)", polarizationParts(kahn, v[11], v[12], v[16]), v[10])
		case "omega":
			check(c, "SolidAngle", SolidAngle(v[0], v[1], v[2], false), v[3], 0)
			check(c, "SolidAngle", SolidAngle(v[0], v[1], v[2], true), v[4], 0)
		case "capture":
			layer := int(v[0])
			got := CaptureFraction(layer, v[1], v[2], v[3])
			e0 := math.Exp(float64(-layer) * v[1] * v[2] / v[3])
			check(c, "CaptureFraction", got, v[4], ulp(e0)+ulp(e0-got)+2*ulp(got))
			a0, a1 := captureExponents(layer, v[1], v[2], v[3])
			exact(c, "capture exponent 0", a0, v[5])
			exact(c, "capture exponent 1", a1, v[6])
			exact(c, "capture with C's exp", v[7]-v[8], v[4])
		case "polin3":
			var ha, ka, la [4]float64
			for j := range 4 {
				ha[j], ka[j], la[j] = v[3]+float64(j), v[4]+float64(j), v[5]+float64(j)
			}
			var f [4][4][4]float64
			for i := range 64 {
				f[i/16][(i/4)%4][i%4] = v[6+i]
			}
			check(c, "Polin3", Polin3(ha, ka, la, &f, v[0], v[1], v[2]), v[70], 0)
		case "ceil":
			check(c, "RoundHalfUp", float64(RoundHalfUp(v[0])), v[1], 0)
		default:
			t.Fatalf("c_reference.txt line %d: unknown tag %q", c.line, c.tag)
		}
	}
	for _, name := range []string{"Sincg", "Sinc3", "LatticeRound", "RecipDistance", "LatticeGauss",
		"LatticeTophat", "Polarization", "SolidAngle", "CaptureFraction", "Polin3", "RoundHalfUp"} {
		s := stats[name]
		if s == nil {
			t.Errorf("no C reference cases for %s", name)
			continue
		}
		t.Logf("%-16s %4d cases, %4d bit-identical, worst %d ulp (line %d)", name, s.n, s.exact, s.worst, s.worstLine)
	}
}
