package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// Environment variables that name a task of an array job.
const (
	// SlurmIndexVar is set by Slurm in each task of a job array (sbatch --array=0-N).
	SlurmIndexVar = "SLURM_ARRAY_TASK_ID"
	// KubernetesIndexVar is set by Kubernetes in each pod of an Indexed Job.
	KubernetesIndexVar = "JOB_COMPLETION_INDEX"
)

// MaxCount bounds COUNT so that a typo (a seed pasted as a count) is
// refused instead of making millions of empty shards.
const MaxCount = 1000000

// MaxItems bounds the items of a dataset that ParseRange accepts.
const MaxItems = 1 << 24

// Spec is one shard of a dataset: Index in [0, Count).
type Spec struct {
	Index, Count int
}

// String returns "INDEX/COUNT".
func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Parse reads "INDEX/COUNT" or "auto/COUNT". For auto, the index comes from
// getenv(SLURM_ARRAY_TASK_ID), else getenv(JOB_COMPLETION_INDEX); it is an
// error when neither is set or when they disagree. The Slurm task id is
// used as is (not offset by SLURM_ARRAY_TASK_MIN), so that resubmitting
// only a failed task with --array=2 renders shard 2 again; the array must
// therefore be numbered from 0.
func Parse(value string, getenv func(string) string) (Spec, error) {
	idx, cnt, ok := strings.Cut(value, "/")
	if !ok {
		return Spec{}, fmt.Errorf("-shard %q: want INDEX/COUNT or auto/COUNT (INDEX from 0)", value)
	}
	count, err := strconv.Atoi(cnt)
	if err != nil || count < 1 || count > MaxCount {
		return Spec{}, fmt.Errorf("-shard %q: COUNT must be an integer from 1 to %d", value, MaxCount)
	}
	source := "INDEX"
	if idx == "auto" {
		source, idx, err = autoIndex(getenv)
		if err != nil {
			return Spec{}, fmt.Errorf("-shard %q: %v", value, err)
		}
	}
	index, err := strconv.Atoi(strings.TrimSpace(idx))
	if err != nil {
		return Spec{}, fmt.Errorf("-shard %q: %s %q is not an integer", value, source, idx)
	}
	if index < 0 || index >= count {
		hint := ""
		if source != "INDEX" {
			hint = fmt.Sprintf(" (number the array from 0: --array=0-%d, or completions: %d)", count-1, count)
		}
		return Spec{}, fmt.Errorf("-shard %q: %s %d is outside 0..%d%s", value, source, index, count-1, hint)
	}
	return Spec{Index: index, Count: count}, nil
}

// autoIndex returns the variable that names this task and its value.
func autoIndex(getenv func(string) string) (name, value string, err error) {
	slurm, k8s := getenv(SlurmIndexVar), getenv(KubernetesIndexVar)
	switch {
	case slurm != "" && k8s != "" && strings.TrimSpace(slurm) != strings.TrimSpace(k8s):
		return "", "", fmt.Errorf("%s=%s and %s=%s disagree", SlurmIndexVar, slurm, KubernetesIndexVar, k8s)
	case slurm != "":
		return SlurmIndexVar, slurm, nil
	case k8s != "":
		return KubernetesIndexVar, k8s, nil
	}
	return "", "", fmt.Errorf("auto needs %s (a Slurm array task) or %s (a Kubernetes Indexed Job); neither is set", SlurmIndexVar, KubernetesIndexVar)
}

// Block returns the shard's contiguous share of the items first..last
// (inclusive): the first (n mod Count) shards get one item more than the
// others. When there are more shards than items, some shards get none and
// empty is true.
func (s Spec) Block(first, last int) (lo, hi int, empty bool) {
	n := last - first + 1
	if n <= 0 {
		return 0, 0, true
	}
	size, extra := n/s.Count, n%s.Count
	lo = first + s.Index*size + min(s.Index, extra)
	hi = lo + size - 1
	if s.Index < extra {
		hi++
	}
	return lo, hi, hi < lo
}

// ParseRange reads a range of item numbers: "N" (1 to N) or "FIRST-LAST"
// (inclusive, FIRST >= 0, as DIALS numbers split experiments from 0).
func ParseRange(v string) (first, last int, err error) {
	first = 1
	if a, b, ok := strings.Cut(v, "-"); ok && a != "" {
		if first, err = strconv.Atoi(a); err == nil {
			last, err = strconv.Atoi(b)
		}
	} else {
		last, err = strconv.Atoi(v)
	}
	if err != nil || first < 0 || last < first || last-first >= MaxItems {
		return 0, 0, fmt.Errorf("%q is not N or FIRST-LAST (0 <= FIRST <= LAST, at most %d items)", v, MaxItems)
	}
	return first, last, nil
}
