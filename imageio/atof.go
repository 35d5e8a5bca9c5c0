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
	i, digits := mantissaEnd(s, isDigit)
	if digits == 0 {
		return 0
	}
	return exponentEnd(s, i, "eE")
}

// hexPrefix reads the hexadecimal mantissa and optional binary exponent
// that follow "0x".
func hexPrefix(s string) (float64, bool) {
	i, digits := mantissaEnd(s, isHexDigit)
	if digits == 0 {
		return 0, false
	}
	exp := "p0"
	if k := exponentEnd(s, i, "pP"); k > i {
		exp = s[i:k]
	}
	v, _ := strconv.ParseFloat("0x"+s[:i]+exp, 64)
	return v, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// mantissaEnd returns the end of the prefix of s of the form
// digits [. digits], for the digits that digit accepts, and how many digits
// it holds.
func mantissaEnd(s string, digit func(byte) bool) (end, digits int) {
	i := 0
	for i < len(s) && digit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && digit(s[i]) {
			i++
			digits++
		}
	}
	return i, digits
}

// exponentEnd returns the end of the exponent that starts at s[i]: one of
// the letters in marks, an optional sign and at least one decimal digit. It
// returns i when there is no such exponent.
func exponentEnd(s string, i int, marks string) int {
	if i >= len(s) || !strings.ContainsRune(marks, rune(s[i])) {
		return i
	}
	j := i + 1
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	k := j
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if k == j {
		return i
	}
	return k
}
