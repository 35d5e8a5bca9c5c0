package graph

import (
	"fmt"
	"math"

	"gobragg/dual"
)

// pieceFunc copies values [Off, Off+N) out of a vector of length Total.
type pieceFunc struct {
	Label         string
	Off, N, Total int
}

func (f pieceFunc) Name() string   { return "piece:" + f.Label }
func (f pieceFunc) InSizes() []int { return []int{f.Total} }
func (f pieceFunc) OutSize() int   { return f.N }
func (f pieceFunc) Forward(in [][]float64, out []float64) error {
	copy(out, in[0][f.Off:f.Off+f.N])
	return nil
}
func (f pieceFunc) VJP(in [][]float64, gOut []float64, gIn [][]float64) error {
	copy(gIn[0][f.Off:f.Off+f.N], gOut)
	return nil
}

// selectFunc gathers out[i] = concat(in)[Src[i]]; its VJP scatter-adds.
// Gorgonia's ByIndices scatters into the wrong slots, hence this op.
type selectFunc struct {
	Label string
	Sizes []int
	Src   []int
}

func (f selectFunc) Name() string   { return "select:" + f.Label }
func (f selectFunc) InSizes() []int { return f.Sizes }
func (f selectFunc) OutSize() int   { return len(f.Src) }

func (f selectFunc) locate(j int) (int, int) {
	for i, s := range f.Sizes {
		if j < s {
			return i, j
		}
		j -= s
	}
	panic(fmt.Sprintf("graph: select index out of range in %s", f.Label))
}

func (f selectFunc) Forward(in [][]float64, out []float64) error {
	for i, j := range f.Src {
		a, b := f.locate(j)
		out[i] = in[a][b]
	}
	return nil
}

func (f selectFunc) VJP(in [][]float64, gOut []float64, gIn [][]float64) error {
	for i, j := range f.Src {
		a, b := f.locate(j)
		gIn[a][b] += gOut[i]
	}
	return nil
}

// dualFunc is a Func whose body is written in dual arithmetic; its VJP
// seeds every input with a derivative slot and contracts the exact Jacobian.
// Use it for small geometry (tens of inputs).
type dualFunc struct {
	Label string
	Sizes []int
	Out   int
	Body  func(in [][]dual.Num) ([]dual.Num, error)
	// memo, when set (Graph.Apply sets it), keeps the values and the
	// Jacobian of the last inputs: a graph runs once per span and the
	// Jacobian once per component of the kernel's inputs, all at the same
	// geometry, and the body in dual numbers is what their runs cost.
	memo *dualMemo
}

// dualMemo is a dualFunc's last inputs with its value and its seeded
// evaluation (nil until a VJP at those inputs).
type dualMemo struct {
	in     []float64
	value  []float64
	seeded []dual.Num
}

// at reports whether in are the memo's inputs, bit for bit; if not, it
// forgets the old inputs' results and keeps in.
func (m *dualMemo) at(in [][]float64) bool {
	k, same := 0, true
	for _, v := range in {
		for _, x := range v {
			if k >= len(m.in) || math.Float64bits(m.in[k]) != math.Float64bits(x) {
				same = false
			}
			k++
		}
	}
	if same && k == len(m.in) {
		return true
	}
	m.in, m.value, m.seeded = m.in[:0], nil, nil
	for _, v := range in {
		m.in = append(m.in, v...)
	}
	return false
}

func (f dualFunc) Name() string   { return f.Label }
func (f dualFunc) InSizes() []int { return f.Sizes }
func (f dualFunc) OutSize() int   { return f.Out }

