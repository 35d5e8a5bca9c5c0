package physics

// Polint returns the cubic Lagrange polynomial through the four points
// (xa[i], ya[i]) evaluated at x, with nanoBragg's four-term formula and
// evaluation order (not Numerical Recipes' Neville scheme). The abscissae
// must be distinct; equal ones divide by zero as in C.
func Polint(xa, ya [4]float64, x float64) float64 {
	x0 := (x - xa[1]) * (x - xa[2]) * (x - xa[3]) * ya[0] / ((xa[0] - xa[1]) * (xa[0] - xa[2]) * (xa[0] - xa[3]))
	x1 := (x - xa[0]) * (x - xa[2]) * (x - xa[3]) * ya[1] / ((xa[1] - xa[0]) * (xa[1] - xa[2]) * (xa[1] - xa[3]))
	x2 := (x - xa[0]) * (x - xa[1]) * (x - xa[3]) * ya[2] / ((xa[2] - xa[0]) * (xa[2] - xa[1]) * (xa[2] - xa[3]))
	x3 := (x - xa[0]) * (x - xa[1]) * (x - xa[2]) * ya[3] / ((xa[3] - xa[0]) * (xa[3] - xa[1]) * (xa[3] - xa[2]))
	return x0 + x1 + x2 + x3
}

// Polin2 returns the bicubic interpolation of ya (ya[i][j] at (x1a[i],
// x2a[j])) at (x1, x2), nested as in nanoBragg: Polint along x2 for each
// row, then Polint along x1 through the four row values.
func Polin2(x1a, x2a [4]float64, ya *[4][4]float64, x1, x2 float64) float64 {
	var tmp [4]float64
	for j := range tmp {
		tmp[j] = Polint(x2a, ya[j], x2)
	}
	return Polint(x1a, tmp, x1)
}

// Polin3 returns the tricubic interpolation of f (f[i][j][m] at (ha[i],
// ka[j], la[m])) at (h, k, l), nested as in nanoBragg: Polin2 over (k, l)
// for each of the four h planes, then Polint along h. nanoBragg uses it for
// F_cell with ha, ka, la the four integers around h, k, l.
func Polin3(ha, ka, la [4]float64, f *[4][4][4]float64, h, k, l float64) float64 {
	var tmp [4]float64
	for j := range tmp {
		tmp[j] = Polin2(ka, la, &f[j], k, l)
	}
	return Polint(ha, tmp, h)
}

// Polin3Grad returns Polin3 (bit for bit) with its derivatives with
// respect to h, k and l and the weights dF[i][j][m] = ∂value/∂f[i][j][m]
// (the interpolation is linear in f, so value = Σ dF·f up to rounding).
// The weights are products of the Lagrange basis polynomials; the index
// derivatives use their derivatives in product form, which is finite at the
// nodes.
func Polin3Grad(ha, ka, la [4]float64, f *[4][4][4]float64, h, k, l float64) (value, dh, dk, dl float64, dF [4][4][4]float64) {
	value = Polin3(ha, ka, la, f, h, k, l)
	wh, gh := lagrangeWeights(ha, h)
	wk, gk := lagrangeWeights(ka, k)
	wl, gl := lagrangeWeights(la, l)
	for i := range 4 {
		for j := range 4 {
			for m := range 4 {
				v := f[i][j][m]
				dF[i][j][m] = wh[i] * wk[j] * wl[m]
				dh += gh[i] * wk[j] * wl[m] * v
				dk += wh[i] * gk[j] * wl[m] * v
				dl += wh[i] * wk[j] * gl[m] * v
			}
		}
	}
	return
}

// lagrangeWeights returns the cubic Lagrange basis L_i(x) on the nodes xa
// and their derivatives L_i'(x) = Σ_{q≠i} Π_{p≠i,q}(x−xa_p) / Π_{p≠i}(xa_i−xa_p).
func lagrangeWeights(xa [4]float64, x float64) (w, dw [4]float64) {
	for i := range 4 {
		den, num := 1.0, 1.0
		dnum := 0.0
		for p := range 4 {
			if p == i {
				continue
			}
			den *= xa[i] - xa[p]
			// product rule: d(num·(x−xa_p)) = dnum·(x−xa_p) + num
			dnum = dnum*(x-xa[p]) + num
			num *= x - xa[p]
		}
		w[i] = num / den
		dw[i] = dnum / den
	}
	return
}
