package imageio

import (
	"errors"
	"os"
	"sync"
)

// temps are the temporary files of every Batch in the process that have
// been created and not yet renamed or removed.
var temps struct {
	mu     sync.Mutex
	names  map[string]struct{}
	closed bool // RemoveTemporaryFiles has run: no new temporary files
}

// errShuttingDown is returned by createTemp after RemoveTemporaryFiles.
var errShuttingDown = errors.New("program is being interrupted")

// createTemp is os.CreateTemp that registers the file.
func createTemp(dir, pattern string) (*os.File, error) {
	temps.mu.Lock()
	defer temps.mu.Unlock()
	if temps.closed {
		return nil, errShuttingDown
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	if temps.names == nil {
		temps.names = map[string]struct{}{}
	}
	temps.names[f.Name()] = struct{}{}
	return f, nil
}

// removeTemp removes a registered temporary file.
func removeTemp(name string) {
	temps.mu.Lock()
	defer temps.mu.Unlock()
	os.Remove(name)
	delete(temps.names, name)
}

// renameTemp renames a registered temporary file onto its target.
func renameTemp(name, target string) error {
	temps.mu.Lock()
	defer temps.mu.Unlock()
	if temps.closed {
		return errShuttingDown
	}
	if err := os.Rename(name, target); err != nil {
		return err
	}
	delete(temps.names, name)
	return nil
}

// RemoveTemporaryFiles removes every temporary file that a Batch (or
// WriteFileAtomic) of this process has created and not yet renamed, and
// makes later ones fail, so that a program stopped by a signal leaves no
// ".NAME.tmp-N" file behind: call it from the signal handler before
// exiting. Files already renamed into place stay.
func RemoveTemporaryFiles() {
	temps.mu.Lock()
	defer temps.mu.Unlock()
	temps.closed = true
	for name := range temps.names {
		os.Remove(name)
	}
	temps.names = nil
}
