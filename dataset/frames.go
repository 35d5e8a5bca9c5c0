package dataset

import (
	"fmt"

	"gobragg/shard"
)

// ParseFrames reads -frames (or -n): "N" (frames 1 to N) or "FIRST-LAST"
// (inclusive, 1-based), and returns the frame numbers in order. The range
// syntax and its size bound are shard.ParseRange's; frames also start at 1.
func ParseFrames(v string) ([]int, error) {
	first, last, err := shard.ParseRange(v)
	if err != nil || first < 1 {
		return nil, fmt.Errorf("%q is not N or FIRST-LAST of frames numbered from 1 (1 <= FIRST <= LAST, at most %d frames)", v, shard.MaxItems)
	}
	out := make([]int, 0, last-first+1)
	for i := first; i <= last; i++ {
		out = append(out, i)
	}
	return out, nil
}
