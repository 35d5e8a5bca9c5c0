// Package expt reads and writes DIALS experiment lists (the JSON ".expt"
// files dials.import writes and dxtbx's ExperimentList reads): beam,
// detector panels, goniometer, scan, crystal and image set, in dxtbx's
// laboratory frame and units (millimetres, ångström, degrees). A
// detector's panels and DIALS's hierarchy of panel groups are read with
// their frames composed into the laboratory frame (hierarchy.go).
//
// LabFrame maps nanoBragg's laboratory frame, whose axes depend on the
// convention, to dxtbx's (beam travelling along -z, the spindle's
// component across the beam along +x). For the standard conventions it is
// a signed permutation, so vectors cross between the frames exactly.
package expt
