package expt

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitAndFindImage(t *testing.T) {
	shot := func(a float64, image string) Shot {
		return Shot{Beam: Beam{Direction: [3]float64{0, 0, 1}, WavelengthA: 1, PolarizationNormal: [3]float64{0, 1, 0}},
			Panel:   Panel{FastAxis: [3]float64{1, 0, 0}, SlowAxis: [3]float64{0, -1, 0}, Origin: [3]float64{-0.5, 0.5, -100}, ImageSize: [2]int{10, 10}, PixelSizeMM: [2]float64{0.1, 0.1}},
			Crystal: &Crystal{RealSpaceA: [3]float64{a, 0, 0}, RealSpaceB: [3]float64{0, 70, 0}, RealSpaceC: [3]float64{0, 0, 80}}, Images: []string{image}}
	}
	dir := t.TempDir()
	l, err := NewList([]Shot{shot(50, filepath.Join(dir, "s_1.img")), shot(60, filepath.Join(dir, "s_2.img"))})
	require.NoError(t, err)
	i, err := l.FindImage(filepath.Join(dir, "x", "..", "s_2.img"))
	require.NoError(t, err)
	assert.Equal(t, 1, i)
	i, err = l.FindImage(filepath.Join(dir, "s_3.img"))
	require.NoError(t, err)
	assert.Equal(t, -1, i)

	one, err := l.Split(1)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, one.Write(&buf))
	back, err := Read(&buf, "split")
	require.NoError(t, err)
	s, err := back.Single("split")
	require.NoError(t, err, "a split experiment is one gobragg can simulate")
	assert.Equal(t, 60.0, s.Crystal.RealSpaceA[0])
	assert.Equal(t, []string{filepath.Join(dir, "s_2.img")}, back.ImageSets[0].Images)
	_, err = l.Split(2)
	assert.ErrorContains(t, err, "experiment 2 is not in the list (2 given)")
}
