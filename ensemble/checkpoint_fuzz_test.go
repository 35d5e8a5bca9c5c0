package ensemble

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadCheckpoint: any file gives a checkpoint of finite values or an
// ErrCheckpoint, never a panic.
func FuzzReadCheckpoint(f *testing.F) {
	for _, seed := range []string{
		`{"fingerprint":"a","epoch":2,"iterations":40,"ln_f":[1.5,2,-0.25]}`,
		`{"ln_f":[1e999]}`, `{"ln_f":"x"}`, `[]`, ``, `{"epoch":-1}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "ck.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ck, err := readCheckpoint(path)
		if err != nil {
			if !errors.Is(err, ErrCheckpoint) {
				t.Fatalf("error %v is not an ErrCheckpoint", err)
			}
			return
		}
		for _, v := range ck.LnF {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("checkpoint value %v accepted", v)
			}
		}
	})
}
