// Package spots finds diffraction spots on a measured image and predicts
// where an experiment puts each reflection, from the Bragg condition, with
// exact derivatives of the prediction with respect to the experiment's
// parameters (forward-mode dual numbers from graph.BraggView).
//
// Coordinates are detector pixels as gobragg's kernel samples them: pixel
// (fast f, slow s) covers [f, f+1) x [s, s+1), so its centre is at
// (f + 0.5, s + 0.5). Together, Find, Index and Predict are what a
// refinement needs to match observed spots with predicted ones over a
// basin as wide as the spot spacing, where the pixel likelihood of sharp
// spots has narrow wells.
package spots
