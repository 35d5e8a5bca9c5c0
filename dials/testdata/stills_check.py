"""Checks that each still's crystal in an experiment list explains its spots.

usage: python3 stills_check.py TRUTH.expt STRONG.refl [SHIFT]
For every experiment, maps its strong spots (dials.find_spots) to reciprocal
space with the experiment's beam and detector and to fractional Miller
indices with its crystal, and prints one JSON object per line: the number of
spots and the fraction whose indices all lie within 0.15 of integers.
With SHIFT, experiment i's spots are indexed with the crystal of experiment
i+SHIFT (a control: the fraction then falls to chance).
"""
import json
import sys

from dxtbx.model.experiment_list import ExperimentListFactory
from dials.array_family import flex
from scitbx import matrix

experiments = ExperimentListFactory.from_json_file(sys.argv[1], check_format=False)
refl = flex.reflection_table.from_file(sys.argv[2])
shift = int(sys.argv[3]) if len(sys.argv) > 3 else 0
for i, e in enumerate(experiments):
    spots = refl.select(refl["id"] == i)
    a_inv = matrix.sqr(experiments[(i + shift) % len(experiments)].crystal.get_A()).inverse()
    s0 = matrix.col(e.beam.get_s0())
    panel = e.detector[0]
    close = 0
    for x, y, _ in spots["xyzobs.px.value"]:
        lab = matrix.col(panel.get_lab_coord(panel.pixel_to_millimeter((x, y))))
        s1 = lab.normalize() * s0.length()
        hkl = a_inv * (s1 - s0)
        if max(abs(h - round(h)) for h in hkl) < 0.15:
            close += 1
    print(json.dumps({"experiment": i, "spots": len(spots), "integral_fraction": close / max(1, len(spots))}))
