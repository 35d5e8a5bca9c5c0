package symop

import (
	"fmt"
	"strconv"
	"strings"
)

// Den is the denominator of operator translations: twenty-fourths of a
// cell hold every translation of the 230 space groups (1/2, 1/3, 1/4,
// 1/6, 1/8 and their multiples).
const Den = 24

// Op is a symmetry operator x' = Rot x + Tran/Den in fractional
// coordinates; Tran is kept in [0, Den).
type Op struct {
	Rot  [3][3]int
	Tran [3]int
}

// Identity is x,y,z.
var Identity = Op{Rot: [3][3]int{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}

// Parse reads one operator triplet such as "-Y,X,Z+1/4" or
// "x-y,x,z+1/6" (case and spaces do not matter; translations are
// fractions or decimals that are whole twenty-fourths).
func Parse(s string) (Op, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return Op{}, fmt.Errorf("operator %q: want three comma-separated expressions in x, y, z", s)
	}
	var op Op
	for i, p := range parts {
		row, tran, err := parseExpr(p)
		if err != nil {
			return Op{}, fmt.Errorf("operator %q: %v", s, err)
		}
		op.Rot[i] = row
		op.Tran[i] = mod(tran, Den)
	}
	if d := op.det(); d != 1 && d != -1 {
		return Op{}, fmt.Errorf("operator %q: its rotation has determinant %d, not +-1", s, d)
	}
	return op, nil
}

// parseExpr reads one component: a sum of signed terms, each x, y, z
// (with an optional integer factor, as 2x) or a number.
func parseExpr(e string) (row [3]int, tran int, err error) {
	e = strings.ToLower(strings.ReplaceAll(e, " ", ""))
	if e == "" {
		return row, 0, fmt.Errorf("an empty expression")
	}
	for len(e) > 0 {
		sign := 1
		switch e[0] {
		case '+':
			e = e[1:]
		case '-':
			sign, e = -1, e[1:]
		}
		n := strings.IndexAny(e, "+-")
		if n < 0 {
			n = len(e)
		}
		term := e[:n]
		e = e[n:]
		if term == "" {
			return row, 0, fmt.Errorf("a sign without a term")
		}
		if axis := strings.IndexByte("xyz", term[len(term)-1]); axis >= 0 {
			k := 1
			if f := strings.TrimSuffix(term[:len(term)-1], "*"); f != "" {
				if k, err = strconv.Atoi(f); err != nil {
					return row, 0, fmt.Errorf("term %q: factor %q is not an integer", term, f)
				}
			}
			row[axis] += sign * k
			continue
		}
		t, err := parseFraction(term)
		if err != nil {
			return row, 0, err
		}
		tran += sign * t
	}
	return row, tran, nil
}

// parseFraction reads "1/2", "3/4", "0.5" or "1" in twenty-fourths.
func parseFraction(t string) (int, error) {
	num, den := t, "1"
	if a, b, ok := strings.Cut(t, "/"); ok {
		num, den = a, b
	}
	n, err1 := strconv.ParseFloat(num, 64)
	d, err2 := strconv.ParseFloat(den, 64)
	if err1 != nil || err2 != nil || d == 0 {
		return 0, fmt.Errorf("term %q is neither x, y, z nor a fraction", t)
	}
	v := n / d * Den
	r := int(v + 0.5)
	if v < 0 {
		r = -int(-v + 0.5)
	}
	if d := v - float64(r); d > 1e-6 || d < -1e-6 {
		return 0, fmt.Errorf("translation %q is not a whole number of twenty-fourths of a cell", t)
	}
	return r, nil
}

func mod(a, n int) int { return ((a % n) + n) % n }

func (o Op) det() int {
	r := o.Rot
	return r[0][0]*(r[1][1]*r[2][2]-r[1][2]*r[2][1]) - r[0][1]*(r[1][0]*r[2][2]-r[1][2]*r[2][0]) +
		r[0][2]*(r[1][0]*r[2][1]-r[1][1]*r[2][0])
}

// Mul is the operator o after p: x -> o(p(x)).
func (o Op) Mul(p Op) Op {
	var out Op
	for i := range 3 {
		t := o.Tran[i]
		for j := range 3 {
			t += o.Rot[i][j] * p.Tran[j]
			for k := range 3 {
				out.Rot[i][j] += o.Rot[i][k] * p.Rot[k][j]
			}
		}
		out.Tran[i] = mod(t, Den)
	}
	return out
}

// ApplyHKL maps Miller indices as the operator maps the reflections:
// h' = h Rot (the row vector h times the rotation).
func (o Op) ApplyHKL(h [3]int) [3]int {
	var out [3]int
	for j := range 3 {
		for i := range 3 {
			out[j] += h[i] * o.Rot[i][j]
		}
	}
	return out
}

// String writes the operator as gemmi and CCP4 do: "-Y,X,Z+1/4".
func (o Op) String() string {
	var parts [3]string
	for i := range 3 {
		var b strings.Builder
		for j, c := range "XYZ" {
			switch k := o.Rot[i][j]; {
			case k == 1:
				if b.Len() > 0 {
					b.WriteByte('+')
				}
			case k == -1:
				b.WriteByte('-')
			case k > 0 && b.Len() > 0:
				fmt.Fprintf(&b, "+%d*", k)
			case k != 0:
				fmt.Fprintf(&b, "%d*", k)
			default:
				continue
			}
			b.WriteRune(c)
		}
		if t := o.Tran[i]; t != 0 {
			if b.Len() > 0 {
				b.WriteByte('+')
			}
			g := gcd(t, Den)
			fmt.Fprintf(&b, "%d/%d", t/g, Den/g)
		}
		if b.Len() == 0 {
			b.WriteByte('0')
		}
		parts[i] = b.String()
	}
	return strings.Join(parts[:], ",")
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
