package shard

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestParse(t *testing.T) {
	cases := []struct {
		value string
		env   map[string]string
		want  Spec
		err   string // substring of the error; "" for success
	}{
		{"0/1", nil, Spec{0, 1}, ""},
		{"3/4", nil, Spec{3, 4}, ""},
		{"auto/4", map[string]string{SlurmIndexVar: "2"}, Spec{2, 4}, ""},
		{"auto/4", map[string]string{KubernetesIndexVar: "1"}, Spec{1, 4}, ""},
		{"auto/4", map[string]string{SlurmIndexVar: "3", KubernetesIndexVar: "3"}, Spec{3, 4}, ""},
		{"auto/4", nil, Spec{}, "neither is set"},
		{"auto/4", map[string]string{SlurmIndexVar: "1", KubernetesIndexVar: "2"}, Spec{}, "disagree"},
		{"auto/4", map[string]string{SlurmIndexVar: "4"}, Spec{}, "--array=0-3"},
		{"auto/4", map[string]string{SlurmIndexVar: "x"}, Spec{}, "SLURM_ARRAY_TASK_ID \"x\" is not an integer"},
		{"4/4", nil, Spec{}, "outside 0..3"},
		{"-1/4", nil, Spec{}, "outside 0..3"},
		{"1/0", nil, Spec{}, "COUNT must be"},
		{"1/x", nil, Spec{}, "COUNT must be"},
		{"1", nil, Spec{}, "want INDEX/COUNT"},
		{"a/2", nil, Spec{}, "INDEX \"a\" is not an integer"},
	}
	for _, c := range cases {
		got, err := Parse(c.value, env(c.env))
		if c.err == "" {
			require.NoError(t, err, c.value)
			assert.Equal(t, c.want, got, c.value)
			continue
		}
		require.Error(t, err, c.value)
		assert.Contains(t, err.Error(), c.err, c.value)
		assert.True(t, strings.HasPrefix(err.Error(), "-shard "), "error names the option: %v", err)
	}
}

// Blocks of every shard count cover first..last exactly once, in order,
// with sizes that differ by at most one.
func TestBlockCoversOnce(t *testing.T) {
	for _, r := range [][2]int{{1, 16}, {1, 1}, {5, 17}, {1, 3}, {0, 99}} {
		n := r[1] - r[0] + 1
		for count := 1; count <= n+3; count++ {
			next, minSize, maxSize := r[0], n, 0
			for i := 0; i < count; i++ {
				lo, hi, empty := Spec{i, count}.Block(r[0], r[1])
				size := 0
				if !empty {
					require.Equal(t, next, lo, "range %v shard %d/%d starts where the previous ended", r, i, count)
					size = hi - lo + 1
					next = hi + 1
				}
				minSize, maxSize = min(minSize, size), max(maxSize, size)
			}
			assert.Equal(t, r[1]+1, next, "range %v count %d covers every item", r, count)
			assert.LessOrEqual(t, maxSize-minSize, 1, "range %v count %d balanced", r, count)
		}
	}
}

func ExampleSpec_Block() {
	for i := 0; i < 3; i++ {
		lo, hi, _ := Spec{Index: i, Count: 3}.Block(1, 16)
		fmt.Printf("shard %d/3: frames %d-%d\n", i, lo, hi)
	}
	// Output:
	// shard 0/3: frames 1-6
	// shard 1/3: frames 7-11
	// shard 2/3: frames 12-16
}

func TestParseRange(t *testing.T) {
	for v, want := range map[string][2]int{"4": {1, 4}, "0-9": {0, 9}, "5-5": {5, 5}} {
		first, last, err := ParseRange(v)
		require.NoError(t, err, v)
		assert.Equal(t, want, [2]int{first, last}, v)
	}
	for _, v := range []string{"", "0", "x", "3-2", "-1-4", "1-", "1-x"} {
		_, _, err := ParseRange(v)
		assert.Error(t, err, v)
	}
}
