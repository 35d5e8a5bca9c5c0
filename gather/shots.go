package gather

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"

	"gobragg/shard"
)

// Shot is one shot's refinement result: the parts of the result JSON that
// gobragg refine writes ({"parameters": {NAME: {"start", "value", "sigma",
// "unit"}}, ...}) that the table uses.
type Shot struct {
	Number int
	// File is the result JSON, relative to the dataset's directory.
	File       string
	Parameters map[string]Parameter
	// Scalars are the result's other top-level numbers and strings (final
	// loss, iterations, pixels used, wall time, status, ...) by their JSON
	// names, as table cells.
	Scalars map[string]string
	// NotConverged is set when the result says "converged": false (a
	// result without the field, from an older gobragg, counts as
	// converged).
	NotConverged bool
}

// Parameter is one refined parameter in its option's unit; Sigma is NaN
// when the refinement could not determine it.
type Parameter struct {
	Start, Value, Sigma float64
	Unit                string
}

// ReadShots reads the result JSON of every shot the dataset's manifests
// list (the first file of each item), in increasing shot number.
func ReadShots(d *shard.Dataset) ([]Shot, error) {
	var shots []Shot
	for _, m := range d.Manifests {
		for _, it := range m.Items {
			if len(it.Files) == 0 {
				return nil, fmt.Errorf("shot %d: the manifest lists no result file", it.Number)
			}
			path := filepath.Join(d.Dir, filepath.FromSlash(it.Files[0].Path))
			s, err := readShot(path)
			if err != nil {
				return nil, fmt.Errorf("shot %d: %v", it.Number, err)
			}
			s.Number, s.File = it.Number, it.Files[0].Path
			shots = append(shots, s)
		}
	}
	sort.Slice(shots, func(i, j int) bool { return shots[i].Number < shots[j].Number })
	return shots, nil
}

// maxResultBytes bounds a result JSON read into the table: gobragg refine
// writes at most tens of kilobytes per shot (parameters, correlations,
// loss history), so a larger file listed by a manifest
// is not a result (with -noverify its size was not checked).
const maxResultBytes = 16 << 20

func readShot(path string) (Shot, error) {
	b, err := shard.ReadRegularFile(path, maxResultBytes)
	if err != nil {
		return Shot{}, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return Shot{}, fmt.Errorf("%s: %v", path, err)
	}
	var params map[string]struct {
		Start, Value *float64
		Sigma        *float64
		Unit         string
	}
	if err := json.Unmarshal(top["parameters"], &params); err != nil || len(params) == 0 {
		return Shot{}, fmt.Errorf("%s: no \"parameters\" object of refined parameters", path)
	}
	s := Shot{Parameters: map[string]Parameter{}, Scalars: map[string]string{}}
	for name, p := range params {
		if p.Value == nil {
			return Shot{}, fmt.Errorf("%s: parameter %s has no value", path, name)
		}
		s.Parameters[name] = Parameter{Start: orNaN(p.Start), Value: *p.Value, Sigma: orNaN(p.Sigma), Unit: p.Unit}
	}
	for k, raw := range top {
		var x float64
		var str string
		var flag bool
		switch {
		case k == "parameters":
		case json.Unmarshal(raw, &flag) == nil:
			s.Scalars[k] = strconv.FormatBool(flag)
			if k == "converged" && !flag {
				s.NotConverged = true
			}
		case json.Unmarshal(raw, &x) == nil:
			s.Scalars[k] = cell(x)
		case json.Unmarshal(raw, &str) == nil:
			s.Scalars[k] = str
		}
	}
	return s, nil
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// Converged returns the shots whose fits converged and how many did not.
func Converged(shots []Shot) ([]Shot, int) {
	var out []Shot
	for _, s := range shots {
		if !s.NotConverged {
			out = append(out, s)
		}
	}
	return out, len(shots) - len(out)
}

// ParameterNames returns the parameters of all shots, sorted, with the
// unit each is given in; shots that disagree on a unit are an error.
func ParameterNames(shots []Shot) ([]string, map[string]string, error) {
	units := map[string]string{}
	for _, s := range shots {
		for name, p := range s.Parameters {
			if u, ok := units[name]; ok && u != p.Unit {
				return nil, nil, fmt.Errorf("shot %d gives %s in %q, another shot in %q", s.Number, name, p.Unit, u)
			}
			units[name] = p.Unit
		}
	}
	names := make([]string, 0, len(units))
	for n := range units {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, units, nil
}

// WriteTable writes one CSV row per shot: shot, file, then for each
// parameter NAME (refined value), NAME_sigma (standard error) and
// NAME_start, then the results' other numbers, strings and flags (among
// them converged, true or false, and the reason). Values are in the
// parameters' option units; an empty cell is a value the shot lacks.
func WriteTable(w io.Writer, shots []Shot) error {
	names, _, err := ParameterNames(shots)
	if err != nil {
		return err
	}
	scalarSet := map[string]bool{}
	for _, s := range shots {
		for k := range s.Scalars {
			scalarSet[k] = true
		}
	}
	scalars := make([]string, 0, len(scalarSet))
	for k := range scalarSet {
		scalars = append(scalars, k)
	}
	sort.Strings(scalars)

	cw := csv.NewWriter(w)
	header := []string{"shot", "file"}
	for _, n := range names {
		header = append(header, n, n+"_sigma", n+"_start")
	}
	if err := cw.Write(append(header, scalars...)); err != nil {
		return err
	}
	for _, s := range shots {
		row := []string{strconv.Itoa(s.Number), s.File}
		for _, n := range names {
			p, ok := s.Parameters[n]
			if !ok {
				p = Parameter{Start: math.NaN(), Value: math.NaN(), Sigma: math.NaN()}
			}
			row = append(row, cell(p.Value), cell(p.Sigma), cell(p.Start))
		}
		for _, k := range scalars {
			row = append(row, s.Scalars[k])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell writes x so that parsing it gives x back exactly; NaN is empty.
func cell(x float64) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
