// Package graph builds the gobragg simulation as a Gorgonia computation
// graph: packed parameters -> geometry ops -> the fused diffraction op ->
// scaling -> image -> loss. It is the only package that imports Gorgonia.
package graph
