package libm

import "math"

// Powf reproduces glibc's single-precision pow (glibc 2.27 and later on
// x86-64, the algorithm of ARM's optimized-routines: a 16-entry table
// log2, a 32-entry table exp2, both in float64, with the fused
// multiply-adds of the FMA build that glibc selects on current x86-64 CPUs).
// It is exact to the bit against glibc where float32(math.Pow(x, y)) is not:
// glibc's result is not correctly rounded, so near a float32 rounding
// boundary the two differ by one float32 ulp (about 1 call in 2000 for the
// mosaic cap exponent 1/3).
//
// Only finite x > 0 of normal size and finite nonzero y take the table path
// (the only inputs nanoBragg's mosaic_rotation_umat produces); any other
// input falls back to float32(math.Pow(x, y)).
func Powf(x, y float32) float32 {
	ix := math.Float32bits(x)
	iy := math.Float32bits(y)
	if ix-0x00800000 >= 0x7f800000-0x00800000 || 2*iy-1 >= 2*0x7f800000-1 {
		// x subnormal, zero, negative, inf or nan; or y zero, inf or nan.
		return float32(math.Pow(float64(x), float64(y)))
	}
	logx := powfLog2(ix)
	ylogx := float64(y) * logx
	if math.Abs(ylogx) >= 126 {
		// overflow, underflow or subnormal result: not reached by nanoBragg
		return float32(math.Pow(float64(x), float64(y)))
	}
	return float32(powfExp2(ylogx))
}

// powfLog2 returns log2 of the positive normal float32 with bits ix.
func powfLog2(ix uint32) float64 {
	const off = 0x3f330000
	tmp := ix - off
	i := (tmp >> (23 - 4)) % 16
	top := tmp & 0xff800000
	iz := ix - top
	k := int32(top) >> 23
	invc := powfLog2Tab[i][0]
	logc := powfLog2Tab[i][1]
	z := float64(math.Float32frombits(iz))

	// log2(x) = log1p(z/c-1)/ln2 + log2(c) + k
	a := &powfLog2Poly
	r := math.FMA(z, invc, -1)
	y0 := logc + float64(k)
	r2 := r * r
	y := math.FMA(a[0], r, a[1])
	p := math.FMA(a[2], r, a[3])
	r4 := r2 * r2
	q := math.FMA(a[4], r, y0)
	q = math.FMA(p, r2, q)
	return math.FMA(y, r4, q)
}

// powfExp2 returns 2^xd for |xd| < 126.
func powfExp2(xd float64) float64 {
	const shift = 0x1.8p+52 / 32
	kd := xd + shift
	ki := math.Float64bits(kd)
	kd -= shift
	r := xd - kd

	t := exp2fTab[ki%32]
	t += ki << (52 - 5)
	s := math.Float64frombits(t)
	c := &exp2fPoly
	z := math.FMA(c[0], r, c[1])
	r2 := r * r
	y := math.FMA(c[2], r, 1)
	y = math.FMA(z, r2, y)
	return y * s
}

// powfLog2Tab holds {1/c, log2(c)} for the 16 subintervals of the log2
// reduction.
var powfLog2Tab = [16][2]float64{
	{0x1.661ec79f8f3bep+0, -0x1.efec65b963019p-2},
	{0x1.571ed4aaf883dp+0, -0x1.b0b6832d4fca4p-2},
	{0x1.49539f0f010bp+0, -0x1.7418b0a1fb77bp-2},
	{0x1.3c995b0b80385p+0, -0x1.39de91a6dcf7bp-2},
	{0x1.30d190c8864a5p+0, -0x1.01d9bf3f2b631p-2},
	{0x1.25e227b0b8eap+0, -0x1.97c1d1b3b7afp-3},
	{0x1.1bb4a4a1a343fp+0, -0x1.2f9e393af3c9fp-3},
	{0x1.12358f08ae5bap+0, -0x1.960cbbf788d5cp-4},
	{0x1.0953f419900a7p+0, -0x1.a6f9db6475fcep-5},
	{0x1p+0, 0x0p+0},
	{0x1.e608cfd9a47acp-1, 0x1.338ca9f24f53dp-4},
	{0x1.ca4b31f026aap-1, 0x1.476a9543891bap-3},
	{0x1.b2036576afce6p-1, 0x1.e840b4ac4e4d2p-3},
	{0x1.9c2d163a1aa2dp-1, 0x1.40645f0c6651cp-2},
	{0x1.886e6037841edp-1, 0x1.88e9c2c1b9ff8p-2},
	{0x1.767dcf5534862p-1, 0x1.ce0a44eb17bccp-2},
}

// powfLog2Poly approximates log1p(r)/ln2 (highest order first).
var powfLog2Poly = [5]float64{
	0x1.27616c9496e0bp-2, -0x1.71969a075c67ap-2,
	0x1.ec70a6ca7baddp-2, -0x1.7154748bef6c8p-1,
	0x1.71547652ab82bp0,
}

// exp2fTab[i] = bits(2^(i/32)) - (i << 47).
var exp2fTab = [32]uint64{
	0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
	0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
	0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
	0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
	0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
	0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
	0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
	0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
}

// exp2fPoly approximates 2^r - 1 on |r| <= 1/64 (highest order first).
var exp2fPoly = [3]float64{0x1.c6af84b912394p-5, 0x1.ebfce50fac4f3p-3, 0x1.62e42ff0c52d6p-1}
