package physics

import "testing"

var sink float64

func BenchmarkSincg(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += Sincg(3.14159*float64(i%100)*0.0137, 36)
	}
}

func BenchmarkLatticeSquareGrad(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		f, dh, dk, dl, dna, dnb, dnc := LatticeSquareGrad(float64(i%100)*0.013, 1.02, -2.003, 36, 47, 29)
		sink += f + dh + dk + dl + dna + dnb + dnc
	}
}

func BenchmarkPolarizationGrad(b *testing.B) {
	inc, dif, axis := [3]float64{1, 0, 0}, [3]float64{0.99, 0.1, 0.05}, [3]float64{0, 0, 1}
	for b.Loop() {
		p, gi, gd, gk := PolarizationGrad(0.9, inc, dif, axis)
		sink += p + gi[0] + gd[1] + gk
	}
}

func BenchmarkPolin3Grad(b *testing.B) {
	var r rng = 1
	ha, ka, la, f, h, k, l := interpCase(&r)
	for b.Loop() {
		v, dh, _, _, _ := Polin3Grad(ha, ka, la, &f, h, k, l)
		sink += v + dh
	}
}
