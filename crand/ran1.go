package crand

// Constants of Numerical Recipes' ran1 (Park-Miller minimal standard
// generator with a Bays-Durham shuffle), as #defined in nanoBragg.
const (
	ranIA   = 16807
	ranIM   = 2147483647
	ranAM   = 1.0 / ranIM
	ranIQ   = 127773
	ranIR   = 2836
	ranNTAB = 32
	ranNDIV = 1 + (ranIM-1)/ranNTAB
	ranEPS  = 1.2e-7
	ranRNMX = 1.0 - ranEPS
)

// Generator holds every piece of static state of nanoBragg's random number
// routines for one run of the program: ran1's shuffle table, gaussdev's
// spare deviate and poidev's cached constants. The zero value is not ready
// for use; call New.
type Generator struct {
	// ran1
	iy int64
	iv [ranNTAB]int64

	// gaussdev
	iset int
	gset float32

	// poidev
	sq, alxm, g, oldm float32
}

// New returns a Generator in the state C starts in: ran1 not yet
// initialised (iy = 0), no spare Gaussian deviate, and poidev's last mean
// set to -1.
func New() *Generator {
	return &Generator{oldm: -1}
}

// Ran1 returns a uniform deviate in (0, 1) (at most 1-1.2e-7) and advances
// *idum, exactly as nanoBragg's ran1. A negative (or zero) *idum, or the
// first call of the Generator, (re)loads the shuffle table; on the first
// call a positive *idum is replaced by 1 before loading, as in C.
func (g *Generator) Ran1(idum *int64) float32 {
	if *idum <= 0 || g.iy == 0 {
		if -(*idum) < 1 {
			*idum = 1
		} else {
			*idum = -(*idum)
		}
		for j := ranNTAB + 7; j >= 0; j-- {
			k := *idum / ranIQ
			*idum = ranIA*(*idum-k*ranIQ) - ranIR*k
			if *idum < 0 {
				*idum += ranIM
			}
			if j < ranNTAB {
				g.iv[j] = *idum
			}
		}
		g.iy = g.iv[0]
	}
	k := *idum / ranIQ
	*idum = ranIA*(*idum-k*ranIQ) - ranIR*k
	if *idum < 0 {
		*idum += ranIM
	}
	j := g.iy / ranNDIV
	g.iy = g.iv[j]
	g.iv[j] = *idum
	temp := float32(ranAM * float64(g.iy))
	if float64(temp) > ranRNMX {
		return float32(ranRNMX)
	}
	return temp
}
