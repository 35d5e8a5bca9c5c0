package config

import (
	"math"
	"strconv"
	"strings"
)

// parseFloat reads a finite number for option, or returns a *UsageError
// naming the option.
func parseFloat(option, v string) (float64, error) {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, usagef(option, "value %q is not a number", v)
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, usagef(option, "value %q is not a finite number", v)
	}
	return x, nil
}

// parseInt reads an integer that fits C's int for option.
func parseInt(option, v string) (int, error) {
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, usagef(option, "value %q is not an integer", v)
	}
	return int(n), nil
}

// cAtof mimics C's atof: the longest leading part of v (after white space)
// that reads as a number, or 0 when there is none. It is used only where
// c-parity mode must read an argument the way nanoBragg.c does although the
// argument was never meant as a number (atof("-N") = 0).
func cAtof(v string) float64 {
	v = strings.TrimLeft(v, " \t\n\v\f\r")
	for n := len(v); n > 0; n-- {
		if x, err := strconv.ParseFloat(v[:n], 64); err == nil {
			return x
		} else if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return x
		}
	}
	return 0
}

// isNumber reports whether v reads as a number (finite or not).
func isNumber(v string) bool {
	_, err := strconv.ParseFloat(v, 64)
	return err == nil
}
