package sim

import (
	"fmt"
	"io"

	"gobragg/config"
	"gobragg/crystal"
	reflfile "gobragg/refl"
)

// reflectionsFromTable reads -hkl from a DIALS reflection table: the
// starting structure factors of a fit are F = sqrt(max(I, 0)) of its
// integrated intensities, averaged over each hkl's observations (in the
// table's indexing, which is the indexing of the experiment list it came
// with). C reads only text, so c-parity refuses it.
func reflectionsFromTable(r io.Reader, path string, mode config.Mode) ([]crystal.Reflection, error) {
	if mode == config.ModeCParity {
		return nil, fmt.Errorf("hkl %s: a DIALS reflection table; c-parity reads h k l F text as nanoBragg does (use -mode spec)", path)
	}
	t, err := reflfile.Read(r, path)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		name    string
		present bool
	}{{"miller_index", t.HKL != nil}, {"intensity.sum.value", t.IntensitySum != nil}, {"flags", t.Flags != nil}} {
		if !c.present {
			return nil, fmt.Errorf("hkl %s: the table has no %s column to take F from", path, c.name)
		}
	}
	amps := t.Amplitudes()
	if len(amps) == 0 {
		return nil, fmt.Errorf("hkl %s: no integrated reflection (flag integrated_sum with a finite intensity.sum.value) to take F from", path)
	}
	out := make([]crystal.Reflection, len(amps))
	for i, a := range amps {
		out[i] = crystal.Reflection{H: a.HKL[0], K: a.HKL[1], L: a.HKL[2], F: a.F}
	}
	return out, nil
}
