// Package dials holds the end-to-end tests that give gobragg's datasets to
// DIALS (dials.import, dials.find_spots, dials.index, dials.show) and check
// that DIALS finds the simulated truth. They are slow and need DIALS, so
// they run only from `make test-dials` (GOBRAGG_DIALS=1) and skip, saying
// how to install DIALS, when dials.import is not on PATH.
package dials
