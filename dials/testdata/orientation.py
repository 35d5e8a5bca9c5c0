"""Compares the crystal of a DIALS-indexed experiment list with the truth.

usage: python3 orientation.py TRUTH.expt INDEXED.expt [INDEXED.refl]
Prints one JSON object: the indexed cell and the true cell in the indexed
setting, the change of basis (integer matrix relating the two reciprocal
bases), and the misorientation in degrees: the angle of the rotation
U_indexed U_true^T after expressing the truth in the indexed basis. With
INDEXED.refl also the positional RMSDs (pixels) of the reflections used in
refinement and the fraction of reflections indexed.
"""
import json
import math
import sys

from dxtbx.model.experiment_list import ExperimentListFactory
from scitbx import matrix
from cctbx import sgtbx

truth = ExperimentListFactory.from_json_file(sys.argv[1], check_format=False)[0].crystal
indexed = ExperimentListFactory.from_json_file(sys.argv[2], check_format=False)[0].crystal
a_true = matrix.sqr(truth.get_A())
a_idx = matrix.sqr(indexed.get_A())
m = a_true.inverse() * a_idx  # a*_idx = A_true m: near-integer when the lattices agree
m_int = matrix.sqr([round(x) for x in m.elems])
worst = max(abs(x - y) for x, y in zip(m.elems, m_int.elems))
cb = sgtbx.change_of_basis_op(sgtbx.rt_mx(sgtbx.rot_mx([int(x) for x in m_int.transpose().elems])))
moved = truth.change_basis(cb)
r = matrix.sqr(indexed.get_U()) * matrix.sqr(moved.get_U()).transpose()
angle = math.degrees(math.acos(max(-1.0, min(1.0, (r.trace() - 1) / 2))))
out = {
    "indexed_cell": list(indexed.get_unit_cell().parameters()),
    "true_cell_in_indexed_setting": list(moved.get_unit_cell().parameters()),
    "change_of_basis": str(cb),
    "basis_residual": worst,
    "misorientation_deg": angle,
}
if len(sys.argv) > 3:
    from dials.array_family import flex

    refl = flex.reflection_table.from_file(sys.argv[3])
    used = refl.select(refl.get_flags(refl.flags.used_in_refinement))
    x, y, _ = used["xyzobs.px.value"].parts()
    xc, yc, _ = used["xyzcal.px"].parts()
    out["rmsd_x_px"] = math.sqrt(flex.mean((x - xc) ** 2))
    out["rmsd_y_px"] = math.sqrt(flex.mean((y - yc) ** 2))
    out["n_used"] = len(used)
    out["indexed_fraction"] = refl.get_flags(refl.flags.indexed).count(True) / len(refl)
print(json.dumps(out))
