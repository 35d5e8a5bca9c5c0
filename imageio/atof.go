package imageio

import (
	"math"
	"strconv"
	"strings"
)

// cString returns b up to its first NUL byte: the text C's string
// functions see in a buffer.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// isCSpace reports whether c is a C isspace() character in the C locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// atof mimics C's atof (strtod in the C locale): leading white space is
// skipped, the longest prefix that reads as a decimal or hexadecimal
// number, "inf", "infinity" or "nan" is converted, and 0 is returned when
// there is no such prefix. Out-of-range values give ±Inf or 0 as strtod.
func atof(s string) float64 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	s = s[i:]
	neg := false
	body := s
	if len(body) > 0 && (body[0] == '+' || body[0] == '-') {
		neg = body[0] == '-'
		body = body[1:]
	}
	sign := 1.0
	if neg {
		sign = -1
	}
	lower := strings.ToLower(body)
	switch {
	case strings.HasPrefix(lower, "inf"):
		return sign * math.Inf(1)
	case strings.HasPrefix(lower, "nan"):
		return math.Copysign(math.NaN(), sign)
	case strings.HasPrefix(lower, "0x"):
		if v, ok := hexPrefix(body[2:]); ok {
			return sign * v
		}
		// "0x" without hex digits reads as the number 0.
		return sign * 0
	}
	n := decimalPrefix(body)
	if n == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(body[:n], 64) // range errors still give ±Inf or 0
	return sign * v
}

// decimalPrefix returns the length of the longest prefix of s of the form
// digits [. digits] [e [sign] digits] with at least one mantissa digit.
func decimalPrefix(s string) int {
	i, digits := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

// hexPrefix reads the hexadecimal mantissa and optional binary exponent
// that follow "0x".
func hexPrefix(s string) (float64, bool) {
	isHex := func(c byte) bool {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
	}
	i, digits := 0, 0
	for i < len(s) && isHex(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHex(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	exp := "p0"
	if i < len(s) && (s[i] == 'p' || s[i] == 'P') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			exp = s[i:k]
		}
	}
	v, _ := strconv.ParseFloat("0x"+s[:i]+exp, 64)
	return v, true
}
