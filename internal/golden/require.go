package golden

import "testing"

// Require returns the golden manifest for a test. It skips t when the golden
// folder is absent ("golden data not found at ...: skipping parity test")
// and fails t when manifest.json cannot be read or lists no cases.
func Require(t testing.TB) *Manifest {
	t.Helper()
	if _, err := Dir(); err != nil {
		t.Skipf("%v: skipping parity test", err)
	}
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) == 0 {
		t.Fatal("manifest.json lists no cases")
	}
	return m
}
