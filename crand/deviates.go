package crand

import "math"

// Gaussdev returns a normal deviate (mean 0, rms 1) by the polar Box-Muller
// method of nanoBragg's gaussdev. Deviates come in pairs: every other call
// returns the spare one kept from the previous call without drawing.
func (g *Generator) Gaussdev(idum *int64) float32 {
	if g.iset != 0 {
		g.iset = 0
		return g.gset
	}
	var v1, v2, rsq float32
	for {
		v1 = float32(2.0*float64(g.Ran1(idum)) - 1.0)
		v2 = float32(2.0*float64(g.Ran1(idum)) - 1.0)
		rsq = float32(v1*v1) + float32(v2*v2)
		if !(rsq >= 1.0 || rsq == 0) {
			break
		}
	}
	r := float64(rsq)
	fac := float32(math.Sqrt(-2.0 * math.Log(r) / r))
	g.gset = v1 * fac
	g.iset = 1
	return v2 * fac
}

// Poidev returns a Poisson deviate of mean xm (a whole number stored in a
// float32), as nanoBragg's poidev: the product-of-uniforms method below a
// mean of 12, Lorentzian rejection from 12 to 1e6, and the Gaussian
// approximation xm + sqrt(xm)*gaussdev above 1e6 (which is not rounded to a
// whole number). The constants for the last mean are cached, as in C.
func (g *Generator) Poidev(xm float32, idum *int64) float32 {
	if float64(xm) > 1.0e6 {
		return float32(float64(xm) + float64(math.Sqrt(float64(xm))*float64(g.Gaussdev(idum))))
	}
	var em, t float32
	if float64(xm) < 12.0 {
		if xm != g.oldm {
			g.oldm = xm
			g.g = float32(math.Exp(float64(-xm)))
		}
		em = -1
		t = 1.0
		for {
			em++
			t *= g.Ran1(idum)
			if !(t > g.g) {
				break
			}
		}
		return em
	}
	if xm != g.oldm {
		g.oldm = xm
		g.sq = float32(math.Sqrt(2.0 * float64(xm)))
		g.alxm = float32(math.Log(float64(xm)))
		g.g = float32(xm*g.alxm) - Gammln(float32(float64(xm)+1.0))
	}
	for {
		var y float32
		for {
			y = float32(math.Tan(math.Pi * float64(g.Ran1(idum))))
			em = float32(g.sq*y) + xm
			if !(float64(em) < 0.0) {
				break
			}
		}
		em = float32(math.Floor(float64(em)))
		arg := float32(float32(em*g.alxm)-Gammln(float32(float64(em)+1.0))) - g.g
		t = float32(0.9 * (1.0 + float64(y*y)) * math.Exp(float64(arg)))
		if !(g.Ran1(idum) > t) {
			break
		}
	}
	return em
}

// gammlnCof are the Lanczos coefficients of Numerical Recipes' gammln.
var gammlnCof = [6]float64{76.18009172947146, -86.50532032941677,
	24.01409824083091, -1.231739572450155,
	0.1208650973866179e-2, -0.5395239384953e-5}

// Gammln returns ln(Gamma(xx)) for xx > 0 by the Lanczos approximation of
// nanoBragg's gammln, evaluated in float64 and rounded to float32. It keeps
// no state. xx <= 0 gives a meaningless value (NaN or Inf), as in C.
func Gammln(xx float32) float32 {
	x := float64(xx)
	y := x
	tmp := x + 5.5
	tmp -= float64((x + 0.5) * math.Log(tmp))
	ser := 1.000000000190015
	for _, c := range gammlnCof {
		y++
		ser += c / y
	}
	return float32(-tmp + math.Log(2.5066282746310005*ser/x))
}
