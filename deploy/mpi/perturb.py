#!/usr/bin/python3
"""Perturb every crystal of a DIALS experiment list as a per-shot refinement
leaves it: a rotation of RMS angle ROT degrees about a random axis and a
cell scale of RMS CELL (relative), from a fixed seed. Usage:
perturb.py IN.expt OUT.expt ROT CELL SEED"""
import json, math, random, sys

src, dst, rot, cell, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
d = json.load(open(src))
for c in d["crystal"]:
    axis = [rng.gauss(0, 1) for _ in range(3)]
    n = math.sqrt(sum(a * a for a in axis))
    x, y, z = (a / n for a in axis)
    t = math.radians(rng.gauss(0, rot))
    co, si = math.cos(t), math.sin(t)
    R = [[co + x * x * (1 - co), x * y * (1 - co) - z * si, x * z * (1 - co) + y * si],
         [y * x * (1 - co) + z * si, co + y * y * (1 - co), y * z * (1 - co) - x * si],
         [z * x * (1 - co) - y * si, z * y * (1 - co) + x * si, co + z * z * (1 - co)]]
    s = 1 + rng.gauss(0, cell)
    for key in ("real_space_a", "real_space_b", "real_space_c"):
        v = c[key]
        c[key] = [s * sum(R[i][j] * v[j] for j in range(3)) for i in range(3)]
json.dump(d, open(dst, "w"), indent=1)
