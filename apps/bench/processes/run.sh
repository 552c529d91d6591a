#!/bin/bash
# Processes: 2 against 1 (docs/benchmarks.md#processes-2-against-1). The quickstart with
# processes 1 and 2, alternated (the order reversed every other round); wrk -t1 -c64 for
# DURATION after a 2 s warm-up, unpinned: wrk and the server processes share the machine's cores.
# Prints one line per run: requests/s and the server's CPU ms per 1000 requests (utime+stime
# of the primary and its children from /proc, over the timed run). Run after `pnpm build`,
# holding the benchmark lock: flock /tmp/bbws-bench.lock apps/bench/processes/run.sh
set -u
DIR=$(dirname "$0")
PORT=${PORT:-6001}
ROUNDS=${ROUNDS:-6}
DURATION=${DURATION:-5s}
TICKS=$(getconf CLK_TCK)

cpu_ticks() { # utime+stime of the pids given
  local sum=0
  for p in "$@"; do
    [ -r /proc/$p/stat ] || continue
    sum=$((sum + $(awk '{print $14 + $15}' /proc/$p/stat)))
  done
  echo $sum
}

run_one() {
  local n=$1 round=$2
  node "$DIR/serve.mjs" "$n" "$PORT" > /tmp/bbws-processes-bench.out 2>&1 &
  local pid=$!
  for _ in $(seq 1 150); do grep -q ready /tmp/bbws-processes-bench.out && break; sleep 0.1; done
  wrk -t1 -c64 -d2s "http://127.0.0.1:$PORT/hello" > /dev/null 2>&1
  local pids="$pid $(pgrep -P $pid | tr '\n' ' ')"
  local before=$(cpu_ticks $pids)
  local load=$(cut -d' ' -f1 /proc/loadavg)
  local out=$(wrk -t1 -c64 -d"$DURATION" "http://127.0.0.1:$PORT/hello")
  local after=$(cpu_ticks $pids)
  local rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local total=$(echo "$out" | awk '/requests in/ {print $1}')
  local cpu=$(awk -v t=$((after - before)) -v hz=$TICKS -v n=$total 'BEGIN {printf "%.1f", t * 1000 / hz / n * 1000}')
  echo "round=$round processes=$n rps=$rps cpu_ms_per_1000=$cpu loadavg=$load"
  kill -TERM $pid
  wait $pid
}

for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="1 2"; else order="2 1"; fi
  for n in $order; do run_one "$n" "$round"; done
done
