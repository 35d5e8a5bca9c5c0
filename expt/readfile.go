package expt

import "os"

// ReadFile reads the experiment list at path with Read, naming it by its
// path in messages; an error opening the file is returned as os.Open
// gives it.
func ReadFile(path string) (*List, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}
