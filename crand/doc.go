// Package crand reproduces, bit for bit, the Numerical-Recipes random number
// routines of nanoBragg (ran1, gaussdev, poidev, gammln) and the two helpers
// built on them: the random spherical-cap rotation of mosaic_rotation_umat
// and the matrix-to-angles conversion of umat2misset.
//
// The C routines keep static state: ran1 its shuffle table (iy, iv[32]),
// gaussdev its spare deviate, poidev the constants of the last mean it saw.
// That state is shared by every caller in a run, whatever seed variable is
// passed, so a Generator holds all of it and one Generator models one run of
// the C program. Seeds are passed by pointer, as in C: a negative seed
// re-initialises the shuffle table, after which the seed variable holds the
// running state of the generator.
//
// Types follow the C source compiled with gcc -O2 for x86-64 (SSE math): the
// deviates are float32, seeds are int64 (C long), float*float products round
// to float32, mixed float/double expressions are evaluated in float64 and
// rounded when stored into a float32. powf is libm.Powf, glibc's algorithm
// to the bit (it is not correctly rounded, so float32(math.Pow) would differ
// about once in 2000 calls). The mosaic and misset matrices use libm's sine,
// cosine and atan2, rounded correctly in double-double arithmetic, which
// agrees with glibc except where glibc itself misrounds (about 1 call in
// 1000); Go's math.Sin/Cos/Atan2 differ from glibc in the last bit in about
// 20% of calls. exp, log and tan in poidev come from Go's math package: their
// results are rounded to float32, where a last-bit difference almost never
// shows.
package crand
