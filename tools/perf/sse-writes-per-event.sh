#!/bin/bash
# Write system calls and CPU time per SSE event delivered, for one bench server under the
# suite's SSE client (1,000 clients, 2 s warm-up, 4 s measured): `syscw` from /proc/PID/io
# and utime+stime from /proc/PID/stat over the measured part. Server on core 0, client on 1.
#
#   bash tools/perf/sse-writes-per-event.sh PORT apps/bench/dist/servers/ours.js
#   bash tools/perf/sse-writes-per-event.sh PORT apps/bench/dist/servers/node-http.js
#
# Build first (pnpm build). Hold /tmp/bbws-bench.lock while measuring on a shared machine.
set -u
PORT=$1
MODULE=$(realpath "$2")
CLIENT=$(realpath "$(dirname "$0")/../../apps/bench/dist/clients/sse-client.js")
ulimit -n "$(ulimit -Hn)"
BENCH_PORT=$PORT taskset -c 0 node "$MODULE" &
SERVER=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/hello" && break; sleep 0.1; done
OUT=$(mktemp)
(sleep 30) | taskset -c 1 node "$CLIENT" "$PORT" 1000 4000 2000 >"$OUT" &
CLIENT_PID=$!
for _ in $(seq 400); do grep -q MEASURE "$OUT" && break; sleep 0.05; done
W0=$(awk '/syscw/{print $2}' "/proc/$SERVER/io")
T0=$(awk '{print $14+$15}' "/proc/$SERVER/stat")
for _ in $(seq 400); do grep -q DONE "$OUT" && break; sleep 0.05; done
W1=$(awk '/syscw/{print $2}' "/proc/$SERVER/io")
T1=$(awk '{print $14+$15}' "/proc/$SERVER/stat")
TICKS=$(getconf CLK_TCK)
D=$(sed -n 's/.*"delivered":\([0-9]*\).*/\1/p' "$OUT")
echo "$2 delivered=$D writes_per_event=$(echo "scale=3; ($W1-$W0)/$D" | bc) cpu_us_per_event=$(echo "scale=2; ($T1-$T0)*1000000/$TICKS/$D" | bc)"
kill "$CLIENT_PID" 2>/dev/null
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null
rm -f "$OUT"
