package crystal

import (
	"bytes"
	"testing"
)

// The readers take files from users: whatever the bytes, they return
// reflections or an error, never panic.

func FuzzReadHKL(f *testing.F) {
	for _, s := range []string{"1 2 3 4.5\n", "# c\n-1 0 0 10 extra\n\n", "1 2\n", "1 2 3 nan\n", "1e400 0 0 1\n", "0 0 0 1e308\n9999999 0 0 1\n"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, cparity bool) {
		refl, err := ReadHKL(bytes.NewReader(data), "fuzz.hkl", HKLOptions{CParity: cparity})
		if err == nil && len(refl) > 0 && len(refl) < 1000 {
			NewFGrid(refl, 1)
		}
	})
}

func FuzzReadMat(f *testing.F) {
	f.Add([]byte("1 0 0\n0 1 0\n0 0 1\n"))
	f.Add([]byte("0.01 0 0 0 0.01 0 0 0 0.01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ReadMat(bytes.NewReader(data), "fuzz.mat")
	})
}

func FuzzReadFdump(f *testing.F) {
	var b bytes.Buffer
	if err := WriteFdump(&b, NewFGrid([]Reflection{{1, 2, 3, 4}, {-1, 0, 2, 5}}, 0)); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte("0 0 0 0 0 0\n\f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ReadFdump(bytes.NewReader(data), "fuzz.bin")
	})
}
