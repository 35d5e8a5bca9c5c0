package libm

import "testing"

var sink float64

func BenchmarkSincos(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		s, c := Sincos(0.1 + 1e-3*float64(i&1023))
		sink += s + c
	}
}

func BenchmarkAtan2(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += Atan2(0.3+1e-3*float64(i&1023), 0.7)
	}
}
