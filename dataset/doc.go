// Package dataset renders the datasets that processing programs (DIALS,
// XDS, MOSFLM) read as real data, with the truth known: rotation sweeps
// (Sweep) and, in later files, still shots.
//
// A dataset is a set of frames. Each frame is one ordinary gobragg
// simulation, so every frame is byte-identical to what the equivalent
// single-frame command line (FrameArgs) writes. The API renders an explicit
// set of frame numbers (RenderFrames), so a dataset can be shared between
// processes or machines by giving each a subset.
package dataset
