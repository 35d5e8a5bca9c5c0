// Package symop reads crystallographic symmetry operators and maps Miller
// indices to one representative of their symmetry-equivalent set.
//
// Operators are the x,y,z triplets that CCP4's symop.lib and gemmi print
// ("-Y,X,Z+1/4", "x+1/2,-y+1/2,-z"). Parse reads one, ReadGroup a file of
// them and checks that they form a group (closed under composition, with
// translations taken modulo whole cells), so no space-group table is
// needed: the operators are the space group.
//
// Group.ASU maps h k l to the representative of its equivalents under the
// point group's rotations (and, unless anomalous, Friedel's law): the
// member with the largest (l, h, k). For the Laue classes -1, 2/m, mmm
// and 4/mmm that is CCP4's reciprocal asymmetric unit; for the others it
// is a unique representative all the same, which is what tying equivalent
// reflections to one parameter needs.
package symop