func (f dualFunc) eval(in [][]float64, seed bool) ([]dual.Num, error) {
	total := 0
	for _, s := range f.Sizes {
		total += s
	}
	args := make([][]dual.Num, len(in))
	k := 0
	for i, v := range in {
		args[i] = make([]dual.Num, len(v))
		for j, x := range v {
			if seed {
				args[i][j] = dual.Var(x, k, total)
			} else {
				args[i][j] = dual.C(x)
			}
			k++
		}
	}
	out, err := f.Body(args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Label, err)
	}
	if len(out) != f.Out {
		return nil, fmt.Errorf("%s: body returned %d values, want %d", f.Label, len(out), f.Out)
	}
	return out, nil
}

func (f dualFunc) Forward(in [][]float64, out []float64) error {
	if f.memo != nil && f.memo.at(in) && f.memo.value != nil {
		copy(out, f.memo.value)
		return nil
	}
	res, err := f.eval(in, false)
	if err != nil {
		return err
	}
	for i, v := range res {
		out[i] = v.V
	}
	if f.memo != nil {
		f.memo.value = append([]float64(nil), out...)
	}
	return nil
}

func (f dualFunc) VJP(in [][]float64, gOut []float64, gIn [][]float64) error {
	var res []dual.Num
	if f.memo != nil && f.memo.at(in) && f.memo.seeded != nil {
		res = f.memo.seeded
	} else {
		var err error
		if res, err = f.eval(in, true); err != nil {
			return err
		}
		if f.memo != nil {
			f.memo.seeded = res
		}
	}
	for o, v := range res {
		if gOut[o] == 0 {
			continue
		}
		k := 0
		for i := range gIn {
			for j := range gIn[i] {
				gIn[i][j] += gOut[o] * v.Grad(k)
				k++
			}
		}
	}
	return nil
}

// mosaicFunc applies every mosaic domain's rotation to every phi slot:
// out[r][t][m] = U_m . slot[r][t] (nanoBragg's rotate_umat), or a copy when
// the mosaic spread is zero.
type mosaicFunc struct {
	Slots, NMos int // Slots = 2 * NPhi
	Rotate      bool
}

func (f mosaicFunc) Name() string   { return "mosaic" }
func (f mosaicFunc) InSizes() []int { return []int{f.Slots * 9, f.NMos * 9} }
func (f mosaicFunc) OutSize() int   { return f.Slots * f.NMos * 9 }

func (f mosaicFunc) Forward(in [][]float64, out []float64) error {
	for s := 0; s < f.Slots; s++ {
		ap := in[0][s*9 : s*9+9]
		for m := 0; m < f.NMos; m++ {
			o := out[(s*f.NMos+m)*9 : (s*f.NMos+m)*9+9]
			if !f.Rotate {
				copy(o, ap)
				continue
			}
			u := in[1][m*9 : m*9+9]
			for v := 0; v < 3; v++ {
				x, y, z := ap[3*v], ap[3*v+1], ap[3*v+2]
				o[3*v] = u[0]*x + u[1]*y + u[2]*z
				o[3*v+1] = u[3]*x + u[4]*y + u[5]*z
				o[3*v+2] = u[6]*x + u[7]*y + u[8]*z
			}
		}
	}
	return nil
}

func (f mosaicFunc) VJP(in [][]float64, gOut []float64, gIn [][]float64) error {
	for s := 0; s < f.Slots; s++ {
		ap := in[0][s*9 : s*9+9]
		gap := gIn[0][s*9 : s*9+9]
		for m := 0; m < f.NMos; m++ {
			g := gOut[(s*f.NMos+m)*9 : (s*f.NMos+m)*9+9]
			if !f.Rotate {
				for i := range gap {
					gap[i] += g[i]
				}
				continue
			}
			u := in[1][m*9 : m*9+9]
			gu := gIn[1][m*9 : m*9+9]
			for v := 0; v < 3; v++ {
				x := ap[3*v : 3*v+3]
				gv := g[3*v : 3*v+3]
				for r := 0; r < 3; r++ {
					for c := 0; c < 3; c++ {
						gu[3*r+c] += gv[r] * x[c]
						gap[3*v+c] += u[3*r+c] * gv[r]
					}
				}
			}
		}
	}
	return nil
}
