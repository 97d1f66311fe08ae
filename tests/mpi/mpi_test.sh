#!/usr/bin/env bash
# orgsim sweep under MPI, as CI runs it: on this machine only, oversubscribed, over loopback.
# 1. mpirun -np 2 and -np 3 give byte-identical datasets to the threaded run (a sweep, a
#    comparison over a design, and a sweep with leading by example).
# 2. Killing one rank mid-sweep fails the job; resuming completes it, identical again.
# Usage: mpi_test.sh ORGSIM_BINARY SCENARIO_DIR
set -uo pipefail
orgsim=$1
scenario=$2/march1991.cfg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpirun --oversubscribe --mca btl self,vader,tcp --mca btl_tcp_if_include lo
     --mca oob_tcp_if_include lo)
sweep=(sweep "$scenario" --vary firm.socialization=0.1,0.5,0.9 --quiet)
passed=0
failed=0
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then
    echo "ok: $name"
    passed=$((passed + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
}
digest() { "$orgsim" info "$1" | sed -n 's/^content digest: //p'; }

"$orgsim" "${sweep[@]}" --replications 400 --threads 2 --out threads.h5 > /dev/null
for ranks in 2 3; do
  "${mpi[@]}" -np "$ranks" "$orgsim" "${sweep[@]}" --replications 400 --out "ranks$ranks.h5" > /dev/null 2>&1
  check "mpirun -np $ranks gives the threaded run's datasets" \
    test "$(digest "ranks$ranks.h5")" = "$(digest threads.h5)"
done

# A comparison over a design: the same campaign, two scenarios paired run by run.
compare=(compare "$2/following_orders.cfg" "$2/empowered.cfg" --vary env.turbulence=0,0.05
         --replications 6 --set run.periods=30 --quiet)
"$orgsim" "${compare[@]}" --threads 2 --out compare_threads.h5 > /dev/null
"${mpi[@]}" -np 3 "$orgsim" "${compare[@]}" --out compare_ranks.h5 > /dev/null 2>&1
check "mpirun -np 3 compare over a design gives the threaded datasets" \
  test "$(digest compare_ranks.h5)" = "$(digest compare_threads.h5)"

# Leading by example (step 5b) in the race: the peer network grows and shrinks with hiring,
# and the ranks must still give the threaded bytes.
peer=(sweep "$2/race.cfg" --vary firm.peer_learning=0.2,0.5 --vary firm.peer.cross_rate=0,2
      --replications 4 --set run.periods=40 --quiet)
"$orgsim" "${peer[@]}" --threads 2 --out peer_threads.h5 > /dev/null
"${mpi[@]}" -np 3 "$orgsim" "${peer[@]}" --out peer_ranks.h5 > /dev/null 2>&1
check "mpirun -np 3 with peer_learning gives the threaded datasets" \
  test "$(digest peer_ranks.h5)" = "$(digest peer_threads.h5)"

"$orgsim" "${sweep[@]}" --replications 8000 --threads 2 --out whole.h5 > /dev/null
"${mpi[@]}" -np 3 "$orgsim" "${sweep[@]}" --replications 8000 --out killed.h5 > job.log 2>&1 &
job=$!
for _ in $(seq 200); do  # until the journal has a few hundred runs
  [ "$(stat -c %s killed.h5.partial 2>/dev/null || echo 0)" -gt 2000000 ] && break
  sleep 0.05
done
# A rank other than 0 (0 writes the journal and says how to resume): each rank's
# environment holds its number.
victim=""
for pid in $(pgrep -f "orgsim sweep .*killed.h5"); do
  if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=[12]"; then
    victim=$pid
    break
  fi
done
check "found a rank to kill" test -n "$victim"
kill -9 "$victim"
wait "$job"
status=$?
check "a killed rank fails the job (mpirun exit $status)" test "$status" -ne 0
# mpirun names the rank that died; rank 0 adds how to resume when mpirun lets it.
check "the job says which rank died" grep -q "exited on signal 9" job.log
check "nothing looks finished" test ! -e killed.h5
"${mpi[@]}" -np 2 "$orgsim" "${sweep[@]}" --replications 8000 --out killed.h5 --resume > /dev/null 2>&1
check "the resumed sweep equals the uninterrupted one" test "$(digest killed.h5)" = "$(digest whole.h5)"
check "the journal is gone" test ! -e killed.h5.partial

echo "mpi: $passed passed, $failed failed"
test "$failed" -eq 0
