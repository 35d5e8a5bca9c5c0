#!/bin/bash
# make test-ensemble: gobragg ensemble on MPI. 200 still shots of a known
# P1 table are rendered; their models are perturbed as a per-shot
# refinement leaves them (0.02 degree, 0.05 % cell); the table is refined
# from its resolution-bin means on 1, 2 and 4 ranks (mpirun), which must
# write the same bytes and reach CC >= 0.99 with the truth to 2.5 A. Then
# a 2-rank run is killed with SIGKILL after its first checkpoint, and
# -resume must reach the same bytes. Installs openmpi-bin and
# libopenmpi-dev with apt-get when mpirun or mpi.h is missing (needs root).
# Prints shots per second and each rank's peak memory.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
say() { echo "test-ensemble: $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }
SHOTS=${SHOTS:-200}

if ! command -v mpirun >/dev/null || ! pkg-config --exists ompi 2>/dev/null; then
	if [ "$(id -u)" != 0 ]; then
		say "needs OpenMPI: apt-get install openmpi-bin libopenmpi-dev (as root)" >&2
		exit 1
	fi
	say "installing openmpi-bin libopenmpi-dev"
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev) >/dev/null
fi
# gemmi (Debian's python3-gemmi) reads the MTZ files: the mtz package's test
# and the check below skip without it.
if ! /usr/bin/python3 -c 'import gemmi' 2>/dev/null && [ "$(id -u)" = 0 ]; then
	say "installing python3-gemmi"
	(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-gemmi || true) >/dev/null 2>&1
fi
GOEXPERIMENT=simd go test -count=1 -run Gemmi -v ./mtz/ | grep -E '^(--- |ok|FAIL)' | sed 's/^/test-ensemble: /'
work=$(mktemp -d /tmp/gobragg-test-ensemble.XXXXXX)
trap 'status=$?; [ $status = 0 ] && rm -rf "$work" || say "FAILED; files kept in $work" >&2' EXIT
GOEXPERIMENT=simd go test -count=1 -tags mpi ./mpi/ | sed 's/^/test-ensemble: /'
GOEXPERIMENT=simd go build -tags mpi -o "$work/gobragg" ./cmd/gobragg
perturb=$root/deploy/mpi/perturb.py
# gobragg, like nanoBragg, writes Fdump.bin where it runs and reads it when
# no table is given: run everything in the work folder.
cd "$work"
mpirun=(mpirun --allow-run-as-root --oversubscribe)

# A P1 table of a 20 A cell to 2.5 A: pseudo-random acentric amplitudes
# falling with resolution (Friedel mates equal).
awk 'BEGIN {srand(7); for (h = -8; h <= 8; h++) for (k = -8; k <= 8; k++) for (l = -8; l <= 8; l++) {
	s2 = (h*h + k*k + l*l) / 400; if (s2 > 1 / 6.25 || s2 == 0) continue
	pos = h > 0 || (h == 0 && (k > 0 || (k == 0 && l >= 0)))
	key = pos ? sprintf("%d %d %d", h, k, l) : sprintf("%d %d %d", -h, -k, -l)
	if (!(key in F)) F[key] = 100 * exp(-5 * s2) * sqrt(-log(1 - 0.98 * rand()))
	printf "%d %d %d %.4f\n", h, k, l, F[key] }}' >"$work/true.hkl"
sim=(-N 6 -lambda 1 -distance 50 -detpixels 64 -pixel 0.6 -oversample 1 -fluence 4e27)
t=$(now)
"$work/gobragg" stills -n "$SHOTS" -seed 11 -template "$work/shots/shot_#####.img" -expt "$work/truth.expt" \
	-cell 20 20 20 90 90 90 -hkl "$work/true.hkl" "${sim[@]}" >/dev/null
python3 "$perturb" "$work/truth.expt" "$work/models.expt" 0.02 0.0005 5
say "$SHOTS shots rendered and their models perturbed in $(since "$t") s"

run() { # ranks out-name extra-args...
	local n=$1 name=$2
	shift 2
	"${mpirun[@]}" -n "$n" "$work/gobragg" ensemble -expt_in "$work/models.expt" -data "$work/shots/shot_#####.img" \
		-shots "$SHOTS" -hkl "$work/true.hkl" -start bins "${sim[@]}" \
		-hklout "$work/$name.hkl" -mtzout "$work/$name.mtz" "$@"
}
for n in 1 2 4; do
	t=$(now)
	run "$n" "ranks$n" >"$work/ranks$n.out" 2>"$work/ranks$n.err"
	say "$n rank(s): $(since "$t") s; $(grep 'shots x iterations per second' "$work/ranks$n.out")"
	sed 's/^/test-ensemble:   /' "$work/ranks$n.err"
done
tail -n 1 "$work/ranks1.out" | sed 's/^/test-ensemble: /'
cc=$(tail -n 1 "$work/ranks1.out" | awk '{print $NF}')
awk -v cc="$cc" 'BEGIN {exit !(cc >= 0.99)}' || { say "CC with the true table $cc, want >= 0.99" >&2; exit 1; }
for n in 2 4; do
	cmp "$work/ranks1.hkl" "$work/ranks$n.hkl"
	cmp "$work/ranks1.mtz" "$work/ranks$n.mtz"
done
say "1, 2 and 4 ranks wrote the same -hklout and -mtzout bytes"

# Kill one rank of a 2-rank run after its first checkpoint, then resume.
t=$(now)
run 2 killed -checkpoint "$work/ck.json" -epoch 5 >"$work/killed.out" 2>"$work/killed.err" &
job=$!
while [ ! -s "$work/ck.json" ]; do
	kill -0 "$job" 2>/dev/null || { say "the run ended before its first checkpoint" >&2; exit 1; }
	sleep 0.2
done
victim=$(pgrep -f "$work/gobragg ensemble" | tail -n 1)
kill -9 "$victim"
if wait "$job"; then
	say "a run with a killed rank exited 0" >&2
	exit 1
fi
say "SIGKILL to rank pid $victim: mpirun stopped the job ($(grep -m1 -i 'kill\|signal\|exited' "$work/killed.err" || true))"
[ ! -e "$work/killed.hkl" ] || { say "the killed run wrote -hklout" >&2; exit 1; }
run 2 resumed -checkpoint "$work/ck.json" -epoch 5 -resume >"$work/resumed.out" 2>"$work/resumed.err"
run 1 straight -checkpoint "$work/ck1.json" -epoch 5 >"$work/straight.out" 2>"$work/straight.err"
cmp "$work/resumed.hkl" "$work/straight.hkl"
cmp "$work/resumed.mtz" "$work/straight.mtz"
say "-resume after the kill wrote the bytes of an uninterrupted run ($(since "$t") s)"
if python3 -c 'import gemmi' 2>/dev/null || /usr/bin/python3 -c 'import gemmi' 2>/dev/null; then
	py=$(python3 -c 'import gemmi' 2>/dev/null && echo python3 || echo /usr/bin/python3)
	$py -c "import gemmi,sys; m=gemmi.read_mtz_file(sys.argv[1]); print('test-ensemble: gemmi reads', m.nreflections, 'reflections,', m.spacegroup.hm, m.cell, [c.label for c in m.columns])" "$work/ranks1.mtz"
fi
say "PASS"
