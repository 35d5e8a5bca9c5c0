package imageio

import (
	"math"
	"testing"
)

// TestFormatG compares FormatG and FormatGPrec with glibc printf output
// ("%g", "%.15g", "%.1g", "%.0g") recorded from a C program for the same
// double values (written as exact hex literals).
func TestFormatG(t *testing.T) {
	cases := []struct {
		x              float64
		g, g15, g1, g0 string
	}{
		{0x0p+0, "0", "0", "0", "0"},
		{math.Copysign(0, -1), "-0", "-0", "-0", "-0"},
		{0x1p+0, "1", "1", "1", "1"},
		{-0x1p+0, "-1", "-1", "-1", "-1"},
		{0x1.9p+6, "100", "100", "1e+02", "1e+02"},
		{0x1.9cccccccccccdp+2, "6.45", "6.45", "6", "6"},
		{0x1.e848p+19, "1e+06", "1000000", "1e+06", "1e+06"},
		{0x1.e847fp+19, "1e+06", "999999.5", "1e+06", "1e+06"},
		{0x1.e847ecccccccdp+19, "999999", "999999.4", "1e+06", "1e+06"},
		{0x1.e8476p+19, "999995", "999995", "1e+06", "1e+06"},
		{0x1.e8475cccccccdp+19, "999995", "999994.9", "1e+06", "1e+06"},
		{0x1.2d687p+20, "1.23457e+06", "1234567", "1e+06", "1e+06"},
		{0x1.e24p+16, "123456", "123456", "1e+05", "1e+05"},
		{0x1.86ap+16, "100000", "100000", "1e+05", "1e+05"},
		{0x1.a36e2eb1c432dp-14, "0.0001", "0.0001", "0.0001", "0.0001"},
		{0x1.4f8b588e368f1p-17, "1e-05", "1e-05", "1e-05", "1e-05"},
		{0x1.02e85be111841p-13, "0.000123457", "0.000123456789", "0.0001", "0.0001"},
		{0x1.421f5f40d8376p-23, "1.5e-07", "1.5e-07", "1e-07", "1e-07"},
		{0x1.b7cdfd9d7bdbbp-34, "1e-10", "1e-10", "1e-10", "1e-10"},
		{0x1.af0230dce4e6ap-34, "9.8e-11", "9.8e-11", "1e-10", "1e-10"},
		{0x1.3333333333334p-2, "0.3", "0.3", "0.3", "0.3"},
		{0x1.5555555555555p-2, "0.333333", "0.333333333333333", "0.3", "0.3"},
		{-0x1.5555555555555p-1, "-0.666667", "-0.666666666666667", "-0.7", "-0.7"},
		{0x1.fffep+15, "65535", "65535", "7e+04", "7e+04"},
		{0x1.96e8824745b0bp+96, "1.25932e+29", "1.25932e+29", "1e+29", "1e+29"},
		{0x1p+53, "9.0072e+15", "9.00719925474099e+15", "9e+15", "9e+15"},
		{0x1.7e43c8800759cp+996, "1e+300", "1e+300", "1e+300", "1e+300"},
		{0x0.0000000000001p-1022, "4.94066e-324", "4.94065645841247e-324", "5e-324", "5e-324"},
		{0x1p-1, "0.5", "0.5", "0.5", "0.5"},
		{0x1.4p+1, "2.5", "2.5", "2", "2"},
		{0x1p-3, "0.125", "0.125", "0.1", "0.1"},
		{0x1.c6bf52634p+49, "1e+15", "1e+15", "1e+15", "1e+15"},
		{0x1.1c37937e08p+53, "1e+16", "1e+16", "1e+16", "1e+16"},
		{0x1.b69b4ba630f35p+56, "1.23457e+17", "1.23456789012346e+17", "1e+17", "1e+17"},
		{0x1.1aaff7c90d79fp+9, "565.375", "565.374749309139", "6e+02", "6e+02"},
		{0x1.4ca6d8ae051dp+2, "5.19768", "5.19768349641932", "5", "5"},
		{-0x1.3ffffd60e94eep+3, "-10", "-9.99999875", "-1e+01", "-1e+01"},
		{0x1.47ae12ad15ca3p-8, "0.005", "0.00499999958", "0.005", "0.005"},
		{-0x1.4f8b588e368f1p-17, "-1e-05", "-1e-05", "-1e-05", "-1e-05"},
		{0x1.f75104d551d69p-16, "3e-05", "3e-05", "3e-05", "3e-05"},
		{0x1.cdcb7d7ef5404p-34, "1.05e-10", "1.05e-10", "1e-10", "1e-10"},
		{0x1.aa9c4a7c996c2p-34, "9.7e-11", "9.7e-11", "1e-10", "1e-10"},
		{0x1.c4ffb0be5e4b4p-34, "1.03e-10", "1.03e-10", "1e-10", "1e-10"},
		{math.NaN(), "nan", "nan", "nan", "nan"},
		{math.Copysign(math.NaN(), -1), "-nan", "-nan", "-nan", "-nan"},
		{math.Inf(1), "inf", "inf", "inf", "inf"},
		{math.Inf(-1), "-inf", "-inf", "-inf", "-inf"},
	}
	for _, c := range cases {
		for _, p := range []struct {
			prec int
			want string
		}{{6, c.g}, {15, c.g15}, {1, c.g1}, {0, c.g0}, {-1, c.g}} {
			got := FormatGPrec(c.x, p.prec)
			if got != p.want {
				t.Errorf("FormatGPrec(%v, %d) = %q, C printf gives %q", c.x, p.prec, got, p.want)
			}
		}
		if got := FormatG(c.x); got != c.g {
			t.Errorf("FormatG(%v) = %q, C printf %%g gives %q", c.x, got, c.g)
		}
	}
}

// TestFormatGLogValues checks numbers as they appear in golden c.log
// lines and SMV headers.
func TestFormatGLogValues(t *testing.T) {
	cases := []struct {
		x    float64
		want string
	}{
		{55000 / 97.28060913085938, "565.375"}, // mosflm_default intfile_scale
		{0.0065 * 1000, "6.5"},
		{-0.0065 * 1000, "-6.5"},
		{0.1 * 1000, "100"},
		{1e-10 * 1e10, "1"},
		{1e29, "1e+29"},
		{2e19 * 2 / 0.02 / 0.02, "1e+23"},
	}
	for _, c := range cases {
		if got := FormatG(c.x); got != c.want {
			t.Errorf("FormatG(%v) = %q, want %q", c.x, got, c.want)
		}
	}
}

func TestAtof(t *testing.T) {
	cases := []struct {
		s    string
		want float64
	}{
		{"512;", 512},
		{"  0.1;\n", 0.1},
		{"-6.5,6.5,-100\n", -6.5},
		{"1e+06;", 1e6},
		{"1e;", 1},
		{"1e+;", 1},
		{".5", 0.5},
		{"5.", 5},
		{"+7x", 7},
		{"abc", 0},
		{"", 0},
		{"-", 0},
		{".", 0},
		{"0x10;", 16},
		{"0x1p-2", 0.25},
		{"0x", 0},
		{"inf", math.Inf(1)},
		{"-Infinity", math.Inf(-1)},
		{"1e999", math.Inf(1)},
		{"\t\v\f\r 3", 3},
	}
	for _, c := range cases {
		if got := atof(c.s); got != c.want {
			t.Errorf("atof(%q) = %v, want %v", c.s, got, c.want)
		}
	}
	if v := atof("nan"); !math.IsNaN(v) {
		t.Errorf("atof(nan) = %v, want NaN", v)
	}
}
