package dataset

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseFrames reads -frames: "N" (frames 1 to N) or "FIRST-LAST"
// (inclusive, 1-based), and returns the frame numbers in order.
func ParseFrames(v string) ([]int, error) {
	first, last := 1, 0
	var err error
	if a, b, ok := strings.Cut(v, "-"); ok && a != "" {
		if first, err = strconv.Atoi(a); err == nil {
			last, err = strconv.Atoi(b)
		}
	} else {
		last, err = strconv.Atoi(v)
	}
	if err != nil {
		return nil, fmt.Errorf("-frames: %q is not N or FIRST-LAST", v)
	}
	if first < 1 || last < first {
		return nil, fmt.Errorf("-frames: %q is not a range of frames numbered from 1 (need 1 <= FIRST <= LAST)", v)
	}
	const maxFrames = 1 << 24
	if last-first >= maxFrames {
		return nil, fmt.Errorf("-frames: %q has more than %d frames", v, maxFrames)
	}
	out := make([]int, 0, last-first+1)
	for i := first; i <= last; i++ {
		out = append(out, i)
	}
	return out, nil
}
