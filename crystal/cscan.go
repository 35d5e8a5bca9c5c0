package crystal

import (
	"math"
	"strconv"
)

// isCSpace reports whether b is white space for C's isspace in the C locale.
func isCSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == '\r'
}

// skipCSpace returns the index of the first byte at or after i that is not
// C white space.
func skipCSpace(s []byte, i int) int {
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	return i
}

// hasFoldPrefix reports whether s[i:] starts with the lower-case word w,
// ignoring ASCII case.
func hasFoldPrefix(s []byte, i int, w string) bool {
	if len(s)-i < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if s[i+j]|0x20 != w[j] {
			return false
		}
	}
	return true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// scanCFloat reads one number from s starting at i the way fscanf's "%lg"
// does: leading white space is skipped, then the longest prefix of the form
// [sign] digits [. digits] [e [sign] digits], inf, infinity or nan[(...)]
// is taken. It returns the value, the index after the number and whether a
// number was found. As in C, an exponent marker without digits ("1e",
// "2e+") is a matching failure. Decimal overflow gives ±Inf as strtod does.
func scanCFloat(s []byte, i int) (v float64, end int, ok bool) {
	i = skipCSpace(s, i)
	start := i
	j := i
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		j++
	}
	switch {
	case hasFoldPrefix(s, j, "infinity"):
		j += len("infinity")
	case hasFoldPrefix(s, j, "inf"):
		j += len("inf")
	case hasFoldPrefix(s, j, "nan"):
		j += len("nan")
		if j < len(s) && s[j] == '(' {
			k := j + 1
			for k < len(s) && (isDigit(s[k]) || s[k] == '_' || (s[k]|0x20 >= 'a' && s[k]|0x20 <= 'z')) {
				k++
			}
			if k < len(s) && s[k] == ')' {
				j = k + 1
			}
		}
		nan := math.NaN()
		if s[start] == '-' {
			nan = math.Copysign(nan, -1)
		}
		return nan, j, true
	default:
		digits := 0
		for j < len(s) && isDigit(s[j]) {
			j++
			digits++
		}
		if j < len(s) && s[j] == '.' {
			j++
			for j < len(s) && isDigit(s[j]) {
				j++
				digits++
			}
		}
		if digits == 0 {
			return 0, start, false
		}
		if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
			k := j + 1
			if k < len(s) && (s[k] == '+' || s[k] == '-') {
				k++
			}
			if k >= len(s) || !isDigit(s[k]) {
				return 0, start, false
			}
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			j = k
		}
	}
	v, err := strconv.ParseFloat(string(s[start:j]), 64)
	if err != nil {
		// only a range error is possible here: ParseFloat already gives
		// the ±Inf (or 0) that strtod returns
		if ne, isNum := err.(*strconv.NumError); !isNum || ne.Err != strconv.ErrRange {
			return 0, start, false
		}
	}
	return v, j, true
}

// isCInt reports whether tok is an integer as fscanf's "%d" reads it in
// full: optional sign and decimal digits only.
func isCInt(tok []byte) bool {
	i := 0
	if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
		i++
	}
	if i == len(tok) {
		return false
	}
	for ; i < len(tok); i++ {
		if !isDigit(tok[i]) {
			return false
		}
	}
	return true
}
