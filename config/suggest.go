package config

import "strings"

// nearestOption returns the known option name closest to name by edit
// distance (ties go to the first in table order).
func nearestOption(name string) string {
	best, bestD := "", -1
	for _, o := range table {
		for _, n := range o.names {
			d := editDistance(name, n)
			if bestD < 0 || d < bestD {
				best, bestD = n, d
			}
		}
	}
	return best
}

// SuggestName returns the name among candidates closest to name by edit
// distance when it is close enough to be a misspelling (at most 2 edits,
// or a third of the name's length), else "". For "did you mean" messages.
func SuggestName(name string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 || bestD > max(2, len(name)/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
