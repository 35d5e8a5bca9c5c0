package dials

import (
	"bytes"
	"io"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"gobragg/config"
	"gobragg/imageio"
	"gobragg/sim"
)

// runGobragg runs one plain simulation in-process.
func runGobragg(t *testing.T, args []string) {
	t.Helper()
	s, err := config.Parse(args)
	require.NoError(t, err)
	p, err := sim.Prepare(s, sim.Dirs{})
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, p.Simulate(&out))
}

func readCBF(r io.Reader, name string) (*imageio.CBF, error) { return imageio.ReadCBF(r, name) }

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
