#!/bin/bash
# make test-slurm: a real Slurm scheduler runs deploy/slurm/sweep.sbatch as
# an array of 4 tasks over a 16-frame sweep on a one-node cluster on
# localhost; gather must find the dataset complete and every frame must
# equal a one-machine run's byte for byte. Then deploy/slurm/refine.sbatch
# refines 4 stills in 2 tasks, each from its own crystal of the stills'
# experiment list, and gather merges their table. Installs slurm-wlm and munge
# with apt-get when missing (needs root). Prints its timings.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. deploy/slurm/localcluster.sh

say() { echo "test-slurm: $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }

if [ "$(id -u)" != 0 ]; then
	say "needs root (it starts munged, slurmctld and slurmd as root, and may apt-get install slurm-wlm munge)" >&2
	exit 1
fi
t_all=$(now)
t=$(now)
cluster_install
say "slurm-wlm and munge present ($(since "$t") s to check or install)"

work=$(mktemp -d /tmp/gobragg-test-slurm.XXXXXX)
cleanup() {
	status=$?
	cluster_stop
	if [ $status != 0 ]; then
		say "FAILED; logs kept in $work" >&2
		tail -n 30 "$work"/logs/* "$work"/cluster/log/*.log 2>/dev/null >&2 || true
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
mkdir -p "$work/bin" "$work/logs"
GOEXPERIMENT=simd go build -o "$work/bin/gobragg" ./cmd/gobragg

t=$(now)
cluster_start "$work/cluster"
say "$(sinfo -V), $(munged -V | awk '{print $1}'): one-node cluster up in $(since "$t") s"

# 16 noise frames of 96x96 pixels (a few tenths of a second each).
sweep=(-cell 79.1 79.1 38.4 90 90 90 -misset 10 20 30 -N 10 -default_F 100 -lambda 1
	-distance 100 -detpixels 96 -pixel 0.25 -osc 0.5 -phisteps 2 -seed 5 -frames 16)
t=$(now)
# In the work folder, as the jobs run: gobragg reads an Fdump.bin where it runs.
(cd "$work" && "$work/bin/gobragg" sweep "${sweep[@]}" -template "$work/one/frame_#####.img" -expt "$work/one/sweep.expt") >"$work/logs/one-machine.out"
say "one-machine run: 16 frames in $(since "$t") s"

t=$(now)
(cd "$work" && sbatch --wait --array=0-3 --cpus-per-task=1 --mem=500M --time=10 \
	--export=ALL,GOBRAGG="$work/bin/gobragg" --output="$work/logs/sweep-%A_%a.out" \
	"$root/deploy/slurm/sweep.sbatch" "${sweep[@]}" -template "$work/shards/frame_#####.img" -expt "$work/shards/sweep.expt")
say "array job of 4 tasks finished in $(since "$t") s (submission to the last task's end)"
for f in "$work"/logs/sweep-*.out; do
	say "  $(basename "$f"): $(tail -n 1 "$f")"
done

"$work/bin/gobragg" gather "$work/shards"

# Resubmitting one task (as after a node failure) keeps the shard count and
# skips the frames its manifest lists as intact.
t=$(now)
(cd "$work" && sbatch --wait --array=2 --cpus-per-task=1 --mem=500M --time=10 \
	--export=ALL,GOBRAGG="$work/bin/gobragg",SHARDS=4 --output="$work/logs/resubmit-%A_%a.out" \
	"$root/deploy/slurm/sweep.sbatch" "${sweep[@]}" -template "$work/shards/frame_#####.img" -expt "$work/shards/sweep.expt")
skipped=$(grep -c 'complete (.*), skipped' "$work"/logs/resubmit-*.out)
[ "$skipped" = 4 ] || { say "the resubmitted task skipped $skipped frames, not 4" >&2; exit 1; }
say "task 2 resubmitted alone: skipped its 4 intact frames ($(since "$t") s)"
"$work/bin/gobragg" gather "$work/shards" >/dev/null
n=0
for f in "$work"/one/frame_*.img; do
	cmp "$f" "$work/shards/$(basename "$f")"
	n=$((n + 1))
done
[ "$n" = 16 ] || { say "expected 16 frames, found $n" >&2; exit 1; }
# gather's experiment list is the one-machine run's, but for the frames' directory.
sed "s#$work/one/#$work/shards/#g" "$work/one/sweep.expt" | cmp - "$work/shards/sweep.expt"
say "gather's sweep.expt equals the one-machine run's (frames' directory aside)"
# Per-shot refinement of stills: 4 shots and their experiment list (one
# crystal each); deploy/slurm/refine.sbatch as 2 tasks refines scale and
# orientation of each shot from its own crystal; gather merges the table.
model=(-default_F 100 -N 5 -oversample 1 -fluence 1e29)
"$work/bin/gobragg" stills -n 4 -seed 6 -expt "$work/shots/shots.expt" -template "$work/shots/shot_###.img" \
	-cell 70 80 90 90 90 90 -lambda 1 -distance 100 -pixel 0.3 -detpixels 48 "${model[@]}" >/dev/null
t=$(now)
(cd "$work" && sbatch --wait --array=0-1 --cpus-per-task=1 --mem=500M --time=10 \
	--export=ALL,GOBRAGG="$work/bin/gobragg" --output="$work/logs/refine-%A_%a.out" \
	"$root/deploy/slurm/refine.sbatch" -shots 4 -expt_in "$work/shots/shots.expt" -data "$work/shots/shot_###.img" \
	-out "$work/results/shot_###.json" -refine scale,misset_x,misset_y,misset_z "${model[@]}")
say "refine array of 2 tasks finished in $(since "$t") s"
"$work/bin/gobragg" gather "$work/results"
rows=$(($(wc -l <"$work/results/shot.csv") - 1))
[ "$rows" = 4 ] || { say "the refinement table has $rows rows, not 4" >&2; exit 1; }
say "refinement table: $rows shots (truth: scale 1, misset 0 from each shot's own crystal):"
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) col[$i] = i; next}
	{line = sprintf("test-slurm:   shot %s:", $1)
	 for (k = 1; k <= 4; k++) {
		p = k == 1 ? "scale" : "misset_" substr("xyz", k - 1, 1); truth = k == 1 ? 1 : 0
		v = $col[p]; s = $col[p "_sigma"]; line = line sprintf(" %s %.4f +- %.4f", p, v, s)
		if ((v - truth) ^ 2 > 9 * s ^ 2) bad = 1
	 }
	 print line}
	END {exit bad}' "$work/results/shot.csv" || { say "a refined value is more than 3 standard errors from the truth" >&2; exit 1; }

# Ensemble refinement as one Slurm job of 2 MPI ranks (deploy/slurm/ensemble.sbatch):
# its table must be the bytes of a one-process run of the same shots.
if command -v mpirun >/dev/null && pkg-config --exists ompi 2>/dev/null; then
	GOEXPERIMENT=simd go build -tags mpi -o "$work/bin/gobragg-mpi" ./cmd/gobragg
	ens=(-expt_in "$work/shots/shots.expt" -data "$work/shots/shot_###.img" -shots 4 -hkl "$work/ens.hkl" "${model[@]}")
	awk 'BEGIN {for (h = -6; h <= 6; h++) for (k = -6; k <= 6; k++) for (l = -6; l <= 6; l++) print h, k, l, 100}' >"$work/ens.hkl"
	t=$(now)
	(cd "$work" && sbatch --wait --ntasks=2 --cpus-per-task=1 --mem-per-cpu=500M --time=10 \
		--export=ALL,GOBRAGG="$work/bin/gobragg-mpi" --output="$work/logs/ensemble-%j.out" \
		"$root/deploy/slurm/ensemble.sbatch" "${ens[@]}" -hklout "$work/ens-slurm.hkl")
	(cd "$work" && "$work/bin/gobragg" ensemble "${ens[@]}" -hklout "$work/ens-one.hkl") >/dev/null 2>&1
	cmp "$work/ens-slurm.hkl" "$work/ens-one.hkl"
	say "ensemble.sbatch (2 MPI ranks in one Slurm job) wrote the bytes of a one-process run ($(since "$t") s)"
else
	say "skipping ensemble.sbatch: OpenMPI is missing (make test-ensemble installs it)"
fi

say "PASS: $n frames from 4 Slurm array tasks equal the one-machine run byte for byte, sweep.expt equal, resubmission skips, refine array merged ($(since "$t_all") s in all)"
