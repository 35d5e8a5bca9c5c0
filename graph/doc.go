// Package graph builds the gobragg simulation as a Gorgonia computation
// graph and is the only package that imports Gorgonia:
//
//	theta (one packed vector of every continuous parameter, see Params)
//	  -> cell          a0, b0, c0 and a*, b*, c* from -cell/-mat and -misset
//	  -> phi_rotation  the lattice rotated about the spindle at every phi step
//	  -> phi0_carryover  C's phi = 0 carry-over: row 0 for C's first subpath,
//	                     row 1 for the others (a selection from phi_rotation's
//	                     output, so gradients flow into the phi-final rotation)
//	  -> mosaic        every slot rotated by every mosaic domain (mosaic_umats)
//	theta -> detector  detector origin and axes, beam, distances (or, for a
//	                   multi-panel detector, those of every panel, moved by
//	                   the panel and group motions: panels.go, panel_params.go)
//	theta -> sources   incident directions and wavelengths
//	theta -> scalars   Na, Nb, Nc, Kahn factor, fudge, default_F, water I_bg
//	                   (physics.WaterBackgroundGrad, lifted by dual.Apply2)
//	  -> diffraction   the fused kernel (Diffraction): every pixel x layer x
//	                   subpixel x source x phi x mosaic subpath, streamed on
//	                   all cores; outputs per pixel I, omega, polar, capture
//	  -> scaling       r_e^2 fluence I / steps * capture * polar * omega (scaleFunc;
//	                   pixelScale, scale.go, is the one copy, also used by Jacobian)
//	  -> image -> loss the caller's Loss (lossFunc): it gives the value and
//	                   the cotangent dL/dimage per pixel; refine's likelihoods
//	                   of counts, or the sum, Weighted or Squared
//
// Options.Pixels restricts every pass to listed pixels (the shoeboxes of a
// fit; image indices, the panels of a multi-panel detector one after
// another), Experiment.SourceWeights weight the sources (spec mode's reading of
// -sourcefile weights), and Model.Jacobian gives the exact d image / d theta
// of every rendered pixel, for the Fisher information of a fit.
//
// Gorgonia is the one differentiation engine. Gradients are Grad of the
// loss run by a TapeMachine; the Jacobian contracts the kernel's per-pixel
// backward pass (the same stage functions as its VJP) with du/dtheta for
// the kernel's inputs u, which Gorgonia's Backpropagate gives from the
// same geometry steps (wireGeometry) seeded with one unit vector per
// component of u. A geometry step remembers its Jacobian at its last
// inputs, so the runs at one geometry evaluate its dual body once.
//
// Every custom node is a Func (a vector function with its vector-Jacobian
// product) wrapped by Graph.Apply as a Gorgonia op whose SymDiff runs the
// VJP once and copies each input's gradient out with its own small op
// (slicing views of a packed gradient is one of Gorgonia's known bugs, as
// are Reshape/Concat of scalars and ByIndices' backward). The geometry
// Funcs are written once in dual arithmetic (package dual): evaluated
// plainly they reproduce nanoBragg's float64 operations in C's order, and
// seeded they give the exact Jacobian for the VJP. The diffraction kernel's
// VJP is hand-written: it recomputes each subpath instead of storing it, so
// memory stays proportional to the number of pixels, and it reduces
// per-tile accumulators in tile order, so gradients (like images) are
// bit-identical for any GOMAXPROCS. The compiled graph runs once per span
// of pixels (Options.SpanPixels), so its per-pixel vectors stay small on any
// detector; Model.Run carries C's serial state across spans and adds the
// spans' losses and gradients up in order. Forward-only runs build the same
// graph without the backward pass.
package graph
